"""Roster imports: a file, its rows as checked by the preview, and the commit's progress.

See docs/imports.md for the whole mechanism. In short: the preview stores every row of the
file (`ImportRow`: the errors of a bad row, the checked values of a good one, identifiers
encrypted as in the pilgrim's profile); the commit resolves each good row's `Person` in
chunks (`StagedPerson`, one row per resolved row, written with the chunk), then publishes
every profile and membership in one final transaction.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from zaireen.core.fields import EncryptedTextField


class ImportStatus(models.TextChoices):
    PREVIEWING = "previewing", _("Checking the file")
    READY = "ready", _("Checked, ready to commit")
    REFUSED = "refused", _("File refused")
    COMMITTING = "committing", _("Committing")
    COMMITTED = "committed", _("Committed")
    DISCARDED = "discarded", _("Discarded")


# Statuses in which a job works on the import (the page polls).
WORKING = (ImportStatus.PREVIEWING, ImportStatus.COMMITTING)


class RosterImport(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organiser = models.ForeignKey(
        "organizers.Organiser", verbose_name=_("organiser"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    file_name = models.CharField(_("file"), max_length=200)
    file_size = models.PositiveIntegerField(_("size (bytes)"))
    file_format = models.CharField(_("format"), max_length=10)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PREVIEWING
    )
    message = models.TextField(_("message"), blank=True)
    # Messages are written in the uploader's language (the jobs run outside any request).
    language = models.CharField(max_length=10, blank=True)
    # The preview run that may write rows: a restarted preview makes an older one stop.
    run_token = models.UUIDField(null=True, blank=True)
    # What the preview found.
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_valid = models.PositiveIntegerField(_("valid rows"), default=0)
    rows_invalid = models.PositiveIntegerField(_("rows with errors"), default=0)
    rows_warned = models.PositiveIntegerField(_("rows with warnings"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    previewed_at = models.DateTimeField(_("checked"), null=True, blank=True)
    previewed_on = models.DateField(null=True, blank=True)  # the `today` of the rules applied
    # What the commit did.
    rows_imported = models.PositiveIntegerField(_("pilgrims registered"), default=0)
    members_added = models.PositiveIntegerField(_("members added to trips"), default=0)
    commit_started_at = models.DateTimeField(null=True, blank=True)
    # Rows are staged in file order: every valid row up to this number is staged.
    staged_through = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # a job's last chunk
    committed_at = models.DateTimeField(_("committed"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("committed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    discarded_at = models.DateTimeField(_("discarded"), null=True, blank=True)
    preview_job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    commit_job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report_job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        indexes = [models.Index(fields=["organiser", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_valid__lte=models.F("rows_total")),
                name="rosters_valid_within_total",
            )
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_working(self) -> bool:
        return self.status in WORKING


class ImportFile(models.Model):
    """The uploaded file and its error report, encrypted (they hold identifiers in clear).

    Kept apart so that listing imports never loads them; deleted once the import is committed,
    discarded or refused.
    """

    roster_import = models.OneToOneField(
        RosterImport, on_delete=models.CASCADE, related_name="file", primary_key=True
    )
    content = EncryptedTextField()
    report = EncryptedTextField(blank=True)
    report_name = models.CharField(max_length=220, blank=True)

    def __str__(self) -> str:
        return f"file of {self.roster_import_id}"


class RowState(models.TextChoices):
    VALID = "valid", _("Valid")
    INVALID = "invalid", _("Has errors")


class ImportRow(models.Model):
    """One row of the file as the preview left it.

    A valid row holds the checked values under the names of `PilgrimProfile`'s fields (the
    identifiers and medical notes encrypted the same way), the uids its profile and
    membership will get, and its audit entry, so that publishing copies rows in SQL. An
    invalid row holds its errors only.
    """

    roster_import = models.ForeignKey(RosterImport, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("row"))
    state = models.CharField(max_length=8, choices=RowState.choices)
    errors = models.JSONField(default=list, blank=True)  # [{"column", "field", "reason"}]
    warnings = models.JSONField(default=list, blank=True)
    trip = models.ForeignKey(
        "trips.Trip", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=10, blank=True)
    # The profile's values (see `pilgrims.models.PilgrimProfile`).
    surname = models.CharField(max_length=100, blank=True)
    given_names = models.CharField(max_length=100, blank=True)
    name_urdu = models.CharField(max_length=150, blank=True)
    guardian_name = models.CharField(max_length=150, blank=True)
    home_city = models.CharField(max_length=100, blank=True)
    cnic = EncryptedTextField(blank=True)
    passport_number = EncryptedTextField(blank=True)
    passport_issuing_state = models.CharField(max_length=3, blank=True)
    passport_expiry = models.DateField(null=True, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    next_of_kin_name = models.CharField(max_length=150, blank=True)
    next_of_kin_relation = models.CharField(max_length=50, blank=True)
    next_of_kin_phone = models.CharField(max_length=20, blank=True)
    needs_wheelchair = models.BooleanField(default=False)
    needs_elderly_care = models.BooleanField(default=False)
    medical_notes = EncryptedTextField(blank=True)
    blood_group = models.CharField(max_length=3, blank=True)
    # What publishing writes besides the values.
    profile_uid = models.UUIDField(default=uuid.uuid4)
    member_uid = models.UUIDField(default=uuid.uuid4)
    audit_object_id = models.CharField(max_length=64, blank=True)
    audit_label = models.CharField(max_length=200, blank=True)
    audit_changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["row_number"]
        constraints = [
            models.UniqueConstraint(fields=["roster_import", "row_number"], name="rosters_row_once")
        ]
        indexes = [models.Index(fields=["roster_import", "state", "row_number"])]

    def __str__(self) -> str:
        return f"row {self.row_number} of {self.roster_import_id}"


class StagedPerson(models.Model):
    """A valid row whose `Person` the commit has resolved, written in the same transaction as
    the people and identifiers it created (so a chunk is either fully staged or not at all),
    and what it created (so that discarding can remove it)."""

    # Deleted before its row, always (so that deleting rows is one DELETE statement).
    row = models.OneToOneField(
        ImportRow, on_delete=models.DO_NOTHING, related_name="staged", primary_key=True
    )
    roster_import = models.ForeignKey(RosterImport, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("pilgrims.Person", on_delete=models.CASCADE, related_name="+")
    created_person = models.BooleanField(default=False)
    created_identifiers = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [models.Index(fields=["roster_import", "person"])]

    def __str__(self) -> str:
        return f"{self.row_id} → person {self.person_id}"
