"""Writes of the core app."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zaireen.core.models import Heartbeat


def heartbeat_record(*, name: str) -> Heartbeat:
    """Record that the periodic schedule named `name` ran now."""
    with transaction.atomic():
        now = timezone.now()
        updated = Heartbeat.objects.filter(name=name).update(beat_at=now, beats=F("beats") + 1)
        if not updated:
            Heartbeat.objects.get_or_create(name=name, defaults={"beat_at": now, "beats": 1})
        return Heartbeat.objects.get(name=name)
