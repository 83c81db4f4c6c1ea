"""Reads of the planning app: the calendar as Iraq observes it, prayer times, the poles.

All of it is public reference data, so no actor is needed; the offsets table is read once
per call and handed to the pure modules (`hijri`, `prayer_times`, `poles`), which do the work.
Bad input raises `ValidationFailed` naming the field, as the API and the pages expect.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zaireen.core.errors import NotFound, ValidationFailed
from zaireen.core.queries import one_or_none
from zaireen.core.selectors import audit_list_for
from zaireen.places.models import City
from zaireen.planning import hijri, poles
from zaireen.planning import prayer_times as prayers
from zaireen.planning.models import HijriMonthOffset
from zaireen.planning.services import AUDIT_ACTION

# Occasions are observed in Iraq, so "today" on the calendar is Baghdad's day.
IRAQ_TZ = "Asia/Baghdad"
MAX_CALENDAR_DAYS = 366
MAX_OCCASION_DAYS = 5 * 366
MAX_PRAYER_DAYS = 366
COMING_DAYS = 365  # "the coming year" of the calendar page


def iraq_today() -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(IRAQ_TZ)).date()


def local_today(tz_name: str) -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(tz_name)).date()


# --- Hijri offsets ------------------------------------------------------------------------


def offsets_table() -> dict[tuple[int, int], int]:
    """The officer's offsets as the pure module takes them: {(year, month): days}, one query."""
    return {
        (year, month): days
        for year, month, days in HijriMonthOffset.objects.values_list(
            "hijri_year", "hijri_month", "days"
        )
    }


def offset_list(*, year: int | None = None) -> QuerySet[HijriMonthOffset]:
    """The offset rows (all, or one Hijri year's), by month, with who set them."""
    rows = HijriMonthOffset.objects.select_related("set_by")
    if year is not None:
        rows = rows.filter(hijri_year=year)
    return rows.order_by("hijri_year", "hijri_month")


@dataclass(frozen=True)
class OffsetMonth:
    """One month of the ministry's offsets page."""

    year: int
    month: int
    name: str
    umm_al_qura_start: dt.date
    start: dt.date  # Iraq's first day under the table in force
    length: int
    days: int
    row: HijriMonthOffset | None


def offset_year(*, year: int) -> list[OffsetMonth]:
    """The 12 months of Hijri `year` with Umm al-Qura's and Iraq's first days (two queries)."""
    if not hijri.MIN_YEAR <= year <= hijri.MAX_YEAR:
        raise ValidationFailed(year=_year_range_message())
    table = offsets_table()
    rows = {row.hijri_month: row for row in offset_list(year=year)}
    return [
        OffsetMonth(
            year=year,
            month=month,
            name=hijri.month_name(month),
            umm_al_qura_start=hijri.month_start(year, month),
            start=hijri.month_start(year, month, table),
            length=hijri.month_length(year, month, table),
            days=table.get((year, month), 0),
            row=rows.get(month),
        )
        for month in range(1, 13)
    ]


def offset_history(*, actor: Any):
    """Every recorded offset change, newest first, from the audit trail (ministry only)."""
    return audit_list_for(actor=actor, action=AUDIT_ACTION)


def _year_range_message() -> str:
    return _("the calendar covers Hijri years %(low)d to %(high)d") % {
        "low": hijri.MIN_YEAR,
        "high": hijri.MAX_YEAR,
    }


# --- Calendar and occasions -------------------------------------------------------------


@dataclass(frozen=True)
class CalendarRow:
    """A day of the calendar: Gregorian, Iraq's Hijri date, Umm al-Qura's, the occasions."""

    day: dt.date
    hijri: hijri.HijriDate
    umm_al_qura: hijri.HijriDate
    occasions: tuple[hijri.OccasionDate, ...]

    @property
    def differs(self) -> bool:
        return self.hijri != self.umm_al_qura


def _check_range(first: dt.date, last: dt.date, limit: int) -> None:
    if last < first:
        raise ValidationFailed(to=_("the last day is before the first"))
    if (last - first).days + 1 > limit:
        raise ValidationFailed(to=_("at most %(n)d days at a time") % {"n": limit})
    for field, day in (("from", first), ("to", last)):
        _check_day(field, day)


def _check_day(field: str, day: dt.date) -> None:
    if not hijri.FIRST_DAY <= day <= hijri.LAST_DAY:
        raise ValidationFailed(
            {
                field: [
                    _("the calendar covers %(first)s to %(last)s")
                    % {"first": hijri.FIRST_DAY.isoformat(), "last": hijri.LAST_DAY.isoformat()}
                ]
            }
        )


def calendar_rows(
    *, first: dt.date, last: dt.date, offsets: hijri.Offsets | None = None
) -> list[CalendarRow]:
    """Every day of `first`..`last` side by side (one query unless `offsets` is given)."""
    _check_range(first, last, MAX_CALENDAR_DAYS)
    table = offsets_table() if offsets is None else offsets
    return [
        CalendarRow(day.day, day.hijri, hijri.to_hijri(day.day), day.occasions)
        for day in hijri.calendar_days(first, last, table)
    ]


def occasion_dates(
    *, first: dt.date, last: dt.date, offsets: hijri.Offsets | None = None
) -> list[hijri.OccasionDate]:
    """The occasions touching `first`..`last`, on Iraq's dates (one query unless given)."""
    _check_range(first, last, MAX_OCCASION_DAYS)
    table = offsets_table() if offsets is None else offsets
    return hijri.occasions_between(first, last, table)


def occasion_list() -> tuple[hijri.Occasion, ...]:
    return hijri.load_occasions()


def city_names() -> dict[str, str]:
    """City key → name, for the occasions' cities (one query)."""
    return dict(City.objects.values_list("slug", "name"))


def hijri_from_gregorian(*, day: dt.date) -> tuple[hijri.HijriDate, hijri.HijriDate, int]:
    """Iraq's and Umm al-Qura's Hijri date of `day`, and the offset of Iraq's month."""
    _check_day("date", day)
    table = offsets_table()
    iraqi = hijri.to_hijri(day, table)
    return iraqi, hijri.to_hijri(day), table.get((iraqi.year, iraqi.month), 0)


def gregorian_from_hijri(*, year: int, month: int, day: int) -> tuple[dt.date, dt.date | None, int]:
    """The Gregorian day of a Hijri date as Iraq observes it, Umm al-Qura's (None if the day
    does not exist there, a 30th of a 29-day month), and the month's offset."""
    if not hijri.MIN_YEAR <= year <= hijri.MAX_YEAR:
        raise ValidationFailed(year=_year_range_message())
    table = offsets_table()
    try:
        date = hijri.HijriDate(year, month, day)
    except hijri.InvalidHijriDate:
        raise ValidationFailed(day=_("no such day")) from None
    length = hijri.month_length(year, month, table)
    if day > length:
        raise ValidationFailed(
            day=_("%(month)s has %(n)d days in Iraq's reckoning")
            % {"month": f"{hijri.month_name(month)} {year}", "n": length}
        )
    try:
        umm_al_qura = hijri.to_gregorian(date)
    except hijri.InvalidHijriDate:
        umm_al_qura = None
    return hijri.to_gregorian(date, table), umm_al_qura, table.get((year, month), 0)


# --- Prayer times -------------------------------------------------------------------------


def prayer_city_list() -> QuerySet[City]:
    return City.objects.order_by("country", "name")


def prayer_city_get(*, slug: str) -> City:
    city = one_or_none(City.objects.filter(slug=slug))
    if city is None:
        raise NotFound(_("No city with the key %(key)s.") % {"key": slug})
    return city


def prayer_times_for(city: City, *, first: dt.date, last: dt.date) -> list[prayers.PrayerTimes]:
    """The Jafari times of every day of `first`..`last` at `city`, in the city's zone."""
    if last < first:
        raise ValidationFailed(to=_("the last day is before the first"))
    if (last - first).days + 1 > MAX_PRAYER_DAYS:
        raise ValidationFailed(to=_("at most %(n)d days at a time") % {"n": MAX_PRAYER_DAYS})
    return prayers.prayer_times_for_days(city.lat, city.lon, first, last, city.timezone)


def prayer_times_today(cities) -> list[tuple[City, prayers.PrayerTimes]]:
    """Each city with today's times, "today" being the city's own calendar day."""
    return [
        (
            city,
            prayers.prayer_times(city.lat, city.lon, local_today(city.timezone), city.timezone),
        )
        for city in cities
    ]


# --- Pole gazetteer ------------------------------------------------------------------------


def pole_get(*, pole: int) -> poles.PolePosition:
    try:
        return poles.pole_position(pole)
    except ValueError:
        raise ValidationFailed(
            pole=_("a pole number from 1 to %(n)d") % {"n": poles.POLE_COUNT}
        ) from None


def pole_nearest(*, lat: float, lon: float) -> poles.NearestPole:
    errors = {}
    if not -90 <= lat <= 90:
        errors["lat"] = [_("a latitude from -90 to 90")]
    if not -180 <= lon <= 180:
        errors["lon"] = [_("a longitude from -180 to 180")]
    if errors:
        raise ValidationFailed(errors)
    return poles.nearest_pole(lat, lon)


def pole_landmarks() -> list[poles.Landmark]:
    return poles.landmarks()


def pole_path_report() -> poles.PathReport:
    return poles.path_report()


def _pole(p: poles.PolePosition) -> dict[str, Any]:
    return {
        "pole": p.pole,
        "lat": round(p.lat, 6),
        "lon": round(p.lon, 6),
        "uncertainty_m": p.uncertainty_m,
        "approximate": p.approximate,
        "landmarks": list(p.landmarks),
    }


def pole_map_data(*, found: poles.PolePosition | None = None, point=None) -> dict[str, Any]:
    """What the gazetteer map draws: a pole every kilometre, the anchors with positions, the
    named landmarks at their interpolated places, and the looked-up pole (if any)."""
    gazetteer = poles.load_gazetteer()
    return {
        "poles": [_pole(p) for p in poles.pole_list(every=20)],
        "anchors": [
            {
                "pole": a.pole,
                "name": a.name,
                "lat": a.lat,
                "lon": a.lon,
                "approximate": a.approximate,
                "uncertainty_m": poles.uncertainty_m(a.pole),
            }
            for a in gazetteer.anchors
            if a.positioned
        ],
        "landmarks": [
            {**_pole(mark.position), "name": mark.anchor.name}
            for mark in poles.landmarks()
            if not mark.anchor.positioned
        ],
        "found": _pole(found) if found else None,
        "point": {"lat": point[0], "lon": point[1]} if point else None,
    }


@cache
def pole_list_document() -> tuple[bytes, str]:
    """Every pole as compact JSON for the browser to cache, and its ETag (computed once per
    process: the anchor file only changes with a release)."""
    gazetteer = poles.load_gazetteer()
    document = {
        "pole_count": gazetteer.pole_count,
        "spacing_m": gazetteer.spacing_m,
        "note": "Interpolated between the anchors; uncertainty_m is the radius within which "
        "the pole stands (0 only at a sourced anchor).",
        "columns": ["pole", "lat", "lon", "uncertainty_m"],
        "poles": [
            [p.pole, round(p.lat, 6), round(p.lon, 6), p.uncertainty_m]
            for p in poles.pole_list(every=1)
        ],
        "anchors": [
            {
                "pole": a.pole,
                "name": a.name,
                "lat": a.lat,
                "lon": a.lon,
                "approximate": a.approximate,
                "source": a.source,
            }
            for a in gazetteer.anchors
        ],
    }
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    return body, hashlib.sha256(body).hexdigest()[:32]
