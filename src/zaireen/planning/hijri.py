"""Hijri dates as Iraq observes them, and the ziyarat occasions (pure Python, no Django).

Why offsets: the tabular Umm al-Qura calendar (`hijridate`) is predictable years ahead, but
Iraq's Shia follow the moon sighting announced by Grand Ayatollah Sistani's office, which often
begins a month a day later (reference-facts F5.4; Arbaeen was observed one day after Umm
al-Qura in 2023, 2024 and 2025, F5.2/F5.3). An officer therefore sets, per Hijri month, how many
days Iraq's month begins after Umm al-Qura's. Everything here takes those offsets as a plain
mapping `{(hijri_year, hijri_month): days}`; a month that is not in it has offset 0.

The model: Iraq's month (y, m) begins `offset(y, m)` days after Umm al-Qura's month (y, m)
begins, and lasts until Iraq's next month begins. An offset therefore moves every day of its own
month and nothing else; only the length of the month before it and of its own month can change.
Because a lunar month has 29 or 30 days, some offset tables are impossible (an offset of +1 on
a month whose Umm al-Qura length is 29 days, with none on the next month, would leave a
28-day month). `check_offsets` names such months so the officer's form can ask for the missing
offset; the conversions themselves only refuse a date that cannot exist under the table.

Occasions are a data file, `data/occasions.csv`, one row per occasion with the city whose
shrines it fills, the expected crowd level, the basis of that level, and the source of the date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from hijridate import Gregorian, Hijri
from hijridate.locales import get_locale
from hijridate.ummalqura import GREGORIAN_RANGE, HIJRI_RANGE

from zaireen.places.loader import DataFileError, csv_rows

Offsets = Mapping[tuple[int, int], int]
NO_OFFSETS: Offsets = MappingProxyType({})

# Iraq's observance has been 0 or 1 day after Umm al-Qura; two days either way is the most a
# moon sighting can plausibly differ, and bounding it keeps the month search below finite.
MAX_OFFSET_DAYS = 2

MIN_YEAR, MAX_YEAR = HIJRI_RANGE[0][0], HIJRI_RANGE[1][0]
FIRST_DAY = dt.date(*GREGORIAN_RANGE[0])
LAST_DAY = dt.date(*GREGORIAN_RANGE[1])

CROWD_LEVELS = ("peak", "high", "moderate")
DEFAULT_OCCASIONS = Path(__file__).resolve().parent / "data" / "occasions.csv"


class HijriRangeError(ValueError):
    """A date outside the years the Umm al-Qura tables cover (1343–1500 AH, 1924–2077)."""


class InvalidHijriDate(ValueError):
    """A Hijri date that does not exist, e.g. the 30th of a month that has 29 days."""


class InconsistentOffsets(ValueError):
    """The offsets make a month longer than any month can be, so a day has no Hijri date."""


@dataclass(frozen=True, order=True)
class HijriDate:
    """A day of a Hijri month. Whether day 30 exists depends on the offsets in force, so the
    constructor checks only the widest bounds: Umm al-Qura's own tables before 1366 AH hold
    a few 28- and 31-day months."""

    year: int
    month: int
    day: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise InvalidHijriDate(f"Hijri month must be 1–12, not {self.month}")
        if not 1 <= self.day <= 31:
            raise InvalidHijriDate(f"Hijri day must be 1–31, not {self.day}")

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def month_name(self, language: str = "en") -> str:
        return month_name(self.month, language)

    def __str__(self) -> str:
        return f"{self.day} {self.month_name()} {self.year}"


def month_name(month: int, language: str = "en") -> str:
    """The month's name from hijridate's locales ("en", "ar", "bn"); pages translate the rest."""
    return get_locale(language).month_name(month)


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _offset(offsets: Offsets, year: int, month: int) -> int:
    days = offsets.get((year, month), 0)
    if not isinstance(days, int) or abs(days) > MAX_OFFSET_DAYS:
        raise ValueError(
            f"offset for {month_name(month)} {year} must be a whole number of days within "
            f"±{MAX_OFFSET_DAYS}, not {days!r}"
        )
    return days


def _uq_month_start(year: int, month: int) -> dt.date:
    """First day of Umm al-Qura's month; the month just after the table's end is allowed,
    because the last month's length is the distance to it."""
    if (year, month) == (MAX_YEAR + 1, 1):
        last = Hijri(MAX_YEAR, 12, 1)
        return last.to_gregorian() + dt.timedelta(days=last.month_length())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise HijriRangeError(f"Hijri year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
    return Hijri(year, month, 1).to_gregorian()


def month_start(year: int, month: int, offsets: Offsets = NO_OFFSETS) -> dt.date:
    """The Gregorian day on which Iraq's Hijri month begins."""
    if not 1 <= month <= 12:
        raise InvalidHijriDate(f"Hijri month must be 1–12, not {month}")
    return _uq_month_start(year, month) + dt.timedelta(days=_offset(offsets, year, month))


def month_length(year: int, month: int, offsets: Offsets = NO_OFFSETS) -> int:
    """Days in Iraq's month: until Iraq's next month begins (29 or 30 if the table is sound)."""
    following = month_start(*_next_month(year, month), offsets)
    return (following - month_start(year, month, offsets)).days


def to_gregorian(date: HijriDate, offsets: Offsets = NO_OFFSETS) -> dt.date:
    """The Gregorian day of a Hijri date as observed under `offsets`."""
    length = month_length(date.year, date.month, offsets)
    if date.day > length:
        raise InvalidHijriDate(f"{date.month_name()} {date.year} has {length} days, not {date.day}")
    return month_start(date.year, date.month, offsets) + dt.timedelta(days=date.day - 1)


def to_hijri(day: dt.date, offsets: Offsets = NO_OFFSETS) -> HijriDate:
    """The Hijri date of a Gregorian day as observed under `offsets`."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise HijriRangeError(
            f"{day.isoformat()} is outside {FIRST_DAY.isoformat()}–{LAST_DAY.isoformat()}"
        )
    uq = Gregorian.fromdate(day).to_hijri()
    year, month = uq.year, uq.month
    # Offsets are bounded, so Iraq's month is Umm al-Qura's or a neighbour: walk to it.
    while day < month_start(year, month, offsets):
        year, month = _previous_month(year, month)
    while day >= month_start(*_next_month(year, month), offsets):
        year, month = _next_month(year, month)
    number = (day - month_start(year, month, offsets)).days + 1
    if number > max(30, month_length(year, month)):
        raise InconsistentOffsets(
            f"under these offsets {month_name(month)} {year} would have a day {number}: "
            "check_offsets() names the month to fix"
        )
    return HijriDate(year, month, number)


@dataclass(frozen=True)
class OffsetProblem:
    """A month the offset table makes impossible, with what to change."""

    year: int
    month: int
    reason: str


def check_offsets(offsets: Offsets) -> list[OffsetProblem]:
    """Every month whose offset is malformed, or whose length the table makes other than 29 or
    30 days (a month Umm al-Qura itself gives 28 or 31 days may keep that length). An empty
    list means every conversion under the table succeeds."""
    problems: list[OffsetProblem] = []
    affected: set[tuple[int, int]] = set()
    for key, days in offsets.items():
        year, month = key
        if not (1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR):
            problems.append(OffsetProblem(year, month, "no such month in the Umm al-Qura tables"))
            continue
        if not isinstance(days, int) or abs(days) > MAX_OFFSET_DAYS:
            problems.append(
                OffsetProblem(year, month, f"offset must be within ±{MAX_OFFSET_DAYS} days")
            )
            continue
        affected.update({key, _previous_month(year, month)})
    for year, month in sorted(affected):
        if not MIN_YEAR <= year <= MAX_YEAR:
            continue
        try:
            length = month_length(year, month, offsets)
        except ValueError:
            continue  # its malformed neighbour is reported above
        if length in (29, 30) or length == month_length(year, month):
            continue
        if length < 29:
            after = _next_month(year, month)
            problems.append(
                OffsetProblem(
                    year, month,
                    f"{month_name(month)} {year} would last {length} days: Iraq's "
                    f"{month_name(after[1])} {after[0]} then probably began later than Umm "
                    "al-Qura's too; set its offset",
                )
            )  # fmt: skip
        elif length > 30:
            problems.append(
                OffsetProblem(
                    year, month,
                    f"{month_name(month)} {year} would last {length} days: its own offset is "
                    "probably missing or too small",
                )
            )  # fmt: skip
    return problems


@dataclass(frozen=True)
class Occasion:
    """A recurring ziyarat occasion on a fixed Hijri day."""

    key: str
    name: str
    hijri_month: int
    hijri_day: int
    span_days: int
    city: str  # a city slug of places/data/cities.csv
    crowd_level: str  # one of CROWD_LEVELS
    crowd_basis: str
    date_unverified: bool  # the date rests on general knowledge, not on the cited source
    source: str
    note: str


@dataclass(frozen=True)
class OccasionDate:
    """One year's occurrence of an occasion, as Iraq observes it under the offsets given."""

    occasion: Occasion
    hijri: HijriDate  # the first day, in Iraq's reckoning
    start: dt.date
    end: dt.date  # the last day, inclusive
    offset_days: int  # the offset of the occasion's month (0: the Umm al-Qura date)
    umm_al_qura_start: dt.date


def load_occasions(path: Path | None = None) -> tuple[Occasion, ...]:
    """Read and check the occasions file; raise DataFileError naming the line on a fault."""
    if path is None:
        return _default_occasions()
    return _read_occasions(Path(path))


@cache
def _default_occasions() -> tuple[Occasion, ...]:
    return _read_occasions(DEFAULT_OCCASIONS)


def _read_occasions(path: Path) -> tuple[Occasion, ...]:
    columns = (
        "key", "name", "hijri_month", "hijri_day", "span_days", "city", "crowd_level",
        "crowd_basis", "date_unverified", "source", "note",
    )  # fmt: skip
    occasions: list[Occasion] = []
    keys: set[str] = set()
    for row in csv_rows(path, columns):
        key = row.slug("key")
        if key in keys:
            raise row.fail(f"duplicate occasion {key!r}")
        keys.add(key)
        month = row.optional_int("hijri_month", low=1, high=12)
        day = row.optional_int("hijri_day", low=1, high=30)
        if month is None or day is None:
            raise row.fail("an occasion needs 'hijri_month' and 'hijri_day'")
        span = row.optional_int("span_days", low=1, high=10) or 1
        if day + span - 1 > 30:
            raise row.fail("an occasion must end within its month")
        unverified = row.text("date_unverified", required=False).lower()
        if unverified not in {"", "true", "false"}:
            raise row.fail(f"column 'date_unverified' must be true or false, not {unverified!r}")
        note = row.text("note", required=False, max_length=2000)
        if unverified == "true" and not note:
            raise row.fail("an unverified date must say why in 'note'")
        occasions.append(
            Occasion(
                key=key,
                name=row.text("name", max_length=200),
                hijri_month=month,
                hijri_day=day,
                span_days=span,
                city=row.slug("city"),
                crowd_level=row.choice("crowd_level", frozenset(CROWD_LEVELS)),
                crowd_basis=row.text("crowd_basis", max_length=2000),
                date_unverified=unverified == "true",
                source=row.text("source", max_length=2000),
                note=note,
            )
        )
    if not occasions:
        raise DataFileError(path, 1, "no occasions")
    return tuple(occasions)


def occurrence(occasion: Occasion, year: int, offsets: Offsets = NO_OFFSETS) -> OccasionDate:
    """The occasion in Hijri year `year`.

    An occasion on the 30th of a month that has 29 days that year is kept on the month's last
    day (the martyrdom of Imam al-Jawad is observed at the end of Dhu al-Qa'da).
    """
    last_day = month_length(year, occasion.hijri_month, offsets)
    day = min(occasion.hijri_day, last_day)
    hijri = HijriDate(year, occasion.hijri_month, day)
    start = to_gregorian(hijri, offsets)
    uq_day = min(occasion.hijri_day, month_length(year, occasion.hijri_month))
    return OccasionDate(
        occasion=occasion,
        hijri=hijri,
        start=start,
        end=start + dt.timedelta(days=occasion.span_days - 1),
        offset_days=_offset(offsets, year, occasion.hijri_month),
        umm_al_qura_start=to_gregorian(HijriDate(year, occasion.hijri_month, uq_day)),
    )


def occasions_between(
    first: dt.date,
    last: dt.date,
    offsets: Offsets = NO_OFFSETS,
    occasions: Sequence[Occasion] | None = None,
) -> list[OccasionDate]:
    """Every occurrence of an occasion with at least one day in `first`..`last` (inclusive),
    in date order. Years the Umm al-Qura tables do not cover are left out."""
    if last < first:
        raise ValueError(f"last day {last.isoformat()} is before first day {first.isoformat()}")
    if occasions is None:
        occasions = load_occasions()
    low = to_hijri(max(first, FIRST_DAY)).year - 1  # a span may start in the year before
    high = to_hijri(min(last, LAST_DAY)).year + 1
    found: list[OccasionDate] = []
    for year in range(max(low, MIN_YEAR), min(high, MAX_YEAR) + 1):
        for occasion in occasions:
            try:
                when = occurrence(occasion, year, offsets)
            except HijriRangeError:
                continue
            if when.end >= first and when.start <= last:
                found.append(when)
    found.sort(key=lambda o: (o.start, o.occasion.key))
    return found


@dataclass(frozen=True)
class CalendarDay:
    """A row of the calendar page: the Gregorian day, its Hijri date, the occasions on it."""

    day: dt.date
    hijri: HijriDate
    occasions: tuple[OccasionDate, ...]


def calendar_days(
    first: dt.date,
    last: dt.date,
    offsets: Offsets = NO_OFFSETS,
    occasions: Sequence[Occasion] | None = None,
) -> list[CalendarDay]:
    """Every day from `first` to `last` with its Hijri date and occasions (side by side)."""
    dated = occasions_between(first, last, offsets, occasions)
    days = []
    for i in range((last - first).days + 1):
        day = first + dt.timedelta(days=i)
        here = tuple(o for o in dated if o.start <= day <= o.end)
        days.append(CalendarDay(day, to_hijri(day, offsets), here))
    return days
