"""The planning API: calendar, occasions, Hijri conversion, offsets, prayer times, poles."""

import datetime as dt

import pytest
from django_scopes import scopes_disabled

from tests import factories
from zaireen.accounts.services import api_token_create
from zaireen.core.models import AuditEntry
from zaireen.core.roles import Role
from zaireen.planning import poles, services
from zaireen.planning.models import HijriMonthOffset

pytestmark = pytest.mark.django_db

API = "/api/v1"
REASON = "Moon sighting announced by Sistani's office"
SAFAR_1448 = {"year": 1448, "month": 2, "days": 1, "reason": REASON}


def _post(client, path, body, **headers):
    return client.post(f"{API}{path}", body, content_type="application/json", **headers)


# --- Calendar, occasions, conversion --------------------------------------------------------


def test_the_calendar_gives_both_hijri_dates_and_the_occasions(client, officer):
    services.hijri_offset_set(actor=officer, **SAFAR_1448)
    days = client.get(f"{API}/calendar", {"from": "2026-08-03", "to": "2026-08-04"}).json()
    assert [d["date"] for d in days] == ["2026-08-03", "2026-08-04"]
    assert days[1]["hijri"] == {
        "year": 1448,
        "month": 2,
        "day": 20,
        "iso": "1448-02-20",
        "month_name": "Safar",
        "text": "20 Safar 1448",
    }
    assert days[1]["umm_al_qura"]["day"] == 21
    assert days[1]["occasions"] == ["arbaeen"]
    assert days[0]["occasions"] == []


def test_the_calendar_defaults_to_the_coming_month(client):
    days = client.get(f"{API}/calendar").json()
    assert len(days) == 31


def test_occasions_in_a_range_carry_iraqs_and_umm_al_quras_dates(client, officer):
    services.hijri_offset_set(actor=officer, **SAFAR_1448)
    data = client.get(f"{API}/occasions", {"from": "2026-08-01", "to": "2026-08-31"}).json()
    arbaeen = next(o for o in data if o["key"] == "arbaeen")
    assert arbaeen["start"] == arbaeen["end"] == "2026-08-04"
    assert arbaeen["umm_al_qura_start"] == "2026-08-03"
    assert arbaeen["offset_days"] == 1
    assert arbaeen["hijri"]["text"] == "20 Safar 1448"
    assert (arbaeen["city"], arbaeen["crowd_level"]) == ("karbala", "peak")
    assert [o["start"] for o in data] == sorted(o["start"] for o in data)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-08-10", "to": "2026-08-01"}, "to"),
        ({"from": "2026-01-01", "to": "2027-06-01"}, "to"),
        ({"from": "1900-01-01", "to": "1900-01-05"}, "from"),
        ({"from": "not-a-date"}, "from"),
    ],
)
def test_a_bad_calendar_range_answers_422_naming_the_field(client, query, field):
    response = client.get(f"{API}/calendar", query)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_occasions_take_up_to_five_years(client):
    ok = client.get(f"{API}/occasions", {"from": "2026-01-01", "to": "2030-12-31"})
    assert ok.status_code == 200
    response = client.get(f"{API}/occasions", {"from": "2026-01-01", "to": "2032-01-01"})
    assert response.status_code == 422
    assert "to" in response.json()["errors"]


def test_hijri_conversion_both_ways_applies_the_offsets(client, officer):
    uq = client.get(f"{API}/hijri/to-gregorian", {"year": 1448, "month": 2, "day": 20}).json()
    assert (uq["date"], uq["umm_al_qura_date"], uq["offset_days"]) == ("2026-08-03",) * 2 + (0,)
    services.hijri_offset_set(actor=officer, **SAFAR_1448)
    iraq = client.get(f"{API}/hijri/to-gregorian", {"year": 1448, "month": 2, "day": 20}).json()
    assert (iraq["date"], iraq["umm_al_qura_date"], iraq["offset_days"]) == (
        "2026-08-04",
        "2026-08-03",
        1,
    )
    back = client.get(f"{API}/hijri/from-gregorian", {"date": "2026-08-04"}).json()
    assert back["hijri"]["iso"] == "1448-02-20"
    assert back["umm_al_qura"]["iso"] == "1448-02-21"
    assert back["offset_days"] == 1


def test_the_30th_of_a_29_day_month_names_the_day(client, officer):
    # Safar 1447 has 29 days in Umm al-Qura's calendar.
    response = client.get(f"{API}/hijri/to-gregorian", {"year": 1447, "month": 2, "day": 30})
    assert response.status_code == 422
    assert "29 days" in response.json()["errors"]["day"][0]
    # Safar 1448 a day late is 29 days long in Iraq, though Umm al-Qura's has 30.
    services.hijri_offset_set(actor=officer, **SAFAR_1448)
    response = client.get(f"{API}/hijri/to-gregorian", {"year": 1448, "month": 2, "day": 30})
    assert response.status_code == 422
    assert "day" in response.json()["errors"]


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/hijri/to-gregorian", {"year": 1200, "month": 1, "day": 1}, "year"),
        ("/hijri/to-gregorian", {"year": 1448, "month": 13, "day": 1}, "month"),
        ("/hijri/to-gregorian", {"year": 1448, "month": 1, "day": 31}, "day"),
        ("/hijri/to-gregorian", {"year": 1448, "month": 1}, "day"),
        ("/hijri/from-gregorian", {"date": "1900-01-01"}, "date"),
        ("/hijri/from-gregorian", {"date": "2026-02-30"}, "date"),
    ],
)
def test_bad_conversion_input_answers_422_naming_the_field(client, path, query, field):
    response = client.get(f"{API}{path}", query)
    assert response.status_code == 422
    assert field in response.json()["errors"]


# --- Offsets ---------------------------------------------------------------------------------


def test_the_offsets_list_is_public_and_names_no_officer(client, officer):
    services.hijri_offset_set(actor=officer, **SAFAR_1448)
    data = client.get(f"{API}/hijri/offsets").json()
    assert data == [
        {
            "year": 1448,
            "month": 2,
            "month_name": "Safar",
            "days": 1,
            "reason": REASON,
            "set_at": data[0]["set_at"],
        }
    ]
    assert client.get(f"{API}/hijri/offsets", {"year": 1447}).json() == []


def test_the_ministry_sets_an_offset_through_the_api_with_a_token(client, officer):
    _token, clear = api_token_create(actor=officer, name="moon sighting desk")
    response = _post(client, "/hijri/offsets", SAFAR_1448, HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert response.status_code == 200, response.content
    assert response.json()["days"] == 1
    assert HijriMonthOffset.objects.get().set_by == officer
    with scopes_disabled():
        assert AuditEntry.objects.get(action=services.AUDIT_ACTION).reason == REASON


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.MINISTRY_OFFICER], ids=str)
def test_other_roles_get_403_and_the_ministry_succeeds(client, places, officer, role):
    organiser = factories.organiser() if role.startswith(("organiser", "group")) else None
    client.force_login(factories.user("someone", role, organiser))
    assert _post(client, "/hijri/offsets", SAFAR_1448).status_code == 403
    assert not HijriMonthOffset.objects.exists()
    client.force_login(officer)
    assert _post(client, "/hijri/offsets", SAFAR_1448).status_code == 200


def test_anonymous_gets_401(client):
    assert _post(client, "/hijri/offsets", SAFAR_1448).status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"days": 3}, "days"),
        ({"days": "one"}, "days"),
        ({"month": 13}, "month"),
        ({"year": 1501}, "year"),
        ({"reason": " "}, "reason"),
        ({"reason": "x" * 2001}, "reason"),
        ({"year": 1447}, "days"),  # Safar 1447 a day late alone: Muharram would last 31 days
    ],
)
def test_bad_offset_input_answers_422_naming_the_field(client, officer, change, field):
    client.force_login(officer)
    response = _post(client, "/hijri/offsets", {**SAFAR_1448, **change})
    assert response.status_code == 422
    body = response.json()
    assert field in body["errors"], body
    assert not HijriMonthOffset.objects.exists()


def test_the_refusal_says_which_month_to_set(client, officer):
    client.force_login(officer)
    response = _post(client, "/hijri/offsets", {**SAFAR_1448, "year": 1447})
    reasons = " ".join(response.json()["errors"]["days"])
    assert "set the offset of Muharram 1447" in reasons
    assert "set the offset of Rabi' al-Awwal 1447" in reasons


# --- Prayer times ------------------------------------------------------------------------------


def test_prayer_times_for_a_city_and_a_day_are_in_the_citys_zone(client, places):
    data = client.get(f"{API}/prayer-times/karbala", {"date": "2026-08-04"}).json()
    assert (data["city"], data["timezone"], data["method"]) == ("karbala", "Asia/Baghdad", "Jafari")
    (day,) = data["days"]
    assert day["date"] == "2026-08-04"
    fajr = dt.datetime.fromisoformat(day["fajr"])
    assert fajr.utcoffset() == dt.timedelta(hours=3)
    assert fajr.date() == dt.date(2026, 8, 4)
    order = [dt.datetime.fromisoformat(day[k]) for k in (
        "fajr", "sunrise", "dhuhr", "sunset", "maghrib", "isha", "midnight"
    )]  # fmt: skip
    assert order == sorted(order)
    lahore = client.get(f"{API}/prayer-times/lahore", {"date": "2026-08-04"}).json()
    assert dt.datetime.fromisoformat(lahore["days"][0]["dhuhr"]).utcoffset() == dt.timedelta(
        hours=5
    )


def test_prayer_times_for_a_range_and_for_today(client, places):
    data = client.get(f"{API}/prayer-times/najaf", {"from": "2026-08-01", "to": "2026-08-31"})
    assert [d["date"] for d in data.json()["days"]][::30] == ["2026-08-01", "2026-08-31"]
    today = client.get(f"{API}/prayer-times/najaf").json()
    assert len(today["days"]) == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-01-01", "to": "2027-06-01"}, "to"),
        ({"from": "2026-08-10", "to": "2026-08-01"}, "to"),
        ({"date": "2026-13-01"}, "date"),
    ],
)
def test_a_bad_prayer_range_answers_422_naming_the_field(client, places, query, field):
    response = client.get(f"{API}/prayer-times/najaf", query)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_an_unknown_city_is_404(client, places):
    response = client.get(f"{API}/prayer-times/atlantis")
    assert response.status_code == 404
    assert "atlantis" in response.json()["detail"]


# --- Poles -------------------------------------------------------------------------------------


def test_pole_to_position_and_back(client):
    pole = client.get(f"{API}/poles/578").json()
    assert pole["pole"] == 578
    assert pole["approximate"] is True
    assert pole["uncertainty_m"] == pytest.approx(43_700)
    assert pole["landmarks"] == ["Haidariya town and Haidariya hospital"]
    back = client.get(f"{API}/poles/nearest", {"lat": pole["lat"], "lon": pole["lon"]}).json()
    assert back["pole"] == 578
    assert back["off_route_m"] < 1
    assert back["position"] == pole


def test_the_sourced_anchor_is_exact(client):
    pole = client.get(f"{API}/poles/1452").json()
    anchor = next(a for a in poles.load_gazetteer().anchors if a.pole == 1452)
    assert (pole["lat"], pole["lon"], pole["uncertainty_m"]) == (anchor.lat, anchor.lon, 0)
    assert pole["approximate"] is False


def test_a_position_off_the_walk_says_how_far_off(client):
    data = client.get(f"{API}/poles/nearest", {"lat": 33.3, "lon": 44.4}).json()  # Baghdad
    assert data["pole"] == 1452
    assert data["off_route_m"] > 50_000


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/poles/0", {}, "pole"),
        ("/poles/1453", {}, "pole"),
        ("/poles/nearest", {"lat": 91, "lon": 44}, "lat"),
        ("/poles/nearest", {"lat": 32, "lon": -181}, "lon"),
        ("/poles/nearest", {"lat": 32}, "lon"),
    ],
)
def test_bad_pole_input_answers_422_naming_the_field(client, path, query, field):
    response = client.get(f"{API}{path}", query)
    assert response.status_code == 422
    assert field in response.json()["errors"]
