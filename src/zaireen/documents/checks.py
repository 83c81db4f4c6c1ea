"""Deployment checks (`zaireen check --deploy`): the embassy number printed on every card.

A card printed with the placeholder, or with a number no phone can dial, fails the pilgrim
at the moment it is needed, and nobody notices until then; the trip's documents page warns
too, but an operator should learn it before the first trip prints.
"""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

from zaireen.core.errors import ValidationFailed
from zaireen.core.phones import normalise_phone
from zaireen.documents.selectors import EMBASSY_PHONE_PLACEHOLDER


@register(Tags.compatibility, deploy=True)
def embassy_phone_check(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    value = getattr(settings, "ZAIREEN_EMBASSY_PHONE", EMBASSY_PHONE_PLACEHOLDER)
    if value == EMBASSY_PHONE_PLACEHOLDER:
        return [
            Warning(
                "ZAIREEN_EMBASSY_PHONE is not set: ID and emergency cards print a placeholder.",
                hint="Set it to the embassy's emergency number in international form, e.g. +964 …",
                id="zaireen.documents.W001",
            )
        ]
    try:
        # No default region: a number printed for pilgrims abroad must carry its country code.
        normalise_phone(value, field="ZAIREEN_EMBASSY_PHONE", region=None)
    except ValidationFailed as exc:
        return [
            Warning(
                f"ZAIREEN_EMBASSY_PHONE ({value!r}): {exc.errors['ZAIREEN_EMBASSY_PHONE'][0]}.",
                hint="Write it with the country code, e.g. +964 7xx xxx xxxx.",
                id="zaireen.documents.W002",
            )
        ]
    return []
