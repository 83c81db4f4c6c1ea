"""Background jobs of the pilgrims app."""

from zaireen.core.jobs import job_task
from zaireen.pilgrims import services


@job_task(retries=1, retry_delay=60)
def rehash_identifiers(progress) -> dict:
    """Re-hash every identifier with the current identifier key (after a key rotation)."""
    return services.identifiers_rehash(progress=progress)
