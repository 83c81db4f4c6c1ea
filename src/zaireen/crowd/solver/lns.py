"""Large-neighbourhood search: re-pack one zone's busy window at a time with a small MIP.

Whole groups of 20–60 people cannot fill a zone-slot to the last person the way the LP does, and
the people who do not fit must go somewhere. A window neighbourhood frees every group with a
visit in one zone overlapping a few slots, lets that visit move a few slots either way (its other
visits stay, travel still fits), adds the left-out groups whose windows reach the area, and asks
the assignment MIP for the cheapest packing within the capacity everyone else leaves. Few
capacity rows and many small items make these MIPs easy, and the current plan is the starting
solution, so a window never makes the schedule worse or overloads a zone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from .arrays import Problem, loads
from .assignment_mip import choose_itineraries
from .insertion import occupy
from .master import shifted
from .paths import cheapest_itineraries


@dataclass
class LnsStats:
    """Counters for the report."""

    windows: int = 0
    improved: int = 0
    gain: int = 0
    placed: int = 0
    seconds: float = 0.0
    log: list[tuple[int, int, int]] = field(default_factory=list)


def group_cost(problem: Problem, starts: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Objective contribution of each group in `rows`."""
    s = starts[rows]
    scheduled = s[:, 0] >= 0
    dev = np.where(s >= 0, np.abs(s - problem.preferred[rows]), 0).sum(axis=1)
    return np.where(scheduled, dev, problem.penalty) * problem.size[rows]


def window_candidates(
    problem: Problem,
    starts: np.ndarray,
    zone: int,
    lo: int,
    hi: int,
    radius: int,
    prices: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(groups, candidate itineraries, owner index) for the window [lo, hi) of `zone`."""
    placed = starts[:, 0] >= 0
    end = starts + problem.duration
    touching = (problem.zone == zone) & (starts >= 0) & (starts < hi) & (end > lo)
    touching &= placed[:, None]
    groups, visits = np.nonzero(touching)
    groups, first = np.unique(groups, return_index=True)
    visits = visits[first]
    # Left-out groups whose windows reach the area.
    out = ~placed
    reach = (
        (problem.zone == zone) & (problem.earliest < hi) & (problem.latest + problem.duration > lo)
    )
    reach &= problem.visit_mask & out[:, None]
    lost = np.flatnonzero(reach.any(axis=1))
    rows, owner = [], []
    k_max = problem.max_visits
    for i, (g, v) in enumerate(zip(groups.tolist(), visits.tolist(), strict=True)):
        current = starts[g]
        s0 = int(current[v])
        lo_s = max(int(problem.earliest[g, v]), s0 - radius)
        hi_s = min(int(problem.latest[g, v]), s0 + radius)
        if v > 0:
            lo_s = max(lo_s, int(current[v - 1] + problem.gap[g, v - 1]))
        if v + 1 < problem.n_visits[g]:
            hi_s = min(hi_s, int(current[v + 1] - problem.gap[g, v]))
        options = np.repeat(current[None, :], hi_s - lo_s + 1, axis=0)
        options[:, v] = np.arange(lo_s, hi_s + 1)
        rows.append(options)
        owner.append(np.full(len(options), i))
    base = len(groups)
    if len(lost):
        _, cheapest = cheapest_itineraries(problem, prices, lost)
        for j, g in enumerate(lost.tolist()):
            if cheapest[j, 0] < 0:
                continue
            reps = np.full(1, g)
            options = [cheapest[j : j + 1]]
            options += [shifted(problem, reps, cheapest[j : j + 1], d) for d in range(-6, 7) if d]
            block = np.unique(np.concatenate(options), axis=0)
            block = block[block[:, 0] >= 0]
            rows.append(block)
            owner.append(np.full(len(block), base + j))
    all_groups = np.concatenate([groups, lost]).astype(np.int64)
    if not rows:
        return all_groups, np.zeros((0, k_max), dtype=np.int64), np.zeros(0, dtype=np.int64)
    return all_groups, np.concatenate(rows), np.concatenate(owner)


def improve_window(
    problem: Problem,
    starts: np.ndarray,
    residual: np.ndarray,
    zone: int,
    lo: int,
    hi: int,
    *,
    radius: int,
    prices: np.ndarray | None,
    time_limit: float,
) -> tuple[int, int]:
    """Re-pack one window in place; returns (cost gain, groups newly placed)."""
    groups, cands, owner = window_candidates(problem, starts, zone, lo, hi, radius, prices)
    if len(groups) == 0 or len(cands) == 0:
        return 0, 0
    present = np.unique(owner)
    if len(present) < len(groups):  # a left-out group without any candidate: drop it
        keep = np.zeros(len(groups), dtype=bool)
        keep[present] = True
        remap = np.cumsum(keep) - 1
        groups, owner = groups[keep], remap[owner]
    before = int(group_cost(problem, starts, groups).sum())
    room = residual.copy()
    for g in groups.tolist():
        if starts[g, 0] >= 0:
            occupy(problem, room, g, starts[g], -1)
    choice = choose_itineraries(
        problem,
        groups,
        cands,
        owner,
        room,
        incumbent=starts[groups],
        time_limit=time_limit,
    )
    if choice is None:
        return 0, 0
    new = choice.starts
    trial = starts.copy()
    trial[groups] = new
    after = int(group_cost(problem, trial, groups).sum())
    if after >= before:
        return 0, 0
    check = room.copy()
    for i, g in enumerate(groups.tolist()):
        if new[i, 0] >= 0:
            occupy(problem, check, g, new[i], +1)
    if (check < 0).any():  # never accept an overload, whatever the MIP said
        return 0, 0
    newly = int(((starts[groups, 0] < 0) & (new[:, 0] >= 0)).sum())
    starts[groups] = new
    residual[:] = check
    return before - after, newly


def search(
    problem: Problem,
    starts: np.ndarray,
    prices: np.ndarray | None,
    *,
    deadline: float,
    width: int = 4,
    radius: int = 2,
    mip_seconds: float = 1.0,
) -> LnsStats:
    """Sweep windows over the busy zone-slots until no window improves or the deadline."""
    started = time.perf_counter()
    stats = LnsStats()
    residual = problem.capacity - loads(problem, starts)
    rounds = 0
    setup = 0.0  # most seconds a window took beyond its MIP's time limit (building the MIP)
    while time.perf_counter() < deadline:
        rounds += 1
        windows = _busy_windows(problem, starts, residual, prices, width)
        improved_this_round = 0
        for zone, lo in windows:
            budget = min(mip_seconds, deadline - time.perf_counter() - setup)
            if budget < 0.05:  # the window would not end by the deadline
                break
            tick = time.perf_counter()
            gain, placed = improve_window(
                problem, starts, residual, zone, lo, lo + width,
                radius=radius, prices=prices, time_limit=budget,
            )  # fmt: skip
            setup = max(setup, time.perf_counter() - tick - budget)
            stats.windows += 1
            if gain > 0:
                stats.improved += 1
                stats.gain += gain
                stats.placed += placed
                improved_this_round += 1
        stats.log.append((rounds, improved_this_round, stats.gain))
        if improved_this_round == 0 or time.perf_counter() + setup + 0.05 >= deadline:
            break
    stats.seconds = time.perf_counter() - started
    return stats


def _busy_windows(
    problem: Problem,
    starts: np.ndarray,
    residual: np.ndarray,
    prices: np.ndarray | None,
    width: int,
) -> list[tuple[int, int]]:
    """Windows worth re-packing: where capacity is (nearly) used up or left-out groups wait,
    busiest first, alternating in offset so that consecutive sweeps overlap."""
    T = problem.slots
    tight = residual < problem.size.max()
    if prices is not None:
        tight |= prices > 0
    out = starts[:, 0] < 0
    wanted = np.zeros_like(tight)
    if out.any():
        g, v = np.nonzero(problem.visit_mask & out[:, None])
        for z, a, b in zip(
            problem.zone[g, v].tolist(),
            problem.earliest[g, v].tolist(),
            (problem.latest[g, v] + problem.duration[g, v]).tolist(),
            strict=True,
        ):
            wanted[z, a:b] = True
    windows = []
    for z in range(problem.n_zones):
        for lo in range(0, T, width):
            hi = min(lo + width, T)
            if wanted[z, lo:hi].any() or tight[z, lo:hi].any():
                pressure = int(wanted[z, lo:hi].sum()) * T + int(tight[z, lo:hi].sum())
                windows.append((pressure, z, lo))
    windows.sort(key=lambda w: -w[0])
    return [(z, lo) for _, z, lo in windows]
