"""Occupancy ÷ quota per zone and slot: the loads, their summary, and the SVG grid a page shows.

Pure Python (no Django): it reads the plain instance and result documents
(`zaireen-slots/1`, `zaireen-slots-result/1`) and recomputes the loads itself, so a page never
shows a figure the solver merely claimed.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

HOT = 0.9  # a cell above 90% of its quota is counted as hot

# (upper bound of the ratio, fill colour, legend key); a ratio above 1 is an overload.
BANDS = (
    (0.0, "#f1f3f5", "empty"),
    (0.5, "#d1e7dd", "low"),
    (0.75, "#a3cfbb", "medium"),
    (0.9, "#ffe69c", "high"),
    (1.0, "#fd7e14", "hot"),
    (math.inf, "#dc3545", "over"),
)


def quotas_of(instance: dict) -> dict[str, list[int]]:
    slots = instance["slots"]
    quotas = {}
    for zone in instance["zones"]:
        capacity = zone["capacity"]
        quotas[zone["id"]] = list(capacity) if isinstance(capacity, list) else [capacity] * slots
    return quotas


def loads_of(instance: dict, starts_by_group: dict[str, Sequence[int]]) -> dict[str, list[int]]:
    """People inside each zone in each slot when each group starts its visits as given."""
    slots = instance["slots"]
    loads = {zone["id"]: [0] * slots for zone in instance["zones"]}
    for group in instance["groups"]:
        starts = starts_by_group.get(group["id"])
        if not starts:
            continue
        for visit, start in zip(group["visits"], starts, strict=True):
            row = loads[visit["zone"]]
            for slot in range(start, min(slots, start + visit["duration"])):
                row[slot] += group["size"]
    return loads


def preferred_loads(instance: dict) -> dict[str, list[int]]:
    """The loads "before": every group at its preferred starts."""
    return loads_of(
        instance, {g["id"]: [v["preferred"] for v in g["visits"]] for g in instance["groups"]}
    )


def scheduled_loads(instance: dict, result: dict) -> dict[str, list[int]]:
    """The loads "after": the result's schedule."""
    return loads_of(instance, {a["group"]: a["starts"] for a in result.get("assignments", [])})


def ratio(load: int, quota: int) -> float:
    if quota > 0:
        return load / quota
    return math.inf if load > 0 else 0.0


@dataclass(frozen=True)
class HeatSummary:
    """The peak ratio (None when nothing is booked; inf where people meet a zero quota) and
    the number of zone-slots above 90%."""

    peak: float | None
    peak_zone: str
    peak_slot: int | None
    hot_cells: int
    over_cells: int

    def as_dict(self) -> dict:
        peak = self.peak
        return {
            "peak": None if peak is None else ("inf" if math.isinf(peak) else round(peak, 4)),
            "peak_zone": self.peak_zone,
            "peak_slot": self.peak_slot,
            "hot_cells": self.hot_cells,
            "over_cells": self.over_cells,
        }


def summarise(loads: dict[str, list[int]], quotas: dict[str, list[int]]) -> HeatSummary:
    peak: float | None = None
    where = ("", None)
    hot = over = 0
    for zone, row in loads.items():
        for slot, load in enumerate(row):
            if load == 0:
                continue
            r = ratio(load, quotas[zone][slot])
            if peak is None or r > peak:
                peak, where = r, (zone, slot)
            hot += r > HOT
            over += r > 1
    return HeatSummary(peak, where[0], where[1], hot, over)


def band(r: float, load: int) -> tuple[str, str]:
    if load == 0:
        return BANDS[0][1], BANDS[0][2]
    for upper, colour, key in BANDS[1:]:
        if r <= upper:
            return colour, key
    return BANDS[-1][1], BANDS[-1][2]  # pragma: no cover (inf is the last upper bound)


CELL_W = 4
ROW_H = 22
LABEL_W = 0  # zone names are in the table beside the grid, not in the SVG (RTL-safe)
AXIS_H = 16


def svg(
    *,
    zones: Sequence[tuple[str, str]],
    loads: dict[str, list[int]],
    quotas: dict[str, list[int]],
    slot_label: Callable[[int], str],
    tick_every: int,
    title: str,
    tick_label: Callable[[int], str] | None = None,
) -> str:
    """An SVG grid: one row per zone (`zones` are (id, name) pairs), one column per slot.

    Runs of slots in the same colour band become one rectangle with a tooltip naming the zone,
    the times and the highest ratio in the run, so the markup stays small. Times on the axis
    every `tick_every` slots.
    """
    slots = len(next(iter(quotas.values()))) if quotas else 0
    width = slots * CELL_W
    height = len(zones) * ROW_H + AXIS_H
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="crowd-heat" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{html.escape(title)}</title>",
    ]
    for index, (zone, name) in enumerate(zones):
        y = index * ROW_H
        row, quota = loads.get(zone, [0] * slots), quotas.get(zone, [0] * slots)
        slot = 0
        while slot < slots:
            colour, key = band(ratio(row[slot], quota[slot]), row[slot])
            end, top = slot, ratio(row[slot], quota[slot]) if row[slot] else 0.0
            while end + 1 < slots:
                nxt = ratio(row[end + 1], quota[end + 1]) if row[end + 1] else 0.0
                if band(nxt, row[end + 1])[1] != key:
                    break
                end += 1
                top = max(top, nxt)
            percent = "∞" if math.isinf(top) else f"{top * 100:.0f}%"
            tip = f"{name} · {slot_label(slot)}–{slot_label(end + 1)} · {percent}"
            parts.append(
                f'<rect x="{slot * CELL_W}" y="{y + 1}" width="{(end - slot + 1) * CELL_W}" '
                f'height="{ROW_H - 2}" fill="{colour}" data-band="{key}">'
                f"<title>{html.escape(tip)}</title></rect>"
            )
            slot = end + 1
    tick_label = tick_label or slot_label
    axis_y = len(zones) * ROW_H
    for slot in range(0, slots, max(1, tick_every)):
        x = slot * CELL_W
        parts.append(
            f'<line x1="{x}" y1="0" x2="{x}" y2="{axis_y + 4}" stroke="#6c757d" '
            f'stroke-width="0.5"/><text x="{x + 2}" y="{axis_y + 13}" font-size="10" '
            f'fill="#495057">{html.escape(tick_label(slot))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
