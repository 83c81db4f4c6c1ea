"""Planned visits to capacity-limited zones, as the itinerary planner hands them over.

`PlannedZoneVisit` is the plain shape the crowd app takes (`services.requests_from_visits`).
`from_itinerary` reads a trip's visits from the itinerary planner
(`zaireen.itineraries.selectors.zone_visits(trip)`) when that selector exists, adapting its
items field by field, so that the crowd app does not depend on the planner's classes.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PlannedZoneVisit:
    """One planned visit: the zone (its slug), the planned start, the earliest and latest
    start the plan allows, and how long the visit lasts."""

    zone: str
    start: dt.datetime
    earliest: dt.datetime
    latest: dt.datetime
    duration_minutes: int
    site: str = ""  # visits of one site at one start pass through its zones in turn


class NoItineraryPlanner(LookupError):
    """The itinerary planner's `zone_visits` selector is not there."""


def zone_visits_selector():
    try:
        module = importlib.import_module("zaireen.itineraries.selectors")
    except ImportError as exc:
        raise NoItineraryPlanner(str(exc)) from exc
    selector = getattr(module, "zone_visits", None)
    if selector is None:
        raise NoItineraryPlanner("zaireen.itineraries.selectors has no zone_visits")
    return selector


def _pick(item: Any, *names: str) -> Any:
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if value is not None:
            return value
    return None


def _minutes(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return max(1, int(-(-value.total_seconds() // 60)))
    return int(value)


def adapt(item: Any) -> PlannedZoneVisit | None:
    """One item of `zone_visits` as a PlannedZoneVisit, or None if it names no zone or start.

    Accepted spellings: zone (a Zone or its slug) or zone_slug; start / planned_start /
    starts_at; earliest / window_start; latest (a start), or window_end (the time the visit
    must be over by, as the itinerary planner's `ZoneVisit` gives it), or window = (earliest,
    latest); duration (timedelta or minutes) / duration_minutes / minutes; site.
    """
    if isinstance(item, PlannedZoneVisit):
        return item
    zone = _pick(item, "zone_slug", "zone")
    zone = getattr(zone, "slug", zone)
    start = _pick(item, "start", "planned_start", "starts_at")
    if not zone or start is None:
        return None
    duration = _minutes(_pick(item, "duration_minutes", "duration", "minutes", "dwell"))
    earliest = _pick(item, "earliest", "earliest_start", "window_start")
    latest = _pick(item, "latest", "latest_start")
    end_by = _pick(item, "window_end")  # the planner's window: the visit must END by it
    if latest is None and end_by is not None:
        latest = end_by - dt.timedelta(minutes=duration or 0)
    window = _pick(item, "window", "allowed_window")
    if window is not None and (earliest is None or latest is None):
        earliest = earliest or _pick(window, "earliest", "start", "lower") or window[0]
        latest = latest or _pick(window, "latest", "end", "upper") or window[1]
    site = _pick(item, "site_slug", "site")
    return PlannedZoneVisit(
        zone=str(zone),
        start=start,
        earliest=min(earliest or start, start),
        latest=max(latest or start, start),
        duration_minutes=duration or 0,
        site=str(getattr(site, "slug", site) or ""),
    )


def from_itinerary(trip: Any) -> list[PlannedZoneVisit]:
    """The trip's planned zone visits; raises NoItineraryPlanner if the planner is missing."""
    selector = zone_visits_selector()
    visits: Iterable[Any] = selector(trip)
    return [v for v in (adapt(item) for item in visits) if v is not None]


def split_site_visits(
    visits: Iterable[PlannedZoneVisit], active: set[str]
) -> list[PlannedZoneVisit]:
    """The visits to zones in `active`, a site's zones visited in turn.

    The itinerary planner gives one row per zone of a visited site, all at the visit's start
    and for its whole length. A group walks through them one after the other, so when a site
    has several capacity-limited zones in the plan the visit is shared between them equally
    (in the zones' key order), each part with the same room to move as the whole visit.
    """
    chosen = [v for v in visits if v.zone in active]
    parts: dict[tuple, list[PlannedZoneVisit]] = {}
    for v in chosen:
        parts.setdefault((v.site or v.zone, v.start), []).append(v)
    out = []
    for same_visit in parts.values():
        rows = sorted(same_visit, key=lambda v: v.zone)
        if len(rows) == 1:
            out.append(rows[0])
            continue
        share = -(-max(r.duration_minutes for r in rows) // len(rows))
        for i, row in enumerate(rows):
            shift = dt.timedelta(minutes=i * share)
            out.append(
                PlannedZoneVisit(
                    zone=row.zone,
                    start=row.start + shift,
                    earliest=row.earliest + shift,
                    latest=row.latest + shift,
                    duration_minutes=share,
                    site=row.site,
                )
            )
    return sorted(out, key=lambda v: (v.start, v.zone))
