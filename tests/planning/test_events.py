"""The offsets-changed registry: subscribers hear of a change after commit, never on rollback.

These tests use real transactions (`transactional_db`), not the test case's wrapping one, so
"after commit" means a real COMMIT.
"""

import pytest
from django.db import transaction

from tests import factories
from zaireen.planning import events, services
from zaireen.planning.models import HijriMonthOffset

REASON = "Moon sighting announced"


@pytest.fixture
def officer(transactional_db):
    return factories.ministry("officer")


def test_a_subscriber_is_called_after_commit(officer, heard):
    seen_in_transaction = []
    with transaction.atomic():
        services.hijri_offset_set(actor=officer, year=1448, month=2, days=1, reason=REASON)
        seen_in_transaction.extend(heard)
    assert seen_in_transaction == [], "not before the commit"
    assert [(c.year, c.month, c.new_days) for c in heard] == [(1448, 2, 1)]


def test_a_subscriber_is_not_called_on_rollback(officer, heard):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.hijri_offset_set(actor=officer, year=1448, month=2, days=1, reason=REASON)
        raise RuntimeError("rolled back")
    assert heard == []
    assert not HijriMonthOffset.objects.exists()


def test_a_failing_subscriber_does_not_stop_the_others(officer, heard, caplog):
    def broken(change):
        raise ValueError("broken subscriber")

    events.unsubscribe(heard.append)
    events.on_offsets_changed(broken)  # called first
    events.on_offsets_changed(heard.append)
    try:
        services.hijri_offset_set(actor=officer, year=1448, month=2, days=1, reason=REASON)
    finally:
        events.unsubscribe(broken)
    assert len(heard) == 1
    assert HijriMonthOffset.objects.get().days == 1
    assert "broken subscriber" in caplog.text


def test_subscribing_twice_subscribes_once():
    calls = []
    events.on_offsets_changed(calls.append)
    events.on_offsets_changed(calls.append)
    try:
        assert events.subscribers().count(calls.append) == 1
    finally:
        events.unsubscribe(calls.append)
    assert calls.append not in events.subscribers()
