"""Look-up API: finding a pilgrim across organisers, for consular and ministry officers."""

import datetime
import uuid

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from zaireen.api.auth import signed_in
from zaireen.core.models import AccessReason
from zaireen.lookup import selectors

router = Router(tags=["look-up"])


class LookupParams(Schema):
    reason: str = Field(..., description="why: " + ", ".join(AccessReason.values))
    name: str = Field("", max_length=100, description="any spelling")
    cnic: str = Field("", max_length=40)
    passport_number: str = Field("", max_length=40)
    issuing_state: str = Field("PAK", max_length=10)
    phone: str = Field("", max_length=40)
    trip_code: str = Field("", max_length=30)
    birth_year: int | None = Field(None, description="matches ±1 year")
    sex: str = Field("", max_length=1)
    home_city: str = Field("", max_length=100, description="ranks matches first")
    note: str = Field("", max_length=300, description="kept in the access log")
    page: int = Field(1, ge=1, le=1000)


class TripOut(Schema):
    id: uuid.UUID = Field(..., alias="uid")
    code: str
    title: str
    status: str
    departure_date: datetime.date
    return_date: datetime.date
    active: bool
    returned_at: datetime.datetime | None


class CheckpointOut(Schema):
    name: str
    at: datetime.datetime


class CaseOut(Schema):
    reference: str
    title: str
    opened_at: datetime.datetime
    url: str


class LookupResultOut(Schema):
    id: uuid.UUID = Field(..., alias="uid")
    name: str
    name_urdu: str
    sex: str
    birth_date: datetime.date
    home_city: str
    phone: str
    organiser: str = Field(..., alias="organiser_name")
    organiser_id: uuid.UUID = Field(..., alias="organiser_uid")
    trip: TripOut | None
    leader_name: str
    leader_phone: str
    last_checkpoint: CheckpointOut | None
    open_cases: list[CaseOut]
    photo_url: str
    score: float


class LookupOut(Schema):
    count: int
    page: int
    pages: int
    truncated: bool = Field(..., description=f"more than {selectors.MAX_RESULTS} matched")
    results: list[LookupResultOut]


@router.get(
    "/lookup", response=LookupOut, auth=signed_in, summary="Find a pilgrim (officials only)"
)
def lookup(request: HttpRequest, params: Query[LookupParams]):
    """Search every organiser's pilgrims by name (any spelling), CNIC, passport number, phone
    or trip code, narrowed by birth year (±1), sex and home city.

    Consular and ministry officers only (403 otherwise). Every call is recorded in the
    personal-data access log with its `reason`; 422 with the reasons by field for a bad
    search (a missing or unknown reason, no criterion, a malformed CNIC); 429 past the rate
    limit. Results are ranked best first, 20 a page.
    """
    values = params.dict()
    page = values.pop("page")
    found = selectors.pilgrim_lookup(
        actor=request.user, query=selectors.LookupQuery(**values), page=page
    )
    return {
        "count": found.count,
        "page": found.page.number,
        "pages": found.page.paginator.num_pages,
        "truncated": found.truncated,
        "results": found.results,
    }
