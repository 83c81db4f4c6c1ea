"""Hijri conversion with Iraq's offsets, and the occasions file (no database)."""

import csv
import datetime as dt
from pathlib import Path

import pytest
from hijridate import Gregorian, Hijri
from hypothesis import assume, given
from hypothesis import strategies as st

from zaireen.places.loader import DataFileError
from zaireen.planning import hijri
from zaireen.planning.hijri import HijriDate, to_gregorian, to_hijri

CITIES_CSV = Path(hijri.__file__).parents[1] / "places" / "data" / "cities.csv"

# reference-facts F5.3: Umm al-Qura dates computed with hijri-converter 2.3.2.
UMM_AL_QURA = [
    ((1445, 2, 20), dt.date(2023, 9, 5)),
    ((1446, 2, 20), dt.date(2024, 8, 24)),
    ((1447, 2, 20), dt.date(2025, 8, 14)),
    ((1448, 2, 20), dt.date(2026, 8, 3)),
    ((1448, 1, 10), dt.date(2026, 6, 25)),
    ((1448, 2, 28), dt.date(2026, 8, 11)),
    ((1447, 7, 13), dt.date(2026, 1, 2)),
    ((1447, 7, 25), dt.date(2026, 1, 14)),
    ((1447, 7, 27), dt.date(2026, 1, 16)),
    ((1447, 8, 15), dt.date(2026, 2, 3)),
    ((1447, 9, 19), dt.date(2026, 3, 8)),
    ((1447, 9, 21), dt.date(2026, 3, 10)),
    ((1447, 12, 18), dt.date(2026, 6, 4)),
]

# reference-facts F5.2: Arbaeen as observed in Iraq (and the weekday the sources give).
IRAQ_ARBAEEN = [
    (1445, dt.date(2023, 9, 6), "Wednesday"),
    (1446, dt.date(2024, 8, 25), "Sunday"),
    (1447, dt.date(2025, 8, 15), "Friday"),
]
SAFAR_PLUS_ONE = {(1445, 2): 1, (1446, 2): 1, (1447, 2): 1}

gregorian_days = st.dates(min_value=hijri.FIRST_DAY, max_value=hijri.LAST_DAY)


@pytest.mark.parametrize(("ymd", "expected"), UMM_AL_QURA)
def test_umm_al_qura_dates_of_the_facts_file_reproduce(ymd, expected):
    assert to_gregorian(HijriDate(*ymd)) == expected
    assert to_hijri(expected) == HijriDate(*ymd)


@pytest.mark.parametrize(("year", "observed", "weekday"), IRAQ_ARBAEEN)
def test_safar_offset_puts_arbaeen_on_the_day_iraq_observed(year, observed, weekday):
    arbaeen = HijriDate(year, 2, 20)
    assert to_gregorian(arbaeen) == observed - dt.timedelta(days=1)  # Umm al-Qura: a day early
    assert to_gregorian(arbaeen, SAFAR_PLUS_ONE) == observed
    assert observed.strftime("%A") == weekday
    assert to_hijri(observed, SAFAR_PLUS_ONE) == arbaeen


def test_arbaeen_1448_is_listed_on_the_iraqi_day_once_the_offset_is_set():
    window = (dt.date(2026, 7, 1), dt.date(2026, 8, 31))

    def arbaeen(offsets):
        (found,) = [
            o for o in hijri.occasions_between(*window, offsets) if o.occasion.key == "arbaeen"
        ]
        return found

    assert arbaeen({}).start == dt.date(2026, 8, 3)
    with_offset = arbaeen({(1448, 2): 1})
    assert with_offset.start == with_offset.end == dt.date(2026, 8, 4)  # Tuesday, F5.3 projection
    assert with_offset.offset_days == 1
    assert with_offset.umm_al_qura_start == dt.date(2026, 8, 3)
    assert with_offset.hijri == HijriDate(1448, 2, 20)


def test_check_offsets_names_the_months_an_incomplete_table_makes_impossible():
    # Umm al-Qura's Muharram 1447 has 30 days and its Safar 29, so "Safar began a day later"
    # alone would give a 31-day Muharram and a 28-day Safar.
    problems = {(p.year, p.month) for p in hijri.check_offsets(SAFAR_PLUS_ONE)}
    assert problems == {(1447, 1), (1447, 2)}
    with pytest.raises(hijri.InconsistentOffsets):
        to_hijri(dt.date(2025, 7, 26), SAFAR_PLUS_ONE)  # Iraq's "31 Muharram"
    complete = {**SAFAR_PLUS_ONE, (1447, 1): 1, (1447, 3): 1}
    assert hijri.check_offsets(complete) == []
    assert to_gregorian(HijriDate(1447, 2, 20), complete) == dt.date(2025, 8, 15)


def test_check_offsets_reports_malformed_entries():
    problems = hijri.check_offsets({(1447, 13): 1, (1447, 2): 5, (1200, 1): 1})
    assert {(p.year, p.month) for p in problems} == {(1447, 13), (1447, 2), (1200, 1)}
    with pytest.raises(ValueError, match="offset"):
        to_gregorian(HijriDate(1447, 2, 1), {(1447, 2): 3})


@given(
    year=st.integers(hijri.MIN_YEAR + 1, hijri.MAX_YEAR - 1),
    month=st.integers(1, 12),
    days=st.sampled_from([-2, -1, 1, 2]),
)
def test_an_offset_shifts_its_own_month_and_no_other(year, month, days):
    offsets = {(year, month): days}
    # A month keeps at least 26 days under a ±2 offset (Umm al-Qura has a few 28-day months).
    for day in range(1, 27):
        own = HijriDate(year, month, day)
        assert to_gregorian(own, offsets) == to_gregorian(own) + dt.timedelta(days=days)
    y, m = year, month
    neighbours = []
    for _ in range(2):  # the two months before and the two after
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
        neighbours.append((y, m))
    y, m = year, month
    for _ in range(2):
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        neighbours.append((y, m))
    for y, m in neighbours:
        for day in (1, 15, 26):
            other = HijriDate(y, m, day)
            assert to_gregorian(other, offsets) == to_gregorian(other)


@given(gregorian_days)
def test_gregorian_round_trip_over_the_whole_range(day):
    assert to_gregorian(to_hijri(day)) == day


@given(gregorian_days)
def test_without_offsets_the_dates_are_hijridates_umm_al_qura(day):
    assert to_hijri(day).isoformat() == Gregorian.fromdate(day).to_hijri().isoformat()


@given(
    year=st.integers(hijri.MIN_YEAR, hijri.MAX_YEAR),
    month=st.integers(1, 12),
    day=st.integers(1, 31),
)
def test_hijri_round_trip_over_the_whole_range(year, month, day):
    assume(day <= Hijri(year, month, 1).month_length())
    date = HijriDate(year, month, day)
    assert to_hijri(to_gregorian(date)) == date


@st.composite
def sound_offsets(draw):
    """A random offset table (0 or +1 a month) over a few years that keeps every month at 29
    or 30 days, as real sightings do: keeping the previous month's offset is always sound."""
    year = draw(st.integers(hijri.MIN_YEAR + 1, hijri.MAX_YEAR - 6))
    months = [(y, m) for y in range(year, year + 4) for m in range(1, 13)]
    offsets, previous, previous_length = {}, 0, Hijri(year - 1, 12, 1).month_length()
    for i, (y, m) in enumerate(months + [(year + 4 + k // 12, k % 12 + 1) for k in range(12)]):
        wanted = draw(st.sampled_from((0, 1))) if i < len(months) else 0
        # Keeping the previous offset keeps Umm al-Qura's length (a few early months have 28
        # or 31 days in its own tables); a change must leave 29 or 30.
        sound = 29 <= previous_length + wanted - previous <= 30
        chosen = wanted if sound else previous
        if chosen:
            offsets[(y, m)] = chosen
        previous, previous_length = chosen, Hijri(y, m, 1).month_length()
        if i >= len(months) and chosen == 0:
            break
    return year, offsets


@given(sound_offsets(), st.integers(0, 4 * 354))
def test_round_trips_hold_under_any_sound_offset_table(table, step):
    year, offsets = table
    assert hijri.check_offsets(offsets) == []
    day = hijri.month_start(year, 1) + dt.timedelta(days=step)
    date = to_hijri(day, offsets)
    assert to_gregorian(date, offsets) == day
    length = hijri.month_length(date.year, date.month, offsets)
    assert length in (29, 30) or length == hijri.month_length(date.year, date.month)


@pytest.mark.parametrize("index", [8, 28, 31, 70, 71, 81, 82, 259])
def test_umm_al_qura_irregular_early_months_convert_both_ways(index):
    # Umm al-Qura's tables give these months (all before 1366 AH) 28 or 31 days.
    year, month = hijri.MIN_YEAR + index // 12, index % 12 + 1
    length = hijri.month_length(year, month)
    assert length in (28, 31)
    last = HijriDate(year, month, length)
    assert to_hijri(to_gregorian(last)) == last
    assert hijri.check_offsets({(year, month): 0}) == []


def test_dates_outside_the_tables_are_refused_clearly():
    with pytest.raises(hijri.HijriRangeError):
        to_hijri(dt.date(1900, 1, 1))
    with pytest.raises(hijri.HijriRangeError):
        to_gregorian(HijriDate(1600, 1, 1))
    with pytest.raises(hijri.InvalidHijriDate):
        to_gregorian(HijriDate(1447, 2, 30))  # Safar 1447 has 29 days in Umm al-Qura
    with pytest.raises(hijri.InvalidHijriDate):
        HijriDate(1447, 13, 1)


def test_month_names_come_in_english_and_arabic():
    assert hijri.month_name(2) == "Safar"
    assert hijri.month_name(2, "ar") == "صفر"
    assert str(HijriDate(1448, 2, 20)) == "20 Safar 1448"


# reference-facts F5.1: every occasion listed there, by (month, day).
F5_1 = {
    (1, 10), (1, 25), (2, 20), (2, 28), (2, 17), (3, 8), (3, 17), (7, 1), (7, 3), (7, 10),
    (7, 13), (7, 15), (7, 25), (7, 27), (8, 15), (9, 19), (6, 29), (11, 30), (12, 18),
}  # fmt: skip


def test_occasions_file_covers_the_facts_and_names_known_cities():
    occasions = hijri.load_occasions()
    with CITIES_CSV.open(encoding="utf-8") as f:
        cities = {row["slug"] for row in csv.DictReader(f)}
    assert {(o.hijri_month, o.hijri_day) for o in occasions} == F5_1
    assert all(o.city in cities for o in occasions), [o.city for o in occasions]
    assert all(o.source and o.crowd_basis for o in occasions)
    by_key = {o.key: o for o in occasions}
    assert by_key["arbaeen"].city == "karbala"
    assert by_key["arbaeen"].crowd_level == "peak"
    assert by_key["kadhim-martyrdom"].city == "kadhimiya"
    assert by_key["sayyid-muhammad-death"].city == "balad"
    qadr = by_key["qadr-nights"]
    assert (qadr.hijri_month, qadr.hijri_day, qadr.span_days) == (9, 19, 3)
    assert [o.key for o in occasions if o.date_unverified] == ["ghadir"]
    assert "general knowledge" in by_key["ghadir"].note


def test_occasions_of_2026_in_date_order_with_spans():
    found = hijri.occasions_between(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert [o.start for o in found] == sorted(o.start for o in found)
    qadr = next(o for o in found if o.occasion.key == "qadr-nights")
    assert (qadr.start, qadr.end) == (dt.date(2026, 3, 8), dt.date(2026, 3, 10))
    # A span that began before the window is still listed.
    late = hijri.occasions_between(dt.date(2026, 3, 10), dt.date(2026, 3, 10))
    assert [o.occasion.key for o in late] == ["qadr-nights"]


def test_an_occasion_on_the_30th_falls_on_the_last_day_of_a_29_day_month():
    jawad = next(o for o in hijri.load_occasions() if o.key == "jawad-martyrdom")
    short = next(y for y in range(1440, 1460) if hijri.month_length(y, 11) == 29)
    when = hijri.occurrence(jawad, short)
    assert when.hijri == HijriDate(short, 11, 29)
    assert when.start + dt.timedelta(days=1) == hijri.month_start(short, 12)


def test_calendar_days_pair_each_day_with_its_hijri_date_and_occasions():
    days = hijri.calendar_days(dt.date(2026, 8, 1), dt.date(2026, 8, 31), {(1448, 2): 1})
    assert len(days) == 31
    by_day = {d.day: d for d in days}
    assert by_day[dt.date(2026, 8, 4)].hijri == HijriDate(1448, 2, 20)
    assert [o.occasion.key for o in by_day[dt.date(2026, 8, 4)].occasions] == ["arbaeen"]
    assert by_day[dt.date(2026, 8, 3)].occasions == ()


def test_a_faulty_occasions_file_names_its_line(tmp_path):
    path = tmp_path / "occasions.csv"
    header = hijri.DEFAULT_OCCASIONS.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(
        header + "\nashura,Ashura,1,10,,karbala,enormous,basis,,source,\n", encoding="utf-8"
    )
    with pytest.raises(DataFileError, match=r"line 2: column 'crowd_level'"):
        hijri.load_occasions(path)
