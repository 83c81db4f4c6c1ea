"""A trip of organiser A with two leaders (bound logins) and four pilgrims, and helpers that
send events the way the leader app does."""

import uuid
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tests import factories
from tests.test_trips import person, ready_trip
from zaireen.accounts.services import account_bind_cnic
from zaireen.core.roles import Role
from zaireen.safety import services
from zaireen.trips.models import Member


@pytest.fixture
def world(places):
    organiser = factories.organiser("ZGO-A")
    staff = factories.user("staff-a", Role.ORGANISER_STAFF, organiser, first_name="Sana")
    people = [person(n) for n in range(1, 7)]
    trip, profiles = ready_trip(staff, people, leaders=2)
    leaders = []
    for n, name in ((1, "Hasan"), (2, "Zainab")):
        user = factories.user(
            f"leader{n}", Role.GROUP_LEADER, organiser, phone=f"+92300123456{n}", first_name=name
        )
        account_bind_cnic(actor=user, cnic=people[n - 1].cnic)
        user.refresh_from_db()
        leaders.append(user)
    with scopes_disabled():
        members = {
            m.profile_id: m for m in Member.objects.filter(trip=trip).select_related("profile")
        }
    return SimpleNamespace(
        organiser=organiser,
        staff=staff,
        trip=trip,
        leaders=leaders,
        people=people,
        members=[members[p.pk] for p in profiles],
    )


class Phone:
    """A registered phone: numbers its events like the app and posts them to the API."""

    def __init__(self, client, device, token, trip):
        self.client, self.device, self.token, self.trip = client, device, token, trip
        self.seq = 0

    def event(self, headcount, action, **fields):
        self.seq += 1
        return {
            "id": str(uuid.uuid4()),
            "device": str(self.device.uid),
            "seq": self.seq,
            "device_time": timezone.now().isoformat(),
            "headcount": str(headcount),
            "action": action,
            **{k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in fields.items()},
        }

    def open(self, kind="meeting_point", label="Bab al-Qibla", **fields):
        headcount = uuid.uuid4()
        return headcount, self.event(headcount, "open", kind=kind, label=label, **fields)

    def mark(self, headcount, member=None, card=None):
        if card is not None:
            return self.event(headcount, "mark", card=card)
        return self.event(headcount, "mark", member=str(member.uid))

    def unmark(self, headcount, mark):
        return self.event(headcount, "unmark", target=mark["id"])

    def close(self, headcount, depart_anyway=None, missing=()):
        return self.event(
            headcount,
            "close",
            depart_anyway=depart_anyway,
            missing=[str(m.uid) for m in missing],
        )

    def url(self):
        return f"/api/v1/safety/trips/{self.trip.uid}/events"

    def send(self, *events, token=None):
        return self.client.post(
            self.url(),
            {"events": list(events)},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token or self.token}",
        )

    def sync(self, *events):
        response = self.send(*events)
        assert response.status_code == 200, response.content
        return response.json()

    def state(self, headcount):
        response = self.client.get(self.url(), HTTP_AUTHORIZATION=f"Bearer {self.token}")
        assert response.status_code == 200, response.content
        return next(h for h in response.json()["headcounts"] if h["id"] == str(headcount))


@pytest.fixture
def phone_of(client):
    def make(user, trip, name="Phone"):
        device, token = services.device_register(actor=user, trip_uid=trip.uid, name=name)
        return Phone(client, device, token, trip)

    return make


def depart(world):
    """Take the trip through submission and approval to departed, as on its departure day."""
    from zaireen.trips import services as trips

    trips.trip_submit(actor=world.staff, uid=world.trip.uid)
    trips.trip_decide(actor=factories.ministry(), uid=world.trip.uid, approve=True)
    day = world.trip.departure_date
    trips.trip_advance(actor=world.staff, uid=world.trip.uid, to="departed", today=day)
