"""SOS: raised once per press, seen at once on the leader page and the organiser's alerts page,
acknowledged and closed; the button on the pilgrim's page; the no-data text message."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st

from zaireen.core.errors import NotFound, ValidationFailed
from zaireen.incidents import selectors, services, sms
from zaireen.incidents.models import SosAlert
from zaireen.notifications.models import Message
from zaireen.planning.poles import pole_position
from zaireen.trips.models import Member, Trip

pytestmark = pytest.mark.django_db


def sos(world, **fields):
    body = {
        "client_uid": str(uuid.uuid4()),
        "member": str(world.pilgrim_member.uid),
        "reason": "medical",
        "note": "Chest pain",
        **fields,
    }
    return body


def raise_api(client, body):
    return client.post(
        reverse("api-1.0.0:incidents_sos_raise"), body, content_type="application/json"
    )


def test_a_press_is_stored_once_however_often_the_phone_sends_it(world, client):
    client.force_login(world.pilgrim)
    at = pole_position(578)
    body = sos(
        world, lat=at.lat, lon=at.lon, accuracy_m=12.4, device_time=timezone.now().isoformat()
    )
    first = raise_api(client, body)
    assert first.status_code == 201, first.content
    assert first.json()["pole"] == 578
    again = raise_api(client, body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    with scopes_disabled():
        assert SosAlert.objects.count() == 1
        alert = SosAlert.objects.get()
        told = Message.objects.filter(topic="sos_raised")
        addresses = {m.address for m in told}
    assert alert.accuracy_m == 12 and alert.member == world.pilgrim_member
    assert addresses == {"+923001110001", "staff@a.example", "+923009990001", "+9647700000001"}
    assert told.count() == 4, "a re-sent press notifies nobody again"
    text = told.get(address="+923001110001").body
    assert "pole 578" in text and "Chest pain" in text and world.a.trip.code in text


def test_an_sos_off_the_walk_has_no_pole_and_one_without_position_is_fine(world):
    far = services.sos_raise(
        actor=world.pilgrim,
        data=services.SosInput(
            client_uid=uuid.uuid4(),
            member_uid=world.pilgrim_member.uid,
            reason="lost",
            lat=33.3152,
            lon=44.3661,
        ),
    )[0]  # Baghdad
    assert far.pole is None and far.has_position
    blind = services.sos_raise(
        actor=world.pilgrim,
        data=services.SosInput(
            client_uid=uuid.uuid4(), member_uid=world.pilgrim_member.uid, reason="danger"
        ),
    )[0]
    assert blind.pole is None and not blind.has_position


def test_bad_input_answers_422_by_field(world, client):
    client.force_login(world.pilgrim)
    response = raise_api(
        client,
        sos(
            world,
            reason="bored",
            lat=32.5,
            device_time=(timezone.now() + datetime.timedelta(days=1)).isoformat(),
        ),
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"reason", "lat", "device_time"}
    with scopes_disabled():
        assert SosAlert.objects.count() == 0


def test_only_the_member_themself_presses_for_their_membership(world, client):
    client.force_login(world.pilgrim)
    other_member = world.a.members[5]
    assert raise_api(client, sos(world, member=str(other_member.uid))).status_code == 404
    for user in (world.staff, world.consul, world.other_leader):
        client.force_login(user)
        assert raise_api(client, sos(world)).status_code == 404
    # A UUID already used by another member's press is refused, not merged.
    client.force_login(world.leader)
    used = sos(world)
    client.force_login(world.pilgrim)
    assert raise_api(client, used).status_code == 201
    client.force_login(world.leader)
    leader_body = {**used, "member": str(world.a.members[0].uid)}
    assert raise_api(client, leader_body).status_code == 422


def test_the_sos_reaches_the_leader_page_and_the_alerts_page(world, client):
    _alert, _created = services.sos_raise(
        actor=world.pilgrim,
        data=services.SosInput(
            client_uid=uuid.uuid4(),
            member_uid=world.pilgrim_member.uid,
            reason="accident",
            note="Hit by a car",
        ),
    )
    name = world.pilgrim_member.profile.full_name
    client.force_login(world.leader)
    page = client.get(reverse("safety:leader", args=[world.a.trip.uid])).content.decode()
    partial = reverse("incidents:leader_alerts", args=[world.a.trip.uid])
    assert f'hx-get="{partial}"' in page and "every 15s" in page
    polled = client.get(partial, HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and polled["Cache-Control"] == "no-store"
    assert name in polled.content.decode() and "Hit by a car" in polled.content.decode()
    client.force_login(world.other_leader)
    assert client.get(partial).status_code == 404
    client.force_login(world.staff)
    full = client.get(reverse("incidents:sos_list")).content.decode()
    assert name in full and 'hx-trigger="every 15s"' in full
    listed = client.get(reverse("incidents:sos_list"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in listed and name in listed
    client.force_login(world.other_staff)
    assert name not in client.get(reverse("incidents:sos_list")).content.decode()
    client.force_login(world.ministry)
    official = client.get(reverse("incidents:sos_list")).content.decode()
    assert name in official and "Acknowledge" not in official


def test_the_leader_acknowledges_and_the_organiser_closes(world, client):
    alert, _created = services.sos_raise(
        actor=world.pilgrim,
        data=services.SosInput(
            client_uid=uuid.uuid4(), member_uid=world.pilgrim_member.uid, reason="lost"
        ),
    )
    client.force_login(world.leader)
    response = client.post(
        reverse("incidents:sos_acknowledge", args=[alert.uid]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and 'data-status="acknowledged"' in response.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.leader
    with pytest.raises(NotFound):
        services.sos_close(actor=world.other_staff, uid=alert.uid)
    client.force_login(world.staff)
    response = client.post(
        reverse("incidents:sos_close", args=[alert.uid]),
        {"note": "Found at Bab al-Qibla", "next": "/sos/"},
    )
    assert response.status_code == 302 and response["Location"] == "/sos/"
    alert.refresh_from_db()
    assert alert.status == "closed" and alert.closing_note == "Found at Bab al-Qibla"
    assert alert.acknowledged_by == world.leader, "the first to acknowledge stays on record"
    client.force_login(world.leader)
    polled = client.get(reverse("incidents:leader_alerts", args=[world.a.trip.uid]))
    assert world.pilgrim_member.profile.full_name not in polled.content.decode()
    client.force_login(world.staff)
    closed = client.get(reverse("incidents:sos_list"), {"status": "closed"}).content.decode()
    assert "Found at Bab al-Qibla" in closed


def test_the_button_is_on_the_pilgrims_own_page(world, client):
    client.force_login(world.pilgrim)
    html = client.get(reverse("trips:mine")).content.decode()
    card = world.a.cards[world.pilgrim_member.pk]
    assert "data-sos-button" in html and f'data-card="{card}"' in html
    assert 'data-hotline="+924235761234"' in html
    assert reverse("incidents:service_worker") in html and "incidents/sos.js" in html
    assert 'data-poles="/poles/poles.json"' in html
    preview = sms.sos_sms_body(
        trip_code=world.a.trip.code, card_code=card, name=world.pilgrim_member.profile.full_name
    )
    assert sms.sos_sms_link("+924235761234", preview).replace("&", "&amp;") in html


@pytest.mark.parametrize(
    ("status", "days", "allowed"),  # days: until departure
    [
        ("draft", 0, False),  # still being planned, even on its departure date
        ("submitted", 0, False),
        ("approved", 5, False),  # approved, not yet on the road
        ("approved", 1, True),  # from the day before departure: marked departed late
        ("approved", 0, True),
        ("departed", -3, True),
        ("returned", -10, True),  # the trip is back; an overstayer is not
        ("closed", -10, False),
        ("cancelled", 0, False),
    ],
)
def test_the_button_only_while_the_trip_is_under_way(world, client, status, days, allowed):
    departure = timezone.localdate() + datetime.timedelta(days=days)
    with scopes_disabled():
        Trip.objects.filter(pk=world.a.trip.pk).update(status=status, departure_date=departure)
    client.force_login(world.pilgrim)
    page = client.get(reverse("trips:mine")).content.decode()
    assert ("data-sos-button" in page) is allowed
    press = services.SosInput(
        client_uid=uuid.uuid4(), member_uid=world.pilgrim_member.uid, reason="lost"
    )
    if allowed:
        assert services.sos_raise(actor=world.pilgrim, data=press)[1] is True
    else:
        with pytest.raises(ValidationFailed) as refused:
            services.sos_raise(actor=world.pilgrim, data=press)
        assert "under way" in str(refused.value.errors["member"])


def test_no_button_once_the_member_is_home(world, client):
    with scopes_disabled():
        Member.objects.filter(pk=world.pilgrim_member.pk).update(returned_at=timezone.now())
    client.force_login(world.pilgrim)
    assert "data-sos-button" not in client.get(reverse("trips:mine")).content.decode()


def test_the_form_without_javascript_sends_once(world, client):
    client.force_login(world.pilgrim)
    body = {
        "client_uid": str(uuid.uuid4()),
        "member": str(world.pilgrim_member.uid),
        "reason": "danger",
        "note": "",
    }
    for _ in range(2):
        response = client.post(reverse("incidents:sos_raise"), body)
        assert response.status_code == 302 and response["Location"] == reverse("trips:mine")
    with scopes_disabled():
        assert SosAlert.objects.filter(reason="danger").count() == 1


def test_the_service_worker_covers_the_pilgrims_page(client):
    response = client.get(reverse("incidents:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == reverse("trips:mine")
    script = response.content.decode()
    assert "/poles/poles.json" in script and "incidents/sos.js" in script


# --- The text message (sms.py mirrors static/incidents/sos.js) ------------------------------


def test_the_sms_text_and_link():
    body = sms.sos_sms_body(
        trip_code="ZKT-2025-07",
        card_code="7kq2m9xa",
        name="ALI RAZA",
        reason="medical",
        pole=578,
        lat=32.4,
        lon=44.1,
        time="14:05",
    )
    assert body == "SOS ZKT-2025-07 card 7KQ2M9XA pole 578 gps 32.40000,44.10000 medical 14:05"
    assert sms.sos_sms_body(trip_code="ZKT-2025-07", name="ALI RAZA") == "SOS ZKT-2025-07 ALI RAZA"
    assert sms.sos_sms_link("+92 42 3576-1234", "SOS A b") == "sms:+924235761234?body=SOS%20A%20b"
    assert sms.sos_sms_link("042 35761234", "x,y:z") == "sms:04235761234?body=x%2Cy%3Az"


@given(
    trip=st.text(max_size=20),
    card=st.text(max_size=10),
    name=st.text(max_size=30),
    reason=st.sampled_from(["medical", "lost", "accident", "danger", "other", ""]),
    pole=st.one_of(st.none(), st.integers(1, 1452)),
    position=st.one_of(st.none(), st.tuples(st.floats(-90, 90), st.floats(-180, 180))),
)
def test_the_sms_text_is_plain_ascii_in_a_fixed_order(trip, card, name, reason, pole, position):
    lat, lon = position if position else (None, None)
    body = sms.sos_sms_body(
        trip_code=trip,
        card_code=card,
        name=name,
        reason=reason,
        pole=pole,
        lat=lat,
        lon=lon,
        time="09:30",
    )
    assert body.isascii() and body.startswith("SOS ") and body.endswith(" 09:30")
    assert "  " not in body and len(body) < 160
    words = body.split(" ")
    if pole:
        assert words[words.index("pole") + 1] == str(pole)
    if position:
        assert words[words.index("gps") + 1] == f"{lat:.5f},{lon:.5f}"


@pytest.mark.parametrize("pole", [1, 300, 578, 1000, 1452])
def test_the_nearest_pole_from_the_cached_list_is_the_gazetteers(pole):
    rows = selectors.pole_rows()
    at = pole_position(pole)
    assert sms.nearest_pole(rows, at.lat, at.lon) == pole
    assert sms.nearest_pole(rows, at.lat + 0.0001, at.lon) in (pole - 1, pole, pole + 1)
    assert sms.nearest_pole(rows, at.lat + 0.2, at.lon + 0.2) is None  # 20 km off the road
