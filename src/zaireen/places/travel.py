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
        return TravelTime(origin.key, destination.key, 0.0, 0, False, False, "same city", "")
    if leg is not None:
        if leg.drive_minutes is not None:
            minutes, time_estimated, basis = leg.drive_minutes, False, "road leg"
        else:
            minutes = math.ceil(leg.distance_km / speed_kmh * 60)
            time_estimated, basis = True, "road leg distance, estimated time"
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
        f"estimate: straight line {straight:.1f} km × road factor {road_factor:g}",
        "",
    )
