"""Crowd API: plans and what is left in them, an organiser's requests, live booking (book,
swap, cancel, the waitlist and its offers), and a trip's slots for the leader's phone.

Booking answers 409 when the places are gone (or the slots are busy for more than 3 s),
422 with the field for a start outside the window; see docs/crowd.md.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from zaireen.api.auth import signed_in
from zaireen.core.errors import NotFound
from zaireen.crowd import selectors, services
from zaireen.crowd.models import Booking, SlotPlan, VisitRequest

router = Router(tags=["crowd"])


class PlanOut(Schema):
    id: uuid.UUID
    title: str
    occasion: str
    hijri_year: int
    status: str
    starts_at: dt.datetime
    slot_minutes: int
    slots: int
    request_deadline: dt.datetime
    zones: list[str]


def _plan_out(plan: SlotPlan, zones: list[str]) -> dict:
    return {
        "id": plan.uid,
        "title": plan.title,
        "occasion": plan.occasion_key,
        "hijri_year": plan.hijri_year,
        "status": plan.status,
        "starts_at": plan.starts_at,
        "slot_minutes": plan.slot_minutes,
        "slots": plan.slots,
        "request_deadline": plan.request_deadline,
        "zones": zones,
    }


@router.get(
    "/crowd/plans",
    response=list[PlanOut],
    auth=signed_in,
    url_name="crowd_plans",
    summary="Slot plans",
)
def plans(request: HttpRequest):
    """Every plan for the planner and the ministry; open and published ones for organisers."""
    found = list(selectors.plan_list_for(actor=request.user).prefetch_related("capacities__zone"))
    return [_plan_out(p, [c.zone.slug for c in p.capacities.all() if c.active]) for p in found]


class AvailabilityOut(Schema):
    zone: str
    first_slot: int
    starts_at: list[dt.datetime]
    quota: list[int]
    left: list[int]


class AvailabilityQuery(Schema):
    zone: str = Field(..., max_length=80)
    first: int = Field(0, ge=0)
    count: int = Field(96, ge=1, le=2000)


@router.get(
    "/crowd/plans/{uid}/availability",
    response=AvailabilityOut,
    auth=signed_in,
    url_name="crowd_availability",
    summary="Places left per slot in one zone",
)
def availability(request: HttpRequest, uid: uuid.UUID, query: Query[AvailabilityQuery]):
    plan = selectors.plan_get_for(actor=request.user, uid=uid)
    capacity = next(
        (c for c in selectors.capacities_of(plan, active_only=True) if c.zone.slug == query.zone),
        None,
    )
    if capacity is None:
        raise NotFound("No such zone in this plan.")
    last = min(plan.slots, query.first + query.count)
    quotas = dict(capacity.cells.values_list("slot", "quota"))
    left = selectors.remaining(plan, capacity)
    return {
        "zone": query.zone,
        "first_slot": query.first,
        "starts_at": [selectors.slot_start(plan, s) for s in range(query.first, last)],
        "quota": [quotas.get(s, 0) for s in range(query.first, last)],
        "left": left[query.first : last],
    }


class RequestIn(Schema):
    group: uuid.UUID
    zone: str = Field(..., max_length=80)
    preferred_at: dt.datetime
    earliest_at: dt.datetime | None = None
    latest_at: dt.datetime | None = None


class RequestOut(Schema):
    id: uuid.UUID
    group: uuid.UUID
    group_label: str
    size: int
    zone: str
    preferred_at: dt.datetime
    earliest_at: dt.datetime
    latest_at: dt.datetime
    duration_slots: int
    late: bool
    status: str
    booking: uuid.UUID | None = None


def _request_out(r: VisitRequest, booking: Booking | None = None) -> dict:
    return {
        "id": r.uid,
        "group": r.group.uid,
        "group_label": r.group.label,
        "size": r.group.size,
        "zone": r.capacity.zone.slug,
        "preferred_at": r.preferred_at,
        "earliest_at": r.earliest_at,
        "latest_at": r.latest_at,
        "duration_slots": r.duration_slots,
        "late": r.late,
        "status": r.status,
        "booking": booking.uid if booking else None,
    }


@router.get(
    "/crowd/plans/{uid}/requests",
    response=list[RequestOut],
    auth=signed_in,
    url_name="crowd_requests",
    summary="The organiser's requests in a plan",
)
def request_list(request: HttpRequest, uid: uuid.UUID):
    plan = selectors.plan_get_for(actor=request.user, uid=uid)
    lines = selectors.requests_for(actor=request.user, plan=plan)
    return [_request_out(line.request, line.booking) for line in lines]


@router.post(
    "/crowd/plans/{uid}/requests",
    response={201: RequestOut},
    auth=signed_in,
    url_name="crowd_requests",
    summary="Submit a visit request by hand",
)
def request_create(request: HttpRequest, uid: uuid.UUID, payload: RequestIn):
    made = services.request_create(
        actor=request.user,
        plan_uid=uid,
        group_uid=payload.group,
        zone_slug=payload.zone,
        preferred_at=payload.preferred_at,
        earliest_at=payload.earliest_at,
        latest_at=payload.latest_at,
    )
    return Status(201, _request_out(made))


class StartIn(Schema):
    start_slot: int | None = Field(None, ge=0, description="Omit for the nearest free start")


class SwapIn(Schema):
    start_slot: int = Field(..., ge=0)


class BookingOut(Schema):
    id: uuid.UUID
    request: uuid.UUID
    group: uuid.UUID
    zone: str
    start_slot: int
    duration_slots: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    size: int
    status: str
    offer_expires_at: dt.datetime | None
    flagged: bool
    flag_reason: str


def _booking_out(b: Booking, request: VisitRequest | None = None) -> dict:
    request = request or b.request
    plan = request.plan
    starts = selectors.slot_start(plan, b.start_slot)
    return {
        "id": b.uid,
        "request": request.uid,
        "group": request.group.uid,
        "zone": request.capacity.zone.slug,
        "start_slot": b.start_slot,
        "duration_slots": b.duration_slots,
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(minutes=plan.slot_minutes * b.duration_slots),
        "size": b.size,
        "status": b.status,
        "offer_expires_at": b.offer_expires_at,
        "flagged": b.flagged,
        "flag_reason": b.flag_reason,
    }


@router.post(
    "/crowd/requests/{uid}/book",
    response={201: BookingOut},
    auth=signed_in,
    url_name="crowd_book",
    summary="Book a slot, first come first served",
)
def book(request: HttpRequest, uid: uuid.UUID, payload: StartIn):
    booking = services.booking_create(
        actor=request.user, request_uid=uid, start_slot=payload.start_slot
    )
    return Status(201, _booking_out(booking, booking.request))


class WaitOut(Schema):
    id: uuid.UUID
    request: uuid.UUID
    status: str
    position: int


@router.post(
    "/crowd/requests/{uid}/waitlist",
    response={201: WaitOut},
    auth=signed_in,
    url_name="crowd_waitlist",
    summary="Join the waitlist for freed places",
)
def waitlist(request: HttpRequest, uid: uuid.UUID):
    entry = services.waitlist_join(actor=request.user, request_uid=uid)
    return Status(
        201,
        {
            "id": entry.uid,
            "request": uid,
            "status": entry.status,
            "position": selectors.waitlist_position(entry),
        },
    )


@router.post(
    "/crowd/bookings/{uid}/cancel",
    response=BookingOut,
    auth=signed_in,
    url_name="crowd_cancel",
    summary="Give a slot back",
)
def cancel(request: HttpRequest, uid: uuid.UUID):
    return _booking_out(services.booking_cancel(actor=request.user, uid=uid))


@router.post(
    "/crowd/bookings/{uid}/swap",
    response=BookingOut,
    auth=signed_in,
    url_name="crowd_swap",
    summary="Swap a slot for another start",
)
def swap(request: HttpRequest, uid: uuid.UUID, payload: SwapIn):
    booking = services.booking_swap(actor=request.user, uid=uid, start_slot=payload.start_slot)
    return _booking_out(booking)


@router.post(
    "/crowd/bookings/{uid}/accept",
    response=BookingOut,
    auth=signed_in,
    url_name="crowd_accept",
    summary="Take an offer from the waitlist",
)
def accept(request: HttpRequest, uid: uuid.UUID):
    return _booking_out(services.offer_accept(actor=request.user, uid=uid))


@router.post(
    "/crowd/bookings/{uid}/decline",
    response=BookingOut,
    auth=signed_in,
    url_name="crowd_decline",
    summary="Decline an offer from the waitlist",
)
def decline(request: HttpRequest, uid: uuid.UUID):
    return _booking_out(services.offer_decline(actor=request.user, uid=uid))


class TripSlotOut(Schema):
    group: str
    size: int
    zone: str
    site: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    flagged: bool
    flag_reason: str
    plan: str


@router.get(
    "/crowd/trips/{uid}/slots",
    response=list[TripSlotOut],
    auth=signed_in,
    url_name="crowd_trip_slots",
    summary="A trip's slots (leaders and staff)",
)
def trip_slots(request: HttpRequest, uid: uuid.UUID):
    trip = selectors.trip_for_slots(actor=request.user, uid=uid)
    return [
        {
            "group": s.group.label,
            "size": s.group.size,
            "zone": s.zone,
            "site": s.site,
            "starts_at": s.starts,
            "ends_at": s.ends,
            "status": s.status,
            "flagged": s.flagged,
            "flag_reason": s.flag_reason,
            "plan": s.plan,
        }
        for s in selectors.trip_slots_for(actor=request.user, trip=trip)
    ]
