"""Roster import pages: upload, the preview with every mistake, commit, past imports."""

import uuid

from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zaireen.core.buttons import button_action
from zaireen.core.errors import ValidationFailed
from zaireen.core.forms import add_service_errors, add_service_messages
from zaireen.core.models import Job
from zaireen.core.permissions import role_required
from zaireen.core.ratelimit import RateLimited
from zaireen.core.roles import Role
from zaireen.rosters import selectors, services, spreadsheets
from zaireen.rosters.columns import COLUMNS
from zaireen.rosters.forms import CommitForm, UploadForm
from zaireen.rosters.models import ImportStatus

STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
PER_PAGE = 50


@role_required(*STAFF)
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.roster_import_list_for(actor=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "rosters/list.html", {"page": page})


class _SizeLimit(FileUploadHandler):
    """Stops reading an upload once it passes the size limit, instead of spooling it all to
    disk first; the view then says why."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit, self.seen, self.exceeded = limit, 0, False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.exceeded = bool(content_length and content_length > self.limit + 64 * 1024)

    def receive_data_chunk(self, raw_data, start):
        self.seen += len(raw_data)
        if self.exceeded or self.seen > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


@csrf_exempt  # checked by `_upload`, once the size limit is in place
@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    limit = services.limits()
    guard = _SizeLimit(request, limit.max_bytes)
    if request.method == "POST":
        request.upload_handlers.insert(0, guard)
    return _upload(request, guard, limit)


@csrf_protect
def _upload(request: HttpRequest, guard: _SizeLimit, limit) -> HttpResponse:
    posted = request.method == "POST"
    form = UploadForm(request.POST, request.FILES) if posted else UploadForm()
    if posted:
        if guard.exceeded:
            form = UploadForm({}, {})
            form.is_valid()
            form.errors["file"] = form.error_class(
                [_("The file is larger than %(size)s. Split the roster into several files.")
                 % {"size": filesizeformat(limit.max_bytes)}]
            )  # fmt: skip
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                imp = services.roster_upload(
                    actor=request.user, name=upload.name, content=upload.read()
                )
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            except RateLimited:
                form.add_error("file", _("Too many uploads. Try again in an hour."))
            else:
                return redirect("rosters:detail", uid=imp.uid)
    return render(
        request,
        "rosters/upload.html",
        {"form": form, "limits": limit, "columns": COLUMNS},
        status=422 if form.errors else 200,
    )


@role_required(*STAFF)
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        spreadsheets.write_template(_, limits=services.limits()),
        content_type=spreadsheets.XLSX_TYPE,
    )
    response["Content-Disposition"] = 'attachment; filename="zaireen-roster-template.xlsx"'
    return response


def _job(imp) -> Job | None:
    if imp.status == ImportStatus.PREVIEWING:
        return imp.preview_job
    if imp.status == ImportStatus.COMMITTING:
        return imp.commit_job
    if imp.status == ImportStatus.READY:
        return imp.report_job
    return None


@role_required(*STAFF)
@require_GET
def import_detail(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """The import: while a job works on it, its progress (htmx polls `?progress=1` and
    reloads the page when it ends); once checked, the summary and every mistake by row."""
    imp = selectors.roster_import_get_for(actor=request.user, uid=uid)
    job = _job(imp)
    report_ready = imp.has_report
    if imp.is_working:  # until the job ends (a failed one offers to start again)
        polling = job is None or not job.is_finished
    else:  # a checked import: until its report is written
        polling = (
            imp.status == ImportStatus.READY
            and not report_ready
            and job is not None
            and not job.is_finished
        )
    context = {"imp": imp, "job": job, "polling": polling, "report_ready": report_ready}
    if request.GET.get("progress"):
        if not polling:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "rosters/_progress.html", context)
    show = "warnings" if request.GET.get("show") == "warnings" else "errors"
    issues = selectors.import_issues_for(
        actor=request.user, roster_import=imp, warnings=show == "warnings"
    )
    page = Paginator(issues, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "rosters/detail.html",
        {
            **context,
            "page": page,
            "show": show,
            "query": f"show={show}",
            "commit_form": CommitForm(),
            "statuses": ImportStatus,
        },
    )


@role_required(*STAFF)
@require_GET
def import_report(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    name, content, content_type = services.roster_report_for(actor=request.user, uid=uid)
    response = HttpResponse(content, content_type=content_type)
    safe = name.replace('"', "'").encode("ascii", "replace").decode()
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


@role_required(*STAFF)
@require_POST
def import_commit(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    form = CommitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm that you have read the preview."))
        return redirect("rosters:detail", uid=uid)
    return button_action(
        request,
        lambda: services.roster_commit(actor=request.user, uid=uid),
        done=None,
        back_to=reverse("rosters:detail", kwargs={"uid": uid}),
    )


@role_required(*STAFF)
@require_POST
def import_preview(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    return button_action(
        request,
        lambda: services.roster_preview_again(actor=request.user, uid=uid),
        done=None,
        back_to=reverse("rosters:detail", kwargs={"uid": uid}),
    )


@role_required(*STAFF)
@require_POST
def import_discard(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    try:
        imp = services.roster_discard(actor=request.user, uid=uid)
    except ValidationFailed as exc:
        add_service_messages(request, exc)
        return redirect("rosters:detail", uid=uid)
    messages.success(request, _("The import of %(file)s is discarded.") % {"file": imp.file_name})
    return redirect("rosters:list")
