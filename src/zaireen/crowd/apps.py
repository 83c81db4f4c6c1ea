from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrowdConfig(AppConfig):
    name = "zaireen.crowd"
    label = "crowd"
    verbose_name = _("Crowd")
