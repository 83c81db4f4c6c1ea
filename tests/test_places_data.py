"""The reference geography shipped in the package: loader, and the facts themselves."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zaireen.places.geo import great_circle_km
from zaireen.places.loader import DataFileError
from zaireen.places.models import Airport, BorderCrossing, City, RoadLeg, Site, Zone
from zaireen.places.services import DATA_DIR, places_load

# Every site the project's users name (DESIGN.md, the foundation issue).
REQUIRED_SITES = {
    "imam-ali-shrine",
    "imam-husayn-shrine",
    "al-abbas-shrine",
    "bayn-al-haramayn",
    "great-mosque-of-kufa",
    "house-of-imam-ali",
    "al-kadhimiya-shrine",
    "al-askari-shrine",
    "wadi-us-salaam",
    "masjid-al-sahla",
    "tal-al-zainabiya",
    "salman-al-farsi",
}
REQUIRED_AIRPORTS = {"BGW", "NJF", "BSR", "EBL", "KHI", "LHE", "ISB"}


def _counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count() for m in (City, Site, Zone, Airport, BorderCrossing, RoadLeg)
    }


def _data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _replace_line(path: Path, starts_with: str, new_line: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(starts_with))
    lines[index] = new_line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index + 1


@pytest.mark.django_db
def test_load_creates_every_required_place():
    report = places_load()
    assert report["sites"]["created"] == Site.objects.count()
    assert set(Site.objects.values_list("slug", flat=True)) >= REQUIRED_SITES
    assert set(Airport.objects.values_list("iata", flat=True)) >= REQUIRED_AIRPORTS
    assert BorderCrossing.objects.filter(country="IR", other_country="IQ").count() >= 4
    assert BorderCrossing.objects.filter(slug="taftan-mirjaveh").exists()


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    places_load()
    before = _counts()
    report = places_load()
    assert _counts() == before
    for kind, counts in report.items():
        assert set(counts) == {"unchanged"}, kind


@pytest.mark.django_db
def test_a_changed_row_is_updated_in_place(tmp_path):
    places_load()
    data = _data_copy(tmp_path)
    site = Site.objects.get(slug="masjid-al-sahla")
    text = (data / "sites.csv").read_text(encoding="utf-8")
    (data / "sites.csv").write_text(text.replace("Masjid al-Sahla,", "Masjid al-Sahla (Sahla),", 1))
    report = places_load(data_dir=data)
    assert report["sites"]["updated"] == 1
    updated = Site.objects.get(slug="masjid-al-sahla")
    assert updated.pk == site.pk
    assert updated.name == "Masjid al-Sahla (Sahla)"


@pytest.mark.django_db
def test_a_malformed_row_stops_the_load_and_loads_nothing(tmp_path):
    places_load()
    data = _data_copy(tmp_path)
    # A good change in an earlier file, and a bad row in a later one.
    city_csv = (data / "cities.csv").read_text(encoding="utf-8")
    (data / "cities.csv").write_text(city_csv.replace(",Najaf,", ",Najaf (renamed),", 1))
    line = _replace_line(
        data / "zones.csv",
        "imam-husayn-courtyard",
        "imam-husayn-courtyard,imam-husayn-shrine,Courtyard,lots,x,",
    )
    before = _counts()
    with pytest.raises(DataFileError) as caught:
        places_load(data_dir=data)
    assert caught.value.path.name == "zones.csv"
    assert caught.value.line == line
    assert "area_m2" in caught.value.reason
    assert _counts() == before
    assert City.objects.get(slug="najaf").name == "Najaf"


@pytest.mark.django_db
def test_a_failed_first_load_leaves_the_database_empty(tmp_path):
    data = _data_copy(tmp_path)
    _replace_line(data / "road_legs.csv", "kufa,najaf", "kufa,atlantis,10,,https://example.org,")
    with pytest.raises(DataFileError, match="unknown city 'atlantis'"):
        places_load(data_dir=data)
    assert sum(_counts().values()) == 0


@pytest.mark.django_db
def test_the_command_names_file_line_and_reason(tmp_path):
    data = _data_copy(tmp_path)
    line = _replace_line(
        data / "sites.csv",
        "masjid-al-sahla",
        "masjid-al-sahla,Masjid al-Sahla,kufa,mosque,44.3797,32.0390,,,,,https://en.wikipedia.org/wiki/Al-Sahlah_Mosque,",
    )
    with pytest.raises(CommandError) as caught:
        call_command("load_places", data_dir=data)
    message = str(caught.value)
    assert f"sites.csv, line {line}" in message
    assert "Nothing was loaded" in message
    assert not Site.objects.exists()


@pytest.mark.django_db
def test_each_site_lies_within_30_km_of_its_city_centre(places):
    for site in Site.objects.select_related("city"):
        distance = great_circle_km(site.lat, site.lon, site.city.lat, site.city.lon)
        assert distance <= 30, f"{site.slug} is {distance:.1f} km from {site.city.name}"


@pytest.mark.django_db
def test_every_row_names_a_source_and_every_approximate_position_says_how(places):
    for model in (City, Site, BorderCrossing):
        for row in model.objects.all():
            assert row.source.strip(), f"{model.__name__} {row} has no source"
            if row.approximate:
                assert len(row.placement) > 20, f"{row} is approximate without a placement note"
    for model in (Airport, RoadLeg):
        assert all(row.source.strip() for row in model.objects.all())
    for zone in Zone.objects.exclude(area_m2=None):
        assert zone.source.strip(), f"zone {zone.slug} has an area without a source"


@pytest.mark.django_db
def test_positions_not_found_in_sources_are_flagged_approximate(places):
    # Sources give no coordinate of their own for these (reference-facts, "Not found").
    for slug in ("house-of-imam-ali", "tal-al-zainabiya", "maytham-al-tammar", "muslim-ibn-aqil"):
        assert Site.objects.get(slug=slug).approximate, slug
    assert not Site.objects.get(slug="imam-husayn-shrine").approximate
    assert BorderCrossing.objects.get(slug="shalamcheh").approximate


@pytest.mark.django_db
def test_every_city_has_a_time_zone_matching_its_country(places):
    expected = {"IQ": "Asia/Baghdad", "PK": "Asia/Karachi", "IR": "Asia/Tehran"}
    for city in City.objects.all():
        assert city.timezone == expected[city.country], city.slug


@pytest.mark.django_db
def test_the_database_refuses_a_position_off_the_globe(places):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        City.objects.filter(slug="najaf").update(lat=123)
