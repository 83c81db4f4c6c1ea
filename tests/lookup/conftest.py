"""A small world of pilgrims across two organisers, keyed for the look-up."""

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests import factories
from zaireen.core.roles import Role
from zaireen.lookup.services import name_keys_refresh
from zaireen.pilgrims.services import pilgrim_register
from zaireen.pilgrims.validation import PilgrimInput
from zaireen.trips.services import members_add, trip_create

_serial = itertools.count(100)


def register(actor, given_names, surname, year, *, sex="M", city="", phone="", **fields):
    """Register a pilgrim through the real service and key it (as pilgrims.services will)."""
    n = next(_serial)
    cnic = fields.pop("cnic", f"35202-{1000000 + n:07d}-{1 if sex == 'M' else 2}")
    profile, _warnings = pilgrim_register(
        actor=actor,
        data=PilgrimInput(
            surname=surname,
            given_names=given_names,
            cnic=cnic,
            passport_number=fields.pop("passport_number", f"AB{1000000 + n:07d}"),
            passport_expiry=timezone.localdate() + datetime.timedelta(days=2000),
            birth_date=datetime.date(year, 3, 4),
            sex=sex,
            home_city=city,
            phone=phone,
            **fields,
        ),
    )
    name_keys_refresh(profile_ids=[profile.pk])
    return profile


@pytest.fixture
def officials(db):
    return SimpleNamespace(
        consul=factories.user("consul", Role.CONSULAR_OFFICER), ministry=factories.ministry()
    )


@pytest.fixture
def world(places):
    a, b = factories.organiser("ZGO-A"), factories.organiser("ZGO-B", legal_name="Karwan B")
    staff_a = factories.user("staff-a", Role.ORGANISER_STAFF, a)
    staff_b = factories.user("staff-b", Role.ORGANISER_STAFF, b)
    people = SimpleNamespace(
        consul=factories.user("consul", Role.CONSULAR_OFFICER),
        ministry=factories.ministry(),
        staff_a=staff_a,
        staff_b=staff_b,
        org_admin=factories.user("admin-a", Role.ORGANISER_ADMIN, a),
        pilgrim=factories.user("pilgrim", Role.PILGRIM),
        planner=factories.user("planner", Role.CROWD_PLANNER),
        a=a,
        b=b,
    )
    people.jafri = register(
        staff_a, "SYED MUHAMMAD HUSSAIN", "JAFRI", 1948, city="Lahore", phone="0300 1112223",
        cnic="35202-1000001-1", passport_number="AB1000001",
    )  # fmt: skip
    people.hasan = register(staff_a, "MUHAMMAD HASSAN", "JAFRI", 1948, city="Lahore")
    people.naqvi = register(staff_a, "HUSSAIN", "NAQVI", 1948, city="Karachi")
    people.jafri_karachi = register(staff_b, "HUSSAIN", "JAFRI", 1949, city="Karachi")
    people.zainab = register(staff_b, "ZAINAB", "BIBI", 1952, sex="F", city="Jhang")
    people.sakina = register(staff_a, "SAKINA", "NAQVI", 1962, sex="F", city="Rawalpindi",
                             cnic="35202-1000006-2", passport_number="AB1000006")  # fmt: skip
    people.ghulam = register(staff_a, "GHULAM ABBAS", "KAZMI", 1961, city="Rawalpindi")
    people.zain = register(staff_b, "SYED ZAIN UL ABIDIN", "SHAH", 1965, city="Peshawar")
    people.kausar_m = register(staff_a, "KAUSAR", "ABBAS", 1970, city="Multan")
    people.kausar_f = register(staff_a, "KAUSAR", "ABBAS", 1970, sex="F", city="Multan")
    people.leader = register(staff_a, "ALI", "RAZA", 1975, city="Lahore", phone="0321 4445556")
    people.trip = trip_create(actor=staff_a, data=factories.trip_input(code="ARB-LHE-01"))
    members_add(actor=staff_a, trip_uid=people.trip.uid,
                profile_uids=[people.jafri.uid, people.hasan.uid])  # fmt: skip
    members_add(actor=staff_a, trip_uid=people.trip.uid, profile_uids=[people.leader.uid],
                role="leader")  # fmt: skip
    return people
