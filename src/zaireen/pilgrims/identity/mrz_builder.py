"""Build a valid passport zone (TD3) from its fields: for tests and demo data, not for
reading documents. Unlike the checks, the builder trusts its caller and raises `ValueError`
on fields it cannot write."""

from __future__ import annotations

import re
from datetime import date

from zaireen.pilgrims.identity.checkdigit import check_digit
from zaireen.pilgrims.identity.mrz import NAME_LENGTH
from zaireen.pilgrims.identity.normalise import mrz_name_component, normalise_sex
from zaireen.pilgrims.identity.passport import (
    MAX_NUMBER_LENGTH,
    normalise_passport_number,
    validate_state_code,
)

PERSONAL_NUMBER_LENGTH = 14
_NAME_SEPARATORS = " -'’,."
_MRZ_CODE = re.compile(r"[A-Z0-9]*")


def mrz_name_field(surname: str, given_names: str = "") -> tuple[str, bool]:
    """The 39-character name field and whether the names had to be cut to fit.

    Surname components are joined by `<`, then `<<`, then the given names. A cut keeps the
    first 39 characters; when it falls on a separator the fillers are dropped, so the names
    read as complete but shorter (ICAO's own rule shortens components instead; a zone built
    here only has to be valid, not to match a real passport letter for letter).
    """
    for name in (surname, given_names):
        for ch in name:
            if ch not in _NAME_SEPARATORS and not mrz_name_component(ch):
                raise ValueError(f"cannot write {ch!r} in a machine-readable zone")
    primary = mrz_name_component(surname)
    if not primary:
        raise ValueError("a machine-readable zone needs a surname")
    secondary = mrz_name_component(given_names)
    full = f"{primary}<<{secondary}" if secondary else primary
    if len(full) <= NAME_LENGTH:
        return full.ljust(NAME_LENGTH, "<"), False
    return full[:NAME_LENGTH].rstrip("<").ljust(NAME_LENGTH, "<"), True


def _state(code: str, what: str) -> str:
    state = validate_state_code(code)
    if not state.valid or state.code is None:
        raise ValueError(f"{what} is not an ICAO state code: {code!r}")
    return state.code.ljust(3, "<")


def _yymmdd(value: date) -> str:
    return value.strftime("%y%m%d")


def build_td3(
    *,
    surname: str,
    given_names: str = "",
    document_number: str,
    issuing_state: str,
    nationality: str | None = None,
    birth_date: date,
    sex: str | None,
    expiry_date: date,
    personal_number: str = "",
    document_type: str = "P",
) -> tuple[str, str]:
    """The two lines of a TD3 zone with every check digit right.

    `nationality` defaults to the issuing state; `sex` is M, F or X/None (written `<`). For a
    Pakistani passport pass the CNIC (13 digits) as `personal_number`.
    """
    doc_type = document_type.upper()
    if not re.fullmatch(r"P[A-Z<]?", doc_type):
        raise ValueError(f"a passport's document type starts with P: {document_type!r}")
    number = normalise_passport_number(document_number)
    if not number or len(number) > MAX_NUMBER_LENGTH or not _MRZ_CODE.fullmatch(number):
        raise ValueError("a passport number has 1 to 9 characters A–Z, 0–9")
    personal = normalise_passport_number(personal_number).replace("-", "")
    if len(personal) > PERSONAL_NUMBER_LENGTH or not _MRZ_CODE.fullmatch(personal):
        raise ValueError("a personal number has at most 14 characters A–Z, 0–9")
    sex_code = normalise_sex(sex) if sex is not None else "X"
    if sex_code is None:
        raise ValueError(f"sex is M, F or X: {sex!r}")
    names, _ = mrz_name_field(surname, given_names)

    line1 = doc_type.ljust(2, "<") + _state(issuing_state, "issuing_state") + names
    number_part = number.ljust(MAX_NUMBER_LENGTH, "<")
    birth = _yymmdd(birth_date)
    expiry = _yymmdd(expiry_date)
    personal_part = personal.ljust(PERSONAL_NUMBER_LENGTH, "<")
    # An unused personal number may carry `<` as its check digit (ICAO 9303 Part 4).
    personal_check = str(check_digit(personal_part)) if personal else "<"
    checked = (
        f"{number_part}{check_digit(number_part)}",
        f"{birth}{check_digit(birth)}",
        f"{expiry}{check_digit(expiry)}{personal_part}{personal_check}",
    )
    line2 = (
        checked[0]
        + _state(nationality or issuing_state, "nationality")
        + checked[1]
        + ("<" if sex_code == "X" else sex_code)
        + checked[2]
        + str(check_digit("".join(checked)))
    )
    return line1, line2
