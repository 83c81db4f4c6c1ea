"""The Najaf → Karbala pole gazetteer (pure Python, no Django).

On the walk to Karbala people give their place by the number on the nearest lamp pole: 1,452
numbered poles 50 m apart along the highway, pole 1 about 10 km out of Najaf and pole 1452 by
the shrine of al-Abbas (reference-facts F3.5). A missing pilgrim, an SOS or a mawkib is
reported as "pole 578"; the map needs a position, and a phone's position needs a pole number.

Almost no pole positions are published, so the gazetteer is a data file of anchors
(`data/pole_anchors.csv`: pole, name, position, source, approximate flag, how it was placed)
and code that interpolates between them. A better file (a survey, a map extract under its
licence) improves every answer with no code change. Rows without a position are landmarks
known only by name; they are listed with the pole they stand at but do not shape the line.

Interpolation: the positioned anchors, sorted by pole, form a polyline. Pole p between anchors
a and b lies at the fraction (p − a) / (b − a) along the straight segment from a to b (linear
in latitude and longitude, which over 100 km differs from the great circle by centimetres).
Poles outside the anchors' range are extrapolated along the nearest end segment.

Uncertainty: a pole's true position can be no farther, in a straight line, from a pole whose
position is known than the road between them, which is 50 m per pole. So every position
carries

    uncertainty_m = 50 m × min over sourced anchors s of |p − s|

where a sourced anchor is a positioned, non-approximate one. It is 0 at sourced anchors, grows
by 50 m per pole away from them, needs no fitted constant, and shrinks on its own as sourced
anchors are added. It is a conservative radius: approximate anchors and the shape of the road
are not credited, so with today's single sourced anchor (pole 1452) it reaches 72.55 km at
pole 1. docs/references.md discusses this.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from zaireen.places.geo import great_circle_km
from zaireen.places.loader import DataFileError, csv_rows

POLE_COUNT = 1452
POLE_SPACING_M = 50.0
DEFAULT_ANCHORS = Path(__file__).resolve().parent / "data" / "pole_anchors.csv"

# A straight line between two anchors cannot be longer than the road between them; 10 % slack
# allows for poles that are not exactly 50 m apart. Anything longer is a wrong pole or position.
MAX_CHORD_RATIO = 1.1


@dataclass(frozen=True)
class Anchor:
    """A row of the anchor file: a pole's name and, where known, its position."""

    pole: int
    name: str
    lat: float | None
    lon: float | None
    approximate: bool
    placement: str
    source: str
    note: str

    @property
    def positioned(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def sourced(self) -> bool:
        """Positioned from a source rather than placed by judgement: uncertainty 0 here."""
        return self.positioned and not self.approximate


@dataclass(frozen=True)
class _Point:
    pole: int
    lat: float
    lon: float


@dataclass(frozen=True)
class Gazetteer:
    """A checked anchor file. Build it with `load_gazetteer`."""

    anchors: tuple[Anchor, ...]  # every row, by pole
    source_path: str
    pole_count: int = POLE_COUNT
    spacing_m: float = POLE_SPACING_M

    @cached_property
    def points(self) -> tuple[_Point, ...]:
        """The positioned anchors by pole: the vertices of the line."""
        return tuple(
            _Point(a.pole, a.lat, a.lon)
            for a in self.anchors
            if a.lat is not None and a.lon is not None
        )

    @cached_property
    def _point_poles(self) -> tuple[int, ...]:
        return tuple(p.pole for p in self.points)

    @cached_property
    def _point_at(self) -> dict[int, _Point]:
        return {p.pole: p for p in self.points}

    @cached_property
    def _names_at(self) -> dict[int, tuple[str, ...]]:
        names: dict[int, tuple[str, ...]] = {}
        for a in self.anchors:
            names[a.pole] = (*names.get(a.pole, ()), a.name)
        return names

    @cached_property
    def sourced_poles(self) -> tuple[int, ...]:
        return tuple(a.pole for a in self.anchors if a.sourced)


@dataclass(frozen=True)
class PolePosition:
    """Where a pole is, how sure that is, and what stands there."""

    pole: int
    lat: float
    lon: float
    uncertainty_m: float
    approximate: bool  # False only at a sourced anchor
    landmarks: tuple[str, ...]  # names of the anchor rows at this pole


@dataclass(frozen=True)
class NearestPole:
    """The pole nearest a point, and how far the point is from the route line."""

    pole: int
    position: PolePosition
    off_route_m: float


@dataclass(frozen=True)
class Landmark:
    anchor: Anchor
    position: PolePosition


@dataclass(frozen=True)
class SegmentReport:
    from_pole: int
    to_pole: int
    path_m: float  # straight line between the two anchors
    poles_m: float  # (to − from) × spacing

    @property
    def ratio(self) -> float:
        return self.path_m / self.poles_m


@dataclass(frozen=True)
class PathReport:
    """The anchors' path length against the length the pole numbers imply."""

    segments: tuple[SegmentReport, ...]
    path_m: float  # along the anchors' line, first to last positioned anchor
    spanned_m: float  # the same stretch by pole numbers: (last − first) × spacing
    poles_m: float  # the whole walk by pole numbers: (pole_count − 1) × spacing, 1,451 × 50 m
    first_pole: int  # the first and last positioned anchors
    last_pole: int
    pole_count: int
    spacing_m: float

    @property
    def ratio(self) -> float:
        """Line length over pole length for the stretch the anchors cover."""
        return self.path_m / self.spanned_m

    def as_text(self) -> str:
        lines = [
            f"Anchors' path: {self.path_m / 1000:.2f} km from pole {self.first_pole} to pole "
            f"{self.last_pole}, against {self.last_pole - self.first_pole:,} × "
            f"{self.spacing_m:g} m = {self.spanned_m / 1000:.2f} km of poles "
            f"(ratio {self.ratio:.3f}).",
            f"The whole walk by pole numbers: {self.pole_count - 1:,} × {self.spacing_m:g} m = "
            f"{self.poles_m / 1000:.2f} km.",
        ]
        lines += [
            f"  poles {s.from_pole}–{s.to_pole}: {s.path_m / 1000:.2f} km straight against "
            f"{s.poles_m / 1000:.2f} km of poles (ratio {s.ratio:.3f})"
            for s in self.segments
        ]
        if self.first_pole > 1 or self.last_pole < self.pole_count:
            lines.append(
                "Poles outside the anchors' range are extrapolated along the end segments."
            )
        if self.ratio < 0.95:
            lines.append(
                "The line is shorter than the poles: the road bends between anchors or an "
                "approximate anchor is misplaced, so interpolated poles sit closer together "
                f"than {self.spacing_m:g} m."
            )
        return "\n".join(lines)


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Read and check an anchor file; the shipped one when `path` is None (cached).

    Raises DataFileError naming the line and the reason on the first fault.
    """
    if path is None:
        return _default_gazetteer()
    return _read(Path(path))


@cache
def _default_gazetteer() -> Gazetteer:
    return _read(DEFAULT_ANCHORS)


def _read(path: Path) -> Gazetteer:
    columns = ("pole", "name", "lat", "lon", "approximate", "placement", "source", "note")
    anchors: list[Anchor] = []
    line_of: dict[int, int] = {}  # line of each positioned pole, for messages
    for row in csv_rows(path, columns):
        pole = row.optional_int("pole", low=1, high=POLE_COUNT)
        if pole is None:
            raise row.fail("column 'pole' is empty")
        has_lat = bool(row.text("lat", required=False))
        has_lon = bool(row.text("lon", required=False))
        if has_lat != has_lon:
            raise row.fail("give both 'lat' and 'lon', or neither for a landmark known by name")
        provenance = row.provenance()
        lat: float | None = None
        lon: float | None = None
        if has_lat:
            lat, lon = row.position()
            if pole in line_of:
                raise row.fail(f"pole {pole} already has a position (line {line_of[pole]})")
            line_of[pole] = row.line
        elif provenance.approximate:
            raise row.fail("'approximate' describes a position; this row has none")
        anchors.append(
            Anchor(
                pole=pole,
                name=row.text("name", max_length=200),
                lat=lat,
                lon=lon,
                approximate=provenance.approximate,
                placement=provenance.placement,
                source=provenance.source,
                note=row.text("note", required=False, max_length=2000),
            )
        )
    anchors.sort(key=lambda a: a.pole)
    gazetteer = Gazetteer(anchors=tuple(anchors), source_path=str(path))
    points = gazetteer.points
    if len(points) < 2:
        raise DataFileError(path, 1, "at least two anchors need a position to draw a line")
    if not gazetteer.sourced_poles:
        raise DataFileError(
            path, 1, "no sourced (non-approximate) anchor: nothing to measure uncertainty from"
        )
    for a, b in itertools.pairwise(points):
        chord = great_circle_km(a.lat, a.lon, b.lat, b.lon) * 1000
        road = (b.pole - a.pole) * POLE_SPACING_M
        if chord == 0:
            raise DataFileError(
                path, line_of[b.pole], f"poles {a.pole} and {b.pole} are at the same place"
            )
        if chord > road * MAX_CHORD_RATIO:
            raise DataFileError(
                path, line_of[b.pole],
                f"poles {a.pole} and {b.pole} are {chord / 1000:.1f} km apart in a straight "
                f"line but only {road / 1000:.1f} km apart by pole numbers",
            )  # fmt: skip
    return gazetteer


def _gazetteer(gazetteer: Gazetteer | None) -> Gazetteer:
    return gazetteer if gazetteer is not None else _default_gazetteer()


def _check_pole(g: Gazetteer, pole: int) -> None:
    if isinstance(pole, bool) or not isinstance(pole, int) or not 1 <= pole <= g.pole_count:
        raise ValueError(f"pole must be a whole number from 1 to {g.pole_count}, not {pole!r}")


def uncertainty_m(pole: int, gazetteer: Gazetteer | None = None) -> float:
    """50 m per pole to the nearest sourced anchor (the module docstring says why)."""
    g = _gazetteer(gazetteer)
    _check_pole(g, pole)
    sourced = g.sourced_poles
    i = bisect_left(sourced, pole)
    nearest = min(abs(pole - s) for s in sourced[max(i - 1, 0) : i + 1])
    return g.spacing_m * nearest


def pole_position(pole: int, gazetteer: Gazetteer | None = None) -> PolePosition:
    """Where pole `pole` is: an anchor's own position, or interpolated between anchors."""
    g = _gazetteer(gazetteer)
    _check_pole(g, pole)
    exact = g._point_at.get(pole)
    if exact is not None:
        lat, lon = exact.lat, exact.lon
    else:
        # The segment that carries the pole; an end segment beyond the anchors' range.
        i = min(max(bisect_right(g._point_poles, pole) - 1, 0), len(g.points) - 2)
        a, b = g.points[i], g.points[i + 1]
        t = (pole - a.pole) / (b.pole - a.pole)
        lat, lon = a.lat + t * (b.lat - a.lat), a.lon + t * (b.lon - a.lon)
    uncertainty = uncertainty_m(pole, g)
    return PolePosition(
        pole=pole,
        lat=lat,
        lon=lon,
        uncertainty_m=uncertainty,
        approximate=uncertainty > 0,
        landmarks=g._names_at.get(pole, ()),
    )


def nearest_pole(lat: float, lon: float, gazetteer: Gazetteer | None = None) -> NearestPole:
    """The pole nearest a point: project it onto the anchors' line and read the pole number.

    `off_route_m` says how far the point is from the line; a caller decides how far is too far
    to be "on the walk" (remember the line's own uncertainty).
    """
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"position {lat}, {lon} is not a latitude and longitude")
    g = _gazetteer(gazetteer)
    best_distance, best_pole = math.inf, 1.0
    last = len(g.points) - 2
    for i, (a, b) in enumerate(itertools.pairwise(g.points)):
        span = b.pole - a.pole
        # Interior segments end at their anchors; the end segments reach pole 1 and the last.
        low = (1 - a.pole) / span if i == 0 else 0.0
        high = (g.pole_count - a.pole) / span if i == last else 1.0
        # A local plane around the segment (degrees of longitude shrunk by cos latitude), in
        # which the linear interpolation of pole_position is a straight line too.
        scale = math.cos(math.radians((a.lat + b.lat) / 2))
        bx, by = (b.lon - a.lon) * scale, b.lat - a.lat
        px, py = (lon - a.lon) * scale, lat - a.lat
        t = min(max((px * bx + py * by) / (bx * bx + by * by), low), high)
        foot_lat, foot_lon = a.lat + t * (b.lat - a.lat), a.lon + t * (b.lon - a.lon)
        distance = great_circle_km(lat, lon, foot_lat, foot_lon) * 1000
        if distance < best_distance:
            best_distance, best_pole = distance, a.pole + t * span
    pole = min(max(round(best_pole), 1), g.pole_count)
    return NearestPole(pole=pole, position=pole_position(pole, g), off_route_m=best_distance)


def pole_list(every: int = 1, gazetteer: Gazetteer | None = None) -> list[PolePosition]:
    """Poles 1, 1 + every, … and always the last one: every=20 gives one per kilometre for
    the map, every=1 the whole list for the JSON file a browser caches."""
    g = _gazetteer(gazetteer)
    if every < 1:
        raise ValueError("every must be at least 1")
    poles = list(range(1, g.pole_count + 1, every))
    if poles[-1] != g.pole_count:
        poles.append(g.pole_count)
    return [pole_position(p, g) for p in poles]


def landmarks(gazetteer: Gazetteer | None = None) -> list[Landmark]:
    """Every named anchor row with its pole's position (interpolated where it has none)."""
    g = _gazetteer(gazetteer)
    return [Landmark(a, pole_position(a.pole, g)) for a in g.anchors]


def path_report(gazetteer: Gazetteer | None = None) -> PathReport:
    """Compare the anchors' line with the pole numbers (1,451 × 50 m for the whole walk).

    A ratio well below 1 means the line cuts corners the road takes, or an approximate anchor
    is off; the loader already refuses a segment much longer than its poles.
    """
    g = _gazetteer(gazetteer)
    segments = tuple(
        SegmentReport(
            from_pole=a.pole,
            to_pole=b.pole,
            path_m=great_circle_km(a.lat, a.lon, b.lat, b.lon) * 1000,
            poles_m=(b.pole - a.pole) * g.spacing_m,
        )
        for a, b in itertools.pairwise(g.points)
    )
    first, last = g.points[0].pole, g.points[-1].pole
    return PathReport(
        segments=segments,
        path_m=sum(s.path_m for s in segments),
        spanned_m=(last - first) * g.spacing_m,
        poles_m=(g.pole_count - 1) * g.spacing_m,
        first_pole=first,
        last_pole=last,
        pole_count=g.pole_count,
        spacing_m=g.spacing_m,
    )
