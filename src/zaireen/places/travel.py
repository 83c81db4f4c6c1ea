"""Travel time between two cities (pure Python).

A sourced road leg wins; without one, the straight line times a road factor estimates the
distance, and an average speed the time. Everything estimated says so, so a planner or a
page never presents a guess as a fact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from zaireen.places.geo import great_circle_km


@dataclass(frozen=True)
class Point:
    key: str
    lat: float
    lon: float


@dataclass(frozen=True)
class KnownLeg:
    distance_km: float
    drive_minutes: int | None
    source: str


class Basis:
    """What a travel time rests on; pages translate these codes into words."""

    SAME_CITY = "same_city"
    ROAD_LEG = "road_leg"
    ROAD_LEG_DISTANCE = "road_leg_distance"  # sourced distance, time from the average speed
    ESTIMATE = "estimate"  # straight line × road factor, time from the average speed


@dataclass(frozen=True)
class TravelTime:
    from_key: str
    to_key: str
    distance_km: float
    minutes: int
    distance_estimated: bool
    time_estimated: bool
    basis: str
    source: str
    straight_line_km: float | None = None
    road_factor: float | None = None

    @property
    def is_estimate(self) -> bool:
        return self.distance_estimated or self.time_estimated


def travel_time(
    origin: Point,
    destination: Point,
    leg: KnownLeg | None,
    *,
    road_factor: float,
    speed_kmh: float,
) -> TravelTime:
    """Distance and drive time from `origin` to `destination`.

    `leg` is the sourced road leg between them, if any. Minutes are rounded up, never down:
    a plan built on them should not be late by construction.
    """
    if road_factor < 1:
        raise ValueError("road_factor must be at least 1: a road is never shorter than a line")
    if speed_kmh <= 0:
        raise ValueError("speed_kmh must be positive")
    if origin.key == destination.key:
        return TravelTime(origin.key, destination.key, 0.0, 0, False, False, Basis.SAME_CITY, "")
    if leg is not None:
        if leg.drive_minutes is not None:
            minutes, time_estimated, basis = leg.drive_minutes, False, Basis.ROAD_LEG
        else:
            minutes = math.ceil(leg.distance_km / speed_kmh * 60)
            time_estimated, basis = True, Basis.ROAD_LEG_DISTANCE
        return TravelTime(
            origin.key,
            destination.key,
            round(leg.distance_km, 1),
            minutes,
            False,
            time_estimated,
            basis,
            leg.source,
        )
    straight = great_circle_km(origin.lat, origin.lon, destination.lat, destination.lon)
    distance = straight * road_factor
    return TravelTime(
        origin.key,
        destination.key,
        round(distance, 1),
        math.ceil(distance / speed_kmh * 60),
        True,
        True,
        Basis.ESTIMATE,
        "",
        straight_line_km=round(straight, 1),
        road_factor=road_factor,
    )
