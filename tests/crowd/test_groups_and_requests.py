"""Groups (a vehicle's passengers or a leader's sub-group of at most 60), requests by hand
and from itineraries, the deadline, and the Hijri re-check of published slots."""

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tests import factories
from tests.crowd.conftest import at, make_group
from tests.test_trips import errors_of
from zaireen.core.errors import NotFound
from zaireen.core.roles import Role
from zaireen.crowd import selectors, services
from zaireen.crowd.models import Booking, RequestSource, RequestStatus, VisitRequest
from zaireen.crowd.visits import PlannedZoneVisit, adapt, split_site_visits
from zaireen.planning.services import hijri_offsets_set
from zaireen.trips.models import Member


def leader_of(trip):
    with scopes_disabled():
        return Member.objects.filter(trip=trip, role="leader").first()


def test_a_leaders_sub_group_is_at_most_sixty_and_never_more_than_the_trip(org):
    leader = leader_of(org.trip)
    make = lambda size, label="": services.group_create(  # noqa: E731
        actor=org.staff,
        trip_uid=org.trip.uid,
        kind="subgroup",
        leader_uid=leader.uid,
        size=size,
        label=label,
    )
    assert "60" in errors_of(lambda: make(61))["size"][0]
    group = make(5)
    assert group.size == 5 and group.label.endswith("'s group")
    errors = errors_of(lambda: make(4, "Second"))  # 5 + 4 > 8 members
    assert "8 members" in errors["size"][0]
    assert "label" in errors_of(lambda: make(1, group.label))
    assert make(3, "Second").size == 3
    with scopes_disabled():
        not_a_leader = Member.objects.filter(trip=org.trip, role="pilgrim").first()
    assert "leader" in errors_of(
        lambda: services.group_create(
            actor=org.staff,
            trip_uid=org.trip.uid,
            kind="subgroup",
            leader_uid=not_a_leader.uid,
            size=1,
        )
    )


def test_a_vehicles_group_is_its_seated_passengers(org):
    from zaireen.trips import logistics

    leg = logistics.leg_add(
        actor=org.staff,
        trip_uid=org.trip.uid,
        kind="road",
        from_city="najaf",
        to_city="karbala",
        date=org.trip.departure_date + dt.timedelta(days=2),
    )
    bus = logistics.vehicle_add(
        actor=org.staff,
        trip_uid=org.trip.uid,
        leg_uid=leg.uid,
        kind="bus",
        plate="KRB 1234",
        driver_name="Haidar Kadhim",
        driver_phone="+9647701234567",
        seats=50,
    )
    make = lambda: services.group_create(  # noqa: E731
        actor=org.staff, trip_uid=org.trip.uid, kind="vehicle", vehicle_uid=bus.uid
    )
    assert "nobody is seated" in errors_of(make)["vehicle"][0]
    logistics.seats_assign(actor=org.staff, trip_uid=org.trip.uid, leg_uid=leg.uid)
    group = make()
    assert (group.size, group.label, group.vehicle_id) == (8, "Bus KRB 1234", bus.pk)


def test_another_organiser_never_sees_the_groups(org):
    group = make_group(org.trip, 5, "A")
    with pytest.raises(NotFound):
        selectors.group_get_for(actor=org.other, uid=group.uid)
    with pytest.raises(NotFound):
        services.group_create(
            actor=org.other,
            trip_uid=org.trip.uid,
            kind="subgroup",
            leader_uid=leader_of(org.trip).uid,
            size=1,
        )


def test_requests_close_at_the_deadline_and_reopen_as_late_after_publication(plan, planner, org):
    group = make_group(org.trip, 5, "A")
    services.plan_deadline_set(
        actor=planner, plan_uid=plan.uid, request_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    ask = lambda: services.request_create(  # noqa: E731
        actor=org.staff,
        plan_uid=plan.uid,
        group_uid=group.uid,
        zone_slug="imam-husayn-sanctuary",
        preferred_at=at(plan, 40),
    )
    assert "deadline" in errors_of(ask)["plan"][0]
    services.plan_publish(actor=planner, plan_uid=plan.uid)
    assert ask().late


def test_a_request_outside_the_horizon_or_in_a_zone_not_in_use_is_refused(plan, org):
    group = make_group(org.trip, 5, "A")
    ask = lambda zone, slot: services.request_create(  # noqa: E731
        actor=org.staff,
        plan_uid=plan.uid,
        group_uid=group.uid,
        zone_slug=zone,
        preferred_at=at(plan, slot),
    )
    assert "zone" in errors_of(lambda: ask("al-askari-haram", 40))
    assert "preferred_at" in errors_of(lambda: ask("imam-husayn-sanctuary", plan.slots - 1))
    assert "earliest_at" in errors_of(lambda: ask("imam-husayn-sanctuary", -1))
    big = make_group(org.trip, 60, "Big")  # quota 60 in the sanctuary: fits; 120 in Najaf
    assert (
        services.request_create(
            actor=org.staff,
            plan_uid=plan.uid,
            group_uid=big.uid,
            zone_slug="imam-husayn-sanctuary",
            preferred_at=at(plan, 40),
        ).duration_slots
        == 2
    )


def visits_for(plan):
    """Najaf on the eve, then the Husayn shrine (both zones) and al-Abbas on the day."""

    def visit(zone, slot, minutes, site, before=4, after=8):
        return PlannedZoneVisit(
            zone=zone,
            start=at(plan, slot),
            earliest=at(plan, slot - before),
            latest=at(plan, slot + after),
            duration_minutes=minutes,
            site=site,
        )

    return [
        visit("imam-ali-haram", 70, 60, "imam-ali-shrine"),
        visit("imam-husayn-courtyard", 140, 60, "imam-husayn-shrine"),
        visit("imam-husayn-sanctuary", 140, 60, "imam-husayn-shrine"),
        visit("al-abbas-haram", 150, 45, "al-abbas-shrine"),
        visit("great-mosque-of-kufa", 20, 60, "great-mosque-of-kufa"),  # not in use: no slot
    ]


def test_requests_from_planned_visits_one_per_group_and_zone(plan, org):
    make_group(org.trip, 4, "Bus 1")
    make_group(org.trip, 4, "Bus 2")
    summary = services.requests_from_visits(
        actor=org.staff, plan_uid=plan.uid, trip_uid=org.trip.uid, visits=visits_for(plan)
    )
    assert summary.created == 6 and not summary.skipped
    with scopes_disabled():
        rows = list(
            VisitRequest.objects.filter(plan=plan, group__label="Bus 1")
            .select_related("capacity__zone")
            .order_by("preferred_at")
        )
    assert [(r.capacity.zone.slug, r.duration_slots) for r in rows] == [
        ("imam-ali-haram", 4),
        ("imam-husayn-sanctuary", 4),
        ("al-abbas-haram", 3),
    ]
    assert {r.source for r in rows} == {RequestSource.ITINERARY}
    assert rows[1].earliest_at == at(plan, 136) and rows[1].latest_at == at(plan, 148)
    again = services.requests_from_visits(
        actor=org.staff, plan_uid=plan.uid, trip_uid=org.trip.uid, visits=visits_for(plan)
    )
    assert again.replaced == 6
    with scopes_disabled():
        assert VisitRequest.objects.filter(status=RequestStatus.SUBMITTED).count() == 6
    built = services.instance_build(plan)
    assert len(built.document["groups"]) == 2 and not built.dropped


def test_a_sites_zones_share_the_visit_in_turn():
    start = dt.datetime(2027, 8, 5, 10, tzinfo=dt.UTC)
    rows = [
        PlannedZoneVisit("b", start, start, start + dt.timedelta(hours=1), 60, site="s"),
        PlannedZoneVisit("a", start, start, start + dt.timedelta(hours=1), 60, site="s"),
    ]
    split = split_site_visits(rows, {"a", "b"})
    assert [(v.zone, v.start.hour, v.start.minute, v.duration_minutes) for v in split] == [
        ("a", 10, 0, 30),
        ("b", 10, 30, 30),
    ]
    assert split_site_visits(rows, {"b"}) == [rows[0]]


def test_the_itinerary_planners_zone_visit_is_read_field_by_field():
    start = dt.datetime(2027, 8, 5, 10, tzinfo=dt.UTC)
    item = {
        "zone": "imam-husayn-sanctuary",
        "site": "imam-husayn-shrine",
        "start": start,
        "window_start": start - dt.timedelta(hours=1),
        "window_end": start + dt.timedelta(hours=3),
        "minutes": 60,
    }
    visit = adapt(item)
    assert visit.latest == start + dt.timedelta(hours=2)  # ends by the window's end
    assert visit.earliest == start - dt.timedelta(hours=1)
    assert visit.duration_minutes == 60 and visit.site == "imam-husayn-shrine"
    assert adapt({"start": start}) is None


def test_requests_from_the_saved_itinerary_need_the_groups_first(plan, org):
    errors = errors_of(
        lambda: services.requests_from_itinerary(
            actor=org.staff, plan_uid=plan.uid, trip_uid=org.trip.uid
        )
    )
    assert "trip" in errors or "groups" in errors


def test_a_hijri_offset_change_flags_the_published_slots_it_moves(
    plan, planner, org, django_capture_on_commit_callbacks
):
    group = make_group(org.trip, 5, "A")
    services.plan_publish(actor=planner, plan_uid=plan.uid)
    request = services.request_create(
        actor=org.staff,
        plan_uid=plan.uid,
        group_uid=group.uid,
        zone_slug="imam-husayn-sanctuary",
        preferred_at=at(plan, 100),
    )
    booking = services.booking_create(actor=org.staff, request_uid=request.uid)
    ministry = factories.user("ministry", Role.MINISTRY_OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        hijri_offsets_set(
            actor=ministry,
            changes={(1449, 2): 1, (1449, 3): 1},
            reason="Moon sighted a day later in Najaf",
        )
    with django_capture_on_commit_callbacks(execute=True):
        pass  # the subscriber enqueued the re-check job on commit; it ran inline
    with scopes_disabled():
        booking = Booking.objects.get(pk=booking.pk)
    plan.refresh_from_db()
    assert booking.flagged
    assert "Arbaeen" in booking.flag_reason and "old date" in booking.flag_reason
    assert plan.occasion_start == plan.starts_at.astimezone(selectors.IRAQ).date() + dt.timedelta(
        days=2
    )
    assert "flagged" in plan.calendar_note
    slots = selectors.trip_slots_for(actor=org.staff, trip=org.trip)
    assert slots[0].flagged
    assert services.flags_clear(actor=planner, plan_uid=plan.uid, reason="Shrine keeps it") == 1
