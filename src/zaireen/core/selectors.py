"""Reads of the core app."""

import uuid

from django.http import Http404

from zaireen.core.models import Heartbeat, Job
from zaireen.core.queries import one_or_none


def job_get_for(*, actor, job_id: uuid.UUID) -> Job:
    """The job `job_id` if `actor` may watch it, else a uniform 404.

    Someone else's job answers exactly like a job that does not exist, so ids cannot be probed.
    """
    job = one_or_none(Job.objects.filter(id=job_id))
    if job is None or not actor.is_authenticated:
        raise Http404
    if job.created_by_id != actor.pk and not actor.is_superuser:
        raise Http404
    return job


def heartbeat_latest(*, name: str = "worker") -> Heartbeat | None:
    return one_or_none(Heartbeat.objects.filter(name=name))


def audit_list_for(
    *, actor, action: str = "", organiser_uid: str = "", actor_name: str = "", q: str = ""
):
    """The audit trail `actor` may read: an organiser's own, or everything for the ministry.

    Returns a list-like queryset evaluated inside the tenant scope.
    """
    from zaireen.core.models import AuditEntry
    from zaireen.core.permissions import is_ministry, is_organiser_user, tenant_scope
    from zaireen.core.roles import Role

    if not (
        is_ministry(actor) or (is_organiser_user(actor) and actor.role == Role.ORGANISER_ADMIN)
    ):
        from zaireen.core.errors import NotAllowed

        raise NotAllowed("Only the ministry and organiser admins read the audit trail.")
    with tenant_scope(actor):
        entries = AuditEntry.objects.select_related("organiser").all()
        if action:
            entries = entries.filter(action__startswith=action)
        if organiser_uid and is_ministry(actor):
            entries = entries.filter(organiser__uid=organiser_uid)
        if actor_name:
            entries = entries.filter(actor_label__icontains=actor_name)
        if q:
            entries = entries.filter(object_label__icontains=q)
        return entries.order_by("-at", "-id")


def access_log_for(*, actor):
    from zaireen.core.errors import NotAllowed
    from zaireen.core.models import PersonalDataAccess
    from zaireen.core.permissions import is_ministry

    if not is_ministry(actor):
        raise NotAllowed("Only the ministry reads the access log.")
    return PersonalDataAccess.objects.select_related("actor", "organiser").order_by("-at", "-id")
