"""Background jobs of the rosters app: preview, report and commit of an import, and the
periodic restart of jobs that died."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zaireen.core.jobs import job_task
from zaireen.rosters import services


@job_task(retries=1, retry_delay=30)
def roster_preview(progress, import_id: int) -> dict:
    """Check every row of an import (starts over when retried)."""
    return services.roster_preview_run(import_id=import_id, progress=progress)


@job_task(retries=1, retry_delay=30)
def roster_report(progress, import_id: int) -> dict:
    """Write an import's error report."""
    return services.roster_report_run(import_id=import_id, progress=progress)


@job_task(retries=2, retry_delay=10)
def roster_commit(progress, import_id: int) -> dict:
    """Stage an import's valid rows chunk by chunk, then publish them (resumes when retried)."""
    return services.roster_commit_run(import_id=import_id, progress=progress)


@db_periodic_task(crontab(minute="*/5"), name="rosters.resume_stalled")
def resume_stalled() -> None:
    """Restart imports whose job died with its worker; discard imports left unused."""
    services.rosters_resume_stalled()
