"""The public places API and its error shape."""

import pytest

API = "/api/v1"


@pytest.mark.django_db
def test_cities_list_every_city(client, places):
    data = client.get(f"{API}/places/cities").json()
    assert {"najaf", "karbala", "kufa", "kadhimiya", "samarra"} <= {c["key"] for c in data}


@pytest.mark.django_db
def test_sites_are_paginated_and_filtered(client, places):
    page = client.get(f"{API}/places/sites", {"limit": 5}).json()
    assert len(page["items"]) == 5
    assert page["count"] >= 20
    karbala = client.get(f"{API}/places/sites", {"city": "karbala"}).json()
    assert {s["city"] for s in karbala["items"]} == {"karbala"}
    assert {"imam-husayn-shrine", "al-abbas-shrine", "bayn-al-haramayn"} <= {
        s["key"] for s in karbala["items"]
    }


@pytest.mark.django_db
def test_one_site_has_its_zones_and_sources(client, places):
    site = client.get(f"{API}/places/sites/imam-husayn-shrine").json()
    assert site["area_m2"] == 20000
    assert {z["key"] for z in site["zones"]} == {"imam-husayn-sanctuary", "imam-husayn-courtyard"}
    assert site["source"]


@pytest.mark.django_db
def test_an_unknown_site_answers_404_with_a_reason(client, places):
    response = client.get(f"{API}/places/sites/atlantis")
    assert response.status_code == 404
    assert "atlantis" in response.json()["detail"]


@pytest.mark.django_db
def test_travel_time(client, places):
    data = client.get(f"{API}/places/travel-time", {"from": "baghdad", "to": "karbala"}).json()
    assert (data["distance_km"], data["minutes"], data["is_estimate"]) == (100, 90, False)
    estimate = client.get(
        f"{API}/places/travel-time", {"from": "kadhimiya", "to": "samarra"}
    ).json()
    assert estimate["is_estimate"]
    assert estimate["basis"] == "estimate"
    assert estimate["straight_line_km"] < estimate["distance_km"]


@pytest.mark.django_db
def test_a_missing_or_oversized_parameter_answers_422_by_field(client, places):
    response = client.get(f"{API}/places/travel-time", {"from": "najaf"})
    assert response.status_code == 422
    assert "to" in response.json()["errors"]
    response = client.get(f"{API}/places/travel-time", {"from": "n" * 500, "to": "karbala"})
    assert response.status_code == 422
    assert "from" in response.json()["errors"]


@pytest.mark.django_db
def test_airports_crossings_and_geojson(client, places):
    assert len(client.get(f"{API}/places/airports").json()) == 11
    crossings = client.get(f"{API}/places/crossings").json()
    assert any(c["approximate"] and c["placement"] for c in crossings)
    geo = client.get(f"{API}/places/map.geojson").json()
    assert geo["type"] == "FeatureCollection"
    assert len(geo["features"]) > 40


@pytest.mark.django_db
def test_openapi_describes_every_places_route(client):
    schema = client.get(f"{API}/openapi.json").json()
    for path in (
        "/cities",
        "/sites",
        "/sites/{slug}",
        "/airports",
        "/crossings",
        "/travel-time",
        "/map.geojson",
    ):
        assert f"/api/v1/places{path}" in schema["paths"]
    docs = client.get(f"{API}/docs")
    assert docs.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in docs.content.decode()
