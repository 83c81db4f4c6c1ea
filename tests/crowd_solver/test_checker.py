"""The independent checker catches every kind of wrong result, and only wrong ones."""

import dataclasses

import numpy as np
import pytest

from zaireen.crowd.solver import (
    GeneratorSettings,
    SolveOptions,
    check,
    generate,
    solve,
)
from zaireen.crowd.solver.arrays import compile_problem
from zaireen.crowd.solver.checker import lagrangian_bound
from zaireen.crowd.solver.classes import group_classes
from zaireen.crowd.solver.master import lagrangian_bound as solver_bound
from zaireen.crowd.solver.model import Assignment, BoundCertificate, Result

from .helpers import instance


def result(assignments, unscheduled=(), objective=0, ratio=0.0, **extra) -> Result:
    return Result(
        method="test",
        assignments=tuple(Assignment(g, tuple(s)) for g, s in assignments),
        unscheduled=tuple(unscheduled),
        objective=objective,
        lower_bound=extra.pop("lower_bound", None),
        bound_method=None,
        max_load_ratio=ratio,
        seconds=0.0,
        **extra,
    )


def paths(report):
    return [p.path for p in report.problems]


def test_a_correct_result_passes_and_figures_are_recomputed():
    inst = instance()
    # g1 at its wishes (1, 5); g2 one slot late: kadhimiya holds 40 + 60 = 100 in slot 2.
    report = check(inst, result([("g1", (1, 5)), ("g2", (2,))], objective=60, ratio=1.0))
    assert report.ok, report.problems
    assert report.objective == 60
    assert report.max_load_ratio == 1.0
    assert report.scheduled == 2


def test_overload_is_caught():
    inst = instance()
    # g1 (40) and g2 (60) both in kadhimiya in slot 1 and 2 is fine (100); g1 at 1 and a
    # second 60-group would not be. Put g2 at 0 too: slot 1 holds 40 + 60, slot 0 holds 60.
    report = check(inst, result([("g1", (1, 5)), ("g2", (1,))], objective=0, ratio=1.0))
    assert report.ok  # exactly full is allowed
    tight = instance(
        zones=[{"id": "kadhimiya", "capacity": 99}, {"id": "karbala-husayn", "capacity": 80}]
    )
    report = check(tight, result([("g1", (1, 5)), ("g2", (1,))], objective=0, ratio=100 / 99))
    assert not report.ok
    assert report.overloaded_cells == 2  # slots 1 and 2 hold 100 > 99
    assert any("holds 100" in p.reason for p in report.problems)


def test_wrong_objective_and_ratio_are_caught():
    inst = instance()
    report = check(inst, result([("g1", (1, 5)), ("g2", (2,))], objective=59, ratio=0.9))
    assert "$.objective" in paths(report)
    assert "$.max_load_ratio" in paths(report)


def test_travel_violation_is_caught():
    inst = instance()
    # visit 1 ends at 3, travel 2: Karbala may start at 5 at the earliest, not 4.
    report = check(inst, result([("g1", (2, 4)), ("g2", (0,))], objective=40 * 2 + 60))
    assert "$.assignments[0].starts[1]" in paths(report)
    assert any("travel" in p.reason for p in report.problems)


def test_window_count_identity_errors_are_caught():
    inst = instance()
    report = check(inst, result([("g1", (5, 9)), ("g2", (2,))], objective=0))
    assert "$.assignments[0].starts[0]" in paths(report)  # outside [0, 3]
    report = check(inst, result([("g1", (1,)), ("g2", (2,))]))
    assert "$.assignments[0].starts" in paths(report)
    report = check(inst, result([("g1", (1, 5)), ("g9", (2,))], unscheduled=["g2"]))
    assert "$.assignments[1].group" in paths(report)
    report = check(inst, result([("g1", (1, 5))], unscheduled=["g1", "g2"]))
    assert "$.unscheduled[0]" in paths(report)
    report = check(inst, result([("g1", (1, 5))], objective=0))
    assert any("neither" in p.reason for p in report.problems)


def test_unscheduled_groups_cost_the_penalty():
    inst = instance()
    report = check(
        inst, result([("g1", (1, 5))], unscheduled=["g2"], objective=60 * 100, ratio=0.5)
    )
    assert report.ok, report.problems
    assert report.unscheduled == 1


def test_a_bound_above_the_schedule_or_the_certificate_is_caught():
    inst = instance()
    good = [("g1", (1, 5)), ("g2", (2,))]
    report = check(inst, result(good, objective=60, ratio=1.0, lower_bound=61.0))
    assert "$.lower_bound" in paths(report)
    zero = BoundCertificate(prices={"kadhimiya": (0.0,) * 12, "karbala-husayn": (0.0,) * 12})
    report = check(inst, result(good, objective=60, ratio=1.0, lower_bound=10.0, certificate=zero))
    assert report.certified_bound == 0.0
    assert "$.lower_bound" in paths(report)
    report = check(inst, result(good, objective=60, ratio=1.0, lower_bound=0.0, certificate=zero))
    assert report.ok


def test_certificate_with_wrong_shape_is_reported():
    inst = instance()
    bad = BoundCertificate(prices={"kadhimiya": (0.0,) * 12})
    report = check(
        inst, result([("g1", (1, 5)), ("g2", (2,))], objective=60, ratio=1.0, certificate=bad)
    )
    assert any(p.path.startswith("$.certificate") for p in report.problems)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_checker_bound_equals_the_solvers_lagrangian(seed):
    inst = generate(GeneratorSettings(groups=150, max_visits=3, slots=72, seed=seed))
    problem = compile_problem(inst)
    rng = np.random.default_rng(seed)
    prices = rng.random((problem.n_zones, problem.slots)) * 3
    ours, _, _ = solver_bound(problem, group_classes(problem), prices)
    theirs = lagrangian_bound(
        inst, {z: tuple(row) for z, row in zip(problem.zone_ids, prices, strict=True)}
    )
    assert theirs == pytest.approx(ours, rel=1e-9, abs=1e-6)


def test_solver_results_pass_and_tampering_is_caught():
    inst = generate(GeneratorSettings(groups=60, max_visits=2, slots=72, tightness=2.0, seed=4))
    res = solve(inst, SolveOptions(method="optimal", time_limit=3))
    report = check(inst, res)
    assert report.ok, report.problems
    assert report.certified_bound is not None
    assert res.lower_bound <= report.objective
    # Move one scheduled group one slot earlier than its window allows, or claim a lower cost.
    first = res.assignments[0]
    group = next(g for g in inst.groups if g.id == first.group)
    moved = Assignment(first.group, (group.visits[0].earliest - 1, *first.starts[1:]))
    tampered = dataclasses.replace(res, assignments=(moved, *res.assignments[1:]))
    assert not check(inst, tampered).ok
    cheaper = dataclasses.replace(res, objective=res.objective - 1)
    assert "$.objective" in paths(check(inst, cheaper))


def test_a_result_for_another_instance_gets_a_short_report():
    """Checked against the wrong instance, every group is wrong: the report lists the first
    few and counts the rest instead of printing thousands of lines."""
    inst = generate(GeneratorSettings(groups=80, max_visits=2, slots=72, seed=1))
    other = generate(GeneratorSettings(groups=120, max_visits=2, slots=72, seed=2))
    report = check(inst, solve(other, SolveOptions(method="fcfs")))
    assert not report.ok
    assert len(report.problems) < 30
    assert any("more problems with single groups" in p.reason for p in report.problems)
    assert "$.objective" in paths(report)
