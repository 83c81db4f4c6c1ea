"""Places API: cities, sites, airports, crossings, travel times and the map's GeoJSON."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from zaireen.places import selectors

router = Router(tags=["places"])


class CityOut(Schema):
    key: str = Field(..., alias="slug")
    name: str
    country: str
    lat: float
    lon: float
    timezone: str
    approximate: bool
    placement: str
    source: str


class ZoneOut(Schema):
    key: str = Field(..., alias="slug")
    name: str
    area_m2: int | None
    source: str


class SiteOut(Schema):
    key: str = Field(..., alias="slug")
    name: str
    city: str = Field(..., alias="city.slug")
    kind: str
    lat: float
    lon: float
    area_m2: int | None
    approximate: bool
    placement: str
    source: str


class SiteDetailOut(SiteOut):
    area_source: str
    notes: str
    zones: list[ZoneOut]


class AirportOut(Schema):
    iata: str
    icao: str
    name: str
    city: str = Field(..., alias="city.slug")
    lat: float
    lon: float
    source: str


class CrossingOut(Schema):
    key: str = Field(..., alias="slug")
    name: str
    country: str
    other_country: str
    city: str = Field(..., alias="city.slug")
    lat: float
    lon: float
    approximate: bool
    placement: str
    source: str


class SiteFilter(Schema):
    city: str = Field("", max_length=60, description="city key, e.g. karbala")
    kind: str = Field("", max_length=12)
    q: str = Field("", max_length=100, description="part of the name")


class TravelQuery(Schema):
    origin: str = Field(..., min_length=1, max_length=60, alias="from")
    destination: str = Field(..., min_length=1, max_length=60, alias="to")


class TravelTimeOut(Schema):
    from_city: str = Field(..., alias="from_key")
    to_city: str = Field(..., alias="to_key")
    distance_km: float
    minutes: int
    is_estimate: bool
    distance_estimated: bool
    time_estimated: bool
    basis: str = Field(
        ..., description="road_leg, road_leg_distance (time estimated), estimate, same_city"
    )
    straight_line_km: float | None
    road_factor: float | None
    source: str


@router.get("/cities", response=list[CityOut], summary="All cities")
def cities(request: HttpRequest):
    return selectors.city_list()


@router.get("/sites", response=list[SiteOut], summary="Holy sites, filtered")
@paginate(LimitOffsetPagination)
def sites(request: HttpRequest, filters: Query[SiteFilter]):
    return selectors.site_list(city=filters.city, kind=filters.kind, q=filters.q)


@router.get("/sites/{slug}", response=SiteDetailOut, summary="One site with its zones")
def site(request: HttpRequest, slug: str):
    return selectors.site_get(slug=slug)


@router.get("/airports", response=list[AirportOut], summary="Airports")
def airports(request: HttpRequest):
    return selectors.airport_list()


@router.get("/crossings", response=list[CrossingOut], summary="Border crossings")
def crossings(request: HttpRequest):
    return selectors.crossing_list()


@router.get("/travel-time", response=TravelTimeOut, summary="Road distance and drive time")
def travel_time(request: HttpRequest, query: Query[TravelQuery]):
    """From a sourced road leg when one is known, else an estimate that says so."""
    return selectors.travel_time_between(origin=query.origin, destination=query.destination)


@router.get("/map.geojson", summary="Everything on the map, as GeoJSON")
def map_geojson(request: HttpRequest) -> dict:
    return selectors.map_features()
