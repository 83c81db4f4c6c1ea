"""Pakistani CNIC numbers (NADRA): 13 digits written #####-#######-#.

Only the format is official. The first digit names a province (1 KP, 2 former FATA, 3 Punjab,
4 Sindh, 5 Balochistan, 6 Islamabad, 7 Gilgit-Baltistan) according to press explainers, so
0, 8 and 9 are refused; the finer geography is not checked. The last digit is said to be odd
for men and even for women: that is not official, so a mismatch is only a warning.
"""

from __future__ import annotations

import re

from zaireen.pilgrims.identity import reasons
from zaireen.pilgrims.identity.normalise import ascii_digits, normalise_sex
from zaireen.pilgrims.identity.reasons import gettext_noop
from zaireen.pilgrims.identity.results import CnicResult

PROVINCES = {
    "1": gettext_noop("Khyber Pakhtunkhwa"),
    "2": gettext_noop("Former FATA"),
    "3": gettext_noop("Punjab"),
    "4": gettext_noop("Sindh"),
    "5": gettext_noop("Balochistan"),
    "6": gettext_noop("Islamabad"),
    "7": gettext_noop("Gilgit-Baltistan"),
}

# Dashes as typed or pasted (hyphen, non-breaking hyphen, en and em dash, minus) and spaces.
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2212]+")
_DIGITS = re.compile(r"[0-9]*")


def format_cnic(digits: str) -> str:
    """13 digits as #####-#######-#."""
    return f"{digits[:5]}-{digits[5:12]}-{digits[12:]}"


def validate_cnic(value: str | None, *, sex: str | None = None, field: str = "cnic") -> CnicResult:
    """Check and normalise a CNIC typed with or without dashes, spaces or Urdu digits.

    `sex` (M/F, any case) enables the parity warning. Issues are reported on `field`, so a
    caller checking the personal number of a passport can name that field instead. Never
    raises on bad input: every problem comes back as an error.
    """
    if not isinstance(value, str):
        reason = reasons.REQUIRED if value is None else reasons.NOT_TEXT
        return CnicResult(errors=(reason.at(field),))
    compact = _SEPARATORS.sub("", ascii_digits(value))
    if not compact:
        return CnicResult(errors=(reasons.REQUIRED.at(field),))
    if not _DIGITS.fullmatch(compact):
        return CnicResult(errors=(reasons.CNIC_CHARACTERS.at(field),))
    if len(compact) == 11:
        return CnicResult(errors=(reasons.CNIC_OLD_NIC.at(field),))
    if len(compact) != 13:
        return CnicResult(errors=(reasons.CNIC_LENGTH.at(field, count=len(compact)),))

    errors = []
    warnings = []
    province = PROVINCES.get(compact[0])
    if province is None:
        errors.append(reasons.CNIC_PROVINCE.at(field, digit=compact[0]))
    expected_odd = {"M": True, "F": False}.get(normalise_sex(sex) or "")
    if expected_odd is not None and (int(compact[-1]) % 2 == 1) != expected_odd:
        warnings.append(reasons.CNIC_SEX_PARITY.at(field))
    return CnicResult(
        value=compact,
        formatted=format_cnic(compact),
        province=province,
        errors=tuple(errors),
        warnings=tuple(warnings),
    )
