"""The independent checker: recompute everything a result claims from the instance alone.

Deliberately written in plain Python without the solver's numpy arrays or helpers, so that a bug
in the solver cannot hide itself by being repeated here. It checks that every group appears once
(scheduled or not), that each start is in its window, that travel between visits fits, that no
zone holds more people than its capacity in any slot, and it recomputes the objective and the
highest load ratio. When the result carries Lagrangian prices it re-evaluates the lower bound
they prove, so a claimed bound is never taken on trust either.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .formats import child
from .model import Instance, Result

FLOAT_TOLERANCE = 1e-6
BOUND_ROUNDING = 1e-7  # the same relative slack the solver uses when it rounds its bound up
MAX_GROUP_FINDINGS = 20  # problems with single groups listed one by one; the rest are counted


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a result: the JSON path of the value and what is wrong with it."""

    path: str
    reason: str


@dataclass
class CheckReport:
    """What the checker found; `ok` means feasible and every claimed figure is right."""

    problems: list[Finding] = field(default_factory=list)
    objective: int = 0
    scheduled: int = 0
    unscheduled: int = 0
    overloaded_cells: int = 0
    max_load_ratio: float = 0.0
    certified_bound: float | None = None
    claimed_objective: int | None = None
    claimed_bound: float | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def gap(self) -> float | None:
        """(objective − bound) ÷ bound, with the bound the checker itself certified."""
        bound = self.certified_bound
        if bound is None or bound <= 0:
            return None
        return (self.objective - bound) / bound

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "objective": self.objective,
            "claimed_objective": self.claimed_objective,
            "scheduled": self.scheduled,
            "unscheduled": self.unscheduled,
            "overloaded_cells": self.overloaded_cells,
            "max_load_ratio": self.max_load_ratio,
            "claimed_lower_bound": self.claimed_bound,
            "certified_lower_bound": self.certified_bound,
            "gap": self.gap,
            "problems": [{"path": p.path, "reason": p.reason} for p in self.problems],
        }


def check(instance: Instance, result: Result) -> CheckReport:
    """Recompute feasibility, objective, load ratio and (if certified) the bound."""
    report = CheckReport(claimed_objective=result.objective, claimed_bound=result.lower_bound)
    groups = {group.id: group for group in instance.groups}
    zones = {zone.id: zone for zone in instance.zones}
    occupancy = {zone.id: [0] * instance.slots for zone in instance.zones}
    seen: dict[str, str] = {}
    objective = 0
    per_group: list[Finding] = []

    for index, assignment in enumerate(result.assignments):
        path = f"$.assignments[{index}]"
        group = groups.get(assignment.group)
        if group is None:
            per_group.append(Finding(f"{path}.group", f"no group {assignment.group!r}"))
            continue
        if assignment.group in seen:
            per_group.append(
                Finding(f"{path}.group", f"{assignment.group!r} also at {seen[assignment.group]}")
            )
            continue
        seen[assignment.group] = path
        if len(assignment.starts) != len(group.visits):
            per_group.append(
                Finding(
                    f"{path}.starts",
                    f"{len(assignment.starts)} starts for {len(group.visits)} visits",
                )
            )
            continue
        deviation = 0
        for v, (start, visit) in enumerate(zip(assignment.starts, group.visits, strict=True)):
            spath = f"{path}.starts[{v}]"
            if not visit.earliest <= start <= visit.latest:
                per_group.append(
                    Finding(spath, f"{start} is outside [{visit.earliest}, {visit.latest}]")
                )
                continue
            if v > 0:
                before = group.visits[v - 1]
                ready = (
                    assignment.starts[v - 1]
                    + before.duration
                    + instance.travel(before.zone, visit.zone)
                )
                if start < ready:
                    per_group.append(
                        Finding(
                            spath,
                            f"starts at {start} but travel from {before.zone} allows {ready}",
                        )
                    )
            deviation += abs(start - visit.preferred)
            row = occupancy[visit.zone]
            for t in range(start, start + visit.duration):
                row[t] += group.size
        objective += group.size * deviation
        report.scheduled += 1

    for index, group_id in enumerate(result.unscheduled):
        path = f"$.unscheduled[{index}]"
        group = groups.get(group_id)
        if group is None:
            per_group.append(Finding(path, f"no group {group_id!r}"))
            continue
        if group_id in seen:
            per_group.append(Finding(path, f"{group_id!r} also at {seen[group_id]}"))
            continue
        seen[group_id] = path
        objective += group.size * instance.unscheduled_penalty
        report.unscheduled += 1

    report.problems.extend(per_group[:MAX_GROUP_FINDINGS])
    if len(per_group) > MAX_GROUP_FINDINGS:
        report.problems.append(
            Finding(
                "$.assignments",
                f"{len(per_group) - MAX_GROUP_FINDINGS} more problems with single groups"
                f" ({len(per_group)} in all)",
            )
        )
    missing = [g.id for g in instance.groups if g.id not in seen]
    if missing:
        report.problems.append(
            Finding(
                "$.assignments",
                f"{len(missing)} groups neither scheduled nor unscheduled, e.g. {missing[0]!r}",
            )
        )
        # A missing group counts as left out, so the objective is still comparable.
        objective += sum(groups[g].size for g in missing) * instance.unscheduled_penalty

    worst = 0.0
    for zone_id, row in occupancy.items():
        capacity = zones[zone_id].capacity
        for t, load in enumerate(row):
            if load > capacity[t]:
                report.overloaded_cells += 1
                if report.overloaded_cells <= 5:
                    report.problems.append(
                        Finding(
                            "$.assignments",
                            f"{zone_id} holds {load} people in slot {t}; capacity {capacity[t]}",
                        )
                    )
            if capacity[t] > 0:
                worst = max(worst, load / capacity[t])
            elif load > 0:
                worst = math.inf
    if report.overloaded_cells > 5:
        report.problems.append(
            Finding("$.assignments", f"{report.overloaded_cells} overloaded zone-slots in all")
        )
    report.objective = objective
    report.max_load_ratio = worst
    if objective != result.objective:
        report.problems.append(
            Finding("$.objective", f"claims {result.objective}, the schedule costs {objective}")
        )
    if math.isfinite(worst) and abs(worst - result.max_load_ratio) > FLOAT_TOLERANCE:
        report.problems.append(
            Finding("$.max_load_ratio", f"claims {result.max_load_ratio}, it is {worst:.6f}")
        )
    _check_bound(instance, result, report)
    return report


def _check_bound(instance: Instance, result: Result, report: CheckReport) -> None:
    if result.certificate is not None:
        prices = result.certificate.prices
        for zone in instance.zones:
            values = prices.get(zone.id)
            if values is None or len(values) != instance.slots:
                report.problems.append(
                    Finding(
                        child("$.certificate.prices", zone.id),
                        f"needs one price per slot ({instance.slots})",
                    )
                )
                return
        report.certified_bound = lagrangian_bound(instance, prices)
    claimed = result.lower_bound
    if claimed is None:
        return
    if claimed > report.objective + FLOAT_TOLERANCE * max(1.0, abs(claimed)):
        report.problems.append(
            Finding("$.lower_bound", f"{claimed} exceeds the schedule's own cost")
        )
    if report.certified_bound is not None:
        # The objective is a whole number, so a bound B proves ceil(B); the slack absorbs
        # floating-point noise in the two evaluations of L(λ).
        slack = BOUND_ROUNDING * max(1.0, abs(report.certified_bound))
        if claimed > math.ceil(report.certified_bound - slack) + 1e-9:
            report.problems.append(
                Finding(
                    "$.lower_bound",
                    f"claims {claimed} but the certificate proves only {report.certified_bound}",
                )
            )


def lagrangian_bound(instance: Instance, prices: dict[str, tuple[float, ...]]) -> float:
    """L(λ) = Σ_groups size · min(penalty, cheapest priced itinerary) − Σ λ · capacity.

    Valid for any λ >= 0: relaxing the capacities with those prices can only lower the optimum.
    The cheapest itinerary per group is a small dynamic programme over its windows.
    """
    prefix = {}
    for zone_id, row in prices.items():
        acc = [0.0]
        for value in row:
            acc.append(acc[-1] + value)
        prefix[zone_id] = acc
    total = 0.0
    for group in instance.groups:
        best: dict[int, float] = {}
        for v, visit in enumerate(group.visits):
            acc = prefix[visit.zone]
            current: dict[int, float] = {}
            if v == 0:
                reach = None
            else:
                before = group.visits[v - 1]
                gap = before.duration + instance.travel(before.zone, visit.zone)
                # running minimum over the previous visit's starts
                ordered = sorted(best.items())
                reach = (ordered, gap)
            running = math.inf
            pointer = 0
            for s in range(visit.earliest, visit.latest + 1):
                own = abs(s - visit.preferred) + acc[s + visit.duration] - acc[s]
                if reach is None:
                    current[s] = own
                    continue
                ordered, gap = reach
                while pointer < len(ordered) and ordered[pointer][0] <= s - gap:
                    running = min(running, ordered[pointer][1])
                    pointer += 1
                current[s] = own + running
            best = current
        cheapest = min(best.values(), default=math.inf)
        total += group.size * min(float(instance.unscheduled_penalty), cheapest)
    for zone in instance.zones:
        row = prices[zone.id]
        total -= sum(p * c for p, c in zip(row, zone.capacity, strict=True))
    return total
