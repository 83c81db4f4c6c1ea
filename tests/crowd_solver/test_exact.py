"""On small instances the optimal method finds the true optimum, and its LP bound is the LP."""

import itertools
import time

import numpy as np
import pytest

from zaireen.crowd.solver import GeneratorSettings, SolveOptions, generate, solve
from zaireen.crowd.solver.arrays import compile_problem, objective
from zaireen.crowd.solver.classes import group_classes
from zaireen.crowd.solver.master import solve_lp
from zaireen.crowd.solver.timeindexed import solve_time_indexed

from .helpers import instance


def itineraries(inst, group):
    """Every start combination that respects windows and travel, by plain enumeration."""
    ranges = [range(v.earliest, v.latest + 1) for v in group.visits]
    for starts in itertools.product(*ranges):
        ok = all(
            starts[i]
            >= starts[i - 1]
            + group.visits[i - 1].duration
            + inst.travel(group.visits[i - 1].zone, group.visits[i].zone)
            for i in range(1, len(starts))
        )
        if ok:
            yield starts


def brute_force(inst) -> int:
    """The optimum by trying every combination (with capacity pruning)."""
    capacity = {z.id: list(z.capacity) for z in inst.zones}
    best = [np.inf]
    groups = inst.groups

    def place(i, cost):
        if cost >= best[0]:
            return
        if i == len(groups):
            best[0] = cost
            return
        group = groups[i]
        for starts in itineraries(inst, group):
            cells = [
                (v.zone, t)
                for s, v in zip(starts, group.visits, strict=True)
                for t in range(s, s + v.duration)
            ]
            if all(capacity[z][t] >= group.size for z, t in cells):
                for z, t in cells:
                    capacity[z][t] -= group.size
                dev = sum(abs(s - v.preferred) for s, v in zip(starts, group.visits, strict=True))
                place(i + 1, cost + group.size * dev)
                for z, t in cells:
                    capacity[z][t] += group.size
        place(i + 1, cost + group.size * inst.unscheduled_penalty)

    place(0, 0)
    return int(best[0])


def crowded(seed: int):
    """Four groups that cannot all have their wish in a zone for 100 people."""
    rng = np.random.default_rng(seed)
    groups = []
    for i in range(4):
        duration = int(rng.integers(1, 4))
        preferred = int(rng.integers(2, 6))
        visits = [
            {
                "zone": "kadhimiya",
                "preferred": preferred,
                "earliest": preferred - 2,
                "latest": preferred + 3,
                "duration": duration,
            }
        ]
        if rng.random() < 0.5:
            visits.append(
                {
                    "zone": "karbala-husayn",
                    "preferred": preferred + duration + 2,
                    "earliest": preferred + duration,
                    "latest": 10 - 1,
                    "duration": 1,
                }
            )
        groups.append({"id": f"g{i}", "size": int(rng.integers(20, 61)), "visits": visits})
    return instance(groups=groups)


@pytest.mark.parametrize("seed", range(6))
def test_optimal_matches_brute_force(seed):
    inst = crowded(seed)
    result = solve(inst, SolveOptions(method="optimal", time_limit=5))
    assert result.objective == brute_force(inst)
    assert result.lower_bound <= result.objective


def test_optimal_matches_the_exact_highs_optimum():
    inst = generate(GeneratorSettings(groups=40, max_visits=2, slots=60, tightness=1.5, seed=2))
    problem = compile_problem(inst)
    exact = solve_time_indexed(problem, time_limit=60)
    assert exact.status == "Optimal"
    result = solve(inst, SolveOptions(method="optimal", time_limit=10))
    assert result.objective == round(exact.objective)


@pytest.mark.parametrize("seed", [0, 1])
def test_lagrangian_bound_equals_the_time_indexed_lp(seed):
    inst = generate(GeneratorSettings(groups=120, max_visits=3, slots=72, tightness=1.5, seed=seed))
    problem = compile_problem(inst)
    relaxed = solve_time_indexed(problem, time_limit=60, relax=True)
    lp = solve_lp(problem, group_classes(problem), deadline=time.perf_counter() + 30)
    assert lp.bound == pytest.approx(relaxed.objective, rel=1e-6)
    # and any schedule HiGHS finds for the integer model costs at least that much
    result = solve_time_indexed(problem, time_limit=2)
    if result.starts is not None:
        assert objective(problem, result.starts) >= lp.bound - 1e-6
