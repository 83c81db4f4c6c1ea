"""Writes for a trip on the ground: legs, vehicles and seats, rooms, passport custody, ID cards.

Kept apart from `services` (the trip's lifecycle) because these change while a trip runs.
Each function is one use case in one transaction, with an audit entry.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.core.audit import audit_record
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.phones import normalise_phone
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role
from zaireen.places.models import City
from zaireen.trips.models import (
    LEADING_ROLES,
    Holder,
    LegKind,
    Member,
    PassportHandover,
    PilgrimCard,
    Room,
    RoomOccupant,
    SeatAssignment,
    Trip,
    TripHotel,
    TripLeg,
    TripStatus,
    Vehicle,
)

WRITERS = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
CLOSED = (TripStatus.CLOSED, TripStatus.CANCELLED)
# Crockford's base-32 without look-alikes: a card code is typed by hand where no camera works.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8


def _trip_for_writer(actor: Any, uid: Any, *, leader_may: bool = False) -> Trip:
    with scopes_disabled():
        trip = one_or_none(Trip.objects.select_for_update().filter(uid=uid))
        if trip is None:
            raise NotFound(_("No such trip."))
        staff = actor.role in WRITERS and actor.organiser_id == trip.organiser_id
        leader = (
            leader_may
            and actor.person_id
            and trip.members.filter(person_id=actor.person_id, role__in=LEADING_ROLES).exists()
        )
    if not (staff or leader):
        raise NotFound(_("No such trip."))
    if trip.status in CLOSED:
        raise ValidationFailed(status=_("the trip is over"))
    return trip


# --- Legs ------------------------------------------------------------------------------------


def leg_add(
    *,
    actor: Any,
    trip_uid: Any,
    kind: str,
    from_city: str,
    to_city: str,
    date: datetime.date | None,
    flight: str = "",
) -> TripLeg:
    errors: dict[str, list[str]] = {}
    if kind not in LegKind.values:
        errors["kind"] = [_("a flight or a road journey")]
    origin = one_or_none(City.objects.filter(slug=from_city))
    destination = one_or_none(City.objects.filter(slug=to_city))
    if origin is None:
        errors["from_city"] = [_("choose a city")]
    if destination is None:
        errors["to_city"] = [_("choose a city")]
    if origin and destination and origin == destination:
        errors["to_city"] = [_("a leg goes somewhere else")]
    if date is None:
        errors["date"] = [_("enter the date")]
    if len(flight) > 20:
        errors["flight"] = [_("at most 20 characters")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        trip = _trip_for_writer(actor, trip_uid)
        if not trip.departure_date <= date <= trip.return_date:
            raise ValidationFailed(date=_("within the trip's dates"))
        position = trip.legs.count() + 1
        leg = TripLeg.objects.create(
            trip=trip,
            position=position,
            kind=kind,
            from_city=origin,
            to_city=destination,
            date=date,
            flight=flight.strip().upper(),
        )
        audit_record(
            actor=actor,
            action="zaireen.trip.leg.added",
            obj=trip,
            organiser=trip.organiser,
            changes={"leg": [None, str(leg)]},
        )
    return leg


# --- Vehicles and seats -------------------------------------------------------------------


def vehicle_add(
    *,
    actor: Any,
    trip_uid: Any,
    leg_uid: Any,
    kind: str,
    plate: str,
    driver_name: str,
    driver_phone: str,
    seats: int | None,
) -> Vehicle:
    errors: dict[str, list[str]] = {}
    if kind not in Vehicle.Kind.values:
        errors["kind"] = [_("choose a type")]
    plate, driver_name = plate.strip().upper(), " ".join(driver_name.split())
    if not plate or len(plate) > 20:
        errors["plate"] = [_("enter the plate (at most 20 characters)")]
    if not driver_name or len(driver_name) > 150:
        errors["driver_name"] = [_("enter the driver's name")]
    try:
        driver_phone = normalise_phone(driver_phone, field="driver_phone", region="IQ")
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if not seats or not 1 <= seats <= 90:
        errors["seats"] = [_("between 1 and 90")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        trip = _trip_for_writer(actor, trip_uid)
        leg = one_or_none(trip.legs.filter(uid=_uuid(leg_uid), kind=LegKind.ROAD))
        if leg is None:
            raise ValidationFailed(leg=_("choose a road leg of this trip"))
        vehicle = Vehicle.objects.create(
            trip=trip,
            leg=leg,
            kind=kind,
            plate=plate,
            driver_name=driver_name,
            driver_phone=driver_phone,
            seats=seats,
        )
        audit_record(
            actor=actor,
            action="zaireen.trip.vehicle.added",
            obj=trip,
            organiser=trip.organiser,
            changes={"vehicle": [None, plate]},
        )
    return vehicle


def seats_assign(*, actor: Any, trip_uid: Any, leg_uid: Any) -> int:
    """Seat every member without a seat on this leg, leaders first, filling vehicles in order.

    Fails, naming the shortfall, when the leg's vehicles have fewer seats than members.
    """
    with transaction.atomic():
        trip = _trip_for_writer(actor, trip_uid)
        leg = one_or_none(trip.legs.filter(uid=_uuid(leg_uid)))
        if leg is None:
            raise ValidationFailed(leg=_("choose a leg of this trip"))
        vehicles = list(leg.vehicles.order_by("plate"))
        with scopes_disabled():
            members = list(
                trip.members.filter(returned_at=None)
                .exclude(seats__leg=leg)
                .select_related("profile")
                .order_by("role", "profile__surname", "profile__given_names")
            )
        members.sort(key=lambda m: m.role not in LEADING_ROLES)
        taken = {(a.vehicle_id, a.seat) for a in SeatAssignment.objects.filter(leg=leg)}
        free = [(v, s) for v in vehicles for s in range(1, v.seats + 1) if (v.pk, s) not in taken]
        if len(free) < len(members):
            raise ValidationFailed(
                seats=_("%(n)d members, %(free)d free seats on this leg: add a vehicle")
                % {"n": len(members), "free": len(free)}
            )
        SeatAssignment.objects.bulk_create(
            SeatAssignment(vehicle=v, leg=leg, member=m, seat=s)
            for m, (v, s) in zip(members, free, strict=False)
        )
        audit_record(
            actor=actor,
            action="zaireen.trip.seats.assigned",
            obj=trip,
            organiser=trip.organiser,
            changes={"seated": [None, len(members)]},
        )
    return len(members)


# --- Rooms ---------------------------------------------------------------------------------


def rooms_assign(*, actor: Any, trip_uid: Any, hotel_id: int, beds: int = 4) -> int:
    """Put every member without a room at this hotel into numbered rooms of `beds` beds,
    keeping families (same surname) together as far as the beds allow."""
    if not 1 <= beds <= 12:
        raise ValidationFailed(beds=_("between 1 and 12 beds"))
    with transaction.atomic():
        trip = _trip_for_writer(actor, trip_uid)
        hotel = one_or_none(TripHotel.objects.filter(trip=trip, pk=hotel_id))
        if hotel is None:
            raise ValidationFailed(hotel=_("choose a hotel stay of this trip"))
        with scopes_disabled():
            members = list(
                trip.members.exclude(rooms__hotel=hotel)
                .select_related("profile")
                .order_by("profile__sex", "profile__surname", "profile__given_names")
            )
        number = 100 + hotel.rooms.count()
        # Men and women never share a room: each sex fills rooms of its own.
        for sex in sorted({m.profile.sex for m in members}):
            group = [m for m in members if m.profile.sex == sex]
            for i in range(0, len(group), beds):
                number += 1
                room = Room.objects.create(hotel=hotel, number=str(number), beds=beds)
                RoomOccupant.objects.bulk_create(
                    RoomOccupant(room=room, hotel=hotel, member=m) for m in group[i : i + beds]
                )
        audit_record(
            actor=actor,
            action="zaireen.trip.rooms.assigned",
            obj=trip,
            organiser=trip.organiser,
            changes={"roomed": [None, len(members)]},
        )
    return len(members)


def hotel_nights(trip: Trip) -> list[tuple[TripHotel, datetime.date, datetime.date]]:
    """Each hotel stay with its first and last night, in the order of the stays."""
    stays, night = [], trip.departure_date
    for hotel in trip.hotels.select_related("city").order_by("position", "id"):
        last = night + datetime.timedelta(days=hotel.nights - 1)
        stays.append((hotel, night, last))
        night = last + datetime.timedelta(days=1)
    return stays


# --- Passport custody ------------------------------------------------------------------------


def current_holders(members: list[Member]) -> dict[int, PassportHandover | None]:
    """The last handover of each member's passport (None: the pilgrim has always held it)."""
    ids = [m.pk for m in members]
    last: dict[int, PassportHandover | None] = dict.fromkeys(ids)
    with scopes_disabled():
        for handover in PassportHandover.objects.filter(member_id__in=ids).order_by("at", "id"):
            last[handover.member_id] = handover
    return last


def _handover(
    actor, member: Member, *, to: str, holder_name: str, place: str, at: datetime.datetime
) -> PassportHandover:
    with scopes_disabled():
        previous = member.handovers.order_by("-at", "-id").first()
    return PassportHandover.objects.create(
        member=member,
        organiser_id=member.organiser_id,
        from_holder=previous.to_holder if previous else Holder.PILGRIM,
        to_holder=to,
        holder_name=holder_name,
        place=place,
        at=at,
        recorded_by=actor,
    )


def passports_hand_over(
    *,
    actor: Any,
    trip_uid: Any,
    member_uids: list | None,
    to: str,
    place: str,
    holder_name: str = "",
    at: datetime.datetime | None = None,
) -> int:
    """Record that passports of a trip changed hands; `member_uids=None` means all of them
    (e.g. every passport to the airline at check-in): one action, one row per passport."""
    errors: dict[str, list[str]] = {}
    if to not in Holder.values:
        errors["to"] = [_("choose who holds the passports now")]
    place = " ".join((place or "").split())
    if not place or len(place) > 150:
        errors["place"] = [_("say where (at most 150 characters)")]
    if len(holder_name) > 150:
        errors["holder_name"] = [_("at most 150 characters")]
    if errors:
        raise ValidationFailed(errors)
    at = at or timezone.now()
    with transaction.atomic():
        trip = _trip_for_writer(actor, trip_uid, leader_may=True)
        with scopes_disabled():
            members = trip.members.filter(returned_at=None)
            if member_uids is not None:
                members = members.filter(uid__in=member_uids)
            members = list(members)
        if not members:
            raise ValidationFailed(members=_("no passport chosen"))
        for member in members:
            _handover(actor, member, to=to, holder_name=holder_name.strip(), place=place, at=at)
        audit_record(
            actor=actor,
            action="zaireen.trip.passports.handed_over",
            obj=trip,
            organiser=trip.organiser,
            changes={"to": [None, to], "count": [None, len(members)]},
        )
    return len(members)


def passport_receipt_confirm(*, actor: Any, handover_uid: Any) -> PassportHandover:
    """The pilgrim confirms they got their passport back (a handover to the pilgrim)."""
    with transaction.atomic(), scopes_disabled():
        handover = one_or_none(
            PassportHandover.objects.select_for_update()
            .select_related("member")
            .filter(uid=handover_uid, to_holder=Holder.PILGRIM)
        )
        if handover is None or not actor.person_id or handover.member.person_id != actor.person_id:
            raise NotFound(_("No such handover."))
        if handover.confirmed_at is None:
            handover.confirmed_at = timezone.now()
            handover.save(update_fields=["confirmed_at"])
    return handover


def passports_blocking_departure(trip: Trip) -> list[Member]:
    """Members whose passport is lost, or held by someone unnamed outside the group."""
    with scopes_disabled():
        members = list(trip.members.select_related("profile").filter(returned_at=None))
    holders = current_holders(members)
    return [
        m
        for m in members
        if holders[m.pk] is not None
        and (
            holders[m.pk].to_holder == Holder.LOST
            or (
                holders[m.pk].to_holder not in (Holder.PILGRIM, Holder.ORGANISER)
                and not holders[m.pk].holder_name
            )
        )
    ]


# --- ID cards ------------------------------------------------------------------------------


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def cards_issue(*, actor: Any, trip_uid: Any) -> int:
    """Give every member of the trip without a valid card a new one (token and card code)."""
    with transaction.atomic():
        trip = _trip_for_writer(actor, trip_uid)
        with scopes_disabled():
            carded = PilgrimCard.objects.filter(member__trip=trip, revoked_at=None)
            members = list(trip.members.exclude(pk__in=carded.values("member_id")))
        for member in members:
            for _attempt in range(5):
                try:
                    with transaction.atomic():
                        PilgrimCard.objects.create(
                            member=member,
                            organiser_id=member.organiser_id,
                            token=secrets.token_hex(16),
                            code=_new_code(),
                        )
                    break
                except IntegrityError:  # a code drawn twice: draw again
                    continue
        audit_record(
            actor=actor,
            action="zaireen.trip.cards.issued",
            obj=trip,
            organiser=trip.organiser,
            changes={"cards": [None, len(members)]},
        )
    return len(members)


def card_revoke(*, actor: Any, code: str, reason: str) -> PilgrimCard:
    """Revoke a lost card; its QR and code then resolve to nothing. Re-issue with `cards_issue`."""
    if actor.role not in WRITERS:
        raise NotAllowed(_("Only organiser staff revoke cards."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(reason=_("say why the card is revoked"))
    with transaction.atomic(), scopes_disabled():
        card = one_or_none(
            PilgrimCard.objects.select_for_update()
            .select_related("member__trip")
            .filter(code=code.strip().upper(), organiser_id=actor.organiser_id, revoked_at=None)
        )
        if card is None:
            raise NotFound(_("No valid card with this code."))
        card.revoked_at, card.revoked_reason = timezone.now(), reason[:200]
        card.save(update_fields=["revoked_at", "revoked_reason"])
        audit_record(
            actor=actor,
            action="zaireen.trip.card.revoked",
            obj=card.member.trip,
            organiser=card.member.trip.organiser,
            changes={"card": [card.code, None]},
            reason=reason,
        )
    return card
