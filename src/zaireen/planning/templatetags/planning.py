"""Display helpers for the planning pages: Hijri dates, prayer clocks, crowd levels, metres."""

import datetime as dt

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zaireen.planning import hijri
from zaireen.planning.prayer_times import round_to_minute

register = template.Library()

CROWD_LEVELS = {"peak": _("Peak crowd"), "high": _("High crowd"), "moderate": _("Moderate crowd")}
CROWD_BADGES = {"peak": "text-bg-danger", "high": "text-bg-warning", "moderate": "text-bg-info"}
PRAYER_NAMES = {
    "fajr": _("Fajr"),
    "sunrise": _("Sunrise"),
    "dhuhr": _("Dhuhr"),
    "sunset": _("Sunset"),
    "maghrib": _("Maghrib"),
    "isha": _("Isha"),
    "midnight": _("Midnight"),
}


def _locale() -> str:
    """hijridate names the months in English and Arabic; Urdu uses the Arabic names."""
    return "ar" if (get_language() or "en").split("-")[0] in {"ar", "ur"} else "en"


@register.filter
def hijri_month(month: int) -> str:
    return hijri.month_name(int(month), _locale())


@register.filter
def hijri_date(date: hijri.HijriDate | None) -> str:
    """ "20 Safar 1448" (in Arabic script for Arabic and Urdu pages)."""
    if date is None:
        return ""
    return f"{date.day} {hijri.month_name(date.month, _locale())} {date.year}"


@register.filter
def offset(days: int | None) -> str:
    """An offset in days, signed: "+1", "0", "−1"."""
    days = days or 0
    return f"{days:+d}".replace("-", "−") if days else "0"


@register.filter
def clock(moment: dt.datetime | None) -> str:
    """A prayer time as a timetable shows it: the minute, in the time's own zone (Django's
    `time` filter would convert it to the site's zone first)."""
    if moment is None:
        return ""
    return round_to_minute(moment).strftime("%H:%M")


@register.filter
def after_day(moment: dt.datetime, day: dt.date) -> bool:
    """True when `moment` falls on a later calendar day than `day` (midnight after 00:00)."""
    return round_to_minute(moment).date() > day


@register.filter
def crowd_level(level: str) -> str:
    return str(CROWD_LEVELS.get(level, level))


@register.filter
def crowd_badge(level: str) -> str:
    return CROWD_BADGES.get(level, "text-bg-secondary")


@register.filter
def prayer_name(name: str) -> str:
    return str(PRAYER_NAMES.get(name, name))


@register.filter
def metres(value: float | None) -> str:
    """A distance: metres below 1 km, else kilometres with two decimals ("43.70 km")."""
    if value is None:
        return ""
    if value < 1000:
        return f"{value:.0f} m"
    return f"{value / 1000:.2f} km"


@register.filter
def offset_recorded(when, table) -> bool:
    """Whether an officer has recorded an offset (possibly 0) for the occasion's month."""
    return (when.hijri.year, when.hijri.month) in table


@register.simple_tag
def month_offsets(months, table) -> list[tuple[int, int, int, bool]]:
    """(year, month, days, recorded) of the Hijri months listed, with their offset in `table`
    and whether an officer recorded one."""
    return [
        (year, month, table.get((year, month), 0), (year, month) in table) for year, month in months
    ]
