"""The prayer-time pages for every city, and the pole gazetteer page and its JSON file."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from zaireen.places.models import City
from zaireen.planning import poles, prayer_times
from zaireen.planning.selectors import local_today

pytestmark = pytest.mark.django_db


def _text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def _block(html: str, element_id: str, end: str = "</table>") -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index(end, start)]


def _clock(moment) -> str:
    return prayer_times.round_to_minute(moment).strftime("%H:%M")


def test_every_city_has_a_prayer_page_with_todays_times_in_its_own_zone(client, places):
    cities = list(City.objects.all())
    assert len(cities) >= 20
    for city in cities:
        response = client.get(reverse("planning:prayer_times", args=[city.slug]))
        assert response.status_code == 200, city.slug
        html = response.content.decode()
        today = local_today(city.timezone)
        times = prayer_times.prayer_times(city.lat, city.lon, today, city.timezone)
        shown = _text(_block(html, "today-times", "</section>"))
        assert [_clock(t) for _name, t in times.items()] == re.findall(r"\d\d:\d\d", shown)
        month = _block(html, "month-times")
        assert month.count('<tr id="times-') == len(response.context["days"])
        assert f'id="times-{today:%Y-%m-%d}" class="table-success"' in month


def test_a_month_of_times_is_paginated_by_month(client, places):
    html = client.get(
        reverse("planning:prayer_times", args=["karbala"]), {"month": "2026-02"}
    ).content.decode()
    month = _block(html, "month-times")
    assert month.count('<tr id="times-') == 28
    karbala = City.objects.get(slug="karbala")
    first = prayer_times.prayer_times(
        karbala.lat, karbala.lon, dt.date(2026, 2, 1), karbala.timezone
    )
    row = _text(_block(month, "times-2026-02-01", "</tr>"))
    assert re.findall(r"\d\d:\d\d", row) == [_clock(t) for _name, t in first.items()]
    assert 'href="?month=2026-01"' in html and 'href="?month=2026-03"' in html


def test_the_prayer_index_lists_every_city_by_country(
    client, places, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        html = client.get(reverse("planning:prayer_cities")).content.decode()
    for city in City.objects.all():
        assert f'id="city-{city.slug}"' in html
    assert (
        html.index("Iraq") < html.index("Karbala") < html.index("Pakistan") < html.index("Lahore")
    )


def test_an_unknown_city_is_a_404_page(client, places):
    assert client.get(reverse("planning:prayer_times", args=["atlantis"])).status_code == 404


def _map_data(html: str) -> dict:
    marker = '<script id="pole-data" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])


def test_the_gazetteer_map_draws_a_pole_every_km_the_anchors_and_the_uncertainty(client):
    response = client.get(reverse("planning:poles"))
    html = response.content.decode()
    data = _map_data(html)
    assert [p["pole"] for p in data["poles"]][:3] == [1, 21, 41]
    assert data["poles"][-1]["pole"] == poles.POLE_COUNT
    assert len(data["poles"]) == 74
    assert {a["pole"] for a in data["anchors"]} == {1, 1452}
    assert all(m["uncertainty_m"] > 0 for m in data["landmarks"])
    assert "zaireen/poles.js" in html and "leaflet/leaflet.js" in html
    assert "Positions are approximate" in html
    landmark = _text(_block(html, "landmark-578", "</tr>"))
    assert "Haidariya" in landmark and "43.70 km" in landmark and "interpolated" in landmark
    assert "63.85 km" in _text(_block(html, "path-report", "</p>"))


def test_the_gazetteer_page_finds_a_pole_and_the_pole_nearest_a_position(client):
    html = client.get(reverse("planning:poles"), {"pole": "1237"}).content.decode()
    found = _text(_block(html, "pole-result", "</div>"))
    assert "Pole 1237" in found and "approximate" in found and "10.75 km" in found
    assert _map_data(html)["found"]["pole"] == 1237
    position = poles.pole_position(960)
    html = client.get(
        reverse("planning:poles"), {"lat": position.lat, "lon": position.lon}
    ).content.decode()
    nearest = _text(_block(html, "nearest-result", "</div>"))
    assert "Nearest pole: 960" in nearest
    assert _map_data(html)["point"] == {"lat": position.lat, "lon": position.lon}


@pytest.mark.parametrize(
    ("query", "field"),
    [({"pole": "0"}, "pole"), ({"pole": "x"}, "pole"), ({"lat": "95", "lon": "44"}, "lat")],
)
def test_a_bad_lookup_answers_422_naming_the_field(client, query, field):
    response = client.get(reverse("planning:poles"), query)
    assert response.status_code == 422
    form = response.context["pole_form" if field == "pole" else "position_form"]
    assert field in form.errors


def test_the_pole_list_is_a_json_file_the_browser_caches(client):
    response = client.get(reverse("planning:pole_list_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "max-age=86400" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    data = response.json()
    assert data["columns"] == ["pole", "lat", "lon", "uncertainty_m"]
    assert len(data["poles"]) == poles.POLE_COUNT
    assert data["poles"][1451] == [1452, 32.6172, 44.0362, 0.0]
    etag = response["ETag"]
    again = client.get(reverse("planning:pole_list_json"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert "max-age=86400" in again["Cache-Control"]
