"""A planner's Arbaeen plan with three zones in use, and organisers with trips and groups.

Groups for the race and waitlist tests are made with the ORM (`make_group`): those tests are
about the booking path, and a trip with hundreds of registered members would only slow them
down. `group_create` itself is tested through the service in test_groups_and_requests.py.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tests import factories
from tests.test_trips import person, ready_trip
from zaireen.core.roles import Role
from zaireen.crowd import selectors, services
from zaireen.crowd.models import GroupKind, SlotGroup

ZONES = {
    # slug: (usable area m², margin %, quota %, dwell minutes)
    "imam-husayn-sanctuary": (3000, 50, 2, 30),  # limit 3000, quota 60 per slot, 2 slots
    "al-abbas-haram": (4000, 50, 2, 45),  # limit 4000, quota 80, 3 slots
    "imam-ali-haram": (10000, 40, 1, 30),  # limit 12000, quota 120, 2 slots
}


def at(plan, slot: int) -> dt.datetime:
    return selectors.slot_start(plan, slot)


def make_plan(planner, **overrides):
    fields = {
        "occasion_key": "arbaeen",
        "hijri_year": 1449,
        "request_deadline": timezone.now() + dt.timedelta(days=30),
        "days_before": 1,
        "days_after": 1,
    }
    plan = services.plan_create(actor=planner, **{**fields, **overrides})
    for slug, (area, margin, quota, dwell) in ZONES.items():
        services.capacity_set(
            actor=planner,
            plan_uid=plan.uid,
            zone_slug=slug,
            usable_area_m2=area,
            density=Decimal("2"),
            margin_pct=margin,
            dwell_minutes=dwell,
            quota_pct=quota,
        )
    plan.refresh_from_db()
    return plan


def make_group(trip, size: int, label: str) -> SlotGroup:
    with scopes_disabled():
        return SlotGroup.objects.create(
            organiser_id=trip.organiser_id,
            trip=trip,
            label=label,
            kind=GroupKind.SUBGROUP,
            size=size,
        )


@pytest.fixture
def planner(db):
    return factories.user("planner", Role.CROWD_PLANNER)


@pytest.fixture
def plan(planner, places):
    return make_plan(planner)


@pytest.fixture
def org(places):
    """Organiser A: a staff user, a trip of 8 (2 leaders), and organiser B's staff."""
    a = factories.organiser("ZGO-A")
    staff = factories.user("staff-a", Role.ORGANISER_STAFF, a)
    trip, profiles = ready_trip(staff, [person(n) for n in range(1, 9)], leaders=2)
    b = factories.organiser("ZGO-B")
    other = factories.user("staff-b", Role.ORGANISER_STAFF, b)
    other_trip, _ = ready_trip(other, [person(n) for n in range(20, 23)], leaders=1)
    return SimpleNamespace(
        organiser=a,
        staff=staff,
        trip=trip,
        profiles=profiles,
        other=other,
        other_organiser=b,
        other_trip=other_trip,
    )
