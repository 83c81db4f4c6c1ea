"""Itineraries: the planner's reference data (the ministry edits it) and each trip's saved plan.

Reference rows come from `itineraries/data/*.csv` (`load_itinerary_data`), each with its
source or marked as an assumption. A trip has at most one itinerary: the planner's inputs
(landing and take-off times, stays, wishes, needs, occasion) and the plan as JSON
(`planner.codec`), with the rule a later change broke, if any.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class NeedsProfile(models.TextChoices):
    STANDARD = "standard", _("Standard")
    ELDERLY = "elderly", _("Elderly")
    WHEELCHAIR = "wheelchair", _("Wheelchair users")


class SiteFact(models.Model):
    """How long a group visits a site, when it is open, whether the visit is outdoors."""

    site = models.OneToOneField(
        "places.Site", verbose_name=_("site"), on_delete=models.CASCADE, related_name="fact"
    )
    visit_minutes = models.PositiveSmallIntegerField(_("typical visit (minutes)"))
    duration_source = models.TextField(_("source of the duration"))
    open_24h = models.BooleanField(_("open 24 hours"), default=False)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    hours_source = models.TextField(
        _("source of the opening hours"),
        blank=True,
        help_text=_("Empty: the stated default hours apply (an assumption)."),
    )
    outdoor = models.BooleanField(
        _("outdoor visit"),
        default=False,
        help_text=_("A visit here is outdoor walking: heat warnings and walking limits apply."),
    )
    name_ur = models.CharField(_("name in Urdu"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["site__city__name", "site__name"]
        verbose_name = _("site visit fact")
        verbose_name_plural = _("site visit facts")
        constraints = [
            models.CheckConstraint(
                condition=Q(visit_minutes__gte=5) & Q(visit_minutes__lte=600),
                name="itineraries_fact_minutes",
            ),
            models.CheckConstraint(
                condition=Q(opens__isnull=True)
                | Q(closes__isnull=True)
                | Q(closes__gt=models.F("opens")),
                name="itineraries_fact_hours_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.site)


class CityClimate(models.Model):
    """The mean daily maximum temperature of a city in a calendar month, with its source."""

    city = models.ForeignKey(
        "places.City", verbose_name=_("city"), on_delete=models.CASCADE, related_name="climate"
    )
    month = models.PositiveSmallIntegerField(_("month"))
    mean_max_c = models.DecimalField(_("mean maximum (°C)"), max_digits=4, decimal_places=1)
    source = models.TextField(_("source"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["city__name", "month"]
        verbose_name = _("city climate")
        verbose_name_plural = _("city climate")
        constraints = [
            models.UniqueConstraint(fields=["city", "month"], name="itineraries_climate_once"),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="itineraries_climate_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} {self.month}: {self.mean_max_c} °C"


class VehicleStop(models.Model):
    """At an occasion, vehicles are stopped `distance_km` outside `city` from `days_before`
    the occasion to `days_after` it: the last stretch into the city is a walk."""

    occasion = models.SlugField(_("occasion"), max_length=60, unique=True)
    city = models.ForeignKey("places.City", verbose_name=_("city"), on_delete=models.PROTECT)
    distance_km = models.DecimalField(_("distance (km)"), max_digits=4, decimal_places=1)
    days_before = models.PositiveSmallIntegerField(_("days before"))
    days_after = models.PositiveSmallIntegerField(_("days after"))
    source = models.TextField(_("source"))
    assumption = models.BooleanField(_("an assumption"), default=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["occasion"]
        verbose_name = _("vehicle stop")
        verbose_name_plural = _("vehicle stops")
        constraints = [
            models.CheckConstraint(
                condition=Q(distance_km__gt=0) & Q(distance_km__lte=50),
                name="itineraries_stop_distance",
            ),
            models.CheckConstraint(
                condition=Q(days_before__lte=30) & Q(days_after__lte=30),
                name="itineraries_stop_days",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occasion}: {self.distance_km} km"


class Circuit(models.Model):
    """The usual order of cities (and the usual sites) from an arrival airport."""

    airport = models.OneToOneField(
        "places.Airport", verbose_name=_("airport"), on_delete=models.CASCADE
    )
    cities = models.JSONField(_("cities in order"), default=list)
    sites = models.JSONField(_("usual sites"), default=list)
    source = models.TextField(_("source"))

    class Meta:
        ordering = ["airport__iata"]
        verbose_name = _("circuit")
        verbose_name_plural = _("circuits")

    def __str__(self) -> str:
        return f"{self.airport.iata}: {' → '.join(self.cities)}"


class Itinerary(models.Model):
    """A trip's plan. `plan` is `planner.codec` data; `broken_rule` is set when a later
    change (a Hijri month offset) makes the saved plan break a rule."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    trip = models.OneToOneField(
        "trips.Trip", verbose_name=_("trip"), on_delete=models.CASCADE, related_name="itinerary"
    )
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    arrival_at = models.DateTimeField(_("lands in Iraq at"))
    departure_at = models.DateTimeField(_("flies home at"))
    needs = models.CharField(
        _("needs profile"),
        max_length=12,
        choices=NeedsProfile.choices,
        default=NeedsProfile.STANDARD,
    )
    occasion = models.SlugField(_("occasion"), max_length=60, blank=True)
    stays = models.JSONField(_("stays"), default=list)
    wishes = models.JSONField(_("wished sites"), default=list)
    plan = models.JSONField(_("plan"), default=dict)
    version = models.PositiveIntegerField(default=1)
    broken_rule = models.CharField(_("broken rule"), max_length=30, blank=True)
    broken_message = models.TextField(_("why"), blank=True)
    broken_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["arrival_at"]
        verbose_name = _("itinerary")
        verbose_name_plural = _("itineraries")
        constraints = [
            models.CheckConstraint(
                condition=Q(departure_at__gt=models.F("arrival_at")),
                name="itineraries_times_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"itinerary of {self.trip_id}"
