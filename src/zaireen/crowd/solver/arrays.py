"""The instance as numpy arrays, and the loads and costs of a schedule in that form.

A schedule inside the solver is an int array `starts[group, visit]`, with -1 in every column of an
unscheduled group and in the padding past a group's last visit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import Assignment, Instance

UNSCHEDULED = -1


@dataclass(frozen=True)
class Problem:
    """Groups × visits arrays, padded to the longest itinerary; zones and slots by index."""

    zone_ids: tuple[str, ...]
    group_ids: tuple[str, ...]
    slots: int
    penalty: int
    capacity: np.ndarray  # (zones, slots) int64
    size: np.ndarray  # (groups,) int64
    n_visits: np.ndarray  # (groups,) int64
    zone: np.ndarray  # (groups, K) int64, 0 in padding
    preferred: np.ndarray  # (groups, K)
    earliest: np.ndarray  # (groups, K)
    latest: np.ndarray  # (groups, K)
    duration: np.ndarray  # (groups, K), 0 in padding
    gap: np.ndarray  # (groups, K): duration + travel to the next visit; 0 after the last
    visit_mask: np.ndarray  # (groups, K): True where the group has that visit

    @property
    def n_groups(self) -> int:
        return len(self.size)

    @property
    def n_zones(self) -> int:
        return len(self.zone_ids)

    @property
    def max_visits(self) -> int:
        return self.zone.shape[1]


def compile_problem(instance: Instance) -> Problem:
    """Turn a parsed instance into arrays (the parser has already checked every value)."""
    zone_ids = tuple(zone.id for zone in instance.zones)
    zone_index = {z: i for i, z in enumerate(zone_ids)}
    n = len(instance.groups)
    k = max((len(g.visits) for g in instance.groups), default=1)
    fields = np.zeros((5, n, k), dtype=np.int64)
    gap = np.zeros((n, k), dtype=np.int64)
    n_visits = np.zeros(n, dtype=np.int64)
    for g, group in enumerate(instance.groups):
        n_visits[g] = len(group.visits)
        for v, visit in enumerate(group.visits):
            fields[:, g, v] = (
                zone_index[visit.zone],
                visit.preferred,
                visit.earliest,
                visit.latest,
                visit.duration,
            )
            if v + 1 < len(group.visits):
                gap[g, v] = visit.duration + instance.travel(visit.zone, group.visits[v + 1].zone)
    return Problem(
        zone_ids=zone_ids,
        group_ids=tuple(g.id for g in instance.groups),
        slots=instance.slots,
        penalty=instance.unscheduled_penalty,
        capacity=np.array([zone.capacity for zone in instance.zones], dtype=np.int64),
        size=np.array([g.size for g in instance.groups], dtype=np.int64),
        n_visits=n_visits,
        zone=fields[0],
        preferred=fields[1],
        earliest=fields[2],
        latest=fields[3],
        duration=fields[4],
        gap=gap,
        visit_mask=np.arange(k)[None, :] < n_visits[:, None],
    )


def loads(problem: Problem, starts: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """People in each zone during each slot, shape (zones, slots), for the groups in `rows`."""
    if rows is None:
        rows = np.arange(problem.n_groups)
    starts = starts[rows]
    mask = starts >= 0
    T = problem.slots
    zone = problem.zone[rows][mask]
    begin = starts[mask]
    end = begin + problem.duration[rows][mask]
    weight = np.broadcast_to(problem.size[rows][:, None], starts.shape)[mask]
    diff = np.zeros(problem.n_zones * (T + 1), dtype=np.int64)
    np.add.at(diff, zone * (T + 1) + begin, weight)
    np.add.at(diff, zone * (T + 1) + end, -weight)
    return np.cumsum(diff.reshape(problem.n_zones, T + 1), axis=1)[:, :T]


def deviations(problem: Problem, starts: np.ndarray) -> np.ndarray:
    """Σ |start − preferred| per group (0 for unscheduled groups)."""
    mask = starts >= 0
    return np.where(mask, np.abs(starts - problem.preferred), 0).sum(axis=1)


def objective(problem: Problem, starts: np.ndarray) -> int:
    """size × Σ|start − preferred| for scheduled groups plus size × penalty for the others."""
    scheduled = starts[:, 0] >= 0
    cost = np.where(scheduled, deviations(problem, starts), problem.penalty) * problem.size
    return int(cost.sum())


def max_load_ratio(problem: Problem, load: np.ndarray) -> float:
    """Highest load ÷ capacity over zones and slots (0 where both are 0)."""
    cap = problem.capacity
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(cap > 0, load / np.maximum(cap, 1), np.where(load > 0, np.inf, 0.0))
    return float(ratio.max()) if ratio.size else 0.0


def to_assignments(
    problem: Problem, starts: np.ndarray
) -> tuple[tuple[Assignment, ...], tuple[str, ...]]:
    """The schedule as Result fields: assignments in group order, then the unscheduled ids."""
    assignments = []
    unscheduled = []
    rows = starts.tolist()
    for g, group_id in enumerate(problem.group_ids):
        if rows[g][0] < 0:
            unscheduled.append(group_id)
        else:
            assignments.append(Assignment(group_id, tuple(rows[g][: problem.n_visits[g]])))
    return tuple(assignments), tuple(unscheduled)


def from_assignments(problem: Problem, assignments: tuple[Assignment, ...]) -> np.ndarray:
    """Starts array from Result assignments (groups not assigned stay unscheduled)."""
    index = {g: i for i, g in enumerate(problem.group_ids)}
    starts = np.full((problem.n_groups, problem.max_visits), UNSCHEDULED, dtype=np.int64)
    for item in assignments:
        g = index.get(item.group)
        if g is not None and len(item.starts) == problem.n_visits[g]:
            starts[g, : len(item.starts)] = item.starts
    return starts
