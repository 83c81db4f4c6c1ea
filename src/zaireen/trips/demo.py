"""Demo trips in every state, built through the services as an organiser would build them.

Past trips are submitted "as of" a date before their departure (the services take `today`),
so the demo shows trips that departed, returned and closed without bypassing any rule.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_scopes import scopes_disabled

from zaireen.pilgrims.models import PilgrimProfile
from zaireen.trips import services
from zaireen.trips.models import Member, Trip, TripStatus
from zaireen.trips.services import HotelInput, TripInput

# (title, days from today to departure, length, members, final status)
PLAN = (
    ("Rajab: birth of Imam Ali (Najaf)", 18, 10, 42, TripStatus.DRAFT),
    ("Winter ziyarat, Kadhimiya and Samarra", 40, 8, 25, TripStatus.DRAFT),
    ("15 Sha'ban in Karbala", 50, 9, 48, TripStatus.SUBMITTED),
    ("Family group, January", 35, 7, 20, TripStatus.SUBMITTED),
    ("Rajab: 25th in Kadhimiya", 25, 10, 45, TripStatus.APPROVED),
    ("Students' ziyarat", 60, 6, 30, TripStatus.APPROVED),
    ("Late November group", -5, 12, 40, TripStatus.DEPARTED),
    ("Elders' group (wheelchairs)", -3, 10, 22, TripStatus.DEPARTED),
    ("Rabi' al-Awwal group", -30, 10, 35, TripStatus.RETURNED),
    ("Arbaeen 1448 walkers", -125, 14, 50, TripStatus.CLOSED),
    ("Cancelled: airspace closure", 30, 8, 20, TripStatus.CANCELLED),
)
HOTELS = (HotelInput("najaf", "Qasr al-Dur", 3), HotelInput("karbala", "Al-Kafeel Hotel", 3))


def _trip(actor, ministry, title, offset, length, size, target, profiles) -> Trip:
    today = timezone.localdate()
    start = today + datetime.timedelta(days=offset)
    as_of = start - datetime.timedelta(days=20)
    trip = services.trip_create(
        actor=actor,
        data=TripInput(
            title=title,
            departure_date=start,
            return_date=start + datetime.timedelta(days=length),
            outbound_from="LHE" if size % 2 else "KHI",
            outbound_to="NJF",
            return_from="NJF" if size % 3 else "BGW",
            return_to="LHE" if size % 2 else "KHI",
            outbound_flight="PK 719",
            return_flight="PK 720",
            capacity=size + 5,
            price_pkr=320_000 + 1_000 * length,
            hotels=HOTELS,
        ),
    )
    leaders = max(1, -(-size // 50)) + (1 if size > 30 else 0)
    chosen = profiles[:size]
    services.members_add(actor=actor, trip_uid=trip.uid,
                         profile_uids=[p.uid for p in chosen[:leaders]], role="leader")  # fmt: skip
    services.members_add(actor=actor, trip_uid=trip.uid,
                         profile_uids=[p.uid for p in chosen[leaders:]])  # fmt: skip
    if target == TripStatus.DRAFT:
        return trip
    services.trip_submit(actor=actor, uid=trip.uid, today=as_of)
    if target == TripStatus.SUBMITTED:
        return trip
    if target == TripStatus.CANCELLED:
        services.trip_advance(actor=actor, uid=trip.uid, to=TripStatus.CANCELLED,
                              reason="Airspace closed; refunds under way.")  # fmt: skip
        return trip
    services.trip_decide(actor=ministry, uid=trip.uid, approve=True)
    if target == TripStatus.APPROVED:
        return trip
    services.trip_advance(actor=actor, uid=trip.uid, to=TripStatus.DEPARTED, today=start)
    if target == TripStatus.DEPARTED:
        return trip
    services.trip_advance(actor=actor, uid=trip.uid, to=TripStatus.RETURNED, today=start)
    back = timezone.now() - datetime.timedelta(days=max(0, -(offset + length)))
    with scopes_disabled():
        members = list(Member.objects.filter(trip=trip).values_list("uid", flat=True))
    # One pilgrim of the returned trip has not come back: an overstay to resolve.
    missing = 1 if target == TripStatus.RETURNED else 0
    for uid in members[missing:]:
        services.member_return_record(actor=actor, uid=uid, at=back)
    if target == TripStatus.CLOSED:
        services.trip_advance(actor=actor, uid=trip.uid, to=TripStatus.CLOSED)
    return trip


def trips_demo(*, actor, ministry, plan=PLAN) -> list[Trip]:
    """The organiser of `actor` gets the trips of `plan`, once. Each trip takes its members
    from pilgrims not yet on a trip."""
    with scopes_disabled():
        if Trip.objects.filter(organiser_id=actor.organiser_id).exists():
            return list(Trip.objects.filter(organiser_id=actor.organiser_id))
        pool = list(PilgrimProfile.objects.filter(organiser_id=actor.organiser_id).order_by("pk"))
    made = []
    for title, offset, length, size, target in plan:
        profiles, pool = pool[:size], pool[size:]
        if len(profiles) < size:
            break
        trip = _trip(actor, ministry, title, offset, length, size, target, profiles)
        trip.refresh_from_db()  # the services moved it on through instances of their own
        made.append(trip)
    return made
