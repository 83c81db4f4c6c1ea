from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".xlsx,.csv,.txt,.tsv"}
        ),
    )


class CommitForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read the preview; register the valid rows."),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
