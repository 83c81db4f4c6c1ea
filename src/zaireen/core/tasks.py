"""Periodic jobs of the core: the heartbeat that proves the worker's schedule runs."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zaireen.core import services


@db_periodic_task(crontab(minute="*"), name="core.heartbeat")
def heartbeat() -> None:
    services.heartbeat_record(name="worker")
