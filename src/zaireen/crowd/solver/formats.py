"""Reading and writing `zaireen-slots/1` instances and `zaireen-slots-result/1` results.

Parsing is strict: a file that a solver could misread (an unknown key, a window that leaves the
horizon, a visit that cannot follow the previous one, a group that fits nowhere) is refused with
the JSON path of the bad value, so the person who made the file can fix it without guessing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from .errors import FormatError
from .model import (
    INSTANCE_FORMAT,
    RESULT_FORMAT,
    Assignment,
    BoundCertificate,
    Group,
    Instance,
    Result,
    Visit,
    Zone,
)

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
CERTIFICATE_KIND = "lagrangian-prices"


def child(path: str, key: str | int) -> str:
    """The JSON path of `key` inside `path` (`$.zones[0]`, `$.travel_slots["najaf-ali"]`)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _IDENTIFIER.fullmatch(key):  # fullmatch: "$" would let a trailing newline through
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key)}]"


def _object(value: Any, path: str, required: Iterable[str], optional: Iterable[str] = ()) -> dict:
    if not isinstance(value, dict):
        raise FormatError(path, "must be an object")
    required = tuple(required)
    allowed = set(required) | set(optional)
    for key in value:
        if key not in allowed:
            raise FormatError(child(path, key), "unknown field")
    for key in required:
        if key not in value:
            raise FormatError(child(path, key), "is missing")
    return value


def _list(value: Any, path: str, *, non_empty: bool = False) -> list:
    if not isinstance(value, list):
        raise FormatError(path, "must be a list")
    if non_empty and not value:
        raise FormatError(path, "must not be empty")
    return value


def _int(value: Any, path: str, *, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormatError(path, f"must be a whole number, not {json.dumps(value)}")
    if minimum is not None and value < minimum:
        qualifier = "positive" if minimum == 1 else f"at least {minimum}"
        raise FormatError(path, f"must be {qualifier}, not {value}")
    return value


def _number(value: Any, path: str, *, nullable: bool = False) -> float | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FormatError(path, f"must be a number, not {json.dumps(value)}")
    return float(value)


def _text(value: Any, path: str, *, nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not value:
        raise FormatError(path, "must be a non-empty string")
    return value


def _format_tag(data: dict, expected: str) -> None:
    if data["format"] != expected:
        raise FormatError(
            "$.format", f"must be {json.dumps(expected)}, not {json.dumps(data['format'])}"
        )


# --------------------------------------------------------------------------------------------
# Instances


def instance_from_json(data: Any) -> Instance:
    """Validate a decoded `zaireen-slots/1` document and build the Instance.

    Raises FormatError naming the first bad value.
    """
    root = _object(
        data,
        "$",
        ("format", "slots", "zones", "groups"),
        ("slot_minutes", "unscheduled_penalty", "travel_slots"),
    )
    _format_tag(root, INSTANCE_FORMAT)
    slots = _int(root["slots"], "$.slots", minimum=1)
    slot_minutes = _int(root.get("slot_minutes", 15), "$.slot_minutes", minimum=1)
    penalty = _int(root.get("unscheduled_penalty", 1000), "$.unscheduled_penalty", minimum=0)
    zones = _zones(root["zones"], slots)
    zone_ids = {zone.id: zone for zone in zones}
    travel = _travel(root.get("travel_slots", {}), zone_ids)
    capacity_fit = _CapacityFit(zones)
    groups_raw = _list(root["groups"], "$.groups")
    groups = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(groups_raw):
        group = _group(raw, child("$.groups", index), slots, zone_ids, travel, capacity_fit)
        if group.id in seen:
            raise FormatError(
                child(child("$.groups", index), "id"),
                f"{json.dumps(group.id)} is already the id of $.groups[{seen[group.id]}]",
            )
        seen[group.id] = index
        groups.append(group)
    return Instance(
        slot_minutes=slot_minutes,
        slots=slots,
        unscheduled_penalty=penalty,
        zones=zones,
        travel_slots=travel,
        groups=tuple(groups),
    )


def _zones(value: Any, slots: int) -> tuple[Zone, ...]:
    zones = []
    seen: set[str] = set()
    for index, raw in enumerate(_list(value, "$.zones", non_empty=True)):
        path = child("$.zones", index)
        raw = _object(raw, path, ("id", "capacity"))
        zone_id = _text(raw["id"], child(path, "id"))
        if zone_id in seen:
            raise FormatError(child(path, "id"), f"zone {json.dumps(zone_id)} is listed twice")
        seen.add(zone_id)
        cap_path = child(path, "capacity")
        capacity = raw["capacity"]
        if isinstance(capacity, list):
            if len(capacity) != slots:
                raise FormatError(
                    cap_path, f"has {len(capacity)} values; one per slot means {slots}"
                )
            values = tuple(_int(v, child(cap_path, t), minimum=0) for t, v in enumerate(capacity))
        else:
            values = (_int(capacity, cap_path, minimum=0),) * slots
        zones.append(Zone(id=zone_id, capacity=values))
    return tuple(zones)


def _travel(value: Any, zones: dict[str, Zone]) -> dict[tuple[str, str], int]:
    if not isinstance(value, dict):
        raise FormatError("$.travel_slots", "must be an object")
    travel: dict[tuple[str, str], int] = {}
    for a, row in value.items():
        row_path = child("$.travel_slots", a)
        if a not in zones:
            raise FormatError(row_path, f"unknown zone {json.dumps(a)}")
        if not isinstance(row, dict):
            raise FormatError(row_path, "must be an object")
        for b, slots in row.items():
            path = child(row_path, b)
            if b not in zones:
                raise FormatError(path, f"unknown zone {json.dumps(b)}")
            slots = _int(slots, path, minimum=0)
            if travel.get((a, b), slots) != slots:
                raise FormatError(
                    path,
                    f"travel is symmetric but {b} → {a} is {travel[(a, b)]}, not {slots}",
                )
            travel[(a, b)] = travel[(b, a)] = slots
    return travel


class _CapacityFit:
    """Answers "what is the largest group that fits somewhere in this window" quickly.

    For a zone with per-slot capacities the answer is the maximum over starts of the minimum
    capacity over the visit's duration; sliding minima are cached per (zone, duration).
    """

    def __init__(self, zones: tuple[Zone, ...]) -> None:
        self._zones = {zone.id: zone for zone in zones}
        self._constant = {
            zone.id: zone.capacity[0] for zone in zones if len(set(zone.capacity)) == 1
        }
        self._sliding: dict[tuple[str, int], list[int]] = {}

    def largest(self, zone: str, earliest: int, latest: int, duration: int) -> int:
        if zone in self._constant:
            return self._constant[zone]
        key = (zone, duration)
        if key not in self._sliding:
            cap = self._zones[zone].capacity
            self._sliding[key] = [
                min(cap[s : s + duration]) for s in range(len(cap) - duration + 1)
            ]
        return max(self._sliding[key][earliest : latest + 1])


def _group(
    raw: Any,
    path: str,
    slots: int,
    zones: dict[str, Zone],
    travel: dict[tuple[str, str], int],
    capacity_fit: _CapacityFit,
) -> Group:
    raw = _object(raw, path, ("id", "size", "visits"))
    group_id = _text(raw["id"], child(path, "id"))
    size = _int(raw["size"], child(path, "size"), minimum=1)
    visits_path = child(path, "visits")
    visits = []
    reachable = 0  # earliest start the previous visits allow
    for index, raw_visit in enumerate(_list(raw["visits"], visits_path, non_empty=True)):
        vpath = child(visits_path, index)
        visit = _visit(raw_visit, vpath, slots, zones)
        if visits:
            before = visits[-1]
            reachable += before.duration + travel.get((before.zone, visit.zone), 0)
            if reachable > visit.latest:
                raise FormatError(
                    child(vpath, "latest"),
                    f"the visit cannot start by slot {visit.latest}: after the previous visit"
                    f" and the travel from {before.zone} the earliest start is {reachable}",
                )
        reachable = max(reachable, visit.earliest)
        fits = capacity_fit.largest(visit.zone, visit.earliest, visit.latest, visit.duration)
        if size > fits:
            raise FormatError(
                child(path, "size"),
                f"{size} people never fit in {visit.zone} during visit {index}"
                f" (its capacity there is at most {fits})",
            )
        visits.append(visit)
    return Group(id=group_id, size=size, visits=tuple(visits))


def _visit(raw: Any, path: str, slots: int, zones: dict[str, Zone]) -> Visit:
    raw = _object(raw, path, ("zone", "preferred", "earliest", "latest", "duration"))
    zone = _text(raw["zone"], child(path, "zone"))
    if zone not in zones:
        raise FormatError(child(path, "zone"), f"unknown zone {json.dumps(zone)}")
    duration = _int(raw["duration"], child(path, "duration"), minimum=1)
    earliest = _int(raw["earliest"], child(path, "earliest"), minimum=0)
    latest = _int(raw["latest"], child(path, "latest"), minimum=0)
    preferred = _int(raw["preferred"], child(path, "preferred"), minimum=0)
    if earliest > latest:
        raise FormatError(child(path, "earliest"), f"{earliest} is after latest {latest}")
    if latest + duration > slots:
        raise FormatError(
            child(path, "latest"),
            f"window outside the horizon: a visit of {duration} slots starting at {latest}"
            f" ends after slot {slots - 1}",
        )
    if preferred >= slots:
        raise FormatError(child(path, "preferred"), f"{preferred} is outside the {slots} slots")
    return Visit(zone, preferred, earliest, latest, duration)


def instance_to_json(instance: Instance) -> dict:
    """The instance as a `zaireen-slots/1` document (capacities collapse when constant)."""
    order = {zone.id: index for index, zone in enumerate(instance.zones)}
    travel: dict[str, dict[str, int]] = {}
    for (a, b), slots in sorted(instance.travel_slots.items(), key=lambda kv: kv[0]):
        if order[a] < order[b]:
            travel.setdefault(a, {})[b] = slots
    return {
        "format": INSTANCE_FORMAT,
        "slot_minutes": instance.slot_minutes,
        "slots": instance.slots,
        "unscheduled_penalty": instance.unscheduled_penalty,
        "zones": [
            {
                "id": zone.id,
                "capacity": zone.capacity[0]
                if len(set(zone.capacity)) == 1
                else list(zone.capacity),
            }
            for zone in instance.zones
        ],
        "travel_slots": travel,
        "groups": [_group_to_json(group) for group in instance.groups],
    }


def _group_to_json(group: Group) -> dict:
    return {
        "id": group.id,
        "size": group.size,
        "visits": [
            {
                "zone": v.zone,
                "preferred": v.preferred,
                "earliest": v.earliest,
                "latest": v.latest,
                "duration": v.duration,
            }
            for v in group.visits
        ],
    }


def write_instance(instance: Instance, out: IO[str]) -> None:
    """Write the instance as JSON with one group per line, so large files diff and grep well."""
    document = instance_to_json(instance)
    groups = document.pop("groups")
    head = json.dumps(document, indent=1)
    out.write(head[:-2] + ',\n "groups": [')
    for index, group in enumerate(groups):
        out.write(("\n  " if index == 0 else ",\n  ") + json.dumps(group, separators=(",", ":")))
    out.write("\n ]\n}\n" if groups else "]\n}\n")


def read_json(path: str | Path) -> Any:
    """Decode a JSON file, turning a syntax error into a FormatError at `$`."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except json.JSONDecodeError as exc:
        raise FormatError("$", f"not valid JSON ({exc})") from exc


def load_instance(path: str | Path) -> Instance:
    """Read and validate an instance file."""
    return instance_from_json(read_json(path))


# --------------------------------------------------------------------------------------------
# Results


def result_from_json(data: Any) -> Result:
    """Check the shape of a `zaireen-slots-result/1` document and build the Result.

    Only the shape is checked here; whether the schedule is feasible and the figures are right is
    the checker's business (`checker.check`).
    """
    root = _object(
        data,
        "$",
        ("format", "assignments", "unscheduled", "objective"),
        (
            "method",
            "lower_bound",
            "bound_method",
            "max_load_ratio",
            "seconds",
            "certificate",
            "stats",
        ),
    )
    _format_tag(root, RESULT_FORMAT)
    assignments = []
    for index, raw in enumerate(_list(root["assignments"], "$.assignments")):
        path = child("$.assignments", index)
        raw = _object(raw, path, ("group", "starts"))
        starts_path = child(path, "starts")
        starts = tuple(
            _int(v, child(starts_path, k))
            for k, v in enumerate(_list(raw["starts"], starts_path, non_empty=True))
        )
        assignments.append(
            Assignment(group=_text(raw["group"], child(path, "group")), starts=starts)
        )
    unscheduled = tuple(
        _text(v, child("$.unscheduled", k))
        for k, v in enumerate(_list(root["unscheduled"], "$.unscheduled"))
    )
    certificate = None
    if root.get("certificate") is not None:
        certificate = _certificate(root["certificate"])
    stats = root.get("stats", {})
    if not isinstance(stats, dict):
        raise FormatError("$.stats", "must be an object")
    return Result(
        method=_text(root.get("method", "unknown"), "$.method"),
        assignments=tuple(assignments),
        unscheduled=unscheduled,
        objective=_int(root["objective"], "$.objective"),
        lower_bound=_number(root.get("lower_bound"), "$.lower_bound", nullable=True),
        bound_method=_text(root.get("bound_method"), "$.bound_method", nullable=True),
        max_load_ratio=_number(root.get("max_load_ratio", 0.0), "$.max_load_ratio"),
        seconds=_number(root.get("seconds", 0.0), "$.seconds"),
        certificate=certificate,
        stats=stats,
    )


def _certificate(value: Any) -> BoundCertificate:
    raw = _object(value, "$.certificate", ("kind", "prices"))
    if raw["kind"] != CERTIFICATE_KIND:
        raise FormatError("$.certificate.kind", f"must be {json.dumps(CERTIFICATE_KIND)}")
    prices_raw = raw["prices"]
    if not isinstance(prices_raw, dict):
        raise FormatError("$.certificate.prices", "must be an object")
    prices = {}
    for zone, values in prices_raw.items():
        path = child("$.certificate.prices", zone)
        numbers = []
        for t, v in enumerate(_list(values, path)):
            number = _number(v, child(path, t))
            if number < 0:
                raise FormatError(child(path, t), "a price must not be negative")
            numbers.append(number)
        prices[zone] = tuple(numbers)
    return BoundCertificate(prices=prices)


def result_to_json(result: Result) -> dict:
    """The result as a `zaireen-slots-result/1` document."""
    document: dict[str, Any] = {
        "format": RESULT_FORMAT,
        "method": result.method,
        "assignments": [{"group": a.group, "starts": list(a.starts)} for a in result.assignments],
        "unscheduled": list(result.unscheduled),
        "objective": result.objective,
        "lower_bound": result.lower_bound,
        "bound_method": result.bound_method,
        "max_load_ratio": result.max_load_ratio,
        "seconds": result.seconds,
    }
    if result.certificate is not None:
        document["certificate"] = {
            "kind": CERTIFICATE_KIND,
            "prices": {zone: list(p) for zone, p in result.certificate.prices.items()},
        }
    if result.stats:
        document["stats"] = result.stats
    return document


def write_result(result: Result, out: IO[str]) -> None:
    """Write the result with one assignment per line."""
    document = result_to_json(result)
    assignments = document.pop("assignments")
    head = json.dumps(document, indent=1)
    out.write(head[:-2] + ',\n "assignments": [')
    for index, item in enumerate(assignments):
        out.write(("\n  " if index == 0 else ",\n  ") + json.dumps(item, separators=(",", ":")))
    out.write("\n ]\n}\n" if assignments else "]\n}\n")


def load_result(path: str | Path) -> Result:
    """Read a result file and check its shape."""
    return result_from_json(read_json(path))
