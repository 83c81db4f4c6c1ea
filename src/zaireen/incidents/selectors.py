"""Reads of the incidents app, each scoped to the acting user.

Who sees what:
- an incident: its organiser's admins and staff, ministry and consular officers, and the
  leaders of its trip; anyone else is told it does not exist;
- the accident manifest (passport numbers, blood groups, next of kin): its organiser's admins
  and staff, and officials after giving a reason, logged in the personal-data access log;
- the stranding census: whoever sees the incident;
- SOS alerts: the organiser's admins and staff, officials (read only) and the trip's leaders.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.core.access import access_log_record
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.models import AccessReason
from zaireen.core.permissions import is_official, is_organiser_user, tenant_scope
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role
from zaireen.incidents import sms
from zaireen.incidents.models import (
    Incident,
    IncidentKind,
    IncidentStatus,
    SosAlert,
    SosReason,
    SosStatus,
    StrandingCheck,
)
from zaireen.trips.logistics import current_holders
from zaireen.trips.models import (
    LEADING_ROLES,
    Holder,
    Member,
    PilgrimCard,
    SeatAssignment,
    Trip,
    TripStatus,
    Vehicle,
)

STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
OVER = (TripStatus.CLOSED, TripStatus.CANCELLED)


def is_staff_of(actor: Any, organiser_id: int) -> bool:
    return is_organiser_user(actor) and actor.role in STAFF and actor.organiser_id == organiser_id


def led_trip_ids(actor: Any) -> set[int]:
    """The trips the actor leads (as leader or deputy), through the person their login is
    bound to; a pilgrim's login leads nothing."""
    if not (actor.is_authenticated and actor.is_active and actor.person_id):
        return set()
    if actor.role != Role.GROUP_LEADER:
        return set()
    with scopes_disabled():
        return set(
            Member.objects.filter(person_id=actor.person_id, role__in=LEADING_ROLES).values_list(
                "trip_id", flat=True
            )
        )


def leads_trip(actor: Any, trip_id: int) -> bool:
    return trip_id in led_trip_ids(actor)


# --- Incidents ------------------------------------------------------------------------------


def _incidents() -> QuerySet[Incident]:
    return Incident.objects.select_related("trip__organiser", "city", "reported_by", "closed_by")


def incident_list_for(
    *,
    actor: Any,
    kind: str = "",
    status: str = "",
    severity: str = "",
    q: str = "",
) -> QuerySet[Incident]:
    """Incidents the actor may list: organiser staff their organiser's, officials all of
    them, a group leader those of the trips they lead."""
    led = led_trip_ids(actor) if actor.is_authenticated else set()
    if is_official(actor) or (is_organiser_user(actor) and actor.role in STAFF):
        with tenant_scope(actor):
            incidents = _incidents().all()
    elif actor.is_authenticated and actor.role == Role.GROUP_LEADER:
        with scopes_disabled():
            incidents = _incidents().filter(trip_id__in=led)
    else:
        raise NotAllowed(_("Only organisers, their leaders and officials see incidents."))
    if kind in IncidentKind.values:
        incidents = incidents.filter(kind=kind)
    if status in IncidentStatus.values:
        incidents = incidents.filter(status=status)
    if severity:
        incidents = incidents.filter(severity=severity)
    if q:
        incidents = incidents.filter(
            Q(description__icontains=q)
            | Q(place__icontains=q)
            | Q(trip__code__icontains=q)
            | Q(city__name__icontains=q)
        )
    return incidents.order_by("-occurred_at", "-id")


def incident_get_for(*, actor: Any, uid: Any) -> Incident:
    """An incident the actor may see, else `NotFound` (another organiser's too)."""
    if not actor.is_authenticated:
        raise NotFound(_("No such incident."))
    with scopes_disabled():
        incident = one_or_none(_incidents().filter(uid=uid))
    if incident is None:
        raise NotFound(_("No such incident."))
    if (
        is_official(actor)
        or is_staff_of(actor, incident.organiser_id)
        or leads_trip(actor, incident.trip_id)
    ):
        return incident
    raise NotFound(_("No such incident."))


def incident_detail(incident: Incident) -> dict[str, Any]:
    """The members, vehicles and notes of an incident, in a fixed number of queries."""
    with scopes_disabled():
        members = list(
            incident.members.select_related("profile").order_by(
                "profile__surname", "profile__given_names"
            )
        )
        vehicles = list(
            incident.vehicles.select_related("leg__from_city", "leg__to_city").order_by(
                "leg__position", "plate"
            )
        )
        notes = list(incident.notes.select_related("by"))
    return {"members": members, "vehicles": vehicles, "notes": notes}


def may_write(actor: Any, incident: Incident) -> bool:
    """Notes and the census: the organiser's staff and the trip's leaders."""
    return is_staff_of(actor, incident.organiser_id) or leads_trip(actor, incident.trip_id)


def may_close(actor: Any, incident: Incident) -> bool:
    return is_staff_of(actor, incident.organiser_id)


def reporting_trips_for(*, actor: Any) -> list[Trip]:
    """The trips the actor may report an incident on: not over, of their organiser (staff)
    or led by them (a group leader)."""
    with scopes_disabled():
        trips = Trip.objects.exclude(status__in=OVER).order_by("-departure_date", "code")
        if is_organiser_user(actor) and actor.role in STAFF:
            return list(trips.filter(organiser_id=actor.organiser_id))
        if actor.is_authenticated and actor.role == Role.GROUP_LEADER:
            return list(trips.filter(pk__in=led_trip_ids(actor)))
    return []


def trip_for_reporting(*, actor: Any, uid: Any) -> Trip:
    for trip in reporting_trips_for(actor=actor):
        if str(trip.uid) == str(uid):
            return trip
    raise NotFound(_("No such trip."))


def trip_people(trip: Trip) -> tuple[list[Member], list[Vehicle]]:
    """A trip's members (not yet home) and vehicles, for the incident form's choices."""
    with scopes_disabled():
        members = list(
            trip.members.filter(returned_at=None)
            .select_related("profile")
            .order_by("profile__surname", "profile__given_names")
        )
        vehicles = list(
            trip.vehicles.select_related("leg__from_city", "leg__to_city").order_by(
                "leg__position", "plate"
            )
        )
    return members, vehicles


# --- The accident manifest ------------------------------------------------------------------


@dataclass
class ManifestRow:
    seat: int
    member: Member

    @property
    def profile(self):
        return self.member.profile

    @property
    def needs(self) -> list[str]:
        p = self.member.profile
        needs = []
        if p.needs_wheelchair:
            needs.append(str(_("wheelchair")))
        if p.needs_elderly_care:
            needs.append(str(_("elderly, needs help")))
        return needs


@dataclass
class VehicleManifest:
    vehicle: Vehicle
    rows: list[ManifestRow]


@dataclass
class Manifest:
    trip: Trip
    vehicles: list[VehicleManifest]
    incident: Incident | None = None
    leaders: list[Member] = field(default_factory=list)

    @property
    def people(self) -> int:
        return sum(len(v.rows) for v in self.vehicles)


def _manifest_access(actor: Any, *, organiser_id: int, what: str, reason: str, trip) -> None:
    """Organiser staff read their own; an official gives a reason, logged; others not found."""
    if is_staff_of(actor, organiser_id):
        return
    if not is_official(actor):
        raise NotFound(_("No such vehicle."))
    if reason not in AccessReason.values:
        raise ValidationFailed(reason=_("choose a reason from the list"))
    access_log_record(actor=actor, what=what, reason=reason, organiser=trip.organiser)


def _build_manifest(trip: Trip, vehicle_filter: Q) -> tuple[list[VehicleManifest], list[Member]]:
    """Two queries whatever the size of the bus: the vehicles with their legs, and every seat
    of them with its member and profile; one more for the trip's leaders."""
    with scopes_disabled():
        vehicles = list(
            Vehicle.objects.filter(vehicle_filter)
            .select_related("leg__from_city", "leg__to_city")
            .prefetch_related(
                Prefetch(
                    "seat_assignments",
                    # The CNIC is not on the manifest: not loaded, so never decrypted.
                    queryset=SeatAssignment.objects.select_related("member__profile")
                    .defer("member__profile__cnic")
                    .order_by("seat"),
                )
            )
            .order_by("leg__position", "plate")
        )
        leaders = list(
            Member.objects.filter(trip=trip, role__in=LEADING_ROLES)
            .select_related("profile")
            .order_by("role", "profile__surname")
        )
    out = []
    for vehicle in vehicles:
        # A seat is for one leg: the vehicle's own (the constraint on SeatAssignment keeps a
        # member to one seat per leg; a row of another leg would be a stale assignment).
        rows = [
            ManifestRow(seat=a.seat, member=a.member)
            for a in vehicle.seat_assignments.all()
            if a.leg_id == vehicle.leg_id
        ]
        out.append(VehicleManifest(vehicle=vehicle, rows=rows))
    return out, leaders


def manifest_for_incident(*, actor: Any, uid: Any, reason: str = "") -> Manifest:
    """The accident manifest of every vehicle an incident names."""
    incident = incident_get_for(actor=actor, uid=uid)
    _manifest_access(
        actor,
        organiser_id=incident.organiser_id,
        what=f"accident manifest of incident {incident.uid} (trip {incident.trip.code})",
        reason=reason,
        trip=incident.trip,
    )
    ids = list(incident.vehicles.values_list("pk", flat=True))
    if not ids:
        raise ValidationFailed(vehicles=_("this incident names no vehicle"))
    vehicles, leaders = _build_manifest(incident.trip, Q(pk__in=ids))
    return Manifest(trip=incident.trip, vehicles=vehicles, incident=incident, leaders=leaders)


def manifest_for_vehicle(*, actor: Any, uid: Any, reason: str = "") -> Manifest:
    """The accident manifest of one vehicle on its leg."""
    if not actor.is_authenticated:
        raise NotFound(_("No such vehicle."))
    with scopes_disabled():
        vehicle = one_or_none(Vehicle.objects.select_related("trip__organiser").filter(uid=uid))
    if vehicle is None:
        raise NotFound(_("No such vehicle."))
    trip = vehicle.trip
    _manifest_access(
        actor,
        organiser_id=trip.organiser_id,
        what=f"accident manifest of vehicle {vehicle.plate} (trip {trip.code})",
        reason=reason,
        trip=trip,
    )
    vehicles, leaders = _build_manifest(trip, Q(pk=vehicle.pk))
    return Manifest(trip=trip, vehicles=vehicles, leaders=leaders)


# --- The stranding census -------------------------------------------------------------------


@dataclass
class CensusRow:
    member: Member
    check: StrandingCheck | None
    holder_now: str  # the passport's holder by the custody record, for a row not checked yet


@dataclass
class Census:
    incident: Incident
    rows: list[CensusRow]
    totals: dict[str, dict[str, int]]
    holders: dict[str, int]

    @property
    def affected(self) -> int:
        return len(self.rows)

    @property
    def checked(self) -> int:
        return sum(1 for r in self.rows if r.check is not None)

    @property
    def not_checked(self) -> int:
        return self.affected - self.checked


CENSUS_QUESTIONS = ("has_medicine", "has_money", "has_ticket")


def _tally(rows: list[CensusRow]) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Per question: yes, no and not answered, adding up to the affected members; passports
    by holder (custody record where the leader has not said), adding up to them too."""
    totals = {}
    for question in CENSUS_QUESTIONS:
        answers = Counter(
            "unknown" if r.check is None or getattr(r.check, question) is None
            else ("yes" if getattr(r.check, question) else "no")
            for r in rows
        )  # fmt: skip
        totals[question] = {k: answers.get(k, 0) for k in ("yes", "no", "unknown")}
    holders = Counter(
        (r.check.passport_holder if r.check and r.check.passport_holder else r.holder_now)
        for r in rows
    )
    return totals, {h: holders[h] for h in Holder.values if holders.get(h)}


def census_for(*, actor: Any, uid: Any) -> Census:
    """The census of a stranding: one row per affected member, with totals that add up."""
    incident = incident_get_for(actor=actor, uid=uid)
    if incident.kind != IncidentKind.STRANDING:
        raise NotFound(_("Only a stranding has a census."))
    with scopes_disabled():
        members = list(
            incident.members.select_related("profile").order_by(
                "profile__surname", "profile__given_names"
            )
        )
        checks = {
            c.member_id: c
            for c in StrandingCheck.objects.filter(incident=incident).select_related("checked_by")
        }
    custody = current_holders(members)
    rows = [
        CensusRow(
            member=m,
            check=checks.get(m.pk),
            holder_now=custody[m.pk].to_holder if custody.get(m.pk) else Holder.PILGRIM,
        )
        for m in members
    ]
    totals, holders = _tally(rows)
    return Census(incident=incident, rows=rows, totals=totals, holders=holders)


def may_message_census(actor: Any, incident: Incident) -> bool:
    """The organiser's staff and the ministry send the one message to the stranded."""
    return is_staff_of(actor, incident.organiser_id) or (
        actor.is_authenticated and actor.is_active and actor.role == Role.MINISTRY_OFFICER
    )


# --- SOS ------------------------------------------------------------------------------------


def _alerts() -> QuerySet[SosAlert]:
    return SosAlert.objects.select_related(
        "trip__organiser", "member__profile", "acknowledged_by", "closed_by"
    )


def sos_list_for(*, actor: Any, status: str = "active") -> QuerySet[SosAlert]:
    """SOS alerts for the alerts page: organiser staff their organiser's, officials all.
    `active` is open and acknowledged ones; `closed` the closed; anything else all of them."""
    if not (is_official(actor) or (is_organiser_user(actor) and actor.role in STAFF)):
        raise NotAllowed(_("Only organisers and officials see SOS alerts."))
    with tenant_scope(actor):
        alerts = _alerts().all()
    if status == "active":
        alerts = alerts.exclude(status=SosStatus.CLOSED)
    elif status == SosStatus.CLOSED:
        alerts = alerts.filter(status=SosStatus.CLOSED)
    return alerts.order_by("-received_at", "-id")


def sos_for_trip(*, actor: Any, trip: Trip) -> list[SosAlert]:
    """The trip's open and acknowledged alerts, for its leader page."""
    if not (is_staff_of(actor, trip.organiser_id) or leads_trip(actor, trip.pk)):
        return []
    with scopes_disabled():
        return list(_alerts().filter(trip=trip).exclude(status=SosStatus.CLOSED))


def trip_for_leader_alerts(*, actor: Any, uid: Any) -> Trip:
    with scopes_disabled():
        trip = one_or_none(Trip.objects.filter(uid=uid))
    if trip is None or not (is_staff_of(actor, trip.organiser_id) or leads_trip(actor, trip.pk)):
        raise NotFound(_("No such trip."))
    return trip


def open_strandings_for_trip(trip: Trip) -> list[Incident]:
    with scopes_disabled():
        return list(
            Incident.objects.filter(
                trip=trip, kind=IncidentKind.STRANDING, status=IncidentStatus.OPEN
            )
        )


def sos_get_for_handling(*, actor: Any, uid: Any) -> SosAlert:
    """An alert the actor acknowledges or closes: its organiser's staff, its trip's leaders."""
    with scopes_disabled():
        alert = one_or_none(_alerts().filter(uid=uid))
    if alert is None or not (
        is_staff_of(actor, alert.organiser_id) or leads_trip(actor, alert.trip_id)
    ):
        raise NotFound(_("No such SOS."))
    return alert


@dataclass
class SosButton:
    """What the SOS button of one membership needs, online and offline."""

    member: Member
    card_code: str
    hotline: str
    sms_preview: str

    @property
    def reasons(self) -> list[tuple[str, str]]:
        return SosReason.choices


def sos_allowed(member: Member, *, today: dt.date | None = None) -> bool:
    """A member may send an SOS while the trip is under way: once it has departed, or from
    the day before departure when it is approved (an organiser may mark the departure late),
    until it is closed or cancelled or the member's return is recorded. Not before: an SOS
    from a trip still being planned would reach a leader who is not yet on the road."""
    trip = member.trip
    if member.returned_at is not None or trip.status in OVER:
        return False
    if trip.status in (TripStatus.DEPARTED, TripStatus.RETURNED):
        return True
    today = today or timezone.localdate()
    return trip.status == TripStatus.APPROVED and today >= trip.departure_date - dt.timedelta(
        days=1
    )


def sos_button_for(member: Member) -> SosButton | None:
    """The SOS button for a member's own page, or None when the trip is over or the member
    is home. Reads the member's newest valid card (one query)."""
    if not sos_allowed(member):
        return None
    with scopes_disabled():
        card = (
            PilgrimCard.objects.filter(member=member, revoked_at=None)
            .order_by("-issued_at", "-id")
            .first()
        )
    code = card.code if card else ""
    body = sms.sos_sms_body(
        trip_code=member.trip.code, card_code=code, name=member.profile.full_name
    )
    return SosButton(
        member=member,
        card_code=code,
        hotline=sms.hotline_number(member.trip.organiser.phone),
        sms_preview=body,
    )


@functools.cache
def pole_rows() -> tuple[tuple[int, float, float], ...]:
    """The pole list as the browser has it (`/poles/poles.json`, rounded to 6 decimals)."""
    from zaireen.planning.poles import pole_list

    return tuple((p.pole, round(p.lat, 6), round(p.lon, 6)) for p in pole_list(every=1))
