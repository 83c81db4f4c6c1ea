"""Improving moves: groups take the cheapest itinerary that fits right now.

After rounding, the capacity reserve the LP kept back is mostly unused; groups that were pushed
away from their wish can move back into it. `shift_moves` does the simplest such moves for all
groups at once (one visit slides towards its preferred start); `best_response` then visits groups
in order of their current cost (size × deviation, left-out groups first) and re-routes a whole
itinerary. A move is made only when it strictly lowers the objective, so the schedule never gets
worse and never overloads.
"""

from __future__ import annotations

import time

import numpy as np

from .arrays import Problem, loads
from .insertion import best_fit, occupy
from .paths import cheapest_itineraries, itinerary_price


def place_by_ejection(
    problem: Problem,
    starts: np.ndarray,
    prices: np.ndarray | None,
    *,
    deadline: float,
    tries: int = 12,
) -> dict[str, int]:
    """Place left-out groups by moving a few groups out of the way (one level deep).

    For a left-out group, take its cheapest itineraries at the LP prices; on each, the groups
    occupying the zone-slots that are too full are lifted out (largest first, until the group
    fits), the group goes in, and each lifted group is put back at its cheapest itinerary that
    still fits. The first itinerary for which every lifted group finds a place is kept. Leaving
    a group out costs its size × the penalty, far more than a few shifted groups, so every
    success lowers the objective; a failure changes nothing.
    """
    residual = problem.capacity - loads(problem, starts)
    stats = {"placed": 0, "lifted": 0}
    for g in np.flatnonzero(starts[:, 0] < 0).tolist():
        if time.perf_counter() > deadline:
            break
        k = int(problem.n_visits[g])
        options = _priced_options(problem, g, prices, tries)
        for path in options:
            if time.perf_counter() > deadline:
                break
            journal: list[tuple[int, np.ndarray]] = []  # (group, its starts before), to undo
            lifted = _lift(problem, starts, residual, g, path, journal)
            ok = lifted is not None
            if ok:
                journal.append((g, starts[g].copy()))
                occupy(problem, residual, g, path, +1)
                starts[g, :k] = path
                for h in sorted(lifted, key=lambda h: -problem.size[h]):
                    _, chosen = best_fit(problem, h, residual)
                    if chosen is None:
                        ok = False
                        break
                    starts[h, : len(chosen)] = chosen
                    occupy(problem, residual, h, chosen, +1)
            if ok:
                stats["placed"] += 1
                stats["lifted"] += len(lifted)
                break
            _undo(problem, starts, residual, journal)
    return stats


def _priced_options(problem: Problem, g: int, prices: np.ndarray | None, tries: int) -> list:
    """A few itineraries of g: the cheapest at the prices and its whole-itinerary shifts."""
    from .master import shifted
    from .paths import cheapest_itineraries

    rows = np.array([g])
    _, best = cheapest_itineraries(problem, prices, rows)
    _, plain = cheapest_itineraries(problem, None, rows)
    found = []
    seen = set()
    k = int(problem.n_visits[g])
    for base in (best, plain):
        for delta in (0, -1, 1, -2, 2, -3, 3, -5, 5, -8, 8):
            s = shifted(problem, rows, base, delta)[0, :k] if delta else base[0, :k]
            key = tuple(s.tolist())
            if s[0] >= 0 and key not in seen:
                seen.add(key)
                found.append(s.copy())
    found.sort(key=lambda s: float(np.abs(s - problem.preferred[g, :k]).sum()))
    return found[:tries]


def _undo(
    problem: Problem,
    starts: np.ndarray,
    residual: np.ndarray,
    journal: list[tuple[int, np.ndarray]],
) -> None:
    """Put every group in the journal back where it was (latest change first)."""
    touched = {g for g, _ in journal}
    for g in touched:
        if starts[g, 0] >= 0:
            occupy(problem, residual, g, starts[g, : problem.n_visits[g]], -1)
    for g, before in reversed(journal):
        starts[g] = before
    for g in touched:
        if starts[g, 0] >= 0:
            occupy(problem, residual, g, starts[g, : problem.n_visits[g]], +1)


def _lift(
    problem: Problem,
    starts: np.ndarray,
    residual: np.ndarray,
    g: int,
    path: np.ndarray,
    journal: list[tuple[int, np.ndarray]],
) -> list[int] | None:
    """Lift groups out of the too-full zone-slots of g's `path` until g fits; None if it can't.

    Every lifted group is recorded in `journal` before it moves.
    """
    size = int(problem.size[g])
    lifted: list[int] = []
    for v in range(int(problem.n_visits[g])):
        z = int(problem.zone[g, v])
        lo, hi = int(path[v]), int(path[v] + problem.duration[g, v])
        while residual[z, lo:hi].min() < size:
            t = lo + int(np.argmin(residual[z, lo:hi]))
            s = starts
            inside = (problem.zone == z) & (s >= 0) & (s <= t) & (s + problem.duration > t)
            holders = np.flatnonzero(inside.any(axis=1))
            holders = holders[holders != g]
            if len(holders) == 0:
                return None
            need = size - int(residual[z, t])
            # the smallest holder that frees enough, else the largest
            big_enough = holders[problem.size[holders] >= need]
            h = (
                int(big_enough[np.argmin(problem.size[big_enough])])
                if len(big_enough)
                else int(holders[np.argmax(problem.size[holders])])
            )
            journal.append((h, starts[h].copy()))
            occupy(problem, residual, h, starts[h, : problem.n_visits[h]], -1)
            starts[h] = -1
            lifted.append(h)
            if len(lifted) > 6:
                return None
    return lifted


def range_minimum(values: np.ndarray) -> list[np.ndarray]:
    """Sparse table of `values` (zones, slots): level j holds the minimum over 2**j slots."""
    table = [values]
    width = 1
    while 2 * width <= values.shape[1]:
        last = table[-1]
        level = last.copy()
        level[:, : last.shape[1] - width] = np.minimum(last[:, :-width], last[:, width:])
        table.append(level)
        width *= 2
    return table


def _query(table: list[np.ndarray], zone: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """min(values[zone, lo:hi]) for each row (every hi > lo)."""
    level = np.floor(np.log2(np.maximum(hi - lo, 1))).astype(np.int64)
    out = np.empty(len(zone), dtype=table[0].dtype)
    for j in np.unique(level).tolist():
        sel = level == j
        z, a, b = zone[sel], lo[sel], hi[sel]
        out[sel] = np.minimum(table[j][z, a], table[j][z, b - (1 << j)])
    return out


def _new_cells(old: np.ndarray, new: np.ndarray, duration: np.ndarray):
    """The slots [a, b) a visit moved from `old` to `new` holds that it did not hold before."""
    earlier = new < old
    a = np.where(earlier, new, np.maximum(new, old + duration))
    b = np.where(earlier, np.minimum(new + duration, old), new + duration)
    return a, b


def shift_moves(
    problem: Problem, starts: np.ndarray, *, deadline: float, max_passes: int = 50
) -> dict[str, int]:
    """Move single visits nearer their preferred start wherever the room allows, in bulk.

    Every pass finds, for all scheduled visits at once (numpy), the start nearest the wish that
    the group's other visits (travel) allow and where the group fits in the slots it does not
    already hold; then it applies the moves, largest gain first, one per group, re-checking
    each against the room the earlier moves left. Passes repeat until nothing moves. For a
    one-visit group the result is a best response, found some hundred times faster than group
    by group.
    """
    residual = problem.capacity - loads(problem, starts)
    stats = {"passes": 0, "moves": 0, "gain": 0}
    k_max = problem.max_visits
    for _ in range(max_passes):
        if time.perf_counter() > deadline:
            break
        g, v = np.nonzero((starts >= 0) & (starts != problem.preferred))
        if len(g) == 0:
            break
        s = starts[g, v]
        p = problem.preferred[g, v]
        lo = problem.earliest[g, v].copy()
        hi = problem.latest[g, v].copy()
        before = v > 0
        prev = np.maximum(v - 1, 0)
        lo[before] = np.maximum(lo[before], (starts[g, prev] + problem.gap[g, prev])[before])
        after = v + 1 < problem.n_visits[g]
        nxt = np.minimum(v + 1, k_max - 1)
        hi[after] = np.minimum(hi[after], (starts[g, nxt] - problem.gap[g, v])[after])
        deviation = np.abs(s - p)
        d = problem.duration[g, v]
        z = problem.zone[g, v]
        size = problem.size[g]
        table = range_minimum(residual)
        chosen = s.copy()
        found = np.zeros(len(g), dtype=bool)
        for delta in range(int(deviation.max(initial=0))):
            for new in (p - delta, p + delta) if delta else (p,):
                live = np.flatnonzero(
                    ~found & (delta < deviation) & (new >= lo) & (new <= hi) & (new != s)
                )
                if len(live) == 0:
                    continue
                a, b = _new_cells(s[live], new[live], d[live])
                fits = _query(table, z[live], a, b) >= size[live]
                chosen[live[fits]] = new[live[fits]]
                found[live[fits]] = True
        gain = (deviation - np.abs(chosen - p)) * size
        moved = 0
        gained = 0
        done: set[int] = set()
        for i in np.argsort(-gain, kind="stable")[: int((gain > 0).sum())].tolist():
            group = int(g[i])
            if group in done:
                continue
            old, new, zone, length = int(s[i]), int(chosen[i]), int(z[i]), int(d[i])
            a, b = _new_cells(np.array(old), np.array(new), np.array(length))
            if residual[zone, int(a) : int(b)].min() < size[i]:
                continue
            residual[zone, old : old + length] += size[i]
            residual[zone, new : new + length] -= size[i]
            starts[group, v[i]] = new
            done.add(group)
            moved += 1
            gained += int(gain[i])
        stats["passes"] += 1
        stats["moves"] += moved
        stats["gain"] += gained
        if not moved:
            break
    return stats


def best_response(
    problem: Problem,
    starts: np.ndarray,
    *,
    deadline: float,
    max_passes: int = 4,
    after_shifts: bool = False,
) -> dict[str, int]:
    """Improve `starts` in place; returns counters (passes, moves, gain).

    With `after_shifts` (`shift_moves` has just run to the end) scheduled one-visit groups are
    skipped: they are at a best response already.
    """
    residual = problem.capacity - loads(problem, starts)
    stats = {"passes": 0, "moves": 0, "gain": 0}
    for _ in range(max_passes):
        gained = 0
        scheduled = starts[:, 0] >= 0
        deviation = np.where(starts >= 0, np.abs(starts - problem.preferred), 0).sum(axis=1)
        cost = np.where(scheduled, deviation, problem.penalty) * problem.size
        if after_shifts and stats["passes"] == 0:
            cost[scheduled & (problem.n_visits == 1)] = 0
        order = np.argsort(-cost, kind="stable")
        for g in order[: int((cost > 0).sum())].tolist():
            if time.perf_counter() > deadline:
                stats["gain"] += gained
                return stats
            k = int(problem.n_visits[g])
            current = starts[g, :k].copy()
            placed = current[0] >= 0
            if placed:
                occupy(problem, residual, g, current, -1)
                before = int(np.abs(current - problem.preferred[g, :k]).sum())
            else:
                before = problem.penalty
            _, chosen = best_fit(problem, g, residual)
            after = (
                int(np.abs(chosen - problem.preferred[g, :k]).sum()) if chosen is not None else None
            )
            if after is not None and after < before:
                starts[g, :k] = chosen
                occupy(problem, residual, g, chosen, +1)
                gained += (before - after) * int(problem.size[g])
                stats["moves"] += 1
            elif placed:
                occupy(problem, residual, g, current, +1)
        stats["passes"] += 1
        stats["gain"] += gained
        if gained == 0:
            break
    return stats


def push_in(
    problem: Problem,
    starts: np.ndarray,
    prices: np.ndarray,
    groups: list[int],
    *,
    deadline: float,
    max_steps: int = 40,
    crowding_price: float = 20.0,
    max_holders: int = 120,
    seed: int = 0,
) -> dict[str, int]:
    """Put left-out groups in by moving others along the LP prices (a cascade).

    Each left-out group (smallest first) goes to its cheapest itinerary at the prices even if
    that overloads a zone-slot. Then, up to `max_steps` times, the most overloaded zone-slot is
    relieved by moving the group in it whose next-cheapest itinerary avoiding that slot costs the
    least per person relieved; prices steer the moves away from full slots (a large price on
    overloaded slots, a small one on nearly full slots), so the overload travels outwards to where
    there is room. If the overload is not gone, every move is undone and the group stays out, so
    the schedule is never left overloaded.
    """
    residual = problem.capacity - loads(problem, starts)
    rng = np.random.default_rng(seed)
    stats = {"placed": 0, "moves": 0, "failed": 0}
    largest = int(problem.size.max())
    for g in sorted(groups, key=lambda g: problem.size[g]):
        if time.perf_counter() > deadline:
            break
        _, best = cheapest_itineraries(problem, prices, np.array([g]))
        if best[0, 0] < 0:
            continue
        k = int(problem.n_visits[g])
        journal = [(g, starts[g].copy())]
        starts[g, :k] = best[0, :k]
        occupy(problem, residual, g, best[0, :k], +1)
        moved = {g}
        for _ in range(max_steps):
            worst = np.unravel_index(np.argmin(residual), residual.shape)
            if residual[worst] >= 0:
                break
            z, t = int(worst[0]), int(worst[1])
            need = -int(residual[z, t])
            end = starts + problem.duration
            inside = (problem.zone == z) & (starts >= 0) & (starts <= t) & (end > t)
            holders = np.flatnonzero(inside.any(axis=1))
            holders = np.array([h for h in holders.tolist() if h not in moved], dtype=np.int64)
            if len(holders) == 0:
                break
            if len(holders) > max_holders:  # a busy slot: weigh a sample, not all of them
                holders = np.sort(rng.choice(holders, max_holders, replace=False))
            avoid = prices + np.where(residual < 0, 1000.0, 0.0)
            avoid += np.where(residual < largest, crowding_price, 0.0)
            avoid[z, t] = 1e6
            cost_alt, alt = cheapest_itineraries(problem, avoid, holders)
            current = itinerary_price(problem, prices, holders, starts[holders])
            delta = (cost_alt - current) * problem.size[holders]
            score = delta / np.minimum(problem.size[holders], need)
            best_i = int(np.argmin(score))
            if not np.isfinite(score[best_i]) or cost_alt[best_i] >= 1e5:
                break
            h = int(holders[best_i])
            kh = int(problem.n_visits[h])
            journal.append((h, starts[h].copy()))
            occupy(problem, residual, h, starts[h, :kh], -1)
            starts[h, :kh] = alt[best_i, :kh]
            occupy(problem, residual, h, alt[best_i, :kh], +1)
            moved.add(h)
            stats["moves"] += 1
        if (residual < 0).any():
            _undo(problem, starts, residual, journal)
            stats["failed"] += 1
        else:
            stats["placed"] += 1
    return stats
