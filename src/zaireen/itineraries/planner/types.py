"""The planner's vocabulary: what goes in, what comes out, and the rules' names.

Pure Python (no Django). Times are aware datetimes in the plan's time zone; every city a plan
touches must share that zone (Iraq's cities all keep Asia/Baghdad, without daylight saving).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


class Rule:
    """The hard rules, by code. Pages and the PDF translate the codes (`itineraries.labels`)."""

    HOTEL_NIGHTS = "hotel_nights"  # the stays' nights add up to the trip's nights
    NIGHT_ROAD = "night_road"  # no road leg between night_start and night_end
    ROAD_HOURS = "road_hours"  # at most max_road_minutes on the road a day
    OPENING_HOURS = "opening_hours"  # visits inside the site's opening hours
    OCCASION_ARRIVAL = "occasion_arrival"  # in the occasion's city before it begins
    WALKING_LIMIT = "walking_limit"  # walking minutes a day within the needs profile
    VEHICLE_STOP = "vehicle_stop"  # at peak occasions vehicles stop outside the city
    OVERLAP = "overlap"  # the group does one thing at a time
    PLACE = "place"  # a visit happens where the group is; legs start where it is
    AIRPORT_TIME = "airport_time"  # at the airport in time for the flight home
    VISIT_TIME = "visit_time"  # visits between day_start and day_end, visits a day
    DAY_TRIP = "day_trip"  # a site outside every stay's city is within day-trip reach
    REMOVED = "removed"  # an unmet wish the organiser removed

    HARD = (
        HOTEL_NIGHTS,
        NIGHT_ROAD,
        ROAD_HOURS,
        OPENING_HOURS,
        OCCASION_ARRIVAL,
        WALKING_LIMIT,
        VEHICLE_STOP,
        OVERLAP,
        PLACE,
        AIRPORT_TIME,
        VISIT_TIME,
    )


class Kind:
    """Kinds of plan items."""

    FLIGHT_IN = "flight_in"  # the landing (a moment)
    FLIGHT_OUT = "flight_out"  # the take-off (a moment)
    AIRPORT = "airport"  # formalities after landing, check-in before the flight home
    WAIT = "wait"  # waiting, e.g. for the end of the night before a road leg
    ROAD = "road"
    WALK = "walk"
    VISIT = "visit"
    REST = "rest"  # check-in and rest after a journey (fatigue)
    PRAYER = "prayer"
    MEAL = "meal"

    MOVES = (ROAD, WALK)
    # Things the group does that exclude each other in time; prayers, meals and rest are
    # fitted around them.
    OCCUPYING = (AIRPORT, WAIT, ROAD, WALK, VISIT)
    SOFT = (PRAYER, MEAL)


OUTSIDE = "~"  # prefix of a place key: the vehicle stop outside that city


def outside(city: str) -> str:
    """The place key of the vehicle stop outside `city`."""
    return OUTSIDE + city


def base(key: str) -> str:
    """The city of a place key, the vehicle stop's city for "~city"."""
    return key.removeprefix(OUTSIDE)


class Needs:
    STANDARD = "standard"
    ELDERLY = "elderly"
    WHEELCHAIR = "wheelchair"
    ALL = (STANDARD, ELDERLY, WHEELCHAIR)


@dataclass(frozen=True)
class Meal:
    name: str
    earliest: dt.time
    latest: dt.time  # the meal ends by then
    minutes: int


@dataclass(frozen=True)
class RuleSettings:
    """The numbers behind the rules. The defaults are stated assumptions unless the docs give
    a source; `itineraries.selectors.rule_settings()` reads them from Django settings."""

    night_start: dt.time = dt.time(22, 0)
    night_end: dt.time = dt.time(5, 0)
    max_road_minutes_per_day: int = 8 * 60
    walk_limits: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType(
            {Needs.STANDARD: 300, Needs.ELDERLY: 90, Needs.WHEELCHAIR: 30}
        )
    )
    walk_speed_kmh: float = 3.5
    heat_threshold_c: float = 40.0
    hot_start: dt.time = dt.time(11, 0)
    hot_end: dt.time = dt.time(16, 0)
    airport_exit_minutes: int = 90
    airport_checkin_minutes: int = 180
    rest_after_flight_minutes: int = 180
    rest_after_walk_minutes: int = 120
    rest_after_road_minutes: int = 60
    usual_departure: dt.time = dt.time(8, 0)
    day_start: dt.time = dt.time(6, 0)
    day_end: dt.time = dt.time(22, 0)
    max_visit_minutes_per_day: int = 7 * 60
    day_trip_max_road_minutes: int = 150
    squeeze_minutes: int = 20
    prayer_minutes: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType({"fajr": 20, "dhuhr": 40, "maghrib": 40})
    )
    meals: tuple[Meal, ...] = (
        Meal("breakfast", dt.time(6, 30), dt.time(9, 30), 45),
        Meal("lunch", dt.time(12, 30), dt.time(15, 30), 60),
        Meal("dinner", dt.time(19, 30), dt.time(21, 45), 60),
    )
    step_minutes: int = 15

    def walk_limit(self, needs: str) -> int:
        return int(self.walk_limits[needs])


@dataclass(frozen=True)
class Place:
    """A city or an airport: a node the group travels between."""

    key: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class SiteSpec:
    key: str
    name: str
    city: str
    lat: float
    lon: float
    visit_minutes: int
    opens: dt.time | None = None  # None with closes None: open 24 hours
    closes: dt.time | None = None
    outdoor: bool = False  # a visit there is outdoor walking (heat, walking limit)

    @property
    def always_open(self) -> bool:
        return self.opens is None or self.closes is None


@dataclass(frozen=True)
class Road:
    """A drive between two nodes (from `places.travel`)."""

    minutes: int
    km: float
    estimated: bool = False
    source: str = ""


@dataclass(frozen=True)
class VehicleStop:
    """Vehicles are stopped `distance_km` outside `city` on `first_day`..`last_day`."""

    city: str
    first_day: dt.date
    last_day: dt.date
    distance_km: float
    occasion: str = ""

    def applies(self, city: str, day: dt.date) -> bool:
        return city == self.city and self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class OccasionSpec:
    key: str
    name: str
    city: str
    first_day: dt.date
    last_day: dt.date
    peak: bool = False


@dataclass(frozen=True)
class StaySpec:
    city: str
    nights: int
    hotel: str = ""


@dataclass(frozen=True)
class PlanRequest:
    timezone: str
    arrival_airport: str  # a key of `places`
    arrival_at: dt.datetime
    departure_airport: str
    departure_at: dt.datetime
    stays: tuple[StaySpec, ...]
    wishes: tuple[str, ...]  # site keys, most wanted first
    needs: str
    places: Mapping[str, Place]
    sites: Mapping[str, SiteSpec]
    roads: Mapping[tuple[str, str], Road]  # both directions
    occasion: OccasionSpec | None = None
    stops: tuple[VehicleStop, ...] = ()
    peaks: tuple[OccasionSpec, ...] = ()  # crowded occasions during the trip (warnings)
    climate: Mapping[tuple[str, int], float] = field(default_factory=dict)
    circuit: tuple[str, ...] = ()  # the usual order of cities from the arrival airport
    settings: RuleSettings = field(default_factory=RuleSettings)

    def road(self, a: str, b: str) -> Road:
        if a == b:
            return Road(0, 0.0)
        try:
            return self.roads[(a, b)]
        except KeyError:
            raise KeyError(f"no road time between {a!r} and {b!r}") from None

    def stop_at(self, city: str, day: dt.date) -> VehicleStop | None:
        for stop in self.stops:
            if stop.applies(city, day):
                return stop
        return None


@dataclass(frozen=True)
class Item:
    """One line of the plan. `group` ties items that move together (a journey: its road and
    walking legs and the rest after it)."""

    key: str
    kind: str
    start: dt.datetime
    end: dt.datetime
    city: str  # where it happens; for a move, where it ends ("~karbala": the vehicle stop)
    from_city: str = ""  # for a move, where it starts
    site: str = ""
    label: str = ""  # prayer or meal name, airport code, the reason of a wait
    group: str = ""
    km: float = 0.0
    estimated: bool = False
    outdoor: bool = False
    on_the_way: bool = False  # a prayer or meal taken while travelling
    by_organiser: bool = False

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def day(self) -> dt.date:
        return self.start.date()


@dataclass(frozen=True)
class Stay:
    city: str
    first_night: dt.date
    nights: int
    hotel: str = ""

    @property
    def leave_day(self) -> dt.date:
        return self.first_night + dt.timedelta(days=self.nights)


@dataclass(frozen=True)
class Unmet:
    """A wished site the plan does not visit, and the rule that prevented it."""

    site: str
    rule: str
    detail: str = ""


@dataclass(frozen=True)
class Warning:
    """Something the organiser should know; the plan still keeps every hard rule."""

    code: str  # heat, squeezed, peak_occasion, estimate, meal_on_the_way
    day: dt.date
    item: str = ""  # the item's key, if about one item
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Violation:
    """A hard rule a plan (or an edit) breaks."""

    rule: str
    message: str
    item: str = ""
    day: dt.date | None = None


@dataclass(frozen=True)
class Plan:
    items: tuple[Item, ...]
    stays: tuple[Stay, ...]
    unmet: tuple[Unmet, ...] = ()
    warnings: tuple[Warning, ...] = ()
    orders_considered: int = 1

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(s.city for s in self.stays)

    def item(self, key: str) -> Item:
        for it in self.items:
            if it.key == key:
                return it
        raise KeyError(key)

    def of_kind(self, *kinds: str) -> list[Item]:
        return [it for it in self.items if it.kind in kinds]

    @property
    def road_minutes(self) -> int:
        return sum(it.minutes for it in self.items if it.kind == Kind.ROAD)

    @property
    def walk_minutes(self) -> int:
        return sum(it.minutes for it in self.items if it.kind == Kind.WALK)

    def days(self) -> list[dt.date]:
        if not self.items:
            return []
        first, last = self.items[0].start.date(), max(it.end for it in self.items).date()
        return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]

    def items_on(self, day: dt.date) -> list[Item]:
        return [it for it in self.items if it.start.date() == day]


class PlanRefused(Exception):
    """No plan keeps every hard rule; `rule` names the one that stopped it."""

    def __init__(self, violation: Violation, *, field: str = "__all__") -> None:
        super().__init__(violation.message)
        self.violation = violation
        self.rule = violation.rule
        self.field = field


class EditRefused(PlanRefused):
    """An organiser's edit would break a hard rule."""
