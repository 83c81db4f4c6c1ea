"""Filters for printed documents."""

import phonenumbers
from django import template

register = template.Library()


@register.filter
def phone(value: str | None) -> str:
    """An E.164 number written for reading aloud: '+923001234567' → '+92 300 1234567'."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
