"""Incidents: reporting (service, page, API with 422), validation, scope, list, closing,
audit and notifications."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st

from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.models import AuditEntry
from zaireen.incidents import selectors, services
from zaireen.incidents.models import Incident, IncidentNote
from zaireen.notifications.models import Message

pytestmark = pytest.mark.django_db


def accident(world, actor=None, **overrides):
    a = world.a
    fields = {
        "kind": "road_accident",
        "severity": "critical",
        "occurred_at": timezone.now() - datetime.timedelta(minutes=20),
        "description": "The bus left the road near pole 578.",
        "city": "karbala",
        "place": "Ya Hussain road",
        "pole": 578,
        "members": tuple(m.uid for m in world.a.seated[a.buses[0].pk]),
        "vehicles": (a.buses[0].uid,),
    }
    fields.update(overrides)
    return services.incident_open(
        actor=actor or world.staff, trip_uid=a.trip.uid, data=services.IncidentInput(**fields)
    )


def errors_of(call) -> dict:
    with pytest.raises(ValidationFailed) as caught:
        call()
    return caught.value.errors


def test_an_accident_is_recorded_audited_and_told_to_leaders_staff_and_consulate(world):
    incident = accident(world)
    with scopes_disabled():
        assert set(incident.members.all()) == set(world.a.seated[world.a.buses[0].pk])
        assert list(incident.vehicles.all()) == [world.a.buses[0]]
    assert incident.pole == 578 and incident.city.slug == "karbala"
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="zaireen.incident.opened")
    assert entry.object_id == str(incident.uid) and entry.organiser_id == world.organiser.pk
    with scopes_disabled():
        sent = Message.objects.filter(topic="incident_opened")
        addresses = {m.address for m in sent}
    # The leader (bound login with a phone), staff (email), admin (phone), the consul.
    assert addresses == {"+923001110001", "staff@a.example", "+923009990001", "+9647700000001"}
    assert all(m.about_id == str(incident.uid) for m in sent)
    body = sent.get(address="staff@a.example").body
    assert world.a.trip.code in body and "pole 578" in body and "Karbala" in body
    assert "+923001110101" not in addresses, "organiser B's leader hears nothing"


def test_bad_input_names_each_field_and_saves_nothing(world):
    b_bus = world.b.buses[0]
    errors = errors_of(
        lambda: accident(
            world,
            kind="flood",
            severity="",
            pole=2000,
            city="atlantis",
            description="  ",
            occurred_at=timezone.now() + datetime.timedelta(hours=2),
        )
    )
    assert set(errors) == {"kind", "severity", "pole", "city", "description", "occurred_at"}
    assert "1 to 1452" in errors["pole"][0]
    assert "vehicles" in errors_of(lambda: accident(world, vehicles=(b_bus.uid,)))
    assert "members" in errors_of(lambda: accident(world, members=(world.b.members[0].uid,)))
    assert "vehicles" in errors_of(lambda: accident(world, vehicles=()))  # an accident's bus
    assert "place" in errors_of(lambda: accident(world, city="", place="", pole=None))
    with scopes_disabled():
        assert Incident.objects.count() == 0


@given(st.integers(min_value=-10_000, max_value=10_000))
def test_a_pole_is_a_number_of_the_gazetteer(number):
    if 1 <= number <= 1452:
        assert services.check_pole(number) == number
        assert services.check_pole(f" {number} ") == number
    else:
        with pytest.raises(ValidationFailed) as caught:
            services.check_pole(number)
        assert set(caught.value.errors) == {"pole"}


@given(st.text(max_size=8))
def test_a_pole_typed_as_text_is_a_number_or_refused(text):
    try:
        number = services.check_pole(text)
    except ValidationFailed as exc:
        assert set(exc.errors) == {"pole"}
    else:
        assert number is None or 1 <= number <= 1452
        assert number is None or int(text) == number


def test_a_stranding_without_names_concerns_everyone_not_yet_home(world):
    incident = accident(
        world,
        kind="stranding",
        members=(),
        vehicles=(),
        severity="serious",
        city="najaf",
        place="Najaf airport",
        pole=None,
    )
    with scopes_disabled():
        assert incident.members.count() == len(world.a.members)


def test_only_its_staff_and_leaders_report_on_a_trip(world):
    incident = accident(world, actor=world.leader, kind="heat_illness", vehicles=(), members=())
    assert incident.reported_by == world.leader
    for outsider in (world.other_staff, world.other_leader, world.consul, world.pilgrim):
        with pytest.raises(NotFound):
            accident(world, actor=outsider)


def test_the_list_is_scoped_filtered_searched_and_paginated(world, client):
    accident(world)
    accident(
        world,
        kind="theft",
        severity="minor",
        vehicles=(),
        members=(),
        description="A phone stolen at the hotel",
        city="najaf",
        place="",
        pole=None,
    )
    services.incident_open(
        actor=world.other_staff,
        trip_uid=world.b.trip.uid,
        data=services.IncidentInput(
            kind="medical",
            severity="serious",
            occurred_at=timezone.now(),
            description="Fainted",
            city="karbala",
        ),
    )
    assert selectors.incident_list_for(actor=world.staff).count() == 2
    assert selectors.incident_list_for(actor=world.ministry).count() == 3
    assert selectors.incident_list_for(actor=world.leader).count() == 2
    assert selectors.incident_list_for(actor=world.other_leader).count() == 1
    assert selectors.incident_list_for(actor=world.staff, kind="theft").count() == 1
    assert selectors.incident_list_for(actor=world.staff, q="stolen").count() == 1
    assert selectors.incident_list_for(actor=world.staff, severity="critical").count() == 1
    with pytest.raises(NotAllowed):
        selectors.incident_list_for(actor=world.pilgrim)
    client.force_login(world.staff)
    html = client.get(reverse("incidents:list"), {"kind": "theft"}).content.decode()
    assert "Theft" in html and "Road accident" not in html.split("<tbody>")[1]
    html = client.get(reverse("incidents:list"), {"kind": "nonsense", "page": "99"})
    assert html.status_code == 200


def test_the_list_page_runs_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    for _ in range(5):
        accident(world)
    client.force_login(world.staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("incidents:list"))
    assert response.content.decode().count("/incidents/") >= 5


def test_another_organisers_incident_is_not_found(world, client):
    incident = accident(world)
    client.force_login(world.other_staff)
    assert client.get(reverse("incidents:detail", args=[incident.uid])).status_code == 404
    client.force_login(world.leader)
    assert client.get(reverse("incidents:detail", args=[incident.uid])).status_code == 200


def test_the_form_reports_an_incident_and_shows_errors_by_the_field(world, client):
    client.force_login(world.staff)
    choose = client.get(reverse("incidents:create"))
    assert world.a.trip.code in choose.content.decode()
    assert world.b.trip.code not in choose.content.decode()
    url = reverse("incidents:create") + f"?trip={world.a.trip.uid}"
    page = client.get(url).content.decode()
    assert "BGD 11" in page and world.a.members[0].profile.full_name in page
    data = {
        "kind": "medical",
        "severity": "serious",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "city": "",
        "place": "",
        "pole": "9999",
        "description": "Chest pain",
        "members": [str(world.a.members[2].uid)],
    }
    bad = client.post(url, data)
    assert bad.status_code == 422
    html = bad.content.decode()
    field = html.split('name="pole"')[1]
    assert "numbered 1 to 1452" in field.split("</div>")[1], "the reason sits by the field"
    good = client.post(url, {**data, "pole": "1200"})
    assert good.status_code == 302
    with scopes_disabled():
        incident = Incident.objects.get()
    assert good["Location"] == reverse("incidents:detail", args=[incident.uid])
    page = client.get(good["Location"]).content.decode()
    assert "Chest pain" in page and "pole 1200" in page
    client.force_login(world.other_staff)
    assert client.get(url).status_code == 404


def test_notes_then_closing_with_a_note(world, client):
    incident = accident(world)
    services.incident_note_add(
        actor=world.leader, uid=incident.uid, text="Two to Al-Hussain hospital"
    )
    assert "note" in errors_of(
        lambda: services.incident_close(actor=world.staff, uid=incident.uid, note=" ")
    )
    with pytest.raises(NotAllowed):
        services.incident_close(actor=world.leader, uid=incident.uid, note="Done")
    client.force_login(world.staff)
    client.post(reverse("incidents:close", args=[incident.uid]), {"note": "All home safely"})
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.closing_note == "All home safely"
    assert incident.closed_by == world.staff
    assert "text" in errors_of(
        lambda: services.incident_note_add(actor=world.staff, uid=incident.uid, text="Late note")
    )
    with scopes_disabled():
        assert IncidentNote.objects.filter(incident=incident).count() == 1
    page = client.get(reverse("incidents:detail", args=[incident.uid])).content.decode()
    assert "Two to Al-Hussain hospital" in page and "All home safely" in page
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="zaireen.incident.closed").count() == 1


def test_the_api_reports_with_422_field_errors_and_201(world, client):
    client.force_login(world.staff)
    url = reverse("api-1.0.0:incidents_create")
    body = {
        "trip": str(world.a.trip.uid),
        "kind": "road_accident",
        "severity": "critical",
        "occurred_at": timezone.now().isoformat(),
        "description": "Crash",
        "pole": 0,
        "vehicles": [],
    }
    bad = client.post(url, body, content_type="application/json")
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"pole", "vehicles"}
    body.update(pole=578, vehicles=[str(world.a.buses[1].uid)])
    good = client.post(url, body, content_type="application/json")
    assert good.status_code == 201, good.content
    uid = good.json()["id"]
    assert good.json()["pole"] == 578
    listed = client.get(reverse("api-1.0.0:incidents_list"), {"kind": "road_accident"}).json()
    assert [i["id"] for i in listed["items"]] == [uid]
    closed = client.post(
        reverse("api-1.0.0:incidents_close", args=[uid]),
        {"note": "Over"},
        content_type="application/json",
    )
    assert closed.json()["status"] == "closed"
    client.force_login(world.other_staff)
    assert client.get(reverse("api-1.0.0:incidents_get", args=[uid])).status_code == 404
