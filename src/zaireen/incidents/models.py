"""Incidents of a trip, the stranding census, and SOS alerts from pilgrims' phones.

An incident belongs to one trip (and so to its organiser): what happened, when, where (a city,
free text, or a pole on the Najaf–Karbala walk), to which members and vehicles, how bad, and a
timeline of notes until it is closed with a note. A stranding incident carries a census: one
checklist row per affected member. An SOS is raised by a pilgrim's phone; its client-made
UUID makes a re-sent press count once. See docs/incidents.md.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from zaireen.trips.models import Holder


class IncidentKind(models.TextChoices):
    ROAD_ACCIDENT = "road_accident", _("Road accident")
    MEDICAL = "medical", _("Medical emergency")
    DEATH = "death", _("Death")
    LOST_PASSPORT = "lost_passport", _("Lost passport")
    THEFT = "theft", _("Theft")
    DETENTION = "detention", _("Detention")
    HEAT_ILLNESS = "heat_illness", _("Heat illness")
    STRANDING = "stranding", _("Stranding (closed airspace, cancelled flight)")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    SERIOUS = "serious", _("Serious")
    CRITICAL = "critical", _("Critical")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Incident(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organiser = models.ForeignKey(
        "organizers.Organiser", verbose_name=_("organiser"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    trip = models.ForeignKey(
        "trips.Trip", verbose_name=_("trip"), on_delete=models.PROTECT, related_name="incidents"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=IncidentKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    status = models.CharField(
        _("status"), max_length=6, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    occurred_at = models.DateTimeField(_("when"))
    city = models.ForeignKey(
        "places.City", verbose_name=_("city"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    place = models.CharField(_("place"), max_length=200, blank=True)
    pole = models.PositiveSmallIntegerField(_("pole number"), null=True, blank=True)
    description = models.TextField(_("what happened"))
    members = models.ManyToManyField(
        "trips.Member", verbose_name=_("members involved"), blank=True, related_name="incidents"
    )
    vehicles = models.ManyToManyField(
        "trips.Vehicle", verbose_name=_("vehicles involved"), blank=True,
        related_name="incidents",
    )  # fmt: skip
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    closing_note = models.TextField(_("closing note"), blank=True)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (Q(status="closed", closed_at__isnull=False) & ~Q(closing_note="")),
                name="incidents_closed_has_time_and_note",
            ),
            models.CheckConstraint(
                condition=Q(pole__isnull=True) | Q(pole__gte=1), name="incidents_pole_positive"
            ),
        ]
        indexes = [models.Index(fields=["organiser", "status", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.occurred_at:%Y-%m-%d}"


class IncidentNote(models.Model):
    """One entry of an incident's timeline: who wrote what, when. Never edited."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"note on {self.incident_id}"


class StrandingCheck(models.Model):
    """A leader's checklist for one affected member of a stranding: does the member have the
    medicine they need, money, a (re-booked) ticket, and who holds the passport. `None` is
    "not asked yet"."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="checks")
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey("trips.Member", on_delete=models.CASCADE, related_name="+")
    has_medicine = models.BooleanField(_("has the medicine they need"), null=True)
    has_money = models.BooleanField(_("has money"), null=True)
    has_ticket = models.BooleanField(_("has a ticket home"), null=True)
    passport_holder = models.CharField(
        _("passport held by"), max_length=10, choices=Holder.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "member"], name="incidents_check_once")
        ]

    def __str__(self) -> str:
        return f"check of {self.member_id} in {self.incident_id}"


class SosReason(models.TextChoices):
    MEDICAL = "medical", _("Medical help")
    LOST = "lost", _("I am lost")
    ACCIDENT = "accident", _("Accident")
    DANGER = "danger", _("I am in danger")
    OTHER = "other", _("Other")


class SosStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class SosAlert(models.Model):
    """An SOS from a member's phone. `client_uid` is made on the phone for one press of the
    button; a re-sent request carrying it finds this row instead of making a second one."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client_uid = models.UUIDField(unique=True, editable=False)
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    trip = models.ForeignKey("trips.Trip", on_delete=models.CASCADE, related_name="sos_alerts")
    member = models.ForeignKey(
        "trips.Member", verbose_name=_("member"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=SosReason.choices)
    note = models.CharField(_("message"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    pole = models.PositiveSmallIntegerField(_("nearest pole"), null=True, blank=True)
    device_time = models.DateTimeField(_("time on the phone"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SosStatus.choices, default=SosStatus.OPEN
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    closing_note = models.CharField(_("closing note"), max_length=300, blank=True)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("SOS alert")
        verbose_name_plural = _("SOS alerts")
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="incidents_sos_position",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="incidents_sos_closed_has_time",
            ),
        ]
        indexes = [models.Index(fields=["organiser", "status", "-received_at"])]

    def __str__(self) -> str:
        return f"SOS {self.get_reason_display()} · {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lon is not None
