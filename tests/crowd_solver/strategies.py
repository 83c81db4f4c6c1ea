"""Hypothesis strategies: small, awkward instances (tight, per-slot capacities, travel)."""

from __future__ import annotations

from hypothesis import assume
from hypothesis import strategies as st

from zaireen.crowd.solver import FormatError, instance_from_json

ZONE_IDS = ("a", "b")


@st.composite
def instances(draw, max_groups: int = 6):
    slots = draw(st.integers(8, 20))
    n_zones = draw(st.integers(1, 2))
    zones = []
    for z in ZONE_IDS[:n_zones]:
        if draw(st.booleans()):
            capacity = draw(st.integers(60, 140))
        else:
            capacity = draw(st.lists(st.integers(0, 140), min_size=slots, max_size=slots))
        zones.append({"id": z, "capacity": capacity})
    travel = {}
    if n_zones == 2:
        travel = {"a": {"b": draw(st.integers(0, 3))}}
    groups = []
    for i in range(draw(st.integers(1, max_groups))):
        visits = []
        for _ in range(draw(st.integers(1, 2))):
            duration = draw(st.integers(1, 3))
            earliest = draw(st.integers(0, slots - duration))
            latest = draw(st.integers(earliest, min(slots - duration, earliest + 6)))
            visits.append(
                {
                    "zone": draw(st.sampled_from(ZONE_IDS[:n_zones])),
                    "preferred": draw(st.integers(0, slots - 1)),
                    "earliest": earliest,
                    "latest": latest,
                    "duration": duration,
                }
            )
        groups.append({"id": f"g{i}", "size": draw(st.integers(10, 60)), "visits": visits})
    document = {
        "format": "zaireen-slots/1",
        "slots": slots,
        "unscheduled_penalty": draw(st.sampled_from([5, 50, 1000])),
        "zones": zones,
        "travel_slots": travel,
        "groups": groups,
    }
    try:
        return instance_from_json(document)
    except FormatError:
        assume(False)
        raise  # pragma: no cover - assume stops the example
