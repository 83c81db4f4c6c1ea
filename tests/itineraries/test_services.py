"""Planning through the service: the saved plan, the trip's legs, refused edits, re-checks
after a Hijri offset change, and the visits the slot scheduler books."""

from __future__ import annotations

import datetime as dt

import pytest
from django_scopes import scopes_disabled

from tests.itineraries.conftest import IRAQ, arbaeen_trip, plan_data
from tests.itineraries.pure import arbaeen
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.models import AuditEntry
from zaireen.itineraries import selectors, services
from zaireen.itineraries.models import Itinerary
from zaireen.itineraries.planner import Kind, Rule, base
from zaireen.planning import hijri
from zaireen.planning.services import hijri_offsets_set
from zaireen.trips.logistics import vehicle_add
from zaireen.trips.models import TripLeg


def _audits(action: str) -> int:
    with scopes_disabled():
        return AuditEntry.objects.filter(action=action).count()


def _saved(pk) -> Itinerary:
    with scopes_disabled():
        return Itinerary.objects.get(pk=pk)


def _legs(trip):
    return [
        (leg.kind, leg.from_city.slug, leg.to_city.slug, leg.date)
        for leg in TripLeg.objects.filter(trip=trip).select_related("from_city", "to_city")
    ]


def test_planning_saves_the_plan_and_fills_the_trips_legs(org, trip, planned):
    plan = selectors.plan_of(planned)
    a = arbaeen().start
    assert planned.occasion == "arbaeen" and planned.version == 1
    assert [s.city for s in plan.stays] == ["najaf", "karbala", "kadhimiya"]
    legs = _legs(trip)
    assert legs[0] == ("flight", "lahore", "najaf", a - dt.timedelta(days=3))
    assert legs[-1] == ("flight", "baghdad", "lahore", a + dt.timedelta(days=4))
    roads = [leg[1:3] for leg in legs if leg[0] == "road"]
    assert ("najaf", "karbala") in roads  # ends at the vehicle stop outside Karbala
    assert ("najaf", "kufa") in roads and ("kufa", "najaf") in roads  # the day trip
    assert roads[-1] == ("kadhimiya", "baghdad")  # to Baghdad airport
    assert [leg.position for leg in TripLeg.objects.filter(trip=trip)] == list(
        range(1, len(legs) + 1)
    )
    assert _audits("zaireen.itinerary.planned") == 1


def test_planning_again_keeps_the_vehicles_of_legs_that_still_match(org, trip, planned):
    leg = TripLeg.objects.get(trip=trip, kind="road", from_city__slug="karbala")
    vehicle_add(
        actor=org.staff,
        trip_uid=trip.uid,
        leg_uid=leg.uid,
        kind="bus",
        plate="KRB 1",
        driver_name="Ali",
        driver_phone="+9647701234567",
        seats=40,
    )
    again = services.itinerary_plan(actor=org.staff, trip_uid=trip.uid, data=plan_data(trip))
    assert again.version == 2
    assert TripLeg.objects.get(pk=leg.pk).vehicles.count() == 1
    # A wheelchair plan goes to Karbala first: the leg with the bus is gone, so it is refused.
    with pytest.raises(ValidationFailed) as refused:
        services.itinerary_plan(
            actor=org.staff, trip_uid=trip.uid, data=plan_data(trip, needs="wheelchair")
        )
    assert "vehicles" in refused.value.errors["legs"][0]
    assert _saved(again.pk).version == 2


def test_a_wheelchair_plan_through_the_service_keeps_its_walking_limit(org, trip):
    saved = services.itinerary_plan(
        actor=org.staff, trip_uid=trip.uid, data=plan_data(trip, needs="wheelchair")
    )
    plan = selectors.plan_of(saved)
    assert plan.of_kind(Kind.WALK) == []
    outdoor = sum(it.minutes for it in plan.items if it.kind == Kind.VISIT and it.outdoor)
    assert outdoor <= 30 * len(plan.days())
    assert [u.rule for u in plan.unmet] == [Rule.WALKING_LIMIT]


def test_a_plan_that_breaks_a_rule_is_refused_on_its_field(org, trip):
    with pytest.raises(ValidationFailed) as refused:
        services.itinerary_plan(
            actor=org.staff,
            trip_uid=trip.uid,
            data=plan_data(trip, stays=(("najaf", 2), ("karbala", 2))),
        )
    assert "hotel nights" in refused.value.errors["stays"][0]
    with pytest.raises(ValidationFailed) as refused:
        services.itinerary_plan(
            actor=org.staff, trip_uid=trip.uid, data=plan_data(trip, occasion="ashura")
        )
    assert refused.value.errors["occasion"]
    with scopes_disabled():
        assert not Itinerary.objects.exists()
    assert not TripLeg.objects.filter(trip=trip).exists()


def test_only_the_trips_organiser_plans_it(org, trip):
    with pytest.raises(NotFound):
        services.itinerary_plan(actor=org.other, trip_uid=trip.uid, data=plan_data(trip))
    with pytest.raises(NotAllowed):
        services.itinerary_plan(actor=org.ministry, trip_uid=trip.uid, data=plan_data(trip))


def test_an_edit_that_breaks_a_rule_is_refused_with_the_rule(org, trip, planned):
    plan = selectors.plan_of(planned)
    road = next(it for it in plan.of_kind(Kind.ROAD) if base(it.city) == "kadhimiya")
    night = dt.datetime.combine(road.day, dt.time(23, 30), tzinfo=IRAQ)
    with pytest.raises(ValidationFailed) as refused:
        services.itinerary_edit(
            actor=org.staff, trip_uid=trip.uid, op="move", item=road.key, start=night
        )
    assert "no road at night" in refused.value.errors["start"][0]
    assert _saved(planned.pk).version == planned.version
    # A visit moved out of its shrine's opening hours names that rule.
    visit = next(it for it in plan.of_kind(Kind.VISIT) if it.site == "imam-ali-shrine")
    with pytest.raises(ValidationFailed) as refused:
        services.itinerary_edit(
            actor=org.staff,
            trip_uid=trip.uid,
            op="move",
            item=visit.key,
            start=dt.datetime.combine(visit.day, dt.time(4, 0), tzinfo=IRAQ),
        )
    assert "opening hours" in refused.value.errors["start"][0]


def test_edits_that_keep_the_rules_are_saved_and_fill_the_legs(org, trip, planned):
    plan = selectors.plan_of(planned)
    legs_before = _legs(trip)
    visit = next(it for it in plan.of_kind(Kind.VISIT) if it.site == "masjid-al-sahla")
    saved = services.itinerary_edit(actor=org.staff, trip_uid=trip.uid, op="remove", item=visit.key)
    after = selectors.plan_of(saved)
    assert "masjid-al-sahla" not in {it.site for it in after.of_kind(Kind.VISIT)}
    assert [(u.site, u.rule) for u in after.unmet] == [("masjid-al-sahla", Rule.REMOVED)]
    assert _legs(trip) == legs_before  # the day trip to Kufa still visits the mosque there


def test_adding_a_visit_where_the_group_is_not_is_refused(org, trip, planned):
    karbala_day = arbaeen().start + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        services.itinerary_edit(
            actor=org.staff,
            trip_uid=trip.uid,
            op="add",
            site="masjid-al-sahla",
            start=dt.datetime.combine(karbala_day, dt.time(9, 0), tzinfo=IRAQ),
        )
    assert "the group is where the stop is" in refused.value.errors["start"][0]
    saved = services.itinerary_edit(
        actor=org.staff,
        trip_uid=trip.uid,
        op="add",
        site="tal-al-zainabiya",
        start=dt.datetime.combine(karbala_day, dt.time(9, 0), tzinfo=IRAQ),
    )
    added = [
        it for it in selectors.plan_of(saved).of_kind(Kind.VISIT) if it.site == "tal-al-zainabiya"
    ]
    assert added and added[0].by_organiser


def _offsets_moving_arbaeen(year: int, days: int) -> dict:
    """The smallest chain of month offsets from Safar on that `check_offsets` accepts."""
    table = {(year, 2): days}
    month = 2
    while hijri.check_offsets(table) and month < 12:
        month += 1
        table[(year, month)] = days
    assert not hijri.check_offsets(table)
    return table


def test_an_offset_change_flags_the_saved_plans_it_breaks(org, django_capture_on_commit_callbacks):
    # Karbala for two nights only: the day before Arbaeen and Arbaeen itself.
    trip = arbaeen_trip(org.admin, hotels=(("najaf", 2), ("karbala", 2), ("kadhimiya", 3)))
    saved = services.itinerary_plan(actor=org.staff, trip_uid=trip.uid, data=plan_data(trip))
    untouched = arbaeen_trip(org.admin)  # four nights in Karbala: a day later still fits
    kept = services.itinerary_plan(
        actor=org.staff, trip_uid=untouched.uid, data=plan_data(untouched)
    )
    with django_capture_on_commit_callbacks(execute=True):
        hijri_offsets_set(
            actor=org.ministry,
            changes=_offsets_moving_arbaeen(1448, 1),
            reason="Moon sighted a day later (test)",
        )
    saved.refresh_from_db()
    kept.refresh_from_db()
    assert saved.broken_rule in (Rule.OCCASION_ARRIVAL, Rule.VEHICLE_STOP)
    assert "Arbaeen" in saved.broken_message or "vehicles" in saved.broken_message
    assert kept.broken_rule == ""
    assert _audits("zaireen.itinerary.broken") == 1
    # Planning again under the new calendar clears the flag.
    again = services.itinerary_plan(
        actor=org.staff,
        trip_uid=trip.uid,
        data=plan_data(trip, stays=(("najaf", 2), ("karbala", 3), ("kadhimiya", 2))),
    )
    assert again.broken_rule == ""


def test_zone_visits_give_each_planned_visit_its_zone_window_and_duration(org, trip, planned):
    rows = selectors.zone_visits(trip)
    by_zone = {r.zone: r for r in rows}
    assert {"imam-husayn-sanctuary", "imam-husayn-courtyard", "imam-ali-haram"} <= set(by_zone)
    husayn = by_zone["imam-husayn-sanctuary"]
    assert husayn.site == "imam-husayn-shrine" and husayn.minutes == 120
    assert husayn.window_start <= husayn.start
    assert husayn.start + dt.timedelta(minutes=husayn.minutes) <= husayn.window_end
    assert husayn.start.tzinfo is not None and husayn.trip == trip.uid
    with scopes_disabled():
        assert husayn.people == trip.members.count()
    # Al-Abbas is open all day; its window is the free stretch of the visiting day.
    abbas = by_zone["al-abbas-haram"]
    assert abbas.window_start.time() >= dt.time(6, 0)
    assert selectors.zone_visits(arbaeen_trip(org.admin)) == []  # not planned yet
