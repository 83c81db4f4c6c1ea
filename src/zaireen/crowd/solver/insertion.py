"""Placing one group at a time into the capacity that is left.

Both the first-come-first-served baseline and the repair steps of the optimiser need "the
cheapest itinerary for this group among those that still fit". The windows are small (at most a
few dozen starts per visit), so a per-group dynamic programme on numpy slices is fast enough to
place tens of thousands of groups a second.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .arrays import Problem


def room(residual_row: np.ndarray, earliest: int, latest: int, duration: int) -> np.ndarray:
    """Free places for each start in [earliest, latest]: the minimum over the visit's slots."""
    span = residual_row[earliest : latest + duration]
    if duration == 1:
        return span
    return sliding_window_view(span, duration).min(axis=1)


def best_fit(
    problem: Problem,
    g: int,
    residual: np.ndarray,
    prices: np.ndarray | None = None,
    price_weight: float = 0.0,
) -> tuple[float, np.ndarray | None]:
    """Cheapest itinerary of group g that fits in `residual` (deviation + weight × prices).

    Returns (cost, starts) with starts None when nothing fits. Ties go to the earliest start.
    """
    k = int(problem.n_visits[g])
    size = problem.size[g]
    back = []
    best = best_at = None
    prev_e = 0
    for v in range(k):
        e = int(problem.earliest[g, v])
        l_ = int(problem.latest[g, v])
        d = int(problem.duration[g, v])
        z = int(problem.zone[g, v])
        starts = np.arange(e, l_ + 1)
        cost = np.abs(starts - problem.preferred[g, v]).astype(float)
        if prices is not None and price_weight:
            window = prices[z, e : l_ + d]
            cum = np.concatenate(([0.0], np.cumsum(window)))
            cost += price_weight * (cum[d:] - cum[:-d])
        cost[room(residual[z], e, l_, d) < size] = np.inf
        if v > 0:
            j = starts - int(problem.gap[g, v - 1]) - prev_e
            reachable = j >= 0
            j = np.clip(j, 0, len(best) - 1)
            cost = cost + np.where(reachable, best[j], np.inf)
            back.append(best_at[j])
        best = np.minimum.accumulate(cost)
        best_at = np.maximum.accumulate(np.where(cost <= best, np.arange(len(cost)), 0))
        prev_e = e
    total = float(best[-1])
    if not np.isfinite(total):
        return total, None
    chosen = np.empty(k, dtype=np.int64)
    index = int(best_at[-1])
    chosen[k - 1] = index
    for v in range(k - 1, 0, -1):
        index = int(back[v - 1][index])
        chosen[v - 1] = index
    return total, chosen + problem.earliest[g, :k]


def occupy(problem: Problem, residual: np.ndarray, g: int, starts: np.ndarray, sign: int) -> None:
    """Take (sign=+1) or give back (sign=-1) group g's places along its itinerary."""
    size = problem.size[g] * sign
    for v in range(int(problem.n_visits[g])):
        s = int(starts[v])
        residual[problem.zone[g, v], s : s + problem.duration[g, v]] -= size


def fits(problem: Problem, residual: np.ndarray, g: int, starts: np.ndarray) -> bool:
    """Whether group g fits along `starts` in `residual`."""
    size = problem.size[g]
    for v in range(int(problem.n_visits[g])):
        s = int(starts[v])
        if residual[problem.zone[g, v], s : s + problem.duration[g, v]].min() < size:
            return False
    return True
