"""The worker's side of notifications: one task per message, retried with growing delays,
and the periodic recovery of messages whose worker or task was lost."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from zaireen.notifications import services


class NotDelivered(Exception):
    """An attempt failed and another is due: Huey schedules it."""


@db_task(
    retries=int(getattr(settings, "ZAIREEN_NOTIFY_ATTEMPTS", 5)) - 1,
    retry_delay=int(getattr(settings, "ZAIREEN_NOTIFY_RETRY_SECONDS", 30)),
    retry_backoff=2,
    name="notifications.deliver",
)
def message_deliver(message_id: int) -> None:
    if not services.message_attempt(message_id=message_id):
        raise NotDelivered(f"message {message_id}: attempt failed, retrying")


@db_periodic_task(crontab(minute="*/5"), name="notifications.recover")
def messages_recover() -> None:
    """Every five minutes: retry messages stuck in "sending", enqueue those whose task is gone."""
    services.messages_recover()
