import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from zaireen.planning import hijri, poles
from zaireen.planning.services import month_field

TEXT = {"class": "form-control"}
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


class MonthForm(forms.Form):
    """`?month=2026-08`: a Gregorian month the calendar covers; a bad value is ignored."""

    month = forms.CharField(max_length=7, required=False)

    def first_day(self, default: dt.date) -> dt.date:
        if not self.is_valid():
            return default
        match = MONTH_PATTERN.match(self.cleaned_data["month"] or "")
        if not match or not 1 <= int(match[2]) <= 12:
            return default
        first = dt.date(int(match[1]), int(match[2]), 1)
        if not hijri.FIRST_DAY <= first <= hijri.LAST_DAY.replace(day=1):
            return default
        return max(first, hijri.FIRST_DAY)


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Hijri year"),
        min_value=hijri.MIN_YEAR,
        max_value=hijri.MAX_YEAR,
        widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
    )


# Days after Umm al-Qura's first day of the month; the page explains the sign.
OFFSET_CHOICES = [
    (str(days), f"{days:+d}" if days else "0")
    for days in range(-hijri.MAX_OFFSET_DAYS, hijri.MAX_OFFSET_DAYS + 1)
]


class OffsetYearForm(forms.Form):
    """The 12 months of one Hijri year, each with its offset, and one reason for the change.

    Fields are named like the service's errors ("1448-02"), so a month the change would make
    impossible gets its message next to it.
    """

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
        help_text=_("Who announced the moon sighting, and when. Everyone sees this reason."),
    )
    confirm = forms.BooleanField(
        label=_("I confirm: every date of these months moves, and saved plans are re-checked"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, year: int, current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.current = current
        for month in range(1, 13):
            self.fields[month_field(year, month)] = forms.TypedChoiceField(
                label=hijri.month_name(month),
                choices=OFFSET_CHOICES,
                coerce=int,
                initial=str(current.get(month, 0)),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def month_fields(self):
        return [self[month_field(self.year, month)] for month in range(1, 13)]

    def changes(self) -> dict[tuple[int, int], int]:
        """The months whose offset differs from the one in force."""
        return {
            (self.year, month): self.cleaned_data[month_field(self.year, month)]
            for month in range(1, 13)
            if self.cleaned_data[month_field(self.year, month)] != self.current.get(month, 0)
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.changes():
            raise forms.ValidationError(_("No offset is changed."))
        return cleaned


class PoleForm(forms.Form):
    pole = forms.IntegerField(
        label=_("Pole number"),
        min_value=1,
        max_value=poles.POLE_COUNT,
        widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
    )


class PositionForm(forms.Form):
    lat = forms.FloatField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={**TEXT, "step": "any", "inputmode": "decimal"}),
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={**TEXT, "step": "any", "inputmode": "decimal"}),
    )
