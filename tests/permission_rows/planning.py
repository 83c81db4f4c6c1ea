"""Permission rows for the planning app's URLs (calendar, prayer times, poles).

Everything is public reference data except the month offsets, which only the ministry sets.
"""

from tests.permission_table_base import ALL, Row, others
from zaireen.planning import hijri


def _offset_form_body(ctx) -> dict[str, str]:
    """A valid POST of the offsets page for the Hijri year it shows by default (this year in
    Iraq): one month moved by a day such that every month keeps 29 or 30 days."""
    from zaireen.planning.selectors import iraq_today
    from zaireen.planning.services import month_field

    year = hijri.to_hijri(iraq_today()).year
    body = {month_field(year, month): "0" for month in range(1, 13)}
    for month in range(2, 13):
        before, length = hijri.month_length(year, month - 1), hijri.month_length(year, month)
        if (before, length) in ((29, 30), (30, 29)):
            body[month_field(year, month)] = "1" if before == 29 else "-1"
            break
    return {**body, "reason": "Moon sighting announced", "confirm": "on"}


TABLE = [
    # Public pages.
    Row("planning:calendar", ALL, 200),
    Row("planning:occasions", ALL, 200),
    Row("planning:prayer_cities", ALL, 200),
    Row("planning:prayer_times", ALL, 200),
    Row("planning:poles", ALL, 200),
    Row("planning:pole_list_json", ALL, 200),
    # The ministry's month offsets.
    Row("planning:offsets", ("anonymous",), "login"),
    Row("planning:offsets", ("ministry",), 200),
    Row("planning:offsets", others("ministry"), 403),
    Row("planning:offsets", ("anonymous",), "login", method="post"),
    Row("planning:offsets", ("ministry",), 302, method="post"),
    Row("planning:offsets", others("ministry"), 403, method="post"),
    # Public API.
    Row("api-1.0.0:hijri_calendar", ALL, 200),
    Row("api-1.0.0:occasion_dates", ALL, 200),
    Row("api-1.0.0:hijri_from_gregorian", ALL, 200),
    Row("api-1.0.0:hijri_to_gregorian", ALL, 200),
    Row("api-1.0.0:hijri_offsets", ALL, 200),
    Row("api-1.0.0:prayer_times", ALL, 200),
    Row("api-1.0.0:pole_position", ALL, 200),
    Row("api-1.0.0:pole_nearest", ALL, 200),
    # Setting an offset shares its path with the public list (GET lists, POST sets).
    Row("api-1.0.0:hijri_offset_set", ALL, 200),
    Row("api-1.0.0:hijri_offset_set", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:hijri_offset_set", ("ministry",), 200, method="post"),
    Row("api-1.0.0:hijri_offset_set", others("ministry"), 403, method="post"),
]

URL_ARGS = {
    "planning:prayer_times": lambda ctx: {"slug": "karbala"},
    "api-1.0.0:prayer_times": lambda ctx: {"slug": "karbala"},
    "api-1.0.0:pole_position": lambda ctx: {"pole": 578},
}

QUERY = {
    "api-1.0.0:hijri_from_gregorian": {"date": "2026-08-04"},
    "api-1.0.0:hijri_to_gregorian": {"year": 1448, "month": 2, "day": 20},
    "api-1.0.0:pole_nearest": {"lat": 32.3, "lon": 44.2},
}

BODY = {
    "planning:offsets": _offset_form_body,
    # Safar 1448 a day late alone keeps Muharram at 30 days and Safar at 29: a valid table.
    "api-1.0.0:hijri_offset_set": lambda ctx: {
        "year": 1448,
        "month": 2,
        "days": 1,
        "reason": "Moon sighting announced",
    },
}
