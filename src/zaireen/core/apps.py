from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zaireen.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Registers the periodic tasks with Huey's registry.
        from zaireen.core import tasks  # noqa: F401
