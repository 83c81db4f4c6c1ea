"""Reads of the itineraries app: the planner's request from the database, a trip's itinerary
for the acting user, the timeline and map of a plan, and the visits the slot scheduler books.

Reference data (site facts, climate, vehicle stops, circuits) is public, like the places.
An itinerary is read through `trips.selectors.trip_get_for`: whoever may see the trip (its
organiser's staff, officials, its leaders and members) may see its plan; no one else learns
that it exists.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django_scopes import scopes_disabled

from zaireen.core.queries import one_or_none
from zaireen.itineraries import planner
from zaireen.itineraries.models import Circuit, CityClimate, Itinerary, SiteFact, VehicleStop
from zaireen.itineraries.planner import Kind, PlanRequest, RuleSettings
from zaireen.places.geo import great_circle_km
from zaireen.places.models import Airport, City, Country, RoadLeg, Site, Zone
from zaireen.places.travel import KnownLeg, Point, travel_time
from zaireen.planning import hijri
from zaireen.planning.selectors import offsets_table
from zaireen.trips.models import Trip
from zaireen.trips.selectors import trip_get_for

IRAQ_TZ = "Asia/Baghdad"


# --- Settings ----------------------------------------------------------------------------------


def _hours(text: str) -> tuple[dt.time, dt.time]:
    first, second = (dt.time.fromisoformat(part.strip()) for part in text.split("-"))
    return first, second


def rule_settings() -> RuleSettings:
    """The planner's rule numbers from the Django settings (environment)."""
    night_start, night_end = _hours(settings.ZAIREEN_ITINERARY_NIGHT)
    return RuleSettings(
        night_start=night_start,
        night_end=night_end,
        max_road_minutes_per_day=round(settings.ZAIREEN_ITINERARY_MAX_ROAD_HOURS * 60),
        walk_limits=dict(settings.ZAIREEN_ITINERARY_WALK_MINUTES),
        heat_threshold_c=settings.ZAIREEN_ITINERARY_HEAT_C,
    )


def default_hours() -> tuple[dt.time, dt.time]:
    """The stated default opening hours of a site whose own are not published."""
    return _hours(settings.ZAIREEN_ITINERARY_DEFAULT_HOURS)


# --- Reference data --------------------------------------------------------------------------


def site_facts():
    return SiteFact.objects.select_related("site", "site__city").order_by(
        "site__city__name", "site__name"
    )


def plannable_sites():
    """Sites that have visit facts, i.e. can be wished for and visited."""
    return (
        Site.objects.filter(fact__isnull=False)
        .select_related("city", "fact")
        .order_by("city__name", "name")
    )


def climate_table() -> list[tuple[City, list[CityClimate]]]:
    rows = defaultdict(list)
    for row in CityClimate.objects.select_related("city").order_by("city__name", "month"):
        rows[row.city].append(row)
    return list(rows.items())


def vehicle_stops():
    return VehicleStop.objects.select_related("city").order_by("occasion")


def circuits():
    return Circuit.objects.select_related("airport").order_by("airport__iata")


def occasion_names() -> dict[str, str]:
    return {o.key: o.name for o in hijri.load_occasions()}


# --- Building the planner's request -----------------------------------------------------------


@dataclass(frozen=True)
class PlanInput:
    """What an organiser sets for a plan (the rest comes from the trip and the data)."""

    arrival_at: dt.datetime
    departure_at: dt.datetime
    stays: tuple[tuple[str, int, str], ...]  # (city key, nights, hotel name)
    wishes: tuple[str, ...]
    needs: str
    occasion: str = ""


def _network(cities: list[City], airports: list[Airport]):
    """Places and road times between every pair of cities and airports (4 queries)."""
    places = {c.slug: planner.Place(c.slug, c.name, c.lat, c.lon) for c in cities}
    places.update({a.iata: planner.Place(a.iata, a.name, a.lat, a.lon) for a in airports})
    airport_city = {a.iata: a.city.slug for a in airports}
    ids = [c.id for c in cities]
    legs = {
        frozenset((leg.from_city.slug, leg.to_city.slug)): KnownLeg(
            leg.distance_km, leg.drive_minutes, leg.source
        )
        for leg in RoadLeg.objects.filter(from_city__in=ids, to_city__in=ids).select_related(
            "from_city", "to_city"
        )
    }
    factor, speed = settings.ZAIREEN_ROAD_FACTOR, settings.ZAIREEN_ESTIMATE_SPEED_KMH

    def drive(a: str, b: str, known=None):
        pa, pb = places[a], places[b]
        return travel_time(
            Point(a, pa.lat, pa.lon),
            Point(b, pb.lat, pb.lon),
            known,
            road_factor=factor,
            speed_kmh=speed,
        )

    roads = {}
    for a in places:
        for b in places:
            if a == b:
                continue
            ca, cb = airport_city.get(a, a), airport_city.get(b, b)
            minutes, km, estimated, source = 0, 0.0, False, ""
            if ca != cb:
                t = drive(ca, cb, legs.get(frozenset((ca, cb))))
                minutes, km, estimated, source = t.minutes, t.distance_km, t.is_estimate, t.source
            for node, city in ((a, ca), (b, cb)):
                if node != city:  # an airport: the drive to its city's centre, estimated
                    access = drive(node, city)
                    minutes += access.minutes
                    km += access.distance_km
                    estimated = True
            roads[(a, b)] = planner.Road(minutes, round(km, 1), estimated, source)
    return places, roads


def _sites() -> dict[str, planner.SiteSpec]:
    opens, closes = default_hours()
    specs = {}
    for site in plannable_sites():
        fact = site.fact
        hours = (None, None) if fact.open_24h else (fact.opens or opens, fact.closes or closes)
        specs[site.slug] = planner.SiteSpec(
            site.slug,
            site.name,
            site.city.slug,
            site.lat,
            site.lon,
            fact.visit_minutes,
            hours[0],
            hours[1],
            fact.outdoor,
        )
    return specs


def plan_request(
    trip: Trip, data: PlanInput, *, offsets: hijri.Offsets | None = None
) -> PlanRequest:
    """The planner's request for `trip` with the organiser's `data`, from today's reference
    data and the Hijri offsets in force (or `offsets`, to see what a change would do)."""
    table = offsets_table() if offsets is None else offsets
    cities = list(City.objects.filter(country=Country.IRAQ))
    airports = list(Airport.objects.filter(city__country=Country.IRAQ).select_related("city"))
    places, roads = _network(cities, airports)
    tz = zoneinfo.ZoneInfo(IRAQ_TZ)
    first, last = data.arrival_at.astimezone(tz).date(), data.departure_at.astimezone(tz).date()
    dated = hijri.occasions_between(first, last, table)
    stops_by_occasion = {s.occasion: s for s in VehicleStop.objects.select_related("city")}
    stops, peaks, occasion = [], [], None
    for when in dated:
        o = when.occasion
        spec = planner.OccasionSpec(
            o.key, o.name, o.city, when.start, when.end, peak=o.crowd_level == "peak"
        )
        if o.crowd_level == "peak":
            peaks.append(spec)
        if o.key == data.occasion:
            occasion = spec
        stop = stops_by_occasion.get(o.key)
        if stop is not None:
            stops.append(
                planner.VehicleStop(
                    stop.city.slug,
                    when.start - dt.timedelta(days=stop.days_before),
                    when.end + dt.timedelta(days=stop.days_after),
                    float(stop.distance_km),
                    o.key,
                )
            )
    circuit = one_or_none(Circuit.objects.filter(airport__iata=trip.outbound_to.iata))
    return PlanRequest(
        timezone=IRAQ_TZ,
        arrival_airport=trip.outbound_to.iata,
        arrival_at=data.arrival_at.astimezone(tz),
        departure_airport=trip.return_from.iata,
        departure_at=data.departure_at.astimezone(tz),
        stays=tuple(planner.StaySpec(city, nights, hotel) for city, nights, hotel in data.stays),
        wishes=tuple(data.wishes),
        needs=data.needs,
        places=places,
        sites=_sites(),
        roads=roads,
        occasion=occasion,
        stops=tuple(stops),
        peaks=tuple(peaks),
        climate={
            (city, month): float(value)
            for city, month, value in CityClimate.objects.values_list(
                "city__slug", "month", "mean_max_c"
            )
        },
        circuit=tuple(circuit.cities) if circuit else (),
        settings=rule_settings(),
    )


def input_of(itinerary: Itinerary) -> PlanInput:
    tz = zoneinfo.ZoneInfo(IRAQ_TZ)
    return PlanInput(
        arrival_at=itinerary.arrival_at.astimezone(tz),
        departure_at=itinerary.departure_at.astimezone(tz),
        stays=tuple((s["city"], int(s["nights"]), s.get("hotel", "")) for s in itinerary.stays),
        wishes=tuple(itinerary.wishes),
        needs=itinerary.needs,
        occasion=itinerary.occasion,
    )


def plan_of(itinerary: Itinerary) -> planner.Plan:
    return planner.plan_from_data(itinerary.plan)


# --- A trip's itinerary ------------------------------------------------------------------------


def itinerary_get_for(*, actor: Any, trip_uid: Any) -> tuple[Trip, Itinerary | None]:
    """The trip (if the actor may see it; else NotFound) and its itinerary, if planned."""
    trip = trip_get_for(actor=actor, uid=trip_uid)
    with scopes_disabled():
        itinerary = one_or_none(Itinerary.objects.filter(trip=trip))
    return trip, itinerary


def plan_defaults(trip: Trip) -> dict[str, Any]:
    """A new plan's inputs: landing at 10:00 on the departure day, take-off at 18:00 on the
    return day (assumptions to correct with the flight times), the trip's hotels, the usual
    sites of the arrival airport's circuit, and the peak occasion of a hotel city, if any."""
    tz = zoneinfo.ZoneInfo(IRAQ_TZ)
    hotels = list(trip.hotels.select_related("city").order_by("position", "id"))
    circuit = one_or_none(Circuit.objects.filter(airport=trip.outbound_to))
    cities = {h.city.slug for h in hotels}
    occasion = ""
    for when in hijri.occasions_between(trip.departure_date, trip.return_date, offsets_table()):
        if when.occasion.crowd_level == "peak" and when.occasion.city in cities:
            occasion = when.occasion.key
            break
    return {
        "arrival_at": dt.datetime.combine(trip.departure_date, dt.time(10, 0), tzinfo=tz),
        "departure_at": dt.datetime.combine(trip.return_date, dt.time(18, 0), tzinfo=tz),
        "stays": [(h.city.slug, h.nights, h.name) for h in hotels],
        "wishes": list(circuit.sites) if circuit else [],
        "needs": "standard",
        "occasion": occasion,
    }


# --- Showing a plan -----------------------------------------------------------------------------


def place_names() -> dict[str, str]:
    names = dict(City.objects.values_list("slug", "name"))
    names.update(dict(Airport.objects.values_list("iata", "iata")))
    return names


def site_names() -> dict[str, str]:
    return dict(Site.objects.values_list("slug", "name"))


@dataclass(frozen=True)
class Day:
    day: dt.date
    hijri: hijri.HijriDate | None
    items: list[planner.Item]
    warnings: list[planner.Warning]
    city: str


def timeline(plan: planner.Plan, *, offsets: hijri.Offsets | None = None) -> list[Day]:
    """The plan day by day, each day with its Hijri date, items and warnings."""
    table = offsets_table() if offsets is None else offsets
    by_day = defaultdict(list)
    for it in plan.items:
        by_day[it.start.date()].append(it)
    warned = defaultdict(list)
    for w in plan.warnings:
        warned[w.day].append(w)
    days = []
    for day in plan.days():
        try:
            h = hijri.to_hijri(day, table)
        except ValueError:
            h = None
        items = by_day.get(day, [])
        stay = next((s for s in plan.stays if s.first_night <= day < s.leave_day), None)
        days.append(Day(day, h, items, warned.get(day, []), stay.city if stay else ""))
    return days


def map_features(plan: planner.Plan) -> dict[str, Any]:
    """The route as GeoJSON: stays, visited sites, airports, vehicle stops, and the road and
    walking legs as lines (straight: the map shows the order, not the roads)."""
    keys = {planner.base(it.city) for it in plan.items} | {
        planner.base(it.from_city) for it in plan.items if it.from_city
    }
    cities = {c.slug: c for c in City.objects.filter(slug__in=keys)}
    airports = {a.iata: a for a in Airport.objects.filter(iata__in=keys)}
    sites = {s.slug: s for s in Site.objects.filter(slug__in={it.site for it in plan.items})}

    def point(key: str) -> tuple[float, float] | None:
        obj = cities.get(key) or airports.get(key)
        return (obj.lon, obj.lat) if obj else None

    def stop_point(city: str, other: str) -> tuple[float, float] | None:
        """Where the vehicle stop outside `city` lies, towards `other` [approximate]."""
        a, b = point(city), point(other)
        move = next((it for it in plan.items if planner.base(it.city) == city), None)
        if a is None or b is None or move is None:
            return a
        total = great_circle_km(a[1], a[0], b[1], b[0]) or 1.0
        walk = next(
            (it.km for it in plan.items if it.kind == Kind.WALK and planner.base(it.city) == city),
            0.0,
        )
        share = min(1.0, walk / total)
        return (a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share)

    features: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, stay in enumerate(plan.stays, start=1):
        p = point(stay.city)
        if p and stay.city not in seen:
            seen.add(stay.city)
            features.append(
                _feature(
                    p,
                    layer="stay",
                    name=cities[stay.city].name,
                    order=n,
                    nights=stay.nights,
                    hotel=stay.hotel,
                )
            )
    for key, airport in airports.items():
        features.append(
            _feature((airport.lon, airport.lat), layer="airport", name=airport.name, code=key)
        )
    for it in plan.items:
        if it.kind == Kind.VISIT and it.site in sites and it.site not in seen:
            seen.add(it.site)
            s = sites[it.site]
            features.append(
                _feature(
                    (s.lon, s.lat), layer="site", name=s.name, when=it.start.strftime("%d %b %H:%M")
                )
            )
    for it in plan.items:
        if it.kind not in Kind.MOVES:
            continue
        ends = []
        for key, other in ((it.from_city, it.city), (it.city, it.from_city)):
            if key.startswith("~"):
                ends.append(stop_point(planner.base(key), planner.base(other)))
            else:
                ends.append(point(key))
        if None in ends:
            continue
        if it.city.startswith("~") or it.from_city.startswith("~"):
            stop = ends[1] if it.city.startswith("~") else ends[0]
            name = cities[planner.base(it.city if it.city.startswith("~") else it.from_city)].name
            features.append(_feature(stop, layer="vehicle_stop", name=name, approximate=True))
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [list(ends[0]), list(ends[1])]},
                "properties": {
                    "layer": it.kind,
                    "minutes": it.minutes,
                    "km": it.km,
                    "when": it.start.strftime("%d %b %H:%M"),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _feature(coords, **properties) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": list(coords)},
        "properties": properties,
    }


# --- For the slot scheduler ----------------------------------------------------------------------


@dataclass(frozen=True)
class ZoneVisit:
    """One planned visit of a trip to one capacity zone of a site."""

    itinerary: Any  # the itinerary's uid
    trip: Any  # the trip's uid
    item: str  # the plan item's key
    site: str  # site key
    zone: str  # zone key (places.Zone.slug)
    start: dt.datetime  # planned start (aware)
    window_start: dt.datetime  # the visit may begin from here...
    window_end: dt.datetime  # ...and must end by here, keeping the plan's rules
    minutes: int
    people: int  # members on the trip


def _visit_window(plan: planner.Plan, req: PlanRequest, it: planner.Item, site) -> tuple:
    """The stretch of the visit's day in which it may move without breaking a hard rule it
    keeps now: between the neighbouring occupying items, inside the visiting day and the
    site's opening hours, while the group is in the city."""
    s = req.settings
    tz = req.timezone
    day = it.start.date()
    lo = planner.rules.at(day, s.day_start, tz)
    hi = planner.rules.at(day, s.day_end, tz)
    if not site.always_open:
        lo = max(lo, planner.rules.at(day, site.opens, tz))
        hi = min(hi, planner.rules.at(day, site.closes, tz))
    for other in plan.items:
        if other.key == it.key or other.kind not in (*Kind.OCCUPYING, Kind.REST):
            continue
        if other.end <= it.start:
            lo = max(lo, other.end)
        elif other.start >= it.end:
            hi = min(hi, other.start)
    return lo, hi


def zone_visits(trip: Trip) -> list[ZoneVisit]:
    """Each planned visit of `trip` to a site with capacity zones, one row per zone, with its
    planned start, the window it may move in and its duration. Visits to sites without
    zones are left out (nothing to book). The caller authorises: this is for the slot
    scheduler, which works on trips it already holds."""
    with scopes_disabled():
        itinerary = one_or_none(Itinerary.objects.filter(trip=trip).select_related("trip"))
        if itinerary is None or not itinerary.plan:
            return []
        people = trip.members.filter(returned_at=None).count()
    plan = plan_of(itinerary)
    visits = [it for it in plan.items if it.kind == Kind.VISIT]
    zones = defaultdict(list)
    for slug, site in Zone.objects.filter(site__slug__in={v.site for v in visits}).values_list(
        "slug", "site__slug"
    ):
        zones[site].append(slug)
    if not zones:
        return []
    req = plan_request(trip, input_of(itinerary))
    rows = []
    for it in visits:
        site = req.sites.get(it.site)
        if site is None:
            continue
        lo, hi = _visit_window(plan, req, it, site)
        rows.extend(
            ZoneVisit(
                itinerary.uid, trip.uid, it.key, it.site, zone, it.start, lo, hi, it.minutes, people
            )
            for zone in sorted(zones.get(it.site, []))
        )
    return rows


def itineraries_touching(first: dt.date, last: dt.date) -> list[Itinerary]:
    """Saved itineraries with at least one day in `first`..`last` (for re-checks)."""
    tz = zoneinfo.ZoneInfo(IRAQ_TZ)
    lo = dt.datetime.combine(first, dt.time(0, 0), tzinfo=tz)
    hi = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0, 0), tzinfo=tz)
    with scopes_disabled():
        return list(
            Itinerary.objects.filter(Q(arrival_at__lt=hi) & Q(departure_at__gte=lo))
            .exclude(plan={})
            .select_related("trip", "trip__outbound_to", "trip__return_from", "organiser")
        )
