"""Fixtures of the itineraries tests: the reference data, an organiser with staff, and a trip
landing in Najaf three days before Arbaeen 1448 and flying home from Baghdad."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import SimpleNamespace

import pytest

from tests import factories
from tests.itineraries.pure import WISHES, arbaeen
from zaireen.core.roles import Role
from zaireen.itineraries import services
from zaireen.trips.services import HotelInput, trip_create

IRAQ = zoneinfo.ZoneInfo("Asia/Baghdad")


@pytest.fixture
def reference(places):
    return services.reference_load()


@pytest.fixture
def org(db, reference):
    organiser = factories.organiser("ZGO-IT-1")
    return SimpleNamespace(
        organiser=organiser,
        admin=factories.user("it-admin", Role.ORGANISER_ADMIN, organiser),
        staff=factories.user("it-staff", Role.ORGANISER_STAFF, organiser),
        ministry=factories.ministry("it-ministry"),
        other=factories.user("other-admin", Role.ORGANISER_ADMIN, factories.organiser("ZGO-IT-2")),
    )


def arbaeen_trip(actor, *, hotels=(("najaf", 2), ("karbala", 4), ("kadhimiya", 1))):
    """Departs Lahore three days before Arbaeen 1448 (Umm al-Qura: 3 Aug 2026), home from
    Baghdad after the hotels' nights."""
    start = arbaeen().start - dt.timedelta(days=3)
    nights = sum(n for _c, n in hotels)
    return trip_create(
        actor=actor,
        data=factories.trip_input(
            departure_date=start,
            return_date=start + dt.timedelta(days=nights),
            return_from="BGW",
            hotels=tuple(HotelInput(c, f"Hotel {c}", n) for c, n in hotels),
        ),
    )


def plan_data(
    trip,
    *,
    needs="standard",
    occasion="arbaeen",
    stays=None,
    wishes=WISHES,
    landing=dt.time(2, 30),
    takeoff=dt.time(9, 30),
):
    hotels = list(trip.hotels.select_related("city").order_by("position"))
    return services.PlanData(
        arrival_at=dt.datetime.combine(trip.departure_date, landing, tzinfo=IRAQ),
        departure_at=dt.datetime.combine(trip.return_date, takeoff, tzinfo=IRAQ),
        stays=tuple(stays or ((h.city.slug, h.nights, h.name) for h in hotels)),
        wishes=tuple(wishes),
        needs=needs,
        occasion=occasion,
    )


@pytest.fixture
def trip(org):
    return arbaeen_trip(org.admin)


@pytest.fixture
def planned(org, trip):
    return services.itinerary_plan(actor=org.staff, trip_uid=trip.uid, data=plan_data(trip))
