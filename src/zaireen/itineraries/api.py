"""Itineraries API: read a trip's plan, plan it, edit a stop. A plan or an edit that breaks
a rule answers 422 with the rule named on the field it concerns."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Field, Router, Schema

from zaireen.api.auth import signed_in
from zaireen.core.errors import NotFound
from zaireen.itineraries import labels, selectors, services

router = Router(tags=["itineraries"])


class ItemOut(Schema):
    key: str
    kind: str = Field(
        ...,
        description="flight_in, airport, wait, road, walk, visit, rest, prayer, meal, flight_out",
    )
    start: dt.datetime
    end: dt.datetime
    minutes: int
    city: str = Field(..., description="city or airport key; '~karbala': the vehicle stop outside")
    from_city: str = Field("", description="for road and walking legs: where they start")
    site: str = ""
    label: str = ""
    km: float = 0.0
    estimated: bool = False
    outdoor: bool = False
    on_the_way: bool = False
    by_organiser: bool = False


class StayOut(Schema):
    city: str
    first_night: dt.date
    nights: int
    hotel: str


class UnmetOut(Schema):
    site: str
    rule: str
    rule_name: str
    detail: str


class WarningOut(Schema):
    code: str = Field(..., description="heat, squeezed, peak_occasion or estimate")
    day: dt.date
    item: str
    text: str


class ItineraryOut(Schema):
    id: uuid.UUID
    trip: uuid.UUID
    version: int
    needs: str
    occasion: str
    arrival_at: dt.datetime
    departure_at: dt.datetime
    road_minutes: int
    walk_minutes: int
    broken_rule: str = Field(..., description="set when a later calendar change broke the plan")
    broken_message: str
    stays: list[StayOut]
    items: list[ItemOut]
    unmet: list[UnmetOut]
    warnings: list[WarningOut]


class StayIn(Schema):
    city: str = Field(..., max_length=60)
    nights: int = Field(..., ge=1, le=60)
    hotel: str = Field("", max_length=200)


class PlanIn(Schema):
    arrival_at: dt.datetime = Field(..., description="landing in Iraq, with its time zone")
    departure_at: dt.datetime = Field(..., description="the flight home, with its time zone")
    stays: list[StayIn] = Field(..., max_length=8)
    wishes: list[str] = Field(default_factory=list, max_length=40)
    needs: str = Field("standard", description="standard, elderly or wheelchair")
    occasion: str = Field("", max_length=60, description="occasion key, to be in its city")


class EditIn(Schema):
    op: str = Field(..., description="move, add or remove")
    item: str = Field("", max_length=40, description="the stop's key (move, remove)")
    site: str = Field("", max_length=80, description="the site's key (add)")
    start: dt.datetime | None = Field(None, description="new start, with its time zone")
    minutes: int | None = Field(None, ge=1, le=24 * 60)


def _out(itinerary) -> dict:
    plan = selectors.plan_of(itinerary)
    names = selectors.place_names()
    return {
        "id": itinerary.uid,
        "trip": itinerary.trip.uid,
        "version": itinerary.version,
        "needs": itinerary.needs,
        "occasion": itinerary.occasion,
        "arrival_at": itinerary.arrival_at,
        "departure_at": itinerary.departure_at,
        "road_minutes": plan.road_minutes,
        "walk_minutes": plan.walk_minutes,
        "broken_rule": itinerary.broken_rule,
        "broken_message": itinerary.broken_message,
        "stays": [
            {"city": s.city, "first_night": s.first_night, "nights": s.nights, "hotel": s.hotel}
            for s in plan.stays
        ],
        "items": [{**it.__dict__, "minutes": it.minutes} for it in plan.items],
        "unmet": [
            {
                "site": u.site,
                "rule": u.rule,
                "rule_name": labels.rule_name(u.rule),
                "detail": u.detail,
            }
            for u in plan.unmet
        ],
        "warnings": [
            {
                "code": w.code,
                "day": w.day,
                "item": w.item,
                "text": labels.warning_text(w.code, dict(w.params), names),
            }
            for w in plan.warnings
        ],
    }


@router.get(
    "/trips/{uid}/itinerary",
    response=ItineraryOut,
    auth=signed_in,
    url_name="itinerary",
    summary="A trip's itinerary",
)
def itinerary_get(request: HttpRequest, uid: uuid.UUID):
    _trip, itinerary = selectors.itinerary_get_for(actor=request.user, trip_uid=uid)
    if itinerary is None or not itinerary.plan:
        raise NotFound("This trip has no itinerary yet.")
    return _out(itinerary)


@router.post(
    "/trips/{uid}/itinerary",
    response=ItineraryOut,
    auth=signed_in,
    url_name="itinerary",
    summary="Plan (or plan again) a trip",
)
def itinerary_plan(request: HttpRequest, uid: uuid.UUID, payload: PlanIn):
    data = services.PlanData(
        arrival_at=payload.arrival_at,
        departure_at=payload.departure_at,
        stays=tuple((s.city, s.nights, s.hotel) for s in payload.stays),
        wishes=tuple(payload.wishes),
        needs=payload.needs,
        occasion=payload.occasion,
    )
    return _out(services.itinerary_plan(actor=request.user, trip_uid=uid, data=data))


@router.post(
    "/trips/{uid}/itinerary/edits",
    response=ItineraryOut,
    auth=signed_in,
    url_name="itinerary_edit",
    summary="Move, add or remove a stop",
)
def itinerary_edit(request: HttpRequest, uid: uuid.UUID, payload: EditIn):
    itinerary = services.itinerary_edit(
        actor=request.user,
        trip_uid=uid,
        op=payload.op,
        item=payload.item,
        site=payload.site,
        start=payload.start,
        minutes=payload.minutes,
    )
    return _out(itinerary)
