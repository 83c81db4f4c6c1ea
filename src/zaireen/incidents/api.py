"""Incidents API: incidents (list, report, read, close), a stranding's census, SOS alerts.

Bad input answers 422 with the reasons by field (`{"detail", "errors": {field: [...]}}`);
another organiser's incident answers 404. The SOS endpoint is what the SOS button's script
calls; a re-sent press (same `client_uid`) answers 200 with the first alert instead of 201.
"""

import datetime
import uuid

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from zaireen.api.auth import signed_in
from zaireen.incidents import selectors, services

router = Router(tags=["incidents"])


class IncidentOut(Schema):
    id: uuid.UUID = Field(..., alias="uid")
    trip: str = Field(..., alias="trip.code")
    organiser: str = Field(..., alias="trip.organiser.legal_name")
    kind: str
    severity: str
    status: str
    occurred_at: datetime.datetime
    city: str | None = Field(None, alias="city.slug")
    place: str
    pole: int | None
    description: str
    reported_at: datetime.datetime
    closed_at: datetime.datetime | None
    closing_note: str


class IncidentFilter(Schema):
    kind: str = Field("", max_length=20)
    status: str = Field("", max_length=10)
    severity: str = Field("", max_length=10)
    q: str = Field("", max_length=100)


class IncidentIn(Schema):
    trip: uuid.UUID
    kind: str = Field(..., max_length=20)
    severity: str = Field(..., max_length=10)
    occurred_at: datetime.datetime
    description: str = Field(..., max_length=4000)
    city: str = Field("", max_length=60, description="a city's key, e.g. karbala")
    place: str = Field("", max_length=200)
    pole: int | None = Field(None, description="the lamp pole on the Najaf–Karbala road")
    members: list[uuid.UUID] = Field(default_factory=list, max_length=500)
    vehicles: list[uuid.UUID] = Field(default_factory=list, max_length=50)


class CloseIn(Schema):
    note: str = Field(..., max_length=4000)


class CensusTotalsOut(Schema):
    affected: int
    checked: int
    not_checked: int
    has_medicine: dict[str, int]
    has_money: dict[str, int]
    has_ticket: dict[str, int]
    passports: dict[str, int]


class CensusRowOut(Schema):
    member: uuid.UUID
    name: str
    checked: bool
    has_medicine: bool | None
    has_money: bool | None
    has_ticket: bool | None
    passport_holder: str


class CensusOut(Schema):
    incident: uuid.UUID
    totals: CensusTotalsOut
    rows: list[CensusRowOut]


class SosIn(Schema):
    client_uid: uuid.UUID = Field(..., description="made on the phone, once per press")
    member: uuid.UUID = Field(..., description="the sender's own membership")
    reason: str = Field(..., max_length=10)
    note: str = Field("", max_length=300)
    device_time: datetime.datetime | None = None
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None


class SosOut(Schema):
    id: uuid.UUID = Field(..., alias="uid")
    client_uid: uuid.UUID
    trip: str = Field(..., alias="trip.code")
    member: uuid.UUID = Field(..., alias="member.uid")
    name: str = Field(..., alias="member.profile.full_name")
    reason: str
    note: str
    lat: float | None
    lon: float | None
    pole: int | None
    device_time: datetime.datetime
    received_at: datetime.datetime
    status: str


@router.get("/incidents", response=list[IncidentOut], auth=signed_in, summary="Incidents")
@paginate(LimitOffsetPagination)
def incidents_list(request: HttpRequest, filters: Query[IncidentFilter]):
    return selectors.incident_list_for(actor=request.user, **filters.dict())


@router.post(
    "/incidents", response={201: IncidentOut}, auth=signed_in, summary="Report an incident"
)
def incidents_create(request: HttpRequest, payload: IncidentIn):
    """422 with the reasons by field when anything is wrong; nothing is saved then."""
    data = payload.dict()
    trip = data.pop("trip")
    incident = services.incident_open(
        actor=request.user,
        trip_uid=trip,
        data=services.IncidentInput(
            **{**data, "members": tuple(data["members"]), "vehicles": tuple(data["vehicles"])}
        ),
    )
    return Status(201, selectors.incident_get_for(actor=request.user, uid=incident.uid))


@router.get("/incidents/{uid}", response=IncidentOut, auth=signed_in, summary="One incident")
def incidents_get(request: HttpRequest, uid: uuid.UUID):
    return selectors.incident_get_for(actor=request.user, uid=uid)


@router.post(
    "/incidents/{uid}/close", response=IncidentOut, auth=signed_in, summary="Close an incident"
)
def incidents_close(request: HttpRequest, uid: uuid.UUID, payload: CloseIn):
    services.incident_close(actor=request.user, uid=uid, note=payload.note)
    return selectors.incident_get_for(actor=request.user, uid=uid)


@router.get(
    "/incidents/{uid}/census", response=CensusOut, auth=signed_in, summary="Stranding census"
)
def incidents_census(request: HttpRequest, uid: uuid.UUID):
    census = selectors.census_for(actor=request.user, uid=uid)
    return {
        "incident": census.incident.uid,
        "totals": {
            "affected": census.affected,
            "checked": census.checked,
            "not_checked": census.not_checked,
            **census.totals,
            "passports": census.holders,
        },
        "rows": [
            {
                "member": row.member.uid,
                "name": row.member.profile.full_name,
                "checked": row.check is not None,
                "has_medicine": row.check.has_medicine if row.check else None,
                "has_money": row.check.has_money if row.check else None,
                "has_ticket": row.check.has_ticket if row.check else None,
                "passport_holder": (row.check.passport_holder if row.check else "")
                or row.holder_now,
            }
            for row in census.rows
        ],
    }


@router.post("/sos", response={200: SosOut, 201: SosOut}, auth=signed_in, summary="Send an SOS")
def incidents_sos_raise(request: HttpRequest, payload: SosIn):
    """From the sender's own phone; re-sending the same press returns the first alert (200)."""
    data = payload.dict()
    data["member_uid"] = data.pop("member")
    alert, created = services.sos_raise(actor=request.user, data=services.SosInput(**data))
    return Status(201 if created else 200, alert)


@router.get("/sos", response=list[SosOut], auth=signed_in, summary="Open SOS alerts")
@paginate(LimitOffsetPagination)
def incidents_sos_list(request: HttpRequest):
    return selectors.sos_list_for(actor=request.user, status="active")
