"""Trips API: trips and their members, paginated and scoped to the caller."""

import datetime
import uuid

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from zaireen.api.auth import signed_in
from zaireen.trips import selectors

router = Router(tags=["trips"])


class TripOut(Schema):
    id: uuid.UUID = Field(..., alias="uid")
    code: str
    title: str
    organiser: str = Field(..., alias="organiser.legal_name")
    departure_date: datetime.date
    return_date: datetime.date
    outbound_from: str = Field(..., alias="outbound_from.iata")
    outbound_to: str = Field(..., alias="outbound_to.iata")
    capacity: int
    member_count: int
    status: str
    status_reason: str


class MemberOut(Schema):
    id: uuid.UUID = Field(..., alias="uid")
    pilgrim: uuid.UUID = Field(..., alias="profile.uid")
    name: str = Field(..., alias="profile.full_name")
    role: str
    visa_status: str
    returned_at: datetime.datetime | None


class TripFilter(Schema):
    status: str = Field("", max_length=10)
    q: str = Field("", max_length=100)


@router.get("/trips", response=list[TripOut], auth=signed_in, summary="Trips")
@paginate(LimitOffsetPagination)
def trips(request: HttpRequest, filters: Query[TripFilter]):
    return selectors.trip_list_for(actor=request.user, status=filters.status, q=filters.q)


@router.get("/trips/{uid}", response=TripOut, auth=signed_in, summary="One trip")
def trip(request: HttpRequest, uid: uuid.UUID):
    return selectors.trip_get_for(actor=request.user, uid=uid)


@router.get("/trips/{uid}/members", response=list[MemberOut], auth=signed_in, summary="Members")
@paginate(LimitOffsetPagination)
def trip_members(request: HttpRequest, uid: uuid.UUID):
    found = selectors.trip_get_for(actor=request.user, uid=uid)
    return selectors.members_for(actor=request.user, trip=found)
