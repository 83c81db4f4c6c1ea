"""Periodic jobs of the core: the heartbeat that proves the worker's schedule runs."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zaireen.core import ratelimit, services


@db_periodic_task(crontab(minute="*"), name="core.heartbeat")
def heartbeat() -> None:
    services.heartbeat_record(name="worker")


@db_periodic_task(crontab(minute="15", hour="*"), name="core.purge_rate_counters")
def purge_rate_counters() -> None:
    ratelimit.purge()
