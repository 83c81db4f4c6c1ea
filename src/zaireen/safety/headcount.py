"""The state of a headcount, derived from its event log. Pure: no Django, dataclasses in and out.

Phones record what a leader does as an append-only log of events, each with a UUID made on the
phone, the phone (device), a per-device sequence number and the phone's clock. The log reaches
the server in any order, in pieces, and more than once. `derive` turns the log into the state
of one headcount so that the result depends only on the *set* of events: duplicates and any
arrival order give the same state. The rules (docs/headcounts.md):

1. An event is identified by its UUID; a repeated UUID is the same event, counted once.
2. A device's own events are ordered by their sequence number, never by receipt time or by the
   phone's clock (`device_time` and `received_at` are carried for the record only).
3. A member is present while at least one valid mark of them is not undone. A mark is valid
   when it names a member of the trip (by ticking them or by a card that is not revoked).
   An unmark names the UUID of one mark and undoes exactly that mark, whichever phone made it,
   and whenever it arrives (even before the mark itself). Ticking a member again after an
   unmark is a new mark.
4. A scan of a revoked card is recorded as such and never marks anyone present; a scan of a
   card the server does not know for this trip is recorded as unknown.
5. A close answered "depart anyway: no" does not close the headcount: it is recorded as a hold
   (the group waits). Any other close closes it. A device's marks and unmarks that follow its
   own close in its sequence are ignored (that phone had finished counting). Events of other
   phones cannot be ordered against a close (their clocks are not trusted), so they all count:
   a member seen by any leader at the checkpoint is present.
6. While the headcount is open, expected members not present are "not yet seen"; once it is
   closed they are "missing". Marked members who were not expected are reported as extra.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field


class Action(enum.StrEnum):
    OPEN = "open"
    MARK = "mark"
    UNMARK = "unmark"
    CLOSE = "close"


class Scan(enum.StrEnum):
    """How the server resolved what a mark names (at receipt)."""

    OK = "ok"  # a member of the trip, ticked or by a valid card
    REVOKED = "revoked"  # a card of the trip that was revoked
    UNKNOWN = "unknown"  # no member or card of this trip


class Ignored(enum.StrEnum):
    AFTER_OWN_CLOSE = "after_own_close"
    NOT_A_MARK = "not_a_mark"  # an unmark naming an event that is not a mark
    REPEATED_CLOSE = "repeated_close"


@dataclass(frozen=True)
class Event:
    id: str
    device: str
    seq: int
    action: Action
    member: str | None = None  # marks: the member resolved by the server
    scan: Scan = Scan.OK
    target: str | None = None  # unmarks: the UUID of the mark undone
    depart_anyway: bool | None = None  # closes
    missing: tuple[str, ...] = ()  # closes: who the phone showed missing
    device_time: datetime.datetime | None = None  # informational
    received_at: datetime.datetime | None = None  # informational

    def sort_key(self) -> tuple:
        """A total order on the event's content, to choose deterministically between two
        events that claim the same UUID or the same place in a device's sequence (the server
        refuses both; the function stays order-independent even if given them)."""
        return (
            self.seq,
            self.id,
            self.action.value,
            self.member or "",
            self.scan.value,
            self.target or "",
            {None: 0, False: 1, True: 2}[self.depart_anyway],
            self.missing,
        )


@dataclass(frozen=True)
class Closure:
    """A close (or a hold, when the answer to "depart anyway?" was no)."""

    event: str
    device: str
    depart_anyway: bool | None
    missing: tuple[str, ...]


@dataclass(frozen=True)
class HeadcountState:
    closed: bool
    present: frozenset[str]
    not_yet_seen: frozenset[str]
    missing: frozenset[str]
    extra: frozenset[str]
    # member → the UUIDs of the marks that make them present (sorted), for unmarking
    marks: tuple[tuple[str, tuple[str, ...]], ...]
    closures: tuple[Closure, ...]
    holds: tuple[Closure, ...]
    revoked_scans: tuple[str, ...]
    unknown_scans: tuple[str, ...]
    ignored: tuple[tuple[str, Ignored], ...] = field(default=())

    def marks_of(self, member: str) -> tuple[str, ...]:
        return dict(self.marks).get(member, ())


def _unique(events: Iterable[Event]) -> list[Event]:
    """One event per UUID, then one per (device, sequence number), chosen by content."""
    by_id: dict[str, Event] = {}
    for event in events:
        known = by_id.get(event.id)
        if known is None or event.sort_key() < known.sort_key():
            by_id[event.id] = event
    by_place: dict[tuple[str, int], Event] = {}
    for event in by_id.values():
        place = (event.device, event.seq)
        known = by_place.get(place)
        if known is None or event.sort_key() < known.sort_key():
            by_place[place] = event
    return sorted(by_place.values(), key=lambda e: (e.device, e.seq))


def derive(expected: Iterable[str], events: Iterable[Event]) -> HeadcountState:
    """The state of one headcount whose expected members are `expected`, from its events."""
    expected = frozenset(expected)
    marks: dict[str, str] = {}  # mark UUID → member
    unmarked: set[str] = set()
    unmark_targets: list[tuple[str, str]] = []  # (unmark UUID, target)
    closures: list[Closure] = []
    holds: list[Closure] = []
    revoked: list[str] = []
    unknown: list[str] = []
    ignored: list[tuple[str, Ignored]] = []
    closed_by_device: set[str] = set()
    all_ids: set[str] = set()

    for event in _unique(events):  # sorted by device, then sequence number
        all_ids.add(event.id)
        done = event.device in closed_by_device
        if event.action is Action.OPEN:
            continue
        if event.action is Action.CLOSE:
            closure = Closure(event.id, event.device, event.depart_anyway, event.missing)
            if done:
                ignored.append((event.id, Ignored.REPEATED_CLOSE))
            elif event.depart_anyway is False:
                holds.append(closure)
            else:
                closures.append(closure)
                closed_by_device.add(event.device)
            continue
        if done:
            ignored.append((event.id, Ignored.AFTER_OWN_CLOSE))
            continue
        if event.action is Action.MARK:
            if event.scan is Scan.REVOKED:
                revoked.append(event.id)
            elif event.scan is Scan.UNKNOWN or not event.member:
                unknown.append(event.id)
            else:
                marks[event.id] = event.member
        elif event.action is Action.UNMARK and event.target:
            unmark_targets.append((event.id, event.target))

    for unmark_id, target in unmark_targets:
        if target in marks:
            unmarked.add(target)
        elif target in all_ids:
            ignored.append((unmark_id, Ignored.NOT_A_MARK))
        # else: the mark has not arrived yet; the unmark takes effect when it does

    by_member: dict[str, list[str]] = {}
    for mark_id, member in marks.items():
        if mark_id not in unmarked:
            by_member.setdefault(member, []).append(mark_id)
    seen = frozenset(by_member)
    closed = bool(closures)
    absent = expected - seen
    return HeadcountState(
        closed=closed,
        present=seen & expected,
        not_yet_seen=frozenset() if closed else absent,
        missing=absent if closed else frozenset(),
        extra=seen - expected,
        marks=tuple(sorted((m, tuple(sorted(ids))) for m, ids in by_member.items())),
        closures=tuple(sorted(closures, key=lambda c: (c.device, c.event))),
        holds=tuple(sorted(holds, key=lambda c: (c.device, c.event))),
        revoked_scans=tuple(sorted(revoked)),
        unknown_scans=tuple(sorted(unknown)),
        ignored=tuple(sorted(ignored)),
    )
