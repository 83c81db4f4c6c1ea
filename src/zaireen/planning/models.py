"""Planning data: the Hijri month offsets a ministry officer sets for Iraq's moon sighting.

The calendar itself is pure code (`hijri.py`); what is stored is only the officer's table of
offsets, one row per Hijri month that Iraq began on another day than Umm al-Qura. Who set a
row, when and why is on the row and, for every change, in the audit trail.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zaireen.planning import hijri


class HijriMonthOffset(models.Model):
    """Iraq's month `hijri_month` of `hijri_year` began `days` days after Umm al-Qura's.

    Written only by `services.hijri_offsets_set`, which checks the whole table stays possible
    (every month 29 or 30 days) before saving. A row with `days = 0` records a month the
    officer confirmed to follow Umm al-Qura.
    """

    hijri_year = models.PositiveSmallIntegerField(_("Hijri year"))
    hijri_month = models.PositiveSmallIntegerField(_("Hijri month"))
    days = models.SmallIntegerField(_("offset (days)"))
    reason = models.TextField(_("reason"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"))

    class Meta:
        ordering = ["hijri_year", "hijri_month"]
        verbose_name = _("Hijri month offset")
        verbose_name_plural = _("Hijri month offsets")
        constraints = [
            models.UniqueConstraint(
                fields=["hijri_year", "hijri_month"], name="planning_offset_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(hijri_month__gte=1) & Q(hijri_month__lte=12),
                name="planning_offset_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(hijri_year__gte=hijri.MIN_YEAR) & Q(hijri_year__lte=hijri.MAX_YEAR),
                name="planning_offset_year_in_tables",
            ),
            models.CheckConstraint(
                condition=Q(days__gte=-hijri.MAX_OFFSET_DAYS) & Q(days__lte=hijri.MAX_OFFSET_DAYS),
                name="planning_offset_days_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{hijri.month_name(self.hijri_month)} {self.hijri_year}: {self.days:+d}"

    @property
    def key(self) -> tuple[int, int]:
        return (self.hijri_year, self.hijri_month)
