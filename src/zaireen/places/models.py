"""Reference geography: cities, holy sites and their capacity zones, airports, border
crossings and road legs. Loaded from the data files in `places/data/` (see `loader`), every
row with its source; a position that is not precisely sourced is flagged `approximate` with
a note on how it was placed."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    IRAQ = "IQ", _("Iraq")
    PAKISTAN = "PK", _("Pakistan")
    IRAN = "IR", _("Iran")


def _valid_position(prefix: str = "") -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(lat__gte=-90) & Q(lat__lte=90) & Q(lon__gte=-180) & Q(lon__lte=180),
            name=f"%(app_label)s_%(class)s_{prefix}position_valid",
        )
    ]


class Sourced(models.Model):
    """Where a row's facts come from, and whether its position is only approximate."""

    source = models.TextField(_("source"), help_text=_("URL(s) the facts come from"))
    approximate = models.BooleanField(_("approximate position"), default=False)
    placement = models.TextField(
        _("how it was placed"),
        blank=True,
        help_text=_("For an approximate position: how it was derived."),
    )

    class Meta:
        abstract = True


class City(Sourced):
    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    timezone = models.CharField(_("time zone"), max_length=40)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = _valid_position()

    def __str__(self) -> str:
        return self.name


class Site(Sourced):
    class Kind(models.TextChoices):
        SHRINE = "shrine", _("Shrine")
        MOSQUE = "mosque", _("Mosque")
        CEMETERY = "cemetery", _("Cemetery")
        HOUSE = "house", _("House")
        MAQAM = "maqam", _("Maqam")
        TOMB = "tomb", _("Tomb")
        AREA = "area", _("Open area")
        TRANSPORT = "transport", _("Transport hub")

    slug = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="sites"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    area_m2 = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)
    area_source = models.TextField(_("source of the area"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["city__name", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = _valid_position()

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    """A capacity-limited area of a site: what crowd scheduling books time slots in."""

    slug = models.SlugField(_("key"), max_length=80, unique=True)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="zones"
    )
    name = models.CharField(_("name"), max_length=200)
    area_m2 = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["site__name", "name"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")

    def __str__(self) -> str:
        return f"{self.site}: {self.name}"


class Airport(models.Model):
    iata = models.CharField(_("IATA code"), max_length=3, unique=True)
    icao = models.CharField(_("ICAO code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=200)
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="airports"
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    source = models.TextField(_("source"))

    class Meta:
        ordering = ["city__country", "iata"]
        verbose_name = _("airport")
        verbose_name_plural = _("airports")
        constraints = _valid_position()

    def __str__(self) -> str:
        return f"{self.iata} {self.name}"


class BorderCrossing(Sourced):
    slug = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    other_country = models.CharField(_("other side"), max_length=2, choices=Country.choices)
    city = models.ForeignKey(
        City,
        verbose_name=_("nearest city"),
        on_delete=models.PROTECT,
        related_name="crossings",
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("border crossing")
        verbose_name_plural = _("border crossings")
        constraints = [
            *_valid_position(),
            models.CheckConstraint(
                condition=~Q(country=models.F("other_country")),
                name="places_crossing_two_countries",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RoadLeg(models.Model):
    """A sourced road distance (and, where published, drive time) between two cities.

    Stored once per pair with `from_city` before `to_city` by key, and read both ways."""

    from_city = models.ForeignKey(
        City, verbose_name=_("from"), on_delete=models.PROTECT, related_name="legs_out"
    )
    to_city = models.ForeignKey(
        City, verbose_name=_("to"), on_delete=models.PROTECT, related_name="legs_in"
    )
    distance_km = models.FloatField(_("distance (km)"))
    drive_minutes = models.PositiveIntegerField(_("drive time (minutes)"), null=True, blank=True)
    source = models.TextField(_("source"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["from_city__name", "to_city__name"]
        verbose_name = _("road leg")
        verbose_name_plural = _("road legs")
        constraints = [
            models.UniqueConstraint(fields=["from_city", "to_city"], name="places_leg_unique"),
            models.CheckConstraint(
                condition=~Q(from_city=models.F("to_city")), name="places_leg_two_cities"
            ),
            models.CheckConstraint(condition=Q(distance_km__gt=0), name="places_leg_distance"),
        ]

    def __str__(self) -> str:
        return f"{self.from_city} – {self.to_city}"
