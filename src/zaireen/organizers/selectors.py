"""Reads of the organizers app, each taking the acting user."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zaireen.core.errors import NotAllowed, NotFound
from zaireen.core.permissions import is_ministry, is_official, is_organiser_user
from zaireen.core.queries import one_or_none
from zaireen.organizers.models import LicenceStatus, Organiser

PUBLIC_RESULTS = 20


def licence_search(*, q: str) -> list[Organiser]:
    """Public licence check: by licence number or by name. Anyone may ask."""
    q = " ".join((q or "").split())[:100]
    if len(q) < 2:
        return []
    found = (
        Organiser.objects.select_related("head_office_city")
        .exclude(status=LicenceStatus.APPLIED)
        .filter(
            Q(licence_number__iexact=q)
            | Q(licence_number__icontains=q)
            | Q(legal_name__icontains=q)
            | Q(trade_name__icontains=q)
        )
        .order_by("legal_name")
    )
    return list(found[:PUBLIC_RESULTS])


def organiser_list_for(
    *, actor: Any, status: str = "", city: str = "", q: str = ""
) -> QuerySet[Organiser]:
    if not is_official(actor):
        raise NotAllowed(_("Only officials list organisers."))
    organisers = Organiser.objects.select_related("head_office_city")
    if status:
        organisers = organisers.filter(status=status)
    if city:
        organisers = organisers.filter(head_office_city__slug=city)
    if q:
        organisers = organisers.filter(
            Q(legal_name__icontains=q) | Q(trade_name__icontains=q) | Q(licence_number__icontains=q)
        )
    return organisers.order_by("legal_name")


def organiser_get_for(*, actor: Any, uid: Any) -> Organiser:
    """The organiser `uid` if `actor` may see it: officials see all, staff their own.

    Anything else, including another organiser's id, is not found.
    """
    organiser = one_or_none(Organiser.objects.select_related("head_office_city").filter(uid=uid))
    if organiser is None:
        raise NotFound(_("No such organiser."))
    if is_official(actor):
        return organiser
    if is_organiser_user(actor) and actor.organiser_id == organiser.pk:
        return organiser
    raise NotFound(_("No such organiser."))


def organiser_history(*, actor: Any, organiser: Organiser):
    organiser_get_for(actor=actor, uid=organiser.uid)
    return organiser.licence_events.select_related("by")


def staff_list_for(*, actor: Any, organiser: Organiser):
    organiser_get_for(actor=actor, uid=organiser.uid)
    return organiser.users.order_by("-is_active", "role", "first_name", "username")


def status_counts() -> dict[str, int]:
    from django.db.models import Count

    rows = Organiser.objects.values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def may_manage_licences(actor: Any) -> bool:
    return is_ministry(actor)
