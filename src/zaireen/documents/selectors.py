"""Reads behind the printed documents and exports, each scoped to the acting user.

A trip's documents are printed by its organiser's admins and staff; ministry and consular
officers may read the trip manifest, with a reason that goes into the access log. Every
builder runs a fixed number of queries whatever the size of the trip.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from zaireen.core.access import access_log_record
from zaireen.core.errors import NotFound, ValidationFailed
from zaireen.core.models import AccessReason
from zaireen.core.permissions import is_official, is_organiser_user, tenant_scope
from zaireen.core.roles import Role
from zaireen.documents.cards import card_url, qr_data_uri
from zaireen.documents.emergency import ARABIC, ENGLISH, URDU, WORDINGS
from zaireen.documents.templatetags.documents import phone
from zaireen.pilgrims.models import PilgrimProfile
from zaireen.pilgrims.photos import photo_data_uris
from zaireen.trips.logistics import hotel_nights
from zaireen.trips.models import (
    LEADING_ROLES,
    LegKind,
    Member,
    MemberRole,
    PilgrimCard,
    Room,
    RoomOccupant,
    SeatAssignment,
    Trip,
    TripHotel,
    Vehicle,
)
from zaireen.trips.selectors import trip_get_for

STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
# Shown, and printed, until the setting is made: never a number that might be wrong.
EMBASSY_PHONE_PLACEHOLDER = "+964 … (set ZAIREEN_EMBASSY_PHONE)"


def embassy_phone() -> str:
    return getattr(settings, "ZAIREEN_EMBASSY_PHONE", EMBASSY_PHONE_PLACEHOLDER)


def embassy_phone_is_set() -> bool:
    return embassy_phone() != EMBASSY_PHONE_PLACEHOLDER


def _is_staff_of(actor: Any, trip: Trip) -> bool:
    return (
        is_organiser_user(actor) and actor.role in STAFF and actor.organiser_id == trip.organiser_id
    )


def trip_for_documents(*, actor: Any, uid: Any) -> Trip:
    """A trip whose documents `actor` prints: its organiser's admins and staff only."""
    trip = trip_get_for(actor=actor, uid=uid)
    if not _is_staff_of(actor, trip):
        raise NotFound(_("No such trip."))
    return trip


def trip_for_manifest(*, actor: Any, uid: Any, reason: str = "") -> Trip:
    """The trip for its manifest: its organiser's staff, or an official with a reason.

    An official's read is recorded in the personal-data access log; without a reason from
    `AccessReason` it is refused with `ValidationFailed(reason=…)`.
    """
    trip = trip_get_for(actor=actor, uid=uid)
    if _is_staff_of(actor, trip):
        return trip
    if not is_official(actor):
        raise NotFound(_("No such trip."))
    if reason not in AccessReason.values:
        raise ValidationFailed(reason=_("choose a reason from the list"))
    access_log_record(
        actor=actor,
        what=f"trip manifest {trip.code}",
        reason=reason,
        organiser=trip.organiser,
    )
    return trip


# --- Building blocks -----------------------------------------------------------------------


def _leaders_first(member: Member) -> tuple:
    return (
        member.role not in LEADING_ROLES,
        member.role != MemberRole.LEADER,
        member.profile.surname,
        member.profile.given_names,
    )


def trip_members(*, actor: Any, trip: Trip) -> list[Member]:
    """The trip's members with their profiles: leaders and deputies first, then by name."""
    with tenant_scope(actor):
        members = list(trip.members.select_related("profile"))
    members.sort(key=_leaders_first)
    return members


def leaders_of(members: list[Member]) -> list[Member]:
    return [m for m in members if m.role in LEADING_ROLES]


def valid_cards(*, actor: Any, trip: Trip) -> dict[int, PilgrimCard]:
    """The newest valid card of each member of the trip, by member id."""
    with tenant_scope(actor):
        cards = PilgrimCard.objects.filter(member__trip=trip, revoked_at=None).order_by(
            "issued_at", "id"
        )
        return {card.member_id: card for card in cards}


@dataclass
class Stay:
    hotel: TripHotel
    first_night: datetime.date
    last_night: datetime.date
    rooms: list[Room]
    unassigned: list[Member] = field(default_factory=list)

    @property
    def check_out(self) -> datetime.date:
        return self.last_night + datetime.timedelta(days=1)

    @property
    def nights(self) -> int:
        return (self.last_night - self.first_night).days + 1


def rooming(*, actor: Any, trip: Trip, members: list[Member]) -> list[Stay]:
    """Each hotel stay with its nights, its rooms and occupants, and who has no room yet."""
    stays = hotel_nights(trip)
    with tenant_scope(actor):
        rooms = list(
            Room.objects.filter(hotel__trip=trip)
            .order_by("number")
            .prefetch_related(
                Prefetch(
                    "occupants",
                    queryset=RoomOccupant.objects.select_related("member__profile").order_by(
                        "member__profile__surname", "member__profile__given_names"
                    ),
                )
            )
        )
    by_hotel: dict[int, list[Room]] = {}
    for room in rooms:
        by_hotel.setdefault(room.hotel_id, []).append(room)
    result = []
    for hotel, first, last in stays:
        hotel_rooms = by_hotel.get(hotel.pk, [])
        roomed = {o.member_id for room in hotel_rooms for o in room.occupants.all()}
        result.append(
            Stay(
                hotel=hotel,
                first_night=first,
                last_night=last,
                rooms=hotel_rooms,
                unassigned=[m for m in members if m.pk not in roomed and m.returned_at is None],
            )
        )
    return result


def vehicles(*, actor: Any, trip: Trip, uid: Any = None) -> list[Vehicle]:
    """The trip's vehicles (or the one with `uid`) with their legs and seated members."""
    with tenant_scope(actor):
        found = list(
            Vehicle.objects.filter(trip=trip, **({"uid": uid} if uid else {}))
            .select_related("leg__from_city", "leg__to_city")
            .prefetch_related(
                Prefetch(
                    "seat_assignments",
                    queryset=SeatAssignment.objects.select_related("member__profile").order_by(
                        "seat"
                    ),
                )
            )
            .order_by("leg__position", "plate")
        )
    if uid and not found:
        raise NotFound(_("No such vehicle."))
    return found


def flight_legs(trip: Trip) -> list:
    return list(
        trip.legs.filter(kind=LegKind.FLIGHT)
        .select_related("from_city", "to_city")
        .order_by("position")
    )


# --- Documents -----------------------------------------------------------------------------


def _common(actor: Any, trip: Trip) -> dict[str, Any]:
    members = trip_members(actor=actor, trip=trip)
    return {
        "trip": trip,
        "organiser": trip.organiser,
        "members": members,
        "leaders": leaders_of(members),
        "embassy_phone": embassy_phone(),
        "embassy_phone_set": embassy_phone_is_set(),
    }


def manifest_context(*, actor: Any, trip: Trip) -> dict[str, Any]:
    context = _common(actor, trip)
    context.update(
        flights=flight_legs(trip),
        stays=hotel_nights(trip),
    )
    return context


def vehicles_context(*, actor: Any, trip: Trip, uid: Any = None) -> dict[str, Any]:
    context = _common(actor, trip)
    context["vehicles"] = vehicles(actor=actor, trip=trip, uid=uid)
    return context


def rooming_context(*, actor: Any, trip: Trip) -> dict[str, Any]:
    context = _common(actor, trip)
    context["stays"] = rooming(actor=actor, trip=trip, members=context["members"])
    return context


@dataclass
class PrintedCard:
    member: Member
    card: PilgrimCard
    url: str
    qr: str  # a data: URI of the PNG
    photo: str = ""  # a data: URI of the JPEG, "" without one


def cards_context(*, actor: Any, trip: Trip) -> dict[str, Any]:
    """Every member with a valid card, its QR and code; and the members left without one."""
    context = _common(actor, trip)
    cards = valid_cards(actor=actor, trip=trip)
    pictures = photo_data_uris([m.profile_id for m in context["members"]])
    printed, missing = [], []
    for member in context["members"]:
        card = cards.get(member.pk)
        if card is None:
            missing.append(member)
            continue
        url = card_url(card)
        printed.append(
            PrintedCard(
                member=member,
                card=card,
                url=url,
                qr=qr_data_uri(url),
                photo=pictures.get(member.profile_id, ""),
            )
        )
    leaders = context["leaders"]
    context.update(
        cards=printed,
        without_card=missing,
        leader=leaders[0] if leaders else None,
    )
    return context


def emergency_context(*, actor: Any, trip: Trip) -> dict[str, Any]:
    """The cards' context and the emergency card's fixed wording, with the numbers to call."""
    context = cards_context(actor=actor, trip=trip)

    def label(attr: str) -> dict[str, str]:
        return {w.lang: getattr(w, attr) for w in WORDINGS}

    leader = context["leader"]
    calls = [
        (label("organiser"), phone(trip.organiser.phone)),
        (label("embassy"), context["embassy_phone"]),
    ]
    if leader is not None and leader.profile.phone:
        calls.insert(0, (label("leader"), phone(leader.profile.phone)))
    context.update(
        wording={"en": ENGLISH, "ur": URDU, "ar": ARABIC, "all": WORDINGS},
        calls=calls,
    )
    return context


@dataclass
class DocumentsPage:
    trip: Trip
    members: list[Member]
    cards: dict[int, PilgrimCard]
    vehicles: list[Vehicle]
    stays: list[Stay]
    embassy_phone_set: bool

    @property
    def without_card(self) -> list[Member]:
        return [m for m in self.members if m.pk not in self.cards]

    @property
    def carded(self) -> list[tuple[Member, PilgrimCard]]:
        return [(m, self.cards[m.pk]) for m in self.members if m.pk in self.cards]

    @property
    def unseated(self) -> dict[int, int]:
        """Members without a seat, by leg id, for the legs that have vehicles."""
        legs: dict[int, set[int]] = {}
        for vehicle in self.vehicles:
            seated = legs.setdefault(vehicle.leg_id, set())
            seated.update(a.member_id for a in vehicle.seat_assignments.all())
        active = [m.pk for m in self.members if m.returned_at is None]
        return {leg: sum(1 for m in active if m not in seated) for leg, seated in legs.items()}


def documents_page(*, actor: Any, uid: Any) -> DocumentsPage:
    trip = trip_for_documents(actor=actor, uid=uid)
    members = trip_members(actor=actor, trip=trip)
    return DocumentsPage(
        trip=trip,
        members=members,
        cards=valid_cards(actor=actor, trip=trip),
        vehicles=vehicles(actor=actor, trip=trip),
        stays=rooming(actor=actor, trip=trip, members=members),
        embassy_phone_set=embassy_phone_is_set(),
    )


# --- Exports -------------------------------------------------------------------------------


def _yes(flag: bool) -> str:
    return _("yes") if flag else ""


def _identity_header() -> list[str]:
    return [
        _("Sex"), _("Date of birth"), _("CNIC"), _("Passport number"), _("Issuing state"),
        _("Passport expiry"), _("Mobile phone"), _("Next of kin"), _("Relation"),
        _("Next of kin's phone"), _("Blood group"), _("Wheelchair"), _("Elderly care"),
    ]  # fmt: skip


def _identity_cells(p: PilgrimProfile) -> list[Any]:
    return [
        p.get_sex_display(), p.birth_date, p.cnic, p.passport_number, p.passport_issuing_state,
        p.passport_expiry, p.phone, p.next_of_kin_name, p.next_of_kin_relation,
        p.next_of_kin_phone, p.blood_group, _yes(p.needs_wheelchair), _yes(p.needs_elderly_care),
    ]  # fmt: skip


def roster_table(members: list[Member]) -> tuple[list[str], list[list[Any]]]:
    """A trip's roster for a spreadsheet: the organiser's own data, identifiers included."""
    header = [
        _("No."), _("Surname"), _("Given names"), _("Name in Urdu"), _("Role"),
        *_identity_header(), _("Visa"), _("Visa number"), _("Returned"),
    ]  # fmt: skip
    rows = []
    for n, m in enumerate(members, start=1):
        p = m.profile
        returned = timezone.localdate(m.returned_at) if m.returned_at else ""
        rows.append(
            [n, p.surname, p.given_names, p.name_urdu, m.get_role_display(),
             *_identity_cells(p), m.get_visa_status_display(), m.visa_number, returned]
        )  # fmt: skip
    return header, rows


def pilgrims_table(profiles: Iterable[PilgrimProfile]) -> tuple[list[str], list[list[Any]]]:
    """The organiser's pilgrims register for a spreadsheet."""
    header = [
        _("Surname"), _("Given names"), _("Name in Urdu"), _("Father's or husband's name"),
        *_identity_header(), _("Registered"),
    ]  # fmt: skip
    rows = [_pilgrim_row(p) for p in profiles]
    return header, rows


def _pilgrim_row(p: PilgrimProfile) -> list[Any]:
    return [
        p.surname, p.given_names, p.name_urdu, p.guardian_name, *_identity_cells(p),
        timezone.localdate(p.created_at),
    ]  # fmt: skip
