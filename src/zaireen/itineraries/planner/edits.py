"""An organiser's edits to a plan: move, add or remove a stop, re-checked by the same rules.

Each edit returns a new plan (prayers and meals laid out again around the change) or raises
`EditRefused` naming the first rule the changed plan would break. Moving an item moves its
group with it: a journey's road and walking legs and the rest after it travel together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from zaireen.itineraries.planner import rules
from zaireen.itineraries.planner.types import (
    EditRefused,
    Item,
    Kind,
    Plan,
    PlanRequest,
    Rule,
    Unmet,
    Violation,
)

FIXED = "fixed"  # not a rule of the plan: the item cannot be edited at all
MOVABLE = (Kind.VISIT, Kind.ROAD, Kind.WALK, Kind.REST, Kind.WAIT)


def _refuse_if_broken(plan: Plan, req: PlanRequest, touched: set[str]) -> Plan:
    broken = rules.check(plan, req)
    if broken:
        # The violation about the edited items is the one to show, if there is one.
        mine = [v for v in broken if v.item in touched]
        raise EditRefused((mine or broken)[0], field="start")
    return rules.with_warnings(plan, req)


def _rebuilt(plan: Plan, req: PlanRequest, items: list[Item], unmet=None) -> Plan:
    return replace(
        plan, items=rules.finish(req, items), unmet=tuple(plan.unmet if unmet is None else unmet)
    )


def move_item(plan: Plan, req: PlanRequest, *, key: str, start: dt.datetime) -> Plan:
    """Move the item `key` (and its group) to begin at `start`."""
    try:
        item = plan.item(key)
    except KeyError:
        raise EditRefused(Violation(FIXED, f"no stop {key!r} in this plan"), field="item") from None
    if item.kind not in MOVABLE:
        raise EditRefused(
            Violation(
                FIXED,
                f"the {item.kind.replace('_', ' ')} cannot be moved: flights are "
                "fixed and prayers follow the sun",
                key,
            ),
            field="item",
        )
    delta = start - item.start
    moving = {
        it.key for it in plan.items if it.key == key or (item.group and it.group == item.group)
    }
    items = [
        replace(it, start=it.start + delta, end=it.end + delta, by_organiser=True)
        if it.key in moving
        else it
        for it in plan.items
    ]
    return _refuse_if_broken(_rebuilt(plan, req, items), req, moving)


def add_visit(
    plan: Plan, req: PlanRequest, *, site: str, start: dt.datetime, minutes: int | None = None
) -> Plan:
    """Add a visit to `site` at `start` (for the site's usual duration unless `minutes`)."""
    spec = req.sites.get(site)
    if spec is None:
        raise EditRefused(Violation(Rule.PLACE, f"unknown site {site!r}"), field="site")
    length = minutes or spec.visit_minutes
    if not 1 <= length <= 24 * 60:
        raise EditRefused(
            Violation(Rule.VISIT_TIME, "a visit lasts 1 minute to 24 hours"), field="minutes"
        )
    taken = {it.key for it in plan.items}
    n = 1
    while f"o{n}" in taken:
        n += 1
    new = Item(
        key=f"o{n}",
        kind=Kind.VISIT,
        start=start,
        end=start + dt.timedelta(minutes=length),
        city=spec.city,
        site=site,
        outdoor=spec.outdoor,
        by_organiser=True,
    )
    unmet = [u for u in plan.unmet if u.site != site]
    return _refuse_if_broken(_rebuilt(plan, req, [*plan.items, new], unmet), req, {new.key})


def remove_item(plan: Plan, req: PlanRequest, *, key: str) -> Plan:
    """Remove the stop `key`. A removed visit becomes an unmet wish "removed by the organiser";
    removing a road or walking leg is refused by the rules it leaves broken."""
    try:
        item = plan.item(key)
    except KeyError:
        raise EditRefused(Violation(FIXED, f"no stop {key!r} in this plan"), field="item") from None
    if item.kind not in MOVABLE:
        raise EditRefused(
            Violation(FIXED, f"the {item.kind.replace('_', ' ')} cannot be removed", key),
            field="item",
        )
    items = [it for it in plan.items if it.key != key]
    unmet = list(plan.unmet)
    if item.kind == Kind.VISIT and not any(it.site == item.site for it in items):
        unmet.append(Unmet(item.site, Rule.REMOVED, "removed by the organiser"))
    touched = {it.key for it in items if item.group and it.group == item.group}
    return _refuse_if_broken(_rebuilt(plan, req, items, unmet), req, touched | {key})


def recheck(plan: Plan, req: PlanRequest) -> list[Violation]:
    """The rules a saved plan breaks under today's facts (offsets, stops, occasions)."""
    return rules.check(plan, req)
