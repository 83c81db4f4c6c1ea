"""The stranding census: a leader's checklist per member, totals that add up, one message to
every stranded pilgrim."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.incidents.test_incidents import accident
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.incidents import selectors, services
from zaireen.notifications.models import Message
from zaireen.trips import logistics
from zaireen.trips.models import Holder

pytestmark = pytest.mark.django_db


def stranding(world, **overrides):
    fields = {
        "kind": "stranding",
        "severity": "serious",
        "members": (),
        "vehicles": (),
        "city": "najaf",
        "place": "Najaf airport, flight cancelled",
        "pole": None,
    }
    return accident(world, **{**fields, **overrides})


def assert_adds_up(census):
    assert census.checked + census.not_checked == census.affected
    for question, counts in census.totals.items():
        assert sum(counts.values()) == census.affected, question
    assert sum(census.holders.values()) == census.affected


def test_the_census_adds_up_as_the_leader_fills_it(world):
    incident = stranding(world)
    members = world.a.members
    census = selectors.census_for(actor=world.staff, uid=incident.uid)
    assert census.affected == 8 and census.checked == 0
    assert census.totals["has_money"] == {"yes": 0, "no": 0, "unknown": 8}
    assert census.holders == {Holder.PILGRIM: 8}
    assert_adds_up(census)
    services.census_check_record(
        actor=world.leader,
        uid=incident.uid,
        member_uid=members[0].uid,
        has_medicine="yes",
        has_money="no",
        has_ticket="no",
        passport_holder=Holder.AIRLINE,
        note="Needs cash",
    )
    services.census_check_record(
        actor=world.leader,
        uid=incident.uid,
        member_uid=members[1].uid,
        has_medicine=False,
        has_money=True,
    )
    # Correcting a row replaces it: still one row per member.
    services.census_check_record(
        actor=world.staff,
        uid=incident.uid,
        member_uid=members[1].uid,
        has_medicine=False,
        has_money=True,
        has_ticket=True,
    )
    census = selectors.census_for(actor=world.ministry, uid=incident.uid)
    assert census.checked == 2 and census.not_checked == 6
    assert census.totals == {
        "has_medicine": {"yes": 1, "no": 1, "unknown": 6},
        "has_money": {"yes": 1, "no": 1, "unknown": 6},
        "has_ticket": {"yes": 1, "no": 1, "unknown": 6},
    }
    assert census.holders == {Holder.PILGRIM: 7, Holder.AIRLINE: 1}
    assert_adds_up(census)


def test_the_passport_holder_comes_from_custody_until_the_leader_says(world):
    logistics.passports_hand_over(
        actor=world.staff,
        trip_uid=world.a.trip.uid,
        member_uids=None,
        to=Holder.ORGANISER,
        place="Office",
    )
    incident = stranding(world)
    census = selectors.census_for(actor=world.staff, uid=incident.uid)
    assert census.holders == {Holder.ORGANISER: 8}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 7),
            st.sampled_from([None, True, False]),
            st.sampled_from([None, True, False]),
            st.sampled_from([None, True, False]),
            st.sampled_from(["", *Holder.values]),
        ),
        max_size=12,
    )
)
def test_any_answers_in_any_order_add_up(world, answers):
    incident = stranding(world)
    last = {}
    for n, medicine, money, ticket, holder in answers:
        services.census_check_record(
            actor=world.leader,
            uid=incident.uid,
            member_uid=world.a.members[n].uid,
            has_medicine=medicine,
            has_money=money,
            has_ticket=ticket,
            passport_holder=holder,
        )
        last[n] = (medicine, money, ticket)
    census = selectors.census_for(actor=world.staff, uid=incident.uid)
    assert_adds_up(census)
    assert census.checked == len(last)
    for i, question in enumerate(("has_medicine", "has_money", "has_ticket")):
        yes = sum(1 for v in last.values() if v[i] is True)
        no = sum(1 for v in last.values() if v[i] is False)
        assert census.totals[question] == {"yes": yes, "no": no, "unknown": 8 - yes - no}


def test_who_fills_and_who_sees_the_census(world, client):
    incident = stranding(world)
    member = world.a.members[2].uid
    with pytest.raises(NotFound):
        services.census_check_record(actor=world.other_leader, uid=incident.uid, member_uid=member)
    with pytest.raises(NotAllowed):
        services.census_check_record(actor=world.ministry, uid=incident.uid, member_uid=member)
    with pytest.raises(ValidationFailed) as caught:
        services.census_check_record(
            actor=world.leader, uid=incident.uid, member_uid=world.b.members[0].uid
        )
    assert "member" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        services.census_check_record(
            actor=world.leader,
            uid=incident.uid,
            member_uid=member,
            has_money="maybe",
            passport_holder="friend",
        )
    assert set(caught.value.errors) == {"has_money", "passport_holder"}
    theft = accident(world, kind="theft", vehicles=(), members=())
    with pytest.raises(NotFound):
        selectors.census_for(actor=world.staff, uid=theft.uid)
    for user, status in (
        (world.ministry, 200),
        (world.consul, 200),
        (world.leader, 200),
        (world.other_staff, 404),
        (world.other_leader, 404),
    ):
        client.force_login(user)
        assert client.get(reverse("incidents:census", args=[incident.uid])).status_code == status


def test_the_leader_saves_a_row_on_the_phone_and_the_totals_follow(world, client):
    incident = stranding(world)
    member = world.a.members[4]
    client.force_login(world.leader)
    page = client.get(reverse("incidents:census", args=[incident.uid])).content.decode()
    assert f'id="census-{member.uid}"' in page and 'hx-post="' in page
    prefix = str(member.uid)
    response = client.post(
        reverse("incidents:census_check", args=[incident.uid, member.uid]),
        {
            f"{prefix}-has_medicine": "yes",
            f"{prefix}-has_money": "no",
            f"{prefix}-has_ticket": "",
            f"{prefix}-passport_holder": "hotel",
            f"{prefix}-note": "At the hotel desk",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and f'id="census-{member.uid}"' in html
    assert 'id="census-totals"' in html and 'hx-swap-oob="true"' in html
    assert '<span data-total="checked">1</span>' in html
    with scopes_disabled():
        check = incident.checks.get(member=member)
    assert (check.has_medicine, check.has_money, check.has_ticket) == (True, False, None)
    assert check.passport_holder == "hotel" and check.checked_by == world.leader
    # The ministry sees the same census, read only.
    client.force_login(world.ministry)
    page = client.get(reverse("incidents:census", args=[incident.uid])).content.decode()
    assert "At the hotel desk" in page and "hx-post" not in page


def test_one_message_reaches_every_stranded_pilgrim_with_a_phone(world, client):
    incident = stranding(world, members=tuple(m.uid for m in world.a.members[2:6]))
    client.force_login(world.consul)
    url = reverse("incidents:census_message", args=[incident.uid])
    assert client.post(url, {"text": "x", "language": "en"}).status_code == 403
    client.force_login(world.staff)
    response = client.post(
        url, {"text": "Buses at 6 pm to Baghdad; keep your passports.", "language": "en"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        sent = list(Message.objects.filter(topic="stranding_message"))
    assert sorted(m.address for m in sent) == sorted(m.profile.phone for m in world.a.members[2:6])
    assert all("Buses at 6 pm to Baghdad" in m.body for m in sent)
    assert all(world.a.trip.code in m.subject for m in sent)
    count = services.census_message_send(
        actor=world.ministry,
        uid=incident.uid,
        text="The ministry is arranging flights.",
        language="ur",
    )
    assert count == 4
    with scopes_disabled():
        assert Message.objects.filter(topic="stranding_message", language="ur").count() == 4
    with pytest.raises(NotAllowed):
        services.census_message_send(actor=world.leader, uid=incident.uid, text="Hi")
    with pytest.raises(ValidationFailed):
        services.census_message_send(actor=world.staff, uid=incident.uid, text="x" * 500)
