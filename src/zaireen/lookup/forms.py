from django import forms
from django.utils.translation import gettext_lazy as _

from zaireen.core.models import AccessReason
from zaireen.lookup.selectors import LookupQuery
from zaireen.pilgrims.models import Sex

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class LookupForm(forms.Form):
    """The shape of the look-up form; the rules live in `selectors.lookup_criteria`."""

    name = forms.CharField(
        label=_("Name (any spelling)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off", "autofocus": True}),
    )
    birth_year = forms.IntegerField(
        label=_("Birth year (±1)"),
        required=False,
        min_value=1900,
        max_value=2100,
        widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
    )
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", "—"), *Sex.choices],
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    home_city = forms.CharField(
        label=_("Home city"), required=False, max_length=100, widget=forms.TextInput(attrs=TEXT)
    )
    cnic = forms.CharField(
        label=_("CNIC"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric", "autocomplete": "off"}),
    )
    passport_number = forms.CharField(
        label=_("Passport number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    issuing_state = forms.CharField(
        label=_("Issuing state"),
        required=False,
        max_length=10,
        initial="PAK",
        widget=forms.TextInput(attrs=TEXT),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "tel", "autocomplete": "off"}),
    )
    trip_code = forms.CharField(
        label=_("Trip code"), required=False, max_length=30, widget=forms.TextInput(attrs=TEXT)
    )
    reason = forms.ChoiceField(
        label=_("Reason for the look-up (recorded)"),
        choices=[("", "—"), *AccessReason.choices],
        error_messages={"required": _("choose a reason from the list")},
        widget=forms.Select(attrs=SELECT),
    )
    note = forms.CharField(
        label=_("Note for the access log (case, caller)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs=TEXT),
    )

    def to_query(self) -> LookupQuery:
        data = self.cleaned_data
        return LookupQuery(
            reason=data["reason"],
            name=data["name"],
            cnic=data["cnic"],
            passport_number=data["passport_number"],
            issuing_state=data["issuing_state"] or "PAK",
            phone=data["phone"],
            trip_code=data["trip_code"],
            birth_year=data["birth_year"],
            sex=data["sex"],
            home_city=data["home_city"],
            note=data["note"],
        )
