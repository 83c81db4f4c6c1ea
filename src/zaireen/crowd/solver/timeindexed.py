"""The full time-indexed MIP, for small instances and as the benchmark's reference.

One binary per (group, visit, start slot) and one per group for "left out":

    min  Σ size·|s − preferred|·y[g,v,s] + Σ size·penalty·u[g]
    s.t. Σ_s y[g,v,s] + u[g] = 1                      for every group and visit
         Σ_{s' <= s} y[g,v+1,s'] <= Σ_{s' <= s − gap} y[g,v,s']   (travel; the strong,
                                                        cumulative form of the precedence)
         Σ size·y over the visits covering (zone, slot) <= capacity

HiGHS solves it exactly for a few hundred groups; at thousands it is the yardstick the optimiser
must beat in a tenth of the time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from .arrays import UNSCHEDULED, Problem
from .highs_factory import INF, quiet_highs


@dataclass(frozen=True)
class TimeIndexedResult:
    """HiGHS's answer: its best schedule (if any), its value, its bound and its status."""

    starts: np.ndarray | None
    objective: float | None
    bound: float | None
    status: str
    seconds: float


def model_size(problem: Problem) -> int:
    """Number of variables of the full model (one per group and start slot of each visit)."""
    widths = (problem.latest - problem.earliest + 1) * problem.visit_mask
    return int(widths.sum()) + problem.n_groups


def solve_time_indexed(
    problem: Problem,
    *,
    time_limit: float,
    relax: bool = False,
    threads: int = 1,
    start: np.ndarray | None = None,
) -> TimeIndexedResult:
    """Build and solve the full model (or its LP relaxation with `relax`).

    `start` (groups × visits starts, −1 for left out) is handed to HiGHS as a first incumbent.
    `time_limit` counts from the call: building the model (Python loops, seconds for thousands
    of groups) uses part of it.
    """
    began = time.perf_counter()
    T = problem.slots
    costs: list[np.ndarray] = []
    rows_i: list[np.ndarray] = []
    cols_i: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    n_vars = 0
    n_rows = 0
    lower: list[np.ndarray] = []
    upper: list[np.ndarray] = []
    cap_row0 = 0
    # Capacity rows first: zone × slot.
    n_cap = problem.n_zones * T
    lower.append(np.full(n_cap, -INF))
    upper.append(problem.capacity.reshape(-1).astype(float))
    n_rows = n_cap
    unscheduled_col = np.zeros(problem.n_groups, dtype=np.int64)
    for g in range(problem.n_groups):
        size = float(problem.size[g])
        k = int(problem.n_visits[g])
        u = n_vars
        unscheduled_col[g] = u
        n_vars += 1
        costs.append(np.array([size * problem.penalty]))
        first_col = []
        for v in range(k):
            s = np.arange(problem.earliest[g, v], problem.latest[g, v] + 1)
            cols = n_vars + np.arange(len(s))
            n_vars += len(s)
            first_col.append((cols, s))
            costs.append(size * np.abs(s - problem.preferred[g, v]).astype(float))
            # assignment row
            r = n_rows
            n_rows += 1
            lower.append(np.ones(1))
            upper.append(np.ones(1))
            rows_i += [np.full(len(s) + 1, r)]
            cols_i += [np.concatenate([cols, [u]])]
            vals += [np.ones(len(s) + 1)]
            # capacity
            d = int(problem.duration[g, v])
            z = int(problem.zone[g, v])
            rows_i.append(np.repeat(z * T + s, d) + np.tile(np.arange(d), len(s)) + cap_row0)
            cols_i.append(np.repeat(cols, d))
            vals.append(np.full(len(s) * d, size))
        for v in range(k - 1):
            cols_a, s_a = first_col[v]
            cols_b, s_b = first_col[v + 1]
            gap = int(problem.gap[g, v])
            # For each start t of visit v+1: Σ_{s_b <= t} y_b − Σ_{s_a <= t − gap} y_a <= 0
            for t in s_b.tolist():
                r = n_rows
                n_rows += 1
                lower.append(np.full(1, -INF))
                upper.append(np.zeros(1))
                b_sel = cols_b[s_b <= t]
                a_sel = cols_a[s_a <= t - gap]
                rows_i.append(np.full(len(b_sel) + len(a_sel), r))
                cols_i.append(np.concatenate([b_sel, a_sel]))
                vals.append(np.concatenate([np.ones(len(b_sel)), -np.ones(len(a_sel))]))
    cost = np.concatenate(costs)
    r_idx = np.concatenate(rows_i)
    c_idx = np.concatenate(cols_i)
    v_idx = np.concatenate(vals)
    order = np.lexsort((r_idx, c_idx))
    r_idx, c_idx, v_idx = r_idx[order], c_idx[order], v_idx[order]
    starts_ptr = np.searchsorted(c_idx, np.arange(n_vars))
    highs = quiet_highs(time_limit=time_limit, threads=threads)
    lp = highspy.HighsLp()
    lp.num_col_ = n_vars
    lp.num_row_ = n_rows
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(n_vars)
    lp.col_upper_ = np.ones(n_vars)
    lp.row_lower_ = np.concatenate(lower)
    lp.row_upper_ = np.concatenate(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.append(starts_ptr, len(c_idx)).astype(np.int32)
    lp.a_matrix_.index_ = r_idx.astype(np.int32)
    lp.a_matrix_.value_ = v_idx
    if not relax:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n_vars
    highs.passModel(lp)
    if start is not None and not relax:
        highs.setSolution(_as_solution(problem, start, n_vars))
    highs.setOptionValue("time_limit", max(time_limit - (time.perf_counter() - began), 0.01))
    highs.run()
    info = highs.getInfo()
    status = highs.modelStatusToString(highs.getModelStatus())
    seconds = time.perf_counter() - began  # building the model included
    if info.primal_solution_status != 2:
        return TimeIndexedResult(None, None, _bound(info, relax), status, seconds)
    x = np.asarray(highs.getSolution().col_value)
    starts = np.full((problem.n_groups, problem.max_visits), UNSCHEDULED, dtype=np.int64)
    if not relax:
        position = 0
        for g in range(problem.n_groups):
            position += 1  # the unscheduled column
            for v in range(int(problem.n_visits[g])):
                width = int(problem.latest[g, v] - problem.earliest[g, v] + 1)
                chosen = np.flatnonzero(x[position : position + width] > 0.5)
                if len(chosen):
                    starts[g, v] = problem.earliest[g, v] + chosen[0]
                position += width
        starts[(starts[:, 0] < 0)] = UNSCHEDULED
        starts[x[unscheduled_col] > 0.5] = UNSCHEDULED
    return TimeIndexedResult(
        starts if not relax else None,
        float(info.objective_function_value),
        _bound(info, relax),
        status,
        seconds,
    )


def _as_solution(problem: Problem, start: np.ndarray, n_vars: int) -> highspy.HighsSolution:
    """Column values of a schedule, in the column order `solve_time_indexed` builds."""
    value = np.zeros(n_vars)
    position = 0
    for g in range(problem.n_groups):
        out = start[g, 0] < 0
        value[position] = 1.0 if out else 0.0
        position += 1
        for v in range(int(problem.n_visits[g])):
            width = int(problem.latest[g, v] - problem.earliest[g, v] + 1)
            if not out:
                value[position + int(start[g, v] - problem.earliest[g, v])] = 1.0
            position += width
    solution = highspy.HighsSolution()
    solution.col_value = value.tolist()
    solution.value_valid = True
    return solution


def _bound(info: highspy.HighsInfo, relax: bool) -> float | None:
    if relax:
        return float(info.objective_function_value)
    bound = float(info.mip_dual_bound)
    return bound if np.isfinite(bound) else None
