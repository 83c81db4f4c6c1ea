"""The `optimal` method: LP prices and bound, vertex rounding, then local improvement.

1. Identical requests become classes (`classes.py`).
2. Aggregated column generation (`master.py`) solves the LP relaxation with every capacity
   lowered by a small reserve, then continues on the true capacities to tighten the bound; the
   prices it finds certify the Lagrangian bound of the true instance.
3. The split classes are re-solved at class level to get a vertex (`vertex.py`), which is
   rounded to whole groups inside the real capacities (`rounding.py`).
4. Left-out groups are placed by lifting a few groups out of their way, and best-response moves
   hand the unused reserve back (`local_search.py`).
5. With the time left, window MIPs re-pack the busiest zone-slots (`lns.py`); then an instance
   small enough for the full time-indexed MIP (`timeindexed.py`) gets it, started from our
   schedule, for whatever time remains.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field

import numpy as np

from .arrays import Problem, from_assignments, loads, objective
from .classes import group_classes
from .insertion import fits, occupy
from .lns import search
from .local_search import best_response, place_by_ejection, push_in, shift_moves
from .master import lagrangian_bound, solve_lp
from .model import Result
from .paths import cheapest_itineraries
from .rounding import place_left_out, round_vertex
from .timeindexed import model_size, solve_time_indexed
from .vertex import to_vertex

LP_SHARE = 0.5  # of the time budget, at most, for column generation with the reserve
BOUND_SHARE = 0.2  # then at most this share to tighten the bound on the true capacities
# Of the largest group, kept free in every zone-slot of the LP so that whole groups can be
# rounded into its plan. Measured on 50,000 groups: 0.4 leaves the one-visit schedule 0.4% above
# the bound instead of 0.6% with 2/3, and the three-visit one 1.1% instead of 3.5%.
RESERVE_SHARE = 0.4
VERTEX_SHARE = 0.6  # of the time left after the LP, at most, for the crossover to a vertex
EXACT_LIMIT = 40_000  # variables: up to this size the full MIP finishes the job


@dataclass
class Outcome:
    """The optimiser's schedule, its certified bound and the prices that prove it."""

    starts: np.ndarray
    bound: float
    prices: np.ndarray
    stats: dict[str, float | int | str] = field(default_factory=dict)


def reserved(problem: Problem) -> Problem:
    """The problem with capacities lowered by the rounding reserve (never below the largest
    group, so that every group still fits somewhere in the LP)."""
    if problem.n_groups == 0:
        return problem
    largest = int(problem.size.max())
    reserve = math.ceil(RESERVE_SHARE * largest)
    capacity = np.maximum(problem.capacity - reserve, np.minimum(problem.capacity, largest))
    return dataclasses.replace(problem, capacity=capacity)


def optimise(problem: Problem, *, deadline: float, warm_start: Result | None = None) -> Outcome:
    """Run the pipeline until `deadline` (a time.perf_counter() value).

    A warm start with prices and assignments (a previous result for an instance that changed a
    little) is repaired instead of solved from scratch: see `reoptimise`.
    """
    if problem.n_groups == 0:  # nothing to place; zero prices prove the bound 0
        zero = np.zeros((problem.n_zones, problem.slots))
        return Outcome(np.zeros((0, problem.max_visits), dtype=np.int64), 0.0, zero, {})
    if warm_start is not None and warm_start.certificate is not None and warm_start.assignments:
        prices = _prices_from(problem, warm_start)
        if prices is not None:
            return reoptimise(problem, warm_start, prices, deadline=deadline)
    started = time.perf_counter()
    stats: dict[str, float | int | str] = {}
    classes = group_classes(problem)
    start_prices = _prices_from(problem, warm_start)
    budget = max(deadline - started, 0.0)
    lowered = reserved(problem)
    lp = solve_lp(
        problem,
        classes,
        deadline=started + LP_SHARE * budget,
        reserve_capacity=lowered.capacity,
        bound_deadline=started + (LP_SHARE + BOUND_SHARE) * budget,
        start_prices=start_prices,
    )
    tick = _lap(stats, "lp_seconds", started)
    # Rounding a plan that is not a vertex leaves hundreds of groups out, so the crossover to
    # a vertex may take most of the time left (it needs 1–2 s after a converged LP, several
    # when the LP was stopped early).
    frac = to_vertex(
        lowered, classes, lp, time_limit=max(VERTEX_SHARE * (deadline - time.perf_counter()), 0.1)
    )
    starts = round_vertex(problem, classes, frac, lp.prices)
    tick = _lap(stats, "rounding_seconds", tick)
    stats["rounded_objective"] = objective(problem, starts)
    placed = place_by_ejection(problem, starts, lp.prices, deadline=deadline)["placed"]
    left = np.flatnonzero(starts[:, 0] < 0).tolist()
    if left:
        placed += push_in(problem, starts, lp.prices, left, deadline=deadline)["placed"]
    shifts = shift_moves(problem, starts, deadline=deadline)
    moves = best_response(problem, starts, deadline=deadline, after_shifts=True)
    if (starts[:, 0] < 0).any():
        placed += place_by_ejection(problem, starts, lp.prices, deadline=deadline)["placed"]
    tick = _lap(stats, "local_search_seconds", tick)
    stats["local_search_objective"] = objective(problem, starts)
    lns = search(problem, starts, lp.prices, deadline=deadline)
    stats.update(lns_windows=lns.windows, lns_improved=lns.improved)
    tick = _lap(stats, "lns_seconds", tick)
    if model_size(problem) <= EXACT_LIMIT and time.perf_counter() < deadline - 0.05:
        exact = solve_time_indexed(
            problem, time_limit=max(deadline - time.perf_counter(), 0.05), start=starts
        )
        better = exact.starts is not None and _no_overload(problem, exact.starts)
        if better and objective(problem, exact.starts) < objective(problem, starts):
            starts = exact.starts
        stats["exact_status"] = exact.status
        if exact.bound is not None:
            stats["exact_mip_bound"] = exact.bound
        _lap(stats, "exact_seconds", tick)
    stats.update(
        classes=classes.n,
        lp_rounds=lp.rounds,
        lp_master_seconds=round(lp.timing["master"], 3),
        lp_pricing_seconds=round(lp.timing["pricing"], 3),
        lp_value_with_reserve=round(lp.lp_value, 3),
        split_classes=int((np.diff(frac.bounds(classes.n)) > 1).sum()),
        shift_moves=shifts["moves"],
        best_response_moves=moves["moves"],
        placed_by_ejection=placed,
    )
    if warm_start is not None:
        stats["warm_start"] = "prices" if start_prices is not None else "ignored"
    return Outcome(starts=starts, bound=lp.bound, prices=lp.prices, stats=stats)


def reoptimise(
    problem: Problem, previous: Result, prices: np.ndarray, *, deadline: float
) -> Outcome:
    """Re-plan after a few groups changed: keep what is still valid, place the rest.

    Previous itineraries that still satisfy the group's windows and travel are kept (all at
    once; if capacities went down, the groups in overloaded zone-slots are lifted out, largest
    first); the other groups are placed at their cheapest fitting itinerary at the previous
    prices, those that do not fit by pushing others along the prices (`push_in`) or lifting them
    out of the way, then shifts, window MIPs and best-response moves polish the result. The
    previous prices still prove a lower bound for the new instance (any prices do), evaluated
    here afresh.
    """
    started = time.perf_counter()
    stats: dict[str, float | int | str] = {"warm_start": "schedule and prices"}
    classes = group_classes(problem)
    starts = from_assignments(problem, previous.assignments)
    starts[~_valid_rows(problem, starts)] = -1
    _lift_overloads(problem, starts)
    residual = problem.capacity - loads(problem, starts)
    waiting = np.flatnonzero(starts[:, 0] < 0)
    stats["kept"] = problem.n_groups - len(waiting)
    stats["replanned"] = len(waiting)
    bound = lagrangian_bound(problem, classes, prices)[0]
    proof = prices
    if bound < 0:  # prices that fit the new instance badly: zero prices prove at least 0
        bound, proof = 0.0, np.zeros_like(prices)
    # Leave time for turning the schedule into a Result.
    margin = deadline - 0.1 * max(deadline - started, 0.0) - 0.2
    left = _place_waiting(problem, residual, starts, waiting, prices)
    placed = push_in(problem, starts, prices, left, deadline=margin)["placed"]
    placed += place_by_ejection(problem, starts, prices, deadline=margin)["placed"]
    shifts = shift_moves(problem, starts, deadline=margin)
    lns = search(problem, starts, prices, deadline=margin, width=2, mip_seconds=0.3)
    moves = best_response(problem, starts, deadline=margin, max_passes=1, after_shifts=True)
    stats.update(
        shift_moves=shifts["moves"],
        best_response_moves=moves["moves"],
        placed_by_ejection=placed,
        lns_windows=lns.windows,
        lns_placed=lns.placed,
        seconds_to_repair=round(time.perf_counter() - started, 3),
    )
    return Outcome(starts=starts, bound=bound, prices=proof, stats=stats)


def _valid_rows(problem: Problem, starts: np.ndarray) -> np.ndarray:
    """Per group: scheduled, every start in its current window, travel respected."""
    mask = problem.visit_mask
    in_window = ((starts >= problem.earliest) & (starts <= problem.latest)) | ~mask
    travel = (starts[:, 1:] >= starts[:, :-1] + problem.gap[:, :-1]) | ~mask[:, 1:]
    return (starts[:, 0] >= 0) & in_window.all(axis=1) & travel.all(axis=1)


def _lift_overloads(problem: Problem, starts: np.ndarray) -> None:
    """Unschedule groups, largest first, from zone-slots over capacity (capacities went down)."""
    residual = problem.capacity - loads(problem, starts)
    while (residual < 0).any():
        z, t = np.unravel_index(np.argmin(residual), residual.shape)
        inside = (problem.zone == z) & (starts >= 0) & (starts <= t)
        inside &= starts + problem.duration > t
        holders = np.flatnonzero(inside.any(axis=1))
        g = int(holders[np.argmax(problem.size[holders])])
        occupy(problem, residual, g, starts[g, : problem.n_visits[g]], -1)
        starts[g] = -1


def _place_waiting(
    problem: Problem,
    residual: np.ndarray,
    starts: np.ndarray,
    waiting: np.ndarray,
    prices: np.ndarray,
) -> list[int]:
    """Place groups, largest first, at their cheapest fitting itinerary at the prices.

    The itineraries are found for all groups at once in the room left before any of them is
    placed; a group whose itinerary no longer fits when its turn comes is placed one by one
    (`place_left_out`). Returns the groups left out.
    """
    if len(waiting) == 0:
        return []
    waiting = waiting[np.argsort(-problem.size[waiting], kind="stable")]
    _, wanted = cheapest_itineraries(problem, prices, waiting, residual=residual)
    later = []
    for i, g in enumerate(waiting.tolist()):
        k = int(problem.n_visits[g])
        path = wanted[i, :k]
        deviation = int(np.abs(path - problem.preferred[g, :k]).sum())
        if path[0] >= 0 and deviation <= problem.penalty and fits(problem, residual, g, path):
            starts[g, :k] = path
            occupy(problem, residual, g, path, +1)
        else:
            later.append(g)
    return place_left_out(problem, residual, starts, later, prices)


def _no_overload(problem: Problem, starts: np.ndarray) -> bool:
    return bool((loads(problem, starts) <= problem.capacity).all())


def _lap(stats: dict, name: str, since: float) -> float:
    now = time.perf_counter()
    stats[name] = round(now - since, 3)
    return now


def _prices_from(problem: Problem, result: Result | None) -> np.ndarray | None:
    if result is None or result.certificate is None:
        return None
    prices = result.certificate.prices
    if set(prices) != set(problem.zone_ids):
        return None
    rows = [prices[z] for z in problem.zone_ids]
    if any(len(row) != problem.slots for row in rows):
        return None
    return np.array(rows, dtype=float)
