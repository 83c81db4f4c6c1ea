"""Passport numbers and the ICAO state codes that scope them.

A passport number means something only together with its issuing state, so both are checked
here. Any state is accepted; Pakistan's usual shape (two letters, seven digits) is only a
warning, because the DGIP does not publish the format and other passport types may differ.
"""

from __future__ import annotations

import re

from zaireen.pilgrims.identity import reasons
from zaireen.pilgrims.identity.normalise import ascii_digits
from zaireen.pilgrims.identity.results import PassportNumberResult, StateCodeResult

PAKISTAN = "PAK"
MAX_NUMBER_LENGTH = 9  # the TD3 document number field

# Three letters; Germany's code is the single letter D, written D<< in an MRZ. The filler only
# ever pads on the right.
_STATE = re.compile(r"[A-Z]{1,3}<{0,2}")
_NUMBER = re.compile(r"[A-Z0-9]*")
_PAK_NUMBER = re.compile(r"[A-Z]{2}[0-9]{7}")


def validate_state_code(value: str | None, *, field: str = "issuing_state") -> StateCodeResult:
    """Check the shape of an ICAO state code (`pak`, `PAK`, `D<<`); normalised without filler.

    Only the shape is checked, not the list of states: ICAO adds codes (and has codes for
    organisations such as UNO) that a frozen list would wrongly refuse.
    """
    if not isinstance(value, str):
        reason = reasons.REQUIRED if value is None else reasons.NOT_TEXT
        return StateCodeResult(errors=(reason.at(field),))
    code = value.strip().upper()
    if not code:
        return StateCodeResult(errors=(reasons.REQUIRED.at(field),))
    if not (code == "D" or (len(code) == 3 and _STATE.fullmatch(code))):
        return StateCodeResult(errors=(reasons.STATE_CODE.at(field),))
    return StateCodeResult(code=code.rstrip("<"))


def normalise_passport_number(value: str) -> str:
    """Upper case, without whitespace, Urdu digits as ASCII. No validation."""
    return "".join(ascii_digits(value).upper().split())


def validate_passport_number(
    value: str | None,
    issuing_state: str | None,
    *,
    field: str = "passport_number",
    state_field: str = "issuing_state",
) -> PassportNumberResult:
    """Check and normalise a passport number of `issuing_state` (an ICAO code such as PAK).

    Never raises on bad input: every problem comes back as an error on `field` (the number) or
    `state_field` (the state code).
    """
    state = validate_state_code(issuing_state, field=state_field)
    errors = list(state.errors)
    warnings = []
    number = None
    if not isinstance(value, str):
        errors.append((reasons.REQUIRED if value is None else reasons.NOT_TEXT).at(field))
    else:
        candidate = normalise_passport_number(value)
        if not candidate:
            errors.append(reasons.REQUIRED.at(field))
        elif not _NUMBER.fullmatch(candidate):
            errors.append(reasons.PASSPORT_CHARACTERS.at(field))
        elif len(candidate) > MAX_NUMBER_LENGTH:
            errors.append(reasons.PASSPORT_TOO_LONG.at(field, count=len(candidate)))
        else:
            number = candidate
            if state.code == PAKISTAN and not _PAK_NUMBER.fullmatch(number):
                warnings.append(reasons.PASSPORT_PAK_SHAPE.at(field))
    return PassportNumberResult(
        number=number,
        issuing_state=state.code,
        errors=tuple(errors),
        warnings=tuple(warnings),
    )
