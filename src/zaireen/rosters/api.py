"""Roster import API: upload a file (multipart), follow its preview, read its mistakes,
commit or discard it. Bad files answer 422 with the reason on `file`."""

import datetime
import uuid

from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from zaireen.api.auth import signed_in
from zaireen.core.errors import ValidationFailed
from zaireen.rosters import selectors, services
from zaireen.rosters.models import ImportStatus

router = Router(tags=["roster imports"])


class ProgressOut(Schema):
    job: uuid.UUID
    status: str
    done: int
    total: int
    percent: int
    message: str


class ImportOut(Schema):
    id: uuid.UUID = Field(..., alias="uid")
    file_name: str
    file_format: str
    file_size: int
    status: str
    message: str
    rows_total: int
    rows_valid: int
    rows_invalid: int
    rows_warned: int
    rows_imported: int
    members_added: int
    created_at: datetime.datetime
    previewed_at: datetime.datetime | None
    committed_at: datetime.datetime | None
    progress: ProgressOut | None = None
    columns: list[dict] = []
    ignored_columns: list[dict] = []
    trips: list[dict] = []
    report_url: str | None = None

    @staticmethod
    def resolve_progress(obj) -> dict | None:
        job = {
            ImportStatus.PREVIEWING: obj.preview_job,
            ImportStatus.COMMITTING: obj.commit_job,
        }.get(obj.status)
        if job is None:
            return None
        return {"job": job.id, "status": job.status, "done": job.done, "total": job.total,
                "percent": job.percent, "message": job.message}  # fmt: skip

    @staticmethod
    def resolve_columns(obj) -> list[dict]:
        return obj.summary.get("columns", [])

    @staticmethod
    def resolve_ignored_columns(obj) -> list[dict]:
        return obj.summary.get("ignored", [])

    @staticmethod
    def resolve_trips(obj) -> list[dict]:
        return obj.summary.get("trips", [])

    @staticmethod
    def resolve_report_url(obj) -> str | None:
        if obj.status != ImportStatus.READY or not getattr(obj, "has_report", False):
            return None
        return reverse("rosters:report", kwargs={"uid": obj.uid})


class IssueOut(Schema):
    row: int
    column: str = Field(..., description="the column's letters; empty when the file lacks it")
    header: str
    field: str
    reason: str


class RowIssuesOut(Schema):
    row: int
    errors: list[IssueOut]
    warnings: list[IssueOut]


class IssueQuery(Schema):
    warnings: bool = Field(False, description="the valid rows that have warnings instead")


ISSUE_KEYS = ("column", "header", "field", "reason")


def _issues(items: list[dict], row: int) -> list[dict]:
    return [{"row": row, **{k: item.get(k, "") for k in ISSUE_KEYS}} for item in items]


@router.get("/rosters/imports", response=list[ImportOut], auth=signed_in, summary="Imports")
@paginate(LimitOffsetPagination)
def roster_imports(request: HttpRequest):
    """Your organiser's roster imports, newest first."""
    return selectors.roster_import_list_for(actor=request.user)


@router.post(
    "/rosters/imports",
    response={202: ImportOut},
    auth=signed_in,
    summary="Upload a roster",
    url_name="roster_import_upload",
)
def roster_import_upload(request: HttpRequest, file: File[UploadedFile] = None):
    """Upload a roster (multipart, field `file`: .xlsx or .csv). Answers 202 with the import,
    whose preview then runs in the background: poll the import until its status is `ready`
    (or `refused`). A file that cannot be a roster answers 422 with the reason on `file`."""
    selectors.roster_import_list_for(actor=request.user)  # the role, before the input
    if file is None:
        raise ValidationFailed(file=_("Send the roster as the multipart field `file`."))
    limit = services.limits().max_bytes
    if file.size and file.size > limit:
        raise ValidationFailed(
            file=_("The file is larger than %(size)s.") % {"size": filesizeformat(limit)}
        )
    imp = services.roster_upload(actor=request.user, name=file.name or "", content=file.read())
    return Status(202, selectors.roster_import_get_for(actor=request.user, uid=imp.uid))


@router.get("/rosters/imports/{uid}", response=ImportOut, auth=signed_in, summary="One import")
def roster_import(request: HttpRequest, uid: uuid.UUID):
    """The import's status, counts and, while a job works on it, its progress."""
    return selectors.roster_import_get_for(actor=request.user, uid=uid)


@router.get(
    "/rosters/imports/{uid}/rows",
    response=list[RowIssuesOut],
    auth=signed_in,
    summary="The import's mistakes by row",
)
@paginate(LimitOffsetPagination)
def roster_import_rows(request: HttpRequest, uid: uuid.UUID, query: Query[IssueQuery]):
    """The rows with errors (each naming its row, column and reason), or with
    `warnings=true` the valid rows that have warnings, by row number."""
    imp = selectors.roster_import_get_for(actor=request.user, uid=uid)
    rows = selectors.import_issues_for(actor=request.user, roster_import=imp,
                                       warnings=query.warnings)  # fmt: skip
    return _RowIssues(rows)


class _RowIssues:
    """Rows as the API shows them, sliced lazily by the paginator."""

    def __init__(self, rows) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return self.rows.count()

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, index):
        chosen = self.rows[index]
        return [
            {"row": r["row_number"], "errors": _issues(r["errors"], r["row_number"]),
             "warnings": _issues(r["warnings"], r["row_number"])}
            for r in chosen
        ]  # fmt: skip


class CommitIn(Schema):
    confirm: bool = Field(False, description="true: you have read the preview")


@router.post(
    "/rosters/imports/{uid}/commit",
    response=ImportOut,
    auth=signed_in,
    summary="Commit the valid rows",
)
def roster_import_commit(request: HttpRequest, uid: uuid.UUID, payload: CommitIn):
    """Register the import's valid rows (and add them to their trips) in the background;
    poll the import until its status is `committed`. Sent again, it resumes a commit that
    stopped; no row is ever imported twice. Answers with the import, now `committing`."""
    selectors.roster_import_get_for(actor=request.user, uid=uid)
    if not payload.confirm:
        raise ValidationFailed(confirm=_("confirm that you have read the preview"))
    services.roster_commit(actor=request.user, uid=uid)
    return selectors.roster_import_get_for(actor=request.user, uid=uid)


@router.post(
    "/rosters/imports/{uid}/discard", response=ImportOut, auth=signed_in, summary="Discard"
)
def roster_import_discard(request: HttpRequest, uid: uuid.UUID):
    """Drop an import that is not committed; nothing of it stays."""
    services.roster_discard(actor=request.user, uid=uid)
    return selectors.roster_import_get_for(actor=request.user, uid=uid)
