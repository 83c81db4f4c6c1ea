"""The first-come-first-served baseline: what a booking portal does today.

Groups arrive in a random (seeded) order; each takes the itinerary nearest to its wishes (least
total deviation) that still fits, or is turned away. This is the yardstick the optimiser is
measured against.
"""

from __future__ import annotations

import numpy as np

from .arrays import UNSCHEDULED, Problem
from .insertion import best_fit, occupy


def fcfs(problem: Problem, seed: int = 0) -> np.ndarray:
    """Starts per group (−1 for groups turned away), booking in a seeded random order."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(problem.n_groups)
    residual = problem.capacity.copy()
    starts = np.full((problem.n_groups, problem.max_visits), UNSCHEDULED, dtype=np.int64)
    for g in order.tolist():
        _, chosen = best_fit(problem, g, residual)
        if chosen is not None:
            starts[g, : len(chosen)] = chosen
            occupy(problem, residual, g, chosen, +1)
    return starts
