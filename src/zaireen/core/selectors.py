"""Reads of the core app."""

import uuid

from django.http import Http404

from zaireen.core.models import Heartbeat, Job


def job_get_for(*, actor, job_id: uuid.UUID) -> Job:
    """The job `job_id` if `actor` may watch it, else a uniform 404.

    Someone else's job answers exactly like a job that does not exist, so ids cannot be probed.
    """
    job = Job.objects.filter(id=job_id).first()
    if job is None or not actor.is_authenticated:
        raise Http404
    if job.created_by_id != actor.pk and not actor.is_superuser:
        raise Http404
    return job


def heartbeat_latest(*, name: str = "worker") -> Heartbeat | None:
    return Heartbeat.objects.filter(name=name).first()
