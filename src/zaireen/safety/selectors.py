"""Reads of the safety app, each scoped to the acting user (or the phone's user)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.core.errors import NotAllowed
from zaireen.core.permissions import is_official
from zaireen.core.roles import Role
from zaireen.pilgrims.photos import photo_urls
from zaireen.safety.headcount import Action, Event, HeadcountState, Scan, derive
from zaireen.safety.models import (
    CaseRequest,
    CheckpointKind,
    Device,
    EventAction,
    Headcount,
    HeadcountEvent,
    ScanResult,
)
from zaireen.trips.models import Member, PilgrimCard, SeatAssignment, Trip
from zaireen.trips.selectors import leads, trip_get_for

STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
# Closed headcounts a phone is told about (newest first); open ones are always sent.
RECENT_CLOSED = 20


def may_count(actor: Any, trip: Trip) -> bool:
    """Whether `actor` runs headcounts of `trip`: its organiser's admins and staff, and the
    group leaders who lead it (their login bound to a leader or deputy member of it)."""
    if not (actor.is_authenticated and actor.is_active and actor.organiser_id == trip.organiser_id):
        return False
    if actor.role in STAFF:
        return True
    return actor.role == Role.GROUP_LEADER and leads(actor=actor, trip=trip)


def trip_for_counting(*, actor: Any, uid: Any) -> Trip:
    """The trip, if the actor counts it. Someone who may not see it at all gets `NotFound`
    (as for another organiser's trip); someone who sees it but does not count it (an
    official, a pilgrim on it) gets `NotAllowed`."""
    trip = trip_get_for(actor=actor, uid=uid)
    if not may_count(actor, trip):
        raise NotAllowed(_("Only the trip's leaders and its organiser's staff count it."))
    return trip


def devices_for(*, actor: Any, trip: Trip) -> list[Device]:
    trip_for_counting(actor=actor, uid=trip.uid)
    with scopes_disabled():
        return list(Device.objects.filter(trip=trip).select_related("user", "revoked_by"))


# --- The roster a phone caches --------------------------------------------------------------


def _initials(name: str) -> str:
    parts = name.split()
    return (parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")).upper() if parts else ""


def roster_for(trip: Trip) -> dict:
    """What a phone keeps to count offline: names, roles, seats, a signed photo link, card
    tokens and codes. Never an identifier (CNIC, passport), phone number or next of kin."""
    with scopes_disabled():
        members = list(
            Member.objects.filter(trip=trip)
            .select_related("profile")
            .order_by("profile__surname", "profile__given_names")
        )
        seats = list(
            SeatAssignment.objects.filter(member__trip=trip).select_related("vehicle", "leg")
        )
        cards = list(PilgrimCard.objects.filter(member__trip=trip).values_list(
            "member__uid", "token", "code", "revoked_at"
        ))  # fmt: skip
        vehicles = list(trip.vehicles.select_related("leg__from_city", "leg__to_city"))
    pictures = photo_urls([m.profile_id for m in members])
    seated: dict[int, list[dict]] = {}
    for seat in seats:
        seated.setdefault(seat.member_id, []).append(
            {"vehicle": str(seat.vehicle.uid), "seat": seat.seat}
        )
    return {
        "trip": {"id": str(trip.uid), "code": trip.code, "title": trip.title},
        "members": [
            {
                "id": str(m.uid),
                "name": m.profile.full_name,
                "name_local": m.profile.name_urdu,
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "seats": seated.get(m.pk, []),
                "photo": pictures.get(m.profile_id),
                "initials": _initials(m.profile.full_name),
                "returned": m.returned_at is not None,
            }
            for m in members
        ],
        "cards": [
            {"member": str(member), "token": token, "code": code, "revoked": revoked is not None}
            for member, token, code, revoked in cards
        ],
        "vehicles": [
            {
                "id": str(v.uid),
                "label": f"{v.get_kind_display()} {v.plate}",
                "leg": f"{v.leg.from_city.name} → {v.leg.to_city.name} ({v.leg.date:%d %b})",
            }
            for v in vehicles
        ],
    }


# --- The log and the states derived from it -------------------------------------------------


def event_rows(*, trip: Trip, headcount_uids: Iterable[Any]) -> list[HeadcountEvent]:
    with scopes_disabled():
        return list(
            HeadcountEvent.objects.filter(trip=trip, headcount_uid__in=list(headcount_uids))
            .select_related("member", "device", "recorded_by")
            .order_by("device_id", "seq")
        )


def as_event(row: HeadcountEvent) -> Event:
    """A stored row as the pure function's input."""
    return Event(
        id=str(row.uid),
        device=str(row.device.uid),
        seq=row.seq,
        action=Action(row.action),
        member=str(row.member.uid) if row.member_id else None,
        scan=Scan(row.scan) if row.scan else Scan.OK,
        target=str(row.target) if row.target else None,
        depart_anyway=row.depart_anyway,
        missing=tuple(row.data.get("missing", ())),
        device_time=row.device_time,
        received_at=row.received_at,
    )


def member_ids(trip: Trip) -> dict[str, int]:
    with scopes_disabled():
        rows = Member.objects.filter(trip=trip).values_list("uid", "pk")
        return {str(uid): pk for uid, pk in rows}


def headcount_state(headcount: Headcount) -> HeadcountState:
    rows = event_rows(trip=headcount.trip, headcount_uids=[headcount.uid])
    return derive(headcount.expected, [as_event(r) for r in rows])


@dataclass
class Decision:
    """A close or a hold as the trip page shows it: who answered, on which phone, what."""

    by: str
    device: str
    depart_anyway: bool | None
    names: list[str]
    at: Any
    held: bool = False


@dataclass
class HeadcountView:
    headcount: Headcount
    state: HeadcountState
    events: list[HeadcountEvent]
    present: list[Member] = field(default_factory=list)
    missing: list[Member] = field(default_factory=list)
    not_yet_seen: list[Member] = field(default_factory=list)
    extra: list[Member] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    cases: set[str] = field(default_factory=set)

    @property
    def closed(self) -> bool:
        return self.state.closed


def _decision(row: HeadcountEvent, *, held: bool) -> Decision:
    return Decision(
        by=row.recorded_by.get_full_name() or row.recorded_by.username,
        device=row.device.name,
        depart_anyway=row.depart_anyway,
        names=row.data.get("missing_names", []),
        at=row.received_at,
        held=held,
    )


def _views(trip: Trip, headcounts: list[Headcount]) -> list[HeadcountView]:
    """Each headcount with its derived state and members, in a fixed number of queries."""
    rows = event_rows(trip=trip, headcount_uids=[h.uid for h in headcounts])
    by_headcount: dict[Any, list[HeadcountEvent]] = {}
    for row in rows:
        by_headcount.setdefault(row.headcount_uid, []).append(row)
    with scopes_disabled():
        members = {
            str(m.uid): m
            for m in Member.objects.filter(trip=trip)
            .select_related("profile")
            .order_by("profile__surname", "profile__given_names")
        }
        cases = set(
            CaseRequest.objects.filter(headcount__in=headcounts).values_list(
                "headcount_id", "member__uid"
            )
        )
    position = {uid: n for n, uid in enumerate(members)}

    def listed(uids: Iterable[str]) -> list[Member]:
        return [members[u] for u in sorted(uids, key=lambda u: position.get(u, -1)) if u in members]

    views = []
    for headcount in headcounts:
        events = by_headcount.get(headcount.uid, [])
        state = derive(headcount.expected, [as_event(r) for r in events])
        by_id = {str(r.uid): r for r in events}
        decisions = [
            _decision(by_id[c.event], held=held)
            for held, closures in ((True, state.holds), (False, state.closures))
            for c in closures
        ]
        decisions.sort(key=lambda d: d.at)
        views.append(
            HeadcountView(
                headcount=headcount,
                state=state,
                events=events,
                present=listed(state.present),
                missing=listed(state.missing),
                not_yet_seen=listed(state.not_yet_seen),
                extra=listed(state.extra),
                decisions=decisions,
                cases={str(m) for h, m in cases if h == headcount.pk},
            )
        )
    return views


def headcounts_for_trip(*, actor: Any, trip: Trip) -> list[HeadcountView]:
    """Every headcount of the trip, newest first, with its present and missing members.

    For the trip page: its organiser's staff, officials and the trip's leaders see them; a
    pilgrim on the trip sees none (who else is missing is not theirs to read).
    """
    trip = trip_get_for(actor=actor, uid=trip.uid)
    if not (is_official(actor) or may_count(actor, trip)):
        return []
    with scopes_disabled():
        headcounts = list(
            Headcount.objects.filter(trip=trip).select_related(
                "vehicle", "opened_by", "opened_device", "trip"
            )
        )
    return _views(trip, headcounts)


def _event_out(row: HeadcountEvent) -> dict:
    return {
        "id": str(row.uid),
        "device": str(row.device.uid),
        "seq": row.seq,
        "action": row.action,
        "member": str(row.member.uid) if row.member_id else None,
        "scan": row.scan or None,
        "target": str(row.target) if row.target else None,
        "depart_anyway": row.depart_anyway,
        "missing": row.data.get("missing", []),
    }


def headcounts_for_phone(*, trip: Trip) -> list[dict]:
    """What a phone needs to show and continue the trip's headcounts: every open headcount
    with its whole log (so a phone can undo another phone's mark), and the latest closed ones
    with their state only."""
    with scopes_disabled():
        headcounts = list(
            Headcount.objects.filter(trip=trip).select_related(
                "vehicle", "opened_by", "opened_device", "trip"
            )
        )
        # Closed: any close not answered "no" (rule 5 of headcount.py).
        closed = set(
            HeadcountEvent.objects.filter(trip=trip, action=EventAction.CLOSE)
            .exclude(depart_anyway=False)
            .values_list("headcount_uid", flat=True)
        )
    latest_closed = [h for h in headcounts if h.uid in closed][:RECENT_CLOSED]
    shown = [h for h in headcounts if h.uid not in closed or h in latest_closed]
    out = []
    for view in _views(trip, shown):
        h, state = view.headcount, view.state
        out.append(
            {
                "id": str(h.uid),
                "kind": h.kind,
                "kind_label": str(CheckpointKind(h.kind).label),
                "label": h.label,
                "vehicle": str(h.vehicle.uid) if h.vehicle_id else None,
                "opened_by": h.opened_by.get_full_name() or h.opened_by.username,
                "opened_device": h.opened_device.name,
                "opened_at": h.opened_at.isoformat(),
                "expected": list(h.expected),
                "closed": state.closed,
                "present": sorted(state.present),
                "missing": sorted(state.missing),
                "not_yet_seen": sorted(state.not_yet_seen),
                "extra": sorted(state.extra),
                "revoked_scans": len(state.revoked_scans),
                "unknown_scans": len(state.unknown_scans),
                "cases": sorted(view.cases),
                "decisions": [
                    {
                        "by": d.by,
                        "device": d.device,
                        "depart_anyway": d.depart_anyway,
                        "names": d.names,
                        "held": d.held,
                    }
                    for d in view.decisions
                ],
                "events": [] if state.closed else [_event_out(r) for r in view.events],
            }
        )
    return out


@dataclass(frozen=True)
class LastSeen:
    checkpoint: str
    at: datetime.datetime
    headcount_uid: uuid.UUID


def last_seen(member_ids: Sequence[int]) -> dict[int, LastSeen]:
    """Where and when each member was last marked present at a headcount, by member id; in
    three queries whatever the number of members. A mark taken back (unmarked) does not
    count: it was a mistake on the phone."""
    if not member_ids:
        return {}
    with scopes_disabled():
        all_marks = HeadcountEvent.objects.filter(
            member_id__in=member_ids, action=EventAction.MARK, scan=ScanResult.OK
        )
        taken_back = set(
            HeadcountEvent.objects.filter(
                action=EventAction.UNMARK, target__in=all_marks.values("uid")
            ).values_list("target", flat=True)
        )
        marks = (
            all_marks.exclude(uid__in=taken_back)
            .order_by("member_id", "-device_time")
            .values_list("member_id", "headcount_uid", "device_time")
        )
        latest: dict[int, tuple[uuid.UUID, datetime.datetime]] = {}
        for member_id, headcount_uid, at in marks:
            latest.setdefault(member_id, (headcount_uid, at))
        names = {
            h.uid: str(h)
            for h in Headcount.objects.filter(uid__in={uid for uid, _at in latest.values()})
        }
    return {
        member_id: LastSeen(names.get(uid, _("a headcount")), at, uid)
        for member_id, (uid, at) in latest.items()
    }
