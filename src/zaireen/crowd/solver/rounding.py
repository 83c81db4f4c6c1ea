"""From a fractional LP vertex to whole groups, without ever overloading a zone.

The LP was solved with every capacity lowered by a reserve (about two thirds of the largest
group), and its vertex splits only a few hundred classes. So:

1. groups of classes on a single itinerary take it (they fit: the LP load is within capacity);
2. each split class hands its groups, largest first, to the itinerary with the most LP share
   left, as long as the group fits inside that share;
3. the groups that fit no share (about one per split class) take the itinerary of their class
   that still fits in the real capacity, which the reserve guarantees almost always;
4. anyone left is placed at the cheapest itinerary that fits (priced with the LP prices), or
   left out for the local search to deal with.

The reserve the groups did not need is handed back by the local search (`local_search.py`).
"""

from __future__ import annotations

import numpy as np

from .arrays import UNSCHEDULED, Problem, loads
from .classes import Classes
from .insertion import best_fit, fits, occupy
from .vertex import Fractional


def round_vertex(
    problem: Problem, classes: Classes, frac: Fractional, prices: np.ndarray | None
) -> np.ndarray:
    """Whole-group starts; never exceeds any capacity of `problem`."""
    starts = np.full((problem.n_groups, problem.max_visits), UNSCHEDULED, dtype=np.int64)
    bounds = frac.bounds(classes.n)
    members = classes.members()
    deferred: list[tuple[int, int]] = []
    n_paths = np.diff(bounds)
    # Classes wholly on one itinerary: all their groups take it at once. Their people are part
    # of the LP's load, which is within capacity, so they fit together (checked all the same).
    first_value = np.zeros(classes.n)
    first_value[n_paths > 0] = frac.value[bounds[:-1][n_paths > 0]]
    whole = np.flatnonzero((n_paths == 1) & (first_value > 1 - 1e-9))
    if len(whole):
        taken = np.zeros(classes.n, dtype=bool)
        taken[whole] = True
        rows = np.flatnonzero(taken[classes.of_group])
        starts[rows] = frac.starts[bounds[classes.of_group[rows]]]
        if (loads(problem, starts) > problem.capacity).any():  # only by rounding noise
            starts[rows] = UNSCHEDULED
            whole = whole[:0]
    residual = problem.capacity - loads(problem, starts)
    done = np.zeros(classes.n, dtype=bool)
    done[whole] = True
    # Then the other single-itinerary classes, then the split ones.
    for c in np.argsort(n_paths > 1, kind="stable").tolist():
        if done[c]:
            continue
        lo, hi = bounds[c], bounds[c + 1]
        if lo == hi:
            deferred.extend((g, c) for g in members[c].tolist())
            continue
        share = frac.value[lo:hi] * classes.mass[c]
        for g in sorted(members[c].tolist(), key=lambda g: -problem.size[g]):
            i = int(np.argmax(share))
            path = frac.starts[lo + i]
            if share[i] >= problem.size[g] - 1e-6 and fits(problem, residual, g, path):
                share[i] -= problem.size[g]
                starts[g] = path
                occupy(problem, residual, g, path, +1)
            else:
                deferred.append((g, c))
    waiting = []
    for g, c in sorted(deferred, key=lambda item: -problem.size[item[0]]):
        lo, hi = bounds[c], bounds[c + 1]
        for i in np.argsort(-frac.value[lo:hi], kind="stable").tolist():
            path = frac.starts[lo + i]
            if fits(problem, residual, g, path):
                starts[g] = path
                occupy(problem, residual, g, path, +1)
                break
        else:
            waiting.append(g)
    place_left_out(problem, residual, starts, waiting, prices)
    return starts


def place_left_out(
    problem: Problem,
    residual: np.ndarray,
    starts: np.ndarray,
    waiting: list[int],
    prices: np.ndarray | None,
) -> list[int]:
    """Place groups, largest first, at their cheapest fitting itinerary; returns those left out.

    A group stays out when nothing fits or when every fitting itinerary costs more than the
    unscheduled penalty.
    """
    left_out = []
    for g in sorted(waiting, key=lambda g: -problem.size[g]):
        weight = 1.0 if prices is not None else 0.0
        _, chosen = best_fit(problem, g, residual, prices, price_weight=weight)
        if chosen is None or _deviation(problem, g, chosen) > problem.penalty:
            left_out.append(g)
            continue
        starts[g, : len(chosen)] = chosen
        occupy(problem, residual, g, chosen, +1)
    return left_out


def _deviation(problem: Problem, g: int, chosen: np.ndarray) -> int:
    return int(np.abs(chosen - problem.preferred[g, : len(chosen)]).sum())
