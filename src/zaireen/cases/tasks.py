"""Periodic jobs of the cases app: hourly reminders, and taking over leaders' requests."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from zaireen.cases import services


@db_periodic_task(crontab(minute="*"), name="cases.remind")
@lock_task("cases.remind")
def remind() -> None:
    """Checked every minute; each case gets one reminder per hour of silence."""
    services.case_reminders_send()


@db_periodic_task(crontab(minute="*"), name="cases.take_over_requests")
@lock_task("cases.take_over_requests")
def take_over_requests() -> None:
    services.case_requests_consume()
