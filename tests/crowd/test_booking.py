"""Live booking after publication: first come first served from what is left, cancellations,
swaps, the waitlist with offers in order, and expiry of unanswered offers."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.crowd.conftest import at, make_group
from tests.test_trips import errors_of
from zaireen.core.errors import CapacityExceeded, Conflict, NotFound
from zaireen.core.models import AuditEntry
from zaireen.crowd import selectors, services
from zaireen.crowd.models import Booking, BookingStatus, SlotCell, WaitlistEntry, WaitStatus

SANCTUARY = "imam-husayn-sanctuary"  # quota 60 per slot, visits of 2 slots


@pytest.fixture
def live(plan, planner):
    services.plan_publish(actor=planner, plan_uid=plan.uid)
    plan.refresh_from_db()
    return plan


def late_request(plan, org, size, label, slot=40, spread=0, zone=SANCTUARY, staff=None):
    group = make_group(org.trip, size, label)
    return services.request_create(
        actor=staff or org.staff,
        plan_uid=plan.uid,
        group_uid=group.uid,
        zone_slug=zone,
        preferred_at=at(plan, slot),
        earliest_at=at(plan, slot - spread),
        latest_at=at(plan, slot + spread),
    )


def booked(plan, slot):
    capacity = plan.capacities.get(zone__slug=SANCTUARY)
    return SlotCell.objects.get(capacity=capacity, slot=slot).booked


def test_a_late_request_is_booked_at_the_nearest_free_start(live, org):
    first = late_request(live, org, 40, "A", spread=4)
    second = late_request(live, org, 40, "B", spread=4)
    assert first.late
    a = services.booking_create(actor=org.staff, request_uid=first.uid)
    b = services.booking_create(actor=org.staff, request_uid=second.uid)
    assert a.start_slot == 40
    assert b.start_slot in (38, 42)  # 39 and 41 overlap A's two slots
    assert booked(live, 40) == 40 and booked(live, b.start_slot) == 40
    assert selectors.counters_match(live)
    with scopes_disabled():
        entries = AuditEntry.objects.filter(action="zaireen.crowd.booking.booked")
        assert {e.organiser_id for e in entries} == {org.organiser.pk}
        assert entries.count() == 2


def test_a_full_slot_is_refused_and_nothing_is_half_taken(live, org):
    services.booking_create(actor=org.staff, request_uid=late_request(live, org, 40, "A").uid)
    second = late_request(live, org, 40, "B")  # window of one start: slot 40
    with pytest.raises(CapacityExceeded):
        services.booking_create(actor=org.staff, request_uid=second.uid)
    with pytest.raises(CapacityExceeded):
        services.booking_create(actor=org.staff, request_uid=second.uid, start_slot=40)
    assert booked(live, 40) == 40 and booked(live, 41) == 40


def test_a_start_outside_the_window_names_the_field(live, org):
    request = late_request(live, org, 10, "A", spread=2)
    errors = errors_of(
        lambda: services.booking_create(actor=org.staff, request_uid=request.uid, start_slot=50)
    )
    assert "window" in errors["start"][0]


def test_one_group_is_never_in_two_zones_at_once(live, org):
    group = make_group(org.trip, 10, "A")
    najaf = services.request_create(
        actor=org.staff,
        plan_uid=live.uid,
        group_uid=group.uid,
        zone_slug="imam-ali-haram",
        preferred_at=at(live, 40),
        latest_at=at(live, 60),
    )
    karbala = services.request_create(
        actor=org.staff,
        plan_uid=live.uid,
        group_uid=group.uid,
        zone_slug=SANCTUARY,
        preferred_at=at(live, 40),
        latest_at=at(live, 60),
    )
    services.booking_create(actor=org.staff, request_uid=najaf.uid, start_slot=40)
    errors = errors_of(
        lambda: services.booking_create(actor=org.staff, request_uid=karbala.uid, start_slot=43)
    )
    assert "elsewhere" in errors["start"][0]
    second = services.booking_create(actor=org.staff, request_uid=karbala.uid)
    assert second.start_slot == 40 + 2 + 4  # the visit, then an hour's drive


def test_the_database_refuses_an_oversold_cell(live, org):
    capacity = live.capacities.get(zone__slug=SANCTUARY)
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotCell.objects.filter(capacity=capacity, slot=10).update(booked=61)


def test_cancelling_offers_the_places_to_the_waitlist_in_order(
    live, org, django_capture_on_commit_callbacks
):
    holder = late_request(live, org, 50, "Holder")
    booking = services.booking_create(actor=org.staff, request_uid=holder.uid)
    first = late_request(live, org, 30, "First")
    second = late_request(live, org, 30, "Second")
    third = late_request(live, org, 30, "Third")
    for request in (first, second, third):
        with pytest.raises(CapacityExceeded):
            services.booking_create(actor=org.staff, request_uid=request.uid)
        with django_capture_on_commit_callbacks(execute=True):
            services.waitlist_join(actor=org.staff, request_uid=request.uid)
    with scopes_disabled():
        assert not Booking.objects.filter(status=BookingStatus.OFFERED).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=org.staff, uid=booking.uid)
    with scopes_disabled():
        offers = {b.request_id: b for b in Booking.objects.filter(status=BookingStatus.OFFERED)}
        states = dict(WaitlistEntry.objects.values_list("request_id", "status"))
    assert set(offers) == {first.pk, second.pk}  # 60 places: the first two in line
    assert states[third.pk] == WaitStatus.WAITING
    assert booked(live, 40) == 60  # offers hold their places
    accepted = services.offer_accept(actor=org.staff, uid=offers[first.pk].uid)
    assert accepted.status == BookingStatus.BOOKED
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_decline(actor=org.staff, uid=offers[second.pk].uid)
    with scopes_disabled():
        assert Booking.objects.get(request=third, status=BookingStatus.OFFERED)
    assert selectors.counters_match(live)


def test_an_unanswered_offer_expires_and_goes_to_the_next_in_line(
    live, org, django_capture_on_commit_callbacks
):
    holder = late_request(live, org, 50, "Holder")
    booking = services.booking_create(actor=org.staff, request_uid=holder.uid)
    first, second = late_request(live, org, 40, "First"), late_request(live, org, 40, "Second")
    for request in (first, second):
        services.waitlist_join(actor=org.staff, request_uid=request.uid)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=org.staff, uid=booking.uid)
    with scopes_disabled():
        offer = Booking.objects.get(status=BookingStatus.OFFERED)
    assert offer.request_id == first.pk
    assert services.offers_expire() == 0  # not yet due
    with django_capture_on_commit_callbacks(execute=True):
        released = services.offers_expire(now=timezone.now() + dt.timedelta(minutes=31))
    assert released == 1
    with scopes_disabled():
        offer.refresh_from_db()
        assert offer.status == BookingStatus.RELEASED
        assert Booking.objects.get(status=BookingStatus.OFFERED).request_id == second.pk
        assert WaitlistEntry.objects.get(request=first).status == WaitStatus.LEFT
    with pytest.raises(Exception, match="no open offer"):
        services.offer_accept(actor=org.staff, uid=offer.uid)
    assert selectors.counters_match(live)


def test_a_swap_takes_a_free_start_and_gives_the_old_one_back(live, org):
    request = late_request(live, org, 40, "A", spread=8)
    booking = services.booking_create(actor=org.staff, request_uid=request.uid, start_slot=40)
    blocker = late_request(live, org, 40, "B", slot=44)
    services.booking_create(actor=org.staff, request_uid=blocker.uid, start_slot=44)
    with pytest.raises(CapacityExceeded):
        services.booking_swap(actor=org.staff, uid=booking.uid, start_slot=45)
    assert booked(live, 40) == 40  # a refused swap keeps the old slot
    moved = services.booking_swap(actor=org.staff, uid=booking.uid, start_slot=41)
    assert moved.start_slot == 41
    assert [booked(live, s) for s in (40, 41, 42)] == [0, 40, 40]
    assert selectors.counters_match(live)


def test_another_organiser_cannot_touch_a_booking(live, org):
    booking = services.booking_create(
        actor=org.staff, request_uid=late_request(live, org, 5, "A").uid
    )
    for call in (
        lambda: services.booking_cancel(actor=org.other, uid=booking.uid),
        lambda: services.booking_swap(actor=org.other, uid=booking.uid, start_slot=41),
        lambda: services.booking_create(actor=org.other, request_uid=booking.request.uid),
    ):
        with pytest.raises(NotFound):
            call()


def test_a_request_has_one_slot_at_a_time(live, org):
    request = late_request(live, org, 5, "A", spread=4)
    services.booking_create(actor=org.staff, request_uid=request.uid)
    with pytest.raises(Conflict):
        services.booking_create(actor=org.staff, request_uid=request.uid, start_slot=44)


def test_withdrawing_a_request_frees_its_slot(live, org):
    request = late_request(live, org, 40, "A")
    services.booking_create(actor=org.staff, request_uid=request.uid)
    services.request_withdraw(actor=org.staff, uid=request.uid)
    assert booked(live, 40) == 0


def test_a_waiting_request_booked_directly_is_served_and_offered_nothing(
    live, org, django_capture_on_commit_callbacks
):
    holder = late_request(live, org, 50, "Holder")
    held = services.booking_create(actor=org.staff, request_uid=holder.uid)
    waiting = late_request(live, org, 30, "Waiting", spread=4)
    services.waitlist_join(actor=org.staff, request_uid=waiting.uid)
    direct = services.booking_create(actor=org.staff, request_uid=waiting.uid)  # room elsewhere
    assert direct.start_slot != 40
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=org.staff, uid=held.uid)
    with scopes_disabled():
        assert WaitlistEntry.objects.get(request=waiting).status == WaitStatus.SERVED
        assert not Booking.objects.filter(status=BookingStatus.OFFERED).exists()


def _statements(queries) -> list[str]:
    """The statements a booking sent, without the test's savepoints (BEGIN and COMMIT in
    production, which Django does not capture)."""
    return [
        q["sql"][:70]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_the_booking_path_keeps_its_statement_count(live, org):
    """The booking path is the hot one (docs/crowd.md, Benchmark): on PostgreSQL the nearest
    free start is read under the group lock in the same round trip, so a booking is the
    request, one locked read, the booking, its audit entry and the take."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    postgres = connection.vendor == "postgresql"
    nearest = late_request(live, org, 40, "A", spread=4)
    named = late_request(live, org, 40, "B", spread=4)
    with CaptureQueriesContext(connection) as queries:
        a = services.booking_create(actor=org.staff, request_uid=nearest.uid)
    statements = _statements(queries)
    assert len(statements) == (5 if postgres else 8), statements
    with CaptureQueriesContext(connection) as queries:
        b = services.booking_create(actor=org.staff, request_uid=named.uid, start_slot=42)
    statements = _statements(queries)
    # the named start is first checked by one read without a transaction
    assert len(statements) == (6 if postgres else 8), statements
    assert (a.start_slot, b.start_slot) == (40, 42)
    assert selectors.counters_match(live)
