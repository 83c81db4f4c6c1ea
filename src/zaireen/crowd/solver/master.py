"""The LP relaxation by aggregated column generation, and the Lagrangian bound it certifies.

Requests are grouped into classes (identical requests, `classes.py`) and classes into blocks
(same zone sequence, nearby first preferred slot). A pricing round gives every class its
cheapest itinerary at the current prices λ (`paths.py`); a block's column is the load profile
and cost of all its classes following their round's itineraries. The restricted master LP picks,
per block, a convex combination of its columns (plus an "unscheduled" column) subject to the
zone-slot capacities; its capacity duals are the next prices.

Aggregating classes into blocks keeps the master small (about as many rows as zone-slots plus
blocks) so HiGHS re-solves it in a fraction of a second, and since a block's classes react alike
to prices the generation still converges to the LP optimum in a few dozen rounds.

Any λ >= 0 gives the Lagrangian bound

    L(λ) = Σ_c mass_c · min(penalty, cheapest_c(λ)) − Σ_{z,t} λ[z,t] · capacity[z,t],

which every round evaluates exactly over every class, so the bound reported is valid however
early the generation stops; at LP optimality it equals the LP value.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

import numpy as np

from .arrays import UNSCHEDULED, Problem
from .classes import Classes
from .highs_factory import INF, quiet_highs
from .paths import cheapest_itineraries

SHIFTS = (-16, -12, -8, -5, -3, -1, 1, 3, 5, 8, 12, 16)
# Itineraries of several visits make dense block columns and a slow master: coarser blocks and
# a cap on the columns added per round keep each re-solve short (measured on 50,000 groups).
MULTI_VISIT_BLOCK_WIDTH = 4
MULTI_VISIT_NEW_COLUMNS = 300


@dataclass
class LpSolution:
    """Prices, bound and the fractional schedule that column generation leaves behind."""

    prices: np.ndarray  # λ of the best bound, (zones, slots)
    bound: float  # L(prices), a valid lower bound
    lp_value: float  # value of the last restricted master (an upper bound on the LP value)
    last_prices: np.ndarray  # duals of the last master
    # Fractional schedule per class: rows (class, starts, fraction); fractions of a class sum to
    # 1 minus its unscheduled fraction.
    frac_class: np.ndarray
    frac_starts: np.ndarray
    frac_value: np.ndarray
    unscheduled: np.ndarray  # per class
    rounds: int = 0
    seconds: float = 0.0
    history: list[tuple[float, float]] = field(default_factory=list)
    timing: dict[str, float] = field(default_factory=dict)


def lagrangian_bound(
    problem: Problem, classes: Classes, prices: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray]:
    """L(λ) and, per class, the cheapest itinerary per person and its starts."""
    cost, starts = cheapest_itineraries(problem, prices, classes.representative)
    value = float(np.minimum(cost, problem.penalty) @ classes.mass)
    value -= float((prices * problem.capacity).sum())
    return value, cost, starts


def cells_of(
    problem: Problem, groups: np.ndarray, starts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Zone-slot cells (zone × slots + slot) each itinerary occupies, in CSR form (ptr, cells)."""
    T = problem.slots
    mask = starts >= 0
    dur = np.where(mask, problem.duration[groups], 0)
    ptr = np.zeros(len(groups) + 1, dtype=np.int64)
    np.cumsum(dur.sum(axis=1), out=ptr[1:])
    base = (problem.zone[groups] * T + np.where(mask, starts, 0))[mask]
    counts = dur[mask]
    return ptr, np.repeat(base, counts) + _within(counts)


def _within(counts: np.ndarray) -> np.ndarray:
    """0..c-1 for each count c, concatenated."""
    total = int(counts.sum())
    return np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)


def concatenated_ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """np.concatenate([arange(s, s + c) for s, c in zip(starts, counts)]), without the loop."""
    return np.repeat(starts, counts) + _within(counts)


def make_blocks(problem: Problem, classes: Classes, width: int = 1) -> np.ndarray:
    """Block of each class: same zone sequence, first preferred slot in the same `width` band."""
    reps = classes.representative
    key = np.concatenate(
        [
            problem.n_visits[reps][:, None],
            np.where(problem.visit_mask[reps], problem.zone[reps], -1),
            problem.preferred[reps, :1] // width,
        ],
        axis=1,
    )
    if len(key) == 0:
        return np.zeros(0, dtype=np.int64)
    _, block = np.unique(key, axis=0, return_inverse=True)
    return block.reshape(-1)


def shifted(problem: Problem, groups: np.ndarray, starts: np.ndarray, delta: int) -> np.ndarray:
    """Itineraries moved by `delta` slots, clipped to the windows and pushed to keep travel."""
    s = np.clip(starts + delta, problem.earliest[groups], problem.latest[groups])
    for v in range(1, problem.max_visits):
        s[:, v] = np.maximum(s[:, v], s[:, v - 1] + problem.gap[groups, v - 1])
    ok = (s <= problem.latest[groups]) | ~problem.visit_mask[groups]
    s = np.where(problem.visit_mask[groups], s, UNSCHEDULED)
    s[~ok.all(axis=1)] = UNSCHEDULED
    return s


class _Master:
    """The restricted master in HiGHS: capacity rows, one convexity row per block."""

    def __init__(self, problem: Problem, classes: Classes, block: np.ndarray) -> None:
        self.problem = problem
        self.classes = classes
        self.block = block
        self.n_blocks = int(block.max()) + 1 if len(block) else 0
        self.n_cells = problem.n_zones * problem.slots
        self.highs = quiet_highs()
        self.highs.setOptionValue("presolve", "off")
        # Primal simplex re-solves quickly after columns are added (the basis stays feasible).
        self.highs.setOptionValue("simplex_strategy", 4)
        n, b = self.n_cells, self.n_blocks
        empty_i, empty_v = np.zeros(0, dtype=np.int32), np.zeros(0)
        self.highs.addRows(
            n, np.full(n, -INF), problem.capacity.reshape(-1).astype(float), 0,
            np.zeros(n, dtype=np.int32), empty_i, empty_v,
        )  # fmt: skip
        self.highs.addRows(
            b, np.ones(b), np.ones(b), 0, np.zeros(b, dtype=np.int32), empty_i, empty_v
        )
        block_mass = np.bincount(block, weights=classes.mass, minlength=b)
        self.highs.addCols(
            b, block_mass * problem.penalty, np.zeros(b), np.full(b, INF), b,
            np.arange(b, dtype=np.int32), (n + np.arange(b)).astype(np.int32), np.ones(b),
        )  # fmt: skip
        self.rounds: list[np.ndarray] = []  # starts per class for each round
        self.col_block = np.arange(b)
        self.col_round = np.full(b, -1)  # -1: the unscheduled column
        self.mu = np.zeros(b)
        self.max_new = 0  # columns added per round at most (0: all improving ones)
        self.prices = np.zeros((problem.n_zones, problem.slots))

    def add_round(self, starts: np.ndarray, *, only_improving: bool) -> int:
        """Add the block columns of one pricing round; returns how many were added."""
        problem, classes, block = self.problem, self.classes, self.block
        reps = classes.representative
        scheduled = starts[:, 0] >= 0
        dev = np.where(starts >= 0, np.abs(starts - problem.preferred[reps]), 0).sum(axis=1)
        cost = np.where(scheduled, dev, problem.penalty) * classes.mass
        block_cost = np.bincount(block, weights=cost, minlength=self.n_blocks)
        ptr, cells = cells_of(problem, reps, starts)
        per_class = np.diff(ptr)
        owner = np.repeat(block, per_class)
        weight = np.repeat(classes.mass.astype(float), per_class)
        if only_improving:
            price = self.prices.reshape(-1)[cells] * weight
            reduced = block_cost + np.bincount(owner, weights=price, minlength=self.n_blocks)
            reduced -= self.mu
            keep = reduced < -1e-7 * np.maximum(np.abs(self.mu), 1.0)
            if self.max_new and keep.sum() > self.max_new:
                cut = np.partition(reduced[keep], self.max_new)[self.max_new]
                keep &= reduced < cut
        else:
            keep = np.ones(self.n_blocks, dtype=bool)
        if not keep.any():
            return 0
        take = keep[owner]
        key = owner[take] * self.n_cells + cells[take]
        uniq, inverse = np.unique(key, return_inverse=True)
        values = np.bincount(inverse, weights=weight[take])
        col_of = uniq // self.n_cells
        new_blocks = np.flatnonzero(keep)
        # CSC with the convexity entry first in each column.
        counts = np.bincount(col_of, minlength=self.n_blocks)[new_blocks] + 1
        start = np.zeros(len(new_blocks) + 1, dtype=np.int64)
        np.cumsum(counts, out=start[1:])
        index = np.empty(start[-1], dtype=np.int64)
        value = np.empty(start[-1])
        index[start[:-1]] = self.n_cells + new_blocks
        value[start[:-1]] = 1.0
        body = np.ones(start[-1], dtype=bool)
        body[start[:-1]] = False
        index[body] = uniq % self.n_cells  # uniq is sorted by block, then cell
        value[body] = values
        m = len(new_blocks)
        self.highs.addCols(
            m, block_cost[new_blocks], np.zeros(m), np.full(m, INF), len(index),
            start[:-1].astype(np.int32), index.astype(np.int32), value,
        )  # fmt: skip
        self.col_block = np.concatenate([self.col_block, new_blocks])
        self.col_round = np.concatenate([self.col_round, np.full(m, len(self.rounds))])
        self.rounds.append(starts.astype(np.int32))
        return m

    def set_capacity(self, capacity: np.ndarray) -> None:
        """Change the capacity rows' right-hand sides (the basis stays, HiGHS re-optimises)."""
        n = self.n_cells
        self.highs.changeRowsBounds(
            n, np.arange(n, dtype=np.int32), np.full(n, -INF), capacity.reshape(-1).astype(float)
        )

    def solve(self) -> float:
        """Re-solve the master; its capacity duals become the next prices."""
        self.highs.run()
        dual = np.asarray(self.highs.getSolution().row_dual)
        self.prices = np.maximum(-dual[: self.n_cells], 0.0).reshape(
            self.problem.n_zones, self.problem.slots
        )
        self.mu = dual[self.n_cells :]
        return float(self.highs.getInfo().objective_function_value)

    def fractional(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The master's solution per class: (class, starts, fraction) rows and unscheduled."""
        x = np.asarray(self.highs.getSolution().col_value)
        col_block = self.col_block
        col_round = self.col_round
        used = np.flatnonzero(x > 1e-9)
        classes_of_block = _members(self.block, self.n_blocks)
        unscheduled = np.zeros(self.classes.n)
        rows_c, rows_s, rows_v = [], [], []
        for j in used:
            cls = classes_of_block[col_block[j]]
            if col_round[j] < 0:
                unscheduled[cls] += x[j]
                continue
            starts = self.rounds[col_round[j]][cls].astype(np.int64)
            out = starts[:, 0] < 0
            unscheduled[cls[out]] += x[j]
            rows_c.append(cls[~out])
            rows_s.append(starts[~out])
            rows_v.append(np.full(int((~out).sum()), x[j]))
        if not rows_c:
            k = self.problem.max_visits
            return np.zeros(0, np.int64), np.zeros((0, k), np.int64), np.zeros(0), unscheduled
        cls = np.concatenate(rows_c)
        starts = np.concatenate(rows_s)
        value = np.concatenate(rows_v)
        # Merge identical (class, itinerary) rows.
        key = np.concatenate([cls[:, None], starts], axis=1)
        uniq, inverse = np.unique(key, axis=0, return_inverse=True)
        merged = np.bincount(inverse.reshape(-1), weights=value)
        return uniq[:, 0], uniq[:, 1:], merged, unscheduled


def _members(of: np.ndarray, n: int) -> list[np.ndarray]:
    order = np.argsort(of, kind="stable")
    return np.split(order, np.cumsum(np.bincount(of, minlength=n))[:-1])


@dataclass
class _Progress:
    """Best true bound so far and the prices behind it."""

    bound: float
    prices: np.ndarray
    rounds: int = 0
    history: list[tuple[float, float]] = field(default_factory=list)
    timing: dict[str, float] = field(default_factory=lambda: {"master": 0.0, "pricing": 0.0})


def _generate(
    master: _Master,
    problem: Problem,
    classes: Classes,
    reserve: np.ndarray,
    progress: _Progress,
    *,
    deadline: float,
    tolerance: float,
    max_rounds: int,
    smoothing: float,
) -> tuple[float, bool]:
    """Rounds of column generation on `problem`'s capacities.

    Returns the last master value and whether the generation converged (master and bound met,
    or no column could improve), rather than being stopped by the deadline or the round limit.

    The true bound is the priced bound minus Σ λ·reserve (L depends on the capacities only
    through −Σ λ·capacity), so no second pricing is needed.
    """
    best_bound, best_prices = -np.inf, np.zeros((problem.n_zones, problem.slots))
    value = np.inf
    pricing_seconds = 0.0
    for _ in range(max_rounds):
        progress.rounds += 1
        tick = time.perf_counter()
        value = master.solve()
        master_seconds = time.perf_counter() - tick
        progress.timing["master"] += master_seconds
        if value - best_bound <= tolerance * max(abs(value), 1.0):
            return value, True
        # The new duals are always priced (that evaluates the bound they prove), but columns are
        # only added if another master solve, as long as this one, still ends by the deadline;
        # otherwise the master's solution is left as it is, matching its last solve.
        last = time.perf_counter() + pricing_seconds + master_seconds > deadline
        # Wentges smoothing: price between the best-bound prices and the master's duals, which
        # damps the oscillation of plain column generation; fall back to the duals themselves
        # when the smoothed prices find no improving column.
        added = 0
        tick = time.perf_counter()
        for weight in (smoothing, 0.0) if np.isfinite(best_bound) and not last else (0.0,):
            prices = weight * best_prices + (1.0 - weight) * master.prices
            bound, cost, starts = lagrangian_bound(problem, classes, prices)
            # As in L(λ), a class whose cheapest priced itinerary costs more than the penalty is
            # better left out: the block column must make the same choice, or the master cannot
            # find the columns that close the gap to the bound (it stalls when prices are high,
            # as at the start on 250,000 groups).
            starts[cost >= problem.penalty] = UNSCHEDULED
            if bound > best_bound:
                best_bound, best_prices = bound, prices
            real = bound - float((prices * reserve).sum())
            if real > progress.bound:
                progress.bound, progress.prices = real, prices
            if last:
                break
            added = master.add_round(starts, only_improving=True)
            if added:
                break
        pricing_seconds = time.perf_counter() - tick
        progress.timing["pricing"] += pricing_seconds
        progress.history.append((value, best_bound))
        if not added:
            return value, not last
    return value, False


def solve_lp(
    problem: Problem,
    classes: Classes,
    *,
    deadline: float,
    reserve_capacity: np.ndarray | None = None,
    bound_deadline: float | None = None,
    tolerance: float = 1e-5,
    max_rounds: int = 200,
    block_width: int | None = None,
    max_new_columns: int | None = None,
    start_prices: np.ndarray | None = None,
    smoothing: float = 0.5,
) -> LpSolution:
    """Column generation until the master and the Lagrangian bound meet, or the deadline.

    With `reserve_capacity` (capacities lowered so that whole groups can later be rounded into
    the LP's plan) the fractional schedule returned is that of the reserved LP; generation then
    continues on the true capacities until `bound_deadline`, only to tighten the bound. Every
    bound is evaluated for the true instance, so it is valid whenever the generation stops.
    """
    started = time.perf_counter()
    zero = np.zeros((problem.n_zones, problem.slots))
    lowered = (
        dataclasses.replace(problem, capacity=reserve_capacity)
        if reserve_capacity is not None
        else problem
    )
    reserve = (problem.capacity - lowered.capacity).astype(float)
    multi = problem.max_visits > 1
    if block_width is None:
        block_width = MULTI_VISIT_BLOCK_WIDTH if multi else 1
    if max_new_columns is None:
        max_new_columns = MULTI_VISIT_NEW_COLUMNS if multi else 0
    master = _Master(lowered, classes, make_blocks(problem, classes, block_width))
    master.max_new = max_new_columns
    home_bound, _, home = lagrangian_bound(problem, classes, zero)
    master.add_round(home, only_improving=False)
    reps = classes.representative
    for delta in SHIFTS:
        master.add_round(shifted(problem, reps, home, delta), only_improving=False)
    # Zero prices prove the capacity-free bound (every group at its wish): never below 0.
    progress = _Progress(bound=home_bound, prices=zero)
    if start_prices is not None:
        bound, _, starts = lagrangian_bound(problem, classes, start_prices)
        if bound > progress.bound:
            progress.bound, progress.prices = bound, start_prices
        master.add_round(starts, only_improving=False)
    settings = {"tolerance": tolerance, "max_rounds": max_rounds, "smoothing": smoothing}
    value, converged = _generate(
        master, lowered, classes, reserve, progress, deadline=deadline, **settings
    )
    tighten = reserve_capacity is not None and bound_deadline is not None
    if tighten and not converged and time.perf_counter() < bound_deadline:
        # The plan that will be rounded is not optimal yet; it matters more than a tighter
        # bound (a plan far from optimal defeats the vertex step), so its generation goes on
        # in the bound's share of the time.
        value, converged = _generate(
            master, lowered, classes, reserve, progress, deadline=bound_deadline, **settings
        )
    frac_class, frac_starts, frac_value, unscheduled = master.fractional()
    last_prices = master.prices
    if tighten and converged and time.perf_counter() < bound_deadline:
        master.set_capacity(problem.capacity)
        _generate(
            master, problem, classes, np.zeros_like(reserve), progress,
            deadline=bound_deadline, **settings,
        )  # fmt: skip
    return LpSolution(
        prices=progress.prices,
        bound=progress.bound,
        lp_value=value,
        last_prices=last_prices,
        frac_class=frac_class,
        frac_starts=frac_starts,
        frac_value=frac_value,
        unscheduled=unscheduled,
        rounds=progress.rounds,
        seconds=time.perf_counter() - started,
        history=progress.history,
        timing=progress.timing,
    )
