"""Reading the reference-geography data files (pure Python, no Django).

The files are CSV, one per kind of place, in `places/data/`. Every row must name its source;
a row whose position is not precisely sourced says `approximate=true` and how it was placed.
The reader checks everything it can before anything is written, and the first problem stops
the load with the file, the line and the reason, so a half-loaded geography never exists.
"""

from __future__ import annotations

import csv
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from zaireen.places.geo import great_circle_km

# A site further than this from its city's centre is almost always a swapped or mistyped
# coordinate; the city a site belongs to is where pilgrims stay to visit it.
MAX_SITE_DISTANCE_KM = 30.0

FILES = ("cities", "sites", "zones", "airports", "crossings", "road_legs")


class DataFileError(ValueError):
    """A data file that cannot be loaded, with where and why."""

    def __init__(self, path: Path | str, line: int, reason: str) -> None:
        self.path, self.line, self.reason = Path(path), line, reason
        super().__init__(f"{self.path.name}, line {line}: {reason}")


@dataclass(frozen=True)
class Provenance:
    source: str
    approximate: bool
    placement: str


@dataclass(frozen=True)
class CityRow:
    slug: str
    name: str
    country: str
    lat: float
    lon: float
    timezone: str
    provenance: Provenance


@dataclass(frozen=True)
class SiteRow:
    slug: str
    name: str
    city: str
    kind: str
    lat: float
    lon: float
    area_m2: int | None
    area_source: str
    notes: str
    provenance: Provenance


@dataclass(frozen=True)
class ZoneRow:
    slug: str
    site: str
    name: str
    area_m2: int | None
    source: str
    notes: str


@dataclass(frozen=True)
class AirportRow:
    iata: str
    icao: str
    name: str
    city: str
    lat: float
    lon: float
    source: str


@dataclass(frozen=True)
class CrossingRow:
    slug: str
    name: str
    country: str
    other_country: str
    city: str
    lat: float
    lon: float
    notes: str
    provenance: Provenance


@dataclass(frozen=True)
class RoadLegRow:
    from_city: str
    to_city: str
    distance_km: float
    drive_minutes: int | None
    source: str
    notes: str


@dataclass
class Dataset:
    cities: list[CityRow] = field(default_factory=list)
    sites: list[SiteRow] = field(default_factory=list)
    zones: list[ZoneRow] = field(default_factory=list)
    airports: list[AirportRow] = field(default_factory=list)
    crossings: list[CrossingRow] = field(default_factory=list)
    road_legs: list[RoadLegRow] = field(default_factory=list)


class _Row:
    """One CSV row with typed, reasoned accessors."""

    def __init__(self, path: Path, line: int, values: dict[str, str]) -> None:
        self.path, self.line, self.values = path, line, values

    def fail(self, reason: str) -> DataFileError:
        return DataFileError(self.path, self.line, reason)

    def text(self, name: str, *, required: bool = True, max_length: int = 500) -> str:
        value = (self.values.get(name) or "").strip()
        if required and not value:
            raise self.fail(f"column '{name}' is empty")
        if len(value) > max_length:
            raise self.fail(f"column '{name}' is longer than {max_length} characters")
        return value

    def number(self, name: str, *, low: float, high: float) -> float:
        raw = self.text(name)
        try:
            value = float(raw)
        except ValueError:
            raise self.fail(f"column '{name}' is not a number: {raw!r}") from None
        if not low <= value <= high:
            raise self.fail(f"column '{name}' is {value}, outside {low:g}..{high:g}")
        return value

    def optional_int(self, name: str, *, low: int = 1, high: int = 100_000_000) -> int | None:
        raw = self.text(name, required=False)
        if not raw:
            return None
        try:
            value = int(raw)
        except ValueError:
            raise self.fail(f"column '{name}' is not a whole number: {raw!r}") from None
        if not low <= value <= high:
            raise self.fail(f"column '{name}' is {value}, outside {low}..{high}")
        return value

    def choice(self, name: str, allowed: set[str] | frozenset[str]) -> str:
        value = self.text(name)
        if value not in allowed:
            raise self.fail(f"column '{name}' is {value!r}; expected one of {sorted(allowed)}")
        return value

    def slug(self, name: str) -> str:
        value = self.text(name, max_length=80)
        if not all(c.islower() or c.isdigit() or c == "-" for c in value) or not value.isascii():
            raise self.fail(f"column '{name}' must be lower-case ASCII letters, digits and '-'")
        return value

    def position(self) -> tuple[float, float]:
        return self.number("lat", low=-90, high=90), self.number("lon", low=-180, high=180)

    def provenance(self) -> Provenance:
        raw = self.text("approximate", required=False).lower()
        if raw not in {"", "true", "false"}:
            raise self.fail(f"column 'approximate' must be true or false, not {raw!r}")
        approximate = raw == "true"
        placement = self.text("placement", required=False, max_length=1000)
        if approximate and not placement:
            raise self.fail("an approximate position must say how it was placed ('placement')")
        return Provenance(self.text("source", max_length=2000), approximate, placement)


def csv_rows(path: Path, columns: tuple[str, ...]) -> Iterator[_Row]:
    """The non-blank rows of a UTF-8 CSV file that has at least `columns`, each with its line."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DataFileError(path, 0, "file not found") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise DataFileError(path, line, "not UTF-8 text") from None
    reader = csv.DictReader(text.splitlines(keepends=True), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise DataFileError(path, 1, f"malformed CSV: {exc}") from None
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataFileError(path, 1, f"missing column(s): {', '.join(missing)}")
    line = 1
    try:
        for values in reader:
            line = reader.line_num
            if None in values:
                raise DataFileError(path, line, "more cells than the header has columns")
            if not any((v or "").strip() for v in values.values()):
                continue
            yield _Row(path, line, values)
    except csv.Error as exc:
        raise DataFileError(path, line + 1, f"malformed CSV: {exc}") from None


def _unique(row: _Row, key: str, seen: set[str], what: str) -> None:
    if key in seen:
        raise row.fail(f"duplicate {what} {key!r}")
    seen.add(key)


def read_dataset(
    data_dir: Path, *, countries: frozenset[str], site_kinds: frozenset[str]
) -> Dataset:
    """Read and check every data file in `data_dir`; raise `DataFileError` on the first fault.

    `countries` and `site_kinds` are the codes the database accepts (the caller passes the
    model's choices, so the two never disagree).
    """
    ds = Dataset()
    cities: dict[str, CityRow] = {}
    for row in csv_rows(
        data_dir / "cities.csv",
        ("slug", "name", "country", "lat", "lon", "timezone", "approximate", "placement", "source"),
    ):
        slug = row.slug("slug")
        _unique(row, slug, set(cities), "city")
        tz = row.text("timezone")
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise row.fail(f"unknown time zone {tz!r}") from None
        lat, lon = row.position()
        city = CityRow(
            slug, row.text("name"), row.choice("country", countries), lat, lon, tz,
            row.provenance(),
        )  # fmt: skip
        cities[slug] = city
        ds.cities.append(city)

    def city_ref(row: _Row, column: str) -> CityRow:
        key = row.text(column)
        if key not in cities:
            raise row.fail(f"column '{column}' names unknown city {key!r}")
        return cities[key]

    sites: set[str] = set()
    for row in csv_rows(
        data_dir / "sites.csv",
        ("slug", "name", "city", "kind", "lat", "lon", "area_m2", "area_source", "approximate",
         "placement", "source", "notes"),
    ):  # fmt: skip
        slug = row.slug("slug")
        _unique(row, slug, sites, "site")
        city = city_ref(row, "city")
        lat, lon = row.position()
        distance = great_circle_km(lat, lon, city.lat, city.lon)
        if distance > MAX_SITE_DISTANCE_KM:
            raise row.fail(
                f"the site is {distance:.0f} km from the centre of {city.name} "
                f"(more than {MAX_SITE_DISTANCE_KM:g} km): check lat/lon and the city"
            )
        area = row.optional_int("area_m2")
        area_source = row.text("area_source", required=False, max_length=2000)
        if area is not None and not area_source:
            raise row.fail("an area needs its source ('area_source')")
        ds.sites.append(
            SiteRow(
                slug, row.text("name", max_length=200), city.slug,
                row.choice("kind", site_kinds), lat, lon, area, area_source,
                row.text("notes", required=False, max_length=2000), row.provenance(),
            )
        )  # fmt: skip

    zones: set[str] = set()
    for row in csv_rows(
        data_dir / "zones.csv", ("slug", "site", "name", "area_m2", "source", "notes")
    ):
        slug = row.slug("slug")
        _unique(row, slug, zones, "zone")
        site = row.text("site")
        if site not in sites:
            raise row.fail(f"column 'site' names unknown site {site!r}")
        area = row.optional_int("area_m2")
        source = row.text("source", required=area is not None, max_length=2000)
        ds.zones.append(
            ZoneRow(slug, site, row.text("name", max_length=200), area, source,
                    row.text("notes", required=False, max_length=2000))
        )  # fmt: skip

    airports: set[str] = set()
    for row in csv_rows(
        data_dir / "airports.csv", ("iata", "icao", "name", "city", "lat", "lon", "source")
    ):
        iata, icao = row.text("iata"), row.text("icao")
        if len(iata) != 3 or not iata.isalpha() or not iata.isupper():
            raise row.fail(f"column 'iata' must be 3 capital letters, not {iata!r}")
        if len(icao) != 4 or not icao.isalpha() or not icao.isupper():
            raise row.fail(f"column 'icao' must be 4 capital letters, not {icao!r}")
        _unique(row, iata, airports, "airport")
        city = city_ref(row, "city")
        lat, lon = row.position()
        ds.airports.append(
            AirportRow(iata, icao, row.text("name"), city.slug, lat, lon,
                       row.text("source", max_length=2000))
        )  # fmt: skip

    crossings: set[str] = set()
    for row in csv_rows(
        data_dir / "crossings.csv",
        ("slug", "name", "country", "other_country", "city", "lat", "lon", "approximate",
         "placement", "source", "notes"),
    ):  # fmt: skip
        slug = row.slug("slug")
        _unique(row, slug, crossings, "crossing")
        country, other = row.choice("country", countries), row.choice("other_country", countries)
        if country == other:
            raise row.fail("a border crossing joins two different countries")
        lat, lon = row.position()
        ds.crossings.append(
            CrossingRow(slug, row.text("name"), country, other, city_ref(row, "city").slug,
                        lat, lon, row.text("notes", required=False, max_length=2000),
                        row.provenance())
        )  # fmt: skip

    legs: set[str] = set()
    for row in csv_rows(
        data_dir / "road_legs.csv",
        ("from", "to", "distance_km", "drive_minutes", "source", "notes"),
    ):
        a, b = city_ref(row, "from"), city_ref(row, "to")
        if a.slug == b.slug:
            raise row.fail("a road leg joins two different cities")
        first, second = sorted((a.slug, b.slug))
        _unique(row, f"{first}–{second}", legs, "road leg")
        distance = row.number("distance_km", low=0.1, high=5000)
        straight = great_circle_km(a.lat, a.lon, b.lat, b.lon)
        if distance < straight * 0.9:
            raise row.fail(
                f"distance {distance:g} km is shorter than the straight line ({straight:.0f} km)"
            )
        ds.road_legs.append(
            RoadLegRow(first, second, distance, row.optional_int("drive_minutes", high=6000),
                       row.text("source", max_length=2000),
                       row.text("notes", required=False, max_length=2000))
        )  # fmt: skip
    return ds
