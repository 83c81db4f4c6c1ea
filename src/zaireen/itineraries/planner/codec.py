"""A plan as JSON-ready data and back, for the database and the API (pure Python)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, fields
from typing import Any

from zaireen.itineraries.planner.types import Item, Plan, Stay, Unmet, Warning

VERSION = 1
_ITEM_FIELDS = {f.name for f in fields(Item)}


def plan_to_data(plan: Plan) -> dict[str, Any]:
    return {
        "version": VERSION,
        "orders_considered": plan.orders_considered,
        "items": [
            {**asdict(it), "start": it.start.isoformat(), "end": it.end.isoformat()}
            for it in plan.items
        ],
        "stays": [
            {
                "city": s.city,
                "first_night": s.first_night.isoformat(),
                "nights": s.nights,
                "hotel": s.hotel,
            }
            for s in plan.stays
        ],
        "unmet": [asdict(u) for u in plan.unmet],
        "warnings": [
            {"code": w.code, "day": w.day.isoformat(), "item": w.item, "params": dict(w.params)}
            for w in plan.warnings
        ],
    }


def plan_from_data(data: dict[str, Any]) -> Plan:
    if data.get("version") != VERSION:
        raise ValueError(f"unknown plan format {data.get('version')!r}")
    items = tuple(
        Item(
            **{
                **{k: v for k, v in raw.items() if k in _ITEM_FIELDS},
                "start": dt.datetime.fromisoformat(raw["start"]),
                "end": dt.datetime.fromisoformat(raw["end"]),
            }
        )
        for raw in data["items"]
    )
    return Plan(
        items=items,
        stays=tuple(
            Stay(
                s["city"], dt.date.fromisoformat(s["first_night"]), s["nights"], s.get("hotel", "")
            )
            for s in data["stays"]
        ),
        unmet=tuple(Unmet(**u) for u in data.get("unmet", [])),
        warnings=tuple(
            Warning(
                w["code"], dt.date.fromisoformat(w["day"]), w.get("item", ""), w.get("params", {})
            )
            for w in data.get("warnings", [])
        ),
        orders_considered=data.get("orders_considered", 1),
    )
