from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItinerariesConfig(AppConfig):
    name = "zaireen.itineraries"
    label = "itineraries"
    verbose_name = _("Itineraries")

    def ready(self) -> None:
        # A changed Hijri month offset moves occasions: saved plans are re-checked.
        from zaireen.itineraries import services, tasks  # noqa: F401  (registers the task)
        from zaireen.planning.events import on_offsets_changed

        on_offsets_changed(services.on_offsets_changed)
