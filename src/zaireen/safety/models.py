"""Headcounts at checkpoints, the phones that record them, and the event log they send.

The log (`HeadcountEvent`) is the record; a headcount's state is derived from it by the pure
function in `headcount.py` whenever it is needed, never stored. See docs/headcounts.md.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class CheckpointKind(models.TextChoices):
    DEPARTURE_AIRPORT = "departure_airport", _("Departure airport")
    ARRIVAL_AIRPORT = "arrival_airport", _("Arrival airport")
    HOTEL = "hotel", _("Hotel")
    VEHICLE_BOARDING = "vehicle_boarding", _("Vehicle boarding")
    SITE_ENTRY = "site_entry", _("Site entry")
    SITE_EXIT = "site_exit", _("Site exit")
    MEETING_POINT = "meeting_point", _("Meeting point")
    FINAL_DEPARTURE = "final_departure", _("Final departure from Iraq")
    ARRIVAL_HOME = "arrival_home", _("Arrival home in Pakistan")


class Device(models.Model):
    """A phone registered to count one trip. It signs its requests with a token of its own,
    revocable on its own, so queued events survive an expired session and a lost phone can be
    shut out. Only the token's SHA-256 digest is kept (as for `accounts.ApiToken`)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    trip = models.ForeignKey("trips.Trip", on_delete=models.CASCADE, related_name="devices")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT,
        related_name="headcount_devices",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("starts with"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Headcount(models.Model):
    """A count of a trip (or of one vehicle) at a checkpoint. Its `uid` is made by the phone
    that opened it, offline if need be; the row appears when the server receives the open.
    `expected` is fixed then: the members (UUIDs) the count is about."""

    uid = models.UUIDField(unique=True, editable=False)
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    trip = models.ForeignKey("trips.Trip", on_delete=models.CASCADE, related_name="headcounts")
    kind = models.CharField(_("checkpoint"), max_length=20, choices=CheckpointKind.choices)
    label = models.CharField(_("place"), max_length=120, blank=True)
    vehicle = models.ForeignKey(
        "trips.Vehicle", verbose_name=_("vehicle"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="headcounts",
    )  # fmt: skip
    expected = models.JSONField(default=list)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("headcount")
        verbose_name_plural = _("headcounts")

    def __str__(self) -> str:
        kind = self.get_kind_display()
        return f"{kind}: {self.label}" if self.label else str(kind)


class EventAction(models.TextChoices):
    OPEN = "open", _("Opened")
    MARK = "mark", _("Marked present")
    UNMARK = "unmark", _("Unmarked")
    CLOSE = "close", _("Closed")


class ScanResult(models.TextChoices):
    OK = "ok", _("Member of the trip")
    REVOKED = "revoked", _("Revoked card")
    UNKNOWN = "unknown", _("Unknown member or card")


class HeadcountEvent(models.Model):
    """One action of a leader on a phone, stored once. Append-only: nothing updates a row.

    `uid` is made on the phone; (`device`, `seq`) is its place in that phone's own order.
    `digest` is the SHA-256 of what the phone sent, so a re-sent event is recognised as the
    same and a different event re-using a UUID is refused. `member` and `scan` are how the
    server resolved a mark when it received it (a card revoked by then scans as revoked).
    `headcount_uid` is not a foreign key: a phone's marks may arrive before its open.
    """

    uid = models.UUIDField(unique=True, editable=False)
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    trip = models.ForeignKey("trips.Trip", on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveBigIntegerField()
    headcount_uid = models.UUIDField(db_index=True)
    action = models.CharField(max_length=6, choices=EventAction.choices)
    member = models.ForeignKey(
        "trips.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    card = models.CharField(max_length=200, blank=True)
    scan = models.CharField(max_length=7, choices=ScanResult.choices, blank=True)
    target = models.UUIDField(null=True, blank=True)
    depart_anyway = models.BooleanField(null=True, blank=True)
    # Action details: open (kind, label, vehicle); close (missing: member UUIDs and names as
    # the phone showed them when the leader answered).
    data = models.JSONField(default=dict)
    device_time = models.DateTimeField(_("time on the phone"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    digest = models.CharField(max_length=64)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["device_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["device", "seq"], name="safety_event_place_once"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="safety_event_seq_positive"),
            models.CheckConstraint(
                condition=~Q(action="unmark") | Q(target__isnull=False),
                name="safety_unmark_names_its_mark",
            ),
            models.CheckConstraint(
                condition=~Q(action="mark") | ~Q(scan=""), name="safety_mark_is_resolved"
            ),
        ]
        indexes = [models.Index(fields=["trip", "headcount_uid"])]

    def __str__(self) -> str:
        return f"{self.action} {self.uid}"


class CaseRequest(models.Model):
    """A leader's or organiser's request to open a missing-person case for a member missing at
    a closed headcount. The cases themselves come with the next issue, which reads these."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    headcount = models.ForeignKey(Headcount, on_delete=models.CASCADE, related_name="cases")
    member = models.ForeignKey("trips.Member", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["headcount", "member"], name="safety_case_once")
        ]

    def __str__(self) -> str:
        return f"case for {self.member_id} at {self.headcount_id}"
