"""`solve`: one entry point for both methods, returning a Result dataclass."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from .arrays import Problem, compile_problem, loads, max_load_ratio, objective, to_assignments
from .fcfs import fcfs
from .model import BoundCertificate, Instance, Result
from .optimal import optimise

METHODS = ("optimal", "fcfs")
BOUND_METHOD = "lagrangian prices from aggregated column generation (HiGHS), certificate attached"


@dataclass(frozen=True)
class SolveOptions:
    """How to solve: the method, a time budget in seconds, the fcfs booking-order seed, and
    optionally a previous result whose prices and schedule give a warm start."""

    method: str = "optimal"
    time_limit: float = 60.0
    seed: int = 0
    warm_start: Result | None = None


def finishing_margin(problem: Problem, time_limit: float) -> float:
    """Seconds kept back from the optimiser for checking the schedule and building the Result
    (0.1 s + 8 µs per visit, twice what it takes on a quiet machine), plus 1% of the budget for
    steps that end a little after the deadline, so that `seconds` stays within the time limit:
    1.5 s of 60 for 50,000 groups of up to three visits. Never more than a tenth of the budget."""
    limit = max(time_limit, 0.0)
    work = 0.1 + 8e-6 * int(problem.visit_mask.sum()) + 0.01 * limit
    return min(work, 0.1 * limit)


def solve(instance: Instance, options: SolveOptions | None = None) -> Result:
    """Schedule the instance; the result never overloads a zone."""
    options = options or SolveOptions()
    if options.method not in METHODS:
        raise ValueError(f"unknown method {options.method!r}; use one of {', '.join(METHODS)}")
    started = time.perf_counter()
    problem = compile_problem(instance)
    if options.method == "fcfs":
        starts = fcfs(problem, options.seed)
        bound = None
        prices = None
        stats: dict[str, float | int | str] = {}
    else:
        outcome = optimise(
            problem,
            deadline=started + options.time_limit - finishing_margin(problem, options.time_limit),
            warm_start=options.warm_start,
        )
        starts, bound, prices, stats = outcome.starts, outcome.bound, outcome.prices, outcome.stats
    load = loads(problem, starts)
    if (load > problem.capacity).any():  # a bug, never a result
        raise AssertionError("the schedule overloads a zone")
    assignments, unscheduled = to_assignments(problem, starts)
    lower_bound = None
    certificate = None
    if bound is not None and math.isfinite(bound):
        # The objective is a whole number, so the bound may be rounded up; a hair of slack
        # absorbs floating-point error in L(λ).
        lower_bound = float(math.ceil(bound - 1e-7 * max(1.0, abs(bound))))
        certificate = BoundCertificate(
            prices={z: tuple(row.tolist()) for z, row in zip(problem.zone_ids, prices, strict=True)}
        )
    return Result(
        method=options.method,
        assignments=assignments,
        unscheduled=unscheduled,
        objective=objective(problem, starts),
        lower_bound=lower_bound,
        bound_method=BOUND_METHOD if lower_bound is not None else None,
        max_load_ratio=round(max_load_ratio(problem, load), 6),
        seconds=round(time.perf_counter() - started, 3),
        certificate=certificate,
        stats=stats,
    )
