"""Forms of the itineraries pages. Times are typed in Iraq's clock (Asia/Baghdad)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from zaireen.itineraries.models import NeedsProfile
from zaireen.itineraries.selectors import IRAQ_TZ
from zaireen.itineraries.services import PlanData
from zaireen.places.models import City

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
LOCAL = "%Y-%m-%dT%H:%M"
STAY_ROWS = 5


def iraq_time(value: dt.datetime | None) -> dt.datetime | None:
    """A naive time typed in Iraq's clock, made aware."""
    if value is None:
        return None
    return value.replace(tzinfo=None).replace(tzinfo=zoneinfo.ZoneInfo(IRAQ_TZ))


def _local_input(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(zoneinfo.ZoneInfo(IRAQ_TZ)).strftime(LOCAL)


class LocalDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format=LOCAL)

    def __init__(self, **kwargs):
        super().__init__(input_formats=[LOCAL, "%Y-%m-%d %H:%M"], **kwargs)

    def to_python(self, value):
        parsed = super().to_python(value)
        return iraq_time(parsed)

    def prepare_value(self, value):
        if isinstance(value, dt.datetime):
            return _local_input(value)
        return value


class PlanForm(forms.Form):
    arrival_at = LocalDateTimeField(
        label=_("Lands in Iraq at (Iraq time)"),
        help_text=_("From the flight's schedule; 10:00 until you set it."),
    )
    departure_at = LocalDateTimeField(
        label=_("Flight home leaves at (Iraq time)"),
        help_text=_("From the flight's schedule; 18:00 until you set it."),
    )
    needs = forms.ChoiceField(
        label=_("Needs profile"),
        choices=NeedsProfile.choices,
        widget=forms.Select(attrs=SELECT),
        help_text=_("Sets the most outdoor walking a day: see the rules below."),
    )
    occasion = forms.ChoiceField(
        label=_("Occasion to be in a city for"), required=False, widget=forms.Select(attrs=SELECT)
    )
    wishes = forms.MultipleChoiceField(
        label=_("Sites to visit"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("In the order of the list when not all fit."),
    )

    def __init__(self, *args, sites=(), occasions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wishes"].choices = [(s.slug, f"{s.name} ({s.city.name})") for s in sites]
        self.fields["occasion"].choices = [("", _("None")), *occasions]
        cities = [("", "—")] + [
            (c.slug, c.name)
            for c in City.objects.filter(country="IQ", sites__isnull=False)
            .distinct()
            .order_by("name")
        ]
        for i in range(STAY_ROWS):
            self.fields[f"stay_city_{i}"] = forms.ChoiceField(
                label=_("City"), choices=cities, required=False, widget=forms.Select(attrs=SELECT)
            )
            self.fields[f"stay_nights_{i}"] = forms.IntegerField(
                label=_("Nights"),
                min_value=1,
                max_value=60,
                required=False,
                widget=forms.NumberInput(attrs=TEXT),
            )
            self.fields[f"stay_hotel_{i}"] = forms.CharField(
                label=_("Hotel"),
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs=TEXT),
            )

    def stay_rows(self):
        return [
            (self[f"stay_city_{i}"], self[f"stay_nights_{i}"], self[f"stay_hotel_{i}"])
            for i in range(STAY_ROWS)
        ]

    def to_data(self) -> PlanData:
        c = self.cleaned_data
        stays = tuple(
            (c[f"stay_city_{i}"], c[f"stay_nights_{i}"], c[f"stay_hotel_{i}"])
            for i in range(STAY_ROWS)
            if c.get(f"stay_city_{i}")
        )
        return PlanData(
            arrival_at=c["arrival_at"],
            departure_at=c["departure_at"],
            stays=stays,
            wishes=tuple(c["wishes"]),
            needs=c["needs"],
            occasion=c.get("occasion") or "",
        )


def plan_initial(values: dict) -> dict:
    initial = {k: values[k] for k in ("arrival_at", "departure_at", "needs", "occasion")}
    initial["wishes"] = list(values["wishes"])
    for i, (city, nights, hotel) in enumerate(values["stays"][:STAY_ROWS]):
        initial.update(
            {f"stay_city_{i}": city, f"stay_nights_{i}": nights, f"stay_hotel_{i}": hotel}
        )
    return initial


class EditForm(forms.Form):
    op = forms.ChoiceField(choices=[("move", "move"), ("add", "add"), ("remove", "remove")])
    item = forms.CharField(max_length=40, required=False)
    site = forms.CharField(max_length=80, required=False)
    start = LocalDateTimeField(label=_("New time (Iraq time)"), required=False)
    minutes = forms.IntegerField(min_value=1, max_value=24 * 60, required=False)


class SiteFactForm(forms.Form):
    visit_minutes = forms.IntegerField(
        label=_("Typical visit (minutes)"),
        min_value=5,
        max_value=600,
        widget=forms.NumberInput(attrs=TEXT),
    )
    duration_source = forms.CharField(
        label=_("Source of the duration"),
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )
    hours = forms.CharField(
        label=_("Opening hours"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("“24h”, “05:00-22:00”, or empty for the stated default."),
    )
    hours_source = forms.CharField(
        label=_("Source of the opening hours"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )
    outdoor = forms.BooleanField(
        label=_("Outdoor visit (heat and walking rules apply)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    name_ur = forms.CharField(
        label=_("Name in Urdu"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "dir": "rtl", "lang": "ur"}),
    )


class ClimateForm(forms.Form):
    source = forms.CharField(
        label=_("Source"), max_length=2000, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for month in range(1, 13):
            self.fields[f"m{month}"] = forms.DecimalField(
                label=dt.date(2000, month, 1).strftime("%b"),
                max_digits=4,
                decimal_places=1,
                min_value=-30,
                max_value=60,
                widget=forms.NumberInput(attrs={**TEXT, "step": "0.1"}),
            )

    def month_fields(self):
        return [self[f"m{m}"] for m in range(1, 13)]


class VehicleStopForm(forms.Form):
    city = forms.ChoiceField(label=_("City"), widget=forms.Select(attrs=SELECT))
    distance_km = forms.DecimalField(
        label=_("Vehicles stopped this far out (km)"),
        max_digits=4,
        decimal_places=1,
        min_value=0.1,
        max_value=50,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.5"}),
    )
    days_before = forms.IntegerField(
        label=_("From this many days before"),
        min_value=0,
        max_value=30,
        widget=forms.NumberInput(attrs=TEXT),
    )
    days_after = forms.IntegerField(
        label=_("Until this many days after"),
        min_value=0,
        max_value=30,
        widget=forms.NumberInput(attrs=TEXT),
    )
    source = forms.CharField(
        label=_("Source"), max_length=2000, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )
    assumption = forms.BooleanField(
        label=_("An assumption (not a published figure)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = list(
            City.objects.filter(country="IQ").order_by("name").values_list("slug", "name")
        )


class CircuitForm(forms.Form):
    cities = forms.CharField(
        label=_("Cities in order (keys, comma-separated)"),
        max_length=500,
        widget=forms.TextInput(attrs=TEXT),
    )
    sites = forms.CharField(
        label=_("Usual sites (keys, comma-separated)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )
    source = forms.CharField(
        label=_("Source"), max_length=2000, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )
