from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zaireen.cases"
    label = "cases"
    verbose_name = _("Missing persons")

    def ready(self) -> None:
        from zaireen.cases import tasks  # noqa: F401 (registers the periodic jobs)
