from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilgrimsConfig(AppConfig):
    name = "zaireen.pilgrims"
    label = "pilgrims"
    verbose_name = _("Pilgrims")
