"""The hard rules a plan must keep, the warnings it earns, and the layout of prayers and meals.

One checker (`check`) serves the planner's own candidates, the organiser's edits and the
re-check after a Hijri offset changes, so a rule can never hold in one place and not another.
Pure Python: prayer times come from `zaireen.planning.prayer_times`, itself Django-free.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import zoneinfo
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from zaireen.itineraries.planner.types import (
    OUTSIDE,
    Item,
    Kind,
    Plan,
    PlanRequest,
    Rule,
    Violation,
    Warning,
    base,
)
from zaireen.planning.prayer_times import prayer_times, round_to_minute

PRAYERS = ("fajr", "dhuhr", "maghrib")


def at(day: dt.date, time: dt.time, tz: str) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(tz))


def overlap_minutes(a0: dt.datetime, a1: dt.datetime, b0: dt.datetime, b1: dt.datetime) -> int:
    seconds = (min(a1, b1) - max(a0, b0)).total_seconds()
    return max(0, int(seconds // 60))


def fmt(moment: dt.datetime) -> str:
    return moment.strftime("%d %b %H:%M")


# --- Where the group is ----------------------------------------------------------------------


def moves(items: Iterable[Item]) -> list[Item]:
    return sorted((it for it in items if it.kind in Kind.MOVES), key=lambda it: it.start)


def location_at(req: PlanRequest, items: Sequence[Item], moment: dt.datetime) -> str | None:
    """The place key where the group is at `moment` (None while it travels)."""
    here = req.arrival_airport
    for move in moves(items):
        if move.end <= moment:
            here = move.city
        elif move.start < moment:
            return None
        else:
            break
    return here


def windows(req: PlanRequest, items: Sequence[Item]) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """(place, from, to): where the group is between its moves, from landing to take-off."""
    spans = []
    here, since = req.arrival_airport, req.arrival_at
    for move in moves(items):
        spans.append((here, since, move.start))
        here, since = move.city, move.end
    spans.append((here, since, req.departure_at))
    return [(place, a, b) for place, a, b in spans if b > a]


def _coordinates(req: PlanRequest, key: str) -> tuple[float, float]:
    place = req.places[base(key)]
    return place.lat, place.lon


@lru_cache(maxsize=4096)
def _prayers_cached(lat: float, lon: float, day: dt.date, tz: str) -> tuple[dt.datetime, ...]:
    times = prayer_times(lat, lon, day, tz)
    return tuple(round_to_minute(getattr(times, name)) for name in PRAYERS)


def prayer_blocks(req: PlanRequest, items: Sequence[Item]) -> list[Item]:
    """Fajr, Dhuhr with Asr, Maghrib with Isha (prayed together, as Shia groups usually do),
    at the times of wherever the group is; while it travels, at its destination's times."""
    s = req.settings
    blocks: list[Item] = []
    first, last = req.arrival_at.date(), req.departure_at.date()
    for n in range((last - first).days + 1):
        day = first + dt.timedelta(days=n)
        for name in PRAYERS:
            # The place decides the time and the time the place: take the place at the
            # time of the previous guess (minutes apart between Iraq's cities).
            where = location_at(req, items, at(day, dt.time(12, 0), req.timezone))
            where = where or _destination(items, at(day, dt.time(12, 0), req.timezone))
            lat, lon = _coordinates(req, where)
            start = _prayers_cached(lat, lon, day, req.timezone)[PRAYERS.index(name)]
            here = location_at(req, items, start)
            travelling = here is None
            here = here or _destination(items, start)
            lat, lon = _coordinates(req, here)
            start = _prayers_cached(lat, lon, day, req.timezone)[PRAYERS.index(name)]
            end = start + dt.timedelta(minutes=s.prayer_minutes[name])
            if start < req.arrival_at or end > req.departure_at:
                continue
            blocks.append(
                Item(
                    key=f"p-{day.isoformat()}-{name}",
                    kind=Kind.PRAYER,
                    start=start,
                    end=end,
                    city=base(here),
                    label=name,
                    on_the_way=travelling or _busy(items, start, end, Kind.MOVES),
                )
            )
    return blocks


def _destination(items: Sequence[Item], moment: dt.datetime) -> str:
    for move in moves(items):
        if move.start <= moment < move.end:
            return move.city
    return moves(items)[-1].city if moves(items) else ""


def _busy(items: Iterable[Item], start: dt.datetime, end: dt.datetime, kinds) -> bool:
    return any(it.kind in kinds and it.start < end and start < it.end for it in items)


def meal_items(req: PlanRequest, items: Sequence[Item]) -> list[Item]:
    """Each meal in the first free time of its window; if there is none while the group is
    there, it is taken on the way (a packed meal) at the window's start."""
    s = req.settings
    step = dt.timedelta(minutes=s.step_minutes)
    blocking = [it for it in items if it.kind in (*Kind.OCCUPYING, Kind.REST, Kind.PRAYER)]
    present_from = req.arrival_at + dt.timedelta(minutes=s.airport_exit_minutes)
    present_to = req.departure_at - dt.timedelta(minutes=s.airport_checkin_minutes)
    meals = []
    first, last = req.arrival_at.date(), req.departure_at.date()
    for n in range((last - first).days + 1):
        day = first + dt.timedelta(days=n)
        for meal in s.meals:
            length = dt.timedelta(minutes=meal.minutes)
            lo = max(at(day, meal.earliest, req.timezone), present_from)
            hi = min(at(day, meal.latest, req.timezone), present_to)
            if hi - lo < length:
                continue
            start, found = lo, None
            while start + length <= hi:
                if not _busy(
                    blocking, start, start + length, (*Kind.OCCUPYING, Kind.REST, Kind.PRAYER)
                ):
                    found = start
                    break
                start += step
            on_the_way = found is None
            start = found or lo
            where = location_at(req, items, start) or _destination(items, start)
            meals.append(
                Item(
                    key=f"m-{day.isoformat()}-{meal.name}",
                    kind=Kind.MEAL,
                    start=start,
                    end=start + length,
                    city=base(where),
                    label=meal.name,
                    on_the_way=on_the_way,
                )
            )
    return meals


def finish(req: PlanRequest, items: Iterable[Item]) -> tuple[Item, ...]:
    """The plan's items with prayers and meals laid out afresh around the rest, in order."""
    kept = [it for it in items if it.kind not in Kind.SOFT]
    prayers = prayer_blocks(req, kept)
    meals = meal_items(req, [*kept, *prayers])
    return tuple(sorted([*kept, *prayers, *meals], key=_order))


def _order(it: Item) -> tuple:
    return (it.start, it.end, it.kind, it.key)


# --- Heat -------------------------------------------------------------------------------------


def is_outdoor(it: Item) -> bool:
    return it.kind == Kind.WALK or (it.kind == Kind.VISIT and it.outdoor)


def mean_max(req: PlanRequest, city: str, day: dt.date) -> float | None:
    return req.climate.get((base(city), day.month))


def hot_minutes(req: PlanRequest, it: Item) -> int:
    """Minutes of outdoor walking in the hottest hours of a month hotter than the threshold."""
    if not is_outdoor(it):
        return 0
    temperature = mean_max(req, it.city, it.day)
    if temperature is None or temperature <= req.settings.heat_threshold_c:
        return 0
    s = req.settings
    return overlap_minutes(
        it.start, it.end, at(it.day, s.hot_start, req.timezone), at(it.day, s.hot_end, req.timezone)
    )


def hot_outdoor_minutes(plan: Plan, req: PlanRequest) -> int:
    return sum(hot_minutes(req, it) for it in plan.items)


# --- Daily totals -------------------------------------------------------------------------------


def minutes_by_day(items: Iterable[Item], predicate) -> Counter:
    totals: Counter = Counter()
    for it in items:
        if predicate(it):
            totals[it.day] += it.minutes
    return totals


def walking_minutes(it: Item) -> int:
    return it.minutes if is_outdoor(it) else 0


# --- The checker -------------------------------------------------------------------------------


def check(plan: Plan, req: PlanRequest) -> list[Violation]:
    """Every hard rule `plan` breaks under `req`, in the order of the items."""
    s = req.settings
    tz = req.timezone
    found: list[Violation] = []
    items = [it for it in plan.items if it.kind not in Kind.SOFT]

    def add(rule: str, message: str, it: Item | None = None, day: dt.date | None = None):
        found.append(
            Violation(rule, message, it.key if it else "", day or (it.day if it else None))
        )

    for it in items:
        if it.kind != Kind.ROAD:
            continue
        day = it.start.date()
        lo, hi = at(day, s.night_end, tz), at(day, s.night_start, tz)
        if not (lo <= it.start and it.end <= hi):
            add(
                Rule.NIGHT_ROAD,
                f"the road leg {_route(req, it)} runs {fmt(it.start)}–"
                f"{it.end.strftime('%H:%M')}: no road between {s.night_start:%H:%M} and "
                f"{s.night_end:%H:%M}",
                it,
            )

    for day, minutes in sorted(minutes_by_day(items, lambda i: i.kind == Kind.ROAD).items()):
        if minutes > s.max_road_minutes_per_day:
            add(
                Rule.ROAD_HOURS,
                f"{minutes} minutes on the road on {day:%d %b}: at most "
                f"{s.max_road_minutes_per_day} a day",
                day=day,
            )

    limit = s.walk_limit(req.needs)
    for day, minutes in sorted(minutes_by_day(items, is_outdoor).items()):
        if minutes > limit:
            add(
                Rule.WALKING_LIMIT,
                f"{minutes} minutes of outdoor walking on {day:%d %b}: the "
                f"{req.needs} profile allows {limit} a day",
                day=day,
            )

    visits = [it for it in items if it.kind == Kind.VISIT]
    for it in visits:
        site = req.sites.get(it.site)
        if site is None:
            add(Rule.PLACE, f"unknown site {it.site!r}", it)
            continue
        if not open_during(req, site, it.start, it.end):
            add(
                Rule.OPENING_HOURS,
                f"{site.name} is open {site.opens:%H:%M}–"
                f"{site.closes:%H:%M}; the visit is {fmt(it.start)}–{it.end:%H:%M}",
                it,
            )
        lo, hi = at(it.day, s.day_start, tz), at(it.day, s.day_end, tz)
        if not (lo <= it.start and it.end <= hi):
            add(
                Rule.VISIT_TIME,
                f"the visit to {site.name} at {fmt(it.start)} is outside the "
                f"visiting day {s.day_start:%H:%M}–{s.day_end:%H:%M}",
                it,
            )
        here = location_at(req, items, it.start)
        if here != site.city:
            add(
                Rule.PLACE,
                f"the group is not in {req.places[site.city].name} at "
                f"{fmt(it.start)} for {site.name}",
                it,
            )
    for day, minutes in sorted(minutes_by_day(visits, lambda i: True).items()):
        if minutes > s.max_visit_minutes_per_day:
            add(
                Rule.VISIT_TIME,
                f"{minutes} minutes of visits on {day:%d %b}: at most "
                f"{s.max_visit_minutes_per_day} a day (fatigue)",
                day=day,
            )

    for it in items:
        if it.start < req.arrival_at or it.end > req.departure_at or it.end < it.start:
            add(
                Rule.PLACE,
                f"{_what(req, it)} at {fmt(it.start)} is outside the trip "
                f"({fmt(req.arrival_at)} to {fmt(req.departure_at)})",
                it,
            )

    occupying = sorted((it for it in items if it.kind in Kind.OCCUPYING), key=_order)
    for a, b in itertools.pairwise(occupying):
        if b.start < a.end:
            add(
                Rule.OVERLAP,
                f"{_what(req, b)} at {fmt(b.start)} overlaps {_what(req, a)} "
                f"({fmt(a.start)}–{a.end:%H:%M})",
                b,
            )

    here = req.arrival_airport
    for move in moves(items):
        if move.from_city != here:
            add(
                Rule.PLACE,
                f"{_what(req, move)} starts from {_name(req, move.from_city)}, but "
                f"the group is at {_name(req, here)}",
                move,
            )
        here = move.city
        _check_vehicle_stop(req, move, add)
    if here != req.departure_airport:
        add(Rule.AIRPORT_TIME, f"the plan does not end at {req.departure_airport}")
    elif moves(items):
        last = moves(items)[-1]
        deadline = req.departure_at - dt.timedelta(minutes=s.airport_checkin_minutes)
        if last.end > deadline:
            add(
                Rule.AIRPORT_TIME,
                f"the group reaches {req.departure_airport} at "
                f"{fmt(last.end)}, after check-in closes at {fmt(deadline)}",
                last,
            )

    if req.occasion is not None:
        _check_occasion(req, items, add)
    return found


def open_during(req: PlanRequest, site, start: dt.datetime, end: dt.datetime) -> bool:
    if site.always_open:
        return True
    tz = req.timezone
    return (
        start.date() == end.date()
        and at(start.date(), site.opens, tz) <= start
        and end <= at(start.date(), site.closes, tz)
    )


def _check_vehicle_stop(req: PlanRequest, move: Item, add) -> None:
    if move.kind != Kind.ROAD:
        return
    if not move.city.startswith(OUTSIDE):
        stop = req.stop_at(move.city, move.end.date())
        if stop is not None:
            add(
                Rule.VEHICLE_STOP,
                f"vehicles are stopped {stop.distance_km:g} km outside "
                f"{_name(req, move.city)} on {move.end:%d %b}: the road leg cannot end in the "
                "city; the group walks the last stretch",
                move,
            )
    if not move.from_city.startswith(OUTSIDE):
        stop = req.stop_at(move.from_city, move.start.date())
        if stop is not None:
            add(
                Rule.VEHICLE_STOP,
                f"vehicles are stopped {stop.distance_km:g} km outside "
                f"{_name(req, move.from_city)} on {move.start:%d %b}: the group walks out to "
                "them first",
                move,
            )


def occasion_deadline(req: PlanRequest) -> dt.datetime:
    occasion = req.occasion
    assert occasion is not None  # noqa: S101
    return at(occasion.first_day, dt.time(0, 0), req.timezone)


def _check_occasion(req: PlanRequest, items: Sequence[Item], add) -> None:
    occasion = req.occasion
    deadline = occasion_deadline(req)
    until = at(occasion.last_day + dt.timedelta(days=1), dt.time(0, 0), req.timezone)
    name = _name(req, occasion.city)
    if location_at(req, items, deadline) != occasion.city:
        arrival = next(
            (m.end for m in moves(items) if m.city == occasion.city and m.end > deadline), None
        )
        when = f"arrives at {fmt(arrival)}" if arrival else "never arrives there"
        add(
            Rule.OCCASION_ARRIVAL,
            f"{occasion.name} begins on {occasion.first_day:%d %b}: the "
            f"group must be in {name} before then, but it {when}",
            day=occasion.first_day,
        )
        return
    for move in moves(items):
        if deadline <= move.start < until and move.from_city == occasion.city:
            add(
                Rule.OCCASION_ARRIVAL,
                f"the group leaves {name} on {move.start:%d %b}, during "
                f"{occasion.name} (until {occasion.last_day:%d %b})",
                move,
            )


def _name(req: PlanRequest, key: str) -> str:
    place = req.places.get(base(key))
    name = place.name if place else key
    return f"the vehicle stop outside {name}" if key.startswith(OUTSIDE) else name


def _route(req: PlanRequest, it: Item) -> str:
    return f"{_name(req, it.from_city)} → {_name(req, it.city)}"


def _what(req: PlanRequest, it: Item) -> str:
    if it.kind == Kind.VISIT:
        site = req.sites.get(it.site)
        return f"the visit to {site.name if site else it.site}"
    if it.kind in Kind.MOVES:
        return f"the {'walk' if it.kind == Kind.WALK else 'road leg'} {_route(req, it)}"
    return f"the {it.kind.replace('_', ' ')}"


# --- Warnings --------------------------------------------------------------------------------


def warnings(plan: Plan, req: PlanRequest) -> tuple[Warning, ...]:
    """Heat in the hottest hours, visits squeezed before a prayer, peak occasions in the city
    the group is in, and road times that are estimates."""
    s = req.settings
    found: list[Warning] = []
    prayers = [it for it in plan.items if it.kind == Kind.PRAYER]
    for it in plan.items:
        hot = hot_minutes(req, it)
        if hot:
            found.append(
                Warning(
                    "heat",
                    it.day,
                    it.key,
                    {
                        "minutes": hot,
                        "city": base(it.city),
                        "mean_max": mean_max(req, it.city, it.day),
                        "from": s.hot_start.strftime("%H:%M"),
                        "to": s.hot_end.strftime("%H:%M"),
                    },
                )
            )
        if it.kind == Kind.VISIT:
            after = [p for p in prayers if p.end > it.start and p.start >= it.start]
            nxt = min(after, key=lambda p: p.start, default=None)
            if nxt is not None:
                gap = int((nxt.start - it.end).total_seconds() // 60)
                if gap < s.squeeze_minutes:
                    found.append(
                        Warning("squeezed", it.day, it.key, {"prayer": nxt.label, "gap": gap})
                    )
        if it.kind == Kind.ROAD and it.estimated:
            found.append(
                Warning(
                    "estimate", it.day, it.key, {"from": base(it.from_city), "to": base(it.city)}
                )
            )
    for occasion in req.peaks:
        for n in range((occasion.last_day - occasion.first_day).days + 1):
            day = occasion.first_day + dt.timedelta(days=n)
            noon = at(day, dt.time(12, 0), req.timezone)
            where = location_at(req, plan.items, noon)
            if where is not None and base(where) == occasion.city:
                found.append(
                    Warning(
                        "peak_occasion",
                        day,
                        "",
                        {"occasion": occasion.name, "key": occasion.key, "city": occasion.city},
                    )
                )
                break
    return tuple(sorted(found, key=lambda w: (w.day, w.code, w.item)))


def with_warnings(plan: Plan, req: PlanRequest) -> Plan:
    return replace(plan, warnings=warnings(plan, req))


def ceil_minutes(value: float) -> int:
    return max(0, math.ceil(value - 1e-9))
