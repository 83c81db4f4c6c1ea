"""Organisers and their licences: registration, decisions, the public check, the rules."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django_scopes import scopes_disabled

from tests import factories
from zaireen.core.errors import NotAllowed, ValidationFailed
from zaireen.core.models import AuditEntry
from zaireen.core.roles import Role
from zaireen.organizers import selectors, services
from zaireen.organizers.models import LicenceEvent, LicenceStatus, Organiser

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def register(actor, **overrides):
    fields = {
        "legal_name": "Syed Travels (Pvt) Ltd",
        "trade_name": "Syed Travels",
        "licence_number": " zgo-2026-0001 ",
        "head_office_city": "lahore",
        "phone": "042 3576 1234",
        "email": "office@syed.example",
    }
    return services.organiser_register(actor=actor, **{**fields, **overrides})


def test_the_ministry_registers_an_applicant(places):
    officer = factories.ministry()
    organiser = register(officer)
    assert organiser.status == LicenceStatus.APPLIED
    assert organiser.licence_number == "ZGO-2026-0001"
    assert organiser.phone == "+924235761234"
    assert organiser.licence_events.get().to_status == LicenceStatus.APPLIED
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="zaireen.organiser.registered")
    assert entry.actor == officer and entry.organiser == organiser


def test_registration_reports_every_bad_field_and_saves_nothing(places):
    officer = factories.ministry()
    with pytest.raises(ValidationFailed) as caught:
        register(officer, legal_name=" ", licence_number="", head_office_city="najaf",
                 phone="12", email="not-an-email")  # fmt: skip
    assert set(caught.value.errors) == {
        "legal_name", "licence_number", "head_office_city", "phone", "email"
    }  # fmt: skip
    assert not Organiser.objects.exists()


def test_a_licence_number_is_unique_whatever_its_case(places):
    officer = factories.ministry()
    register(officer)
    with pytest.raises(ValidationFailed) as caught:
        register(officer, licence_number="ZGO-2026-0001".lower(), legal_name="Another")
    assert "licence_number" in caught.value.errors


def test_urdu_names_are_kept(places):
    organiser = register(factories.ministry(), legal_name="سید ٹریولز", trade_name="")
    assert Organiser.objects.get(pk=organiser.pk).legal_name == "سید ٹریولز"


def test_only_the_ministry_registers(places):
    staff = factories.user("staff", Role.CONSULAR_OFFICER)
    with pytest.raises(NotAllowed):
        register(staff)


def _change(officer, organiser, to, **kw):
    return services.organiser_status_change(
        actor=officer,
        organiser_uid=organiser.uid,
        to_status=to,
        reason=kw.pop("reason", "Checked"),
        **kw,
    )


def test_the_licence_lifecycle_is_recorded_with_reasons(places):
    officer = factories.ministry()
    organiser = register(officer)
    _change(officer, organiser, LicenceStatus.VETTED)
    _change(officer, organiser, LicenceStatus.LICENSED, valid_from=TODAY(),
            valid_until=TODAY() + datetime.timedelta(days=365))  # fmt: skip
    _change(officer, organiser, LicenceStatus.SUSPENDED, reason="Unreported returns")
    organiser.refresh_from_db()
    assert organiser.status == LicenceStatus.SUSPENDED
    assert organiser.status_reason == "Unreported returns"
    steps = list(organiser.licence_events.order_by("at", "id").values_list("to_status", flat=True))
    assert steps == ["applied", "vetted", "licensed", "suspended"]
    with scopes_disabled():
        audit = AuditEntry.objects.filter(
            action="zaireen.organiser.status.changed", organiser=organiser
        )
        assert audit.count() == 3
        assert audit.first().changes["status"] == ["licensed", "suspended"]
        assert audit.first().reason == "Unreported returns"


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("applied", "licensed"),
        ("revoked", "licensed"),
        ("licensed", "vetted"),
        ("applied", "expired"),
    ],
)
def test_impossible_transitions_are_refused(places, start, to):
    officer = factories.ministry()
    organiser = factories.organiser(status=start)
    with pytest.raises(ValidationFailed) as caught:
        _change(officer, organiser, to, valid_from=TODAY(), valid_until=TODAY())
    assert "to_status" in caught.value.errors
    organiser.refresh_from_db()
    assert organiser.status == start


def test_a_decision_needs_a_reason_and_a_licence_its_dates(places):
    officer = factories.ministry()
    organiser = factories.organiser(status=LicenceStatus.VETTED)
    with pytest.raises(ValidationFailed) as caught:
        _change(officer, organiser, LicenceStatus.LICENSED, reason="  ")
    assert set(caught.value.errors) == {"reason", "valid_from", "valid_until"}
    with pytest.raises(ValidationFailed) as caught:
        _change(officer, organiser, LicenceStatus.LICENSED, valid_from=TODAY(),
                valid_until=TODAY() - datetime.timedelta(days=1))  # fmt: skip
    assert "valid_until" in caught.value.errors
    assert not LicenceEvent.objects.filter(organiser=organiser).exists()


def test_a_suspended_organiser_may_submit_nothing_and_is_told_why(places):
    officer = factories.ministry()
    organiser = factories.organiser()
    services.organiser_assert_may_submit(
        organiser=organiser, until=TODAY() + datetime.timedelta(days=30)
    )
    _change(officer, organiser, LicenceStatus.SUSPENDED, reason="Twelve returns unreported")
    organiser.refresh_from_db()
    with pytest.raises(NotAllowed, match="suspended: Twelve returns unreported"):
        services.organiser_assert_may_submit(organiser=organiser, until=TODAY())


def test_work_beyond_the_licence_is_refused(places):
    organiser = factories.organiser(valid_until=TODAY() + datetime.timedelta(days=5))
    with pytest.raises(NotAllowed, match="ends on"):
        services.organiser_assert_may_submit(
            organiser=organiser, until=TODAY() + datetime.timedelta(days=6)
        )


def test_licences_past_their_end_expire_each_night(places):
    ended = factories.organiser("ZGO-OLD", valid_from=TODAY() - datetime.timedelta(days=400),
                                valid_until=TODAY() - datetime.timedelta(days=1))  # fmt: skip
    current = factories.organiser("ZGO-NEW")
    expired = services.organiser_expire_due()
    assert [o.pk for o in expired] == [ended.pk]
    ended.refresh_from_db()
    current.refresh_from_db()
    assert ended.status == LicenceStatus.EXPIRED and current.status == LicenceStatus.LICENSED
    assert services.organiser_expire_due() == []
    with scopes_disabled():
        assert AuditEntry.objects.get(organiser=ended).actor_label == "system"


def test_the_public_check_finds_by_number_or_name_and_says_if_they_may_take_pilgrims(
    client, places
):
    factories.organiser("ZGO-2025-0012", legal_name="Al-Noor Ziyarat")
    factories.organiser(
        "ZGO-2025-0047", legal_name="Karbala Caravans", status=LicenceStatus.SUSPENDED
    )
    factories.organiser("ZGO-2026-0133", legal_name="Najaf Travel", status=LicenceStatus.APPLIED)
    page = client.get(reverse("organizers:licence_check"), {"q": "zgo-2025-0012"}).content.decode()
    assert "Al-Noor Ziyarat" in page and "May take pilgrims today." in page
    page = client.get(reverse("organizers:licence_check"), {"q": "karbala"}).content.decode()
    assert "May NOT take pilgrims today." in page
    page = client.get(reverse("organizers:licence_check"), {"q": "najaf travel"}).content.decode()
    assert "No licensed organiser matches" in page
    api = client.get("/api/v1/licences", {"q": "ZGO-2025"}).json()
    assert {(o["licence_number"], o["may_take_pilgrims_today"]) for o in api} == {
        ("ZGO-2025-0012", True), ("ZGO-2025-0047", False)
    }  # fmt: skip
    assert client.get("/api/v1/licences", {"q": "x"}).status_code == 422


def test_the_public_check_is_rate_limited(client, places):
    url = reverse("organizers:licence_check")
    statuses = [client.get(url, {"q": "zgo"}).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
    api = [client.get("/api/v1/licences", {"q": "zgo"}).status_code for _ in range(31)]
    assert api[-1] == 429 and set(api[:30]) == {200}


def test_the_ministry_registers_and_licenses_through_the_pages(client, places):
    officer = factories.ministry()
    client.force_login(officer)
    response = client.post(reverse("organizers:create"), {
        "legal_name": "Hussaini Tours", "licence_number": "ZGO-9", "head_office_city": "karachi",
        "phone": "021 3456 7890", "email": "h@example.org"})  # fmt: skip
    organiser = Organiser.objects.get(licence_number="ZGO-9")
    assert response.status_code == 302 and str(organiser.uid) in response["Location"]
    status_url = reverse("organizers:status", args=[organiser.uid])
    page = client.get(status_url, {"to": "vetted"}).content.decode()
    assert "Record the decision" in page
    unconfirmed = client.post(status_url, {"to_status": "vetted", "reason": "ok"})
    assert unconfirmed.status_code == 422
    organiser.refresh_from_db()
    assert organiser.status == LicenceStatus.APPLIED
    done = client.post(
        status_url, {"to_status": "vetted", "reason": "Papers checked", "confirm": "on"}
    )
    assert done.status_code == 302
    organiser.refresh_from_db()
    assert organiser.status == LicenceStatus.VETTED
    detail = client.get(reverse("organizers:detail", args=[organiser.uid])).content.decode()
    assert "Papers checked" in detail


def test_a_registration_form_with_errors_names_the_fields(client, places):
    client.force_login(factories.ministry())
    response = client.post(
        reverse("organizers:create"), {"legal_name": "", "licence_number": "x" * 41}
    )
    assert response.status_code == 422
    assert response.content.decode().count("invalid-feedback") >= 3


def test_the_organiser_list_filters_and_counts(client, places, django_assert_max_num_queries):
    factories.organiser("ZGO-1", legal_name="Alpha")
    factories.organiser("ZGO-2", legal_name="Beta", status=LicenceStatus.SUSPENDED)
    factories.organiser("ZGO-3", legal_name="Gamma", city="karachi")
    client.force_login(factories.ministry())
    with django_assert_max_num_queries(10):
        page = client.get(reverse("organizers:list"), {"status": "suspended"}).content.decode()
    assert "Beta" in page and "Alpha" not in page
    page = client.get(reverse("organizers:list"), {"city": "karachi"}).content.decode()
    assert "Gamma" in page and "Beta" not in page


def test_suspended_organiser_staff_see_why(client, places):
    organiser = factories.organiser(
        status=LicenceStatus.SUSPENDED, status_reason="Unpaid guarantee"
    )
    client.force_login(factories.user("staff", Role.ORGANISER_STAFF, organiser))
    page = client.get(reverse("organizers:home")).content.decode()
    assert "Unpaid guarantee" in page and "submit nothing new" in page


def test_organiser_users_see_their_own_organiser_only(places):
    mine, theirs = factories.organiser("ZGO-M"), factories.organiser("ZGO-T")
    staff = factories.user("staff", Role.ORGANISER_STAFF, mine)
    assert selectors.organiser_get_for(actor=staff, uid=mine.uid) == mine
    from zaireen.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.organiser_get_for(actor=staff, uid=theirs.uid)


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="SQLite takes one writer at a time; the race needs PostgreSQL (make test-postgres)",
)
@pytest.mark.django_db(transaction=True)
def test_two_registrations_of_one_licence_number_at_once_leave_one(places):
    """Both pass the uniqueness check; the database's constraint decides, with a clear error."""
    import threading

    officer = factories.ministry()
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(name):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            register(officer, legal_name=name)
            outcomes.append("ok")
        except ValidationFailed as exc:
            outcomes.append(exc.errors)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in ("One", "Two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, outcomes)).count("ok") == 1
    assert Organiser.objects.count() == 1
    assert any(isinstance(o, dict) and "licence_number" in o for o in outcomes)
