"""The trip's documents page, the officials' manifest, issuing cards, other languages."""

import io

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from tests import factories
from tests.documents.conftest import build_trip
from zaireen.core.models import AccessReason, PersonalDataAccess
from zaireen.core.roles import Role
from zaireen.trips.models import PilgrimCard

pytestmark = pytest.mark.django_db


def test_the_documents_page_links_every_document(client, org_staff, demo):
    client.force_login(org_staff)
    html = client.get(reverse("documents:trip", kwargs={"uid": demo.trip.uid})).content.decode()
    uid = {"uid": demo.trip.uid}
    for name in ("manifest_pdf", "roster_xlsx", "roster_csv", "vehicles_pdf", "rooming_pdf",
                 "id_cards_pdf", "emergency_cards_pdf", "cards_issue", "card_revoke"):  # fmt: skip
        assert reverse(f"documents:{name}", kwargs=uid) in html, name
    assert reverse("documents:vehicle_pdf", kwargs={**uid, "vehicle_uid": demo.bus.uid}) in html
    assert "BGD 4417" in html and "Qasr al-Dur" in html
    assert f"{len(demo.members)} of {len(demo.members)} members have a valid card." in html
    assert "ZAIREEN_EMBASSY_PHONE" in html, "the missing setting is pointed out"


def test_the_page_names_members_without_a_card(client, org_staff):
    demo = build_trip(org_staff, count=3, cards=False)
    client.force_login(org_staff)
    url = reverse("documents:trip", kwargs={"uid": demo.trip.uid})
    html = client.get(url).content.decode()
    assert "No card is printed for these members" in html
    assert "SAJJAD HUSSAIN RIZVI" in html and "0 of 3 members" in html
    response = client.post(reverse("documents:cards_issue", kwargs={"uid": demo.trip.uid}))
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "No card is printed for these members" not in html and "3 of 3 members" in html
    with scopes_disabled():
        assert PilgrimCard.objects.filter(member__trip=demo.trip).count() == 3
    again = client.post(reverse("documents:cards_issue", kwargs={"uid": demo.trip.uid}),
                        follow=True).content.decode()  # fmt: skip
    assert "Every member already has a valid card." in again


def test_the_documents_page_costs_the_same_queries_for_any_trip_size(
    client, org_staff, django_assert_max_num_queries
):
    small = build_trip(org_staff, count=3)
    big = build_trip(org_staff, count=14, first=100)
    client.force_login(org_staff)
    client.get(reverse("documents:trip", kwargs={"uid": small.trip.uid}))  # warm the session
    with django_assert_max_num_queries(12) as small_queries:
        client.get(reverse("documents:trip", kwargs={"uid": small.trip.uid}))
    with django_assert_max_num_queries(12) as big_queries:
        client.get(reverse("documents:trip", kwargs={"uid": big.trip.uid}))
    assert len(small_queries) == len(big_queries)


def test_another_organisers_staff_get_a_404_for_every_document(client, demo):
    other = factories.user("b-staff", Role.ORGANISER_STAFF, factories.organiser("ZGO-DOC-7"))
    client.force_login(other)
    uid = {"uid": demo.trip.uid}
    for name in ("trip", "manifest_pdf", "roster_xlsx", "roster_csv", "vehicles_pdf",
                 "rooming_pdf", "id_cards_pdf", "emergency_cards_pdf"):  # fmt: skip
        assert client.get(reverse(f"documents:{name}", kwargs=uid)).status_code == 404, name
    vehicle = reverse("documents:vehicle_pdf", kwargs={**uid, "vehicle_uid": demo.bus.uid})
    assert client.get(vehicle).status_code == 404
    assert client.post(reverse("documents:cards_issue", kwargs=uid)).status_code == 404


@pytest.mark.parametrize("role", [Role.CONSULAR_OFFICER, Role.MINISTRY_OFFICER])
def test_an_official_reads_the_manifest_with_a_reason_that_is_logged(client, demo, role):
    official = factories.user("official", role)
    client.force_login(official)
    url = reverse("documents:manifest_pdf", kwargs={"uid": demo.trip.uid})
    asked = client.get(url)
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    assert client.get(url, {"reason": "curiosity"}).status_code == 422
    assert not PersonalDataAccess.objects.exists()
    response = client.get(url, {"reason": AccessReason.MISSING_PERSON})
    assert response["Content-Type"] == "application/pdf"
    assert (
        demo.profiles[1].passport_number
        in PdfReader(io.BytesIO(response.content)).pages[1].extract_text()
    )
    entry = PersonalDataAccess.objects.get()
    assert (entry.actor, entry.reason) == (official, AccessReason.MISSING_PERSON)
    assert demo.trip.code in entry.what and entry.organiser == demo.trip.organiser
    # Only the manifest: the other documents stay the organiser's.
    for name in ("trip", "id_cards_pdf", "roster_xlsx"):
        assert (
            client.get(reverse(f"documents:{name}", kwargs={"uid": demo.trip.uid})).status_code
            == 403
        )


def test_a_leader_prints_nothing_here(client, demo):
    leader = factories.user("leader", Role.GROUP_LEADER, demo.trip.organiser)
    leader.person_id = demo.profiles[0].person_id
    leader.save()
    client.force_login(leader)
    url = reverse("documents:manifest_pdf", kwargs={"uid": demo.trip.uid})
    assert client.get(url).status_code == 403


def test_documents_print_right_to_left_in_urdu(client, org_staff, demo):
    client.force_login(org_staff)
    client.cookies["django_language"] = "ur"
    response = client.get(reverse("documents:manifest_pdf", kwargs={"uid": demo.trip.uid}))
    assert response.status_code == 200
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert demo.trip.organiser.licence_number in text
    page = client.get(reverse("documents:trip", kwargs={"uid": demo.trip.uid})).content.decode()
    assert 'dir="rtl"' in page
