from django import forms
from django.utils.translation import gettext_lazy as _

from zaireen.core.models import AccessReason


class ReasonForm(forms.Form):
    """Why an official reads personal data; the answer goes into the access log."""

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=AccessReason.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class CardCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Card code"),
        max_length=20,
        help_text=_("The eight letters and digits printed beside the QR code."),
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg font-monospace",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )


class RevokeForm(forms.Form):
    code = forms.CharField(
        label=_("Card code"),
        max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm font-monospace"}),
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
