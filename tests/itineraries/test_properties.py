"""Property tests of the planner: whatever the trip, no plan drives at night or passes the
road limit, and every plan (and every accepted edit) keeps the walking limit."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.itineraries.pure import WISHES, request
from zaireen.itineraries.planner import (
    EditRefused,
    Kind,
    PlanRefused,
    RuleSettings,
    check,
    move_item,
    plan_trip,
)

CITIES = ("najaf", "karbala", "kadhimiya", "samarra", "kufa")
PROFILES = ("standard", "elderly", "wheelchair")

times = st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 10, 25, 40, 55]))
stays = st.lists(st.tuples(st.sampled_from(CITIES), st.integers(1, 3)), min_size=1, max_size=3).map(
    tuple
)


@st.composite
def requests(draw):
    road_hours = draw(st.integers(1, 9))
    chosen = draw(stays)
    if draw(st.booleans()) and all(city != "karbala" for city, _n in chosen):
        chosen = (*chosen, ("karbala", draw(st.integers(2, 4))))
    return request(
        needs=draw(st.sampled_from((*PROFILES, "standard"))),
        arrival_time=draw(times),
        days_before=draw(st.integers(0, 5)),
        stays=chosen,
        departure_airport=draw(st.sampled_from(["NJF", "BGW"])),
        departure_time=draw(times),
        wishes=draw(st.lists(st.sampled_from(WISHES), max_size=4, unique=True)),
        with_occasion=draw(st.booleans()),
        stop_days=(draw(st.integers(0, 4)), draw(st.integers(0, 2))),
        settings=RuleSettings(max_road_minutes_per_day=road_hours * 60),
    )


def assert_keeps_the_rules(plan, req):
    s = req.settings
    road_by_day: dict = {}
    walk_by_day: dict = {}
    for it in plan.items:
        if it.kind == Kind.ROAD:
            assert it.start.date() == it.end.date(), it
            assert s.night_end <= it.start.time() <= s.night_start, it
            assert s.night_end <= it.end.time() <= s.night_start, it
            road_by_day[it.day] = road_by_day.get(it.day, 0) + it.minutes
        if it.kind == Kind.WALK or (it.kind == Kind.VISIT and it.outdoor):
            walk_by_day[it.day] = walk_by_day.get(it.day, 0) + it.minutes
    assert all(m <= s.max_road_minutes_per_day for m in road_by_day.values()), road_by_day
    limit = s.walk_limit(req.needs)
    assert all(m <= limit for m in walk_by_day.values()), walk_by_day
    assert check(plan, req) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_no_plan_drives_at_night_or_past_the_road_limit(req):
    try:
        plan = plan_trip(req)
    except PlanRefused as refused:
        assert refused.rule  # a refusal always names its rule
        return
    assert_keeps_the_rules(plan, req)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests(), st.data())
def test_an_accepted_edit_keeps_every_rule(req, data):
    try:
        plan = plan_trip(req)
    except PlanRefused:
        return
    movable = [it for it in plan.items if it.kind in (Kind.VISIT, Kind.ROAD, Kind.WALK)]
    if not movable:
        return
    item = data.draw(st.sampled_from(movable))
    shift = data.draw(st.integers(-36, 36)) * dt.timedelta(minutes=30)
    try:
        edited = move_item(plan, req, key=item.key, start=item.start + shift)
    except EditRefused as refused:
        assert refused.rule
        return
    assert_keeps_the_rules(edited, req)
