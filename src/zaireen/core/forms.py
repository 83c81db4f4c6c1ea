"""Shared form plumbing: putting a service's refusal onto a Django form or into messages."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zaireen.core.errors import DomainError, ValidationFailed


def add_service_errors(form: forms.Form, error: ValidationFailed) -> None:
    """Show each reason next to its field; reasons for unknown fields go to the top."""
    for field, reasons in error.errors.items():
        target = field if field in form.fields else None
        for reason in reasons:
            form.add_error(target, reason)


def add_service_messages(request: HttpRequest, error: DomainError) -> None:
    """Show a refused action's reasons as messages, for actions posted from a page without a
    form of their own (a button): every reason of a `ValidationFailed`, else the message."""
    if isinstance(error, ValidationFailed):
        for reasons in error.errors.values():
            for reason in reasons:
                messages.error(request, reason)
    else:
        messages.error(request, error.message)


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Action starts with"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "zaireen.organiser"}),
    )
    actor = forms.CharField(
        label=_("By"), required=False, max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )  # fmt: skip
    q = forms.CharField(
        label=_("Object"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )  # fmt: skip
    organiser = forms.ModelChoiceField(
        label=_("Organiser"),
        required=False,
        queryset=None,
        to_field_name="uid",
        empty_label=_("All organisers"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, ministry: bool = False, **kwargs):
        from zaireen.organizers.models import Organiser

        super().__init__(*args, **kwargs)
        if ministry:
            self.fields["organiser"].queryset = Organiser.objects.order_by("legal_name")
        else:
            del self.fields["organiser"]
