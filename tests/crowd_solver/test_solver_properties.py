"""Whatever the instance, no result of either method overloads a zone, and the checker agrees
with the solver's own figures."""

import dataclasses
import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zaireen.crowd.solver import SolveOptions, check, solve
from zaireen.crowd.solver.arrays import (
    compile_problem,
    loads,
    max_load_ratio,
    objective,
    to_assignments,
)
from zaireen.crowd.solver.insertion import best_fit, occupy
from zaireen.crowd.solver.local_search import best_response, shift_moves
from zaireen.crowd.solver.model import Result

from .strategies import instances

PROPERTY_SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)


@PROPERTY_SETTINGS
@given(instances())
def test_fcfs_never_overloads_and_check_agrees(instance):
    result = solve(instance, SolveOptions(method="fcfs", seed=1))
    report = check(instance, result)
    assert report.ok, report.problems
    assert report.overloaded_cells == 0
    assert report.objective == result.objective
    assert result.lower_bound is None


@PROPERTY_SETTINGS
@given(instances())
def test_optimal_never_overloads_and_check_agrees(instance):
    result = solve(instance, SolveOptions(method="optimal", time_limit=2))
    report = check(instance, result)
    assert report.ok, report.problems
    assert report.overloaded_cells == 0
    assert report.objective == result.objective
    assert report.max_load_ratio <= 1.0
    # The bound is certified by the checker itself and never exceeds the schedule's cost.
    assert report.certified_bound is not None
    assert result.lower_bound <= result.objective
    fcfs = solve(instance, SolveOptions(method="fcfs", seed=1))
    assert result.objective <= fcfs.objective


def test_generated_instances_without_the_exact_step(monkeypatch):
    """The path large instances take (rounding, local search, window MIPs) also never
    overloads: turn the final exact MIP off and solve a few generated instances."""
    from zaireen.crowd.solver import GeneratorSettings, generate, optimal

    monkeypatch.setattr(optimal, "EXACT_LIMIT", 0)
    for seed, visits in ((0, 1), (1, 3), (2, 2)):
        instance = generate(
            GeneratorSettings(groups=250, max_visits=visits, slots=72, tightness=1.5, seed=seed)
        )
        result = solve(instance, SolveOptions(method="optimal", time_limit=2))
        report = check(instance, result)
        assert report.ok, report.problems
        assert result.stats["split_classes"] >= 0
        assert result.lower_bound <= result.objective


def scattered(problem, seed: int) -> np.ndarray:
    """A feasible schedule far from the wishes: each group, in turn, at the itinerary that fits
    and is cheapest under random prices (some groups left out), so local moves have work."""
    rng = np.random.default_rng(seed)
    noise = rng.random((problem.n_zones, problem.slots)) * 10
    residual = problem.capacity.copy()
    starts = np.full((problem.n_groups, problem.max_visits), -1, dtype=np.int64)
    for g in range(problem.n_groups):
        _, chosen = best_fit(problem, g, residual, noise, price_weight=1.0)
        if chosen is not None and rng.random() < 0.9:
            starts[g, : len(chosen)] = chosen
            occupy(problem, residual, g, chosen, +1)
    return starts


@PROPERTY_SETTINGS
@given(instances(), st.integers(0, 3))
def test_local_moves_never_overload_nor_worsen(instance, seed):
    problem = compile_problem(instance)
    starts = scattered(problem, seed)
    before = objective(problem, starts)
    shift_moves(problem, starts, deadline=math.inf)
    shifted = objective(problem, starts)
    assert (loads(problem, starts) <= problem.capacity).all()
    assert shifted <= before
    best_response(problem, starts, deadline=math.inf, after_shifts=True)
    assert objective(problem, starts) <= shifted
    assignments, unscheduled = to_assignments(problem, starts)
    result = Result("test", assignments, unscheduled, objective(problem, starts), None, None,
                    max_load_ratio(problem, loads(problem, starts)), 0.0)  # fmt: skip
    assert check(instance, result).ok


@PROPERTY_SETTINGS
@given(instances(), st.integers(0, 3))
def test_after_shift_moves_no_one_visit_group_can_do_better(instance, seed):
    """For one-visit groups the bulk shifts reach a best response: moving any one group alone
    cannot lower its deviation any more."""
    problem = compile_problem(instance)
    starts = scattered(problem, seed)
    shift_moves(problem, starts, deadline=math.inf)
    residual = problem.capacity - loads(problem, starts)
    for g in np.flatnonzero((problem.n_visits == 1) & (starts[:, 0] >= 0)).tolist():
        current = starts[g, :1]
        occupy(problem, residual, g, current, -1)
        cost, _ = best_fit(problem, g, residual)
        occupy(problem, residual, g, current, +1)
        assert cost >= abs(int(current[0]) - int(problem.preferred[g, 0]))


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(instances(), st.data())
def test_warm_re_solve_after_a_change_never_overloads(instance, data):
    first = solve(instance, SolveOptions(method="optimal", time_limit=1))
    # One group leaves, another changes its wish; the previous result is the warm start.
    groups = list(instance.groups)
    groups.pop(data.draw(st.integers(0, len(groups) - 1)))
    if groups:
        i = data.draw(st.integers(0, len(groups) - 1))
        visits = tuple(
            dataclasses.replace(v, preferred=(v.earliest + v.latest) // 2) for v in groups[i].visits
        )
        groups[i] = dataclasses.replace(groups[i], visits=visits)
    changed = dataclasses.replace(instance, groups=tuple(groups))
    again = solve(changed, SolveOptions(method="optimal", time_limit=1, warm_start=first))
    report = check(changed, again)
    assert report.ok, report.problems
    assert again.lower_bound is None or again.lower_bound <= again.objective


def test_an_instance_without_groups_is_solved_by_both_methods():
    from .helpers import instance

    empty = instance(groups=[])
    warm = solve(instance(), SolveOptions(method="optimal", time_limit=1))
    for method in ("optimal", "fcfs"):
        for start in (None, warm):
            result = solve(empty, SolveOptions(method=method, time_limit=1, warm_start=start))
            assert check(empty, result).ok
            assert result.objective == 0
            assert result.assignments == ()
