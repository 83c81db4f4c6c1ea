"""Accounts API: who am I (checks a token)."""

import uuid

from django.http import HttpRequest
from ninja import Router, Schema

from zaireen.api.auth import signed_in

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    name: str
    role: str
    organiser: uuid.UUID | None


@router.get("/me", response=MeOut, auth=signed_in, summary="The signed-in user")
def me(request: HttpRequest):
    user = request.user
    return {
        "username": user.username,
        "name": user.get_full_name(),
        "role": user.role,
        "organiser": user.organiser.uid if user.organiser_id else None,
    }
