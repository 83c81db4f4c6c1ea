from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizersConfig(AppConfig):
    name = "zaireen.organizers"
    label = "organizers"
    verbose_name = _("Organisers")

    def ready(self) -> None:
        from zaireen.organizers import tasks  # noqa: F401
