"""Crowd-safe time slots in use: plans per occasion, zone capacities and quotas, the groups
that move together, their visit requests, the solver's runs and the bookings.

The one invariant that matters most is held by the database: a slot cell never holds more
booked people than its quota (`crowd_cell_never_oversold`), whatever the concurrency. The
booking service adds an ordered row lock and a conditional update on top (docs/crowd.md).
"""

from __future__ import annotations

import math
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

DEFAULT_DENSITY = Decimal("2.00")  # persons per m² for planning
MAX_DENSITY = Decimal("4.00")  # where crowds turn dangerous; never planned above
MAX_GROUP_SIZE = 60


class PlanStatus(models.TextChoices):
    OPEN = "open", _("Taking requests")
    PUBLISHED = "published", _("Published")


class SlotPlan(models.Model):
    """The time slots of one occasion (e.g. Arbaeen 1449): a horizon of `slots` slots of
    `slot_minutes` from `starts_at`, the deadline for requests, and what was published."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    occasion_key = models.SlugField(_("occasion"), max_length=60)
    hijri_year = models.PositiveSmallIntegerField(_("Hijri year"))
    occasion_start = models.DateField(_("occasion begins"))
    occasion_end = models.DateField(_("occasion ends"))
    starts_at = models.DateTimeField(_("first slot begins"))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=15)
    slots = models.PositiveIntegerField(_("number of slots"))
    request_deadline = models.DateTimeField(_("deadline for requests"))
    unscheduled_penalty = models.PositiveIntegerField(
        _("penalty for a group left out (slots per person)"), default=1000
    )
    travel_slots = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_run = models.ForeignKey(
        "crowd.SolveRun", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    calendar_note = models.TextField(_("calendar re-check"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "title"]
        verbose_name = _("slot plan")
        verbose_name_plural = _("slot plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5) & Q(slot_minutes__lte=60),
                name="crowd_plan_slot_minutes",
            ),
            models.CheckConstraint(
                condition=Q(slots__gte=1) & Q(slots__lte=2000), name="crowd_plan_slots"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == PlanStatus.PUBLISHED


class ZoneCapacity(models.Model):
    """What one zone may hold during one occasion.

    occupancy limit = usable area × planning density × (1 − margin), people inside at once in
    any slot. The host authority grants the system `quota_pct` of it (per slot; ranges may
    differ, see `QuotaRange`). A visit lasts the site's typical dwell time rounded up to whole
    slots, and occupies every slot it spans: the limit is never divided by the dwell time too.
    A zone without a usable area takes no requests.
    """

    plan = models.ForeignKey(SlotPlan, on_delete=models.CASCADE, related_name="capacities")
    zone = models.ForeignKey("places.Zone", verbose_name=_("zone"), on_delete=models.PROTECT)
    usable_area_m2 = models.PositiveIntegerField(_("usable area (m²)"), null=True, blank=True)
    density = models.DecimalField(
        _("planning density (persons/m²)"),
        max_digits=3,
        decimal_places=2,
        default=DEFAULT_DENSITY,
    )
    margin_pct = models.PositiveSmallIntegerField(
        _("margin for visitors outside the system (%)"), default=30
    )
    dwell_minutes = models.PositiveSmallIntegerField(_("typical dwell time (minutes)"), default=45)
    quota_pct = models.DecimalField(
        _("quota granted to the system (% of the limit)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5.00"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["zone__site__city__name", "zone__site__name", "zone__name"]
        verbose_name = _("zone capacity")
        verbose_name_plural = _("zone capacities")
        constraints = [
            models.UniqueConstraint(fields=["plan", "zone"], name="crowd_capacity_once"),
            models.CheckConstraint(
                condition=Q(density__gt=0) & Q(density__lte=MAX_DENSITY),
                name="crowd_density_never_above_4",
            ),
            models.CheckConstraint(condition=Q(margin_pct__lte=90), name="crowd_margin_pct"),
            models.CheckConstraint(
                condition=Q(quota_pct__gte=0) & Q(quota_pct__lte=100), name="crowd_quota_pct"
            ),
            models.CheckConstraint(
                condition=Q(dwell_minutes__gte=1) & Q(dwell_minutes__lte=720),
                name="crowd_dwell_minutes",
            ),
            models.CheckConstraint(
                condition=Q(usable_area_m2__isnull=True) | Q(usable_area_m2__gte=1),
                name="crowd_area_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.zone)

    @property
    def active(self) -> bool:
        return self.usable_area_m2 is not None

    @property
    def occupancy_limit(self) -> int:
        """People the zone may hold at once, in any slot (0 without an area)."""
        return occupancy_limit(self.usable_area_m2 or 0, self.density, self.margin_pct)

    @property
    def base_quota(self) -> int:
        return quota_of(self.occupancy_limit, self.quota_pct)

    def duration_slots(self, slot_minutes: int) -> int:
        return math.ceil(self.dwell_minutes / slot_minutes)


def occupancy_limit(area_m2: int, density: Decimal, margin_pct: int) -> int:
    """floor(area × density × (100 − margin) ÷ 100), in exact decimal arithmetic."""
    return int(Decimal(area_m2) * Decimal(density) * (100 - margin_pct) / 100)


def quota_of(limit: int, share_pct: Decimal) -> int:
    return int(Decimal(limit) * Decimal(share_pct) / 100)


class QuotaRange(models.Model):
    """The host authority's share for some slots of a zone, when it differs from the zone's
    own: later ranges win over earlier ones where they overlap."""

    capacity = models.ForeignKey(ZoneCapacity, on_delete=models.CASCADE, related_name="ranges")
    first_slot = models.PositiveIntegerField(_("first slot"))
    last_slot = models.PositiveIntegerField(_("last slot"))
    share_pct = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_slot__gte=F("first_slot")), name="crowd_range_ordered"
            ),
            models.CheckConstraint(
                condition=Q(share_pct__gte=0) & Q(share_pct__lte=100), name="crowd_range_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.capacity}: {self.first_slot}–{self.last_slot} {self.share_pct}%"


class SlotCell(models.Model):
    """One zone in one slot: the quota granted and the people booked (bookings and held
    offers). The booking path locks and updates these rows; nothing else writes `booked`."""

    plan = models.ForeignKey(SlotPlan, on_delete=models.CASCADE, related_name="cells")
    capacity = models.ForeignKey(ZoneCapacity, on_delete=models.CASCADE, related_name="cells")
    slot = models.PositiveIntegerField()
    quota = models.PositiveIntegerField(default=0)
    booked = models.IntegerField(default=0)

    class Meta:
        ordering = ["capacity_id", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["capacity", "slot"], name="crowd_cell_once"),
            models.CheckConstraint(
                condition=Q(booked__lte=F("quota")), name="crowd_cell_never_oversold"
            ),
            models.CheckConstraint(condition=Q(booked__gte=0), name="crowd_cell_booked_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.capacity_id}@{self.slot}: {self.booked}/{self.quota}"


class GroupKind(models.TextChoices):
    VEHICLE = "vehicle", _("Passengers of one vehicle")
    SUBGROUP = "subgroup", _("A leader's sub-group")


class SlotGroup(models.Model):
    """A part of a trip that moves together and is never split: the passengers of one
    vehicle, or a leader's sub-group of at most 60."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    trip = models.ForeignKey("trips.Trip", on_delete=models.CASCADE, related_name="slot_groups")
    label = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=GroupKind.choices)
    vehicle = models.ForeignKey(
        "trips.Vehicle",
        verbose_name=_("vehicle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    leader = models.ForeignKey(
        "trips.Member",
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    size = models.PositiveSmallIntegerField(_("people"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["trip_id", "label"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(fields=["trip", "label"], name="crowd_group_label_once"),
            models.CheckConstraint(
                condition=Q(size__gte=1) & Q(size__lte=MAX_GROUP_SIZE), name="crowd_group_size"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class RequestSource(models.TextChoices):
    HAND = "hand", _("Entered by hand")
    ITINERARY = "itinerary", _("From the itinerary")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class VisitRequest(models.Model):
    """A group asks to visit a zone: its preferred start and the window its plan allows.

    Requests made before the plan's deadline go to the optimiser; those made after
    publication (`late`) are booked first come, first served from what is left.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(SlotPlan, on_delete=models.CASCADE, related_name="requests")
    group = models.ForeignKey(SlotGroup, on_delete=models.CASCADE, related_name="requests")
    capacity = models.ForeignKey(
        ZoneCapacity, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="requests"
    )
    source = models.CharField(_("source"), max_length=10, choices=RequestSource.choices)
    preferred_at = models.DateTimeField(_("preferred start"))
    earliest_at = models.DateTimeField(_("earliest start"))
    latest_at = models.DateTimeField(_("latest start"))
    duration_slots = models.PositiveSmallIntegerField(_("slots"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
    )
    late = models.BooleanField(_("after publication"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["preferred_at", "pk"]
        verbose_name = _("visit request")
        verbose_name_plural = _("visit requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(earliest_at__lte=F("preferred_at"))
                & Q(preferred_at__lte=F("latest_at")),
                name="crowd_request_window",
            ),
            models.CheckConstraint(condition=Q(duration_slots__gte=1), name="crowd_request_dur"),
        ]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self) -> str:
        return f"{self.group} → {self.capacity}"


class BookingStatus(models.TextChoices):
    OFFERED = "offered", _("Offered from the waitlist")
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    RELEASED = "released", _("Offer not taken")


HOLDING = (BookingStatus.OFFERED, BookingStatus.BOOKED)


class BookingSource(models.TextChoices):
    SCHEDULE = "schedule", _("Published schedule")
    LIVE = "live", _("Booked after publication")
    WAITLIST = "waitlist", _("Offered from the waitlist")


class Booking(models.Model):
    """A group's places in a zone from `start_slot` for `duration_slots` slots.

    While `offered` or `booked` it holds `size` places in each of its cells; an offer holds
    them until it is accepted, declined or expires.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(SlotPlan, on_delete=models.CASCADE, related_name="bookings")
    request = models.ForeignKey(VisitRequest, on_delete=models.CASCADE, related_name="bookings")
    group = models.ForeignKey(SlotGroup, on_delete=models.CASCADE, related_name="bookings")
    capacity = models.ForeignKey(ZoneCapacity, on_delete=models.PROTECT, related_name="bookings")
    start_slot = models.PositiveIntegerField(_("first slot"))
    duration_slots = models.PositiveSmallIntegerField(_("slots"))
    size = models.PositiveSmallIntegerField(_("people"))
    status = models.CharField(_("status"), max_length=10, choices=BookingStatus.choices)
    source = models.CharField(_("source"), max_length=10, choices=BookingSource.choices)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    flagged = models.BooleanField(_("to re-check"), default=False)
    flag_reason = models.TextField(_("why it is to be re-checked"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["start_slot", "pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=HOLDING),
                name="crowd_one_holding_booking_per_request",
            ),
            models.CheckConstraint(
                condition=~Q(status=BookingStatus.OFFERED) | Q(offer_expires_at__isnull=False),
                name="crowd_offer_expires",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "status"]),
            models.Index(fields=["status", "offer_expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.group} @ {self.start_slot}"


class WaitStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offer open")
    SERVED = "served", _("Booked")
    LEFT = "left", _("Left the waitlist")


class WaitlistEntry(models.Model):
    """A request waiting for places to free up; served strictly in the order of `pk`."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(SlotPlan, on_delete=models.CASCADE, related_name="waitlist")
    request = models.ForeignKey(VisitRequest, on_delete=models.CASCADE, related_name="waits")
    status = models.CharField(
        _("status"), max_length=10, choices=WaitStatus.choices, default=WaitStatus.WAITING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=("waiting", "offered")),
                name="crowd_wait_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} ({self.status})"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class SolveRun(models.Model):
    """One solve of a plan's requests: the instance it was given (zaireen-slots/1), the
    optimiser's and first-come-first-served results on it (zaireen-slots-result/1), both
    checks, and the loads for the heat maps."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SlotPlan, on_delete=models.CASCADE, related_name="runs")
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    time_limit = models.PositiveSmallIntegerField(_("time limit (s)"), default=20)
    digest = models.CharField(max_length=64)
    instance = models.JSONField(default=dict)
    visit_map = models.JSONField(default=dict)  # group id → [request uid, …] in visit order
    dropped = models.JSONField(default=list)  # [{"group": uid, "reason": …}]
    optimal = models.JSONField(default=dict)
    fcfs = models.JSONField(default=dict)
    summary = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("solver run")
        verbose_name_plural = _("solver runs")

    def __str__(self) -> str:
        return f"{self.plan} · {self.created_at:%Y-%m-%d %H:%M}"
