"""Forms of the incidents pages. They parse; the services decide what is valid."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zaireen.core.models import AccessReason
from zaireen.incidents.models import IncidentKind, IncidentStatus, Severity, SosReason
from zaireen.incidents.services import IncidentInput
from zaireen.places.models import City
from zaireen.trips.models import Holder

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
CHECKS = {"class": "form-check-input"}


class IncidentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={**TEXT, "type": "search"}),
    )  # fmt: skip
    kind = forms.ChoiceField(
        label=_("Kind"), required=False,
        choices=[("", _("All kinds")), *IncidentKind.choices],
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Open and closed")), *IncidentStatus.choices],
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    severity = forms.ChoiceField(
        label=_("Severity"), required=False,
        choices=[("", _("Any severity")), *Severity.choices],
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class TripChoiceForm(forms.Form):
    trip = forms.ChoiceField(label=_("Trip"), widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, trips=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trip"].choices = [(str(t.uid), f"{t.code} · {t.title}") for t in trips]


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=IncidentKind.choices, widget=forms.Select(attrs=SELECT)
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, widget=forms.Select(attrs=SELECT)
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"},
                                   format="%Y-%m-%dT%H:%M"),
    )  # fmt: skip
    city = forms.ChoiceField(label=_("City"), required=False, widget=forms.Select(attrs=SELECT))
    place = forms.CharField(
        label=_("Place"), required=False, max_length=200,
        help_text=_("A road, a hotel, a hospital, a checkpoint…"),
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    pole = forms.CharField(
        label=_("Pole number"), required=False, max_length=6,
        help_text=_("On the Najaf–Karbala walk: the number on the nearest lamp pole."),
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}),
    )  # fmt: skip
    members = forms.MultipleChoiceField(
        label=_("Members involved"), required=False,
        help_text=_("For a stranding, none chosen means every member not yet home."),
        widget=forms.CheckboxSelectMultiple(attrs=CHECKS),
    )  # fmt: skip
    vehicles = forms.MultipleChoiceField(
        label=_("Vehicles involved"), required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHECKS),
    )  # fmt: skip
    description = forms.CharField(
        label=_("What happened"), max_length=4000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
    )  # fmt: skip

    def __init__(self, *args, members=(), vehicles=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Iraq first, where most incidents happen; then Pakistan and Iran (airports, borders).
        order = {"IQ": 0, "PK": 1, "IR": 2}
        cities = sorted(City.objects.all(), key=lambda c: (order.get(c.country, 3), c.name))
        self.fields["city"].choices = [("", "—")] + [
            (c.slug, f"{c.name} ({c.get_country_display()})") for c in cities
        ]
        self.fields["members"].choices = [
            (str(m.uid), f"{m.profile.full_name} ({m.get_role_display()})") for m in members
        ]
        self.fields["vehicles"].choices = [
            (str(v.uid), f"{v.get_kind_display()} {v.plate} · {v.leg.from_city.name} → "
                         f"{v.leg.to_city.name} ({v.leg.date:%d %b})")
            for v in vehicles
        ]  # fmt: skip
        if not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def to_input(self) -> IncidentInput:
        data = self.cleaned_data
        return IncidentInput(
            kind=data["kind"],
            severity=data["severity"],
            occurred_at=data["occurred_at"],
            description=data["description"],
            city=data["city"],
            place=data["place"],
            pole=data["pole"] or None,
            members=tuple(data["members"]),
            vehicles=tuple(data["vehicles"]),
        )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Add a note"), max_length=4000, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("How it ended"), max_length=4000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )  # fmt: skip


class ReasonForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why you need the manifest"), choices=AccessReason.choices,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip


YES_NO = [("", _("Not asked yet")), ("yes", _("Yes")), ("no", _("No"))]


class CensusCheckForm(forms.Form):
    has_medicine = forms.ChoiceField(
        label=_("Medicine"), choices=YES_NO, required=False, widget=forms.RadioSelect
    )
    has_money = forms.ChoiceField(
        label=_("Money"), choices=YES_NO, required=False, widget=forms.RadioSelect
    )
    has_ticket = forms.ChoiceField(
        label=_("Ticket home"), choices=YES_NO, required=False, widget=forms.RadioSelect
    )
    passport_holder = forms.ChoiceField(
        label=_("Passport held by"), choices=[("", "—"), *Holder.choices], required=False,
        widget=forms.Select(attrs={**SELECT, "class": "form-select form-select-sm"}),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note"), required=False, max_length=300,
        widget=forms.TextInput(
            attrs={**TEXT, "class": "form-control form-control-sm", "placeholder": _("Note")}
        ),
    )  # fmt: skip


class CensusMessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message to every stranded pilgrim"), max_length=480,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3, "maxlength": 480}),
    )  # fmt: skip
    language = forms.ChoiceField(
        label=_("Language of the greeting"), choices=[("ur", "اردو"), ("en", "English")],
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip


class SosForm(forms.Form):
    """The SOS button's form when the phone has no JavaScript: reason and a short message."""

    client_uid = forms.UUIDField(widget=forms.HiddenInput)
    member = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("What is wrong"), choices=SosReason.choices, widget=forms.Select(attrs=SELECT)
    )
    note = forms.CharField(
        label=_("Message (optional)"), required=False, max_length=300,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip


class SosCloseForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=300,
                           widget=forms.TextInput(attrs=TEXT))  # fmt: skip
