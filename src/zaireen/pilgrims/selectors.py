"""Reads of the pilgrims app, scoped to the acting user."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zaireen.core.errors import NotAllowed, NotFound
from zaireen.core.permissions import is_organiser_user, tenant_scope
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role
from zaireen.pilgrims.identity import validate_cnic, validate_passport_number
from zaireen.pilgrims.models import IdentityConflict, PilgrimProfile
from zaireen.pilgrims.services import person_ids_for

READERS = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)


def _assert_reader(actor: Any) -> None:
    if not (is_organiser_user(actor) and actor.role in READERS):
        raise NotAllowed(_("Only organiser admins and staff see the pilgrims register."))


def _identifier_people(q: str) -> set[int] | None:
    """People a query names by CNIC or passport number, or None if it names no identifier."""
    cnic = validate_cnic(q)
    if cnic.valid:
        return person_ids_for(cnic.identity_key)
    compact = q.replace(" ", "").upper()
    if 5 <= len(compact) <= 9 and any(ch.isdigit() for ch in compact):
        people: set[int] = set()
        for state in ("PAK",):
            passport = validate_passport_number(compact, state)
            if passport.valid:
                people |= person_ids_for(passport.identity_key)
        return people
    return None


def pilgrim_list_for(*, actor: Any, q: str = "") -> QuerySet[PilgrimProfile]:
    """The actor's organiser's pilgrims, found by name, CNIC or passport number."""
    _assert_reader(actor)
    q = " ".join((q or "").split())[:100]
    with tenant_scope(actor):
        profiles = PilgrimProfile.objects.all()
        if q:
            people = _identifier_people(q)
            if people is not None:
                profiles = profiles.filter(person_id__in=people)
            else:
                condition = Q()
                for word in q.split():
                    condition &= (
                        Q(surname__icontains=word)
                        | Q(given_names__icontains=word)
                        | Q(name_urdu__icontains=word)
                    )
                profiles = profiles.filter(condition)
        return profiles.order_by("surname", "given_names", "id")


def pilgrim_get_for(*, actor: Any, uid: Any) -> PilgrimProfile:
    _assert_reader(actor)
    with tenant_scope(actor):
        profile = one_or_none(PilgrimProfile.objects.filter(uid=uid))
    if profile is None:
        raise NotFound(_("No such pilgrim."))
    return profile


def identity_conflicts_for(*, actor: Any) -> QuerySet[IdentityConflict]:
    if not (actor.is_authenticated and actor.role == Role.MINISTRY_OFFICER):
        raise NotAllowed(_("Only the ministry reviews identity conflicts."))
    return IdentityConflict.objects.select_related("organiser", "actor").order_by("-detected_at")
