"""Small instances built by hand for the slot-engine tests."""

from __future__ import annotations

import copy

from zaireen.crowd.solver import instance_from_json


def document(**overrides) -> dict:
    """A valid two-zone instance document; keyword arguments replace top-level fields."""
    doc = {
        "format": "zaireen-slots/1",
        "slot_minutes": 15,
        "slots": 12,
        "unscheduled_penalty": 100,
        "zones": [
            {"id": "kadhimiya", "capacity": 100},
            {"id": "karbala-husayn", "capacity": [80] * 12},
        ],
        "travel_slots": {"kadhimiya": {"karbala-husayn": 2}},
        "groups": [
            {
                "id": "g1",
                "size": 40,
                "visits": [
                    {
                        "zone": "kadhimiya",
                        "preferred": 1,
                        "earliest": 0,
                        "latest": 3,
                        "duration": 2,
                    },
                    {
                        "zone": "karbala-husayn",
                        "preferred": 5,
                        "earliest": 4,
                        "latest": 8,
                        "duration": 2,
                    },
                ],
            },
            {
                "id": "g2",
                "size": 60,
                "visits": [
                    {"zone": "kadhimiya", "preferred": 1, "earliest": 0, "latest": 4, "duration": 2}
                ],
            },
        ],
    }
    doc.update(copy.deepcopy(overrides))
    return doc


def instance(**overrides):
    return instance_from_json(document(**overrides))
