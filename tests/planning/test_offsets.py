"""The ministry's Hijri month offsets: the service, its audit trail, its checks, its event."""

import datetime as dt

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from tests import factories
from zaireen.core.errors import NotAllowed, ValidationFailed
from zaireen.core.models import AuditEntry
from zaireen.core.roles import Role
from zaireen.planning import events, hijri, selectors, services
from zaireen.planning.demo import planning_demo
from zaireen.planning.models import HijriMonthOffset

pytestmark = pytest.mark.django_db

SAFAR_1448 = {"year": 1448, "month": 2}
REASON = "Sistani's office announced the crescent of Safar on the evening of 15 July 2026"


def test_an_officer_sets_an_offset_and_the_change_is_recorded(
    officer, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = services.hijri_offset_set(actor=officer, **SAFAR_1448, days=1, reason=REASON)
    assert (row.hijri_year, row.hijri_month, row.days) == (1448, 2, 1)
    assert row.set_by == officer and row.reason == REASON and row.set_at is not None
    assert selectors.offsets_table() == {(1448, 2): 1}
    with scopes_disabled():
        entry = AuditEntry.objects.get(action=services.AUDIT_ACTION)
    assert entry.actor == officer
    assert entry.reason == REASON
    assert entry.changes == {"days": [None, 1]}
    assert entry.object_label == "Safar 1448: +1"
    # The event names the month and the Gregorian days whose Hijri date moved: Umm al-Qura's
    # Safar 1448 began on 15 July 2026, Iraq's on the 16th, and Rabi' al-Awwal on 14 August.
    assert heard == [
        events.OffsetChange(
            year=1448,
            month=2,
            old_days=0,
            new_days=1,
            first_day=dt.date(2026, 7, 15),
            last_day=dt.date(2026, 8, 13),
        )
    ]


def test_arbaeen_1448_moves_to_the_day_iraq_will_observe(officer):
    arbaeen = next(o for o in hijri.load_occasions() if o.key == "arbaeen")
    assert hijri.occurrence(arbaeen, 1448, selectors.offsets_table()).start == dt.date(2026, 8, 3)
    services.hijri_offset_set(actor=officer, **SAFAR_1448, days=1, reason=REASON)
    when = hijri.occurrence(arbaeen, 1448, selectors.offsets_table())
    assert when.start == dt.date(2026, 8, 4)
    assert when.umm_al_qura_start == dt.date(2026, 8, 3)
    assert hijri.check_offsets(selectors.offsets_table()) == []


def test_changing_an_offset_again_records_old_and_new(
    officer, heard, django_capture_on_commit_callbacks
):
    services.hijri_offset_set(actor=officer, **SAFAR_1448, days=1, reason=REASON)
    with django_capture_on_commit_callbacks(execute=True):
        services.hijri_offset_set(actor=officer, **SAFAR_1448, days=0, reason="Corrected")
    assert HijriMonthOffset.objects.get().days == 0
    with scopes_disabled():
        last = AuditEntry.objects.filter(action=services.AUDIT_ACTION).first()
    assert (last.changes, last.reason) == ({"days": [1, 0]}, "Corrected")
    assert [(c.old_days, c.new_days) for c in heard] == [(1, 0)]


def test_setting_the_offset_in_force_changes_nothing(
    officer, heard, django_capture_on_commit_callbacks
):
    services.hijri_offset_set(actor=officer, **SAFAR_1448, days=1, reason=REASON)
    with django_capture_on_commit_callbacks(execute=True):
        row = services.hijri_offset_set(actor=officer, **SAFAR_1448, days=1, reason="Again")
    assert row.reason == REASON
    with scopes_disabled():
        assert AuditEntry.objects.filter(action=services.AUDIT_ACTION).count() == 1
    assert heard == []


def test_an_impossible_table_is_refused_naming_the_field_and_the_month_to_add(officer):
    # Umm al-Qura's Muharram 1447 has 30 days and Safar 29: "Safar a day late" alone would
    # make Muharram 31 days long and Safar 28.
    with pytest.raises(ValidationFailed) as caught:
        services.hijri_offset_set(actor=officer, year=1447, month=2, days=1, reason=REASON)
    assert set(caught.value.errors) == {"days"}
    muharram, safar = caught.value.errors["days"]
    assert "Muharram 1447 would last 31 days" in muharram
    assert "set the offset of Muharram 1447" in muharram
    assert "Safar 1447 would last 28 days" in safar
    assert "set the offset of Rabi' al-Awwal 1447" in safar
    assert not HijriMonthOffset.objects.exists()
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action=services.AUDIT_ACTION).exists()


def test_the_months_named_in_the_refusal_make_the_table_possible(officer, heard):
    """Iraq's real 1447 table: Muharram, Safar and Rabi' al-Awwal all a day late. Set together
    (one reason, one transaction) it passes; each month is audited and announced."""
    changes = {(1447, 1): 1, (1447, 2): 1}
    with pytest.raises(ValidationFailed) as caught:
        services.hijri_offsets_set(actor=officer, changes=changes, reason=REASON)
    assert set(caught.value.errors) == {"1447-02"}
    assert "Rabi' al-Awwal 1447" in caught.value.errors["1447-02"][0]
    rows = services.hijri_offsets_set(
        actor=officer, changes={**changes, (1447, 3): 1}, reason=REASON
    )
    assert [r.key for r in rows] == [(1447, 1), (1447, 2), (1447, 3)]
    assert hijri.check_offsets(selectors.offsets_table()) == []
    with scopes_disabled():
        assert AuditEntry.objects.filter(action=services.AUDIT_ACTION).count() == 3


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"year": 1342}, "year"),
        ({"year": 1501}, "year"),
        ({"month": 13}, "month"),
        ({"month": 0}, "month"),
        ({"days": 3}, "days"),
        ({"days": -3}, "days"),
        ({"days": "1"}, "days"),
        ({"reason": "  "}, "reason"),
        ({"reason": "x" * 2001}, "reason"),
    ],
)
def test_bad_input_names_the_field(officer, fields, field):
    request = {**SAFAR_1448, "days": 1, "reason": REASON, **fields}
    with pytest.raises(ValidationFailed) as caught:
        services.hijri_offset_set(actor=officer, **request)
    assert field in caught.value.errors
    assert not HijriMonthOffset.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.MINISTRY_OFFICER], ids=str)
def test_only_the_ministry_sets_offsets(places, role):
    organiser = factories.organiser() if role.startswith(("organiser", "group")) else None
    someone = factories.user("someone", role, organiser)
    with pytest.raises(NotAllowed):
        services.hijri_offset_set(actor=someone, **SAFAR_1448, days=1, reason=REASON)
    assert not HijriMonthOffset.objects.exists()
    # The same request succeeds for a ministry officer.
    services.hijri_offset_set(actor=factories.ministry(), **SAFAR_1448, days=1, reason=REASON)


def test_an_inactive_officer_cannot_set_offsets(officer):
    officer.is_active = False
    officer.save()
    with pytest.raises(NotAllowed):
        services.hijri_offset_set(actor=officer, **SAFAR_1448, days=1, reason=REASON)


def test_nothing_is_announced_when_the_transaction_rolls_back(
    officer, heard, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.hijri_offset_set(actor=officer, **SAFAR_1448, days=1, reason=REASON)
        raise RuntimeError("the request failed after the service")
    assert callbacks == []
    assert heard == []
    assert not HijriMonthOffset.objects.exists()


def test_the_demo_sets_the_arbaeen_offset_once(officer, heard):
    officer.username = "ministry"
    officer.save()
    (row,) = planning_demo()
    assert (row.key, row.days, row.set_by) == ((1448, 2), 1, officer)
    arbaeen = next(o for o in hijri.load_occasions() if o.key == "arbaeen")
    assert hijri.occurrence(arbaeen, 1448, selectors.offsets_table()).start == dt.date(2026, 8, 4)
    assert planning_demo() == [row]
    with scopes_disabled():
        assert AuditEntry.objects.filter(action=services.AUDIT_ACTION).count() == 1
