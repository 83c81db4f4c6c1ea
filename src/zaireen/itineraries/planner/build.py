"""Building a plan: the order of the city stays by enumeration, then the day-by-day layout.

For every order of the stays (the cities are few: 6 stays are 720 orders), the builder lays
out the journeys (road legs at allowed hours, walking legs where vehicles are stopped), the
rest after them, prayers and meals, then the wished visits in the free time. Each candidate
goes through the same checker as an organiser's edit (`rules.check`); of those that keep every
hard rule, the plan that covers the most wishes wins, then the one with the fewest road
minutes, then the one with the least outdoor walking in the hottest hours, then the one
closest to the usual circuit from the arrival airport. No candidate at all: `PlanRefused`
names the rule.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from dataclasses import dataclass, replace

from zaireen.itineraries.planner import rules
from zaireen.itineraries.planner.rules import at
from zaireen.itineraries.planner.types import (
    Item,
    Kind,
    Plan,
    PlanRefused,
    PlanRequest,
    Rule,
    SiteSpec,
    Stay,
    StaySpec,
    Unmet,
    Violation,
    base,
    outside,
)

# Beyond this many stays, only the hotels' order and the circuit's order are tried.
MAX_ENUMERATED_STAYS = 6
# Every order is enumerated and ranked by a cheap bound (the drive minutes of its chain of
# cities); the best ones are laid out in full, until this many keep every rule or this many
# were tried. With 3 stays (6 orders) every order is laid out.
MAX_FEASIBLE = 8
MAX_BUILDS = 24

FIELD_OF_RULE = {
    Rule.HOTEL_NIGHTS: "stays",
    Rule.OCCASION_ARRIVAL: "occasion",
    Rule.WALKING_LIMIT: "needs",
    Rule.VEHICLE_STOP: "needs",
    Rule.NIGHT_ROAD: "arrival_at",
    Rule.ROAD_HOURS: "stays",
    Rule.AIRPORT_TIME: "departure_at",
}


class _Infeasible(Exception):
    def __init__(self, violation: Violation) -> None:
        super().__init__(violation.message)
        self.violation = violation


def plan_trip(req: PlanRequest) -> Plan:
    """The best plan for `req`, or `PlanRefused` naming the rule no city order could keep."""
    _check_request(req)
    orders = _orders(req)
    viable = [order for order in orders if _dates_fit(req, order)] or orders[:1]
    ranked = sorted(
        viable,
        key=lambda o: (_chain_minutes(req, o), _circuit_rank(o, req.circuit), orders.index(o)),
    )
    best: tuple | None = None
    failures: list[Violation] = []
    feasible = 0
    for built, order in enumerate(ranked):
        if feasible >= MAX_FEASIBLE or built >= MAX_BUILDS:
            break
        index = orders.index(order)
        try:
            candidate = _Builder(req, order).build()
        except _Infeasible as exc:
            failures.append(exc.violation)
            continue
        broken = rules.check(candidate, req)
        if broken:
            failures.append(broken[0])
            continue
        score = (
            len(candidate.unmet),
            candidate.road_minutes,
            rules.hot_outdoor_minutes(candidate, req),
            _circuit_rank(order, req.circuit),
            index,
        )
        feasible += 1
        if best is None or score < best[0]:
            best = (score, candidate)
    if best is None:
        raise _refusal(failures, len(orders))
    return replace(best[1], orders_considered=len(orders))


def _refusal(failures: list[Violation], orders: int) -> PlanRefused:
    """The rule that stopped the most orders, with its first instance as the example."""
    counts = Counter(v.rule for v in failures)
    rule = max(counts, key=lambda r: (counts[r], -list(counts).index(r)))
    example = next(v for v in failures if v.rule == rule)
    if orders > 1:
        message = f"{example.message} (no order of the {orders} city orders tried keeps every rule)"
        example = replace(example, message=message)
    return PlanRefused(example, field=FIELD_OF_RULE.get(rule, "__all__"))


def _check_request(req: PlanRequest) -> None:
    nights = (req.departure_at.date() - req.arrival_at.date()).days
    total = sum(s.nights for s in req.stays)
    if req.departure_at <= req.arrival_at:
        raise PlanRefused(
            Violation(Rule.AIRPORT_TIME, "the flight home leaves before the group lands"),
            field="departure_at",
        )
    if not req.stays or total != nights or any(s.nights < 1 for s in req.stays):
        raise PlanRefused(
            Violation(
                Rule.HOTEL_NIGHTS,
                f"the hotels cover {total} nights, but the group spends {nights} nights in "
                f"Iraq ({req.arrival_at:%d %b} to {req.departure_at:%d %b})",
            ),
            field="stays",
        )
    if req.needs not in req.settings.walk_limits:
        raise PlanRefused(
            Violation(Rule.WALKING_LIMIT, f"unknown needs profile {req.needs!r}"), field="needs"
        )
    occasion = req.occasion
    if occasion is not None and occasion.city not in {s.city for s in req.stays}:
        raise PlanRefused(
            Violation(
                Rule.OCCASION_ARRIVAL,
                f"{occasion.name} is in {_name(req, occasion.city)}, but no hotel is there",
            ),
            field="occasion",
        )
    if occasion is not None and not (
        req.arrival_at.date() <= occasion.first_day and occasion.last_day < req.departure_at.date()
    ):
        raise PlanRefused(
            Violation(
                Rule.OCCASION_ARRIVAL,
                f"{occasion.name} ({occasion.first_day:%d %b}) is not between the landing and "
                "the last night",
            ),
            field="occasion",
        )


def _orders(req: PlanRequest) -> list[tuple[StaySpec, ...]]:
    stays = tuple(req.stays)
    if len(stays) > MAX_ENUMERATED_STAYS:
        by_circuit = tuple(sorted(stays, key=lambda s: _circuit_rank((s,), req.circuit)))
        return list(dict.fromkeys([stays, by_circuit]))
    return list(dict.fromkeys(itertools.permutations(stays)))


def _dates_fit(req: PlanRequest, order) -> bool:
    """Whether the order can put the group in the occasion's city in time: checked in before
    the occasion's first day and leaving after its last (date arithmetic only)."""
    occasion = req.occasion
    if occasion is None:
        return True
    first = req.arrival_at.date()
    for stay in order:
        leave = first + dt.timedelta(days=stay.nights)
        if stay.city == occasion.city and first < occasion.first_day and leave > occasion.last_day:
            return True
        first = leave
    return False


def _chain_minutes(req: PlanRequest, order) -> int:
    chain = [req.arrival_airport, *(s.city for s in order), req.departure_airport]
    return sum(req.road(a, b).minutes for a, b in itertools.pairwise(chain))


def _circuit_rank(order, circuit: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(circuit.index(s.city) if s.city in circuit else len(circuit) for s in order)


@dataclass
class _Slot:
    start: dt.datetime
    end: dt.datetime


class _Builder:
    """Lays out one order of stays. Raises `_Infeasible` when a journey cannot keep the rules."""

    def __init__(self, req: PlanRequest, order: tuple[StaySpec, ...]) -> None:
        self.req = req
        self.s = req.settings
        self.tz = req.timezone
        self.order = order
        self.items: list[Item] = []
        self.unmet: list[Unmet] = []
        self.groups = 0
        first = req.arrival_at.date()
        self.stays: list[Stay] = []
        for spec in order:
            self.stays.append(Stay(spec.city, first, spec.nights, spec.hotel))
            first += dt.timedelta(days=spec.nights)

    # --- helpers ---------------------------------------------------------------------------

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return at(day, time, self.tz)

    def add(self, kind: str, start, end, city: str, **fields) -> Item:
        key = fields.pop("key", None) or f"{kind[0]}{len(self.items) + 1}"
        item = Item(key=key, kind=kind, start=start, end=end, city=city, **fields)
        self.items.append(item)
        return item

    def day_total(self, predicate, day: dt.date) -> int:
        return sum(it.minutes for it in self.items if it.day == day and predicate(it))

    def minutes(self, n: float) -> dt.timedelta:
        return dt.timedelta(minutes=rules.ceil_minutes(n))

    # --- the layout ------------------------------------------------------------------------

    def build(self) -> Plan:
        req, s = self.req, self.s
        self.add(
            Kind.FLIGHT_IN,
            req.arrival_at,
            req.arrival_at,
            req.arrival_airport,
            label=req.arrival_airport,
        )
        landed = req.arrival_at + dt.timedelta(minutes=s.airport_exit_minutes)
        self.add(Kind.AIRPORT, req.arrival_at, landed, req.arrival_airport, label="arrival")
        cursor = self.journey(
            req.arrival_airport,
            self.stays[0].city,
            earliest=landed,
            latest_start=landed + dt.timedelta(hours=24),
            prefer="earliest",
            rest=s.rest_after_flight_minutes,
            wait_before=True,
        )
        for previous, stay in itertools.pairwise(self.stays):
            day = stay.first_night
            cursor = self.journey(
                previous.city,
                stay.city,
                earliest=max(cursor, self.at(day, s.night_end)),
                latest_start=self.at(day, s.night_start),
                prefer="usual",
            )
        deadline = req.departure_at - dt.timedelta(minutes=s.airport_checkin_minutes)
        reached = self.journey(
            self.stays[-1].city,
            req.departure_airport,
            earliest=cursor,
            latest_start=deadline,
            latest_end=deadline,
            prefer="latest",
            rest=0,
        )
        if reached < deadline:
            self.add(Kind.WAIT, reached, deadline, req.departure_airport, label="airport")
        self.add(Kind.AIRPORT, deadline, req.departure_at, req.departure_airport, label="departure")
        self.add(
            Kind.FLIGHT_OUT,
            req.departure_at,
            req.departure_at,
            req.departure_airport,
            label=req.departure_airport,
        )
        self.place_visits()
        plan = Plan(
            items=rules.finish(req, self.items), stays=tuple(self.stays), unmet=tuple(self.unmet)
        )
        return rules.with_warnings(plan, req)

    # --- journeys -------------------------------------------------------------------------------

    def segments(self, a: str, b: str, day: dt.date) -> list[tuple[str, str, str, int, float]]:
        """(kind, from, to, minutes, km) of the journey a → b on `day`: a road leg, with
        walking legs where vehicles are stopped outside a or b that day."""
        road = self.req.road(a, b)
        stop_out = self.req.stop_at(a, day)
        stop_in = self.req.stop_at(b, day)
        out_km = stop_out.distance_km if stop_out else 0.0
        in_km = stop_in.distance_km if stop_in else 0.0
        speed = self.s.walk_speed_kmh
        road_km = road.km - out_km - in_km
        if road_km <= 0:
            return [(Kind.WALK, a, b, rules.ceil_minutes(road.km / speed * 60), road.km)]
        share = road_km / road.km if road.km else 0.0
        parts = []
        start = a
        if stop_out:
            parts.append(
                (Kind.WALK, a, outside(a), rules.ceil_minutes(out_km / speed * 60), out_km)
            )
            start = outside(a)
        end = outside(b) if stop_in else b
        parts.append((Kind.ROAD, start, end, rules.ceil_minutes(road.minutes * share), road_km))
        if stop_in:
            parts.append((Kind.WALK, outside(b), b, rules.ceil_minutes(in_km / speed * 60), in_km))
        return parts

    def journey(
        self,
        a: str,
        b: str,
        *,
        earliest: dt.datetime,
        latest_start: dt.datetime,
        prefer: str,
        latest_end: dt.datetime | None = None,
        rest: int | None = None,
        wait_before: bool = False,
    ) -> dt.datetime:
        """Place the journey a → b; return when the group is free at b. With `wait_before`
        (at the arrival airport) the time until the road leg starts is a wait; elsewhere the
        group is at its hotel until then."""
        if a == b:
            return earliest
        s, step = self.s, dt.timedelta(minutes=self.s.step_minutes)
        deadline_rule = Rule.AIRPORT_TIME
        occasion = self.req.occasion
        if occasion is not None and b == occasion.city:
            due = rules.occasion_deadline(self.req)
            if earliest < due and (latest_end is None or due < latest_end):
                latest_end, deadline_rule = due, Rule.OCCASION_ARRIVAL
        estimated = self.req.road(a, b).estimated
        source = self.req.road(a, b).source
        start = _round_up(earliest, step)
        best, reasons = None, Counter()
        while start <= latest_start:
            legs = self.segments(a, b, start.date())
            timeline, cursor = [], start
            for kind, frm, to, minutes, km in legs:
                timeline.append((kind, frm, to, cursor, cursor + dt.timedelta(minutes=minutes), km))
                cursor += dt.timedelta(minutes=minutes)
            reason = self._journey_breaks(timeline, latest_end, deadline_rule)
            if reason:
                reasons[reason] += 1
            else:
                walking = any(t[0] == Kind.WALK for t in timeline)
                hot = sum(
                    rules.hot_minutes(self.req, Item("x", Kind.WALK, t0, t1, to))
                    for kind, _f, to, t0, t1, _k in timeline
                    if kind == Kind.WALK
                )
                moment = start.timestamp()
                if prefer == "latest":
                    key = (hot, -moment, 0.0)
                elif walking or prefer == "earliest":
                    key = (hot, moment, 0.0)
                else:
                    usual = max(self.at(start.date(), s.usual_departure), _round_up(earliest, step))
                    key = (hot, abs(moment - usual.timestamp()), moment)
                if best is None or key < best[0]:
                    best = (key, timeline)
            start += step
        if best is None:
            rule = reasons.most_common(1)[0][0] if reasons else Rule.NIGHT_ROAD
            raise _Infeasible(self._journey_violation(rule, a, b, earliest))
        timeline = best[1]
        self.groups += 1
        group = f"j{self.groups}"
        if wait_before and timeline[0][3] > earliest:
            self.add(
                Kind.WAIT,
                earliest,
                timeline[0][3],
                a,
                group=group,
                label="night" if self._in_night(earliest) else "departure",
            )
        for kind, frm, to, t0, t1, km in timeline:
            self.add(
                kind,
                t0,
                t1,
                to,
                from_city=frm,
                group=group,
                km=round(km, 1),
                estimated=estimated and kind == Kind.ROAD,
                outdoor=kind == Kind.WALK,
                label=source if kind == Kind.ROAD else "",
            )
        end = timeline[-1][4]
        if rest is None:
            walked = any(t[0] == Kind.WALK for t in timeline)
            rest = s.rest_after_walk_minutes if walked else s.rest_after_road_minutes
        if rest and b in {st.city for st in self.stays}:
            self.add(Kind.REST, end, end + dt.timedelta(minutes=rest), b, group=group)
            end += dt.timedelta(minutes=rest)
        return end

    def _in_night(self, moment: dt.datetime) -> bool:
        t = moment.timetz().replace(tzinfo=None)
        return t >= self.s.night_start or t < self.s.night_end

    def _journey_breaks(self, timeline, latest_end, deadline_rule=Rule.AIRPORT_TIME) -> str:
        s = self.s
        if latest_end is not None and timeline[-1][4] > latest_end:
            return deadline_rule
        road_today: Counter = Counter()
        walk_today: Counter = Counter()
        for kind, _f, _t, t0, t1, _km in timeline:
            minutes = int((t1 - t0).total_seconds() // 60)
            if kind == Kind.ROAD:
                day = t0.date()
                if not (self.at(day, s.night_end) <= t0 and t1 <= self.at(day, s.night_start)):
                    return Rule.NIGHT_ROAD
                road_today[day] += minutes
            else:
                walk_today[t0.date()] += minutes
        for day, minutes in road_today.items():
            if minutes + self.day_total(lambda i: i.kind == Kind.ROAD, day) > (
                s.max_road_minutes_per_day
            ):
                return Rule.ROAD_HOURS
        limit = s.walk_limit(self.req.needs)
        for day, minutes in walk_today.items():
            if minutes + self.day_total(rules.is_outdoor, day) > limit:
                return Rule.WALKING_LIMIT
        for _kind, _f, _t, t0, t1, _km in timeline:
            if rules._busy(self.items, t0, t1, Kind.OCCUPYING):
                return Rule.OVERLAP
        return ""

    def _journey_violation(self, rule: str, a: str, b: str, earliest: dt.datetime) -> Violation:
        req, s = self.req, self.s
        name_a, name_b = _name(req, a), _name(req, b)
        legs = self.segments(a, b, earliest.date())
        walk = sum(m for kind, _f, _t, m, _k in legs if kind == Kind.WALK)
        road = sum(m for kind, _f, _t, m, _k in legs if kind == Kind.ROAD)
        if rule == Rule.WALKING_LIMIT:
            stop = req.stop_at(b, earliest.date()) or req.stop_at(a, earliest.date())
            where = (
                f" from the vehicle stop {stop.distance_km:g} km outside {_name(req, stop.city)}"
                if stop
                else ""
            )
            message = (
                f"going from {name_a} to {name_b} on {earliest:%d %b} means {walk} minutes of "
                f"walking{where}; the {req.needs} profile allows "
                f"{s.walk_limit(req.needs)} a day"
            )
        elif rule == Rule.ROAD_HOURS:
            message = (
                f"the road from {name_a} to {name_b} takes {road} minutes; at most "
                f"{s.max_road_minutes_per_day} on the road a day"
            )
        elif rule == Rule.OCCASION_ARRIVAL:
            occasion = req.occasion
            message = (
                f"{occasion.name} begins on {occasion.first_day:%d %b}: the group cannot reach "
                f"{name_b} from {name_a} before then within the rules"
            )
        elif rule == Rule.AIRPORT_TIME:
            message = (
                f"the group cannot reach {name_b} from {name_a} by check-in "
                f"({s.airport_checkin_minutes} minutes before the flight) without driving "
                f"between {s.night_start:%H:%M} and {s.night_end:%H:%M}"
            )
        else:
            message = (
                f"no time on {earliest:%d %b} to drive from {name_a} to {name_b} ({road} "
                f"minutes) between {s.night_end:%H:%M} and {s.night_start:%H:%M}"
            )
        return Violation(rule, message, day=earliest.date())

    # --- visits ------------------------------------------------------------------------------

    def place_visits(self) -> None:
        req = self.req
        stay_cities = [st.city for st in self.stays]
        excursions: dict[tuple[str, str], list[SiteSpec]] = {}
        for key in dict.fromkeys(req.wishes):
            site = req.sites.get(key)
            if site is None:
                continue
            if site.city in stay_cities:
                self.place_visit(site)
                continue
            reachable = sorted(
                (req.road(city, site.city).minutes, i, city)
                for i, city in enumerate(dict.fromkeys(stay_cities))
                if req.road(city, site.city).minutes <= self.s.day_trip_max_road_minutes
            )
            if not reachable:
                self.unmet.append(
                    Unmet(
                        site.key,
                        Rule.DAY_TRIP,
                        (
                            f"no hotel within {self.s.day_trip_max_road_minutes} minutes' drive of "
                            f"{req.places[site.city].name}"
                        ),
                    )
                )
                continue
            excursions.setdefault((reachable[0][2], site.city), []).append(site)
        for (home, city), sites in excursions.items():
            self.place_excursion(home, city, sites)

    def _free_windows(self, city: str) -> list[tuple[dt.datetime, dt.datetime]]:
        return [(a, b) for place, a, b in rules.windows(self.req, self.items) if place == city]

    def _candidates(self, city: str):
        step = dt.timedelta(minutes=self.s.step_minutes)
        for lo, hi in self._free_windows(city):
            start = _round_up(lo, step)
            while start < hi:
                yield start, hi
                start += step

    def _blocking(self) -> list[Item]:
        soft = rules.prayer_blocks(self.req, self.items)
        soft += rules.meal_items(self.req, [*self.items, *soft])
        return [*[it for it in self.items if it.kind in (*Kind.OCCUPYING, Kind.REST)], *soft]

    def place_visit(self, site: SiteSpec) -> None:
        req, s = self.req, self.s
        length = dt.timedelta(minutes=site.visit_minutes)
        blocking = self._blocking()
        prayers = [it for it in blocking if it.kind == Kind.PRAYER]
        best, failures = None, Counter()
        for start, window_end in self._candidates(site.city):
            end = start + length
            reason = self._visit_breaks(site, start, end, window_end, blocking)
            if reason:
                failures[reason] += 1
                continue
            probe = Item("x", Kind.VISIT, start, end, site.city, outdoor=site.outdoor)
            nxt = min((p.start for p in prayers if p.start >= start), default=None)
            squeezed = nxt is not None and (nxt - end) < dt.timedelta(minutes=s.squeeze_minutes)
            key = (rules.hot_minutes(req, probe), squeezed, start)
            if best is None or key < best[0]:
                best = (key, start)
        if best is None:
            rule = _main_reason(failures)
            self.unmet.append(Unmet(site.key, rule, _visit_reason(req, site, rule)))
            return
        start = best[1]
        self.add(Kind.VISIT, start, start + length, site.city, site=site.key, outdoor=site.outdoor)

    def _visit_breaks(self, site, start, end, window_end, blocking) -> str:
        s, req = self.s, self.req
        day = start.date()
        if end > window_end:
            return Rule.PLACE
        if not (self.at(day, s.day_start) <= start and end <= self.at(day, s.day_end)):
            return Rule.VISIT_TIME
        if not rules.open_during(req, site, start, end):
            return Rule.OPENING_HOURS
        if rules._busy(blocking, start, end, (*Kind.OCCUPYING, Kind.REST, *Kind.SOFT)):
            return Rule.OVERLAP
        minutes = int((end - start).total_seconds() // 60)
        visits = self.day_total(lambda i: i.kind == Kind.VISIT, day)
        if visits + minutes > s.max_visit_minutes_per_day:
            return Rule.VISIT_TIME
        if site.outdoor and (
            self.day_total(rules.is_outdoor, day) + minutes > s.walk_limit(req.needs)
        ):
            return Rule.WALKING_LIMIT
        return ""

    def place_excursion(self, home: str, city: str, sites: list[SiteSpec]) -> None:
        """A day trip from `home` to `city` for `sites` (fewer, the least wanted dropped,
        until the trip fits in one day)."""
        req = self.req
        road = req.road(home, city)
        drive = dt.timedelta(minutes=road.minutes)
        for count in range(len(sites), 0, -1):
            chosen = sites[:count]
            best, failures = None, Counter()
            blocking = [it for it in self.items if it.kind in (*Kind.OCCUPYING, Kind.REST)]
            prayers = rules.prayer_blocks(req, self.items)
            for start, window_end in self._candidates(home):
                plan = self._excursion_timeline(home, city, chosen, start, drive)
                reason = self._excursion_breaks(plan, window_end, blocking)
                if reason:
                    failures[reason] += 1
                    continue
                hot = sum(rules.hot_minutes(req, it) for it in plan)
                praying = sum(
                    rules.overlap_minutes(it.start, it.end, p.start, p.end)
                    for it in plan
                    for p in prayers
                )
                key = (hot, praying, start)
                if best is None or key < best[0]:
                    best = (key, plan)
            if best is not None:
                self.groups += 1
                for it in best[1]:
                    fields = {"group": f"x{self.groups}"} if it.kind == Kind.ROAD else {}
                    self.add(
                        it.kind,
                        it.start,
                        it.end,
                        it.city,
                        from_city=it.from_city,
                        site=it.site,
                        outdoor=it.outdoor,
                        km=it.km,
                        estimated=it.estimated,
                        **fields,
                    )
                for site in sites[count:]:
                    self.unmet.append(
                        Unmet(site.key, Rule.VISIT_TIME, ("the day trip has no time left for it"))
                    )
                return
        rule = _main_reason(failures)
        for site in sites:
            self.unmet.append(Unmet(site.key, rule, _visit_reason(req, site, rule)))

    def _excursion_timeline(self, home, city, sites, start, drive) -> list[Item]:
        road = self.req.road(home, city)
        out = Item(
            "x",
            Kind.ROAD,
            start,
            start + drive,
            city,
            from_city=home,
            km=road.km,
            estimated=road.estimated,
        )
        timeline, cursor = [out], out.end
        for site in sites:
            end = cursor + dt.timedelta(minutes=site.visit_minutes)
            timeline.append(
                Item("x", Kind.VISIT, cursor, end, city, site=site.key, outdoor=site.outdoor)
            )
            cursor = end
        timeline.append(
            Item(
                "x",
                Kind.ROAD,
                cursor,
                cursor + drive,
                home,
                from_city=city,
                km=road.km,
                estimated=road.estimated,
            )
        )
        return timeline

    def _excursion_breaks(self, timeline: list[Item], window_end, blocking) -> str:
        s, req = self.s, self.req
        day = timeline[0].start.date()
        if timeline[-1].end > window_end:
            return Rule.PLACE
        if timeline[-1].end.date() != day:
            return Rule.NIGHT_ROAD
        for it in timeline:
            if rules._busy(blocking, it.start, it.end, (*Kind.OCCUPYING, Kind.REST)):
                return Rule.OVERLAP
            if it.kind == Kind.ROAD:
                if not (
                    self.at(day, s.night_end) <= it.start and it.end <= self.at(day, s.night_start)
                ):
                    return Rule.NIGHT_ROAD
                if req.stop_at(it.city, day) or req.stop_at(it.from_city, day):
                    return Rule.VEHICLE_STOP
            else:
                site = req.sites[it.site]
                if not (
                    self.at(day, s.day_start) <= it.start and it.end <= self.at(day, s.day_end)
                ):
                    return Rule.VISIT_TIME
                if not rules.open_during(req, site, it.start, it.end):
                    return Rule.OPENING_HOURS
        road = sum(it.minutes for it in timeline if it.kind == Kind.ROAD)
        if road + self.day_total(lambda i: i.kind == Kind.ROAD, day) > s.max_road_minutes_per_day:
            return Rule.ROAD_HOURS
        visits = sum(it.minutes for it in timeline if it.kind == Kind.VISIT)
        if visits + self.day_total(lambda i: i.kind == Kind.VISIT, day) > (
            s.max_visit_minutes_per_day
        ):
            return Rule.VISIT_TIME
        walking = sum(rules.walking_minutes(it) for it in timeline)
        if walking and walking + self.day_total(rules.is_outdoor, day) > s.walk_limit(req.needs):
            return Rule.WALKING_LIMIT
        return ""


def _round_up(moment: dt.datetime, step: dt.timedelta) -> dt.datetime:
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    steps = -(-(moment - midnight) // step)
    return midnight + steps * step


# When no time slot fits a visit, the reason reported is the most specific rule that ruled
# slots out: the one that ruled out slots every other rule allowed comes first.
_REASON_ORDER = (
    Rule.WALKING_LIMIT,
    Rule.VEHICLE_STOP,
    Rule.OPENING_HOURS,
    Rule.ROAD_HOURS,
    Rule.NIGHT_ROAD,
    Rule.VISIT_TIME,
    Rule.OVERLAP,
    Rule.PLACE,
)


def _main_reason(failures: Counter) -> str:
    for rule in _REASON_ORDER:
        if failures.get(rule):
            return rule
    return Rule.PLACE


def _visit_reason(req: PlanRequest, site: SiteSpec, rule: str) -> str:
    s = req.settings
    if rule == Rule.WALKING_LIMIT:
        return (
            f"an outdoor visit of {site.visit_minutes} minutes does not fit in the "
            f"{req.needs} profile's {s.walk_limit(req.needs)} minutes of walking a day"
        )
    if rule == Rule.OPENING_HOURS:
        return f"open {site.opens:%H:%M}–{site.closes:%H:%M}; no free time then"
    if rule == Rule.VEHICLE_STOP:
        return "vehicles are stopped outside the city on every possible day"
    if rule == Rule.ROAD_HOURS:
        return f"the day trip would pass {s.max_road_minutes_per_day} minutes on the road"
    if rule == Rule.VISIT_TIME:
        return f"no free {site.visit_minutes} minutes within the visiting day and daily limit"
    return "the group has no free time while it is in the city"


def _name(req: PlanRequest, key: str) -> str:
    return rules._name(req, key) if base(key) in req.places else key
