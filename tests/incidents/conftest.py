"""A running trip of organiser A built through the services: eight members (the first leads),
two buses on the Najaf → Karbala road leg (five and three seated), a third bus on the way back
carrying everyone, cards; logins for the staff, the leader, one pilgrim, a consul and the
ministry; and organiser B with a trip of its own."""

import datetime
from types import SimpleNamespace

import pytest
from django_scopes import scopes_disabled

from tests import factories
from tests.test_trips import person, ready_trip
from zaireen.accounts.models import User
from zaireen.accounts.services import account_bind_cnic
from zaireen.core.roles import Role
from zaireen.trips import logistics
from zaireen.trips.models import Member, PilgrimCard, Trip, TripStatus

URDU = ["سجاد حسین رضوی", "فاطمہ زہرا نقوی", "علی عباس جعفری"]
BLOOD = ["A+", "O-", "B+", "AB-", "", "O+", "A-", "B-"]


def login(username: str, role: str, organiser=None, **fields) -> User:
    """A user without a password (hashing one costs a second here); tests log in with
    `force_login`."""
    return User.objects.create(username=username, role=role, organiser=organiser, **fields)


def people(first: int, count: int):
    out = []
    for n in range(count):
        fields = {
            "phone": f"+92300{first + n:07d}",
            "blood_group": BLOOD[n % len(BLOOD)],
            "next_of_kin_name": f"Kin of {n}",
            "next_of_kin_relation": "son",
            "next_of_kin_phone": f"+92321{first + n:07d}",
        }
        if n < len(URDU):
            fields["name_urdu"] = URDU[n]
        if n == 1:
            fields.update(needs_wheelchair=True, medical_notes="Insulin twice a day")
        out.append(person(first + n, **fields))
    return out


def build(staff, *, first: int, count: int = 8, seats=(5, 5), back_seats: int = 10):
    trip, profiles = ready_trip(staff, people(first, count))
    start = trip.departure_date
    out = logistics.leg_add(
        actor=staff,
        trip_uid=trip.uid,
        kind="road",
        from_city="najaf",
        to_city="karbala",
        date=start + datetime.timedelta(days=4),
    )
    back = logistics.leg_add(
        actor=staff,
        trip_uid=trip.uid,
        kind="road",
        from_city="karbala",
        to_city="najaf",
        date=start + datetime.timedelta(days=8),
    )
    buses = [
        logistics.vehicle_add(
            actor=staff,
            trip_uid=trip.uid,
            leg_uid=out.uid,
            kind="bus",
            plate=f"BGD {first}{i}",
            driver_name="Karim Abbas",
            driver_phone="0770 123 4567",
            seats=n,
        )
        for i, n in enumerate(seats, start=1)
    ]
    back_bus = logistics.vehicle_add(
        actor=staff,
        trip_uid=trip.uid,
        leg_uid=back.uid,
        kind="coaster",
        plate=f"KRB {first}",
        driver_name="Ali Hadi",
        driver_phone="0770 765 4321",
        seats=back_seats,
    )
    logistics.seats_assign(actor=staff, trip_uid=trip.uid, leg_uid=out.uid)
    logistics.seats_assign(actor=staff, trip_uid=trip.uid, leg_uid=back.uid)
    logistics.cards_issue(actor=staff, trip_uid=trip.uid)
    with scopes_disabled():
        by_profile = {
            m.profile_id: m for m in Member.objects.filter(trip=trip).select_related("profile")
        }
        seated = {
            bus.pk: [a.member for a in bus.seat_assignments.select_related("member__profile")]
            for bus in [*buses, back_bus]
        }
        cards = {c.member_id: c.code for c in PilgrimCard.objects.filter(member__trip=trip)}
    return SimpleNamespace(
        trip=trip,
        people=people(first, count),
        profiles=profiles,
        members=[by_profile[p.pk] for p in profiles],
        buses=buses,
        back_bus=back_bus,
        seated=seated,
        cards=cards,
        out=out,
        back=back,
    )


@pytest.fixture
def world(places):
    organiser = factories.organiser("ZGO-A", legal_name="Karwan-e-Zainab Tours")
    staff = login("staff-a", Role.ORGANISER_STAFF, organiser, email="staff@a.example")
    admin = login("admin-a", Role.ORGANISER_ADMIN, organiser, phone="+923009990001")
    a = build(staff, first=1)
    leader = login(
        "leader-a", Role.GROUP_LEADER, organiser, phone="+923001110001", first_name="Hasan"
    )
    account_bind_cnic(actor=leader, cnic=a.people[0].cnic)
    pilgrim = login("pilgrim-a", Role.PILGRIM, None, phone="+923001110004")
    account_bind_cnic(actor=pilgrim, cnic=a.people[3].cnic)
    other = factories.organiser("ZGO-B")
    other_staff = login("staff-b", Role.ORGANISER_STAFF, other, email="staff@b.example")
    b = build(other_staff, first=101, count=3, seats=(5,), back_seats=5)
    other_leader = login("leader-b", Role.GROUP_LEADER, other, phone="+923001110101")
    account_bind_cnic(actor=other_leader, cnic=b.people[0].cnic)
    for user in (leader, pilgrim, other_leader):
        user.refresh_from_db()
    # On the road: an SOS is for a trip under way (the workflow that gets a trip there is
    # tested with the trips).
    with scopes_disabled():
        Trip.objects.filter(pk__in=[a.trip.pk, b.trip.pk]).update(status=TripStatus.DEPARTED)
    a.trip.refresh_from_db()
    b.trip.refresh_from_db()
    return SimpleNamespace(
        organiser=organiser,
        staff=staff,
        admin=admin,
        leader=leader,
        pilgrim=pilgrim,
        pilgrim_member=a.members[3],
        a=a,
        other=other,
        other_staff=other_staff,
        other_leader=other_leader,
        b=b,
        consul=login("consul", Role.CONSULAR_OFFICER, phone="+9647700000001"),
        ministry=login("ministry", Role.MINISTRY_OFFICER, email="m@gov.example"),
        planner=login("planner", Role.CROWD_PLANNER),
    )
