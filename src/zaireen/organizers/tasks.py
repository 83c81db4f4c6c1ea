"""Periodic jobs of the organizers app."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zaireen.organizers import services


@db_periodic_task(crontab(minute="5", hour="0"), name="organizers.expire_licences")
def expire_licences() -> None:
    """Each night, licences that ended yesterday become expired, with an audit entry."""
    services.organiser_expire_due()
