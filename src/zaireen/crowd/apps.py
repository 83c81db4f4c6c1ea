from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrowdConfig(AppConfig):
    name = "zaireen.crowd"
    label = "crowd"
    verbose_name = _("Crowd")

    def ready(self) -> None:
        # A Hijri offset change re-checks published slots (planning/events.py).
        from zaireen.crowd.tasks import recheck_after_offset_change
        from zaireen.planning.events import on_offsets_changed

        on_offsets_changed(recheck_after_offset_change)
