"""The rules that make a trip fit to travel, as a list of problems (pure over loaded rows).

`trip_problems` is what the trip page shows and what submission enforces, except the rule
across organisers (one trip at a time per person), which needs row locks and is checked only
inside the submission itself (see `services.trip_submit`), so it cannot be used to probe.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from zaireen.trips.models import LEADING_ROLES, MemberRole

PASSPORT_MARGIN_MONTHS = 6
PILGRIMS_PER_LEADER = 50


@dataclass(frozen=True)
class Problem:
    """One reason a trip cannot be submitted; `member` is the member's uid when it is theirs."""

    message: str
    member: str = ""
    field: str = ""


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def trip_problems(trip, members, *, today: datetime.date) -> list[Problem]:
    """Every problem of `trip` with its loaded `members` (with their profiles)."""
    problems: list[Problem] = []
    if not members:
        problems.append(Problem(_("The trip has no members yet."), field="members"))
    if trip.departure_date < today:
        problems.append(Problem(_("The departure date has passed."), field="departure_date"))
    if len(members) > trip.capacity:
        problems.append(
            Problem(
                _("%(n)d members for a capacity of %(capacity)d.")
                % {"n": len(members), "capacity": trip.capacity},
                field="capacity",
            )
        )
    pilgrims = sum(1 for m in members if m.role not in LEADING_ROLES)
    leaders = sum(1 for m in members if m.role in LEADING_ROLES)
    needed = max(1, math.ceil(pilgrims / PILGRIMS_PER_LEADER)) if members else 0
    if leaders < needed:
        problems.append(
            Problem(
                _(
                    "%(pilgrims)d pilgrims need at least %(needed)d leader(s); "
                    "the trip has %(leaders)d."
                )
                % {"pilgrims": pilgrims, "needed": needed, "leaders": leaders},
                field="members",
            )
        )
    passport_limit = add_months(trip.return_date, PASSPORT_MARGIN_MONTHS)
    for member in members:
        profile = member.profile
        name = profile.full_name
        if profile.passport_expiry < passport_limit:
            problems.append(
                Problem(
                    _("%(name)s: the passport expires on %(expiry)s, less than six months after "
                      "the return (needed until %(limit)s).")
                    % {"name": name, "expiry": profile.passport_expiry.isoformat(),
                       "limit": passport_limit.isoformat()},
                    member=str(member.uid), field="passport_expiry",
                )
            )  # fmt: skip
        if not (profile.next_of_kin_name and profile.next_of_kin_phone):
            problems.append(
                Problem(
                    _("%(name)s: no next of kin with a phone number.") % {"name": name},
                    member=str(member.uid),
                    field="next_of_kin",
                )
            )
        if member.role == MemberRole.MEDIC and not profile.phone:
            problems.append(
                Problem(
                    _("%(name)s: a medic needs a phone number.") % {"name": name},
                    member=str(member.uid),
                    field="phone",
                )
            )
    return problems
