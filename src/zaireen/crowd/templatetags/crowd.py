"""`{% crowd_trip_slots %}`: the trip page's time slots, for its organiser's staff and its
leaders only (anyone else gets nothing), without the trip page's view knowing about slots."""

from django import template

from zaireen.crowd import selectors

register = template.Library()


@register.inclusion_tag("crowd/_trip_slots.html", takes_context=True)
def crowd_trip_slots(context) -> dict:
    trip, user = context.get("trip"), context.get("user")
    if trip is None or user is None or not selectors.may_see_trip_slots(user, trip):
        return {"show": False}
    return {
        "show": True,
        "trip": trip,
        "staff": user.role in selectors.ORGANISER_STAFF,
        "slots": selectors.trip_slots_for(actor=user, trip=trip),
    }
