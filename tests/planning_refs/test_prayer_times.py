"""Jafari prayer times against `salat`, an independent implementation (no database)."""

import csv
import datetime as dt
import math
import zoneinfo
from pathlib import Path

import praytimes
import pytest
from salat import CalculationMethod
from salat import PrayerTimes as SalatTimes
from salat.calculations import time_altitude, time_zenith

from zaireen.planning import prayer_times as pt

CITIES_CSV = Path(pt.__file__).parents[1] / "places" / "data" / "cities.csv"
TOLERANCE = dt.timedelta(minutes=1)
SUNSET_ALTITUDE = -math.radians(0.833)  # salat's (and praytimes') refraction + semidiameter


def _cities():
    with CITIES_CSV.open(encoding="utf-8") as f:
        return [
            (row["slug"], float(row["lat"]), float(row["lon"]), row["timezone"])
            for row in csv.DictReader(f)
        ]


def test_every_city_every_day_of_2026_agrees_with_salat_within_a_minute():
    """salat solves the sun's position from orbital elements; praytimes uses the USNO
    approximation. Both must agree on each time to a minute (in practice about 10 s)."""
    jafari = SalatTimes(CalculationMethod.JAFARI)
    first, last = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    failures, worst = [], dt.timedelta()
    cities = _cities()
    assert len(cities) >= 20
    for slug, lat, lon, tz in cities:
        zone = zoneinfo.ZoneInfo(tz)
        ours = pt.prayer_times_for_days(lat, lon, first, last, tz)
        assert len(ours) == 365
        theirs = [jafari.calc_times(t.day, zone, lon, lat) for t in ours]
        theirs.append(jafari.calc_times(last + dt.timedelta(days=1), zone, lon, lat))
        for i, times in enumerate(ours):
            ref = dict(theirs[i])
            # salat has no sunset (its Jafari maghrib is at 4°) and no midnight: derive them
            # from its own astronomy the way the method defines them.
            ref["sunset"] = time_altitude(time_zenith(times.day, lon), SUNSET_ALTITUDE, lat, False)
            ref["midnight"] = ref["sunset"] + (theirs[i + 1]["fajr"] - ref["sunset"]) / 2
            for name in pt.PRAYER_NAMES:
                ours_at = getattr(times, name)
                assert ours_at.tzinfo is zone
                gap = abs(ours_at - ref[name])
                worst = max(worst, gap)
                if gap > TOLERANCE:
                    failures.append(f"{slug} {times.day} {name}: {ours_at} vs {ref[name]}")
    assert not failures, "\n".join(failures[:20])
    assert worst < dt.timedelta(seconds=30)  # the observed worst is about 10 s


def test_times_come_in_the_order_of_the_day_in_the_local_zone():
    for slug, lat, lon, tz in _cities():
        for day in (dt.date(2026, 3, 20), dt.date(2026, 6, 21), dt.date(2026, 12, 21)):
            times = pt.prayer_times(lat, lon, day, tz)
            moments = [moment for _, moment in times.items()]
            assert moments == sorted(moments), slug
            assert times.fajr.date() == day
            assert times.dhuhr.utcoffset() == zoneinfo.ZoneInfo(tz).utcoffset(times.dhuhr)
            next_fajr = pt.prayer_times(lat, lon, day + dt.timedelta(days=1), tz).fajr
            half = (next_fajr - times.sunset) / 2  # the middle of the night, to the second
            assert abs(times.midnight - (times.sunset + half)) <= dt.timedelta(seconds=1)


def test_najaf_on_arbaeen_1448():
    times = pt.prayer_times(32.0, 44.3333, dt.date(2026, 8, 4), "Asia/Baghdad")
    shown = {name: pt.round_to_minute(moment).strftime("%H:%M") for name, moment in times.items()}
    assert shown == {
        "fajr": "04:00",
        "sunrise": "05:20",
        "dhuhr": "12:09",
        "sunset": "18:57",
        "maghrib": "19:13",
        "isha": "20:06",
        "midnight": "23:29",
    }
    assert times.method == "Jafari"
    # Maghrib at 4° below the horizon comes a quarter of an hour after sunset.
    assert dt.timedelta(minutes=10) < times.maghrib - times.sunset < dt.timedelta(minutes=25)


def test_other_praytimes_instances_cannot_change_the_method():
    """praytimes keeps its settings in class-level dicts: making an MWL calculator used to
    switch every instance to MWL. Ours must be immune."""
    day = dt.date(2026, 8, 4)
    before = pt.prayer_times(32.0, 44.3333, day, "Asia/Baghdad")
    praytimes.PrayTimes("MWL")
    praytimes.PrayTimes("Karachi")
    assert pt.prayer_times(32.0, 44.3333, day, "Asia/Baghdad") == before


def test_a_range_matches_single_days():
    days = pt.prayer_times_for_days(33.7167, 73.0667, dt.date(2026, 2, 27), dt.date(2026, 3, 2),
                                    "Asia/Karachi")  # fmt: skip
    assert [d.day for d in days] == [dt.date(2026, 2, 27) + dt.timedelta(days=i) for i in range(4)]
    assert days[2] == pt.prayer_times(33.7167, 73.0667, dt.date(2026, 3, 1), "Asia/Karachi")


def test_daylight_saving_comes_from_the_tz_database():
    winter = pt.prayer_times(51.5, -0.13, dt.date(2026, 1, 15), "Europe/London")
    summer = pt.prayer_times(51.5, -0.13, dt.date(2026, 7, 15), "Europe/London")
    assert winter.dhuhr.utcoffset() == dt.timedelta(0)
    assert summer.dhuhr.utcoffset() == dt.timedelta(hours=1)
    assert summer.dhuhr.hour == 13


@pytest.mark.parametrize(
    ("lat", "lon", "tz", "message"),
    [
        (95.0, 44.0, "Asia/Baghdad", "latitude"),
        (32.0, 200.0, "Asia/Baghdad", "longitude"),
        (32.0, 44.0, "Asia/Nowhere", "time zone"),
    ],
)
def test_bad_places_are_refused(lat, lon, tz, message):
    with pytest.raises(ValueError, match=message):
        pt.prayer_times(lat, lon, dt.date(2026, 1, 1), tz)


def test_round_to_minute():
    at = dt.datetime(2026, 1, 1, 4, 59, 30, tzinfo=dt.UTC)
    assert pt.round_to_minute(at) == dt.datetime(2026, 1, 1, 5, 0, tzinfo=dt.UTC)
    assert pt.round_to_minute(at - dt.timedelta(seconds=1)).minute == 59
