"""Background work of the crowd app: the solver job (with a progress bar), waitlist offers
after places free up, the periodic expiry of unanswered offers, and the re-check of
published slots after a Hijri month offset changes."""

from __future__ import annotations

import datetime as dt
import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from zaireen.core.jobs import enqueue, job_task
from zaireen.crowd import services
from zaireen.planning.events import OffsetChange

logger = logging.getLogger(__name__)


@job_task(retries=0)
def slots_solve(progress, run_id: int) -> dict:
    """Optimise a run's instance, serve it first come first served, check both."""
    return services.solve_run(run_id=run_id, progress=progress)


@db_task(retries=2, retry_delay=5, name="crowd.waitlist_offer")
def waitlist_offer(plan_id: int) -> None:
    made = services.waitlist_offer_run(plan_id=plan_id)
    if made:
        logger.info("crowd: %d waitlist offers made in plan %s", made, plan_id)


@db_periodic_task(crontab(minute="*"), name="crowd.offers_expire")
def offers_expire() -> None:
    """Every minute: release offers nobody answered in time; the next in line is offered."""
    services.offers_expire()


@job_task(retries=2, retry_delay=10)
def slots_recheck(progress, first_day: str, last_day: str) -> dict:
    flagged = services.slots_recheck(
        first_day=dt.date.fromisoformat(first_day), last_day=dt.date.fromisoformat(last_day)
    )
    return {"flagged": flagged}


def recheck_after_offset_change(change: OffsetChange) -> None:
    """Subscriber of `planning.events`: re-check published slots on the worker."""
    enqueue(
        slots_recheck,
        change.first_day.isoformat(),
        change.last_day.isoformat(),
        label="Re-check published slots after a Hijri offset change",
    )
