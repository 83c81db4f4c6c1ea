"""Organisers API: the public licence check, and the ministry's view of organisers."""

import datetime
import uuid

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from zaireen.api.auth import signed_in
from zaireen.core import ratelimit
from zaireen.organizers import selectors, services

router = Router(tags=["organisers"])

LICENCE_CHECKS_PER_MINUTE = 30


class LicenceOut(Schema):
    licence_number: str
    legal_name: str
    trade_name: str
    head_office_city: str
    status: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    may_take_pilgrims_today: bool


class OrganiserOut(Schema):
    id: uuid.UUID = Field(..., alias="uid")
    legal_name: str
    trade_name: str
    licence_number: str
    head_office_city: str = Field(..., alias="head_office_city.slug")
    phone: str
    email: str
    status: str
    status_reason: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None


class OrganiserFilter(Schema):
    status: str = Field("", max_length=12)
    city: str = Field("", max_length=60)
    q: str = Field("", max_length=100)


class LicenceQuery(Schema):
    q: str = Field(..., min_length=2, max_length=100, description="licence number or name")


class StatusChangeIn(Schema):
    to_status: str = Field(..., max_length=12)
    reason: str = Field(..., max_length=2000)
    effective_date: datetime.date | None = None
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None


def _licence(organiser) -> dict:
    return {
        "licence_number": organiser.licence_number,
        "legal_name": organiser.legal_name,
        "trade_name": organiser.trade_name,
        "head_office_city": organiser.head_office_city.name,
        "status": organiser.status,
        "valid_from": organiser.valid_from,
        "valid_until": organiser.valid_until,
        "may_take_pilgrims_today": organiser.may_take_pilgrims(timezone.localdate()),
    }


@router.get("/licences", response=list[LicenceOut], summary="Check an organiser's licence")
def licences(request: HttpRequest, query: Query[LicenceQuery]):
    """Public: may this organiser take pilgrims today? Limited per client address."""
    ratelimit.check(
        scope="licence-check-api",
        key=ratelimit.client_ip(request),
        limit=LICENCE_CHECKS_PER_MINUTE,
        window_seconds=60,
    )
    return [_licence(o) for o in selectors.licence_search(q=query.q)]


@router.get("/organisers", response=list[OrganiserOut], auth=signed_in, summary="Organisers")
@paginate(LimitOffsetPagination)
def organisers(request: HttpRequest, filters: Query[OrganiserFilter]):
    return selectors.organiser_list_for(
        actor=request.user, status=filters.status, city=filters.city, q=filters.q
    )


@router.get("/organisers/{uid}", response=OrganiserOut, auth=signed_in, summary="One organiser")
def organiser(request: HttpRequest, uid: uuid.UUID):
    return selectors.organiser_get_for(actor=request.user, uid=uid)


@router.post(
    "/organisers/{uid}/status",
    response=OrganiserOut,
    auth=signed_in,
    summary="Change a licence status (ministry)",
)
def organiser_status(request: HttpRequest, uid: uuid.UUID, payload: StatusChangeIn):
    selectors.organiser_get_for(actor=request.user, uid=uid)
    return services.organiser_status_change(actor=request.user, organiser_uid=uid, **payload.dict())
