"""Writes of the incidents app: incidents and their notes, the stranding census, SOS alerts.

Each function is one use case in one transaction with an audit entry; notifications are
queued inside it through `notifications.services.notify`, which sends after commit.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.core.audit import audit_record
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.queries import one_or_none
from zaireen.core.roles import PHONE_LOGIN_ROLES
from zaireen.incidents import selectors, sms
from zaireen.incidents.models import (
    Incident,
    IncidentKind,
    IncidentNote,
    IncidentStatus,
    Severity,
    SosAlert,
    SosReason,
    SosStatus,
    StrandingCheck,
)
from zaireen.places.models import City
from zaireen.planning.poles import load_gazetteer
from zaireen.trips.models import Holder, Member, Trip, Vehicle

MAX_TEXT = 4000
MAX_MESSAGE = 480  # three SMS parts
# A phone's clock may be off; an SOS stamped more than this in the future is refused.
CLOCK_SLACK = datetime.timedelta(minutes=10)
# An incident may be reported long after it happened, but not before the trip was planned.
MAX_AGE = datetime.timedelta(days=400)


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _text(value: str | None) -> str:
    return (value or "").strip()


def _link(name: str, *args: Any) -> str:
    return settings.ZAIREEN_BASE_URL + reverse(name, args=args)


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


def _notify(**kwargs: Any) -> list:
    from zaireen.notifications.services import notify

    return notify(**kwargs)


def _trip_recipients(trip: Trip) -> list:
    """The trip's leaders, its organiser's staff and the consulate."""
    from zaireen.notifications.services import recipients_consulate, recipients_for_trip

    return [*recipients_for_trip(trip), *recipients_consulate()]


# --- Incidents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentInput:
    kind: str
    severity: str
    occurred_at: datetime.datetime | None
    description: str
    city: str = ""  # a city's slug
    place: str = ""
    pole: int | None = None
    members: tuple[Any, ...] = field(default_factory=tuple)  # member UUIDs
    vehicles: tuple[Any, ...] = field(default_factory=tuple)  # vehicle UUIDs


def check_pole(pole: Any) -> int | None:
    """A pole number of the Najaf–Karbala gazetteer, or `ValidationFailed(pole=…)`."""
    if pole in (None, ""):
        return None
    count = load_gazetteer().pole_count
    try:
        number = int(str(pole).strip())
    except ValueError:
        raise ValidationFailed(pole=_("a pole number is a whole number")) from None
    if not 1 <= number <= count:
        raise ValidationFailed(
            pole=_("the poles on the Najaf–Karbala road are numbered 1 to %(n)d") % {"n": count}
        )
    return number


def _check_incident(data: IncidentInput, now: datetime.datetime) -> tuple[dict, City | None]:
    errors: dict[str, list[str]] = {}
    if data.kind not in IncidentKind.values:
        errors["kind"] = [_("choose what happened")]
    if data.severity not in Severity.values:
        errors["severity"] = [_("choose how serious it is")]
    if data.occurred_at is None:
        errors["occurred_at"] = [_("enter when it happened")]
    elif timezone.is_naive(data.occurred_at):
        errors["occurred_at"] = [_("give the time with its time zone")]
    elif data.occurred_at > now + CLOCK_SLACK:
        errors["occurred_at"] = [_("this time is in the future")]
    elif data.occurred_at < now - MAX_AGE:
        errors["occurred_at"] = [_("more than a year ago")]
    description = _text(data.description)
    if not description:
        errors["description"] = [_("say what happened")]
    elif len(description) > MAX_TEXT:
        errors["description"] = [_("at most %(n)d characters") % {"n": MAX_TEXT}]
    place = " ".join(_text(data.place).split())
    if len(place) > 200:
        errors["place"] = [_("at most 200 characters")]
    city = None
    if data.city:
        city = one_or_none(City.objects.filter(slug=data.city))
        if city is None:
            errors["city"] = [_("choose a city from the list")]
    try:
        pole = check_pole(data.pole)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        pole = None
    if not (data.city or place or data.pole not in (None, "")):
        errors["place"] = [_("give the city, the place or the pole number")]
    if data.kind == IncidentKind.ROAD_ACCIDENT and not data.vehicles:
        errors["vehicles"] = [_("name the vehicle of the accident")]
    if errors:
        raise ValidationFailed(errors)
    return {"description": description, "place": place, "pole": pole}, city


def incident_open(*, actor: Any, trip_uid: Any, data: IncidentInput) -> Incident:
    """Report an incident on a trip: its organiser's staff or its leaders. A stranding with no
    member named concerns every member not yet home. Leaders, staff and the consulate are
    notified."""
    now = timezone.now()
    clean, city = _check_incident(data, now)
    member_uids = {_uuid(u) for u in data.members}
    vehicle_uids = {_uuid(u) for u in data.vehicles}
    if None in member_uids:
        raise ValidationFailed(members=_("choose members of this trip"))
    if None in vehicle_uids:
        raise ValidationFailed(vehicles=_("choose vehicles of this trip"))
    with transaction.atomic():
        trip = selectors.trip_for_reporting(actor=actor, uid=trip_uid)
        with scopes_disabled():
            members = list(Member.objects.filter(trip=trip, uid__in=member_uids))
            if data.kind == IncidentKind.STRANDING and not member_uids:
                members = list(Member.objects.filter(trip=trip, returned_at=None))
        vehicles = list(Vehicle.objects.filter(trip=trip, uid__in=vehicle_uids))
        errors = {}
        if len(members) != len(member_uids) and member_uids:
            errors["members"] = [_("choose members of this trip")]
        if len(vehicles) != len(vehicle_uids):
            errors["vehicles"] = [_("choose vehicles of this trip")]
        if errors:
            raise ValidationFailed(errors)
        incident = Incident.objects.create(
            organiser_id=trip.organiser_id,
            trip=trip,
            kind=data.kind,
            severity=data.severity,
            occurred_at=data.occurred_at,
            city=city,
            reported_by=actor,
            **clean,
        )
        with scopes_disabled():
            incident.members.set(members)
            incident.vehicles.set(vehicles)
        audit_record(
            actor=actor,
            action="zaireen.incident.opened",
            obj=incident,
            organiser=trip.organiser,
            changes={
                "kind": [None, data.kind],
                "severity": [None, data.severity],
                "members": [None, len(members)],
                "vehicles": [None, len(vehicles)],
            },
        )
        _notify(
            topic="incident_opened",
            recipients=_trip_recipients(trip),
            context={
                "kind": str(incident.get_kind_display()),
                "severity": str(incident.get_severity_display()),
                "trip": trip.code,
                "organiser": trip.organiser.display_name,
                "when": _local(incident.occurred_at),
                "where": incident_place(incident),
                "members": str(len(members)),
                "link": _link("incidents:detail", incident.uid),
            },
            organiser=trip.organiser,
            about=incident,
        )
    return incident


def incident_place(incident: Incident) -> str:
    parts = [p for p in (incident.city.name if incident.city_id else "", incident.place) if p]
    if incident.pole:
        parts.append(_("pole %(n)d") % {"n": incident.pole})
    return ", ".join(parts)


def _incident_for_writing(actor: Any, uid: Any, *, close: bool = False) -> Incident:
    incident = selectors.incident_get_for(actor=actor, uid=uid)
    allowed = selectors.may_close if close else selectors.may_write
    if not allowed(actor, incident):
        raise NotAllowed(_("Only the organiser's staff and the trip's leaders write here."))
    with scopes_disabled():
        return (
            Incident.objects.select_for_update(of=("self",))
            .select_related("trip__organiser", "city")
            .get(pk=incident.pk)
        )


def incident_note_add(*, actor: Any, uid: Any, text: str) -> IncidentNote:
    text = _text(text)
    if not text:
        raise ValidationFailed(text=_("write the note"))
    if len(text) > MAX_TEXT:
        raise ValidationFailed(text=_("at most %(n)d characters") % {"n": MAX_TEXT})
    with transaction.atomic():
        incident = _incident_for_writing(actor, uid)
        if incident.status == IncidentStatus.CLOSED:
            raise ValidationFailed(text=_("the incident is closed"))
        note = IncidentNote.objects.create(incident=incident, text=text, by=actor)
        audit_record(
            actor=actor,
            action="zaireen.incident.noted",
            obj=incident,
            organiser=incident.trip.organiser,
        )
    return note


def incident_close(*, actor: Any, uid: Any, note: str) -> Incident:
    """Close an open incident with a note saying how it ended: the organiser's staff."""
    note = _text(note)
    if not note:
        raise ValidationFailed(note=_("say how it ended"))
    if len(note) > MAX_TEXT:
        raise ValidationFailed(note=_("at most %(n)d characters") % {"n": MAX_TEXT})
    with transaction.atomic():
        incident = _incident_for_writing(actor, uid, close=True)
        if incident.status == IncidentStatus.CLOSED:
            raise ValidationFailed(note=_("the incident is already closed"))
        incident.status = IncidentStatus.CLOSED
        incident.closed_at, incident.closed_by, incident.closing_note = timezone.now(), actor, note
        incident.save(update_fields=["status", "closed_at", "closed_by", "closing_note"])
        audit_record(
            actor=actor,
            action="zaireen.incident.closed",
            obj=incident,
            organiser=incident.trip.organiser,
            changes={"status": [IncidentStatus.OPEN, IncidentStatus.CLOSED]},
            reason=note[:500],
        )
    return incident


# --- The stranding census -------------------------------------------------------------------


def _yes_no(value: Any, name: str, errors: dict) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true", "1", "on"):
        return True
    if text in ("no", "false", "0"):
        return False
    errors[name] = [_("yes, no or not asked yet")]
    return None


def census_check_record(
    *,
    actor: Any,
    uid: Any,
    member_uid: Any,
    has_medicine: Any = None,
    has_money: Any = None,
    has_ticket: Any = None,
    passport_holder: str = "",
    note: str = "",
) -> StrandingCheck:
    """Record (or correct) one affected member's checklist: a leader on the phone, or staff."""
    errors: dict[str, list[str]] = {}
    answers = {
        "has_medicine": _yes_no(has_medicine, "has_medicine", errors),
        "has_money": _yes_no(has_money, "has_money", errors),
        "has_ticket": _yes_no(has_ticket, "has_ticket", errors),
    }
    if passport_holder and passport_holder not in Holder.values:
        errors["passport_holder"] = [_("choose who holds the passport")]
    note = " ".join(_text(note).split())
    if len(note) > 300:
        errors["note"] = [_("at most 300 characters")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        incident = _incident_for_writing(actor, uid)
        if incident.kind != IncidentKind.STRANDING:
            raise NotFound(_("Only a stranding has a census."))
        if incident.status == IncidentStatus.CLOSED:
            raise ValidationFailed(member=_("the incident is closed"))
        with scopes_disabled():
            member = one_or_none(incident.members.filter(uid=_uuid(member_uid)))
            if member is None:
                raise ValidationFailed(member=_("not one of the stranded members"))
            check, _created = StrandingCheck.objects.update_or_create(
                incident=incident,
                member=member,
                defaults={
                    **answers,
                    "organiser_id": incident.organiser_id,
                    "passport_holder": passport_holder,
                    "note": note,
                    "checked_by": actor,
                },
            )
        audit_record(
            actor=actor,
            action="zaireen.incident.census.checked",
            obj=incident,
            organiser=incident.trip.organiser,
            changes={
                "member": [None, str(member.uid)],
                **{k: [None, v] for k, v in answers.items()},
                "passport_holder": [None, passport_holder],
            },
        )
    return check


def census_message_send(*, actor: Any, uid: Any, text: str, language: str = "ur") -> int:
    """One message to every affected member of a stranding with a phone: the organiser's
    staff or the ministry. Returns how many messages were queued."""
    from zaireen.notifications.services import Recipient

    text = " ".join(_text(text).split())
    if not text:
        raise ValidationFailed(text=_("write the message"))
    if len(text) > MAX_MESSAGE:
        raise ValidationFailed(text=_("at most %(n)d characters") % {"n": MAX_MESSAGE})
    if language not in ("en", "ur"):
        raise ValidationFailed(language=_("English or Urdu"))
    incident = selectors.incident_get_for(actor=actor, uid=uid)
    if incident.kind != IncidentKind.STRANDING:
        raise NotFound(_("Only a stranding has a census."))
    if not selectors.may_message_census(actor, incident):
        raise NotAllowed(_("Only the organiser's staff and the ministry send this message."))
    with transaction.atomic():
        with scopes_disabled():
            members = list(incident.members.select_related("profile"))
        recipients = [
            Recipient(m.profile.full_name, "sms", m.profile.phone, language)
            for m in members
            if m.profile.phone
        ]
        if not recipients:
            raise ValidationFailed(text=_("no affected member has a phone number"))
        with scopes_disabled():
            messages = _notify(
                topic="stranding_message",
                recipients=recipients,
                context={
                    "message": text,
                    "organiser": incident.trip.organiser.display_name,
                    "hotline": incident.trip.organiser.phone,
                    "trip": incident.trip.code,
                },
                organiser=incident.trip.organiser,
                about=incident,
            )
        audit_record(
            actor=actor,
            action="zaireen.incident.census.messaged",
            obj=incident,
            organiser=incident.trip.organiser,
            changes={"recipients": [None, len(messages)]},
            reason=text[:500],
        )
    return len(messages)


# --- SOS ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SosInput:
    client_uid: Any
    member_uid: Any
    reason: str
    device_time: datetime.datetime | None = None
    note: str = ""
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None


def _check_sos(data: SosInput, now: datetime.datetime) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    client_uid = _uuid(data.client_uid)
    if client_uid is None:
        errors["client_uid"] = [_("the phone sends a UUID for each press")]
    if data.reason not in SosReason.values:
        errors["reason"] = [_("choose a reason")]
    note = " ".join(_text(data.note).split())
    if len(note) > 300:
        errors["note"] = [_("at most 300 characters")]
    device_time = data.device_time or now
    if timezone.is_naive(device_time):
        errors["device_time"] = [_("give the time with its time zone")]
    elif device_time > now + CLOCK_SLACK:
        errors["device_time"] = [_("this time is in the future")]
    lat, lon = data.lat, data.lon
    if (lat is None) != (lon is None):
        errors["lat"] = [_("give both latitude and longitude, or neither")]
    elif lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors["lat"] = [_("not a latitude and longitude")]
    accuracy = data.accuracy_m
    if accuracy is not None and not 0 <= accuracy <= 1_000_000:
        errors["accuracy_m"] = [_("not an accuracy in metres")]
    if errors:
        raise ValidationFailed(errors)
    pole = None
    if lat is not None:
        pole = sms.nearest_pole(selectors.pole_rows(), lat, lon)
    return {
        "client_uid": client_uid,
        "reason": data.reason,
        "note": note,
        "device_time": device_time,
        "lat": lat,
        "lon": lon,
        "accuracy_m": round(accuracy) if accuracy is not None else None,
        "pole": pole,
    }


def _own_member(actor: Any, member_uid: Any) -> Member:
    """The actor's own membership: a pilgrim's or leader's login bound to its person."""
    if not (
        actor.is_authenticated
        and actor.is_active
        and actor.role in PHONE_LOGIN_ROLES
        and actor.person_id
    ):
        raise NotFound(_("No such member."))
    with scopes_disabled():
        member = one_or_none(
            Member.objects.select_related("trip__organiser", "profile").filter(
                uid=_uuid(member_uid), person_id=actor.person_id
            )
        )
    if member is None:
        raise NotFound(_("No such member."))
    return member


def sos_raise(*, actor: Any, data: SosInput) -> tuple[SosAlert, bool]:
    """Record an SOS from the actor's own phone; (alert, created). The phone's UUID for the
    press makes a re-sent request return the first alert, unchanged and not notified again."""
    now = timezone.now()
    clean = _check_sos(data, now)
    member = _own_member(actor, data.member_uid)
    with scopes_disabled():
        existing = one_or_none(SosAlert.objects.filter(client_uid=clean["client_uid"]))
    if existing is not None:
        if existing.member_id != member.pk:
            raise ValidationFailed(client_uid=_("this UUID belongs to another SOS"))
        return existing, False
    if not selectors.sos_allowed(member):
        raise ValidationFailed(
            member=_("SOS is for a trip under way: from the day before departure until the return")
        )
    trip = member.trip
    try:
        with transaction.atomic():
            alert = SosAlert.objects.create(
                organiser_id=trip.organiser_id, trip=trip, member=member, sent_by=actor, **clean
            )
            audit_record(
                actor=actor,
                action="zaireen.sos.raised",
                obj=alert,
                organiser=trip.organiser,
                changes={"reason": [None, alert.reason], "pole": [None, alert.pole]},
            )
            where = []
            if alert.pole:
                where.append(_("pole %(n)d") % {"n": alert.pole})
            if alert.has_position:
                where.append(f"{alert.lat:.5f},{alert.lon:.5f}")
            _notify(
                topic="sos_raised",
                recipients=_trip_recipients(trip),
                context={
                    "name": member.profile.full_name,
                    "trip": trip.code,
                    "organiser": trip.organiser.display_name,
                    "reason": str(alert.get_reason_display()),
                    "note": alert.note,
                    "where": ", ".join(where),
                    "phone": member.profile.phone,
                    "when": _local(alert.device_time),
                    "link": _link("incidents:sos_list"),
                },
                organiser=trip.organiser,
                about=alert,
            )
    except IntegrityError:
        # The same press arrived twice at the same moment: the other request stored it.
        with scopes_disabled():
            existing = one_or_none(
                SosAlert.objects.filter(client_uid=clean["client_uid"], member=member)
            )
        if existing is None:
            raise
        return existing, False
    return alert, True


def _alert_for_handling(actor: Any, uid: Any) -> SosAlert:
    alert = selectors.sos_get_for_handling(actor=actor, uid=uid)
    with scopes_disabled():
        return (
            SosAlert.objects.select_for_update(of=("self",))
            .select_related("trip__organiser", "member__profile")
            .get(pk=alert.pk)
        )


def sos_acknowledge(*, actor: Any, uid: Any) -> SosAlert:
    """Say that someone is on it: the organiser's staff or the trip's leaders. Acknowledging
    twice, or a closed alert, changes nothing."""
    with transaction.atomic():
        alert = _alert_for_handling(actor, uid)
        if alert.status == SosStatus.OPEN:
            alert.status = SosStatus.ACKNOWLEDGED
            alert.acknowledged_at, alert.acknowledged_by = timezone.now(), actor
            alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
            audit_record(
                actor=actor,
                action="zaireen.sos.acknowledged",
                obj=alert,
                organiser=alert.trip.organiser,
                changes={"status": [SosStatus.OPEN, SosStatus.ACKNOWLEDGED]},
            )
    return alert


def sos_close(*, actor: Any, uid: Any, note: str = "") -> SosAlert:
    """Close an alert (the pilgrim is safe, or the case goes on elsewhere), with a note."""
    note = " ".join(_text(note).split())
    if len(note) > 300:
        raise ValidationFailed(note=_("at most 300 characters"))
    with transaction.atomic():
        alert = _alert_for_handling(actor, uid)
        if alert.status != SosStatus.CLOSED:
            before = alert.status
            now = timezone.now()
            if alert.acknowledged_at is None:
                alert.acknowledged_at, alert.acknowledged_by = now, actor
            alert.status, alert.closed_at, alert.closed_by = SosStatus.CLOSED, now, actor
            alert.closing_note = note
            alert.save(
                update_fields=[
                    "status",
                    "acknowledged_at",
                    "acknowledged_by",
                    "closed_at",
                    "closed_by",
                    "closing_note",
                ]
            )
            audit_record(
                actor=actor,
                action="zaireen.sos.closed",
                obj=alert,
                organiser=alert.trip.organiser,
                changes={"status": [before, SosStatus.CLOSED]},
                reason=note,
            )
    return alert
