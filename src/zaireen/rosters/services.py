"""Writes of the rosters app: uploading a roster, its preview, its commit, discarding it.

An import goes: upload (the file is checked enough to refuse a bad one at once, stored
encrypted, and the preview job is queued) → preview (a job: every row checked and stored)
→ commit (a job: people staged chunk by chunk, then everything published in one final
transaction) → committed. Until it is committed, an import can be discarded and leaves
nothing behind. docs/imports.md tells the whole story.

The commit is the one documented exception to "one use case, one transaction": a chunk per
transaction so that 100,000 rows neither hold SQLite's only write lock for a minute nor lose
their work when the process dies, and one final transaction that makes them visible together.
"""

from __future__ import annotations

import base64
import datetime
import os
import random
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.core import ratelimit
from zaireen.core.audit import audit_record, diff
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.jobs import enqueue
from zaireen.core.models import Job
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role
from zaireen.lookup.services import name_keys_refresh
from zaireen.pilgrims.models import PilgrimProfile
from zaireen.pilgrims.services import AUDITED_FIELDS, identity_conflicts_flag
from zaireen.rosters import publishing, reader, spreadsheets
from zaireen.rosters.checking import RowChecker, RowResult
from zaireen.rosters.columns import column_letter
from zaireen.rosters.models import (
    ImportFile,
    ImportRow,
    ImportStatus,
    RosterImport,
    RowState,
    StagedPerson,
)

WRITERS = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
PREVIEW_CHUNK = 1000
COMMIT_CHUNK = 1000
UPLOADS_PER_HOUR = 30
# Workbooks up to this size are opened during the upload, so a missing column is refused at
# once; a bigger one (some 30,000 rows) only has its archive checked then, the rest by the
# preview job.
QUICK_CHECK = 3 * 1024 * 1024
# A chunk meets a registration of one of its people at the same moment rarely, and each try
# sees the people registered before it, so every failed try means another writer finished one
# of them: the tries are bounded by how many people are being registered elsewhere at once. A
# short random pause lets that writer get ahead; the job's own retries come on top.
STAGE_ATTEMPTS = 60
STAGE_PAUSE = 0.02
# Profiles keyed for the look-up per transaction after a commit.
KEY_BATCH = 5000
# A job that has not reported for this long is taken for dead and started again.
STALE_AFTER = datetime.timedelta(minutes=10)
# Imports checked but neither committed nor discarded are discarded after this many days.
KEEP_UNUSED_DAYS = 7

Progress = Callable[..., None]


def limits() -> reader.Limits:
    """The limits on a roster file: `ZAIREEN_IMPORT_MAX_BYTES` and `ZAIREEN_IMPORT_MAX_ROWS`
    when set (tests make them small), else the reader's defaults."""
    default = reader.Limits()
    return reader.Limits(
        max_bytes=getattr(settings, "ZAIREEN_IMPORT_MAX_BYTES", default.max_bytes),
        max_rows=getattr(settings, "ZAIREEN_IMPORT_MAX_ROWS", default.max_rows),
    )


def _assert_writer(actor: Any) -> None:
    if not (actor.is_authenticated and actor.role in WRITERS and actor.organiser_id):
        raise NotAllowed(_("Only organiser admins and staff import rosters."))


def _own_import(actor: Any, uid: Any, *, lock: bool = False) -> RosterImport:
    """The actor's organiser's import `uid`; another organiser's is not found."""
    imports = _all().filter(uid=uid, organiser_id=actor.organiser_id)
    found = one_or_none(imports.select_for_update() if lock else imports)
    if found is None:
        raise NotFound(_("No such import."))
    return found


def _all():
    """Every organiser's imports: for the jobs, which act for the import's organiser."""
    with scopes_disabled():
        return RosterImport.objects.all()


def _locked(pk: int) -> RosterImport:
    with scopes_disabled():
        return RosterImport.objects.select_for_update().get(pk=pk)


def _content(imp: RosterImport) -> bytes:
    stored = ImportFile.objects.filter(roster_import=imp).values_list("content", flat=True)
    text = next(iter(stored), None)
    if not text:
        raise ValidationFailed(file=_("The file of this import is no longer kept."))
    return base64.b64decode(text)


def file_name_clean(name: str) -> str:
    name = os.path.basename((name or "").replace("\\", "/")).strip()
    return " ".join(name.split())[:200] or "roster"


# --- Upload -------------------------------------------------------------------------------


def roster_upload(*, actor: Any, name: str, content: bytes) -> RosterImport:
    """Take a roster file for the actor's organiser and queue its preview.

    A file that is not a spreadsheet, is too big, has no usable header row or no rows is
    refused at once (`ValidationFailed` on `file`) and nothing is stored. Problems that show
    only row by row (too many rows, an oversized cell) end the preview with the import
    refused.
    """
    _assert_writer(actor)
    ratelimit.check(scope="roster-upload", key=str(actor.pk), limit=UPLOADS_PER_HOUR,
                    window_seconds=3600)  # fmt: skip
    try:
        kind = reader.check_file(content, limits=limits(), open_workbooks_up_to=QUICK_CHECK)
    except reader.FileRefused as exc:
        raise ValidationFailed(file=exc.render(_)) from None
    from zaireen.rosters import tasks

    name = file_name_clean(name)
    with transaction.atomic():
        imp = RosterImport.objects.create(
            organiser_id=actor.organiser_id, created_by=actor, file_name=name,
            file_size=len(content), file_format=kind, language=translation.get_language() or "",
            heartbeat_at=timezone.now(),
        )  # fmt: skip
        ImportFile.objects.create(
            roster_import=imp, content=base64.b64encode(content).decode("ascii")
        )
        imp.preview_job = enqueue(tasks.roster_preview, imp.pk, user=actor,
                                  label=_("Checking %(file)s") % {"file": name})  # fmt: skip
        imp.save(update_fields=["preview_job"])
        audit_record(actor=actor, action="zaireen.roster.import.uploaded", obj=imp,
                     organiser=actor.organiser,
                     changes={"file": [None, name], "size": [None, len(content)]})  # fmt: skip
    return imp


# --- Preview ------------------------------------------------------------------------------


def _row(imp: RosterImport, result: RowResult) -> dict:
    """An `ImportRow`'s values: the errors of an invalid row; everything publishing copies
    for a valid one."""
    row = {"roster_import_id": imp.pk, "row_number": result.number, "errors": result.errors,
           "warnings": result.warnings, "profile_uid": uuid.uuid4(),
           "member_uid": uuid.uuid4()}  # fmt: skip
    if not result.valid or result.data is None:
        row["state"] = RowState.INVALID
        return row
    data = result.data
    row.update({name: getattr(data, name) for name in publishing.COPIED})
    row["state"] = RowState.VALID
    if result.trip is not None:
        row["trip_id"], row["role"] = result.trip.pk, result.role
    row["audit_object_id"] = str(row["profile_uid"])
    row["audit_label"] = " ".join(p for p in (data.given_names, data.surname) if p)[:200]
    row["audit_changes"] = diff({}, {name: getattr(data, name) for name in AUDITED_FIELDS})
    return row


def _still_previewing(pk: int, token: uuid.UUID) -> bool:
    imp = _locked(pk)
    return imp.status == ImportStatus.PREVIEWING and imp.run_token == token


def roster_preview_run(*, import_id: int, progress: Progress | None = None) -> dict:
    """Check every row of an import and store the rows (the preview job's work).

    Starts over if run again; a discarded import, or a newer run of the preview, makes it
    stop at the next chunk. A file that breaks a limit row by row ends with the import
    refused, its rows and its file deleted.
    """
    token = uuid.uuid4()
    with transaction.atomic():
        imp = _locked(import_id)
        if imp.status != ImportStatus.PREVIEWING:
            return {"status": imp.status}
        imp.run_token, imp.heartbeat_at = token, timezone.now()
        imp.save(update_fields=["run_token", "heartbeat_at"])
        ImportRow.objects.filter(roster_import=imp).delete()
    with translation.override(imp.language or settings.LANGUAGE_CODE):
        try:
            return _preview(imp, token, progress or (lambda *a, **k: None))
        except reader.FileRefused as exc:
            return _refuse(imp.pk, token, exc.render(_))


def _preview(imp: RosterImport, token: uuid.UUID, progress: Progress) -> dict:
    today = timezone.localdate()
    with reader.open_table(_content(imp), limits=limits()) as table:
        checker = RowChecker(organiser_id=imp.organiser_id, match=table.match,
                             kind=table.sheet.kind, epoch_1904=table.sheet.epoch_1904,
                             today=today)  # fmt: skip
        estimate = max(table.sheet.estimated_rows - table.header.number, 1)
        done, chunk = 0, []

        def flush() -> bool:
            checker.check_known(chunk)
            with transaction.atomic():
                if not _still_previewing(imp.pk, token):
                    return False
                publishing.bulk_insert(ImportRow, [_row(imp, r) for r in chunk])
                _all().filter(pk=imp.pk).update(heartbeat_at=timezone.now())
            progress(done, total=max(estimate, done), message=_("Checking the rows…"))
            return True

        for record in table.records():
            chunk.append(checker.check(record))
            done += 1
            if len(chunk) >= PREVIEW_CHUNK:
                if not flush():
                    return {"stopped": True}
                chunk = []
        if chunk and not flush():
            return {"stopped": True}
        late = checker.late_errors()
        summary = {
            "format": table.sheet.kind,
            "encoding": table.sheet.encoding,
            "delimiter": table.sheet.delimiter,
            "header_row": table.header.number,
            "width": max(table.width, len(table.header.values)),
            "columns": [
                {"letter": column_letter(i), "header": table.match.headers[i], "field": f}
                for i, f in table.match.fields.items()
            ],
            "ignored": [
                {"letter": column_letter(i), "header": table.match.headers[i]}
                for i in table.match.unknown
            ],
            "trips": checker.trip_summary(late),
        }
    with transaction.atomic():
        if not _still_previewing(imp.pk, token):
            return {"stopped": True}
        _add_late_errors(imp, late)
        valid = Q(state=RowState.VALID)
        counts = ImportRow.objects.filter(roster_import=imp).aggregate(
            total=Count("pk"),
            valid=Count("pk", filter=valid),
            warned=Count("pk", filter=valid & ~Q(warnings=[])),
        )
        identity_conflicts_flag(actor=imp.created_by, conflicts=checker.conflicts)
        _all().filter(pk=imp.pk).update(
            status=ImportStatus.READY, rows_total=counts["total"], rows_valid=counts["valid"],
            rows_invalid=counts["total"] - counts["valid"], rows_warned=counts["warned"],
            summary=summary,
            previewed_at=timezone.now(), previewed_on=today, heartbeat_at=timezone.now(),
            message="",
        )  # fmt: skip
        _queue_report(imp)
    progress(done, total=max(done, 1), message=_("Checked."))
    return {"import": str(imp.uid), "rows": counts["total"], "valid": counts["valid"]}


def _add_late_errors(imp: RosterImport, late: dict[int, list[dict]]) -> None:
    numbers = sorted(late)
    for start in range(0, len(numbers), publishing.BATCH):
        rows = list(
            ImportRow.objects.filter(
                roster_import=imp, row_number__in=numbers[start : start + publishing.BATCH]
            ).only("pk", "row_number", "state", "errors")
        )
        valid = [row for row in rows if row.state == RowState.VALID]
        invalid = [row for row in rows if row.state != RowState.VALID]
        for row in invalid:
            row.errors = [*row.errors, *late[row.row_number]]
        ImportRow.objects.bulk_update(invalid, ["errors"], batch_size=200)
        if valid:
            publishing.mark_invalid(
                list(ImportRow.objects.filter(pk__in=[row.pk for row in valid])),
                {row.pk: late[row.row_number] for row in valid},
            )


def _refuse(pk: int, token: uuid.UUID, message: str) -> dict:
    with transaction.atomic():
        if not _still_previewing(pk, token):
            return {"stopped": True}
        ImportRow.objects.filter(roster_import_id=pk).delete()
        ImportFile.objects.filter(roster_import_id=pk).delete()
        _all().filter(pk=pk).update(
            status=ImportStatus.REFUSED, message=message, rows_total=0, rows_valid=0,
            rows_invalid=0, rows_warned=0, heartbeat_at=timezone.now(),
        )  # fmt: skip
    return {"refused": message}


def roster_preview_again(*, actor: Any, uid: Any) -> RosterImport:
    """Check a checked import again (the rules depend on the day; trips change), or restart a
    preview whose job died."""
    _assert_writer(actor)
    from zaireen.rosters import tasks

    with transaction.atomic():
        imp = _own_import(actor, uid, lock=True)
        if imp.status not in (ImportStatus.READY, ImportStatus.PREVIEWING):
            raise ValidationFailed(status=_("only an import that is not committed yet is "
                                            "checked again"))  # fmt: skip
        imp.status, imp.heartbeat_at, imp.language = (
            ImportStatus.PREVIEWING, timezone.now(), translation.get_language() or imp.language,
        )  # fmt: skip
        label = _("Checking %(file)s") % {"file": imp.file_name}
        imp.preview_job = enqueue(tasks.roster_preview, imp.pk, user=actor, label=label)
        imp.save(update_fields=["status", "heartbeat_at", "language", "preview_job"])
    return imp


# --- Report -------------------------------------------------------------------------------


def _queue_report(imp: RosterImport) -> None:
    from zaireen.rosters import tasks

    job = enqueue(tasks.roster_report, imp.pk, user=imp.created_by,
                  label=_("Report of %(file)s") % {"file": imp.file_name})  # fmt: skip
    _all().filter(pk=imp.pk).update(report_job=job)


def _joined(items: list[dict]) -> str:
    return "; ".join(
        f"{item['column'] or item['header']}: {item['reason']}"
        if item.get("column") or item.get("header")
        else item["reason"]
        for item in items
    )


def roster_report_run(*, import_id: int, progress: Progress | None = None) -> dict:
    """Write the error report of a checked import and keep it (encrypted) for download."""
    with scopes_disabled():
        imp = RosterImport.objects.get(pk=import_id)
    if imp.status != ImportStatus.READY:
        return {"status": imp.status}
    with translation.override(imp.language or settings.LANGUAGE_CODE):
        notes = {
            number: (_joined(errors), _joined(warnings))
            for number, errors, warnings in ImportRow.objects.filter(roster_import=imp)
            .exclude(errors=[], warnings=[])
            .values_list("row_number", "errors", "warnings")
            .iterator(chunk_size=2000)
        }
        total = imp.summary.get("header_row", 1) + imp.rows_total
        content, extension, _type = spreadsheets.write_report(
            _content(imp), limits=limits(), width=imp.summary.get("width", 0),
            header_row=imp.summary.get("header_row", 1), notes=notes,
            labels=(_("errors"), _("warnings")),
            progress=(lambda n: progress(min(n, total), total=total)) if progress else None,
        )  # fmt: skip
        base = os.path.splitext(imp.file_name)[0][:180] or "roster"
        name = f"{base} - {_('errors')}.{extension}"
    updated = ImportFile.objects.filter(
        roster_import=imp, roster_import__status=ImportStatus.READY
    ).update(report=base64.b64encode(content).decode("ascii"), report_name=name)
    return {"report": name, "bytes": len(content), "kept": bool(updated)}


def roster_report_for(*, actor: Any, uid: Any) -> tuple[str, bytes, str]:
    """The import's error report as (file name, content, content type), or `NotFound` while
    it is being written (and once the import is committed or discarded)."""
    _assert_writer(actor)
    imp = _own_import(actor, uid)
    stored = one_or_none(ImportFile.objects.filter(roster_import=imp).exclude(report=""))
    if stored is None:
        raise NotFound(_("The report is not ready."))
    content_type = spreadsheets.XLSX_TYPE if imp.file_format == "xlsx" else spreadsheets.CSV_TYPE
    return stored.report_name, base64.b64decode(stored.report), content_type


# --- Commit -------------------------------------------------------------------------------


def roster_commit(*, actor: Any, uid: Any, today: datetime.date | None = None) -> RosterImport:
    """Queue the commit of an import's valid rows; run again, it resumes a commit that
    stopped (its job died, or a trip had to be fixed first)."""
    _assert_writer(actor)
    from zaireen.rosters import tasks

    today = today or timezone.localdate()
    with transaction.atomic():
        imp = _own_import(actor, uid, lock=True)
        if imp.status == ImportStatus.READY:
            if not imp.rows_valid:
                raise ValidationFailed(status=_("no row of this file can be imported"))
            if imp.previewed_on != today:
                raise ValidationFailed(status=_(
                    "the rows were checked on %(day)s; the rules depend on the day: check "
                    "them again first") % {"day": imp.previewed_on})  # fmt: skip
            imp.commit_started_at = timezone.now()
        elif imp.status != ImportStatus.COMMITTING:
            raise ValidationFailed(
                status=_("this import is %(status)s") % {"status": imp.get_status_display()}
            )
        imp.status, imp.committed_by, imp.message = ImportStatus.COMMITTING, actor, ""
        imp.heartbeat_at = timezone.now()
        label = _("Importing %(file)s") % {"file": imp.file_name}
        imp.commit_job = enqueue(tasks.roster_commit, imp.pk, user=actor, label=label)
        imp.save()
        audit_record(actor=actor, action="zaireen.roster.import.commit.started", obj=imp,
                     organiser=actor.organiser,
                     changes={"rows": [None, imp.rows_valid]})  # fmt: skip
    return imp


def roster_commit_run(*, import_id: int, progress: Progress | None = None) -> dict:
    """Stage the valid rows chunk by chunk, then publish them together (the commit job).

    Safe to run again at any point, and even twice at once: each chunk locks the import and
    takes only rows not yet staged, and publishing happens once, under the same lock.
    """
    progress = progress or (lambda *a, **k: None)
    with scopes_disabled():
        imp = RosterImport.objects.get(pk=import_id)
    if imp.status != ImportStatus.COMMITTING:
        return {"status": imp.status}
    actor = imp.committed_by or imp.created_by
    done = StagedPerson.objects.filter(roster_import_id=import_id).count()
    total = max(imp.rows_valid, done, 1)
    with translation.override(imp.language or settings.LANGUAGE_CODE):
        while True:
            taken = _stage_next(import_id, actor)
            if taken is None:
                status = one_or_none(_all().filter(pk=import_id).values_list("status", flat=True))
                return {"status": status}
            if not taken:
                break
            done = min(done + taken, total)
            progress(done, total=total, message=_("Registering the pilgrims…"))
        progress(done, total=total, message=_("Making them visible…"))
        return _publish(import_id, actor)


def _make_findable(import_id: int) -> None:
    """Key the imported profiles for the consular look-up now, in the import's own job, rather
    than leave them to the look-up's periodic sweep (publishing copies rows in bulk and does
    not pass through `pilgrim_register`, which keys one profile at a time)."""
    with scopes_disabled():
        ids = list(
            PilgrimProfile.objects.filter(
                uid__in=ImportRow.objects.filter(roster_import_id=import_id).values("profile_uid")
            ).values_list("pk", flat=True)
        )
    for start in range(0, len(ids), KEY_BATCH):
        name_keys_refresh(profile_ids=ids[start : start + KEY_BATCH])


def _stage_next(import_id: int, actor: Any) -> int | None:
    """Stage the next chunk in its own transaction: how many rows it took (0 when none is
    left), None when the import is no longer being committed."""
    for attempt in range(STAGE_ATTEMPTS):
        try:
            with transaction.atomic():
                imp = _locked(import_id)
                if imp.status != ImportStatus.COMMITTING:
                    return None
                rows = publishing.rows_to_stage(imp, COMMIT_CHUNK)
                if not rows:
                    return 0
                publishing.stage_chunk(imp, rows, actor=actor)
                _all().filter(pk=imp.pk).update(
                    heartbeat_at=timezone.now(), staged_through=rows[-1].row_number
                )
                return len(rows)
        except IntegrityError:
            # Someone registered one of these people at the same moment: look again.
            if attempt == STAGE_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0, STAGE_PAUSE))  # noqa: S311 (a pause, not a secret)
    return None


def _publish(import_id: int, actor: Any) -> dict:
    try:
        with transaction.atomic():
            imp = _locked(import_id)
            if imp.status != ImportStatus.COMMITTING:
                return {"status": imp.status}
            result = publishing.publish(imp, actor=actor)
            counts = ImportRow.objects.filter(roster_import=imp).aggregate(
                valid=Count("pk", filter=Q(state=RowState.VALID))
            )
            imp.status, imp.committed_at = ImportStatus.COMMITTED, timezone.now()
            imp.rows_imported, imp.members_added = result["profiles"], result["members"]
            imp.rows_invalid = imp.rows_total - counts["valid"]
            imp.rows_valid = counts["valid"]
            imp.heartbeat_at = timezone.now()
            imp.save()
            ImportFile.objects.filter(roster_import=imp).delete()
            audit_record(actor=actor, action="zaireen.roster.import.committed", obj=imp,
                         organiser=imp.organiser,
                         changes={"pilgrims": [0, result["profiles"]],
                                  "members": [0, result["members"]]})  # fmt: skip
    except ValidationFailed as exc:
        message = "; ".join(r for reasons in exc.errors.values() for r in reasons)
        _all().filter(pk=import_id).update(message=message)
        return {"stopped": message}
    _make_findable(import_id)
    tidy(import_id)
    return {"import": str(imp.uid), **result}


def tidy(import_id: int) -> None:
    """Delete what a committed, discarded or refused import no longer needs: the staged
    people and the valid rows' values (the errors stay for the record)."""
    with transaction.atomic():
        StagedPerson.objects.filter(roster_import_id=import_id).delete()
        ImportRow.objects.filter(roster_import_id=import_id, state=RowState.VALID).delete()


# --- Discard ------------------------------------------------------------------------------


def roster_discard(*, actor: Any, uid: Any) -> RosterImport:
    """Drop an import that is not committed: its rows, its file, and the people and
    identifiers its commit had staged. A job still working on it stops at its next chunk."""
    _assert_writer(actor)
    with transaction.atomic():
        imp = _own_import(actor, uid, lock=True)
        if imp.status == ImportStatus.COMMITTED:
            raise ValidationFailed(status=_("a committed import cannot be discarded"))
        if imp.status == ImportStatus.DISCARDED:
            return imp
        removed = publishing.unstage(imp)
        _discard(imp)
        audit_record(actor=actor, action="zaireen.roster.import.discarded", obj=imp,
                     organiser=actor.organiser,
                     changes={"people": [removed["people"], 0]})  # fmt: skip
    return imp


def _discard(imp: RosterImport, message: str = "") -> None:
    ImportRow.objects.filter(roster_import=imp).delete()
    ImportFile.objects.filter(roster_import=imp).delete()
    imp.status, imp.discarded_at, imp.message = ImportStatus.DISCARDED, timezone.now(), message
    imp.save(update_fields=["status", "discarded_at", "message"])


# --- Housekeeping (periodic) ----------------------------------------------------------------


def rosters_resume_stalled(*, now: datetime.datetime | None = None) -> dict:
    """Start again the previews and commits whose job stopped reporting (a worker that died
    or was restarted); a job still queued is left to start. Then discard imports left unused
    for `KEEP_UNUSED_DAYS`."""
    from zaireen.rosters import tasks

    now = now or timezone.now()
    resumed = 0
    with scopes_disabled():
        stalled = list(
            _all()
            .filter(
                status__in=(ImportStatus.PREVIEWING, ImportStatus.COMMITTING),
                heartbeat_at__lt=now - STALE_AFTER,
            )
            .select_related("preview_job", "commit_job")
        )
    for imp in stalled:
        previewing = imp.status == ImportStatus.PREVIEWING
        job = imp.preview_job if previewing else imp.commit_job
        if job is not None and job.status == Job.Status.QUEUED:
            continue
        if not previewing and imp.message:
            continue  # stopped on purpose (a trip to fix): the organiser resumes it
        with transaction.atomic():
            task = tasks.roster_preview if previewing else tasks.roster_commit
            new = enqueue(task, imp.pk, user=imp.committed_by or imp.created_by,
                          label=job.label if job else imp.file_name)  # fmt: skip
            field = "preview_job" if previewing else "commit_job"
            _all().filter(pk=imp.pk).update(**{field: new, "heartbeat_at": now})
        resumed += 1
    with scopes_disabled():
        unused = list(
            _all().filter(
                status=ImportStatus.READY,
                created_at__lt=now - datetime.timedelta(days=KEEP_UNUSED_DAYS),
            )
        )
    for imp in unused:
        with transaction.atomic():
            _discard(imp, message=_("Discarded after %(n)d days unused.") % {"n": KEEP_UNUSED_DAYS})
    return {"resumed": resumed, "discarded": len(unused)}
