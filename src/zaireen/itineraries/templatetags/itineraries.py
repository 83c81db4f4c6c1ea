"""Template helpers of the itinerary pages: names of kinds, places, sites and warnings."""

from django import template

from zaireen.itineraries import labels
from zaireen.itineraries.planner import base

register = template.Library()


@register.simple_tag
def kind_name(kind: str) -> str:
    return str(labels.KIND_NAMES.get(kind, kind))


@register.simple_tag
def item_label(label: str) -> str:
    return str(labels.LABELS.get(label, label))


@register.simple_tag
def site_name(key: str, names: dict) -> str:
    return names.get(key, key)


@register.simple_tag
def place_name(key: str, names: dict) -> str:
    from django.utils.translation import gettext as _

    name = names.get(base(key), base(key))
    if key.startswith("~"):
        return _("vehicle stop outside %(city)s") % {"city": name}
    return name


@register.simple_tag
def warning_text(warning, names: dict) -> str:
    return labels.warning_text(warning.code, dict(warning.params), names)
