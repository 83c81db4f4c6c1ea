"""The accident manifest: the right people and only them, as a page and a PDF, in a constant
number of queries, and an official's read in the access log."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from pypdf import PdfReader

from tests.incidents.conftest import build
from tests.incidents.test_incidents import accident
from zaireen.core.models import PersonalDataAccess
from zaireen.incidents import selectors, services

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_manifest_lists_everyone_on_that_bus_and_leg_and_nobody_else(world):
    bus, other_bus = world.a.buses
    incident = accident(world)
    manifest = selectors.manifest_for_incident(actor=world.staff, uid=incident.uid)
    [vm] = manifest.vehicles
    assert vm.vehicle == bus
    on_board = world.a.seated[bus.pk]
    assert len(on_board) == 5 and len(world.a.seated[other_bus.pk]) == 3
    assert [r.member for r in vm.rows] == on_board
    assert [r.seat for r in vm.rows] == [1, 2, 3, 4, 5]
    # Everyone of the trip is also seated on the way back (another leg, another vehicle), and
    # the manifest of that vehicle has all eight: a seat belongs to its leg.
    back = selectors.manifest_for_vehicle(actor=world.staff, uid=world.a.back_bus.uid)
    assert {r.member.pk for r in back.vehicles[0].rows} == {m.pk for m in world.a.members}


def test_the_page_shows_seat_passport_blood_group_needs_kin_and_phone(world, client):
    bus, other_bus = world.a.buses
    incident = accident(world)
    client.force_login(world.staff)
    response = client.get(reverse("incidents:manifest", args=[incident.uid]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    for member in world.a.seated[bus.pk]:
        p = member.profile
        assert f'data-member="{member.uid}"' in html
        assert p.full_name in html and p.passport_number in html
        assert p.next_of_kin_name in html
    for member in world.a.seated[other_bus.pk]:
        assert member.profile.passport_number not in html
        assert f'data-member="{member.uid}"' not in html
    assert "O-" in html and "wheelchair" in html and "Insulin twice a day" in html
    assert "+92 321 0000002" in html  # a next of kin's phone, written to be read aloud
    assert "+92 300 0000002" in html  # the pilgrim's own phone


def test_the_pdf_reads_back_with_the_same_people(world, client):
    bus, other_bus = world.a.buses
    incident = accident(world)
    client.force_login(world.staff)
    text = pdf_text(client.get(reverse("incidents:manifest_pdf", args=[incident.uid])))
    assert "Accident manifest" in text and bus.plate in text and "Karim Abbas" in text
    for member in world.a.seated[bus.pk]:
        assert member.profile.full_name in text
        assert member.profile.passport_number in text
    for member in world.a.seated[other_bus.pk]:
        assert member.profile.full_name not in text
    assert "O-" in text and "A+" in text
    assert "+92 321 0000001" in text
    by_vehicle = pdf_text(
        client.get(reverse("incidents:vehicle_manifest_pdf", args=[other_bus.uid]))
    )
    assert {m.profile.passport_number for m in world.a.seated[other_bus.pk]} <= set(
        by_vehicle.split()
    )
    assert world.a.seated[bus.pk][0].profile.passport_number not in by_vehicle


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_manifest_is_a_constant_number_of_queries(world, client, django_assert_max_num_queries):
    """A bus of 5 and one of 40 take the same number of queries, page and selector alike."""
    big = build(world.staff, first=301, count=40, seats=(45,), back_seats=45)
    client.force_login(world.staff)
    small_url = reverse("incidents:vehicle_manifest", args=[world.a.buses[0].uid])
    big_url = reverse("incidents:vehicle_manifest", args=[big.buses[0].uid])
    assert _queries(client, small_url) == _queries(client, big_url)
    with django_assert_max_num_queries(4):
        manifest = selectors.manifest_for_vehicle(actor=world.staff, uid=big.buses[0].uid)
        assert manifest.people == 40
        [p.member.profile.passport_number for p in manifest.vehicles[0].rows]
    small, large = (
        accident(world),
        services.incident_open(
            actor=world.staff,
            trip_uid=big.trip.uid,
            data=services.IncidentInput(
                kind="road_accident",
                severity="critical",
                occurred_at=timezone.now(),
                description="Crash",
                city="karbala",
                vehicles=(big.buses[0].uid,),
            ),
        ),
    )
    assert _queries(client, reverse("incidents:manifest", args=[small.uid])) == _queries(
        client, reverse("incidents:manifest", args=[large.uid])
    )
    with django_assert_max_num_queries(5):
        manifest = selectors.manifest_for_incident(actor=world.staff, uid=large.uid)
    assert manifest.people == 40


def test_an_official_says_why_and_the_read_is_logged(world, client):
    incident = accident(world)
    url = reverse("incidents:manifest", args=[incident.uid])
    client.force_login(world.consul)
    ask = client.get(url)
    assert ask.status_code == 200 and "Why do you need the manifest?" in ask.content.decode()
    assert PersonalDataAccess.objects.count() == 0
    assert client.get(url, {"reason": "curious"}).status_code == 422
    read = client.get(url, {"reason": "emergency"})
    assert read.status_code == 200
    assert world.a.seated[world.a.buses[0].pk][0].profile.passport_number in read.content.decode()
    entry = PersonalDataAccess.objects.get()
    assert entry.actor == world.consul and entry.reason == "emergency"
    assert entry.organiser == world.organiser and world.a.trip.code in entry.what
    pdf = client.get(
        reverse("incidents:manifest_pdf", args=[incident.uid]), {"reason": "emergency"}
    )
    assert pdf.status_code == 200
    assert PersonalDataAccess.objects.count() == 2
    client.force_login(world.staff)
    client.get(url)
    assert PersonalDataAccess.objects.count() == 2, "the organiser's own read is not a lookup"


def test_nobody_else_reads_a_manifest(world, client):
    incident = accident(world)
    for user, status in ((world.other_staff, 404), (world.leader, 403), (world.pilgrim, 403)):
        client.force_login(user)
        assert client.get(reverse("incidents:manifest", args=[incident.uid])).status_code == status
        url = reverse("incidents:vehicle_manifest_pdf", args=[world.a.buses[0].uid])
        assert client.get(url).status_code == status
    with scopes_disabled():
        assert PersonalDataAccess.objects.count() == 0
