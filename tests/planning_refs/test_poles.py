"""The Najaf → Karbala pole gazetteer (no database)."""

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zaireen.places.geo import great_circle_km
from zaireen.places.loader import DataFileError
from zaireen.planning import poles

SITES_CSV = Path(poles.__file__).parents[1] / "places" / "data" / "sites.csv"
HEADER = "pole,name,lat,lon,approximate,placement,source,note\n"


def _site(slug):
    with SITES_CSV.open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["slug"] == slug)
    return float(row["lat"]), float(row["lon"])


def _write(tmp_path, *rows):
    path = tmp_path / "anchors.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_shipped_file_has_the_facts_anchors_and_landmarks():
    g = poles.load_gazetteer()
    by_pole = {a.pole: a for a in g.anchors}
    assert (by_pole[1452].lat, by_pole[1452].lon) == _site("al-abbas-shrine")
    assert by_pole[1452].sourced
    assert by_pole[1].approximate
    assert by_pole[1].placement
    assert "Haidariya" in by_pole[578].name
    assert not by_pole[578].positioned
    assert "Imam Ali City" in by_pole[1237].name
    assert not by_pole[1237].positioned
    # Pole 1 is placed about 10 km out of Najaf (F3.5).
    najaf = _site("imam-ali-shrine")
    assert 9.5 < great_circle_km(*najaf, by_pole[1].lat, by_pole[1].lon) < 10.5


def test_anchors_reproduce_exactly():
    g = poles.load_gazetteer()
    for anchor in g.anchors:
        position = poles.pole_position(anchor.pole)
        assert anchor.name in position.landmarks
        if anchor.positioned:
            assert (position.lat, position.lon) == (anchor.lat, anchor.lon)
        if anchor.sourced:
            assert position.uncertainty_m == 0
            assert not position.approximate


@given(st.integers(1, poles.POLE_COUNT))
def test_pole_to_position_to_pole_round_trips(pole):
    position = poles.pole_position(pole)
    found = poles.nearest_pole(position.lat, position.lon)
    assert found.pole == pole
    assert found.off_route_m < 1
    assert found.position == position


def test_every_pole_round_trips_and_advances_towards_karbala():
    abbas = _site("al-abbas-shrine")
    previous = None
    for position in poles.pole_list():
        assert poles.nearest_pole(position.lat, position.lon).pole == position.pole
        left = great_circle_km(position.lat, position.lon, *abbas)
        if previous is not None:
            assert left < previous
            assert 0.040 < previous - left < 0.050  # the line is 0.88 of the poles' length
        previous = left
    assert previous == 0


def test_uncertainty_is_zero_at_sourced_anchors_and_grows_away_from_them():
    assert poles.uncertainty_m(1452) == 0
    assert poles.uncertainty_m(1451) == 50
    assert poles.uncertainty_m(1) == 1451 * 50  # pole 1 is approximate: no credit
    values = [poles.pole_position(p).uncertainty_m for p in range(1, 1453)]
    assert values == sorted(values, reverse=True)
    assert len(set(values)) == 1452


def test_the_report_compares_the_path_with_1451_times_50_m():
    report = poles.path_report()
    assert report.poles_m == 1451 * 50
    assert report.spanned_m == 1451 * 50
    assert 63_000 < report.path_m < 65_000  # pole 1 → al-Abbas in a straight line
    assert report.ratio == pytest.approx(report.path_m / 72_550)
    text = report.as_text()
    assert "1,451 × 50 m = 72.55 km" in text
    assert "shorter than the poles" in text


def test_a_better_anchor_file_changes_the_results_without_code(tmp_path):
    shipped = poles.DEFAULT_ANCHORS.read_text(encoding="utf-8").splitlines()[1:]
    # A survey adds sourced positions for the two named landmarks, off the straight line.
    path = _write(
        tmp_path,
        *shipped,
        "578,Haidariya hospital (survey),32.3100,44.2300,,,survey 2026 (test),",
        "1237,Imam Ali City (survey),32.5400,44.0900,,,survey 2026 (test),",
    )
    better = poles.load_gazetteer(path)
    old, new = poles.pole_position(578), poles.pole_position(578, better)
    assert (new.lat, new.lon) == (32.31, 44.23)
    assert (old.lat, old.lon) != (new.lat, new.lon)
    assert new.uncertainty_m == 0
    assert new.landmarks == (
        "Haidariya town and Haidariya hospital",
        "Haidariya hospital (survey)",
    )
    assert poles.uncertainty_m(600, better) == 22 * 50
    assert poles.uncertainty_m(1, better) == 577 * 50
    assert poles.nearest_pole(32.3101, 44.2301, better).pole == 578
    for pole in range(1, 1453, 7):
        p = poles.pole_position(pole, better)
        assert poles.nearest_pole(p.lat, p.lon, better).pole == pole
    assert len(poles.path_report(better).segments) == 3
    assert poles.path_report(better).path_m > poles.path_report().path_m


def test_points_off_the_route_and_beyond_its_ends():
    abbas = _site("al-abbas-shrine")
    beyond = poles.nearest_pole(abbas[0] + 0.05, abbas[1] - 0.02)
    assert beyond.pole == 1452
    assert beyond.off_route_m > 1000
    najaf = _site("imam-ali-shrine")
    assert poles.nearest_pole(*najaf).pole == 1
    aside = poles.pole_position(700)
    side = poles.nearest_pole(aside.lat + 0.01, aside.lon + 0.027)  # about 3 km east-north-east
    assert abs(side.pole - 700) < 20
    assert 2000 < side.off_route_m < 3500


def test_poles_outside_the_anchors_are_extrapolated(tmp_path):
    path = _write(
        tmp_path,
        "100,A,32.1000,44.2500,,,test,",
        "200,B,32.1400,44.2300,,,test,",
    )
    g = poles.load_gazetteer(path)
    first, last = poles.pole_position(1, g), poles.pole_position(1452, g)
    assert first.lat < 32.1 < 32.14 < last.lat
    assert poles.nearest_pole(first.lat, first.lon, g).pole == 1
    assert poles.nearest_pole(last.lat, last.lon, g).pole == 1452
    assert "extrapolated" in poles.path_report(g).as_text()


def test_the_pole_list_for_the_map_has_one_pole_a_kilometre():
    listed = [p.pole for p in poles.pole_list(every=20)]
    assert listed[:3] == [1, 21, 41]
    assert listed[-1] == 1452
    assert len(listed) == 74
    with pytest.raises(ValueError, match="every"):
        poles.pole_list(every=0)


@pytest.mark.parametrize("pole", [0, 1453, 12.5, True, "7"])
def test_impossible_pole_numbers_are_refused(pole):
    with pytest.raises(ValueError, match="pole must be"):
        poles.pole_position(pole)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["1,A,32.08,44.27,,,s,", "3,B,32.60,44.03,,,s,"], "apart in a straight line"),
        (["1,A,32.08,,,,s,", "1452,B,32.6172,44.0362,,,s,"], "both 'lat' and 'lon'"),
        (["1,A,32.08,44.27,,,s,", "1,B,32.09,44.27,,,s,"], "already has a position"),
        (["1,A,32.08,44.27,true,here,s,", "1452,B,32.6,44.0,true,there,s,"], "no sourced"),
        (["1,A,32.08,44.27,true,,s,", "1452,B,32.6172,44.0362,,,s,"], "how it was placed"),
        (["1452,B,32.6172,44.0362,,,s,"], "at least two anchors"),
        (["1,A,32.08,44.27,,,s,", "9999,B,32.6172,44.0362,,,s,"], "outside 1..1452"),
    ],
)
def test_a_faulty_anchor_file_names_the_line_and_reason(tmp_path, rows, message):
    with pytest.raises(DataFileError, match=message):
        poles.load_gazetteer(_write(tmp_path, *rows))
