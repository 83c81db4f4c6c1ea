"""Planning events: a tiny registry that tells other apps a Hijri month offset changed.

When Iraq's month begins on another day, every Gregorian day of that month gets another Hijri
date, so saved itineraries and published crowd slots built on the old dates must be checked
again. Later issues subscribe here; the planning app does not know them.

    from zaireen.planning.events import OffsetChange, on_offsets_changed

    @on_offsets_changed
    def recheck_itineraries(change: OffsetChange) -> None:
        enqueue(recheck_days_task, change.first_day.isoformat(), change.last_day.isoformat())

Rules (why not Django signals: a business step wired by a signal is invisible at the call site
and runs inside the sender's transaction):

- `offsets_changed` is called by the service inside its transaction; each subscriber is called
  once per changed month, only after the transaction commits (`transaction.on_commit`), and
  never if it rolls back.
- Subscribers run in the request that made the change, so they must be quick: enqueue a
  background job (`core.jobs.enqueue`, taking ids and dates, not objects) for real work.
- A subscriber that raises is logged and does not stop the others (`robust=True`); the offset
  is already saved by then.
- Subscribe at import time, from the subscribing app's `AppConfig.ready()`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class OffsetChange:
    """Iraq's month (`year`, `month`) now begins `new_days` after Umm al-Qura's, not `old_days`.

    `first_day`..`last_day` (inclusive) are the Gregorian days whose Hijri date changed: from
    the earlier of the old and new first day of the month to the day before the next month
    begins (an offset moves its own month only; the month before ends earlier or later).
    """

    year: int
    month: int
    old_days: int
    new_days: int
    first_day: dt.date
    last_day: dt.date

    @property
    def key(self) -> tuple[int, int]:
        return (self.year, self.month)


Subscriber = Callable[[OffsetChange], None]
_subscribers: list[Subscriber] = []


def on_offsets_changed(callback: Subscriber) -> Subscriber:
    """Subscribe `callback` (usable as a decorator); subscribing twice has no effect."""
    if callback not in _subscribers:
        _subscribers.append(callback)
    return callback


def unsubscribe(callback: Subscriber) -> None:
    """Remove `callback` if it is subscribed (tests use this to clean up)."""
    if callback in _subscribers:
        _subscribers.remove(callback)


def subscribers() -> tuple[Subscriber, ...]:
    return tuple(_subscribers)


def offsets_changed(changes: Iterable[OffsetChange], *, using: str | None = None) -> None:
    """Announce `changes` to every subscriber once the current transaction commits.

    Call it inside the service's transaction, after the write. Subscribers are looked up now,
    so one added between the write and the commit is not called for it.
    """
    for change in changes:
        for callback in _subscribers:
            transaction.on_commit(_bound(callback, change), using=using, robust=True)


def _bound(callback: Subscriber, change: OffsetChange) -> Callable[[], None]:
    # A plain function rather than functools.partial: Django logs a robust callback's failure
    # by its __qualname__, which a partial lacks.
    @functools.wraps(callback)
    def call() -> None:
        callback(change)

    return call
