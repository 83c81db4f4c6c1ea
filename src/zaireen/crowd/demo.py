"""Demo data of the crowd app: the coming Arbaeen as a slot plan, and the demo organiser's
Arbaeen trips asking for slots from their itineraries.

Built through the services, as the people would: the crowd planner makes the plan and sets
the capacities and quotas below (the usable areas are demo assumptions, not sourced
figures); the organiser's staff make three approved Arbaeen trips from demo pilgrims, the
itinerary planner plans them (its own demo function), the staff split each trip into its
leaders' sub-groups and take the requests from the itineraries. A trip the itinerary planner
could not plan asks by hand for the usual Najaf–Karbala visits instead. The planner then
solves, looks at the heat map and publishes on the pages. Running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from decimal import Decimal

from django.utils import timezone
from django_scopes import scopes_disabled

from zaireen.core.errors import DomainError, ValidationFailed
from zaireen.crowd import selectors, services
from zaireen.crowd.models import GroupKind, SlotGroup, SlotPlan
from zaireen.crowd.visits import PlannedZoneVisit, from_itinerary
from zaireen.planning import hijri
from zaireen.planning.selectors import offsets_table

logger = logging.getLogger(__name__)
IRAQ = zoneinfo.ZoneInfo("Asia/Baghdad")

# zone: (usable area m², density, margin %, quota %) — demo assumptions.
CAPACITIES = {
    "imam-husayn-sanctuary": (3000, "2", 50, "2"),
    "imam-husayn-courtyard": (6000, "2", 50, "2"),
    "al-abbas-haram": (4000, "2", 50, "3"),
    "imam-ali-haram": (10000, "2", 40, "1"),
}
# (title, days before the occasion, nights, members)
TRIPS = (
    ("Arbaeen: Najaf and Karbala", 3, 7, 48),
    ("Arbaeen: walkers from Najaf", 4, 8, 46),
    ("Arbaeen: families", 2, 6, 44),
)
# When a trip has no itinerary: (zone, day from the occasion, hour, minute, minutes).
USUAL_VISITS = (
    ("imam-ali-haram", -1, 9, 0, 60),
    ("imam-husayn-courtyard", 0, 8, 0, 30),
    ("imam-husayn-sanctuary", 0, 8, 30, 30),
    ("al-abbas-haram", 0, 9, 30, 45),
)


def _arbaeen() -> tuple[int, hijri.OccasionDate]:
    """The next Arbaeen at least three weeks away (so requests are still open)."""
    occasion = next(o for o in hijri.load_occasions() if o.key == "arbaeen")
    offsets = offsets_table()
    year = hijri.to_hijri(timezone.localdate()).year
    for candidate in (year, year + 1, year + 2):
        when = hijri.occurrence(occasion, candidate, offsets)
        if when.start - dt.timedelta(days=21) > timezone.localdate():
            return candidate, when
    raise LookupError("no Arbaeen ahead in the calendar")


def _plan(planner, year: int, when: hijri.OccasionDate) -> SlotPlan:
    starts = dt.datetime.combine(when.start - dt.timedelta(days=1), dt.time(0), tzinfo=IRAQ)
    plan = services.plan_create(
        actor=planner,
        occasion_key="arbaeen",
        hijri_year=year,
        request_deadline=starts - dt.timedelta(days=14),
    )
    for zone, (area, density, margin, quota) in CAPACITIES.items():
        services.capacity_set(
            actor=planner,
            plan_uid=plan.uid,
            zone_slug=zone,
            usable_area_m2=area,
            density=Decimal(density),
            margin_pct=margin,
            dwell_minutes=plan.capacities.get(zone__slug=zone).dwell_minutes,
            quota_pct=Decimal(quota),
        )
    return plan


def _trips(staff, ministry, when: hijri.OccasionDate) -> list:
    from zaireen.pilgrims.demo import pilgrims_demo
    from zaireen.pilgrims.models import PilgrimProfile
    from zaireen.trips import services as trips
    from zaireen.trips.models import Member, Trip
    from zaireen.trips.services import HotelInput, TripInput

    with scopes_disabled():
        existing = list(
            Trip.objects.filter(
                organiser_id=staff.organiser_id,
                title__startswith="Arbaeen:",
                departure_date__gt=timezone.localdate(),
            )
        )
    if existing:
        return existing
    needed = sum(t[3] for t in TRIPS)
    latest_return = when.start + dt.timedelta(days=max(n - d for _t, d, n, _m in TRIPS))
    with scopes_disabled():
        have = PilgrimProfile.objects.filter(organiser_id=staff.organiser_id).count()
    pilgrims_demo(actor=staff, count=have + needed + 40, seed=1449)
    with scopes_disabled():
        busy = set(Member.objects.filter(active=True).values_list("profile_id", flat=True))
        pool = [
            p
            for p in PilgrimProfile.objects.filter(
                organiser_id=staff.organiser_id,
                passport_expiry__gt=latest_return + dt.timedelta(days=200),
            ).order_by("pk")
            if p.pk not in busy
        ]
    made = []
    for title, before, nights, size in TRIPS:
        people, pool = pool[:size], pool[size:]
        if len(people) < size:
            break
        start = when.start - dt.timedelta(days=before)
        trip = trips.trip_create(
            actor=staff,
            data=TripInput(
                title=title,
                departure_date=start,
                return_date=start + dt.timedelta(days=nights),
                outbound_from="LHE",
                outbound_to="NJF",
                return_from="NJF",
                return_to="LHE",
                outbound_flight="PK 719",
                return_flight="PK 720",
                capacity=size + 2,
                price_pkr=390_000,
                hotels=(
                    HotelInput("najaf", "Qasr al-Dur", before - 1),
                    HotelInput("karbala", "Al-Kafeel Hotel", nights - before + 1),
                ),
            ),
        )
        trips.members_add(
            actor=staff, trip_uid=trip.uid, profile_uids=[p.uid for p in people[:2]], role="leader"
        )
        trips.members_add(actor=staff, trip_uid=trip.uid, profile_uids=[p.uid for p in people[2:]])
        try:
            trips.trip_submit(actor=staff, uid=trip.uid)
            trips.trip_decide(actor=ministry, uid=trip.uid, approve=True)
        except ValidationFailed as exc:
            logger.warning("demo Arbaeen trip %s not approved: %s", trip.code, exc)
        made.append(trip)
    return made


def _groups(staff, trip) -> list[SlotGroup]:
    """One sub-group per leader of the trip, sharing its members (at most 60 each)."""
    from zaireen.trips.models import LEADING_ROLES

    with scopes_disabled():
        groups = list(SlotGroup.objects.filter(trip=trip))
        if groups:
            return groups
        leaders = list(trip.members.filter(role__in=LEADING_ROLES).order_by("pk"))
        members = trip.members.count()
    for index, leader in enumerate(leaders):
        size = members // len(leaders) + (1 if index < members % len(leaders) else 0)
        groups.append(
            services.group_create(
                actor=staff,
                trip_uid=trip.uid,
                kind=GroupKind.SUBGROUP,
                leader_uid=leader.uid,
                size=min(size, 60),
            )
        )
    return groups


def _usual_visits(plan: SlotPlan, when: hijri.OccasionDate, shift: int) -> list[PlannedZoneVisit]:
    visits = []
    for zone, day, hour, minute, minutes in USUAL_VISITS:
        start = dt.datetime.combine(
            when.start + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=IRAQ
        ) + dt.timedelta(minutes=15 * shift)
        visits.append(
            PlannedZoneVisit(
                zone=zone,
                start=start,
                earliest=start - dt.timedelta(hours=2),
                latest=start + dt.timedelta(hours=2),
                duration_minutes=minutes,
            )
        )
    return visits


def crowd_demo(*, planner, staff, ministry) -> SlotPlan | None:
    """The Arbaeen plan with the demo organiser's requests, once."""
    existing = SlotPlan.objects.filter(occasion_key="arbaeen").order_by("starts_at").first()
    if existing is not None:
        return existing
    try:
        year, when = _arbaeen()
    except LookupError:
        return None
    plan = _plan(planner, year, when)
    trips = _trips(staff, ministry, when)
    try:
        from zaireen.itineraries.demo import itineraries_demo

        itineraries_demo(actors=(staff,))
    except Exception:  # the itinerary planner's demo must not stop this one
        logger.exception("demo itineraries for the Arbaeen trips failed")
    for shift, trip in enumerate(trips):
        _groups(staff, trip)
        try:
            visits = from_itinerary(trip)
        except Exception:  # no planner, or a plan it cannot read: ask by hand
            visits = []
        horizon = (plan.starts_at, selectors.horizon_end(plan))
        if not any(horizon[0] <= v.start < horizon[1] for v in visits):
            visits = _usual_visits(plan, when, shift)
        try:
            summary = services.requests_from_visits(
                actor=staff, plan_uid=plan.uid, trip_uid=trip.uid, visits=visits
            )
        except DomainError as exc:
            logger.warning("demo requests of %s refused: %s", trip.code, exc)
            continue
        for line in summary.skipped:
            logger.info("demo request of %s skipped: %s", trip.code, line)
    return plan
