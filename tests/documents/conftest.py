"""A demo-like trip built through the services: members with Urdu names, a flight and a road
leg, a bus with seats, rooms at both hotels, and cards."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tests import factories
from tests.test_trips import person, ready_trip
from zaireen.core.roles import Role
from zaireen.trips import logistics
from zaireen.trips.models import Member, TripHotel

URDU_NAMES = ["سجاد حسین رضوی", "فاطمہ زہرا نقوی", "علی عباس جعفری", "سکینہ بی بی کاظمی"]
LEADER_PHONE = "+923001112233"


def _people(count: int, first: int):
    people = []
    for n in range(count):
        fields = {"name_urdu": URDU_NAMES[n % len(URDU_NAMES)] if n < 4 else ""}
        if n == 0:
            fields.update(given_names="SAJJAD HUSSAIN", surname="RIZVI", phone=LEADER_PHONE)
        if n == 1:
            fields.update(given_names="FATIMA ZAHRA", surname="NAQVI", sex="F",
                          blood_group="O-", needs_wheelchair=True)  # fmt: skip
        people.append(person(first + n, next_of_kin_relation="son", **fields))
    return people


def build_trip(staff, *, count: int = 6, seats: int = 30, cards: bool = True, first: int = 1):
    """A trip of `count` members (people numbered from `first`), the first one leading."""
    trip, profiles = ready_trip(staff, _people(count, first))
    start = trip.departure_date
    logistics.leg_add(actor=staff, trip_uid=trip.uid, kind="flight", from_city="lahore",
                      to_city="najaf", date=start, flight="PK 719")  # fmt: skip
    later = start + datetime.timedelta(days=4)
    road = logistics.leg_add(actor=staff, trip_uid=trip.uid, kind="road", from_city="najaf",
                             to_city="karbala", date=later)  # fmt: skip
    bus = logistics.vehicle_add(actor=staff, trip_uid=trip.uid, leg_uid=road.uid, kind="bus",
                                plate="BGD 4417", driver_name="Karim Abbas",
                                driver_phone="0770 123 4567", seats=seats)  # fmt: skip
    logistics.seats_assign(actor=staff, trip_uid=trip.uid, leg_uid=road.uid)
    for hotel in TripHotel.objects.filter(trip=trip):
        logistics.rooms_assign(actor=staff, trip_uid=trip.uid, hotel_id=hotel.pk, beds=4)
    if cards:
        logistics.cards_issue(actor=staff, trip_uid=trip.uid)
    with scopes_disabled():
        members = list(Member.objects.filter(trip=trip).select_related("profile"))
    return SimpleNamespace(trip=trip, profiles=profiles, members=members, bus=bus, road=road)


@pytest.fixture
def org_staff(places):
    organiser = factories.organiser("ZGO-DOC-1", legal_name="Karwan-e-Zainab Tours")
    return factories.user("doc-staff", Role.ORGANISER_STAFF, organiser)


@pytest.fixture
def demo(org_staff):
    return build_trip(org_staff)


@pytest.fixture
def today():
    return timezone.localdate()
