"""The planner alone (no database): the issue's done-when scenario and the rules one by one."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from tests.itineraries.pure import WISHES, arbaeen, request
from zaireen.itineraries.planner import (
    EditRefused,
    Kind,
    PlanRefused,
    Rule,
    RuleSettings,
    base,
    check,
    location_at,
    move_item,
    plan_trip,
)
from zaireen.itineraries.planner.rules import at, hot_minutes


def _in_night(moment: dt.datetime, s: RuleSettings) -> bool:
    t = moment.time()
    return t > s.night_start or t < s.night_end


def _no_road_at_night(plan, s: RuleSettings) -> None:
    for it in plan.of_kind(Kind.ROAD):
        assert not _in_night(it.start, s), it
        assert not _in_night(it.end, s), it
        assert it.start.date() == it.end.date(), it


def _walk_minutes_by_day(plan):
    totals = {}
    for it in plan.items:
        if it.kind == Kind.WALK or (it.kind == Kind.VISIT and it.outdoor):
            totals[it.day] = totals.get(it.day, 0) + it.minutes
    return totals


# --- The scenario: land in Najaf three days before Arbaeen, fly home from Baghdad ---


@pytest.fixture(scope="module")
def standard():
    req = request()
    return req, plan_trip(req)


def test_the_group_is_in_karbala_on_arbaeen(standard):
    req, plan = standard
    day = arbaeen().start
    assert req.arrival_at.date() == day - dt.timedelta(days=3)
    for hour in (0, 6, 12, 18, 23):
        assert location_at(req, plan.items, at(day, dt.time(hour, 0), req.timezone)) == "karbala"
    karbala = next(s for s in plan.stays if s.city == "karbala")
    assert karbala.first_night < day < karbala.leave_day


def test_it_never_drives_at_night_even_after_a_night_landing(standard):
    req, plan = standard
    assert req.arrival_at.time() == dt.time(2, 30)  # lands in the night
    _no_road_at_night(plan, req.settings)
    first_road = plan.of_kind(Kind.ROAD)[0]
    assert first_road.start.time() == req.settings.night_end
    waits = [it for it in plan.of_kind(Kind.WAIT) if it.label == "night"]
    assert waits and waits[0].end == first_road.start


def test_it_walks_the_last_stretch_into_karbala(standard):
    _req, plan = standard
    walks = plan.of_kind(Kind.WALK)
    into = [w for w in walks if w.city == "karbala"]
    assert len(into) == 1
    walk = into[0]
    assert walk.from_city == "~karbala"
    assert walk.km == 15  # reference data: vehicles stopped 10–15 km out (F2.1), upper bound
    road = next(it for it in plan.of_kind(Kind.ROAD) if it.end == walk.start)
    assert road.city == "~karbala" and base(road.from_city) == "najaf"
    # The stop applies from two days before Arbaeen; the group moves the day before.
    assert walk.day == arbaeen().start - dt.timedelta(days=1)
    # Leaving after the stop is lifted, the group drives from the city itself.
    assert all(w.from_city != "karbala" for w in walks)


def test_the_heat_warning_is_only_for_walking_in_the_midday_heat(standard):
    req, plan = standard
    heat = [w for w in plan.warnings if w.code == "heat"]
    # The planner keeps the walk out of 11:00–16:00 (August in Karbala: mean max 43 °C)...
    walk = next(w for w in plan.of_kind(Kind.WALK) if w.city == "karbala")
    assert walk.end.time() <= req.settings.hot_start
    assert heat == []
    # ... and a walk the organiser moves into midday gets the warning, for that walk only.
    # (That day's visits move to the next day first, so the group is free at midday.)
    for visit in [it for it in plan.of_kind(Kind.VISIT) if it.day == walk.day]:
        later = visit.start + dt.timedelta(days=1)
        plan = move_item(plan, req, key=visit.key, start=later)
    noon = at(walk.day, dt.time(11, 0), req.timezone)
    road = next(it for it in plan.of_kind(Kind.ROAD) if it.end == walk.start)
    moved = move_item(plan, req, key=road.key, start=noon - (walk.start - road.start))
    moved_walk = moved.item(walk.key)
    assert moved_walk.start == noon
    heat = [w for w in moved.warnings if w.code == "heat"]
    assert [w.item for w in heat] == [walk.key]
    assert heat[0].params["minutes"] == hot_minutes(req, moved_walk) > 0
    assert heat[0].params["mean_max"] > req.settings.heat_threshold_c


def test_the_planner_waits_out_the_heat_and_warns_when_it_cannot():
    """Landing in Najaf at 09:00 the day before Arbaeen, with Karbala as the only hotel:
    the planner waits at the airport so the walk starts after 16:00. With hot hours that
    cover the whole day, the walk cannot avoid them and the plan warns about that walk."""
    kwargs = {
        "arrival_time": dt.time(9, 0),
        "days_before": 1,
        "stays": (("karbala", 3),),
        "departure_airport": "NJF",
        "wishes": (),
    }
    req = request(**kwargs)
    plan = plan_trip(req)
    walk = plan.of_kind(Kind.WALK)[0]
    assert walk.start.time() >= req.settings.hot_end
    assert [w for w in plan.warnings if w.code == "heat"] == []

    scorching = RuleSettings(hot_start=dt.time(5, 0), hot_end=dt.time(22, 0))
    req = request(**kwargs, settings=scorching)
    plan = plan_trip(req)
    walk = plan.of_kind(Kind.WALK)[0]
    heat = [w for w in plan.warnings if w.code == "heat"]
    assert [w.item for w in heat] == [walk.key]
    assert heat[0].params["minutes"] == hot_minutes(req, walk) > 0
    # It still keeps the hard rule: in Karbala before Arbaeen begins.
    assert walk.end <= at(arbaeen().start, dt.time(0, 0), req.timezone)


def test_the_plan_covers_the_wishes_and_keeps_every_rule(standard):
    req, plan = standard
    assert check(plan, req) == []
    visited = {it.site for it in plan.of_kind(Kind.VISIT)}
    assert visited == set(WISHES)
    assert plan.unmet == ()
    kufa = next(it for it in plan.of_kind(Kind.VISIT) if it.site == "great-mosque-of-kufa")
    assert location_at(req, plan.items, kufa.start) == "kufa"  # a day trip from Najaf
    assert {w.code for w in plan.warnings} >= {"peak_occasion"}
    assert plan.orders_considered == 6


def test_prayer_blocks_come_from_the_prayer_times_module(standard):
    from zaireen.planning.prayer_times import prayer_times, round_to_minute

    req, plan = standard
    day = arbaeen().start
    karbala = req.places["karbala"]
    times = prayer_times(karbala.lat, karbala.lon, day, req.timezone)
    blocks = {it.label: it for it in plan.items if it.kind == Kind.PRAYER and it.day == day}
    assert blocks["fajr"].start == round_to_minute(times.fajr)
    assert blocks["dhuhr"].start == round_to_minute(times.dhuhr)
    assert blocks["maghrib"].start == round_to_minute(times.maghrib)
    meals = {it.label for it in plan.items if it.kind == Kind.MEAL and it.day == day}
    assert meals == {"breakfast", "lunch", "dinner"}


# --- The same trip for wheelchair users --------------------------------------------------------


def test_a_wheelchair_group_keeps_walking_within_its_limit():
    req = request(needs="wheelchair")
    plan = plan_trip(req)
    limit = req.settings.walk_limit("wheelchair")
    assert limit == 30
    assert all(minutes <= limit for minutes in _walk_minutes_by_day(plan).values())
    assert plan.of_kind(Kind.WALK) == []
    # It reaches Karbala before vehicles are stopped, and is there on the day.
    karbala = next(s for s in plan.stays if s.city == "karbala")
    assert karbala.first_night < arbaeen().start - dt.timedelta(days=2)
    assert check(plan, req) == []
    _no_road_at_night(plan, req.settings)
    # A wish the limit rules out says so.
    unmet = {u.site: u.rule for u in plan.unmet}
    assert unmet == {"wadi-us-salaam": Rule.WALKING_LIMIT}


def test_a_wheelchair_group_landing_while_vehicles_are_stopped_is_refused_naming_the_rule():
    req = request(needs="wheelchair", stop_days=(5, 0))
    with pytest.raises(PlanRefused) as refused:
        plan_trip(req)
    assert refused.value.rule == Rule.WALKING_LIMIT
    assert refused.value.field == "needs"
    assert "wheelchair" in str(refused.value) and "30" in str(refused.value)
    # The standard profile may walk it.
    assert plan_trip(request(stop_days=(5, 0))).of_kind(Kind.WALK)


# --- Refusals and edits name the rule ------------------------------------------------------


def test_hotel_nights_that_do_not_match_the_trip_are_refused():
    with pytest.raises(PlanRefused) as refused:
        plan_trip(request(stays=(("najaf", 2), ("karbala", 2)), nights=7))
    assert refused.value.rule == Rule.HOTEL_NIGHTS
    assert refused.value.field == "stays"


def test_an_occasion_without_a_hotel_in_its_city_is_refused():
    with pytest.raises(PlanRefused) as refused:
        plan_trip(request(stays=(("najaf", 5), ("kadhimiya", 2))))
    assert refused.value.rule == Rule.OCCASION_ARRIVAL


def test_arriving_after_the_occasion_begins_is_refused():
    # Landing at 02:30 on Arbaeen itself: no road before 05:00, so no order is in time.
    with pytest.raises(PlanRefused) as refused:
        plan_trip(request(days_before=0, stays=(("karbala", 2), ("najaf", 2))))
    assert refused.value.rule == Rule.OCCASION_ARRIVAL
    assert refused.value.field == "occasion"


def test_a_drive_longer_than_a_day_allows_is_refused():
    tight = RuleSettings(max_road_minutes_per_day=45)
    with pytest.raises(PlanRefused) as refused:
        plan_trip(request(settings=tight))
    assert refused.value.rule == Rule.ROAD_HOURS


@pytest.mark.parametrize(
    ("hour", "rule"),
    [(23, Rule.NIGHT_ROAD), (3, Rule.NIGHT_ROAD)],
)
def test_moving_a_road_leg_into_the_night_is_refused(standard, hour, rule):
    req, plan = standard
    road = plan.of_kind(Kind.ROAD)[-1]
    with pytest.raises(EditRefused) as refused:
        move_item(plan, req, key=road.key, start=at(road.day, dt.time(hour, 0), req.timezone))
    assert refused.value.rule in (rule, Rule.OVERLAP, Rule.AIRPORT_TIME, Rule.PLACE)
    assert refused.value.rule == rule or "road" in str(refused.value)


def test_moving_a_visit_outside_opening_hours_is_refused(standard):
    req, plan = standard
    visit = next(it for it in plan.of_kind(Kind.VISIT) if it.site == "imam-husayn-shrine")
    with pytest.raises(EditRefused) as refused:
        move_item(plan, req, key=visit.key, start=at(visit.day, dt.time(4, 0), req.timezone))
    assert refused.value.rule == Rule.OPENING_HOURS
    assert "Imam Hussain" in str(refused.value)


def test_an_open_all_day_shrine_is_not_held_to_opening_hours(standard):
    req, plan = standard
    visit = next(it for it in plan.of_kind(Kind.VISIT) if it.site == "al-abbas-shrine")
    assert req.sites["al-abbas-shrine"].always_open  # the shrine's own site says 24 hours
    with pytest.raises(EditRefused) as refused:
        move_item(plan, req, key=visit.key, start=at(visit.day, dt.time(4, 30), req.timezone))
    assert refused.value.rule == Rule.VISIT_TIME  # the visiting day still holds


def test_an_edit_that_keeps_the_rules_is_accepted_and_marked(standard):
    req, plan = standard
    visit = next(it for it in plan.of_kind(Kind.VISIT) if it.site == "imam-husayn-shrine")
    later = at(visit.day + dt.timedelta(days=1), dt.time(9, 0), req.timezone)
    moved = move_item(plan, req, key=visit.key, start=later)
    assert moved.item(visit.key).start == later and moved.item(visit.key).by_organiser
    assert check(moved, req) == []


def test_moving_the_walk_away_breaks_the_vehicle_stop_or_the_place(standard):
    req, plan = standard
    walk = next(w for w in plan.of_kind(Kind.WALK) if w.city == "karbala")
    with pytest.raises(EditRefused):
        move_item(plan, req, key=walk.key, start=walk.start + dt.timedelta(hours=30))


def test_the_checker_finds_a_night_drive_in_a_forged_plan(standard):
    req, plan = standard
    road = plan.of_kind(Kind.ROAD)[1]
    night = at(road.day, dt.time(23, 0), req.timezone)
    forged = replace(
        plan,
        items=tuple(
            replace(it, start=night, end=night + (it.end - it.start)) if it.key == road.key else it
            for it in plan.items
        ),
    )
    assert Rule.NIGHT_ROAD in {v.rule for v in check(forged, req)}
