"""Planning API: calendar, occasions, Hijri conversion and offsets, prayer times, poles.

Everything is public reference data except setting an offset (ministry officers only). Ranges
are bounded; a bad value answers 422 naming the field.
"""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from zaireen.api.auth import signed_in
from zaireen.planning import hijri, selectors, services

router = Router(tags=["planning"])


class HijriOut(Schema):
    year: int
    month: int
    day: int
    iso: str = Field(..., description="YYYY-MM-DD in the Hijri calendar")
    month_name: str
    text: str = Field(..., description='e.g. "20 Safar 1448"')


class OccasionOut(Schema):
    key: str
    name: str
    city: str = Field(..., description="city key (see /places/cities)")
    crowd_level: str = Field(..., description="peak, high or moderate")
    crowd_basis: str
    date_unverified: bool
    hijri: HijriOut = Field(..., description="the first day, as Iraq observes it")
    start: dt.date
    end: dt.date = Field(..., description="the last day, inclusive")
    offset_days: int = Field(..., description="Iraq's offset of the month from Umm al-Qura")
    umm_al_qura_start: dt.date


class CalendarDayOut(Schema):
    date: dt.date
    hijri: HijriOut = Field(..., description="as Iraq observes it (offsets applied)")
    umm_al_qura: HijriOut
    occasions: list[str] = Field(..., description="keys of the occasions on this day")


class RangeQuery(Schema):
    first: dt.date | None = Field(None, alias="from", description="default: today in Iraq")
    last: dt.date | None = Field(None, alias="to", description="default: 30 days on")


class GregorianQuery(Schema):
    date: dt.date


class HijriQuery(Schema):
    year: int = Field(..., ge=1, le=9999)
    month: int = Field(..., ge=1, le=12)
    day: int = Field(..., ge=1, le=30)


class FromGregorianOut(Schema):
    date: dt.date
    hijri: HijriOut
    umm_al_qura: HijriOut
    offset_days: int


class ToGregorianOut(Schema):
    hijri: HijriOut
    date: dt.date = Field(..., description="as Iraq observes it (offsets applied)")
    umm_al_qura_date: dt.date | None = Field(
        ..., description="null when the day does not exist in Umm al-Qura's month"
    )
    offset_days: int


class OffsetOut(Schema):
    year: int = Field(..., alias="hijri_year")
    month: int = Field(..., alias="hijri_month")
    month_name: str
    days: int = Field(..., description="Iraq's month began this many days after Umm al-Qura's")
    reason: str
    set_at: dt.datetime


class OffsetQuery(Schema):
    year: int | None = Field(None, ge=1, le=9999)


class OffsetIn(Schema):
    year: int
    month: int
    days: int
    reason: str = Field(..., max_length=2000)


class PrayerDayOut(Schema):
    date: dt.date
    fajr: dt.datetime
    sunrise: dt.datetime
    dhuhr: dt.datetime
    sunset: dt.datetime
    maghrib: dt.datetime
    isha: dt.datetime
    midnight: dt.datetime = Field(..., description="may fall on the next calendar day")


class PrayerTimesOut(Schema):
    city: str
    name: str
    timezone: str
    method: str
    days: list[PrayerDayOut]


class PrayerQuery(Schema):
    date: dt.date | None = Field(None, description="one day (default: today in the city)")
    first: dt.date | None = Field(None, alias="from", description="or a range, with 'to'")
    last: dt.date | None = Field(None, alias="to")


class PoleOut(Schema):
    pole: int
    lat: float
    lon: float
    uncertainty_m: float = Field(..., description="radius within which the pole stands")
    approximate: bool
    landmarks: list[str]


class NearestQuery(Schema):
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)


class NearestOut(Schema):
    pole: int
    off_route_m: float = Field(..., description="distance from the line of the poles")
    position: PoleOut


def _hijri(date: hijri.HijriDate) -> dict:
    return {
        "year": date.year,
        "month": date.month,
        "day": date.day,
        "iso": date.isoformat(),
        "month_name": date.month_name(),
        "text": str(date),
    }


def _occasion(when: hijri.OccasionDate) -> dict:
    o = when.occasion
    return {
        "key": o.key,
        "name": o.name,
        "city": o.city,
        "crowd_level": o.crowd_level,
        "crowd_basis": o.crowd_basis,
        "date_unverified": o.date_unverified,
        "hijri": _hijri(when.hijri),
        "start": when.start,
        "end": when.end,
        "offset_days": when.offset_days,
        "umm_al_qura_start": when.umm_al_qura_start,
    }


def _range(query: RangeQuery, default_days: int) -> tuple[dt.date, dt.date]:
    first = query.first or selectors.iraq_today()
    return first, query.last or first + dt.timedelta(days=default_days)


def _pole(position) -> dict:
    return {
        "pole": position.pole,
        "lat": position.lat,
        "lon": position.lon,
        "uncertainty_m": position.uncertainty_m,
        "approximate": position.approximate,
        "landmarks": list(position.landmarks),
    }


@router.get("/calendar", response=list[CalendarDayOut], summary="Days with their Hijri dates")
def hijri_calendar(request: HttpRequest, query: Query[RangeQuery]):
    """Each day from `from` to `to` (at most 366) with Iraq's and Umm al-Qura's Hijri dates."""
    first, last = _range(query, 30)
    return [
        {
            "date": row.day,
            "hijri": _hijri(row.hijri),
            "umm_al_qura": _hijri(row.umm_al_qura),
            "occasions": [when.occasion.key for when in row.occasions],
        }
        for row in selectors.calendar_rows(first=first, last=last)
    ]


@router.get("/occasions", response=list[OccasionOut], summary="Occasions in a date range")
def occasion_dates(request: HttpRequest, query: Query[RangeQuery]):
    """Occasions touching `from`..`to` (at most five years; default the coming year), on the
    dates Iraq observes, with Umm al-Qura's date and the offset applied."""
    first, last = _range(query, selectors.COMING_DAYS)
    return [_occasion(when) for when in selectors.occasion_dates(first=first, last=last)]


@router.get("/hijri/from-gregorian", response=FromGregorianOut, summary="Gregorian → Hijri (Iraq)")
def hijri_from_gregorian(request: HttpRequest, query: Query[GregorianQuery]):
    iraqi, umm_al_qura, offset_days = selectors.hijri_from_gregorian(day=query.date)
    return {
        "date": query.date,
        "hijri": _hijri(iraqi),
        "umm_al_qura": _hijri(umm_al_qura),
        "offset_days": offset_days,
    }


@router.get("/hijri/to-gregorian", response=ToGregorianOut, summary="Hijri (Iraq) → Gregorian")
def hijri_to_gregorian(request: HttpRequest, query: Query[HijriQuery]):
    date, umm_al_qura, offset_days = selectors.gregorian_from_hijri(
        year=query.year, month=query.month, day=query.day
    )
    return {
        "hijri": _hijri(hijri.HijriDate(query.year, query.month, query.day)),
        "date": date,
        "umm_al_qura_date": umm_al_qura,
        "offset_days": offset_days,
    }


@router.get("/hijri/offsets", response=list[OffsetOut], summary="Iraq's month offsets")
def hijri_offsets(request: HttpRequest, query: Query[OffsetQuery]):
    """The offsets in force (all, or one Hijri year's); months not listed have offset 0."""
    return [
        {**_offset_fields(row), "month_name": hijri.month_name(row.hijri_month)}
        for row in selectors.offset_list(year=query.year)
    ]


def _offset_fields(row) -> dict:
    return {
        "hijri_year": row.hijri_year,
        "hijri_month": row.hijri_month,
        "days": row.days,
        "reason": row.reason,
        "set_at": row.set_at,
    }


@router.post(
    "/hijri/offsets",
    response=OffsetOut,
    auth=signed_in,
    summary="Set a month's offset (ministry)",
)
def hijri_offset_set(request: HttpRequest, payload: OffsetIn):
    """Record that Iraq's month began `days` after Umm al-Qura's, and why. Refused (422, on
    `days`) when the table would give a month other than 29 or 30 days, saying which month's
    offset to set first."""
    row = services.hijri_offset_set(actor=request.user, **payload.dict())
    return {**_offset_fields(row), "month_name": hijri.month_name(row.hijri_month)}


@router.get("/prayer-times/{slug}", response=PrayerTimesOut, summary="Jafari prayer times")
def prayer_times(request: HttpRequest, slug: str, query: Query[PrayerQuery]):
    """A city's times for `date`, or for each day of `from`..`to` (at most 366), as times with
    the city's UTC offset. Without dates: today in the city."""
    city = selectors.prayer_city_get(slug=slug)
    if query.first or query.last:
        first = query.first or query.last
        last = query.last or first
    else:
        first = last = query.date or selectors.local_today(city.timezone)
    days = selectors.prayer_times_for(city, first=first, last=last)
    return {
        "city": city.slug,
        "name": city.name,
        "timezone": city.timezone,
        "method": days[0].method,
        "days": [{"date": t.day, **dict(t.items())} for t in days],
    }


@router.get("/poles/nearest", response=NearestOut, summary="Position → nearest pole")
def pole_nearest(request: HttpRequest, query: Query[NearestQuery]):
    nearest = selectors.pole_nearest(lat=query.lat, lon=query.lon)
    return {
        "pole": nearest.pole,
        "off_route_m": nearest.off_route_m,
        "position": _pole(nearest.position),
    }


@router.get("/poles/{int:pole}", response=PoleOut, summary="Pole → position")
def pole_position(request: HttpRequest, pole: int):
    """Where a pole stands, interpolated between anchors, with the radius of uncertainty."""
    return _pole(selectors.pole_get(pole=pole))
