"""Template tags of the incidents app: the SOS button of a member's own page."""

import uuid

from django import template

from zaireen.incidents import selectors

register = template.Library()


@register.simple_tag
def sos_button(member):
    """What the SOS partial needs for this membership, or None when the trip is over."""
    return selectors.sos_button_for(member)


@register.simple_tag
def new_uuid() -> str:
    """A UUID for the SOS form without JavaScript: one page load, one press."""
    return str(uuid.uuid4())
