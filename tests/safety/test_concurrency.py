"""Exactly once under concurrent requests, on PostgreSQL (SQLite runs one writer at a time).

Run with `make test-postgres` (DATABASE_URL=postgres://…).
"""

import datetime
import threading
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.safety.conftest import depart
from zaireen.core.models import AuditEntry
from zaireen.safety import selectors, services
from zaireen.safety.models import Headcount, HeadcountEvent
from zaireen.trips.models import Member

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="SQLite takes one writer at a time; the race needs PostgreSQL (make test-postgres)",
    ),
    pytest.mark.django_db(transaction=True),
]


def event(device, seq, headcount, action, **fields):
    return services.EventInput(
        id=uuid.uuid4(),
        device=device.uid,
        seq=seq,
        device_time=timezone.now() + datetime.timedelta(seconds=seq),
        headcount=headcount,
        action=action,
        **fields,
    )


def at_once(calls):
    """Run each call in its own thread (own database connection), all released together."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(n, call):
        try:
            barrier.wait()
            outcomes[n] = call()
        except Exception as exc:  # reported by the caller
            outcomes[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_the_same_batch_sent_four_times_at_once_is_stored_once(world):
    depart(world)
    device, _token = services.device_register(
        actor=world.leaders[0], trip_uid=world.trip.uid, name="A"
    )
    headcount = uuid.uuid4()
    batch = [event(device, 1, headcount, "open", kind="arrival_home", label="LHE")]
    batch += [
        event(device, n, headcount, "mark", member=m.uid)
        for n, m in enumerate(world.members, start=2)
    ]
    batch.append(event(device, 99, headcount, "close", depart_anyway=None))

    outcomes = at_once(
        [lambda: services.events_sync(device=device, trip_uid=world.trip.uid, events=batch)] * 4
    )

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    for n in range(len(batch)):
        statuses = sorted(o.results[n].status for o in outcomes)
        assert statuses == ["duplicate", "duplicate", "duplicate", "stored"]
    with scopes_disabled():
        assert HeadcountEvent.objects.count() == len(batch)
        assert Headcount.objects.count() == 1
        assert Member.objects.filter(trip=world.trip, returned_at__isnull=False).count() == 6
        assert AuditEntry.objects.filter(action="zaireen.trip.member.returned").count() == 6
    assert sum(o.returns_recorded for o in outcomes) == 6


def test_without_the_trips_lock_the_database_still_stores_each_event_once(world):
    """The unique UUID and INSERT … ON CONFLICT DO NOTHING alone keep the log exact: requests
    that all find an event new, and all insert it, leave one row and no error."""
    from django.db import transaction

    device, _token = services.device_register(
        actor=world.leaders[0], trip_uid=world.trip.uid, name="A"
    )
    headcount = uuid.uuid4()
    batch = [event(device, 1, headcount, "open", kind="hotel")] + [
        event(device, n, headcount, "mark", member=m.uid)
        for n, m in enumerate(world.members, start=2)
    ]

    def store():
        with transaction.atomic():
            return services._store(device=device, trip=world.trip, events=batch)

    outcomes = at_once([store] * 4)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    for outcome in outcomes:
        assert {r.status for r in outcome.results} <= {"stored", "duplicate"}
    with scopes_disabled():
        assert HeadcountEvent.objects.count() == len(batch)
        assert Headcount.objects.count() == 1


def test_two_phones_syncing_at_the_same_moment_see_each_other(world):
    """A's close and B's marks arrive together: whichever commits second derives from both,
    so the members B counted have their return recorded (the trip's row lock)."""
    depart(world)
    a, _ = services.device_register(actor=world.leaders[0], trip_uid=world.trip.uid, name="A")
    b, _ = services.device_register(actor=world.leaders[1], trip_uid=world.trip.uid, name="B")
    headcount = uuid.uuid4()
    services.events_sync(
        device=a,
        trip_uid=world.trip.uid,
        events=[
            event(a, 1, headcount, "open", kind="arrival_home", label="LHE"),
            *[
                event(a, n, headcount, "mark", member=m.uid)
                for n, m in enumerate(world.members[:3], start=2)
            ],
        ],
    )
    closing = [event(a, 10, headcount, "close", depart_anyway=True)]
    scanning = [
        event(b, n, headcount, "mark", member=m.uid)
        for n, m in enumerate(world.members[3:], start=1)
    ]
    for _round in range(3):  # both orders of commit get their chance
        outcomes = at_once(
            [
                lambda: services.events_sync(device=a, trip_uid=world.trip.uid, events=closing),
                lambda: services.events_sync(device=b, trip_uid=world.trip.uid, events=scanning),
            ]
        )
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    with scopes_disabled():
        assert Member.objects.filter(trip=world.trip, returned_at__isnull=False).count() == 6
        assert HeadcountEvent.objects.count() == 1 + 3 + 1 + 3
        state = selectors.headcount_state(Headcount.objects.get(uid=headcount))
    assert state.closed
    assert state.missing == set()
