"""From the aggregated LP optimum to a vertex with few split classes.

The block master's optimum spreads many classes over several itineraries (a block mixes whole
pricing rounds). Rounding wants the opposite: as few split classes as possible. Classes the block
solution already puts on one itinerary are fixed; the split ones get a small class-level LP over
the itineraries the block solution used, in the capacity the fixed classes leave. Its simplex
vertex has at most about one split class per binding zone-slot, at the same LP value.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from .arrays import Problem
from .classes import Classes
from .highs_factory import INF, quiet_highs
from .master import LpSolution, cells_of


@dataclass(frozen=True)
class Fractional:
    """A fractional schedule: rows (class, itinerary, fraction of the class), sorted by class."""

    cls: np.ndarray
    starts: np.ndarray
    value: np.ndarray
    unscheduled: np.ndarray  # fraction left out, per class

    def bounds(self, n_classes: int) -> np.ndarray:
        """Row range of class c: bounds[c] .. bounds[c + 1]."""
        return np.searchsorted(self.cls, np.arange(n_classes + 1))


def to_vertex(
    problem: Problem, classes: Classes, lp: LpSolution, *, time_limit: float = 30.0
) -> Fractional:
    """Re-solve the split classes at class level; falls back to the block solution on failure."""
    order = np.argsort(lp.frac_class, kind="stable")
    cls, starts, value = lp.frac_class[order], lp.frac_starts[order], lp.frac_value[order]
    bounds = np.searchsorted(cls, np.arange(classes.n + 1))
    n_paths = np.diff(bounds)
    split = (n_paths > 1) | (lp.unscheduled > 1e-9)
    single_rows = bounds[:-1][~split & (n_paths == 1)]
    split_classes = np.flatnonzero(split)
    block = Fractional(cls, starts, value, lp.unscheduled)
    if len(split_classes) == 0:
        return block
    n_cells = problem.n_zones * problem.slots
    reps = classes.representative
    ptr, cells = cells_of(problem, reps[cls[single_rows]], starts[single_rows])
    fixed = np.bincount(
        cells, weights=np.repeat(classes.mass[cls[single_rows]], np.diff(ptr)), minlength=n_cells
    )
    row_of = np.full(classes.n, -1, dtype=np.int64)
    row_of[split_classes] = n_cells + np.arange(len(split_classes))
    rows = np.flatnonzero(split[cls])
    r_cls, r_starts = cls[rows], starts[rows]
    n_split = len(split_classes)
    highs = quiet_highs()
    highs.setOptionValue("presolve", "off")
    empty_i, empty_v = np.zeros(0, dtype=np.int32), np.zeros(0)
    room = problem.capacity.reshape(-1) - fixed
    highs.addRows(
        n_cells, np.full(n_cells, -INF), room, 0, np.zeros(n_cells, dtype=np.int32), empty_i,
        empty_v,
    )  # fmt: skip
    highs.addRows(
        n_split, np.ones(n_split), np.ones(n_split), 0, np.zeros(n_split, dtype=np.int32),
        empty_i, empty_v,
    )  # fmt: skip
    ptr, cells = cells_of(problem, reps[r_cls], r_starts)
    mass = classes.mass[r_cls].astype(float)
    dev = np.where(r_starts >= 0, np.abs(r_starts - problem.preferred[reps[r_cls]]), 0).sum(axis=1)
    m = len(rows)
    per = np.diff(ptr) + 1
    col = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(per, out=col[1:])
    index = np.empty(col[-1], dtype=np.int64)
    coef = np.empty(col[-1])
    index[col[:-1]] = row_of[r_cls]
    coef[col[:-1]] = 1.0
    body = np.ones(col[-1], dtype=bool)
    body[col[:-1]] = False
    index[body] = cells
    coef[body] = np.repeat(mass, np.diff(ptr))
    highs.addCols(
        m, mass * dev, np.zeros(m), np.full(m, INF), len(index), col[:-1].astype(np.int32),
        index.astype(np.int32), coef,
    )  # fmt: skip
    out_mass = classes.mass[split_classes].astype(float)
    highs.addCols(
        n_split, out_mass * problem.penalty, np.zeros(n_split), np.full(n_split, INF), n_split,
        np.arange(n_split, dtype=np.int32), row_of[split_classes].astype(np.int32),
        np.ones(n_split),
    )  # fmt: skip
    # Crossover from the block optimum (a feasible, optimal but non-basic point) to a basis:
    # far fewer pivots than solving the class-level LP from scratch.
    start = highspy.HighsSolution()
    x0 = np.concatenate([value[rows], lp.unscheduled[split_classes]])
    start.col_value = x0.tolist()
    start.value_valid = True
    # Duals: the master's capacity prices; per class the cheapest priced column.
    lam = lp.last_prices.reshape(-1)
    col_cost = np.concatenate([mass * dev, out_mass * problem.penalty])
    priced = col_cost.copy()
    priced[:m] += np.bincount(
        np.repeat(np.arange(m), np.diff(ptr)),
        weights=lam[cells] * np.repeat(mass, np.diff(ptr)),
        minlength=m,
    )
    owner = np.concatenate([row_of[r_cls], row_of[split_classes]]) - n_cells
    mu = np.full(n_split, np.inf)
    np.minimum.at(mu, owner, priced)
    start.row_dual = np.concatenate([-lam, mu]).tolist()
    start.col_dual = (priced - mu[owner]).tolist()
    start.dual_valid = True
    began = time.perf_counter()
    highs.setOptionValue("time_limit", max(time_limit, 0.1))
    highs.crossover(start)
    left = time_limit - (time.perf_counter() - began)
    if highs.getInfo().primal_solution_status != 2 and left > 0.1:
        # Crossover found no feasible basis (the master was stopped far from optimal): solve
        # the class-level LP afresh by interior point and crossover, in the time left.
        highs.clearSolver()
        highs.setOptionValue("solver", "ipm")
        highs.setOptionValue("time_limit", left)
        highs.run()
    if highs.getInfo().primal_solution_status != 2:
        return block
    x = np.asarray(highs.getSolution().col_value)
    keep = x[:m] > 1e-9
    unscheduled = lp.unscheduled.copy()
    unscheduled[split_classes] = x[m:]
    new_cls = np.concatenate([cls[single_rows], r_cls[keep]])
    new_starts = np.concatenate([starts[single_rows], r_starts[keep]])
    new_value = np.concatenate([value[single_rows], x[:m][keep]])
    order = np.argsort(new_cls, kind="stable")
    return Fractional(new_cls[order], new_starts[order], new_value[order], unscheduled)
