"""The slot-scheduling problem and its answer, as plain frozen dataclasses.

These are what goes in and out of the pure core: the file formats (`formats.py`) turn JSON into
them and back, the solver and the checker read them. Nothing here imports numpy or Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field

INSTANCE_FORMAT = "zaireen-slots/1"
RESULT_FORMAT = "zaireen-slots-result/1"


@dataclass(frozen=True)
class Zone:
    """A capacity area; `capacity[t]` people may be inside it during slot t."""

    id: str
    capacity: tuple[int, ...]


@dataclass(frozen=True)
class Visit:
    """One stop of a group: it occupies `zone` for `duration` slots from its start.

    The start must lie in [earliest, latest]; every slot away from `preferred` costs the group's
    size. The parser guarantees latest + duration <= the horizon.
    """

    zone: str
    preferred: int
    earliest: int
    latest: int
    duration: int


@dataclass(frozen=True)
class Group:
    """People who travel together and are never split; visits are in itinerary order."""

    id: str
    size: int
    visits: tuple[Visit, ...]


@dataclass(frozen=True)
class Instance:
    """One occasion's scheduling problem (format `zaireen-slots/1`)."""

    slot_minutes: int
    slots: int
    unscheduled_penalty: int
    zones: tuple[Zone, ...]
    travel_slots: dict[tuple[str, str], int]
    groups: tuple[Group, ...]

    def travel(self, a: str, b: str) -> int:
        """Slots needed to go from zone a to zone b (symmetric; a missing pair is 0)."""
        return self.travel_slots.get((a, b), self.travel_slots.get((b, a), 0))


@dataclass(frozen=True)
class Assignment:
    """The start slot of each of a group's visits, in itinerary order."""

    group: str
    starts: tuple[int, ...]


@dataclass(frozen=True)
class BoundCertificate:
    """Lagrangian prices per zone and slot that prove `Result.lower_bound`.

    For any prices λ >= 0 the value L(λ) = Σ_groups min(penalty, cheapest itinerary priced with
    deviation + λ) × size − Σ λ × capacity is a lower bound on every feasible schedule, so the
    checker can re-evaluate it from the instance alone instead of trusting the number.
    """

    prices: dict[str, tuple[float, ...]]


@dataclass(frozen=True)
class Result:
    """A schedule (format `zaireen-slots-result/1`)."""

    method: str
    assignments: tuple[Assignment, ...]
    unscheduled: tuple[str, ...]
    objective: int
    lower_bound: float | None
    bound_method: str | None
    max_load_ratio: float
    seconds: float
    certificate: BoundCertificate | None = None
    stats: dict[str, float | int | str] = field(default_factory=dict)
