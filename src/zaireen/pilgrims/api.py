"""Pilgrims API: the identity check (stores nothing) and an organiser's pilgrims register."""

import datetime
import uuid

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from zaireen.api.auth import signed_in
from zaireen.core import ratelimit
from zaireen.core.errors import ValidationFailed
from zaireen.pilgrims import photos, selectors, services
from zaireen.pilgrims.validation import PilgrimInput, check_identifiers

router = Router(tags=["pilgrims"])

CHECKS_PER_MINUTE = 60


class IdentityCheckIn(Schema):
    cnic: str = Field("", max_length=40)
    passport_number: str = Field("", max_length=40)
    issuing_state: str = Field("PAK", max_length=10)
    mrz: str = Field("", max_length=200, description="the two lines of a TD3 passport")
    sex: str = Field("", max_length=1)


class IdentityCheckOut(Schema):
    valid: bool
    normalised: dict
    errors: dict[str, list[str]]
    warnings: dict[str, list[str]]


class PilgrimIn(Schema):
    surname: str = Field(..., max_length=100)
    given_names: str = Field("", max_length=100)
    name_urdu: str = Field("", max_length=150)
    guardian_name: str = Field("", max_length=150)
    home_city: str = Field("", max_length=100)
    cnic: str = Field(..., max_length=40)
    passport_number: str = Field(..., max_length=40)
    passport_issuing_state: str = Field("PAK", max_length=10)
    passport_expiry: datetime.date
    birth_date: datetime.date
    sex: str = Field(..., max_length=1)
    phone: str = Field("", max_length=40)
    next_of_kin_name: str = Field("", max_length=150)
    next_of_kin_relation: str = Field("", max_length=50)
    next_of_kin_phone: str = Field("", max_length=40)
    needs_wheelchair: bool = False
    needs_elderly_care: bool = False
    medical_notes: str = Field("", max_length=2000)
    blood_group: str = Field("", max_length=3)
    mrz: str = Field("", max_length=200)


class PilgrimOut(Schema):
    id: uuid.UUID = Field(..., alias="uid")
    surname: str
    given_names: str
    name_urdu: str
    guardian_name: str
    home_city: str
    cnic: str
    passport_number: str
    passport_issuing_state: str
    passport_expiry: datetime.date
    birth_date: datetime.date
    sex: str
    phone: str
    next_of_kin_name: str
    next_of_kin_relation: str
    next_of_kin_phone: str
    needs_wheelchair: bool
    needs_elderly_care: bool
    blood_group: str


class PilgrimCreated(Schema):
    pilgrim: PilgrimOut
    warnings: dict[str, list[str]]


class PilgrimQuery(Schema):
    q: str = Field("", max_length=100)


@router.post(
    "/identity/check", response=IdentityCheckOut, auth=signed_in, summary="Check identifiers"
)
def identity_check(request: HttpRequest, payload: IdentityCheckIn):
    """Validate a CNIC, a passport number and/or a passport MRZ. Nothing is stored.

    Answers 200 with `valid` and the failures and warnings by field.
    """
    ratelimit.check(scope="identity-check", key=str(request.user.pk),
                    limit=CHECKS_PER_MINUTE, window_seconds=60)  # fmt: skip
    return check_identifiers(**payload.dict(), today=timezone.localdate())


@router.get("/pilgrims", response=list[PilgrimOut], auth=signed_in, summary="Your pilgrims")
@paginate(LimitOffsetPagination)
def pilgrims(request: HttpRequest, query: Query[PilgrimQuery]):
    return selectors.pilgrim_list_for(actor=request.user, q=query.q)


@router.get("/pilgrims/{uid}", response=PilgrimOut, auth=signed_in, summary="One pilgrim")
def pilgrim(request: HttpRequest, uid: uuid.UUID):
    return selectors.pilgrim_get_for(actor=request.user, uid=uid)


@router.post(
    "/pilgrims", response={201: PilgrimCreated}, auth=signed_in, summary="Register a pilgrim"
)
def pilgrim_create(request: HttpRequest, payload: PilgrimIn):
    """422 with the reasons by field when anything is wrong; nothing is saved then."""
    profile, warnings = services.pilgrim_register(
        actor=request.user, data=PilgrimInput(**payload.dict())
    )
    return Status(201, {"pilgrim": profile, "warnings": warnings})


class PhotoOut(Schema):
    width: int
    height: int
    url: str = Field(description="a signed link, valid for 12 hours")


@router.post(
    "/pilgrims/{uid}/photo",
    response=PhotoOut,
    auth=signed_in,
    url_name="pilgrim_photo",
    summary="Give a pilgrim a photo",
)
def pilgrim_photo(request: HttpRequest, uid: uuid.UUID, photo: File[UploadedFile] = None):
    """A JPEG, PNG or WebP (multipart field `photo`), re-encoded small; 422 names the reason."""
    services.pilgrim_assert_writer(request.user)
    profile = selectors.pilgrim_get_for(actor=request.user, uid=uid)
    if photo is None:
        raise ValidationFailed(photo=_("attach the photo as the multipart field 'photo'"))
    photos.photo_check_size(photo.size)
    stored = photos.photo_set(actor=request.user, uid=uid, content=photo.read())
    return {"width": stored.width, "height": stored.height, "url": photos.photo_url(profile)}


@router.delete(
    "/pilgrims/{uid}/photo",
    response={204: None},
    auth=signed_in,
    url_name="pilgrim_photo_delete",
    summary="Remove a pilgrim's photo",
)
def pilgrim_photo_delete(request: HttpRequest, uid: uuid.UUID):
    photos.photo_remove(actor=request.user, uid=uid)
    return Status(204, None)
