"""A small MIP: give each of a few hundred groups one candidate itinerary (or leave it out).

    min  Σ size·deviation·x + Σ size·penalty·u + Σ price[cell]·overflow[cell]
    s.t. Σ_k x[g,k] + u[g] = 1                                   per group
         Σ size·x over itineraries covering the cell − overflow[cell] <= room[cell]
         0 <= overflow[cell] <= extra[cell]

`room` is hard capacity; `extra` is capacity that may be used at a price (the LP's value of that
capacity, reserved for groups decided later). Used by the rounding (relax-and-fix) and by the
fix-and-optimise neighbourhoods.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from .arrays import UNSCHEDULED, Problem
from .highs_factory import INF, quiet_highs
from .master import cells_of


@dataclass(frozen=True)
class Choice:
    """The MIP's pick per group (−1 rows for left out) and whether HiGHS proved optimality."""

    starts: np.ndarray
    cost: float
    optimal: bool


def choose_itineraries(
    problem: Problem,
    groups: np.ndarray,
    candidates: np.ndarray,
    owner: np.ndarray,
    room: np.ndarray,
    *,
    extra: np.ndarray | None = None,
    price: np.ndarray | None = None,
    incumbent: np.ndarray | None = None,
    time_limit: float = 1.0,
) -> Choice | None:
    """Solve the assignment MIP.

    `candidates` (m, K) are itineraries, `owner[j]` the index into `groups` each belongs to;
    `room`, `extra`, `price` are (zones, slots). `incumbent` (len(groups), K) is a feasible
    choice to start from (rows −1 for left out). Returns None if HiGHS found nothing.
    """
    n = len(groups)
    m = len(candidates)
    g_of = groups[owner]
    size = problem.size[g_of].astype(float)
    dev = np.where(candidates >= 0, np.abs(candidates - problem.preferred[g_of]), 0).sum(axis=1)
    ptr, cells = cells_of(problem, g_of, candidates)
    used, cell_row = np.unique(cells, return_inverse=True)
    n_cells = len(used)
    flat_room = room.reshape(-1)[used].astype(float)
    highs = quiet_highs(time_limit=time_limit)
    highs.setOptionValue("mip_rel_gap", 1e-5)
    highs.setOptionValue("presolve", "on")
    rows = n + n_cells
    highs.addRows(
        rows,
        np.concatenate([np.ones(n), np.full(n_cells, -INF)]),
        np.concatenate([np.ones(n), flat_room]),
        0,
        np.zeros(rows, dtype=np.int32),
        np.zeros(0, dtype=np.int32),
        np.zeros(0),
    )
    # Candidate columns: the group row, then the cells.
    per = np.diff(ptr) + 1
    start = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(per, out=start[1:])
    index = np.empty(start[-1], dtype=np.int64)
    value = np.empty(start[-1])
    index[start[:-1]] = owner
    value[start[:-1]] = 1.0
    body = np.ones(start[-1], dtype=bool)
    body[start[:-1]] = False
    index[body] = n + cell_row.reshape(-1)
    value[body] = np.repeat(size, np.diff(ptr))
    highs.addCols(
        m, size * dev, np.zeros(m), np.ones(m), len(index),
        start[:-1].astype(np.int32), index.astype(np.int32), value,
    )  # fmt: skip
    # Left-out columns.
    penalty = problem.size[groups].astype(float) * problem.penalty
    highs.addCols(
        n, penalty, np.zeros(n), np.ones(n), n,
        np.arange(n, dtype=np.int32), np.arange(n, dtype=np.int32), np.ones(n),
    )  # fmt: skip
    n_int = m + n
    highs.changeColsIntegrality(
        n_int, np.arange(n_int, dtype=np.int32), np.full(n_int, highspy.HighsVarType.kInteger)
    )
    # Priced overflow columns.
    if extra is not None and price is not None:
        flat_extra = extra.reshape(-1)[used].astype(float)
        flat_price = price.reshape(-1)[used].astype(float)
        has = np.flatnonzero(flat_extra > 0)
        if len(has):
            highs.addCols(
                len(has), flat_price[has], np.zeros(len(has)), flat_extra[has], len(has),
                np.arange(len(has), dtype=np.int32), (n + has).astype(np.int32),
                np.full(len(has), -1.0),
            )  # fmt: skip
    if incumbent is not None:
        _set_incumbent(
            highs,
            problem,
            groups,
            candidates,
            owner,
            incumbent,
            n,
            m,
            size,
            ptr,
            cells,
            used,
            flat_room,
        )
    highs.run()
    info = highs.getInfo()
    if info.primal_solution_status != 2:
        return None
    x = np.asarray(highs.getSolution().col_value)
    picked = np.flatnonzero(x[:m] > 0.5)
    starts = np.full((n, problem.max_visits), UNSCHEDULED, dtype=np.int64)
    starts[owner[picked]] = candidates[picked]
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return Choice(starts=starts, cost=float(info.objective_function_value), optimal=optimal)


def _set_incumbent(
    highs, problem, groups, candidates, owner, incumbent, n, m, size, ptr, cells, used, flat_room
) -> None:
    """Pass the incumbent as a MIP start when it is one of the candidates for every group."""
    chosen = np.full(n, -1, dtype=np.int64)
    for j in range(m):
        i = owner[j]
        if chosen[i] < 0 and incumbent[i, 0] >= 0 and np.array_equal(candidates[j], incumbent[i]):
            chosen[i] = j
    value = np.zeros(highs.getNumCol())
    for i in range(n):
        if chosen[i] >= 0:
            value[chosen[i]] = 1.0
        elif incumbent[i, 0] < 0:
            value[m + i] = 1.0
        else:
            return  # the incumbent itinerary is not a candidate
    solution = highspy.HighsSolution()
    solution.col_value = value.tolist()
    solution.value_valid = True
    highs.setSolution(solution)
