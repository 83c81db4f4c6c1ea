"""Pages of the core: home, health, job progress."""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from zaireen.core import selectors
from zaireen.core.forms import AuditFilterForm
from zaireen.core.health import database_error
from zaireen.core.permissions import role_required
from zaireen.core.roles import Role


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not; for load balancers and monitors."""
    error = database_error(connection)
    if error:
        return JsonResponse({"status": "unavailable", "database": error}, status=503)
    beat = selectors.heartbeat_latest()
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "worker_last_beat": beat.beat_at.isoformat() if beat else None,
            "time": timezone.now().isoformat(),
        }
    )


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """A job's progress; htmx polls the same URL for the bar alone until the job finishes."""
    job = selectors.job_get_for(actor=request.user, job_id=job_id)
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


@role_required(Role.MINISTRY_OFFICER, Role.ORGANISER_ADMIN)
@require_GET
def audit_trail(request: HttpRequest) -> HttpResponse:
    """The audit trail: an organiser admin sees their organiser's, the ministry everything."""
    form = AuditFilterForm(request.GET or None, ministry=request.user.role == Role.MINISTRY_OFFICER)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_list_for(
        actor=request.user,
        action=filters.get("action", ""),
        organiser_uid=str(filters["organiser"].uid) if filters.get("organiser") else "",
        actor_name=filters.get("actor", ""),
        q=filters.get("q", ""),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "core/audit.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@role_required(Role.MINISTRY_OFFICER)
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.access_log_for(actor=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "core/access_log.html", {"page": page})
