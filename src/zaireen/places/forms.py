from django import forms
from django.utils.translation import gettext_lazy as _

from zaireen.places.models import City, Site


class SiteFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"class": "form-control", "type": "search", "placeholder": _("Name or city")}
        ),
    )
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.filter(sites__isnull=False).distinct().order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All cities"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Site.Kind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class TravelForm(forms.Form):
    origin = forms.ModelChoiceField(
        label=_("From"),
        queryset=City.objects.order_by("name"),
        to_field_name="slug",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    destination = forms.ModelChoiceField(
        label=_("To"),
        queryset=City.objects.order_by("name"),
        to_field_name="slug",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
