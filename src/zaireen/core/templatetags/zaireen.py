from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(minutes: int | None) -> str:
    """Minutes as '1 h 30 min' (translated); empty for None."""
    if minutes is None:
        return ""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": rest}
    if not rest:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}


@register.filter
def travel_basis(travel) -> str:
    """What a `places.travel.TravelTime` rests on, in words."""
    from zaireen.places.travel import Basis

    if travel.basis == Basis.ROAD_LEG:
        return _("published road distance and drive time")
    if travel.basis == Basis.ROAD_LEG_DISTANCE:
        return _("published road distance; time estimated from an average speed")
    if travel.basis == Basis.ESTIMATE:
        return _("estimate: straight line %(km).1f km × road factor %(factor)g") % {
            "km": travel.straight_line_km,
            "factor": travel.road_factor,
        }
    return _("same city")


@register.filter
def get_item(mapping: dict, key: str):
    """`mapping[key]`, or None when there is no mapping (an unset template variable)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def may_take_pilgrims_on(organiser, day) -> bool:
    return organiser.may_take_pilgrims(day)
