from django import forms
from django.utils.translation import gettext_lazy as _

from zaireen.organizers.models import LicenceStatus
from zaireen.places.models import City

TEXT = {"class": "form-control"}


class OrganiserForm(forms.Form):
    legal_name = forms.CharField(
        label=_("Legal name"), max_length=200, widget=forms.TextInput(attrs=TEXT)
    )
    trade_name = forms.CharField(
        label=_("Trade name"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    licence_number = forms.CharField(
        label=_("Licence number"), max_length=40, widget=forms.TextInput(attrs=TEXT)
    )
    head_office_city = forms.ModelChoiceField(
        label=_("Head office city"),
        queryset=City.objects.filter(country="PK").order_by("name"),
        to_field_name="slug",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, widget=forms.TextInput(attrs=TEXT))
    email = forms.CharField(label=_("Email"), max_length=254, widget=forms.EmailInput(attrs=TEXT))


class OrganiserFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={**TEXT, "type": "search", "placeholder": _("Name or licence number")}
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *LicenceStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    city = forms.ModelChoiceField(
        label=_("City"),
        required=False,
        queryset=City.objects.filter(country="PK").order_by("name"),
        to_field_name="slug",
        empty_label=_("All cities"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(choices=LicenceStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
        help_text=_("The organiser's staff see this reason."),
    )
    effective_date = forms.DateField(
        label=_("Decision date"),
        required=False,
        widget=forms.DateInput(attrs={**TEXT, "type": "date"}),
    )
    valid_from = forms.DateField(
        label=_("Licence valid from"),
        required=False,
        widget=forms.DateInput(attrs={**TEXT, "type": "date"}),
    )
    valid_until = forms.DateField(
        label=_("Licence valid until"),
        required=False,
        widget=forms.DateInput(attrs={**TEXT, "type": "date"}),
    )
    confirm = forms.BooleanField(
        label=_("I confirm this decision"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class LicenceCheckForm(forms.Form):
    q = forms.CharField(
        label=_("Licence number or organiser name"),
        min_length=2,
        max_length=100,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-lg", "type": "search", "autofocus": True}
        ),
    )
