"""Cheapest itineraries: one shortest path per group over its time-expanded itinerary.

A group's itinerary is a chain of visits; visit v may start at any slot of its window, and the
next visit must start at least `gap[v]` slots later. Priced with a cost per slot and zone (the
Lagrangian prices λ) the cheapest itinerary per person is

    min Σ_v |s_v − preferred_v| + Σ_{t in [s_v, s_v + duration_v)} λ[zone_v, t]

which a dynamic programme over the window offsets solves exactly: keep, for each start of visit v,
the cheapest way to get there (a running minimum over the previous visit's admissible starts).
Everything is vectorised over groups with the same number of visits, so pricing 250,000 groups is
a few numpy passes.
"""

from __future__ import annotations

import numpy as np

from .arrays import UNSCHEDULED, Problem


def price_prefix(prices: np.ndarray) -> np.ndarray:
    """Cumulative prices per zone, (zones, slots + 1), so a visit's price is one subtraction."""
    prefix = np.zeros((prices.shape[0], prices.shape[1] + 1))
    np.cumsum(prices, axis=1, out=prefix[:, 1:])
    return prefix


def sliding_minimum(residual: np.ndarray, duration: int) -> np.ndarray:
    """min(residual[z, s : s + duration]) for every zone and start s (inf past the horizon)."""
    zones, slots = residual.shape
    out = np.full((zones, slots), -np.inf)
    valid = slots - duration + 1
    window = residual[:, :valid].astype(float)
    for d in range(1, duration):
        window = np.minimum(window, residual[:, d : d + valid])
    out[:, :valid] = window
    return out


def cheapest_itineraries(
    problem: Problem,
    prices: np.ndarray | None,
    rows: np.ndarray,
    *,
    residual: np.ndarray | None = None,
    deviation_weight: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """The cheapest itinerary per person for each group in `rows`.

    `prices` (zones, slots) may be None for no prices. With `residual` (zones, slots) only starts
    where the group fits for the whole visit are allowed. Returns (cost, starts): cost per person
    (inf where no itinerary is allowed) and starts (len(rows), K) with -1 where none exists.
    """
    rows = np.asarray(rows, dtype=np.int64)
    cost_out = np.full(len(rows), np.inf)
    starts_out = np.full((len(rows), problem.max_visits), UNSCHEDULED, dtype=np.int64)
    if len(rows) == 0:
        return cost_out, starts_out
    prefix = price_prefix(prices) if prices is not None else None
    fits: dict[int, np.ndarray] = {}
    n_visits = problem.n_visits[rows]
    for k in np.unique(n_visits):
        local = np.flatnonzero(n_visits == k)
        g = rows[local]
        earliest = problem.earliest[g, :k]
        latest = problem.latest[g, :k]
        width = int((latest - earliest).max()) + 1
        offsets = np.arange(width)
        back = []
        best = best_at = None
        for v in range(k):
            e = earliest[:, v : v + 1]
            s = e + offsets
            valid = s <= latest[:, v : v + 1]
            s = np.minimum(s, latest[:, v : v + 1])
            z = problem.zone[g, v][:, None]
            cost = np.abs(s - problem.preferred[g, v][:, None]) * deviation_weight
            if prefix is not None:
                d = problem.duration[g, v][:, None]
                cost = cost + (prefix[z, s + d] - prefix[z, s])
            if residual is not None:
                room = np.empty(s.shape)
                for d in np.unique(problem.duration[g, v]).tolist():
                    if d not in fits:
                        fits[d] = sliding_minimum(residual, d)
                    sel = problem.duration[g, v] == d
                    room[sel] = fits[d][z[sel], s[sel]]
                valid &= room >= problem.size[g][:, None]
            cost = np.where(valid, cost, np.inf)
            if v > 0:
                # Visit v may start at e_v + i if visit v-1 started at e_{v-1} + j with
                # j <= i + e_v - gap_{v-1} - e_{v-1}.
                shift = e - problem.gap[g, v - 1][:, None] - earliest[:, v - 1 : v]
                j = offsets + shift
                reachable = j >= 0
                j = np.clip(j, 0, width - 1)
                cost = cost + np.where(reachable, np.take_along_axis(best, j, axis=1), np.inf)
                back.append(np.take_along_axis(best_at, j, axis=1))
            best = np.minimum.accumulate(cost, axis=1)
            best_at = np.maximum.accumulate(np.where(cost <= best, offsets, 0), axis=1)
        index = best_at[:, -1]
        cost_out[local] = best[:, -1]
        ok = np.isfinite(best[:, -1])
        chosen = np.empty((len(g), k), dtype=np.int64)
        chosen[:, k - 1] = index
        for v in range(k - 1, 0, -1):
            chosen[:, v - 1] = np.take_along_axis(back[v - 1], chosen[:, v : v + 1], axis=1)[:, 0]
        chosen = chosen + earliest
        starts_out[local[ok], :k] = chosen[ok]
    return cost_out, starts_out


def itinerary_price(
    problem: Problem, prices: np.ndarray, rows: np.ndarray, starts: np.ndarray
) -> np.ndarray:
    """Per person: Σ deviation + Σ prices over the visits' slots, for `starts` of `rows`.

    Rows whose first start is -1 (unscheduled) get inf.
    """
    prefix = price_prefix(prices)
    mask = starts >= 0
    s = np.where(mask, starts, 0)
    z = problem.zone[rows]
    d = problem.duration[rows]
    per_visit = np.abs(s - problem.preferred[rows]) + prefix[z, s + d] - prefix[z, s]
    total = np.where(mask, per_visit, 0.0).sum(axis=1)
    return np.where(mask[:, 0], total, np.inf)
