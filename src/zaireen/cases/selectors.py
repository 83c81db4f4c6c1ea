"""Reads of missing-person cases, each scoped to the acting user.

Who sees a case: the ministry and consular officers (all), the organiser's admins and staff
(their organiser's), and the group leaders who lead the case's trip. Anyone else reads none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.cases.models import (
    NOTE_REQUIRED,
    TRANSITIONS,
    Case,
    CaseEvent,
    CaseState,
)
from zaireen.core.errors import NotAllowed, NotFound
from zaireen.core.permissions import is_official, is_organiser_user
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role
from zaireen.lookup.hooks import OpenCase
from zaireen.trips.models import LEADING_ROLES, Member, TripStatus

STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
# Who may take a case to its next state: its organiser's people, the trip's leaders, consuls.
UPDATERS = (*STAFF, Role.GROUP_LEADER, Role.CONSULAR_OFFICER)
# Closing (the case is over) is for the organiser's office and the consulate.
CLOSERS = (*STAFF, Role.CONSULAR_OFFICER)
OPENERS = (*STAFF, Role.GROUP_LEADER)


def _led_trip_ids(actor: Any) -> QuerySet:
    with scopes_disabled():
        return Member.objects.filter(
            person_id=actor.person_id, role__in=LEADING_ROLES, organiser_id=actor.organiser_id
        ).values("trip_id")


def cases_for(actor: Any) -> QuerySet[Case]:
    """Every case `actor` may read (unevaluated), or `NotAllowed`."""
    with scopes_disabled():
        cases = Case.objects.all()
    if is_official(actor):
        return cases
    if is_organiser_user(actor) and actor.role in STAFF:
        return cases.filter(organiser_id=actor.organiser_id)
    if is_organiser_user(actor) and actor.role == Role.GROUP_LEADER:
        if not actor.person_id:
            return cases.none()
        return cases.filter(organiser_id=actor.organiser_id, trip_id__in=_led_trip_ids(actor))
    raise NotAllowed(_("Only organisers, leaders and officials read missing-person cases."))


def case_list_for(
    *, actor: Any, state: str = "", trip_uid: Any = None, q: str = ""
) -> QuerySet[Case]:
    cases = cases_for(actor).select_related("trip", "organiser", "member__profile")
    if state == "open":
        cases = cases.exclude(state=CaseState.CLOSED)
    elif state in CaseState.values:
        cases = cases.filter(state=state)
    if trip_uid:
        cases = cases.filter(trip__uid=trip_uid)
    if q:
        cases = cases.filter(
            Q(reference__icontains=q)
            | Q(member__profile__surname__icontains=q)
            | Q(member__profile__given_names__icontains=q)
            | Q(member__profile__name_urdu__icontains=q)
            | Q(trip__code__icontains=q)
        )
    return cases.order_by("-updated_at", "-id")


def case_get_for(*, actor: Any, uid: Any, lock: bool = False) -> Case:
    cases = cases_for(actor).select_related(
        "trip", "organiser", "member__profile", "opened_by", "headcount"
    )
    if lock:
        cases = cases.select_for_update(of=("self",))
    case = one_or_none(cases.filter(uid=uid))
    if case is None:
        raise NotFound(_("No such case."))
    return case


def timeline(case: Case) -> list[CaseEvent]:
    with scopes_disabled():
        return list(CaseEvent.objects.filter(case=case).select_related("by").order_by("at", "id"))


def trips_with_cases(*, actor: Any) -> list[tuple[str, str]]:
    """(uid, code) of the trips the actor's cases are on, for the list's filter."""
    rows = cases_for(actor).values_list("trip__uid", "trip__code").distinct()
    return sorted({(str(uid), code) for uid, code in rows}, key=lambda row: row[1])


@dataclass(frozen=True)
class Abilities:
    """What `actor` may do to a case, for the page's buttons (the services check again)."""

    update: bool
    close: bool
    set_kin: bool
    next_states: tuple[str, ...]
    note_required: tuple[str, ...] = tuple(NOTE_REQUIRED)


def may_update(actor: Any, case: Case) -> bool:
    """Whether `actor`, who sees `case`, may take it further (the ministry only reads)."""
    return actor.role in UPDATERS and case.is_open


def abilities(actor: Any, case: Case) -> Abilities:
    update = may_update(actor, case)
    close = update and actor.role in CLOSERS
    states = tuple(
        s for s in TRANSITIONS[case.state] if update and (s != CaseState.CLOSED or close)
    )
    return Abilities(
        update=update,
        close=close,
        set_kin=actor.role in STAFF and case.is_open,
        next_states=states,
    )


# --- For the consular look-up ----------------------------------------------------------------


def open_cases_for_profiles(profile_ids: Sequence[int]) -> dict[int, list[OpenCase]]:
    """The open missing-person cases about each pilgrim profile, by profile id, in one query.
    The caller (the look-up) has decided the reader may see these pilgrims."""
    if not profile_ids:
        return {}
    with scopes_disabled():
        rows = (
            Case.objects.filter(member__profile_id__in=list(profile_ids))
            .exclude(state=CaseState.CLOSED)
            .order_by("-opened_at")
            .values_list("member__profile_id", "uid", "reference", "state", "opened_at")
        )
        out: dict[int, list[OpenCase]] = {}
        for profile_id, uid, reference, state, opened_at in rows:
            out.setdefault(profile_id, []).append(
                OpenCase(
                    reference=reference,
                    title=_("Missing person: %(state)s") % {"state": CaseState(state).label},
                    opened_at=opened_at,
                    url=reverse("cases:detail", args=[uid]),
                )
            )
    return out


# --- Opening by hand --------------------------------------------------------------------------

# A case may be about a member of a trip that is not over (cancelled and closed trips are).
OVER = (TripStatus.CANCELLED, TripStatus.CLOSED)


def members_for_opening(*, actor: Any) -> QuerySet[Member]:
    """The members the actor may open a case for: not yet home, on trips that are not over;
    an organiser's staff all of theirs, a leader those of the trips they lead."""
    if not (is_organiser_user(actor) and actor.role in OPENERS):
        raise NotAllowed(_("Only the organiser's staff and the trip's leaders open cases."))
    with scopes_disabled():
        members = (
            Member.objects.filter(organiser_id=actor.organiser_id, returned_at=None)
            .exclude(trip__status__in=OVER)
            .select_related("profile", "trip")
        )
    if actor.role == Role.GROUP_LEADER:
        if not actor.person_id:
            return members.none()
        members = members.filter(trip_id__in=_led_trip_ids(actor))
    return members.order_by("trip__code", "profile__surname", "profile__given_names")
