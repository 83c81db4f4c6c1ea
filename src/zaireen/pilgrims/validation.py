"""Checking a pilgrim's details: the same rules for the form, its live check and the API.

Wraps the pure `identity` module and adds the profile's own rules (names, dates, phones);
returns every error and warning by field, so a page can show them all at once.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from zaireen.core.errors import ValidationFailed
from zaireen.core.phones import normalise_phone
from zaireen.pilgrims.identity import (
    MrzResult,
    crosscheck_mrz,
    parse_td3,
    validate_cnic,
    validate_passport_number,
)
from zaireen.pilgrims.models import BloodGroup, Sex

LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z '\-]*")
MAX_AGE_YEARS = 120


@dataclass(frozen=True)
class PilgrimInput:
    surname: str = ""
    given_names: str = ""
    name_urdu: str = ""
    guardian_name: str = ""
    home_city: str = ""
    cnic: str = ""
    passport_number: str = ""
    passport_issuing_state: str = "PAK"
    passport_expiry: datetime.date | None = None
    birth_date: datetime.date | None = None
    sex: str = ""
    phone: str = ""
    next_of_kin_name: str = ""
    next_of_kin_relation: str = ""
    next_of_kin_phone: str = ""
    needs_wheelchair: bool = False
    needs_elderly_care: bool = False
    medical_notes: str = ""
    blood_group: str = ""
    mrz: str = ""


@dataclass
class Checked:
    """The normalised input, with errors and warnings by field."""

    data: PilgrimInput
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    cnic_key: str = ""
    passport_key: str = ""
    mrz: MrzResult | None = None

    def error(self, name: str, reason: str) -> None:
        self.errors.setdefault(name, []).append(reason)

    def warn(self, name: str, reason: str) -> None:
        self.warnings.setdefault(name, []).append(reason)

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


def _issues(checked: Checked, outcome, *, rename: dict[str, str] | None = None) -> None:
    rename = rename or {}
    for issue in outcome.errors:
        checked.error(rename.get(issue.field, issue.field), issue.render(_))
    for issue in outcome.warnings:
        checked.warn(rename.get(issue.field, issue.field), issue.render(_))


def fill_from_mrz(data: PilgrimInput, mrz: MrzResult) -> PilgrimInput:
    """Fill the fields the person left empty from a machine-readable zone that reads well."""
    found = {
        "surname": mrz.surname,
        "given_names": mrz.given_names,
        "passport_number": mrz.document_number,
        "passport_issuing_state": mrz.issuing_state,
        "passport_expiry": mrz.expiry_date,
        "birth_date": mrz.birth_date,
        "sex": mrz.sex,
        "cnic": mrz.cnic,
    }
    empty_state = data.passport_issuing_state in ("", "PAK")
    updates = {
        name: value
        for name, value in found.items()
        if value and (not getattr(data, name) or (name == "passport_issuing_state" and empty_state))
    }
    return replace(data, **updates)


def check_pilgrim(data: PilgrimInput, *, today: datetime.date, fill: bool = False) -> Checked:
    """Every rule for a pilgrim's profile; `fill` first completes empty fields from the MRZ."""
    data = replace(
        data,
        **{
            name: " ".join(str(getattr(data, name) or "").split())
            for name in ("surname", "given_names", "name_urdu", "guardian_name", "home_city",
                         "next_of_kin_name", "next_of_kin_relation")
        },
    )  # fmt: skip
    checked = Checked(data=data)
    if data.mrz.strip():
        mrz = parse_td3(data.mrz, today=today)
        checked.mrz = mrz
        if mrz.valid:
            if fill:
                data = fill_from_mrz(data, mrz)
                checked.data = data
        else:
            for issue in mrz.errors:
                checked.error("mrz", issue.render(_))
    # Names, as printed in the passport.
    if not data.surname:
        checked.error("surname", _("enter the surname as in the passport"))
    for name in ("surname", "given_names"):
        value = getattr(data, name)
        if len(value) > 100:
            checked.error(name, _("at most 100 characters"))
        elif value and not LATIN_NAME.fullmatch(value):
            checked.error(name, _("use the Latin letters of the passport (A–Z)"))
    limits = (
        ("name_urdu", 150),
        ("guardian_name", 150),
        ("home_city", 100),
        ("next_of_kin_name", 150),
        ("next_of_kin_relation", 50),
        ("medical_notes", 2000),
    )
    for name, limit in limits:
        if len(getattr(data, name) or "") > limit:
            checked.error(name, _("at most %(n)d characters") % {"n": limit})
    # Sex, dates.
    if data.sex not in Sex.values:
        checked.error("sex", _("choose male, female or unspecified"))
    if data.birth_date is None:
        checked.error("birth_date", _("enter the date of birth"))
    elif data.birth_date > today:
        checked.error("birth_date", _("the date of birth is in the future"))
    elif data.birth_date.year < today.year - MAX_AGE_YEARS:
        checked.error("birth_date", _("more than %(n)d years ago") % {"n": MAX_AGE_YEARS})
    if data.passport_expiry is None:
        checked.error("passport_expiry", _("enter the passport's expiry date"))
    elif data.passport_expiry < today:
        checked.error("passport_expiry", _("the passport has expired"))
    # Identifiers.
    cnic = validate_cnic(data.cnic, sex=data.sex if data.sex in ("M", "F") else None)
    _issues(checked, cnic)
    passport = validate_passport_number(
        data.passport_number, data.passport_issuing_state, state_field="passport_issuing_state"
    )
    _issues(checked, passport)
    if cnic.valid:
        checked.cnic_key = cnic.identity_key
        data = replace(data, cnic=cnic.value)
    if passport.valid:
        checked.passport_key = passport.identity_key
        data = replace(data, passport_number=passport.number,
                       passport_issuing_state=passport.issuing_state)  # fmt: skip
    checked.data = data
    # Phones.
    for name in ("phone", "next_of_kin_phone"):
        value = getattr(data, name)
        if value:
            try:
                checked.data = replace(checked.data, **{name: normalise_phone(value, field=name)})
            except ValidationFailed as exc:
                for reason in exc.errors.get(name, []):
                    checked.error(name, reason)
    if data.blood_group not in BloodGroup.values:
        checked.error("blood_group", _("choose a blood group from the list"))
    # The machine-readable zone against what was typed.
    if checked.mrz is not None and checked.mrz.valid:
        cross = crosscheck_mrz(
            checked.mrz,
            document_number=checked.data.passport_number or None,
            birth_date=checked.data.birth_date,
            expiry_date=checked.data.passport_expiry,
            surname=checked.data.surname or None,
            given_names=checked.data.given_names or None,
            cnic=checked.data.cnic if cnic.valid else None,
            issuing_state=checked.data.passport_issuing_state or None,
            sex=checked.data.sex or None,
        )
        _issues(checked, cross, rename={"document_number": "passport_number",
                                        "expiry_date": "passport_expiry",
                                        "issuing_state": "passport_issuing_state"})  # fmt: skip
    return checked


def check_identifiers(
    *,
    cnic: str = "",
    passport_number: str = "",
    issuing_state: str = "PAK",
    mrz: str = "",
    sex: str = "",
    today: datetime.date,
) -> dict:
    """Check whichever of a CNIC, a passport number and an MRZ are given; store nothing.

    Returns normalised values, `valid`, and errors and warnings by field. An MRZ is
    cross-checked against a typed CNIC and passport number.
    """
    result: dict = {"normalised": {}, "errors": {}, "warnings": {}}
    checked = Checked(data=PilgrimInput())
    if not (cnic.strip() or passport_number.strip() or mrz.strip()):
        checked.error("__all__", _("give a CNIC, a passport number or a machine-readable zone"))
    sex = sex if sex in ("M", "F") else None
    cnic_digits = None
    if cnic.strip():
        outcome = validate_cnic(cnic, sex=sex)
        _issues(checked, outcome)
        if outcome.valid:
            result["normalised"]["cnic"] = outcome.formatted
            cnic_digits = outcome.value
    if passport_number.strip():
        outcome = validate_passport_number(passport_number, issuing_state)
        _issues(checked, outcome)
        if outcome.valid:
            result["normalised"]["passport_number"] = outcome.number
            result["normalised"]["issuing_state"] = outcome.issuing_state
    if mrz.strip():
        parsed = parse_td3(mrz, today=today)
        _issues(checked, parsed)
        if parsed.valid:
            result["normalised"]["mrz"] = {
                "document_type": parsed.document_type,
                "issuing_state": parsed.issuing_state,
                "surname": parsed.surname,
                "given_names": parsed.given_names,
                "names_truncated": parsed.names_truncated,
                "document_number": parsed.document_number,
                "nationality": parsed.nationality,
                "birth_date": parsed.birth_date.isoformat() if parsed.birth_date else None,
                "sex": parsed.sex,
                "expiry_date": parsed.expiry_date.isoformat() if parsed.expiry_date else None,
                "expired": parsed.expired,
                "cnic": parsed.cnic,
            }
            cross = crosscheck_mrz(
                parsed,
                document_number=result["normalised"].get("passport_number"),
                cnic=cnic_digits,
                sex=sex,
            )
            _issues(checked, cross, rename={"document_number": "passport_number"})
    result["errors"], result["warnings"] = checked.errors, checked.warnings
    result["valid"] = not checked.errors
    return result
