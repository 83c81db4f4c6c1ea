"""Reads of the places app. Reference geography is public: no actor is needed."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from zaireen.core.errors import NotFound
from zaireen.core.queries import one_or_none
from zaireen.places.models import Airport, BorderCrossing, City, RoadLeg, Site
from zaireen.places.travel import KnownLeg, Point, TravelTime, travel_time


def city_list() -> QuerySet[City]:
    return City.objects.annotate(site_count=Count("sites")).order_by("country", "name")


def pilgrimage_cities() -> QuerySet[City]:
    """Cities with at least one holy site, in the order pilgrims usually meet them."""
    return city_list().filter(site_count__gt=0)


def site_list(*, city: str = "", kind: str = "", q: str = "") -> QuerySet[Site]:
    sites = Site.objects.select_related("city").annotate(zone_count=Count("zones"))
    if city:
        sites = sites.filter(city__slug=city)
    if kind:
        sites = sites.filter(kind=kind)
    if q:
        sites = sites.filter(Q(name__icontains=q) | Q(city__name__icontains=q))
    return sites.order_by("city__name", "name")


def site_get(*, slug: str) -> Site:
    site = one_or_none(
        Site.objects.select_related("city").prefetch_related("zones").filter(slug=slug)
    )
    if site is None:
        raise NotFound(f"No site with the key {slug!r}.")
    return site


def city_get(*, slug: str) -> City:
    city = one_or_none(City.objects.filter(slug=slug))
    if city is None:
        raise NotFound(f"No city with the key {slug!r}.")
    return city


def airport_list() -> QuerySet[Airport]:
    return Airport.objects.select_related("city").order_by("city__country", "iata")


def crossing_list() -> QuerySet[BorderCrossing]:
    return BorderCrossing.objects.select_related("city").order_by("country", "name")


def _known_leg(a: City, b: City) -> KnownLeg | None:
    leg = RoadLeg.objects.filter(Q(from_city=a, to_city=b) | Q(from_city=b, to_city=a)).first()
    if leg is None:
        return None
    return KnownLeg(leg.distance_km, leg.drive_minutes, leg.source)


def travel_time_between(*, origin: str, destination: str) -> TravelTime:
    """Road distance and drive time between the cities keyed `origin` and `destination`."""
    a, b = city_get(slug=origin), city_get(slug=destination)
    return travel_time(
        Point(a.slug, a.lat, a.lon),
        Point(b.slug, b.lat, b.lon),
        _known_leg(a, b),
        road_factor=settings.ZAIREEN_ROAD_FACTOR,
        speed_kmh=settings.ZAIREEN_ESTIMATE_SPEED_KMH,
    )


def travel_matrix(cities: list[City]) -> list[tuple[City, list[TravelTime]]]:
    """Every pair of `cities`, with two queries whatever the number of cities."""
    ids = [c.id for c in cities]
    legs = {
        frozenset((leg.from_city_id, leg.to_city_id)): KnownLeg(
            leg.distance_km, leg.drive_minutes, leg.source
        )
        for leg in RoadLeg.objects.filter(from_city__in=ids, to_city__in=ids)
    }
    return [
        (
            a,
            [
                travel_time(
                    Point(a.slug, a.lat, a.lon),
                    Point(b.slug, b.lat, b.lon),
                    legs.get(frozenset((a.id, b.id))),
                    road_factor=settings.ZAIREEN_ROAD_FACTOR,
                    speed_kmh=settings.ZAIREEN_ESTIMATE_SPEED_KMH,
                )
                for b in cities
            ],
        )
        for a in cities
    ]


def _feature(layer: str, obj, *, url: str = "", **props) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [obj.lon, obj.lat]},
        "properties": {
            "layer": layer,
            "key": getattr(obj, "slug", None) or getattr(obj, "iata", ""),
            "name": obj.name,
            "approximate": bool(getattr(obj, "approximate", False)),
            "url": url,
            **props,
        },
    }


def site_features(site: Site) -> dict:
    """One site as a GeoJSON FeatureCollection, for its own small map."""
    return {
        "type": "FeatureCollection",
        "features": [
            _feature("site", site, kind=site.kind, city=site.city.name, placement=site.placement)
        ],
    }


def map_features() -> dict:
    """Sites, cities, airports, crossings and road legs as one GeoJSON FeatureCollection."""
    from django.urls import reverse

    features = [
        _feature(
            "site",
            s,
            url=reverse("places:site_detail", args=[s.slug]),
            kind=s.kind,
            city=s.city.name,
            placement=s.placement,
        )
        for s in Site.objects.select_related("city").order_by("name")
    ]
    features += [
        _feature("city", c, country=c.country, placement=c.placement)
        for c in City.objects.order_by("name")
    ]
    features += [
        _feature("airport", a, code=f"{a.iata} / {a.icao}", city=a.city.name)
        for a in Airport.objects.select_related("city")
    ]
    features += [
        _feature("crossing", x, countries=f"{x.country}–{x.other_country}", placement=x.placement)
        for x in BorderCrossing.objects.all()
    ]
    for leg in RoadLeg.objects.select_related("from_city", "to_city"):
        a, b = leg.from_city, leg.to_city
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[a.lon, a.lat], [b.lon, b.lat]]},
                "properties": {
                    "layer": "road",
                    "name": f"{a.name} – {b.name}",
                    "distance_km": leg.distance_km,
                    "drive_minutes": leg.drive_minutes,
                    "source": leg.source,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
