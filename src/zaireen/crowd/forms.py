"""Forms of the crowd pages. They parse; the services decide (and name the field at fault)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zaireen.crowd.models import DEFAULT_DENSITY, GroupKind
from zaireen.crowd.services import MAX_DAYS_AROUND, MAX_TIME_LIMIT, SLOT_MINUTES
from zaireen.planning import hijri

IRAQ = zoneinfo.ZoneInfo("Asia/Baghdad")
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
NUMBER = {"class": "form-control", "inputmode": "decimal"}


class IraqDateTimeField(forms.DateTimeField):
    """A date and time typed in Iraq's time (Asia/Baghdad), whatever the user's zone."""

    widget = forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        result = super().to_python(value)
        if result is None:
            return None
        if timezone.is_aware(result):
            result = timezone.make_naive(result, IRAQ)
        return result.replace(tzinfo=IRAQ)

    def prepare_value(self, value):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return value.astimezone(IRAQ).strftime("%Y-%m-%dT%H:%M")
        return value


class PlanForm(forms.Form):
    occasion = forms.ChoiceField(label=_("Occasion"), widget=forms.Select(attrs=SELECT))
    hijri_year = forms.IntegerField(
        label=_("Hijri year"),
        min_value=hijri.MIN_YEAR,
        max_value=hijri.MAX_YEAR,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    days_before = forms.IntegerField(
        label=_("Days before"),
        min_value=0,
        max_value=MAX_DAYS_AROUND,
        initial=1,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    days_after = forms.IntegerField(
        label=_("Days after"),
        min_value=0,
        max_value=MAX_DAYS_AROUND,
        initial=1,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    slot_minutes = forms.TypedChoiceField(
        label=_("Slot length (minutes)"),
        coerce=int,
        initial=15,
        choices=[(m, str(m)) for m in SLOT_MINUTES],
        widget=forms.Select(attrs=SELECT),
    )
    request_deadline = IraqDateTimeField(
        label=_("Deadline for requests (Iraq time)"),
        help_text=_(
            "Organisers submit their requests before it; later ones are booked from "
            "what is left after publication."
        ),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occasion"].choices = [(o.key, o.name) for o in hijri.load_occasions()]


class DeadlineForm(forms.Form):
    request_deadline = IraqDateTimeField(label=_("Deadline for requests (Iraq time)"))


class CapacityForm(forms.Form):
    usable_area_m2 = forms.IntegerField(
        label=_("Usable area (m²)"),
        min_value=1,
        required=False,
        help_text=_("Leave empty to take the zone out of this plan."),
        widget=forms.NumberInput(attrs=NUMBER),
    )
    density = forms.DecimalField(
        label=_("Planning density (persons/m²)"),
        max_digits=3,
        decimal_places=2,
        initial=DEFAULT_DENSITY,
        help_text=_("2 is the default; never above 4, where crowds turn dangerous."),
        widget=forms.NumberInput(attrs={**NUMBER, "step": "0.01", "min": "0.01", "max": "4"}),
    )
    margin_pct = forms.IntegerField(
        label=_("Margin for visitors outside the system (%)"),
        min_value=0,
        max_value=90,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    dwell_minutes = forms.IntegerField(
        label=_("Typical dwell time (minutes)"),
        min_value=1,
        max_value=720,
        help_text=_("A visit takes this long, rounded up to whole slots."),
        widget=forms.NumberInput(attrs=NUMBER),
    )
    quota_pct = forms.DecimalField(
        label=_("Quota granted to the system (% of the limit)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        help_text=_("The host authority's share for Pakistani groups, in every slot."),
        widget=forms.NumberInput(attrs={**NUMBER, "step": "0.01"}),
    )


class QuotaRangeForm(forms.Form):
    first_at = IraqDateTimeField(label=_("From (Iraq time)"))
    last_at = IraqDateTimeField(label=_("Until (Iraq time)"))
    share_pct = forms.DecimalField(
        label=_("Share (% of the limit)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={**NUMBER, "step": "0.01"}),
    )


class SolveForm(forms.Form):
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=1,
        max_value=MAX_TIME_LIMIT,
        initial=20,
        widget=forms.NumberInput(attrs=NUMBER),
    )


class FlagsClearForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the slots stand"),
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )


class GroupForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=GroupKind.choices, widget=forms.Select(attrs=SELECT)
    )
    vehicle = forms.ChoiceField(
        label=_("Vehicle"), required=False, widget=forms.Select(attrs=SELECT)
    )
    leader = forms.ChoiceField(label=_("Leader"), required=False, widget=forms.Select(attrs=SELECT))
    size = forms.IntegerField(
        label=_("People (a sub-group)"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("A vehicle's group is the passengers seated in it."),
        widget=forms.NumberInput(attrs=NUMBER),
    )
    label = forms.CharField(
        label=_("Name"), max_length=80, required=False, widget=forms.TextInput(attrs=TEXT)
    )

    def __init__(self, *args, vehicles=(), leaders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].choices = [("", "—")] + [
            (str(v.uid), f"{v} · {v.leg}") for v in vehicles
        ]
        self.fields["leader"].choices = [("", "—")] + [
            (str(m.uid), m.profile.full_name) for m in leaders
        ]


class RequestForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"), widget=forms.Select(attrs=SELECT))
    zone = forms.ChoiceField(label=_("Zone"), widget=forms.Select(attrs=SELECT))
    preferred_at = IraqDateTimeField(label=_("Preferred start (Iraq time)"))
    earliest_at = IraqDateTimeField(label=_("Earliest start"), required=False)
    latest_at = IraqDateTimeField(label=_("Latest start"), required=False)

    def __init__(self, *args, groups=(), zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [
            (str(g.uid), f"{g.trip.code} · {g.label} ({g.size})") for g in groups
        ]
        self.fields["zone"].choices = [(c.zone.slug, str(c.zone)) for c in zones]


class ImportForm(forms.Form):
    trip = forms.ChoiceField(label=_("Trip"), widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, trips=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trip"].choices = [(str(t.uid), f"{t.code} · {t.title}") for t in trips]


class StartForm(forms.Form):
    start = forms.IntegerField(min_value=0, required=False)
