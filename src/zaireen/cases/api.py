"""Missing-person cases API: list, one case with its timeline, open, take to the next state.

Field errors answer 422 `{"detail", "errors": {field: [reasons]}}`. Opening and updating take
an optional client-made `request_id`: a phone re-sending the same request gets the same case
or timeline entry back, applied once.
"""

import datetime
import uuid

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from zaireen.api.auth import signed_in
from zaireen.cases import selectors, services
from zaireen.planning import poles

router = Router(tags=["cases"])


class PoleOut(Schema):
    pole: int
    lat: float
    lon: float
    uncertainty_m: float


class CaseOut(Schema):
    id: uuid.UUID = Field(..., alias="uid")
    reference: str
    state: str
    trip: uuid.UUID = Field(..., alias="trip.uid")
    trip_code: str = Field(..., alias="trip.code")
    organiser: str = Field(..., alias="organiser.legal_name")
    member: uuid.UUID = Field(..., alias="member.uid")
    name: str = Field(..., alias="member.profile.full_name")
    last_seen_place: str
    last_seen_at: datetime.datetime | None
    pole: int | None
    pole_position: PoleOut | None = None
    description: str
    needs: str
    phone: str
    tell_next_of_kin: bool
    opened_at: datetime.datetime
    updated_at: datetime.datetime
    closed_at: datetime.datetime | None

    @staticmethod
    def resolve_pole_position(obj) -> dict | None:
        if not obj.pole:
            return None
        p = poles.pole_position(obj.pole)
        return {"pole": p.pole, "lat": p.lat, "lon": p.lon, "uncertainty_m": p.uncertainty_m}


class EventOut(Schema):
    kind: str
    from_state: str
    to_state: str
    note: str
    place: str
    pole: int | None
    by: str
    at: datetime.datetime

    @staticmethod
    def resolve_by(obj) -> str:
        return (obj.by.get_full_name() or obj.by.get_username()) if obj.by_id else "Zaireen"


class CaseDetailOut(CaseOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj) -> list:
        return selectors.timeline(obj)


class CaseFilter(Schema):
    state: str = Field("", max_length=10)
    trip: uuid.UUID | None = None
    q: str = Field("", max_length=100)


class CaseOpenIn(Schema):
    member: uuid.UUID
    request_id: uuid.UUID | None = None
    description: str = Field("", max_length=2000)
    needs: str = Field("", max_length=2000)
    phone: str = Field("", max_length=30)
    pole: int | None = None
    place: str = Field("", max_length=200)
    seen_at: datetime.datetime | None = None
    tell_next_of_kin: bool = False
    note: str = Field("", max_length=4000)


class CaseUpdateIn(Schema):
    state: str = Field("", max_length=10)
    note: str = Field("", max_length=4000)
    place: str = Field("", max_length=200)
    pole: int | None = None
    request_id: uuid.UUID | None = None


@router.get("/cases", response=list[CaseOut], auth=signed_in, summary="Missing-person cases",
            url_name="cases")  # fmt: skip
@paginate(LimitOffsetPagination)
def cases(request: HttpRequest, filters: Query[CaseFilter]):
    return selectors.case_list_for(
        actor=request.user, state=filters.state, trip_uid=filters.trip, q=filters.q
    )


@router.post("/cases", response={200: CaseDetailOut, 201: CaseDetailOut}, auth=signed_in,
             summary="Open a case (or get the one already open)", url_name="cases")  # fmt: skip
def case_open(request: HttpRequest, payload: CaseOpenIn):
    data = services.CaseInput(
        **payload.dict(exclude={"member", "request_id"}),
    )
    case, created = services.case_open(
        actor=request.user, member_uid=payload.member, data=data, request_uid=payload.request_id
    )
    return Status(201 if created else 200, selectors.case_get_for(actor=request.user, uid=case.uid))


@router.get("/cases/{uid}", response=CaseDetailOut, auth=signed_in,
            summary="One case and its timeline", url_name="cases_case")  # fmt: skip
def case(request: HttpRequest, uid: uuid.UUID):
    return selectors.case_get_for(actor=request.user, uid=uid)


@router.post("/cases/{uid}/transition", response=CaseDetailOut, auth=signed_in,
             summary="Take a case to its next state, or add a note or a place",
             url_name="cases_transition")  # fmt: skip
def case_transition(request: HttpRequest, uid: uuid.UUID, payload: CaseUpdateIn):
    services.case_update(
        actor=request.user, uid=uid, to=payload.state, note=payload.note, pole=payload.pole,
        place=payload.place, request_uid=payload.request_id,
    )  # fmt: skip
    return selectors.case_get_for(actor=request.user, uid=uid)
