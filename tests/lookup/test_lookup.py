"""The consular look-up: finds the right person, logs every search, refuses everyone else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.lookup.conftest import register
from zaireen.core.errors import NotAllowed, ValidationFailed
from zaireen.core.models import PersonalDataAccess
from zaireen.core.ratelimit import RateLimited
from zaireen.lookup import hooks, selectors
from zaireen.lookup.management.commands import name_keys_rebuild  # noqa: F401
from zaireen.lookup.models import ProfileNameKey
from zaireen.lookup.selectors import LookupQuery, pilgrim_lookup
from zaireen.lookup.services import name_keys_rebuild as rebuild
from zaireen.lookup.services import name_keys_refresh
from zaireen.pilgrims.services import pilgrim_update
from zaireen.pilgrims.validation import PilgrimInput

pytestmark = pytest.mark.django_db


def find(actor, **fields):
    fields.setdefault("reason", "consular_assistance")
    return pilgrim_lookup(actor=actor, query=LookupQuery(**fields))


def uids(found):
    return [r.uid for r in found.results]


# --- Names ---------------------------------------------------------------------------------


SPELLINGS = [
    ("jafri", "Mohd Husain Jafri", 1948, "Lahore"),
    ("jafri", "Hussian Jafery", 1948, "Lahore"),
    ("jafri", "Jafri Hussain", 1948, "Lahore"),
    ("jafri", "Mohammed Hussein Jaffery", 1947, ""),
    ("hasan", "Hasan Jafri", 1948, "Lahore"),
    ("naqvi", "Husain Naqavi", 1948, ""),
    ("jafri_karachi", "Hussain Jafri", 1949, "Karachi"),
    ("zainab", "Zenab Bibi", 1952, ""),
    ("zainab", "Zaynab", 1952, "Jhang"),
    ("sakina", "Sakeena Naqvi", 1962, "Pindi"),
    ("ghulam", "Gh. Abbas Kazimi", 1961, ""),
    ("ghulam", "Gulam Abas Qazmi", 1961, "Rawalpindi"),
    ("zain", "Zainulabideen Shah", 1965, ""),
    ("zain", "Zain-ul-Abedin Shah", 1965, "Peshawar"),
    ("leader", "Aliraza", 1975, "Lahore"),
    ("leader", "Ali Rida", None, "Lahore"),
]


def test_misspelt_and_transliterated_names_find_the_right_person(world, monkeypatch):
    monkeypatch.setattr(selectors, "LOOKUPS_PER_MINUTE", 100)
    missed = {}
    for who, name, year, city in SPELLINGS:
        found = find(world.consul, name=name, birth_year=year, home_city=city)
        first = found.results[0].uid if found.results else None
        if first != getattr(world, who).uid:
            missed[name] = [r.name for r in found.results]
    assert not missed


def test_the_exact_spelling_wins_over_a_similar_word(world):
    kamal = register(world.staff_a, "KAMAL", "ABBAS", 1964, city="Sargodha")
    qamar = register(world.staff_b, "QAMAR", "ABBAS", 1964, city="Sargodha")
    found = uids(find(world.consul, name="Kamar Abbas", birth_year=1964))
    assert found[:2] == [qamar.uid, kamal.uid]
    assert uids(find(world.consul, name="Kamal Abas", birth_year=1964))[0] == kamal.uid


def test_the_birth_year_narrows_to_one_year_either_side(world):
    assert world.jafri.uid in uids(find(world.consul, name="Hussain Jafri", birth_year=1949))
    assert world.jafri.uid in uids(find(world.consul, name="Hussain Jafri", birth_year=1947))
    assert world.jafri.uid not in uids(find(world.consul, name="Hussain Jafri", birth_year=1950))


def test_sex_narrows(world):
    both = uids(find(world.consul, name="Kausar Abbas", birth_year=1970))
    assert {world.kausar_m.uid, world.kausar_f.uid} <= set(both)
    women = uids(find(world.consul, name="Kausar Abbas", birth_year=1970, sex="F"))
    assert world.kausar_f.uid in women
    assert world.kausar_m.uid not in women


def test_the_home_city_ranks_first_but_hides_nobody(world):
    lahore = uids(find(world.consul, name="Hussain Jafri", home_city="Lahore"))
    karachi = uids(find(world.consul, name="Hussain Jafri", home_city="karachi"))
    assert lahore[0] == world.jafri.uid
    assert karachi[0] == world.jafri_karachi.uid
    assert set(lahore) == set(karachi)


def test_an_unrelated_name_finds_nothing(world):
    assert find(world.consul, name="Xavier Oppenheimer").results == []


# --- Identifiers ---------------------------------------------------------------------------


def test_a_cnic_finds_every_organisers_profile_of_the_person(world):
    other = register(world.staff_b, "MOHD HUSSAIN", "JAFFERY", 1948, cnic="35202-1000001-1",
                     passport_number="AB1000001")  # fmt: skip
    assert other.person_id == world.jafri.person_id
    found = find(world.consul, cnic="3520210000011")
    assert set(uids(found)) == {world.jafri.uid, other.uid}
    assert find(world.consul, cnic="35202-7777777-1").results == []


def test_a_passport_number_phone_and_trip_code_find_the_pilgrim(world):
    assert uids(find(world.consul, passport_number="ab 1000001")) == [world.jafri.uid]
    assert uids(find(world.consul, phone="0300-111 2223")) == [world.jafri.uid]
    on_trip = uids(find(world.consul, trip_code="arb-lhe-01"))
    assert set(on_trip) == {world.jafri.uid, world.hasan.uid, world.leader.uid}
    narrowed = uids(find(world.consul, trip_code="ARB-LHE-01", name="Hasan"))
    assert narrowed[0] == world.hasan.uid
    assert world.naqvi.uid not in narrowed


def test_a_result_names_the_trip_organiser_leader_and_the_hooks(world, monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(
        hooks,
        "last_checkpoints",
        lambda ids: {i: hooks.Checkpoint("Karbala gate 3", now) for i in ids},
    )
    monkeypatch.setattr(
        hooks, "open_cases", lambda ids: {world.jafri.pk: [hooks.OpenCase("MP-7", "Missing", now)]}
    )
    result = find(world.consul, name="Hussain Jafri", birth_year=1948, home_city="Lahore")
    first = result.results[0]
    assert first.trip.code == "ARB-LHE-01"
    assert first.organiser_name == world.a.legal_name
    assert (first.leader_name, first.leader_phone) == ("ALI RAZA", "+923214445556")
    assert first.last_checkpoint.name == "Karbala gate 3"
    assert first.open_cases[0].reference == "MP-7"
    assert first.phone == "+923001112223"
    naqvi = find(world.consul, name="Hussain Naqvi", birth_year=1948).results[0]
    assert (naqvi.trip, naqvi.leader_phone, naqvi.last_checkpoint, naqvi.open_cases) == (
        None, "", None, [],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": "curiosity"}, "reason"),
        ({"name": ""}, "__all__"),
        ({"name": "M."}, None),
        ({"name": "", "cnic": "12345"}, "cnic"),
        ({"name": "", "passport_number": "AB-12345678901"}, "passport_number"),
        ({"name": "", "phone": "12"}, "phone"),
        ({"birth_year": 1850}, "birth_year"),
        ({"sex": "Q"}, "sex"),
    ],
)
def test_a_bad_search_names_the_field_and_logs_nothing(officials, fields, field):
    query = {"name": "Hussain Jafri", "reason": "emergency", **fields}
    if field is None:  # "M." is Muhammad: a name that is all title still searches
        assert pilgrim_lookup(actor=officials.consul, query=LookupQuery(**query)) is not None
        return
    with pytest.raises(ValidationFailed) as failed:
        pilgrim_lookup(actor=officials.consul, query=LookupQuery(**query))
    assert field in failed.value.errors
    assert not PersonalDataAccess.objects.exists()


# --- Access log, permissions, rate limit ------------------------------------------------------


def test_every_look_up_is_in_the_access_log_with_its_reason(world):
    find(world.consul, name="Mohd Husain Jafri", reason="missing_person", note="son called")
    find(world.ministry, cnic="35202-1000001-1", reason="emergency")
    first, second = PersonalDataAccess.objects.order_by("id")
    assert (first.actor, first.reason, first.note) == (world.consul, "missing_person", "son called")
    assert "name=Mohd Husain Jafri" in first.query
    assert "found" in first.what
    assert (second.actor, second.reason) == (world.ministry, "emergency")
    assert "1000001" not in second.query and second.query.endswith("-1")
    assert second.organiser == world.a  # every row shown belonged to organiser A


def test_only_consular_and_ministry_officers_look_up(world):
    for actor in (world.staff_a, world.org_admin, world.pilgrim, world.planner):
        with pytest.raises(NotAllowed):
            find(actor, name="Hussain Jafri")
    assert not PersonalDataAccess.objects.exists()
    assert find(world.ministry, name="Hussain Jafri").results


def test_look_ups_are_rate_limited_per_user(world, monkeypatch):
    monkeypatch.setattr(selectors, "LOOKUPS_PER_MINUTE", 2)
    find(world.consul, name="Zainab")
    find(world.consul, name="Zainab")
    with pytest.raises(RateLimited):
        find(world.consul, name="Zainab")
    assert find(world.ministry, name="Zainab").results  # another user has their own count
    assert PersonalDataAccess.objects.filter(actor=world.consul).count() == 2


# --- Pages and API -------------------------------------------------------------------------


def test_the_page_searches_and_shows_the_results(world, client):
    client.force_login(world.consul)
    url = reverse("lookup:search")
    assert "Reason for the look-up" in client.get(url).content.decode()
    response = client.get(url, {"name": "Mohd Husain Jafri", "birth_year": 1948,
                                "home_city": "Lahore", "reason": "emergency"})  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("SYED MUHAMMAD HUSSAIN JAFRI") < html.index("MUHAMMAD HASSAN JAFRI")
    assert "ARB-LHE-01" in html and "+923214445556" in html
    assert PersonalDataAccess.objects.get().reason == "emergency"


def test_the_number_of_queries_does_not_grow_with_the_results(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.consul)
    url = reverse("lookup:search")
    client.get(url, {"name": "Zainab", "reason": "emergency"})  # rate counters now exist
    counts = []
    for name, year in (("Hussain Jafri", 1948), ("Ali Raza", 1975)):  # four results, one
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"name": name, "birth_year": year, "reason": "emergency"})
        counts.append((len(response.context["found"].results), len(queries)))
    assert counts[0][0] > counts[1][0] == 1
    assert counts[0][1] == counts[1][1] <= 30, counts  # 5: photos, last seen (3), cases


def test_the_page_refuses_a_search_without_a_reason(world, client):
    client.force_login(world.consul)
    response = client.get(reverse("lookup:search"), {"name": "Hussain Jafri"})
    assert response.status_code == 422
    assert "choose a reason from the list" in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_the_page_says_when_the_rate_limit_is_reached(world, client, monkeypatch):
    monkeypatch.setattr(selectors, "LOOKUPS_PER_MINUTE", 1)
    client.force_login(world.consul)
    query = {"name": "Zainab", "reason": "emergency"}
    assert client.get(reverse("lookup:search"), query).status_code == 200
    assert client.get(reverse("lookup:search"), query).status_code == 429


def test_the_page_paginates_and_every_page_is_logged(world, client, monkeypatch):
    monkeypatch.setattr(selectors, "PER_PAGE", 2)
    client.force_login(world.consul)
    query = {"name": "Hussain Jafri", "reason": "emergency"}
    first = client.get(reverse("lookup:search"), query).content.decode()
    assert "page=2" in first and "reason=emergency" in first
    second = client.get(reverse("lookup:search"), {**query, "page": 2})
    assert second.status_code == 200
    assert PersonalDataAccess.objects.latest("id").query.endswith("page=2")


def test_the_api_finds_and_logs(world, client):
    client.force_login(world.ministry)
    response = client.get(
        reverse("api-1.0.0:lookup"),
        {"name": "Hussian Jafery", "birth_year": 1948, "home_city": "Lahore",
         "reason": "overstay"},
    )  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["results"][0]["id"] == str(world.jafri.uid)
    assert body["results"][0]["trip"]["code"] == "ARB-LHE-01"
    assert body["results"][0]["leader_phone"] == "+923214445556"
    assert (body["page"], body["truncated"]) == (1, False)
    assert PersonalDataAccess.objects.get().reason == "overstay"


def test_the_api_answers_422_by_field(world, client):
    client.force_login(world.consul)
    url = reverse("api-1.0.0:lookup")
    missing = client.get(url, {"name": "Hussain Jafri"})
    assert missing.status_code == 422
    assert "reason" in missing.json()["errors"]
    unknown = client.get(url, {"name": "Hussain Jafri", "reason": "curious"})
    assert unknown.status_code == 422 and "reason" in unknown.json()["errors"]
    empty = client.get(url, {"reason": "emergency"})
    assert empty.status_code == 422 and "__all__" in empty.json()["errors"]
    assert not PersonalDataAccess.objects.exists()


def test_the_api_refuses_non_officials_and_rate_limits(world, client, monkeypatch):
    url = reverse("api-1.0.0:lookup")
    query = {"name": "Zainab", "reason": "emergency"}
    assert client.get(url, query).status_code == 401
    client.force_login(world.staff_a)
    assert client.get(url, query).status_code == 403
    monkeypatch.setattr(selectors, "LOOKUPS_PER_MINUTE", 1)
    client.force_login(world.consul)
    assert client.get(url, query).status_code == 200
    assert client.get(url, query).status_code == 429


# --- Keeping the keys current --------------------------------------------------------------


def test_keys_follow_an_edit_and_the_rebuild_catches_missed_profiles(world):
    data = PilgrimInput(
        surname="ZAIDI", given_names="SAKINA", cnic="35202-1000006-2",
        passport_number="AB1000006", passport_expiry=timezone.localdate()
        + datetime.timedelta(days=2000), birth_date=datetime.date(1962, 3, 4), sex="F",
        home_city="Islamabad",
    )  # fmt: skip
    pilgrim_update(actor=world.staff_a, uid=world.sakina.uid, data=data)
    assert rebuild(stale_only=True)["profiles"] == 0  # the register/update hook keyed it at once
    with scopes_disabled():
        key = ProfileNameKey.objects.get(profile=world.sakina)
    assert (key.key, key.city_key) == ("sakina zadi", "islamabad")
    assert rebuild(stale_only=True)["profiles"] == 0
    with scopes_disabled():
        ProfileNameKey.objects.filter(profile=world.zainab).delete()
    assert world.zainab.uid not in uids(find(world.consul, name="Zainab Bibi"))
    assert rebuild(stale_only=True)["written"] == 1
    assert uids(find(world.consul, name="Zainab Bibi"))[0] == world.zainab.uid
    with scopes_disabled():
        assert rebuild()["written"] == ProfileNameKey.objects.count() == 11


def test_the_rebuild_command(world, capsys):
    from django.core.management import call_command

    with scopes_disabled():
        ProfileNameKey.objects.all().delete()
    call_command("name_keys_rebuild", "--stale")
    assert "11 name keys written" in capsys.readouterr().out
    assert name_keys_refresh(profile_ids=[]) == 0
