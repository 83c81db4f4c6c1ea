"""Compare what a person typed with what the passport's machine-readable zone says.

A typo in a form and a pasted zone from someone else's passport both show up here, field by
field. Mismatch reasons never repeat either value: they would put identifiers in logs.
"""

from __future__ import annotations

from datetime import date

from zaireen.pilgrims.identity import reasons
from zaireen.pilgrims.identity.cnic import validate_cnic
from zaireen.pilgrims.identity.normalise import mrz_name_variants, normalise_sex
from zaireen.pilgrims.identity.passport import normalise_passport_number, validate_state_code
from zaireen.pilgrims.identity.results import CrossCheckResult, MrzResult


def _name_matches(typed: str, in_mrz: str, *, may_be_cut: bool) -> bool:
    """Whether a typed name is the MRZ name, or begins with it when the MRZ cut the name."""
    wanted = in_mrz.replace(" ", "<")
    variants = mrz_name_variants(typed)
    if may_be_cut:
        return any(variant.startswith(wanted) for variant in variants)
    return wanted in variants


def crosscheck_mrz(
    mrz: MrzResult,
    *,
    document_number: str | None = None,
    birth_date: date | None = None,
    expiry_date: date | None = None,
    surname: str | None = None,
    given_names: str | None = None,
    cnic: str | None = None,
    issuing_state: str | None = None,
    nationality: str | None = None,
    sex: str | None = None,
) -> CrossCheckResult:
    """Report each typed field that differs from the parsed zone, as an error on its name.

    A field is compared only if it was typed (not `None` or blank) and could be read from the
    zone; `checked` says which were. Names are compared as ICAO writes them (upper case,
    accents dropped or transliterated, separators as `<`); when the zone's name field is full
    (`names_truncated`) the last name part in it need only begin the typed one.
    """
    pairs: dict[str, tuple[object, object]] = {}
    if document_number and mrz.document_number is not None:
        pairs["document_number"] = (normalise_passport_number(document_number), mrz.document_number)
    if birth_date is not None and mrz.birth_date is not None:
        pairs["birth_date"] = (birth_date, mrz.birth_date)
    if expiry_date is not None and mrz.expiry_date is not None:
        pairs["expiry_date"] = (expiry_date, mrz.expiry_date)
    if cnic and mrz.cnic is not None:
        pairs["cnic"] = (validate_cnic(cnic).value, mrz.cnic)
    if issuing_state and mrz.issuing_state is not None:
        pairs["issuing_state"] = (validate_state_code(issuing_state).code, mrz.issuing_state)
    if nationality and mrz.nationality is not None:
        pairs["nationality"] = (validate_state_code(nationality).code, mrz.nationality)
    if sex and mrz.sex is not None:
        pairs["sex"] = (normalise_sex(sex), mrz.sex)
    mismatched = [field for field, (typed, read) in pairs.items() if typed != read]

    # With no given names in the zone, a cut can only have shortened the surname; otherwise
    # it shortened the given names. A zone without given names cannot confirm typed ones.
    cut = mrz.names_truncated
    if surname and mrz.surname is not None:
        pairs["surname"] = (surname, mrz.surname)
        if not _name_matches(surname, mrz.surname, may_be_cut=cut and not mrz.given_names):
            mismatched.append("surname")
    if given_names and mrz.given_names is not None and not (cut and not mrz.given_names):
        pairs["given_names"] = (given_names, mrz.given_names)
        if not _name_matches(given_names, mrz.given_names, may_be_cut=cut):
            mismatched.append("given_names")

    return CrossCheckResult(
        checked=tuple(pairs),
        errors=tuple(reasons.MISMATCH.at(field) for field in mismatched),
    )
