"""The itinerary pages, the route map, the printed plan (read back with pypdf), the phone view,
the API (422 with field errors), and the reference data the ministry edits."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from tests.itineraries.conftest import plan_data
from zaireen.core.models import AuditEntry
from zaireen.itineraries import selectors
from zaireen.itineraries.models import SiteFact
from zaireen.itineraries.planner import Kind


def _features(html: str) -> dict:
    raw = re.search(
        r'<script id="route-features" type="application/json">(.*?)</script>', html, re.S
    ).group(1)
    return json.loads(raw)


def test_the_itinerary_page_shows_the_days_warnings_and_the_route_map(client, org, trip, planned):
    client.force_login(org.staff)
    response = client.get(reverse("itineraries:trip", args=[trip.uid]))
    assert response.status_code == 200
    html = response.content.decode()
    plan = selectors.plan_of(planned)
    for day in plan.days():
        assert f'id="day-{day.isoformat()}"' in html
    assert "Arbaeen (40th day after Ashura) in Karbala: expect very large crowds" in html
    assert "vehicles stopped: on foot" in html
    assert "vehicle stop outside Karbala" in html
    # The map: Leaflet from the django-leaflet package's static files, nothing from elsewhere.
    assert "/static/leaflet/leaflet.js" in html and "itineraries/route_map.js" in html
    assert not re.search(r'(src|href)="https?://', html)
    features = _features(html)["features"]
    layers = {f["properties"]["layer"] for f in features}
    assert {"stay", "site", "airport", "road", "walk", "vehicle_stop"} <= layers
    stays = [f["properties"]["name"] for f in features if f["properties"]["layer"] == "stay"]
    assert stays == ["Najaf", "Karbala", "Kadhimiya (Baghdad)"]
    # Staff get the edit forms.
    assert reverse("itineraries:edit", args=[trip.uid]) in html


def test_the_route_script_is_served(client, org, trip, planned):
    from django.contrib.staticfiles import finders

    assert finders.find("itineraries/route_map.js")
    assert finders.find("leaflet/leaflet.js")


def test_a_refused_edit_on_the_page_names_the_rule(client, org, trip, planned):
    client.force_login(org.staff)
    plan = selectors.plan_of(planned)
    road = next(it for it in plan.of_kind(Kind.ROAD) if it.city == "kadhimiya")
    response = client.post(
        reverse("itineraries:edit", args=[trip.uid]),
        {"op": "move", "item": road.key, "start": f"{road.day.isoformat()}T23:30"},
        follow=True,
    )
    html = response.content.decode()
    assert "Rule “no road at night”" in html


def test_the_plan_form_plans_the_trip(client, org, trip):
    client.force_login(org.staff)
    url = reverse("itineraries:plan", args=[trip.uid])
    page = client.get(url).content.decode()
    assert "Plan the trip" in page and "Shrine of Imam Hussain" in page
    data = plan_data(trip)
    body = {
        "arrival_at": data.arrival_at.strftime("%Y-%m-%dT%H:%M"),
        "departure_at": data.departure_at.strftime("%Y-%m-%dT%H:%M"),
        "needs": "standard",
        "occasion": "arbaeen",
        "wishes": list(data.wishes),
    }
    for i, (city, nights, hotel) in enumerate(data.stays):
        body.update({f"stay_city_{i}": city, f"stay_nights_{i}": nights, f"stay_hotel_{i}": hotel})
    response = client.post(url, body)
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        itinerary = trip.itinerary.__class__.objects.get(trip=trip)
    assert itinerary.arrival_at == data.arrival_at  # typed in Iraq's clock
    body["stay_nights_0"] = 1
    response = client.post(url, body)
    assert response.status_code == 422
    assert "hotel nights match the trip" in response.content.decode()


def _pdf_text(client, trip, lang) -> str:
    response = client.get(reverse("itineraries:pdf", args=[trip.uid, lang]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_printed_plan_reads_back_in_english_and_urdu(client, org, trip, planned):
    client.force_login(org.staff)
    english = _pdf_text(client, trip, "en")
    assert "Itinerary" in english and trip.code in english
    assert "Walk" in english and "vehicles are stopped outside the city" in english
    assert "Dhuhr and Asr" in english and "Shrine of Imam Hussain" in english
    urdu = _pdf_text(client, trip, "ur")
    assert "سفر کا پروگرام" in urdu
    assert "کربلا معلیٰ" in urdu and "روضۂ امام حسینؑ" in urdu
    assert "پیدل سفر" in urdu and "ظہرین" in urdu
    assert client.get(reverse("itineraries:pdf", args=[trip.uid, "fr"])).status_code == 404


def test_a_pilgrim_on_the_trip_reads_the_plan_on_the_phone(client, org, trip, planned):
    from tests.test_permissions import _organiser  # noqa: F401  (documents the fixture shape)
    from zaireen.accounts.models import User
    from zaireen.pilgrims.services import pilgrim_register
    from zaireen.pilgrims.validation import PilgrimInput
    from zaireen.trips.services import members_add

    profile, _w = pilgrim_register(
        actor=org.admin,
        data=PilgrimInput(
            surname="BIBI",
            given_names="KULSOOM",
            cnic="35202-7654329-2",
            passport_number="AB7654329",
            passport_expiry=dt.date(2031, 1, 1),
            birth_date=dt.date(1950, 1, 1),
            sex="F",
        ),
    )
    members_add(actor=org.admin, trip_uid=trip.uid, profile_uids=[profile.uid])
    pilgrim = User.objects.create(
        username="kulsoom", role="pilgrim", phone="+923331234599", person_id=profile.person_id
    )
    client.force_login(pilgrim)
    html = client.get(reverse("itineraries:phone", args=[trip.uid])).content.decode()
    assert "My itinerary" in html and "Shrine of Imam Hussain" in html
    assert "itineraries:edit" not in html and 'name="op"' not in html  # read-only
    trip_page = client.get(reverse("trips:detail", args=[trip.uid])).content.decode()
    assert reverse("itineraries:phone", args=[trip.uid]) in trip_page


def test_the_api_returns_the_plan_and_answers_422_with_field_errors(client, org, trip):
    client.force_login(org.staff)
    url = reverse("api-1.0.0:itinerary", args=[trip.uid])
    data = plan_data(trip)
    body = {
        "arrival_at": data.arrival_at.isoformat(),
        "departure_at": data.departure_at.isoformat(),
        "stays": [{"city": c, "nights": n, "hotel": h} for c, n, h in data.stays],
        "wishes": list(data.wishes),
        "needs": "standard",
        "occasion": "arbaeen",
    }
    bad = {**body, "stays": [{"city": "najaf", "nights": 1}]}
    response = client.post(url, bad, content_type="application/json")
    assert response.status_code == 422
    assert "hotel nights match the trip" in response.json()["errors"]["stays"][0]
    naive = {**body, "arrival_at": "2026-07-31T02:30:00"}
    response = client.post(url, naive, content_type="application/json")
    assert response.status_code == 422 and "arrival_at" in response.json()["errors"]
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    out = response.json()
    assert [s["city"] for s in out["stays"]] == ["najaf", "karbala", "kadhimiya"]
    walk = next(i for i in out["items"] if i["kind"] == "walk")
    assert walk["from_city"] == "~karbala" and walk["outdoor"]
    assert any(w["code"] == "peak_occasion" for w in out["warnings"])
    got = client.get(reverse("api-1.0.0:itinerary", args=[trip.uid])).json()
    assert got["id"] == out["id"] and len(got["items"]) == len(out["items"])
    road = next(i for i in out["items"] if i["kind"] == "road" and i["city"] == "kadhimiya")
    edit = reverse("api-1.0.0:itinerary_edit", args=[trip.uid])
    response = client.post(
        edit,
        {"op": "move", "item": road["key"], "start": road["start"][:11] + "23:30:00+03:00"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "no road at night" in response.json()["errors"]["start"][0]


def test_the_reference_page_shows_every_figure_with_its_source(client, reference):
    html = client.get(reverse("itineraries:reference")).content.decode()
    assert "alkafeel.net/news/index?id=9352" in html  # al-Abbas: 24 hours, the shrine's site
    assert "visit-iraq.com" in html  # the vehicle stop distance (F2.1)
    assert "assumption" in html
    assert "weather-atlas.com" in html


def test_the_ministry_corrects_a_site_fact_and_it_is_audited(client, org):
    url = reverse("itineraries:fact_edit", args=["imam-ali-shrine"])
    client.force_login(org.staff)
    assert client.get(url).status_code == 403
    client.force_login(org.ministry)
    response = client.post(
        url,
        {
            "visit_minutes": 150,
            "duration_source": "Shrine guide 2026",
            "hours": "24h",
            "hours_source": "",
        },
    )
    assert response.status_code == 422  # published hours need their source
    response = client.post(
        url,
        {
            "visit_minutes": 150,
            "duration_source": "Shrine guide 2026",
            "hours": "24h",
            "hours_source": "https://imamali.example/hours",
        },
    )
    assert response.status_code == 302
    fact = SiteFact.objects.get(site__slug="imam-ali-shrine")
    assert fact.visit_minutes == 150 and fact.open_24h
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="zaireen.itinerary.site_fact.updated").exists()


@pytest.mark.parametrize("name", ["climate_edit", "stop_edit", "circuit_edit"])
def test_the_other_reference_forms_save(client, org, name):
    client.force_login(org.ministry)
    args, body = {
        "climate_edit": (
            ["karbala"],
            {
                **{f"m{m}": 30 + m for m in range(1, 13)},
                "source": "Iraqi Meteorological Organization",
            },
        ),
        "stop_edit": (
            ["arbaeen"],
            {
                "city": "karbala",
                "distance_km": "12.5",
                "days_before": 3,
                "days_after": 1,
                "source": "Karbala security plan 2026",
            },
        ),
        "circuit_edit": (
            ["NJF"],
            {
                "cities": "najaf, karbala",
                "sites": "imam-ali-shrine",
                "source": "organisers' survey",
            },
        ),
    }[name]
    url = reverse(f"itineraries:{name}", args=args)
    assert client.get(url).status_code == 200
    assert client.post(url, body).status_code == 302
