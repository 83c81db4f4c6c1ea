from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItinerariesConfig(AppConfig):
    name = "zaireen.itineraries"
    label = "itineraries"
    verbose_name = _("Itineraries")
