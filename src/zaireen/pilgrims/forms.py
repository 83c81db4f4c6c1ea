from django import forms
from django.utils.translation import gettext_lazy as _

from zaireen.core.errors import ValidationFailed
from zaireen.pilgrims.models import BloodGroup, Sex
from zaireen.pilgrims.photos import photo_check_size
from zaireen.pilgrims.validation import PilgrimInput

TEXT = {"class": "form-control"}
DATE = {"class": "form-control", "type": "date"}


class PilgrimForm(forms.Form):
    """The shape of the pilgrim form; the rules live in `validation.check_pilgrim`."""

    mrz = forms.CharField(
        label=_("Machine-readable zone (the two lines at the bottom of the passport)"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2, "class": "form-control font-monospace",
                                     "spellcheck": "false", "autocapitalize": "characters"}),
    )  # fmt: skip
    surname = forms.CharField(
        label=_("Surname (as in the passport)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    given_names = forms.CharField(
        label=_("Given names (as in the passport)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    name_urdu = forms.CharField(
        label=_("Name in Urdu"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "dir": "rtl", "lang": "ur"}),
    )
    home_city = forms.CharField(
        label=_("Home city"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    guardian_name = forms.CharField(
        label=_("Father's or husband's name"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    cnic = forms.CharField(
        label=_("CNIC"),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={**TEXT, "inputmode": "numeric", "placeholder": "35202-1234567-1"}
        ),
    )
    passport_number = forms.CharField(
        label=_("Passport number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    passport_issuing_state = forms.CharField(
        label=_("Issuing state"),
        max_length=10,
        required=False,
        initial="PAK",
        widget=forms.TextInput(attrs=TEXT),
    )
    passport_expiry = forms.DateField(
        label=_("Passport expiry"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", "—"), *Sex.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "tel"}),
    )
    next_of_kin_name = forms.CharField(
        label=_("Next of kin"), max_length=300, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    next_of_kin_relation = forms.CharField(
        label=_("Relation"), max_length=100, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    next_of_kin_phone = forms.CharField(
        label=_("Next of kin's phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "tel"}),
    )
    blood_group = forms.ChoiceField(
        label=_("Blood group"),
        required=False,
        choices=BloodGroup.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    needs_wheelchair = forms.BooleanField(
        label=_("Needs a wheelchair"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    needs_elderly_care = forms.BooleanField(
        label=_("Elderly, needs help"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    medical_notes = forms.CharField(
        label=_("Medical notes (kept encrypted)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )

    def to_input(self) -> PilgrimInput:
        data = {name: value for name, value in self.cleaned_data.items() if value is not None}
        return PilgrimInput(**data)


class PilgrimSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, CNIC or passport number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={**TEXT, "type": "search", "autocomplete": "off"}),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("A JPEG, PNG or WebP of the face; it is made small for weak signals."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        try:
            photo_check_size(photo.size)
        except ValidationFailed as refused:
            raise forms.ValidationError(refused.errors["photo"]) from None
        return photo
