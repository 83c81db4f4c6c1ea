"""Phone numbers: parsed and stored in E.164, Pakistani and Iraqi numbers written locally."""

import phonenumbers

from zaireen.core.errors import ValidationFailed

DEFAULT_REGION = "PK"


def normalise_phone(raw: str, *, field: str = "phone", region: str = DEFAULT_REGION) -> str:
    """E.164 form of `raw` ('0300 1234567' → '+923001234567'), or `ValidationFailed`."""
    text = (raw or "").strip()
    if not text:
        raise ValidationFailed(**{field: "enter a phone number"})
    if len(text) > 30:
        raise ValidationFailed(**{field: "a phone number is at most 30 characters"})
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValidationFailed(**{field: "this is not a phone number"}) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationFailed(**{field: "this phone number does not exist in its country"})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
