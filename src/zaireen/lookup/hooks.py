"""What the look-up shows from other apps, behind one small interface each.

Each takes the ids of the page's results and answers in a fixed number of queries (never one
per result), keyed by the id it was given; a missing key means "nothing to show".

- `last_checkpoints`: the safety app's headcounts: each member's latest mark.
- `open_cases`: the open missing-person cases, per profile.
- `photos`: signed links to the profiles' photos.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from zaireen.pilgrims.photos import photo_urls
from zaireen.safety.selectors import last_seen


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
    return {pk: Checkpoint(seen.checkpoint, seen.at) for pk, seen in last_seen(member_ids).items()}


def open_cases(profile_ids: Sequence[int]) -> dict[int, list[OpenCase]]:
    """The open missing-person cases about each pilgrim, by profile id."""
    from zaireen.cases.selectors import open_cases_for_profiles  # imports this module's OpenCase

    return open_cases_for_profiles(profile_ids)


def photos(profile_ids: Sequence[int]) -> dict[int, str]:
    """A signed link to each pilgrim's photo, by profile id (the look-up is already logged)."""
    return photo_urls(profile_ids)
