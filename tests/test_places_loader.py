"""The data-file reader alone (pure Python): every fault named by file, line and reason."""

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zaireen.places.loader import FILES, DataFileError, read_dataset

COUNTRIES = frozenset({"IQ", "PK", "IR"})
KINDS = frozenset({"shrine", "mosque", "area"})

HEADERS = {
    "cities": "slug,name,country,lat,lon,timezone,approximate,placement,source",
    "sites": "slug,name,city,kind,lat,lon,area_m2,area_source,approximate,placement,source,notes",
    "zones": "slug,site,name,area_m2,source,notes",
    "airports": "iata,icao,name,city,lat,lon,source",
    "crossings": "slug,name,country,other_country,city,lat,lon,approximate,placement,source,notes",
    "road_legs": "from,to,distance_km,drive_minutes,source,notes",
}
GOOD = {
    "cities": [
        "karbala,Karbala,IQ,32.6167,44.0333,Asia/Baghdad,,,https://example.org/karbala",
        "najaf,Najaf,IQ,32.0000,44.3333,Asia/Baghdad,,,https://example.org/najaf",
    ],
    "sites": [
        "imam-husayn-shrine,Imam Hussain,karbala,shrine,32.6164,44.0325,20000,https://a.example,,,https://s.example,",
        'tal,Tal al-Zainabiya,karbala,area,32.6163,44.0316,,,true,"90 m west of the shrine",https://t.example,',
    ],
    "zones": ["courtyard,imam-husayn-shrine,Courtyard,6000,https://z.example,"],
    "airports": ["NJF,ORNI,Najaf International,najaf,31.9899,44.4043,https://o.example"],
    "crossings": [],
    "road_legs": ["karbala,najaf,76,60,https://r.example,"],
}


def write(
    tmp: Path, overrides: dict[str, list[str]] | None = None, raw: dict[str, bytes] | None = None
) -> Path:
    rows = {**GOOD, **(overrides or {})}
    for name in FILES:
        path = tmp / f"{name}.csv"
        if raw and name in raw:
            path.write_bytes(raw[name])
        else:
            path.write_text("\n".join([HEADERS[name], *rows[name]]) + "\n", encoding="utf-8")
    return tmp


def read(tmp: Path):
    return read_dataset(tmp, countries=COUNTRIES, site_kinds=KINDS)


def fault(tmp: Path, **kwargs) -> DataFileError:
    with pytest.raises(DataFileError) as caught:
        read(write(tmp, **kwargs))
    return caught.value


def test_a_good_dataset_reads_completely(tmp_path):
    ds = read(write(tmp_path))
    assert [c.slug for c in ds.cities] == ["karbala", "najaf"]
    assert ds.sites[1].provenance.approximate
    assert ds.road_legs[0].drive_minutes == 60
    assert ds.zones[0].area_m2 == 6000


def test_a_byte_order_mark_is_accepted(tmp_path):
    body = ("\ufeff" + "\n".join([HEADERS["cities"], *GOOD["cities"]]) + "\n").encode()
    assert len(read(write(tmp_path, raw={"cities": body})).cities) == 2


@pytest.mark.parametrize(
    ("file", "rows", "line", "reason"),
    [
        (
            "cities",
            ["karbala,Karbala,IQ,north,44.0,Asia/Baghdad,,,https://x"],
            2,
            "'lat' is not a number",
        ),
        ("cities", ["karbala,Karbala,IQ,95,44.0,Asia/Baghdad,,,https://x"], 2, "outside -90..90"),
        ("cities", ["karbala,Karbala,XX,32,44,Asia/Baghdad,,,https://x"], 2, "'country'"),
        ("cities", ["karbala,Karbala,IQ,32,44,Asia/Nowhere,,,https://x"], 2, "unknown time zone"),
        ("cities", ["karbala,Karbala,IQ,32,44,Asia/Baghdad,,,"], 2, "'source' is empty"),
        (
            "cities",
            ["karbala,Karbala,IQ,32,44,Asia/Baghdad,true,,https://x"],
            2,
            "how it was placed",
        ),
        ("cities", ["karbala,Karbala,IQ,32,44,Asia/Baghdad,maybe,,https://x"], 2, "true or false"),
        ("cities", [GOOD["cities"][0], GOOD["cities"][0]], 3, "duplicate city 'karbala'"),
        ("cities", ["Karbala City,Karbala,IQ,32,44,Asia/Baghdad,,,https://x"], 2, "lower-case"),
        ("cities", ["karbala,Karbala,IQ,32,44,Asia/Baghdad,,,https://x,extra"], 2, "more cells"),
        ("sites", ["x,X,karbala,temple,32.6,44.0,,,,,https://x,"], 2, "'kind'"),
        ("sites", ["x,X,basra,shrine,32.6,44.0,,,,,https://x,"], 2, "unknown city 'basra'"),
        ("sites", ["x,X,karbala,shrine,44.0325,32.6164,,,,,https://x,"], 2, "km from the centre"),
        ("sites", ["x,X,karbala,shrine,32.6,44.0,500,,,,https://x,"], 2, "needs its source"),
        ("sites", ["x,X,karbala,shrine,32.6,44.0,-5,https://a,,,https://x,"], 2, "outside 1.."),
        ("zones", ["z,nowhere,Z,,,"], 2, "unknown site 'nowhere'"),
        ("zones", ["z,imam-husayn-shrine,Z,100,,"], 2, "'source' is empty"),
        ("airports", ["NJ,ORNI,Najaf,najaf,31.9,44.4,https://x"], 2, "3 capital letters"),
        ("road_legs", ["karbala,karbala,10,,https://x,"], 2, "two different cities"),
        ("road_legs", ["karbala,najaf,20,,https://x,"], 2, "shorter than the straight line"),
        (
            "road_legs",
            [GOOD["road_legs"][0], "najaf,karbala,80,,https://x,"],
            3,
            "duplicate road leg",
        ),
        ("crossings", ["c,C,IQ,IQ,najaf,32,44.3,,,https://x,"], 2, "two different countries"),
    ],
)
def test_each_fault_names_file_line_and_reason(tmp_path, file, rows, line, reason):
    error = fault(tmp_path, overrides={file: rows})
    assert error.path.name == f"{file}.csv"
    assert error.line == line
    assert reason in error.reason
    assert str(error).startswith(f"{file}.csv, line {line}: ")


def test_a_missing_column_is_named(tmp_path):
    error = fault(tmp_path, raw={"zones": b"slug,site,name\nz,imam-husayn-shrine,Z\n"})
    assert (error.path.name, error.line) == ("zones.csv", 1)
    assert "area_m2" in error.reason
    assert "source" in error.reason


def test_text_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    body = (
        HEADERS["cities"]
        + "\n"
        + GOOD["cities"][0]
        + "\nnajaf,Najaf \xe9,IQ,32,44.33,Asia/Baghdad,,,https://x\n"
    ).encode("latin-1")
    error = fault(tmp_path, raw={"cities": body})
    assert (error.path.name, error.line) == ("cities.csv", 3)
    assert "UTF-8" in error.reason


def test_urdu_and_arabic_names_are_kept(tmp_path):
    ds = read(
        write(
            tmp_path,
            overrides={
                "cities": [
                    "karbala,کربلا کربلاء,IQ,32.6167,44.0333,Asia/Baghdad,,,https://x",
                    GOOD["cities"][1],
                ]
            },
        )
    )
    assert ds.cities[0].name == "کربلا کربلاء"


def test_a_missing_file_is_named(tmp_path):
    write(tmp_path)
    (tmp_path / "airports.csv").unlink()
    with pytest.raises(DataFileError, match=r"airports\.csv, line 0: file not found"):
        read(tmp_path)


cell = st.text(alphabet=string.printable + "کربلاءé\u200f", max_size=30)


@settings(
    max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=14), max_size=5))
def test_any_sites_file_either_reads_or_fails_with_a_located_reason(tmp_path, rows):
    body = "\n".join([HEADERS["sites"], *[",".join(r) for r in rows]]) + "\n"
    write(tmp_path, raw={"sites": body.encode("utf-8")})
    try:
        ds = read(tmp_path)
    except DataFileError as error:
        # zones.csv refers to a site of the good dataset, which the random file may lack.
        assert error.path.name in {"sites.csv", "zones.csv"}
        assert error.reason
        if error.path.name == "sites.csv":
            assert 1 <= error.line <= len(body.splitlines()) + 1
    else:
        for site in ds.sites:
            assert -90 <= site.lat <= 90
            assert site.provenance.source


@settings(
    max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(blob=st.binary(max_size=400))
def test_any_bytes_as_a_cities_file_fail_cleanly_or_read(tmp_path, blob):
    write(tmp_path, raw={"cities": blob})
    try:
        read(tmp_path)
    except DataFileError as error:
        assert error.path.name.endswith(".csv")
