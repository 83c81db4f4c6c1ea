"""Background jobs: Huey tasks that report progress to a `Job` row a page can poll.

A job task takes the job's id and plain ids of what it works on (never model instances), is
sent to the queue only when the enqueuing transaction commits, and may be retried. Huey runs
it in the worker (`make run` starts one); with `ZAIREEN_HUEY_IMMEDIATE` (the tests) it runs
inline at commit.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from huey.api import Task as HueyTask
from huey.contrib.djhuey import db_task

from zaireen.core.models import Job

logger = logging.getLogger(__name__)


class Progress:
    """Writes a running job's progress straight to its row, outside any open transaction's
    result, so the page sees each step as it happens."""

    def __init__(self, job_id: uuid.UUID) -> None:
        self.job_id = job_id

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        fields: dict[str, Any] = {"done": done}
        if total is not None:
            fields["total"] = total
        if message:
            fields["message"] = message[:300]
        Job.objects.filter(id=self.job_id).update(**fields)


JobFunction = Callable[..., Any]


def job_task(*, retries: int = 2, retry_delay: int = 10) -> Callable[[JobFunction], Any]:
    """Turn `fn(progress, *ids)` into a Huey task that keeps its `Job` row up to date.

    `fn` returns a JSON-serialisable result (stored on the row) or raises; a failure is
    retried `retries` times, `retry_delay` seconds apart, and only the last one marks the job
    failed. Enqueue it with `enqueue`, never by calling the task directly.
    """

    def decorate(fn: JobFunction) -> Any:
        @db_task(retries=retries, retry_delay=retry_delay, context=True, name=fn.__qualname__)
        @functools.wraps(fn)
        def run(job_id: str, *args: Any, task: HueyTask | None = None) -> None:
            job_uuid = uuid.UUID(str(job_id))
            Job.objects.filter(id=job_uuid).update(
                status=Job.Status.RUNNING,
                started_at=timezone.now(),
                attempts=F("attempts") + 1,
                error="",
            )
            try:
                result = fn(Progress(job_uuid), *args)
            except Exception as exc:
                retrying = bool(task and task.retries)
                Job.objects.filter(id=job_uuid).update(
                    status=Job.Status.RETRYING if retrying else Job.Status.FAILED,
                    error=f"{type(exc).__name__}: {exc}"[:2000],
                    finished_at=None if retrying else timezone.now(),
                )
                raise
            Job.objects.filter(id=job_uuid).update(
                status=Job.Status.SUCCEEDED,
                result=result if result is not None else {},
                finished_at=timezone.now(),
            )

        run.job_kind = fn.__qualname__
        return run

    return decorate


def enqueue(task: Any, *args: Any, label: str = "", user: Any = None) -> Job:
    """Create the job's row now and send the task when the current transaction commits.

    Called outside a transaction, the task is sent at once. The caller gets the row back, so a
    page can redirect to the job's progress at once.
    """
    job = Job.objects.create(
        kind=task.job_kind,
        label=label[:200],
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda: task(str(job.id), *args))
    return job
