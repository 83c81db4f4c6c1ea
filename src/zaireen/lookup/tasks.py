"""Background jobs of the look-up app."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zaireen.lookup import services


@db_periodic_task(crontab(minute="*/10"), name="lookup.name_keys_sweep")
def name_keys_sweep() -> None:
    """Key any profile that has no current search row: a safety net behind the call in
    `pilgrims.services`, so a pilgrim written by any other path is findable within minutes."""
    services.name_keys_rebuild(stale_only=True)
