"""Actors and row shape shared by the permission table and the apps' row modules."""

from __future__ import annotations

from dataclasses import dataclass

ACTORS = (
    "anonymous",
    "ministry",
    "consul",
    "org_admin",
    "org_staff",
    "leader",
    "pilgrim",
    "planner",
)
ALL = ACTORS
SIGNED_IN = ACTORS[1:]
OFFICIALS = ("ministry", "consul")
ORGANISER_PEOPLE = ("org_admin", "org_staff", "leader")


def others(*actors: str, among: tuple[str, ...] = SIGNED_IN) -> tuple[str, ...]:
    return tuple(a for a in among if a not in actors)


@dataclass(frozen=True)
class Row:
    url_name: str
    actors: tuple[str, ...]
    expect: int | str
    method: str = "get"
