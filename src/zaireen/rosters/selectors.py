"""Reads of the rosters app, scoped to the acting user's organiser."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from zaireen.core.errors import NotAllowed, NotFound
from zaireen.core.permissions import is_organiser_user, tenant_scope
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role
from zaireen.rosters.models import ImportFile, ImportRow, RosterImport, RowState

READERS = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)


def _assert_reader(actor: Any) -> None:
    if not (is_organiser_user(actor) and actor.role in READERS):
        raise NotAllowed(_("Only organiser admins and staff import rosters."))


def _with_report(imports: QuerySet[RosterImport]) -> QuerySet[RosterImport]:
    """`has_report`: whether the import's error report is ready to download."""
    reports = ImportFile.objects.filter(roster_import=OuterRef("pk")).exclude(report="")
    return imports.annotate(has_report=Exists(reports))


def roster_import_list_for(*, actor: Any) -> QuerySet[RosterImport]:
    """The imports of the actor's organiser, newest first (every admin's and staff's)."""
    _assert_reader(actor)
    with tenant_scope(actor):
        imports = RosterImport.objects.select_related(
            "created_by", "preview_job", "commit_job", "report_job"
        )
        return _with_report(imports).order_by("-created_at", "-id")


def roster_import_get_for(*, actor: Any, uid: Any) -> RosterImport:
    """One import of the actor's organiser; another organiser's is not found, as is one that
    does not exist."""
    _assert_reader(actor)
    with tenant_scope(actor):
        imports = RosterImport.objects.select_related(
            "created_by", "committed_by", "preview_job", "commit_job", "report_job"
        )
        found = one_or_none(_with_report(imports).filter(uid=uid))
    if found is None:
        raise NotFound(_("No such import."))
    return found


def import_issues_for(*, actor: Any, roster_import: RosterImport, warnings: bool = False):
    """The rows of an import that have errors (or, with `warnings`, the valid rows that have
    warnings), by row number, as dicts: row_number, errors, warnings. Never the rows' values."""
    roster_import_get_for(actor=actor, uid=roster_import.uid)
    rows = ImportRow.objects.filter(roster_import=roster_import)
    if warnings:
        rows = rows.filter(state=RowState.VALID).exclude(warnings=[])
    else:
        rows = rows.filter(state=RowState.INVALID)
    return rows.order_by("row_number").values("row_number", "errors", "warnings")
