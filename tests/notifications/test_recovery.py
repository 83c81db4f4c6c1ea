"""messages_recover: messages whose worker died mid-attempt, or whose task was lost."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from zaireen.core import sms
from zaireen.notifications import gateways, services, tasks
from zaireen.notifications.models import Delivery, Message, MessageStatus
from zaireen.notifications.services import Recipient, notify

TOPIC = "notifications.test"
MINUTES = datetime.timedelta(minutes=1)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(places, settings):
    settings.ZAIREEN_NOTIFY_STUCK_MINUTES = 10
    settings.ZAIREEN_NOTIFY_ATTEMPTS = 5
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def queued(number: str = "+923001234561") -> Message:
    """A stored message whose task never ran: in these tests `notify`'s on_commit does not
    fire, exactly as when the worker's queue lost the task."""
    [message] = notify(topic=TOPIC, recipients=[Recipient("S", "sms", number)], context={})
    return message


def stuck(claimed_minutes_ago: float, attempts: int = 1) -> Message:
    """A message claimed by a worker that died before it recorded the attempt."""
    message = queued()
    with scopes_disabled():
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENDING,
            attempts=attempts,
            claimed_at=timezone.now() - claimed_minutes_ago * MINUTES,
        )
    message.refresh_from_db()
    return message


def log(message: Message) -> list[tuple[int, str, str]]:
    with scopes_disabled():
        return list(
            Delivery.objects.filter(message=message)
            .order_by("attempt")
            .values_list("attempt", "outcome", "reply")
        )


def test_an_attempt_records_when_it_claimed_the_message():
    message = queued()
    before = timezone.now()
    assert services.message_attempt(message_id=message.pk) is True
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert before <= message.claimed_at <= timezone.now()


def test_a_stuck_message_is_reset_and_delivered(django_capture_on_commit_callbacks):
    message = stuck(claimed_minutes_ago=11)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messages_recover() == {"reset": 1, "requeued": 0}
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2
    assert log(message) == [
        (1, "error", "the worker stopped during the attempt"),
        (2, "sent", "accepted by the locmem SMS backend"),
    ]
    assert [s.to for s in sms.outbox] == ["+923001234561"]


def test_the_periodic_task_runs_the_recovery(django_capture_on_commit_callbacks):
    message = stuck(claimed_minutes_ago=11)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.messages_recover()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(sms.outbox) == 1


def test_the_recovery_is_scheduled_every_five_minutes():
    from huey.contrib.djhuey import HUEY

    def due(minute: int) -> bool:
        moment = datetime.datetime(2026, 8, 4, 12, minute)  # noqa: DTZ001 (huey: naive UTC)
        return tasks.messages_recover.name in [t.name for t in HUEY.read_periodic(moment)]

    assert due(0) and due(35)
    assert not due(1) and not due(33)


def test_a_message_sending_for_less_than_the_window_is_left_alone(
    settings, django_capture_on_commit_callbacks
):
    message = stuck(claimed_minutes_ago=9)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.messages_recover() == {"reset": 0, "requeued": 0}
    assert not callbacks
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING and not log(message) and not sms.outbox
    # The window is the setting: with a shorter one the same message is stuck.
    settings.ZAIREEN_NOTIFY_STUCK_MINUTES = 5
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messages_recover() == {"reset": 1, "requeued": 0}
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_stuck_message_on_its_last_attempt_is_failed_not_sent_again(
    django_capture_on_commit_callbacks,
):
    message = stuck(claimed_minutes_ago=30, attempts=5)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.messages_recover() == {"reset": 1, "requeued": 0}
    assert not callbacks
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 5
    assert log(message) == [(5, "error", "the worker stopped during the attempt")]
    assert not sms.outbox


def test_a_message_that_finished_meanwhile_is_not_reset(django_capture_on_commit_callbacks):
    message = stuck(claimed_minutes_ago=11)
    with scopes_disabled():
        read_by_recovery = Message.objects.get(pk=message.pk)  # what the recovery had read
    later = timezone.now()
    # Its attempt finished between the recovery's read and its update.
    with scopes_disabled():
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENT, sent_at=later)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services._message_reset(read_by_recovery, later) is False
    assert not callbacks
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and not log(message)
    # Nor one that was reset and claimed again by a new attempt (still "sending").
    with scopes_disabled():
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENDING, attempts=2, claimed_at=later
        )
    assert services._message_reset(read_by_recovery, later) is False
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING and message.attempts == 2
    assert not log(message)
    # The same call on the message as it was read does reset it: the refusals above were
    # for the claim that changed, not for anything else.
    with scopes_disabled():
        Message.objects.filter(pk=message.pk).update(
            attempts=1, claimed_at=read_by_recovery.claimed_at
        )
    assert services._message_reset(read_by_recovery, later) is True
    message.refresh_from_db()
    assert message.status == MessageStatus.RETRYING


def test_a_late_result_of_an_attempt_taken_for_dead_changes_nothing(monkeypatch):
    message = queued()

    def hanging_send(*, to: str, text: str) -> str:
        # While this attempt hangs, the recovery (run later) takes it for dead.
        later = timezone.now() + 11 * MINUTES
        assert services.messages_recover(now=later) == {"reset": 1, "requeued": 0}
        return "accepted late"

    monkeypatch.setattr(gateways, "send_text_sms", hanging_send)
    assert services.message_attempt(message_id=message.pk) is True
    message.refresh_from_db()
    assert message.status == MessageStatus.RETRYING and message.attempts == 1
    assert log(message) == [(1, "error", "the worker stopped during the attempt")]


def test_a_queued_message_whose_task_was_lost_is_requeued_and_sent_once(
    django_capture_on_commit_callbacks,
):
    lost = queued("+923001234561")
    fresh = queued("+923001234562")
    with scopes_disabled():
        Message.objects.filter(pk=lost.pk).update(created_at=timezone.now() - 11 * MINUTES)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messages_recover() == {"reset": 0, "requeued": 1}
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == MessageStatus.SENT
    assert fresh.status == MessageStatus.QUEUED, "its task may still come"
    # A second recovery finds nothing, and the message was sent once.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messages_recover() == {"reset": 0, "requeued": 0}
    with scopes_disabled():
        assert Delivery.objects.filter(message=lost).count() == 1
        assert not Delivery.objects.filter(message=fresh).exists()
    assert [s.to for s in sms.outbox] == ["+923001234561"]


def test_a_requeued_message_is_not_requeued_again_before_its_task_had_its_chance(
    django_capture_on_commit_callbacks,
):
    message = queued()
    with scopes_disabled():
        Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - 11 * MINUTES)
    with django_capture_on_commit_callbacks() as callbacks:  # the worker is slow: not run
        assert services.messages_recover()["requeued"] == 1
        assert services.messages_recover()["requeued"] == 0
    assert len(callbacks) == 1
    # The window after the requeue, it counts as lost again.
    later = timezone.now() + 11 * MINUTES
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messages_recover(now=later)["requeued"] == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_retrying_message_whose_task_was_lost_is_requeued(django_capture_on_commit_callbacks):
    overdue, waiting = queued("+923001234561"), queued("+923001234562")
    now = timezone.now()
    with scopes_disabled():
        Message.objects.filter(pk=overdue.pk).update(
            status=MessageStatus.RETRYING, attempts=1, next_attempt_at=now - 11 * MINUTES
        )
        Message.objects.filter(pk=waiting.pk).update(
            status=MessageStatus.RETRYING, attempts=1, next_attempt_at=now - 5 * MINUTES
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messages_recover() == {"reset": 0, "requeued": 1}
    overdue.refresh_from_db()
    waiting.refresh_from_db()
    assert overdue.status == MessageStatus.SENT and overdue.attempts == 2
    assert waiting.status == MessageStatus.RETRYING
    assert [s.to for s in sms.outbox] == ["+923001234561"]


def test_sent_and_failed_messages_are_never_recovered(django_capture_on_commit_callbacks):
    sent, failed = queued("+923001234561"), queued("+923001234562")
    long_ago = timezone.now() - 60 * MINUTES
    with scopes_disabled():
        Message.objects.filter(pk=sent.pk).update(
            status=MessageStatus.SENT, sent_at=long_ago, claimed_at=long_ago, created_at=long_ago
        )
        Message.objects.filter(pk=failed.pk).update(
            status=MessageStatus.FAILED, claimed_at=long_ago, created_at=long_ago
        )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.messages_recover() == {"reset": 0, "requeued": 0}
    assert not callbacks and not sms.outbox
