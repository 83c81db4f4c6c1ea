"""Reading the planner's reference data files (pure Python, no Django).

`itineraries/data/`: site_facts.csv (visit duration, opening hours, outdoor, Urdu name),
climate.csv (monthly mean maximum temperature per city), vehicle_stops.csv (how far out
vehicles are stopped at an occasion and on which days), circuits.csv (the usual order of
cities from an arrival airport). Every row names its source or says it is an assumption. The
first problem stops the load with the file, the line and the reason (as `places.loader`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from zaireen.places.loader import csv_rows

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class SiteFactRow:
    site: str
    visit_minutes: int
    duration_source: str
    open_24h: bool
    opens: dt.time | None
    closes: dt.time | None
    hours_source: str
    outdoor: bool
    name_ur: str


@dataclass(frozen=True)
class ClimateRow:
    city: str
    month: int
    mean_max_c: float
    source: str
    note: str


@dataclass(frozen=True)
class StopRow:
    occasion: str
    city: str
    distance_km: float
    days_before: int
    days_after: int
    source: str
    assumption: bool
    note: str


@dataclass(frozen=True)
class CircuitRow:
    airport: str
    cities: tuple[str, ...]
    sites: tuple[str, ...]
    source: str


@dataclass
class ReferenceData:
    site_facts: list[SiteFactRow] = field(default_factory=list)
    climate: list[ClimateRow] = field(default_factory=list)
    stops: list[StopRow] = field(default_factory=list)
    circuits: list[CircuitRow] = field(default_factory=list)


def parse_hours(text: str) -> tuple[bool, dt.time | None, dt.time | None]:
    """ "24h" → open all day; "05:00-22:00" → those hours; "" → the stated default (None)."""
    text = text.strip()
    if not text:
        return False, None, None
    if text.lower() == "24h":
        return True, None, None
    try:
        first, second = (dt.time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise ValueError(f"hours must be '24h' or 'HH:MM-HH:MM', not {text!r}") from None
    if second <= first:
        raise ValueError("the closing time must be after the opening time")
    return False, first, second


def _flag(row, name: str) -> bool:
    raw = row.text(name, required=False).lower()
    if raw not in {"", "true", "false"}:
        raise row.fail(f"column '{name}' must be true or false, not {raw!r}")
    return raw == "true"


def _keys(row, name: str, known: set[str], what: str) -> tuple[str, ...]:
    keys = tuple(k.strip() for k in row.text(name).split(",") if k.strip())
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise row.fail(f"column '{name}' names unknown {what}: {', '.join(unknown)}")
    return keys


def read_reference(
    data_dir: Path = DATA_DIR,
    *,
    sites: set[str],
    cities: set[str],
    airports: set[str],
    occasions: set[str],
) -> ReferenceData:
    """Read and check every file; `sites`, `cities`, `airports` and `occasions` are the keys
    that exist (the caller passes what the database and the occasions file hold)."""
    ref = ReferenceData()
    seen: set[str] = set()
    for row in csv_rows(
        data_dir / "site_facts.csv",
        ("site", "visit_minutes", "duration_source", "hours", "hours_source", "outdoor", "name_ur"),
    ):
        site = row.slug("site")
        if site not in sites:
            raise row.fail(f"unknown site {site!r}")
        if site in seen:
            raise row.fail(f"duplicate site {site!r}")
        seen.add(site)
        try:
            open_24h, opens, closes = parse_hours(row.text("hours", required=False))
        except ValueError as exc:
            raise row.fail(str(exc)) from None
        hours_source = row.text("hours_source", required=False, max_length=2000)
        if (open_24h or opens) and not hours_source:
            raise row.fail("opening hours need their source ('hours_source')")
        minutes = row.optional_int("visit_minutes", low=5, high=600)
        if minutes is None:
            raise row.fail("column 'visit_minutes' is empty")
        ref.site_facts.append(
            SiteFactRow(
                site,
                minutes,
                row.text("duration_source", max_length=2000),
                open_24h,
                opens,
                closes,
                hours_source,
                _flag(row, "outdoor"),
                row.text("name_ur", required=False, max_length=200),
            )
        )

    months: set[tuple[str, int]] = set()
    for row in csv_rows(
        data_dir / "climate.csv", ("city", "month", "mean_max_c", "source", "note")
    ):
        city = row.slug("city")
        if city not in cities:
            raise row.fail(f"unknown city {city!r}")
        month = int(row.number("month", low=1, high=12))
        if (city, month) in months:
            raise row.fail(f"duplicate month {month} for {city!r}")
        months.add((city, month))
        ref.climate.append(
            ClimateRow(
                city,
                month,
                row.number("mean_max_c", low=-30, high=60),
                row.text("source", max_length=2000),
                row.text("note", required=False, max_length=2000),
            )
        )

    stops: set[str] = set()
    for row in csv_rows(
        data_dir / "vehicle_stops.csv",
        (
            "occasion",
            "city",
            "distance_km",
            "days_before",
            "days_after",
            "source",
            "assumption",
            "note",
        ),
    ):
        occasion = row.slug("occasion")
        if occasion not in occasions:
            raise row.fail(f"unknown occasion {occasion!r}")
        if occasion in stops:
            raise row.fail(f"duplicate occasion {occasion!r}")
        stops.add(occasion)
        city = row.slug("city")
        if city not in cities:
            raise row.fail(f"unknown city {city!r}")
        ref.stops.append(
            StopRow(
                occasion,
                city,
                row.number("distance_km", low=0.1, high=50),
                int(row.number("days_before", low=0, high=30)),
                int(row.number("days_after", low=0, high=30)),
                row.text("source", max_length=2000),
                _flag(row, "assumption"),
                row.text("note", required=False, max_length=2000),
            )
        )

    circuits: set[str] = set()
    for row in csv_rows(data_dir / "circuits.csv", ("airport", "cities", "sites", "source")):
        airport = row.text("airport")
        if airport not in airports:
            raise row.fail(f"unknown airport {airport!r}")
        if airport in circuits:
            raise row.fail(f"duplicate airport {airport!r}")
        circuits.add(airport)
        ref.circuits.append(
            CircuitRow(
                airport,
                _keys(row, "cities", cities, "cities"),
                _keys(row, "sites", sites, "sites"),
                row.text("source", max_length=2000),
            )
        )
    return ref
