"""Reads of the trips app, each scoped to the acting user."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from zaireen.core.errors import NotAllowed, NotFound
from zaireen.core.permissions import is_official, is_organiser_user, tenant_scope
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role
from zaireen.pilgrims.models import PilgrimProfile
from zaireen.trips.models import LEADING_ROLES, Member, Trip, TripStatus

NEXT_STEP = {
    TripStatus.DRAFT: _("Add members, fix the problems listed, then submit."),
    TripStatus.SUBMITTED: _("Waiting for the ministry's decision."),
    TripStatus.APPROVED: _("Mark it departed on the day it leaves."),
    TripStatus.DEPARTED: _("Record each member's return, then mark it returned."),
    TripStatus.RETURNED: _("Close it once every member's return is recorded."),
    TripStatus.CLOSED: "",
    TripStatus.CANCELLED: "",
}
STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)


def _with_counts(trips: QuerySet[Trip]) -> QuerySet[Trip]:
    return trips.select_related("organiser", "outbound_from", "outbound_to").annotate(
        member_count=Count("members", distinct=True),
        returned_count=Count(
            "members", filter=Q(members__returned_at__isnull=False), distinct=True
        ),
    )


def trip_list_for(*, actor: Any, status: str = "", q: str = "") -> QuerySet[Trip]:
    """Organiser staff see their organiser's trips; officials see every organiser's."""
    if not (is_official(actor) or (is_organiser_user(actor) and actor.role in STAFF)):
        raise NotAllowed(_("Only organisers and officials list trips."))
    with tenant_scope(actor):
        trips = Trip.objects.all()
        if status:
            trips = trips.filter(status=status)
        if q:
            trips = trips.filter(Q(code__icontains=q) | Q(title__icontains=q))
        return _with_counts(trips).order_by("departure_date", "code")


def trip_counts_for(*, actor: Any) -> dict[str, int]:
    with tenant_scope(actor):
        rows = Trip.objects.values("status").annotate(n=Count("id"))
        return {row["status"]: row["n"] for row in rows}


def trip_get_for(*, actor: Any, uid: Any) -> Trip:
    """A trip the actor may see: its organiser's staff, officials, or its own leaders and
    members (through the person their login is bound to). Anything else is not found."""
    with scopes_disabled():
        trip = one_or_none(_with_counts(Trip.objects.filter(uid=uid)))
        if trip is None:
            raise NotFound(_("No such trip."))
        if is_official(actor):
            return trip
        if (
            is_organiser_user(actor)
            and actor.role in STAFF
            and actor.organiser_id == trip.organiser_id
        ):
            return trip
        if (
            actor.is_authenticated
            and actor.person_id
            and trip.members.filter(person_id=actor.person_id).exists()
        ):
            return trip
    raise NotFound(_("No such trip."))


def members_for(*, actor: Any, trip: Trip) -> list[Member]:
    trip_get_for(actor=actor, uid=trip.uid)
    with scopes_disabled():
        return list(
            trip.members.select_related("profile").order_by(
                "role", "profile__surname", "profile__given_names"
            )
        )


def available_pilgrims_for(*, actor: Any, trip: Trip, q: str = "") -> QuerySet[PilgrimProfile]:
    """The actor's pilgrims who are not on `trip` yet (drafts reserve nothing elsewhere)."""
    from zaireen.pilgrims.selectors import pilgrim_list_for

    with scopes_disabled():
        on_trip = list(trip.members.values_list("profile_id", flat=True))
    return pilgrim_list_for(actor=actor, q=q).exclude(pk__in=on_trip)


def trips_of(*, actor: Any) -> list[Member]:
    """A pilgrim's or leader's own memberships, through the person their login is bound to."""
    if not actor.person_id:
        return []
    with scopes_disabled():
        return list(
            Member.objects.select_related("trip", "trip__organiser", "profile")
            .filter(person_id=actor.person_id)
            .exclude(trip__status=TripStatus.CANCELLED)
            .order_by("-trip__departure_date")
        )


def leads(*, actor: Any, trip: Trip) -> bool:
    """Whether the actor leads `trip`: the group-leader role holds for that trip only."""
    if not actor.person_id:
        return False
    with scopes_disabled():
        return trip.members.filter(person_id=actor.person_id, role__in=LEADING_ROLES).exists()


def ministry_queue(*, actor: Any) -> QuerySet[Trip]:
    if not (actor.is_authenticated and actor.role == Role.MINISTRY_OFFICER):
        raise NotAllowed(_("Only the ministry decides on trips."))
    with scopes_disabled():
        return _with_counts(Trip.objects.filter(status=TripStatus.SUBMITTED)).order_by(
            "submitted_at"
        )


def suspended_organisers_trips(*, actor: Any, organiser) -> QuerySet[Trip]:
    """Approved or running trips of an organiser, for the ministry to review on suspension."""
    if not is_official(actor):
        raise NotAllowed(_("Only officials review trips."))
    with scopes_disabled():
        return _with_counts(
            Trip.objects.filter(
                organiser=organiser, status__in=(TripStatus.APPROVED, TripStatus.DEPARTED)
            )
        )


def booking_conflicts_for(*, actor: Any):
    """Refused submissions with both trips named: the ministry's view of double bookings."""
    from zaireen.trips.models import BookingConflict

    if not (actor.is_authenticated and actor.role == Role.MINISTRY_OFFICER):
        raise NotAllowed(_("Only the ministry reviews booking conflicts."))
    with scopes_disabled():
        return BookingConflict.objects.select_related(
            "trip__organiser", "other_trip__organiser", "actor"
        ).order_by("-detected_at")
