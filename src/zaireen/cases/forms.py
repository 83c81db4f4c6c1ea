from django import forms
from django.utils.translation import gettext_lazy as _

from zaireen.cases.models import CaseState
from zaireen.cases.services import CaseInput
from zaireen.planning.poles import POLE_COUNT

TEXT = {"class": "form-control"}


class CaseFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False,
        choices=[("", _("Any state")), ("open", _("Open (not closed)")), *CaseState.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    trip = forms.ChoiceField(
        label=_("Trip"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={**TEXT, "type": "search"}),
    )  # fmt: skip

    def __init__(self, *args, trips=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trip"].choices = [("", _("Every trip")), *trips]


class CaseOpenForm(forms.Form):
    member = forms.ChoiceField(
        label=_("Who is missing"), widget=forms.Select(attrs={"class": "form-select"})
    )
    place = forms.CharField(
        label=_("Last seen at"), required=False, max_length=200,
        help_text=_("Empty: the last checkpoint where the member was counted."),
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    pole = forms.CharField(
        label=_("Pole number on the Najaf–Karbala road"), required=False, max_length=5,
        help_text=_("1 to %(n)d, if the person was on the walk.") % {"n": POLE_COUNT},
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}),
    )  # fmt: skip
    seen_at = forms.DateTimeField(
        label=_("Last seen (Baghdad time)"), required=False,
        widget=forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}),
    )  # fmt: skip
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000,
        help_text=_("Clothes, looks, languages spoken, anything that helps recognise them."),
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )  # fmt: skip
    needs = forms.CharField(
        label=_("Needs"), required=False, max_length=2000,
        help_text=_("Medicine, wheelchair, … Empty: taken from the profile."),
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )  # fmt: skip
    phone = forms.CharField(
        label=_("The person's phone"), required=False, max_length=30,
        help_text=_("Empty: the phone on the profile."),
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "tel"}),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )  # fmt: skip
    tell_next_of_kin = forms.BooleanField(
        label=_("Tell the next of kin of each step (SMS)"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )  # fmt: skip
    request_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, members=(), leader=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [
            ("", _("Choose a member")),
            *((str(m.uid), f"{m.trip.code} · {m.profile.full_name}") for m in members),
        ]
        if leader:  # the organiser decides about the next of kin
            del self.fields["tell_next_of_kin"]

    def to_input(self) -> CaseInput:
        data = self.cleaned_data
        return CaseInput(
            description=data["description"],
            needs=data["needs"],
            phone=data["phone"],
            pole=data["pole"] or None,
            place=data["place"],
            seen_at=data["seen_at"],
            tell_next_of_kin=data.get("tell_next_of_kin", False),
            note=data["note"],
        )


class CaseUpdateForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Next state"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )  # fmt: skip
    place = forms.CharField(
        label=_("Place"), required=False, max_length=200, widget=forms.TextInput(attrs=TEXT)
    )
    pole = forms.CharField(
        label=_("Pole number"), required=False, max_length=5,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}),
    )  # fmt: skip
    request_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, states=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("", _("No change (a note)")),
            *((s, CaseState(s).label) for s in states),
        ]
