"""The seeded instance generator, so that nobody sets their own difficulty.

The recipe is fixed by issue 13 and written out in docs/slots.md: three zones with their travel
slots; group size uniform 20–60; 1..K visits (a random subset of the zones, visited in one of the
two route orders); 70% of first visits near a peak at 60% of the horizon (normal, sd = horizon/10),
30% uniform; later visits preferred right after the previous one plus travel; duration 2–4 slots;
a window of ±4–16 slots around each preferred start, cut to the horizon and pushed so that travel
fits; capacity per zone = peak preferred occupancy ÷ tightness. Same settings, same file.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import GeneratorError
from .model import Group, Instance, Visit, Zone

ZONES = ("kadhimiya", "karbala-husayn", "najaf-ali")
TRAVEL = {
    ("kadhimiya", "karbala-husayn"): 8,
    ("kadhimiya", "najaf-ali"): 10,
    ("karbala-husayn", "najaf-ali"): 6,
}
ROUTES = ((0, 1, 2), (2, 1, 0))  # Kadhimiya → Karbala → Najaf, or the reverse
SIZE_RANGE = (20, 60)
DURATION_RANGE = (2, 4)
HALF_WINDOW_RANGE = (4, 16)
PEAK_SHARE = 0.7
PEAK_AT = 0.6
PEAK_SD = 0.1


@dataclass(frozen=True)
class GeneratorSettings:
    """What `zaireen slots generate` takes; defaults give one day of 15-minute slots."""

    groups: int
    max_visits: int = 3
    slots: int = 288
    tightness: float = 1.5
    seed: int = 0
    slot_minutes: int = 15
    unscheduled_penalty: int = 1000


def _travel_matrix() -> np.ndarray:
    matrix = np.zeros((len(ZONES), len(ZONES)), dtype=np.int64)
    for (a, b), slots in TRAVEL.items():
        i, j = ZONES.index(a), ZONES.index(b)
        matrix[i, j] = matrix[j, i] = slots
    return matrix


def _validate(settings: GeneratorSettings) -> None:
    if settings.groups < 0:
        raise GeneratorError("groups", "must not be negative")
    if not 1 <= settings.max_visits <= len(ZONES):
        raise GeneratorError(
            "max_visits", f"must be 1 to {len(ZONES)}: a route has {len(ZONES)} zones"
        )
    if not settings.tightness > 0:
        raise GeneratorError("tightness", "must be positive")
    longest = settings.max_visits * DURATION_RANGE[1] + int(_travel_matrix().max()) * (
        settings.max_visits - 1
    )
    if settings.slots < longest:
        raise GeneratorError(
            "slots", f"must be at least {longest} so that the longest itinerary fits"
        )


def generate(settings: GeneratorSettings) -> Instance:
    """Draw an instance; the same settings always give the same instance."""
    _validate(settings)
    rng = np.random.default_rng(settings.seed)
    n, k_max, horizon = settings.groups, settings.max_visits, settings.slots
    travel = _travel_matrix()

    size = rng.integers(SIZE_RANGE[0], SIZE_RANGE[1] + 1, size=n)
    n_visits = rng.integers(1, k_max + 1, size=n)
    route = rng.integers(0, len(ROUTES), size=n)
    # A random permutation of route positions per group; its first k, sorted, are a random
    # k-subset of the route's zones visited in route order.
    order = np.argsort(rng.random((n, len(ZONES))), axis=1)
    routes = np.array(ROUTES)[route]
    durations = rng.integers(DURATION_RANGE[0], DURATION_RANGE[1] + 1, size=(n, k_max))
    half = rng.integers(HALF_WINDOW_RANGE[0], HALF_WINDOW_RANGE[1] + 1, size=(n, k_max))
    at_peak = rng.random(n) < PEAK_SHARE
    peak_start = np.rint(rng.normal(PEAK_AT * horizon, PEAK_SD * horizon, size=n))
    uniform_start = rng.integers(0, horizon, size=n)
    first = np.where(at_peak, peak_start, uniform_start).astype(np.int64)

    groups = []
    for g in range(n):
        k = int(n_visits[g])
        zones = [int(routes[g][p]) for p in np.sort(order[g, :k])]
        dur = [int(d) for d in durations[g, :k]]
        gaps = [dur[v] + int(travel[zones[v], zones[v + 1]]) for v in range(k - 1)]
        span = sum(gaps) + dur[-1]
        start = min(max(int(first[g]), 0), horizon - span)
        preferred = [start]
        for gap in gaps:
            preferred.append(preferred[-1] + gap)
        earliest = [max(0, p - int(h)) for p, h in zip(preferred, half[g, :k], strict=True)]
        latest = [
            min(horizon - d, p + int(h))
            for p, h, d in zip(preferred, half[g, :k], dur, strict=True)
        ]
        for v in range(1, k):  # push so that travel fits both ways
            earliest[v] = max(earliest[v], earliest[v - 1] + gaps[v - 1])
        for v in range(k - 2, -1, -1):
            latest[v] = min(latest[v], latest[v + 1] - gaps[v])
        visits = tuple(
            Visit(ZONES[zones[v]], preferred[v], earliest[v], latest[v], dur[v]) for v in range(k)
        )
        groups.append(Group(id=f"g{g + 1}", size=int(size[g]), visits=visits))

    capacity = _capacities(groups, horizon, settings.tightness)
    travel_slots = {}
    for (a, b), slots in TRAVEL.items():
        travel_slots[(a, b)] = travel_slots[(b, a)] = slots
    return Instance(
        slot_minutes=settings.slot_minutes,
        slots=horizon,
        unscheduled_penalty=settings.unscheduled_penalty,
        zones=tuple(Zone(id=z, capacity=(capacity[z],) * horizon) for z in ZONES),
        travel_slots=travel_slots,
        groups=tuple(groups),
    )


def _capacities(groups: list[Group], horizon: int, tightness: float) -> dict[str, int]:
    """Peak occupancy if everyone came at their preferred start, divided by the tightness.

    Never below the largest group that visits the zone (or 1), so every group fits somewhere.
    """
    occupancy = {z: np.zeros(horizon + 1, dtype=np.int64) for z in ZONES}
    largest = dict.fromkeys(ZONES, 1)
    for group in groups:
        for visit in group.visits:
            diff = occupancy[visit.zone]
            diff[visit.preferred] += group.size
            diff[visit.preferred + visit.duration] -= group.size
            largest[visit.zone] = max(largest[visit.zone], group.size)
    return {z: max(int(np.cumsum(occupancy[z]).max() / tightness), largest[z]) for z in ZONES}
