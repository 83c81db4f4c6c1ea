from django import forms
from django.utils.translation import gettext_lazy as _

from zaireen.places.models import Airport, City
from zaireen.trips.models import MemberRole, VisaStatus
from zaireen.trips.services import HotelInput, TripInput

TEXT = {"class": "form-control"}
DATE = {"class": "form-control", "type": "date"}
SELECT = {"class": "form-select"}
HOTEL_ROWS = 4


def _airports(country: str):
    return forms.ModelChoiceField(
        queryset=Airport.objects.filter(city__country=country).order_by("iata"),
        to_field_name="iata",
        widget=forms.Select(attrs=SELECT),
    )


class TripForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    code = forms.CharField(
        label=_("Code"),
        max_length=30,
        required=False,
        help_text=_("Left empty, one is made from your name and the year."),
        widget=forms.TextInput(attrs=TEXT),
    )
    departure_date = forms.DateField(label=_("Departure"), widget=forms.DateInput(attrs=DATE))
    return_date = forms.DateField(label=_("Return"), widget=forms.DateInput(attrs=DATE))
    outbound_from = _airports("PK")
    outbound_to = _airports("IQ")
    outbound_flight = forms.CharField(
        label=_("Outbound flight"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    return_from = _airports("IQ")
    return_to = _airports("PK")
    return_flight = forms.CharField(
        label=_("Return flight"), max_length=20, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=1, widget=forms.NumberInput(attrs=TEXT)
    )
    price_pkr = forms.IntegerField(
        label=_("Package price (PKR)"), min_value=0, widget=forms.NumberInput(attrs=TEXT)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outbound_from"].label = _("Flies out from")
        self.fields["outbound_to"].label = _("Lands in Iraq at")
        self.fields["return_from"].label = _("Flies home from")
        self.fields["return_to"].label = _("Lands home at")
        cities = City.objects.filter(country="IQ", sites__isnull=False).distinct().order_by("name")
        for i in range(HOTEL_ROWS):
            self.fields[f"hotel_{i}_city"] = forms.ModelChoiceField(
                label=_("City"), queryset=cities, to_field_name="slug", required=False,
                widget=forms.Select(attrs=SELECT),
            )  # fmt: skip
            self.fields[f"hotel_{i}_name"] = forms.CharField(
                label=_("Hotel"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
            )
            self.fields[f"hotel_{i}_nights"] = forms.IntegerField(
                label=_("Nights"), min_value=1, required=False,
                widget=forms.NumberInput(attrs=TEXT),
            )  # fmt: skip

    def hotel_rows(self):
        return [
            (self[f"hotel_{i}_city"], self[f"hotel_{i}_name"], self[f"hotel_{i}_nights"])
            for i in range(HOTEL_ROWS)
        ]

    def to_input(self) -> TripInput:
        d = self.cleaned_data
        hotels = tuple(
            HotelInput(
                city=d[f"hotel_{i}_city"].slug if d.get(f"hotel_{i}_city") else "",
                name=d.get(f"hotel_{i}_name") or "",
                nights=d.get(f"hotel_{i}_nights") or 0,
            )
            for i in range(HOTEL_ROWS)
            if d.get(f"hotel_{i}_name")
        )
        return TripInput(
            title=d["title"],
            code=d.get("code", ""),
            departure_date=d["departure_date"],
            return_date=d["return_date"],
            outbound_from=d["outbound_from"].iata,
            outbound_to=d["outbound_to"].iata,
            outbound_flight=d.get("outbound_flight", ""),
            return_from=d["return_from"].iata,
            return_to=d["return_to"].iata,
            return_flight=d.get("return_flight", ""),
            capacity=d["capacity"],
            price_pkr=d["price_pkr"],
            hotels=hotels,
        )


def trip_initial(trip) -> dict:
    initial = {
        name: getattr(trip, name)
        for name in ("title", "code", "departure_date", "return_date", "outbound_flight",
                     "return_flight", "capacity", "price_pkr")
    }  # fmt: skip
    for name in ("outbound_from", "outbound_to", "return_from", "return_to"):
        initial[name] = getattr(trip, name).iata
    for i, hotel in enumerate(trip.hotels.select_related("city")):
        initial.update({f"hotel_{i}_city": hotel.city.slug, f"hotel_{i}_name": hotel.name,
                        f"hotel_{i}_nights": hotel.nights})  # fmt: skip
    return initial


class MemberForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=MemberRole.choices, widget=forms.Select(attrs=SELECT)
    )
    visa_status = forms.ChoiceField(
        label=_("Visa"), choices=VisaStatus.choices, widget=forms.Select(attrs=SELECT)
    )
    visa_number = forms.CharField(
        label=_("Visa number"), max_length=40, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    visa_valid_from = forms.DateField(
        label=_("Visa valid from"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    visa_valid_until = forms.DateField(
        label=_("Visa valid until"), required=False, widget=forms.DateInput(attrs=DATE)
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )  # fmt: skip


class CnicForm(forms.Form):
    cnic = forms.CharField(
        label=_("Your CNIC"),
        max_length=40,
        widget=forms.TextInput(
            attrs={**TEXT, "inputmode": "numeric", "class": "form-control form-control-lg"}
        ),
    )
