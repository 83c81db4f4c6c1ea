"""What the look-up shows from apps that are still being built: named hooks, empty for now.

Each takes the ids of the page's results and answers in a fixed number of queries (never one
per result), keyed by the id it was given; a missing key means "nothing to show".

- `last_checkpoints`: the safety app's headcounts. Replace the body with a query for each
  member's latest scan (checkpoint name and its time, aware datetime).
- `open_cases`: the missing-person and incident cases of the next issue, per profile.
- `photos`: a profile photo, once profiles have one (none does yet).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Checkpoint:
    name: str
    at: datetime.datetime


@dataclass(frozen=True)
class OpenCase:
    reference: str
    title: str
    opened_at: datetime.datetime
    url: str = ""


def last_checkpoints(member_ids: Sequence[int]) -> dict[int, Checkpoint]:
    """The last checkpoint each trip member was counted at, by member id."""
    return {}


def open_cases(profile_ids: Sequence[int]) -> dict[int, list[OpenCase]]:
    """The open cases about each pilgrim, by profile id."""
    return {}


def photos(profile_ids: Sequence[int]) -> dict[int, str]:
    """A URL of each pilgrim's photo, by profile id."""
    return {}
