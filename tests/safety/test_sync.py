"""The event log through the API: exactly once, revocable phones, cards, returns, closes."""

import json
import uuid

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.safety.conftest import depart
from zaireen.core.models import AuditEntry
from zaireen.safety import selectors, services
from zaireen.safety.models import CaseRequest, Headcount, HeadcountEvent
from zaireen.trips import logistics
from zaireen.trips.models import Member, PilgrimCard, ReturnMethod

pytestmark = pytest.mark.django_db


def events_count():
    with scopes_disabled():
        return HeadcountEvent.objects.count()


def test_a_resent_batch_is_stored_once_and_changes_nothing(world, phone_of):
    phone = phone_of(world.leaders[0], world.trip)
    headcount, opened = phone.open()
    marks = [phone.mark(headcount, m) for m in world.members[2:4]]
    batch = [opened, *marks]
    first = phone.sync(*batch)
    assert [r["status"] for r in first["results"]] == ["stored"] * 3
    state = phone.state(headcount)
    again = phone.sync(*batch)
    assert [r["status"] for r in again["results"]] == ["duplicate"] * 3
    assert events_count() == 3
    assert phone.state(headcount) == state
    assert sorted(state["present"]) == sorted(str(m.uid) for m in world.members[2:4])
    # The same event twice in one batch is stored once too.
    mark = phone.mark(headcount, world.members[4])
    assert [r["status"] for r in phone.sync(mark, mark)["results"]] == ["stored", "duplicate"]
    assert events_count() == 4


def test_a_uuid_or_a_sequence_number_reused_for_another_event_is_refused(world, phone_of):
    phone = phone_of(world.leaders[0], world.trip)
    headcount, opened = phone.open()
    mark = phone.mark(headcount, world.members[2])
    phone.sync(opened, mark)
    other = {**mark, "member": str(world.members[3].uid)}
    renumbered = {**phone.mark(headcount, world.members[3]), "seq": mark["seq"]}
    results = phone.sync(other, renumbered)["results"]
    assert [r["status"] for r in results] == ["conflict", "conflict"]
    assert events_count() == 2
    assert phone.state(headcount)["present"] == [str(world.members[2].uid)]


def test_events_for_another_phone_or_another_trips_headcount_are_refused(world, phone_of):
    phone = phone_of(world.leaders[0], world.trip)
    headcount, opened = phone.open()
    forged = {**phone.mark(headcount, world.members[2]), "device": str(uuid.uuid4())}
    bad = phone.event(headcount, "open", kind="nowhere")
    results = phone.sync(opened, forged, bad)["results"]
    assert [r["status"] for r in results] == ["stored", "refused", "refused"]
    assert all(r["reason"] for r in results[1:])


def test_a_revoked_phone_is_refused_and_its_queue_is_not_stored(world, phone_of):
    phone = phone_of(world.leaders[0], world.trip)
    headcount, opened = phone.open()
    phone.sync(opened)
    services.device_revoke(actor=world.staff, uid=phone.device.uid)
    queued = phone.mark(headcount, world.members[2])
    assert phone.send(queued).status_code == 401
    assert events_count() == 1
    roster = phone.client.get(
        reverse("api-1.0.0:safety_roster", args=[world.trip.uid]),
        HTTP_AUTHORIZATION=f"Bearer {phone.token}",
    )
    assert roster.status_code == 401
    # The same request from a phone that is not revoked is stored.
    fresh = phone_of(world.leaders[0], world.trip, name="New phone")
    headcount_state = fresh.sync({**queued, "device": str(fresh.device.uid)})
    assert headcount_state["results"][0]["status"] == "stored"


def test_a_phone_reaches_only_its_own_trip_and_a_session_cannot_append(world, phone_of, client):
    from tests.test_trips import person, ready_trip

    other, _ = ready_trip(world.staff, [person(20), person(21)], title="Other group")
    phone = phone_of(world.leaders[0], world.trip)
    _headcount, opened = phone.open()
    response = client.post(
        f"/api/v1/safety/trips/{other.uid}/events",
        {"events": [opened]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {phone.token}",
    )
    assert response.status_code == 404
    client.force_login(world.leaders[0])
    response = client.post(phone.url(), {"events": [opened]}, content_type="application/json")
    assert response.status_code == 401
    assert events_count() == 0


def test_a_phone_whose_leader_no_longer_leads_the_trip_is_not_found(world, phone_of):
    from zaireen.trips.services import member_update

    phone = phone_of(world.leaders[1], world.trip)
    member_update(
        actor=world.staff, uid=world.members[1].uid, role="pilgrim", visa_status="applied"
    )
    _headcount, opened = phone.open()
    assert phone.send(opened).status_code == 403


def test_the_roster_holds_names_seats_and_cards_never_identifiers(world, phone_of):
    logistics.cards_issue(actor=world.staff, trip_uid=world.trip.uid)
    phone = phone_of(world.leaders[0], world.trip)
    response = phone.client.get(
        reverse("api-1.0.0:safety_roster", args=[world.trip.uid]),
        HTTP_AUTHORIZATION=f"Bearer {phone.token}",
    )
    assert response.status_code == 200
    roster = response.json()
    assert {m["name"] for m in roster["members"]} == {m.profile.full_name for m in world.members}
    assert len(roster["cards"]) == len(world.members)
    text = response.content.decode()
    for p in world.people:
        for value in (p.cnic, p.cnic.replace("-", ""), p.passport_number, p.next_of_kin_phone):
            assert value not in text
    for word in ("cnic", "passport", "kin", "phone", "birth"):
        assert word not in text.lower()


def card_of(member):
    with scopes_disabled():
        return PilgrimCard.objects.get(member=member, revoked_at=None)


def test_a_revoked_card_scans_as_revoked_and_never_marks_present(world, phone_of):
    from zaireen.documents.cards import card_url

    logistics.cards_issue(actor=world.staff, trip_uid=world.trip.uid)
    lost = card_of(world.members[2])
    logistics.card_revoke(actor=world.staff, code=lost.code, reason="Lost in Karbala")
    valid = card_of(world.members[3])
    phone = phone_of(world.leaders[0], world.trip)
    headcount, opened = phone.open()
    phone.sync(
        opened,
        phone.mark(headcount, card=lost.code),
        phone.mark(headcount, card=card_url(lost)),
        phone.mark(headcount, card=valid.code.lower()[:4] + "-" + valid.code[4:]),
        phone.mark(headcount, card=card_url(card_of(world.members[4]))),
        phone.mark(headcount, card=card_url(valid).replace(":", ":x")),  # forged signature
        phone.mark(headcount, card="ZZZZ2222"),
    )
    state = phone.state(headcount)
    assert sorted(state["present"]) == sorted(str(m.uid) for m in world.members[3:5])
    assert state["revoked_scans"] == 2
    assert state["unknown_scans"] == 2


def test_a_card_revoked_after_the_scan_was_made_but_before_it_arrived_scans_as_revoked(
    world, phone_of
):
    logistics.cards_issue(actor=world.staff, trip_uid=world.trip.uid)
    card = card_of(world.members[2])
    phone = phone_of(world.leaders[0], world.trip)
    headcount, opened = phone.open()
    scanned = phone.mark(headcount, card=card.code)  # queued offline
    logistics.card_revoke(actor=world.staff, code=card.code, reason="Reported stolen")
    phone.sync(opened, scanned)
    assert phone.state(headcount)["present"] == []


def test_two_phones_count_one_headcount_and_each_may_undo_the_others_mark(world, phone_of):
    a = phone_of(world.leaders[0], world.trip, "A")
    b = phone_of(world.leaders[1], world.trip, "B")
    headcount, opened = a.open()
    a.sync(opened)
    a_mark = a.mark(headcount, world.members[2])
    b_mark = b.mark(headcount, world.members[3])
    b_undo = b.unmark(headcount, a_mark)  # B learnt A's mark at an earlier sync
    b.sync(b_mark, b_undo)  # B's unmark arrives before A's mark
    a.sync(a_mark)
    state = a.state(headcount)
    assert state["present"] == [str(world.members[3].uid)]
    assert len(state["not_yet_seen"]) == len(world.members) - 1


def test_a_close_on_one_phone_while_another_still_scans(world, phone_of):
    a = phone_of(world.leaders[0], world.trip, "A")
    b = phone_of(world.leaders[1], world.trip, "B")
    headcount, opened = a.open()
    a.sync(opened)
    everyone = world.members
    a.sync(
        *[a.mark(headcount, m) for m in everyone[:4]],
        a.close(headcount, depart_anyway=True, missing=everyone[4:]),
        a.mark(headcount, everyone[5]),  # after its own close: ignored
    )
    b.sync(b.mark(headcount, everyone[4]))  # B had not seen the close: counted
    state = a.state(headcount)
    assert state["closed"]
    assert state["missing"] == [str(everyone[5].uid)]
    decision = state["decisions"][0]
    assert decision["depart_anyway"] is True
    assert decision["names"] == [m.profile.full_name for m in everyone[4:]]
    assert decision["by"] == "Hasan"
    assert decision["device"] == "A"


def test_depart_anyway_is_recorded_with_who_answered_and_the_names(world, phone_of):
    phone = phone_of(world.leaders[0], world.trip, "Hasan's phone")
    headcount, opened = phone.open(kind="vehicle_boarding")
    missing = world.members[4:]
    phone.sync(
        opened,
        *[phone.mark(headcount, m) for m in world.members[:4]],
        phone.close(headcount, depart_anyway=False, missing=missing),
    )
    assert not phone.state(headcount)["closed"]
    phone.sync(phone.close(headcount, depart_anyway=True, missing=missing))
    with scopes_disabled():
        entries = list(
            AuditEntry.objects.filter(action__startswith="zaireen.safety.headcount.").order_by("id")
        )
    assert [e.action for e in entries] == [
        "zaireen.safety.headcount.opened",
        "zaireen.safety.headcount.held",
        "zaireen.safety.headcount.closed",
    ]
    closed = entries[-1]
    names = ", ".join(m.profile.full_name for m in missing)
    assert closed.changes == {"depart_anyway": [None, "yes"], "missing": [None, names]}
    assert closed.actor == world.leaders[0]
    assert "Hasan's phone" in closed.reason
    views = selectors.headcounts_for_trip(actor=world.staff, trip=world.trip)
    assert [(d.held, d.depart_anyway, d.names) for d in views[0].decisions] == [
        (True, False, [m.profile.full_name for m in missing]),
        (False, True, [m.profile.full_name for m in missing]),
    ]
    assert [m.uid for m in views[0].missing] == [m.uid for m in missing]


def test_arrival_home_records_the_returns_of_the_members_present_at_the_close(world, phone_of):
    depart(world)
    a = phone_of(world.leaders[0], world.trip, "A")
    b = phone_of(world.leaders[1], world.trip, "B")
    headcount, opened = a.open(kind="arrival_home", label="Lahore airport")
    wrong = a.mark(headcount, world.members[5])
    marks = [a.mark(headcount, m) for m in world.members[:3]]
    result = a.sync(opened, *marks, wrong, a.unmark(headcount, wrong))
    assert result["returns_recorded"] == 0  # nothing is recorded before the close
    result = a.sync(a.close(headcount, depart_anyway=True, missing=world.members[3:]))
    assert result["returns_recorded"] == 3
    late = b.sync(b.mark(headcount, world.members[3]))  # B was still counting at the exit
    assert late["returns_recorded"] == 1
    with scopes_disabled():
        returned = {
            m.uid: m for m in Member.objects.filter(trip=world.trip, returned_at__isnull=False)
        }
    assert set(returned) == {m.uid for m in world.members[:4]}
    assert {m.return_method for m in returned.values()} == {ReturnMethod.HEADCOUNT}
    assert not any(m.active for m in returned.values())
    assert returned[world.members[3].uid].return_recorded_by == world.leaders[1]
    # Replays record nothing more.
    assert b.sync(b.mark(headcount, world.members[3]))["returns_recorded"] == 0
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="zaireen.trip.member.returned").count() == 4


def test_arrival_home_on_a_trip_not_yet_submitted_records_no_return(world, phone_of):
    phone = phone_of(world.leaders[0], world.trip)
    headcount, opened = phone.open(kind="arrival_home")
    result = phone.sync(opened, phone.mark(headcount, world.members[2]), phone.close(headcount))
    assert result["returns_recorded"] == 0


def test_a_vehicle_headcount_expects_the_members_seated_in_it(world, phone_of):
    leg = logistics.leg_add(actor=world.staff, trip_uid=world.trip.uid, kind="road",
                            from_city="najaf", to_city="karbala",
                            date=world.trip.departure_date)  # fmt: skip
    small = logistics.vehicle_add(actor=world.staff, trip_uid=world.trip.uid, leg_uid=leg.uid,
                                  kind="van", plate="NJ 1", driver_name="Kadhim",
                                  driver_phone="0770 123 4567", seats=4)  # fmt: skip
    logistics.vehicle_add(actor=world.staff, trip_uid=world.trip.uid, leg_uid=leg.uid,
                          kind="van", plate="NJ 2", driver_name="Abbas",
                          driver_phone="0770 123 4568", seats=4)  # fmt: skip
    logistics.seats_assign(actor=world.staff, trip_uid=world.trip.uid, leg_uid=leg.uid)
    phone = phone_of(world.leaders[0], world.trip)
    headcount, opened = phone.open(kind="vehicle_boarding", vehicle=str(small.uid))
    phone.sync(opened)
    with scopes_disabled():
        seated_uids = Member.objects.filter(seats__vehicle=small).values_list("uid", flat=True)
        seated = {str(uid) for uid in seated_uids}
        assert set(Headcount.objects.get(uid=headcount).expected) == seated
    assert len(seated) == 4


def test_a_missing_member_gets_a_case_request_once(world, phone_of, client):
    phone = phone_of(world.leaders[0], world.trip)
    headcount, opened = phone.open()
    phone.sync(opened, *[phone.mark(headcount, m) for m in world.members[:5]])
    missing = world.members[5]
    api = f"/api/v1/safety/headcounts/{headcount}/cases"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {phone.token}"}
    body = {"member": str(missing.uid)}
    assert client.post(api, body, content_type="application/json", **auth).status_code == 422
    phone.sync(phone.close(headcount, depart_anyway=True, missing=[missing]))
    present = {"member": str(world.members[0].uid)}
    assert client.post(api, present, content_type="application/json", **auth).status_code == 422
    first = client.post(api, body, content_type="application/json", **auth)
    assert first.status_code == 200, first.content
    client.force_login(world.staff)
    response = client.post(
        reverse("safety:case_request", args=[headcount]), {"member": str(missing.uid)}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#headcounts")
    with scopes_disabled():
        assert CaseRequest.objects.filter(member=missing).count() == 1
    assert phone.state(headcount)["cases"] == [str(missing.uid)]


def test_a_staff_member_counts_too_but_officials_and_pilgrims_do_not(world, client):
    from tests import factories
    from zaireen.core.errors import NotAllowed, NotFound
    from zaireen.core.roles import Role

    services.device_register(actor=world.staff, trip_uid=world.trip.uid, name="Office tablet")
    with pytest.raises(NotAllowed):
        services.device_register(actor=factories.ministry(), trip_uid=world.trip.uid, name="x")
    stranger = factories.user("b-staff", Role.ORGANISER_STAFF, factories.organiser("ZGO-B"))
    with pytest.raises(NotFound):
        services.device_register(actor=stranger, trip_uid=world.trip.uid, name="x")
    client.force_login(stranger)
    assert client.get(reverse("safety:leader", args=[world.trip.uid])).status_code == 404
    client.force_login(world.leaders[0])
    page = client.get(reverse("safety:leader", args=[world.trip.uid]))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("safety:manifest", args=[world.trip.uid]) in html
    assert 'id="zr-labels"' in html


def test_registering_a_phone_answers_its_token_once(world, client):
    client.force_login(world.leaders[0])
    url = reverse("safety:device_register", args=[world.trip.uid])
    assert client.post(url, {"name": ""}).status_code == 422
    data = client.post(url, {"name": "Hasan's phone"}).json()
    assert data["token"].startswith("zrd_")
    device = services.device_for_token(data["token"])
    assert str(device.uid) == data["device"]
    assert device.digest != data["token"]
    page = client.get(reverse("safety:devices", args=[world.trip.uid])).content.decode()
    assert "Hasan&#x27;s phone" in page
    assert data["token"] not in page
    response = client.post(reverse("safety:device_revoke", args=[device.uid]))
    assert response.status_code == 302
    assert services.device_for_token(data["token"]) is None


def test_the_trip_page_summary_shows_present_and_missing(
    world, phone_of, rf, django_assert_num_queries
):
    from django.template.loader import render_to_string

    a = phone_of(world.leaders[0], world.trip, "A")
    for kind in ("hotel", "site_exit"):
        headcount, opened = a.open(kind=kind)
        a.sync(opened, *[a.mark(headcount, m) for m in world.members[:4]],
               a.close(headcount, depart_anyway=True, missing=world.members[4:]))  # fmt: skip
    with django_assert_num_queries(5):  # trip, headcounts, events, members, case requests
        views = selectors.headcounts_for_trip(actor=world.staff, trip=world.trip)
    request = rf.get("/")
    request.user = world.staff
    html = render_to_string(
        "safety/_trip_headcounts.html",
        {"headcounts": views, "trip": world.trip, "staff": True, "leads": False},
        request=request,
    )
    assert html.count("Open a missing-person case") == 4
    for m in world.members[4:]:
        assert m.profile.full_name in html
    assert "answered “depart anyway?” with yes" in html
    pilgrim_view = selectors.headcounts_for_trip(actor=world.leaders[0], trip=world.trip)
    assert len(pilgrim_view) == 2


def test_the_manifest_service_worker_and_icons(client, db):
    uid = uuid.uuid4()
    manifest = client.get(reverse("safety:manifest", args=[uid]))
    assert manifest["Content-Type"] == "application/manifest+json"
    body = json.loads(manifest.content)
    assert body["start_url"] == f"/lead/{uid}/"
    assert body["scope"] == "/lead/"
    assert body["display"] == "standalone"
    assert {i["sizes"] for i in body["icons"]} == {"any", "192x192", "512x512"}
    worker = client.get(reverse("safety:service_worker"))
    assert worker["Content-Type"].startswith("application/javascript")
    assert worker["Service-Worker-Allowed"] == "/lead/"
    script = worker.content.decode()
    assert "/static/zaireen/leader.js" in script
    assert "{{" not in script
    for size in (192, 512):
        png = client.get(reverse("safety:icon", args=[size])).content
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert int.from_bytes(png[16:20], "big") == size
    assert client.get(reverse("safety:icon", args=[64])).status_code == 404
