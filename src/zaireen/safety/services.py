"""Writes of the safety app: phones (devices), the headcount event log, case requests.

`events_sync` is the one way events enter the log. It stores each event exactly once: the
client's UUID is unique in the database and rows go in with INSERT … ON CONFLICT DO NOTHING,
so two requests carrying the same event at the same moment store it once and both answer that
it is stored. Syncs of one trip queue on the trip's row lock (3 s at most on PostgreSQL), so
each derives its headcounts from every event committed before it: two phones' events arriving
at the same moment cannot both miss each other, which matters for the side effect a sync has
(returns recorded from a closed "arrival home" headcount).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.accounts.services import token_digest
from zaireen.cases.services import case_from_request
from zaireen.core.audit import audit_record
from zaireen.core.errors import Conflict, NotFound, ValidationFailed
from zaireen.core.queries import lock_rows, one_or_none
from zaireen.documents.cards import SALT as CARD_SALT
from zaireen.safety import selectors
from zaireen.safety.headcount import derive
from zaireen.safety.models import (
    CaseRequest,
    CheckpointKind,
    Device,
    EventAction,
    Headcount,
    HeadcountEvent,
    ScanResult,
)
from zaireen.trips.models import RESERVING, Member, PilgrimCard, Trip, TripStatus
from zaireen.trips.services import member_return_from_headcount

DEVICE_TOKEN_PREFIX = "zrd_"  # noqa: S105 (a public marker, not a secret)
MAX_DEVICES_PER_USER = 10
MAX_EVENTS_PER_SYNC = 500

OVER = (TripStatus.CLOSED, TripStatus.CANCELLED)
# Trip statuses in which a return may be recorded (as `trips.services.member_return_record`).
RETURNS_RECORDED = (*RESERVING, TripStatus.CLOSED)


# --- Devices --------------------------------------------------------------------------------


def device_register(*, actor: Any, trip_uid: Any, name: str) -> tuple[Device, str]:
    """Register a phone to count `trip`; the clear token is returned once and never stored."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(name=_("give the phone a name, e.g. “Hasan's phone”"))
    if len(name) > 80:
        raise ValidationFailed(name=_("at most 80 characters"))
    with transaction.atomic():
        trip = selectors.trip_for_counting(actor=actor, uid=trip_uid)
        if trip.status in OVER:
            raise ValidationFailed(status=_("the trip is over"))
        with scopes_disabled():
            active = Device.objects.filter(trip=trip, user=actor, revoked_at=None).count()
        if active >= MAX_DEVICES_PER_USER:
            raise ValidationFailed(
                name=_("revoke an old phone first: at most %(n)d are active")
                % {"n": MAX_DEVICES_PER_USER}
            )
        token = DEVICE_TOKEN_PREFIX + secrets.token_urlsafe(32)
        device = Device.objects.create(
            organiser_id=trip.organiser_id,
            trip=trip,
            user=actor,
            name=name,
            prefix=token[:12],
            digest=token_digest(token),
        )
        audit_record(actor=actor, action="zaireen.safety.device.registered", obj=device,
                     organiser=trip.organiser, changes={"device": [None, name]})  # fmt: skip
    return device, token


def device_revoke(*, actor: Any, uid: Any) -> Device:
    """Shut a phone out: its token stops working at once. Its staff, the trip's leaders and the
    phone's own user may do it; revoking twice changes nothing."""
    with transaction.atomic(), scopes_disabled():
        device = one_or_none(
            Device.objects.select_for_update().select_related("trip__organiser").filter(uid=uid)
        )
        if device is None:
            raise NotFound(_("No such phone."))
        selectors.trip_for_counting(actor=actor, uid=device.trip.uid)
        if device.revoked_at is None:
            device.revoked_at, device.revoked_by = timezone.now(), actor
            device.save(update_fields=["revoked_at", "revoked_by"])
            audit_record(actor=actor, action="zaireen.safety.device.revoked", obj=device,
                         organiser=device.trip.organiser,
                         changes={"device": [device.name, None]})  # fmt: skip
    return device


def device_for_token(token: str) -> Device | None:
    """The active phone a presented token belongs to (its user active too), marked as seen."""
    if not token.startswith(DEVICE_TOKEN_PREFIX) or len(token) > 100:
        return None
    with scopes_disabled():
        device = one_or_none(
            Device.objects.select_related("user", "trip").filter(
                digest=token_digest(token), revoked_at=None, user__is_active=True
            )
        )
        if device is None:
            return None
        now = timezone.now()
        if device.last_seen_at is None or now - device.last_seen_at > datetime.timedelta(minutes=1):
            Device.objects.filter(pk=device.pk).update(last_seen_at=now)
    return device


# --- The event log --------------------------------------------------------------------------


@dataclass(frozen=True)
class EventInput:
    """One event as a phone sends it. Which fields matter depends on the action."""

    id: uuid.UUID
    device: uuid.UUID
    seq: int
    device_time: datetime.datetime
    headcount: uuid.UUID
    action: str
    kind: str = ""
    label: str = ""
    vehicle: uuid.UUID | None = None
    member: uuid.UUID | None = None
    card: str = ""
    target: uuid.UUID | None = None
    depart_anyway: bool | None = None
    missing: tuple[uuid.UUID, ...] = ()

    def canonical(self) -> dict:
        device_time = self.device_time
        if timezone.is_naive(device_time):
            device_time = timezone.make_aware(device_time, datetime.UTC)
        return {
            "id": str(self.id),
            "device": str(self.device),
            "seq": self.seq,
            "device_time": device_time.astimezone(datetime.UTC).isoformat(),
            "headcount": str(self.headcount),
            "action": self.action,
            "kind": self.kind,
            "label": self.label,
            "vehicle": str(self.vehicle) if self.vehicle else None,
            "member": str(self.member) if self.member else None,
            "card": self.card,
            "target": str(self.target) if self.target else None,
            "depart_anyway": self.depart_anyway,
            "missing": [str(m) for m in self.missing],
        }

    def digest(self) -> str:
        text = json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


class SyncStatus:
    STORED = "stored"  # new, stored now
    DUPLICATE = "duplicate"  # the same event was stored before: nothing changed
    CONFLICT = "conflict"  # its UUID or its place in the device's order holds another event
    REFUSED = "refused"  # not an event this phone may record; not stored


@dataclass
class SyncResult:
    id: uuid.UUID
    status: str
    reason: str = ""


@dataclass
class SyncOutcome:
    results: list[SyncResult] = field(default_factory=list)
    returns_recorded: int = 0


def _refusal(event: EventInput, device: Device) -> str:
    """Why `event` cannot be recorded at all, or "" (checks that need no database)."""
    if event.device != device.uid:
        return _("the event names another phone")
    if not 1 <= event.seq <= 2**62:
        return _("the sequence number is out of range")
    if event.action not in EventAction.values:
        return _("unknown action")
    if event.action == EventAction.OPEN and event.kind not in CheckpointKind.values:
        return _("unknown checkpoint")
    if event.action == EventAction.MARK and not (event.member or event.card):
        return _("a mark names a member or a card")
    if event.action == EventAction.UNMARK and not event.target:
        return _("an unmark names the mark it undoes")
    if len(event.label) > 120 or len(event.card) > 200 or len(event.missing) > 1000:
        return _("too long")
    return ""


def _card_token(value: str) -> str:
    """The card token a scanned QR (its URL or signed token) holds, or "" if the signature
    is bad; a bare token or a typed card code is returned as typed."""
    value = value.strip()
    if "/c/" in value:
        value = value.split("/c/", 1)[1].strip("/")
    if ":" in value:
        try:
            return signing.Signer(salt=CARD_SALT).unsign(value)
        except signing.BadSignature:
            return ""
    return value


def _resolve_mark(event: EventInput, trip: Trip, members: dict[str, Member]) -> tuple:
    """(member, scan result) of a mark, judged now: a card revoked by now scans as revoked."""
    if event.member:
        member = members.get(str(event.member))
        return (member, ScanResult.OK) if member else (None, ScanResult.UNKNOWN)
    token = _card_token(event.card)
    code = "".join(ch for ch in token.upper() if ch.isalnum())
    if not token:
        return None, ScanResult.UNKNOWN
    with scopes_disabled():
        cards = PilgrimCard.objects.filter(member__trip=trip).select_related("member")
        card = one_or_none(cards.filter(token=token.lower())) or one_or_none(
            cards.filter(code=code)
        )
    if card is None:
        return None, ScanResult.UNKNOWN
    if card.revoked_at is not None:
        return card.member, ScanResult.REVOKED
    return card.member, ScanResult.OK


def _lock_trip(trip: Trip) -> None:
    """Queue syncs of one trip (see the module's docstring); wait at most 3 s on PostgreSQL."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '3s'")
    with scopes_disabled():
        lock_rows(Trip.objects.filter(pk=trip.pk))


def _expected_for(trip: Trip, vehicle_id: int | None) -> list[str]:
    """Who a new headcount counts: the trip's members not yet home, or those seated in the
    vehicle (all of the trip's when nobody is seated in it yet)."""
    with scopes_disabled():
        members = Member.objects.filter(trip=trip, returned_at=None)
        if vehicle_id:
            seated = members.filter(seats__vehicle_id=vehicle_id)
            if seated.exists():
                members = seated
        return sorted({str(uid) for uid in members.values_list("uid", flat=True)})


def _open_headcount(row: HeadcountEvent, trip: Trip, device: Device) -> Headcount | None:
    with scopes_disabled():
        vehicle = None
        if row.data.get("vehicle"):
            vehicle = one_or_none(trip.vehicles.filter(uid=row.data["vehicle"]))
        Headcount.objects.bulk_create(
            [
                Headcount(
                    uid=row.headcount_uid,
                    organiser_id=trip.organiser_id,
                    trip=trip,
                    kind=row.data.get("kind", CheckpointKind.MEETING_POINT),
                    label=row.data.get("label", ""),
                    vehicle=vehicle,
                    expected=_expected_for(trip, vehicle.pk if vehicle else None),
                    opened_by=device.user,
                    opened_device=device,
                )
            ],
            ignore_conflicts=True,
        )
        headcount = one_or_none(Headcount.objects.filter(uid=row.headcount_uid, trip=trip))
    if headcount is not None and headcount.opened_device_id == device.pk:
        audit_record(actor=device.user, action="zaireen.safety.headcount.opened", obj=headcount,
                     organiser=trip.organiser,
                     changes={"headcount": [None, str(headcount)]})  # fmt: skip
    return headcount


def _row(event: EventInput, *, device: Device, trip: Trip, members: dict) -> HeadcountEvent:
    member, scan = None, ""
    if event.action == EventAction.MARK:
        member, scan = _resolve_mark(event, trip, members)
    data: dict[str, Any] = {}
    if event.action == EventAction.OPEN:
        data = {
            "kind": event.kind,
            "label": " ".join(event.label.split()),
            "vehicle": str(event.vehicle) if event.vehicle else None,
        }
    elif event.action == EventAction.CLOSE:
        named = [members.get(str(uid)) for uid in event.missing]
        data = {
            "missing": [str(m.uid) for m in named if m],
            "missing_names": [m.profile.full_name for m in named if m],
        }
    device_time = event.device_time
    if timezone.is_naive(device_time):
        device_time = timezone.make_aware(device_time, datetime.UTC)
    return HeadcountEvent(
        uid=event.id,
        organiser_id=trip.organiser_id,
        trip=trip,
        device=device,
        seq=event.seq,
        headcount_uid=event.headcount,
        action=event.action,
        member=member,
        card=event.card[:200],
        scan=scan,
        target=event.target,
        depart_anyway=event.depart_anyway if event.action == EventAction.CLOSE else None,
        data=data,
        device_time=device_time,
        recorded_by=device.user,
        digest=event.digest(),
    )


def events_sync(*, device: Device, trip_uid: Any, events: list[EventInput]) -> SyncOutcome:
    """Store a phone's events, each once, and apply what the new state implies.

    Every event gets a status (`SyncStatus`); the phone drops from its queue whatever is not
    to be sent again (all four). An event refused or in conflict is not stored; the others
    are in the log after this returns, whether stored now or before.
    """
    if len(events) > MAX_EVENTS_PER_SYNC:
        raise ValidationFailed(
            events=_("at most %(n)d events at once") % {"n": MAX_EVENTS_PER_SYNC}
        )
    if str(device.trip.uid) != str(trip_uid):
        raise NotFound(_("No such trip."))
    try:
        with transaction.atomic(durable=True):
            trip = selectors.trip_for_counting(actor=device.user, uid=trip_uid)
            _lock_trip(trip)
            return _store(device=device, trip=trip, events=events)
    except OperationalError as exc:  # the trip's lock was not free within 3 s
        raise Conflict(_("Another phone is syncing this trip; try again.")) from exc


def _store(*, device: Device, trip: Trip, events: list[EventInput]) -> SyncOutcome:
    with scopes_disabled():
        members = {
            str(m.uid): m for m in Member.objects.filter(trip=trip).select_related("profile")
        }
        known_headcounts = dict(
            Headcount.objects.filter(uid__in={e.headcount for e in events}).values_list(
                "uid", "trip_id"
            )
        )
        before = dict(
            HeadcountEvent.objects.filter(uid__in=[e.id for e in events]).values_list(
                "uid", "digest"
            )
        )
        taken = dict(
            HeadcountEvent.objects.filter(
                device=device, seq__in=[e.seq for e in events]
            ).values_list("seq", "uid")
        )
    results: list[SyncResult] = []
    rows: dict[uuid.UUID, HeadcountEvent] = {}
    for event in events:
        reason = _refusal(event, device)
        if not reason and known_headcounts.get(event.headcount, trip.pk) != trip.pk:
            reason = _("the headcount belongs to another trip")
        digest = event.digest()
        if reason:
            results.append(SyncResult(event.id, SyncStatus.REFUSED, reason))
        elif event.id in before or event.id in rows:
            known = before[event.id] if event.id in before else rows[event.id].digest
            results.append(
                SyncResult(event.id, SyncStatus.DUPLICATE)
                if known == digest
                else SyncResult(event.id, SyncStatus.CONFLICT, _("this UUID holds another event"))
            )
        elif taken.get(event.seq, event.id) != event.id:
            results.append(
                SyncResult(
                    event.id,
                    SyncStatus.CONFLICT,
                    _("the phone sent another event with this number"),
                )
            )
        else:
            taken[event.seq] = event.id
            rows[event.id] = _row(event, device=device, trip=trip, members=members)
            results.append(SyncResult(event.id, SyncStatus.STORED))
    with scopes_disabled():
        HeadcountEvent.objects.bulk_create(list(rows.values()), ignore_conflicts=True)
        stored = dict(
            HeadcountEvent.objects.filter(uid__in=list(rows)).values_list("uid", "digest")
        )
    lost = {uid for uid, row in rows.items() if stored.get(uid) != row.digest}
    for result in results:  # a UUID another trip's phone stored first (insert-or-ignore)
        if result.status == SyncStatus.STORED and result.id in lost:
            result.status, result.reason = SyncStatus.CONFLICT, _("this UUID holds another event")
    new = [row for uid, row in rows.items() if uid not in lost]
    for row in new:
        if row.action == EventAction.OPEN:
            _open_headcount(row, trip, device)
        elif row.action == EventAction.CLOSE:
            _audit_close(row, trip, device)
    touched = {row.headcount_uid for row in new}
    return SyncOutcome(
        results=results,
        returns_recorded=_record_returns(trip, touched, actor=device.user),
    )


def _audit_close(row: HeadcountEvent, trip: Trip, device: Device) -> None:
    with scopes_disabled():
        headcount = one_or_none(Headcount.objects.filter(uid=row.headcount_uid, trip=trip))
    names = row.data.get("missing_names", [])
    if row.depart_anyway is False:
        action, answer = "zaireen.safety.headcount.held", "no"
    else:
        action, answer = (
            "zaireen.safety.headcount.closed",
            ("yes" if row.depart_anyway else "nobody missing"),
        )
    audit_record(
        actor=device.user,
        action=action,
        obj=headcount or trip,
        organiser=trip.organiser,
        changes={"depart_anyway": [None, answer], "missing": [None, ", ".join(names)]},
        reason=_("on the phone “%(name)s”") % {"name": device.name},
    )


def _record_returns(trip: Trip, headcount_uids: set, *, actor: Any) -> int:
    """Record the return of every member present at a closed "arrival home" headcount.

    At close rather than at each tick, so that a wrong tick undone before closing records
    nothing; a member whose mark reaches the server after the close (from a phone that was
    still counting) is recorded by the sync that brings it. A return once recorded stays.
    """
    if not headcount_uids or trip.status not in RETURNS_RECORDED:
        return 0
    recorded = 0
    with scopes_disabled():
        headcounts = list(
            Headcount.objects.filter(
                trip=trip, uid__in=headcount_uids, kind=CheckpointKind.ARRIVAL_HOME
            )
        )
    by_uid = selectors.member_ids(trip) if headcounts else {}
    for headcount in headcounts:
        rows = selectors.event_rows(trip=trip, headcount_uids=[headcount.uid])
        state = derive(headcount.expected, [selectors.as_event(r) for r in rows])
        if not state.closed:
            continue
        received = {str(r.uid): r.received_at for r in rows}
        label = _("%(kind)s headcount “%(label)s”") % {
            "kind": headcount.get_kind_display(),
            "label": headcount.label or headcount.uid,
        }
        for member_uid, marks in state.marks:
            if member_uid not in by_uid:
                continue
            at = min(received[mark] for mark in marks)
            if member_return_from_headcount(
                actor=actor, member_id=by_uid[member_uid], at=at, headcount_label=label
            ):
                recorded += 1
    return recorded


# --- Missing-person case requests -------------------------------------------------------------


def case_request(
    *, actor: Any, headcount_uid: Any, member_uid: Any, trip_uid: Any = None
) -> CaseRequest:
    """Record that a member missing at a closed headcount needs a missing-person case (the
    cases come with the next issue). Asking twice returns the first request. A phone asks
    with `trip_uid`, the trip it is registered to: another trip's headcount is not found."""
    with transaction.atomic():
        with scopes_disabled():
            headcount = one_or_none(
                Headcount.objects.select_related("trip__organiser").filter(uid=headcount_uid)
            )
        if headcount is None or trip_uid not in (None, headcount.trip.uid):
            raise NotFound(_("No such headcount."))
        trip = selectors.trip_for_counting(actor=actor, uid=headcount.trip.uid)
        state = selectors.headcount_state(headcount)
        if str(member_uid) not in state.missing:
            raise ValidationFailed(member=_("only a member missing at a closed headcount"))
        with scopes_disabled():
            member = Member.objects.select_related("profile").get(uid=member_uid)
            existing = one_or_none(CaseRequest.objects.filter(headcount=headcount, member=member))
            if existing is not None:
                return existing
            requested = CaseRequest.objects.create(
                organiser_id=trip.organiser_id,
                headcount=headcount,
                member=member,
                requested_by=actor,
            )
        audit_record(actor=actor, action="zaireen.safety.case.requested", obj=headcount,
                     organiser=trip.organiser,
                     changes={"missing": [None, member.profile.full_name]})  # fmt: skip
        case_from_request(request_id=requested.pk, actor=actor)
    return requested
