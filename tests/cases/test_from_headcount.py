"""Cases from closed headcounts: the leader's request (safety) becomes a case, once."""

import pytest
from django_scopes import scopes_disabled

from zaireen.cases import services
from zaireen.cases.models import Case, CaseEvent
from zaireen.safety import services as safety
from zaireen.safety.models import CaseRequest, Headcount
from zaireen.safety.selectors import last_seen


def count(phone, *, present, missing, label):
    """Open a headcount on `phone`, mark `present`, close it with `missing` named."""
    headcount, opened = phone.open(kind="site_exit", label=label)
    marks = [phone.mark(headcount, m) for m in present]
    close = phone.close(headcount, depart_anyway=True, missing=missing)
    phone.sync(opened, *marks, close)
    return headcount


@pytest.fixture
def missing_at_gate(people, phone_of):
    w = people
    phone = phone_of(w.leaders[0], w.trip)
    everyone = w.members
    first = count(phone, present=everyone, missing=[], label="Bab al-Qibla")
    second = count(phone, present=[m for m in everyone if m != w.missing], missing=[w.missing],
                   label="Bab al-Kafeel")  # fmt: skip
    w.phone, w.first, w.second = phone, first, second
    return w


def test_a_request_at_a_closed_headcount_becomes_a_case_with_where_they_were_last_seen(
    missing_at_gate,
):
    w = missing_at_gate
    request = safety.case_request(actor=w.leaders[0], headcount_uid=w.second,
                                  member_uid=w.missing.uid)  # fmt: skip
    # The request opens the case at once; the periodic sweep finds nothing left to do.
    assert services.case_requests_consume() == 0
    with scopes_disabled():
        case = Case.objects.get(member=w.missing)
        first = Headcount.objects.get(uid=w.first)
        opened = CaseEvent.objects.get(case=case, kind="opened")
    assert case.headcount.uid == w.second
    assert case.opened_by == w.leaders[0]  # the requester
    assert case.last_seen_place == str(first) and "Bab al-Qibla" in case.last_seen_place
    assert case.last_seen_at is not None
    assert opened.case_request_id == request.pk and "Bab al-Kafeel" in opened.note
    # Consumed once: the sweep and a direct call find it done.
    assert services.case_requests_consume() == 0
    assert services.case_from_request(request_id=request.pk).pk == case.pk
    with scopes_disabled():
        assert Case.objects.count() == 1


def test_missing_again_while_a_case_is_open_joins_that_case(missing_at_gate):
    w = missing_at_gate
    safety.case_request(actor=w.leaders[0], headcount_uid=w.second, member_uid=w.missing.uid)
    services.case_requests_consume()
    third = count(w.phone, present=[m for m in w.members if m != w.missing],
                  missing=[w.missing], label="Hotel lobby")  # fmt: skip
    request = safety.case_request(actor=w.staff, headcount_uid=third, member_uid=w.missing.uid)
    case = services.case_from_request(request_id=request.pk, actor=w.staff)
    with scopes_disabled():
        assert Case.objects.count() == 1
        notes = list(
            CaseEvent.objects.filter(case=case, kind="note").values_list("note", flat=True)
        )
        assert CaseRequest.objects.filter(case_event__isnull=True).count() == 0
    assert any("Hotel lobby" in n for n in notes)


def test_last_seen_ignores_a_mark_that_was_undone(missing_at_gate):
    w = missing_at_gate
    headcount, opened = w.phone.open(kind="hotel", label="Wrong tick")
    mark = w.phone.mark(headcount, w.missing)
    w.phone.sync(opened, mark, w.phone.unmark(headcount, mark))
    seen = last_seen([w.missing.pk, w.members[3].pk])
    assert "Bab al-Qibla" in seen[w.missing.pk].checkpoint
    assert "Bab al-Kafeel" in seen[w.members[3].pk].checkpoint


def test_a_request_about_a_member_home_by_now_is_not_turned_into_a_case(missing_at_gate):
    from django.utils import timezone

    from zaireen.trips.models import Member

    w = missing_at_gate
    with scopes_disabled():
        # A request left for the sweep (made before cases existed, or its case failed to open).
        CaseRequest.objects.create(
            organiser=w.trip.organiser,
            headcount=Headcount.objects.get(uid=w.second),
            member=w.missing,
            requested_by=w.leaders[0],
        )
        Member.objects.filter(pk=w.missing.pk).update(active=False, returned_at=timezone.now())
    assert services.case_requests_consume() == 0
    with scopes_disabled():
        assert not Case.objects.exists()
