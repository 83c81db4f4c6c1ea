"""Zaireen Group Organisers (ZGOs): the licensed tenants, and the history of their licence."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class LicenceStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    VETTED = "vetted", _("Vetted")
    LICENSED = "licensed", _("Licensed")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


# Which status may follow which. Revocation is final; an expired licence can be renewed.
TRANSITIONS: dict[str, frozenset[str]] = {
    LicenceStatus.APPLIED: frozenset({LicenceStatus.VETTED, LicenceStatus.REVOKED}),
    LicenceStatus.VETTED: frozenset({LicenceStatus.LICENSED, LicenceStatus.REVOKED}),
    LicenceStatus.LICENSED: frozenset(
        {LicenceStatus.SUSPENDED, LicenceStatus.REVOKED, LicenceStatus.EXPIRED}
    ),
    LicenceStatus.SUSPENDED: frozenset({LicenceStatus.LICENSED, LicenceStatus.REVOKED}),
    LicenceStatus.EXPIRED: frozenset({LicenceStatus.LICENSED, LicenceStatus.REVOKED}),
    LicenceStatus.REVOKED: frozenset(),
}


class Organiser(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    legal_name = models.CharField(_("legal name"), max_length=200)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=40, unique=True)
    head_office_city = models.ForeignKey(
        "places.City",
        verbose_name=_("head office city"),
        on_delete=models.PROTECT,
        related_name="organisers",
    )
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("email"))
    valid_from = models.DateField(_("licence valid from"), null=True, blank=True)
    valid_until = models.DateField(_("licence valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.APPLIED
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=F("valid_until")),
                name="organizers_validity_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status=LicenceStatus.LICENSED)
                | (Q(valid_from__isnull=False) & Q(valid_until__isnull=False)),
                name="organizers_licensed_has_validity",
            ),
        ]

    def __str__(self) -> str:
        return self.trade_name or self.legal_name

    @property
    def display_name(self) -> str:
        if self.trade_name and self.trade_name != self.legal_name:
            return f"{self.trade_name} ({self.legal_name})"
        return self.legal_name

    def may_take_pilgrims(self, on: datetime.date) -> bool:
        """Licensed, and the licence covers the day `on`."""
        return (
            self.status == LicenceStatus.LICENSED
            and self.valid_from is not None
            and self.valid_until is not None
            and self.valid_from <= on <= self.valid_until
        )

    def licence_valid_through(self, day: datetime.date) -> bool:
        """Licensed now and still valid on `day` (a trip's return date, say)."""
        return (
            self.status == LicenceStatus.LICENSED
            and self.valid_until is not None
            and day <= self.valid_until
        )


class LicenceEvent(models.Model):
    """One change of an organiser's licence status, by whom, why and from when."""

    organiser = models.ForeignKey(
        Organiser, on_delete=models.CASCADE, related_name="licence_events"
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=LicenceStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=LicenceStatus.choices)
    reason = models.TextField(_("reason"))
    effective_date = models.DateField(_("effective from"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("licence event")
        verbose_name_plural = _("licence events")

    def __str__(self) -> str:
        return f"{self.organiser}: {self.from_status or '—'} → {self.to_status}"
