"""Plan requests built from the shipped data files alone (no database): the pure planner's
tests and property tests use these."""

from __future__ import annotations

import datetime as dt
from functools import cache

from zaireen.itineraries.loader import read_reference
from zaireen.itineraries.planner import (
    OccasionSpec,
    Place,
    PlanRequest,
    Road,
    RuleSettings,
    SiteSpec,
    StaySpec,
    VehicleStop,
)
from zaireen.places.loader import read_dataset
from zaireen.places.models import Country, Site
from zaireen.places.services import DATA_DIR as PLACES_DIR
from zaireen.places.travel import KnownLeg, Point, travel_time
from zaireen.planning import hijri

TZ = "Asia/Baghdad"
ROAD_FACTOR, SPEED = 1.3, 70.0
DEFAULT_HOURS = (dt.time(5, 0), dt.time(22, 0))
WISHES = (
    "imam-ali-shrine",
    "wadi-us-salaam",
    "great-mosque-of-kufa",
    "masjid-al-sahla",
    "imam-husayn-shrine",
    "al-abbas-shrine",
    "bayn-al-haramayn",
    "al-kadhimiya-shrine",
)


@cache
def data():
    ds = read_dataset(
        PLACES_DIR, countries=frozenset(Country.values), site_kinds=frozenset(Site.Kind.values)
    )
    occasions = {o.key: o for o in hijri.load_occasions()}
    ref = read_reference(
        sites={s.slug for s in ds.sites},
        cities={c.slug for c in ds.cities},
        airports={a.iata for a in ds.airports},
        occasions=set(occasions),
    )
    return ds, ref, occasions


@cache
def network():
    ds, ref, _ = data()
    iraq = [c for c in ds.cities if c.country == "IQ"]
    places = {c.slug: Place(c.slug, c.name, c.lat, c.lon) for c in iraq}
    airports = {a.iata: a for a in ds.airports if a.city in places}
    places.update({k: Place(k, a.name, a.lat, a.lon) for k, a in airports.items()})
    legs = {frozenset((leg.from_city, leg.to_city)): leg for leg in ds.road_legs}

    def city_road(a, b):
        if a == b:
            return Road(0, 0.0)
        pa, pb = places[a], places[b]
        leg = legs.get(frozenset((a, b)))
        known = KnownLeg(leg.distance_km, leg.drive_minutes, leg.source) if leg else None
        t = travel_time(
            Point(a, pa.lat, pa.lon),
            Point(b, pb.lat, pb.lon),
            known,
            road_factor=ROAD_FACTOR,
            speed_kmh=SPEED,
        )
        return Road(t.minutes, t.distance_km, t.is_estimate, t.source)

    def node_city(key):
        return airports[key].city if key in airports else key

    roads = {}
    for a in places:
        for b in places:
            if a == b:
                continue
            ca, cb = node_city(a), node_city(b)
            base = city_road(ca, cb)
            extra_min, extra_km = 0, 0.0
            for node, city in ((a, ca), (b, cb)):
                if node != city:
                    access = travel_time(
                        Point(node, places[node].lat, places[node].lon),
                        Point(city, places[city].lat, places[city].lon),
                        None,
                        road_factor=ROAD_FACTOR,
                        speed_kmh=SPEED,
                    )
                    extra_min += access.minutes
                    extra_km += access.distance_km
            roads[(a, b)] = Road(
                base.minutes + extra_min,
                round(base.km + extra_km, 1),
                base.estimated or bool(extra_min),
                base.source,
            )
    sites = {}
    facts = {f.site: f for f in ref.site_facts}
    for s in ds.sites:
        fact = facts.get(s.slug)
        if fact is None:
            continue
        opens, closes = (
            (None, None)
            if fact.open_24h
            else (fact.opens or DEFAULT_HOURS[0], fact.closes or DEFAULT_HOURS[1])
        )
        sites[s.slug] = SiteSpec(
            s.slug, s.name, s.city, s.lat, s.lon, fact.visit_minutes, opens, closes, fact.outdoor
        )
    climate = {(c.city, c.month): c.mean_max_c for c in ref.climate}
    return places, roads, sites, climate


def arbaeen(year: int = 1448, offsets=hijri.NO_OFFSETS) -> hijri.OccasionDate:
    _, _, occasions = data()
    return hijri.occurrence(occasions["arbaeen"], year, offsets)


def request(
    *,
    needs: str = "standard",
    arrival_time: dt.time = dt.time(2, 30),
    days_before: int = 3,
    stays=(("najaf", 2), ("karbala", 4), ("kadhimiya", 1)),
    departure_airport: str = "BGW",
    departure_time: dt.time = dt.time(9, 30),
    wishes=WISHES,
    with_occasion: bool = True,
    stop_days: tuple[int, int] = (2, 0),
    offsets=hijri.NO_OFFSETS,
    settings: RuleSettings | None = None,
    nights: int | None = None,
) -> PlanRequest:
    """A group landing in Najaf `days_before` days before Arbaeen and flying home from
    `departure_airport` after the stays' nights."""
    places, roads, sites, climate = network()
    _, ref, _ = data()
    when = arbaeen(offsets=offsets)
    arrival_day = when.start - dt.timedelta(days=days_before)
    nights = sum(n for _c, n in stays) if nights is None else nights
    import zoneinfo

    zone = zoneinfo.ZoneInfo(TZ)
    stop = next(s for s in ref.stops if s.occasion == "arbaeen")
    occasion = OccasionSpec("arbaeen", "Arbaeen", "karbala", when.start, when.end, peak=True)
    return PlanRequest(
        timezone=TZ,
        arrival_airport="NJF",
        arrival_at=dt.datetime.combine(arrival_day, arrival_time, tzinfo=zone),
        departure_airport=departure_airport,
        departure_at=dt.datetime.combine(
            arrival_day + dt.timedelta(days=nights), departure_time, tzinfo=zone
        ),
        stays=tuple(StaySpec(c, n) for c, n in stays),
        wishes=tuple(wishes),
        needs=needs,
        places=places,
        sites=sites,
        roads=roads,
        occasion=occasion if with_occasion else None,
        stops=(
            VehicleStop(
                "karbala",
                when.start - dt.timedelta(days=stop_days[0]),
                when.end + dt.timedelta(days=stop_days[1]),
                stop.distance_km,
                "arbaeen",
            ),
        ),
        peaks=(occasion,),
        climate=climate,
        circuit=("najaf", "kufa", "karbala", "kadhimiya", "samarra"),
        settings=settings or RuleSettings(),
    )
