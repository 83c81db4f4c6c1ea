"""Jafari prayer times for a place and a day (pure Python, no Django).

Pilgrims plan visits, walks and departures around the prayers, and group leaders need the times
of the city they are in, in that city's clock. The method is the Jafari one (Shia Ithna-Ashari,
Leva Institute, Qum; reference-facts F6.1): Fajr when the sun is 16° below the horizon, Isha at
14°, Maghrib at 4° (after sunset, not at it), and midnight halfway between sunset and the next
Fajr.

The astronomy comes from `praytimes` 2.3.2, the packaging of praytimes.org's reference code.
That code keeps its settings in class-level dictionaries shared by every instance (creating a
`PrayTimes("MWL")` anywhere would silently switch every other instance to MWL), and its
`tune()` and `setMethod()` are broken. So `_JafariCalculator` never calls the package's
`__init__` and gives each calculation its own settings; nothing else of the package is changed.

Times are computed in UTC (time zone 0 in praytimes) and converted with `zoneinfo`, so a zone's
daylight-saving rules (Iran had them until 2022) are applied by the tz database, never by a
fixed hour offset. Results keep whole seconds; a timetable shows them rounded to the minute
(`round_to_minute`), as praytimes' own formatter does.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from dataclasses import dataclass

from praytimes import PrayTimes as _PrayTimes

METHOD = "Jafari"
JAFARI_PARAMS = {"fajr": 16, "isha": 14, "maghrib": 4, "midnight": "Jafari"}
# praytimes' defaults for everything the Jafari method does not set; Asr and Imsak are computed
# by the package but not returned here. "NightMiddle" only matters above about 48° latitude.
_SETTINGS = {"imsak": "10 min", "dhuhr": "0 min", "asr": "Standard", "highLats": "NightMiddle"}

PRAYER_NAMES = ("fajr", "sunrise", "dhuhr", "sunset", "maghrib", "isha", "midnight")


class _JafariCalculator(_PrayTimes):
    """praytimes' calculator with its own, Jafari-only settings (see the module docstring)."""

    def __init__(self) -> None:  # deliberately not calling super(): it writes class-level state
        self.calcMethod = METHOD
        self.settings = {**_SETTINGS, **JAFARI_PARAMS}
        self.offset = dict.fromkeys(self.timeNames, 0)


@dataclass(frozen=True)
class PrayerTimes:
    """One day's times at one place, as aware datetimes in the place's time zone.

    `midnight` may fall after 00:00 of the next day (it is the middle of the night that begins
    at this day's sunset).
    """

    day: dt.date
    latitude: float
    longitude: float
    timezone: str
    fajr: dt.datetime
    sunrise: dt.datetime
    dhuhr: dt.datetime
    sunset: dt.datetime
    maghrib: dt.datetime
    isha: dt.datetime
    midnight: dt.datetime
    method: str = METHOD

    def items(self) -> tuple[tuple[str, dt.datetime], ...]:
        """(name, time) in the order of the day, for tables and the API."""
        return tuple((name, getattr(self, name)) for name in PRAYER_NAMES)


def round_to_minute(moment: dt.datetime) -> dt.datetime:
    """The minute a timetable shows: 30 seconds and more round up (praytimes does the same)."""
    return (moment + dt.timedelta(seconds=30)).replace(second=0, microsecond=0)


def _check_place(latitude: float, longitude: float, timezone: str) -> zoneinfo.ZoneInfo:
    if not -90 <= latitude <= 90:
        raise ValueError(f"latitude {latitude} is outside -90..90")
    if not -180 <= longitude <= 180:
        raise ValueError(f"longitude {longitude} is outside -180..180")
    try:
        return zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {timezone!r}") from None


def _utc_times(latitude: float, longitude: float, day: dt.date) -> dict[str, dt.datetime]:
    """praytimes' times for `day`, as UTC datetimes.

    With time zone 0 praytimes returns hours after 00:00 UTC of `day`; they may be negative or
    above 24 for places far from Greenwich, which the timedelta handles.
    """
    hours = _JafariCalculator().getTimes(
        (day.year, day.month, day.day), (latitude, longitude), 0, 0, "Float"
    )
    base = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    result = {}
    for name in ("fajr", "sunrise", "dhuhr", "sunset", "maghrib", "isha"):
        value = hours[name]
        if math.isnan(value):
            raise ValueError(
                f"no {name} on {day.isoformat()} at latitude {latitude}: "
                "the sun does not reach the angle the Jafari method needs"
            )
        result[name] = base + dt.timedelta(seconds=round(value * 3600))
    return result


def _assemble(
    day: dt.date,
    latitude: float,
    longitude: float,
    timezone: str,
    zone: zoneinfo.ZoneInfo,
    today: dict[str, dt.datetime],
    next_fajr: dt.datetime,
) -> PrayerTimes:
    # Jafari midnight is halfway from sunset to the *next* morning's Fajr. praytimes itself
    # approximates that Fajr by today's plus 24 h; using the real one differs by under 30 s.
    half_night = (next_fajr - today["sunset"]).total_seconds() / 2
    midnight = today["sunset"] + dt.timedelta(seconds=round(half_night))
    local = {name: moment.astimezone(zone) for name, moment in today.items()}
    return PrayerTimes(
        day=day,
        latitude=latitude,
        longitude=longitude,
        timezone=timezone,
        midnight=midnight.astimezone(zone),
        **local,
    )


def prayer_times(latitude: float, longitude: float, day: dt.date, timezone: str) -> PrayerTimes:
    """The Jafari times for `day` (the local calendar day) at a place, in its IANA time zone.

    Raises ValueError for an impossible position, an unknown zone, or a day on which the sun
    does not reach a needed angle (only near the poles).
    """
    zone = _check_place(latitude, longitude, timezone)
    today = _utc_times(latitude, longitude, day)
    next_fajr = _utc_times(latitude, longitude, day + dt.timedelta(days=1))["fajr"]
    return _assemble(day, latitude, longitude, timezone, zone, today, next_fajr)


def prayer_times_for_days(
    latitude: float, longitude: float, first: dt.date, last: dt.date, timezone: str
) -> list[PrayerTimes]:
    """The times for every day from `first` to `last` inclusive (a month's or a trip's table).

    Each day's next-morning Fajr is the following day's Fajr, so a range costs one calculation
    per day instead of two.
    """
    if last < first:
        raise ValueError(f"last day {last.isoformat()} is before first day {first.isoformat()}")
    zone = _check_place(latitude, longitude, timezone)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 2)]
    computed = [_utc_times(latitude, longitude, day) for day in days]
    return [
        _assemble(day, latitude, longitude, timezone, zone, computed[i], computed[i + 1]["fajr"])
        for i, day in enumerate(days[:-1])
    ]
