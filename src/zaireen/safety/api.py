"""Safety API: what the leader app reads and sends.

A phone authenticates with its own device token (`Authorization: Bearer zrd_…`), made when the
phone is registered on the leader page and revocable there; a signed-in leader or organiser
(personal token or session) may read the roster and the headcounts too, but only a phone
appends events, since each event carries that phone's own sequence number.
"""

import datetime
import uuid

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import HttpBearer, django_auth

from zaireen.api.auth import TokenAuth
from zaireen.core.errors import NotFound
from zaireen.safety import selectors, services
from zaireen.safety.models import Device
from zaireen.trips.models import Trip

router = Router(tags=["safety"])


class DeviceAuth(HttpBearer):
    """A registered phone's token; acts as the user who registered it."""

    def authenticate(self, request: HttpRequest, token: str):
        device = services.device_for_token(token)
        if device is not None:
            request.user = device.user
        return device


phone = [DeviceAuth()]
phone_or_signed_in = [DeviceAuth(), TokenAuth(), django_auth]


def _trip(request: HttpRequest, uid: uuid.UUID) -> Trip:
    """The trip, for a phone registered to it or a user who counts it; else not found."""
    if isinstance(request.auth, Device) and request.auth.trip.uid != uid:
        raise NotFound("No such trip.")
    return selectors.trip_for_counting(actor=request.user, uid=uid)


class RosterMemberOut(Schema):
    id: uuid.UUID
    name: str
    name_local: str
    role: str
    role_label: str
    seats: list[dict]
    photo: str | None
    initials: str
    returned: bool


class CardOut(Schema):
    member: uuid.UUID
    token: str
    code: str
    revoked: bool


class VehicleOut(Schema):
    id: uuid.UUID
    label: str
    leg: str


class RosterOut(Schema):
    trip: dict
    members: list[RosterMemberOut]
    cards: list[CardOut]
    vehicles: list[VehicleOut]


class EventOut(Schema):
    id: uuid.UUID
    device: uuid.UUID
    seq: int
    action: str
    member: uuid.UUID | None
    scan: str | None
    target: uuid.UUID | None
    depart_anyway: bool | None
    missing: list[uuid.UUID]


class DecisionOut(Schema):
    by: str
    device: str
    depart_anyway: bool | None
    names: list[str]
    held: bool


class HeadcountOut(Schema):
    id: uuid.UUID
    kind: str
    kind_label: str
    label: str
    vehicle: uuid.UUID | None
    opened_by: str
    opened_device: str
    opened_at: datetime.datetime
    expected: list[uuid.UUID]
    closed: bool
    present: list[uuid.UUID]
    missing: list[uuid.UUID]
    not_yet_seen: list[uuid.UUID]
    extra: list[uuid.UUID]
    revoked_scans: int
    unknown_scans: int
    cases: list[uuid.UUID]
    decisions: list[DecisionOut]
    events: list[EventOut] = Field(..., description="The log of an open headcount, else empty")


class LogOut(Schema):
    device: uuid.UUID | None
    headcounts: list[HeadcountOut]


class EventIn(Schema):
    id: uuid.UUID = Field(..., description="Made on the phone; the event's identity")
    device: uuid.UUID
    seq: int = Field(..., description="The event's place in its phone's own order, from 1")
    device_time: datetime.datetime = Field(..., description="The phone's clock, for the record")
    headcount: uuid.UUID
    action: str = Field(..., max_length=10, description="open, mark, unmark or close")
    kind: str = Field("", max_length=30, description="open: the checkpoint")
    label: str = Field("", max_length=500, description="open: the place")
    vehicle: uuid.UUID | None = Field(None, description="open: one vehicle, or the whole trip")
    member: uuid.UUID | None = Field(None, description="mark: the member ticked")
    card: str = Field("", max_length=500, description="mark: a scanned QR or typed card code")
    target: uuid.UUID | None = Field(None, description="unmark: the mark it undoes")
    depart_anyway: bool | None = Field(None, description="close: the answer, if anyone missed")
    missing: list[uuid.UUID] = Field(
        default_factory=list, max_length=1000, description="close: who the phone showed missing"
    )


class SyncIn(Schema):
    events: list[EventIn] = Field(..., max_length=services.MAX_EVENTS_PER_SYNC)


class SyncResultOut(Schema):
    id: uuid.UUID
    status: str
    reason: str


class SyncOut(LogOut):
    results: list[SyncResultOut]
    returns_recorded: int


class CaseIn(Schema):
    member: uuid.UUID


class CaseOut(Schema):
    id: uuid.UUID = Field(..., alias="uid")
    headcount: uuid.UUID = Field(..., alias="headcount.uid")
    member: uuid.UUID = Field(..., alias="member.uid")
    requested_at: datetime.datetime


def _device_uid(request: HttpRequest) -> uuid.UUID | None:
    return request.auth.uid if isinstance(request.auth, Device) else None


@router.get(
    "/safety/trips/{uid}/roster",
    response=RosterOut,
    auth=phone_or_signed_in,
    summary="The roster a phone keeps to count offline (no identifiers)",
    url_name="safety_roster",
)
def roster(request: HttpRequest, uid: uuid.UUID):
    return selectors.roster_for(_trip(request, uid))


@router.get(
    "/safety/trips/{uid}/events",
    response=LogOut,
    auth=phone_or_signed_in,
    summary="The trip's headcounts: open ones with their log, the latest closed ones",
    url_name="safety_events",
)
def events(request: HttpRequest, uid: uuid.UUID):
    trip = _trip(request, uid)
    return {"device": _device_uid(request), "headcounts": selectors.headcounts_for_phone(trip=trip)}


@router.post(
    "/safety/trips/{uid}/events",
    response=SyncOut,
    auth=phone,
    summary="Append a phone's events to the log (each stored once, however often sent)",
    url_name="safety_events",
)
def events_sync(request: HttpRequest, uid: uuid.UUID, payload: SyncIn):
    outcome = services.events_sync(
        device=request.auth,
        trip_uid=uid,
        events=[
            services.EventInput(**{**e.model_dump(), "missing": tuple(e.missing)})
            for e in payload.events
        ],
    )
    trip = _trip(request, uid)
    return {
        "device": request.auth.uid,
        "results": [vars(r) for r in outcome.results],
        "returns_recorded": outcome.returns_recorded,
        "headcounts": selectors.headcounts_for_phone(trip=trip),
    }


@router.post(
    "/safety/headcounts/{uid}/cases",
    response=CaseOut,
    auth=phone_or_signed_in,
    summary="Ask for a missing-person case for a member missing at a closed headcount",
    url_name="safety_case",
)
def case(request: HttpRequest, uid: uuid.UUID, payload: CaseIn):
    device = request.auth if isinstance(request.auth, Device) else None
    return services.case_request(
        actor=request.user,
        headcount_uid=uid,
        member_uid=payload.member,
        trip_uid=device.trip.uid if device else None,
    )
