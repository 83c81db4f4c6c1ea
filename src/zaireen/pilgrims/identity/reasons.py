"""Every reason the identity checks can give, as English text marked for translation.

The pure package cannot import Django, so it cannot translate. Each reason is an English
template marked with `gettext_noop`: `makemessages` extracts that keyword by default, so the
strings land in the catalogue, and the Django layer translates at the edge with
`issue.render(gettext)`. Placeholders use the `%(name)s` form gettext tools understand.

No template takes an identifier (a CNIC, a passport number) as a parameter: issues end up in
logs and API answers, and the audit trail must never hold an identifier in clear.
"""

from __future__ import annotations

from dataclasses import dataclass

from zaireen.pilgrims.identity.results import Issue


def gettext_noop(message: str) -> str:
    """Mark `message` for extraction without translating it (Django's function of that name)."""
    return message


@dataclass(frozen=True)
class Reason:
    """A kind of failure: a stable `code` for programs and an English `text` for people."""

    code: str
    text: str

    def at(self, field: str, **params: object) -> Issue:
        """This reason, reported against `field`, with values for the text's placeholders."""
        return Issue(field=field, code=self.code, reason=self.text, params=params)


# Input as a whole
REQUIRED = Reason("required", gettext_noop("This field is required."))
NOT_TEXT = Reason("not_text", gettext_noop("Expected text."))

# CNIC
CNIC_CHARACTERS = Reason(
    "invalid_characters", gettext_noop("A CNIC has only digits, optionally with dashes.")
)
CNIC_LENGTH = Reason("wrong_length", gettext_noop("A CNIC has 13 digits; this has %(count)s."))
CNIC_OLD_NIC = Reason(
    "old_nic",
    gettext_noop(
        "This looks like an old 11-digit NIC, which is no longer valid; "
        "give the 13-digit CNIC instead."
    ),
)
CNIC_PROVINCE = Reason(
    "invalid_province",
    gettext_noop("The first digit of a CNIC is a province code from 1 to 7, not %(digit)s."),
)
CNIC_SEX_PARITY = Reason(
    "sex_parity",
    gettext_noop(
        "The last digit of a CNIC is usually odd for men and even for women; "
        "please check the CNIC and the sex."
    ),
)

# Passport number and state codes
PASSPORT_CHARACTERS = Reason(
    "invalid_characters", gettext_noop("A passport number has only letters A–Z and digits.")
)
PASSPORT_TOO_LONG = Reason(
    "too_long",
    gettext_noop("A passport number has at most 9 characters; this has %(count)s."),
)
PASSPORT_PAK_SHAPE = Reason(
    "unusual_shape",
    gettext_noop(
        "Pakistani passport numbers usually have two letters and seven digits; "
        "please check the number."
    ),
)
STATE_CODE = Reason(
    "invalid_state_code",
    gettext_noop("A state code has three letters A–Z (Germany: D), as in PAK or IRQ."),
)

# MRZ layout
MRZ_LINE_COUNT = Reason(
    "line_count",
    gettext_noop("A passport machine-readable zone has two lines; this has %(count)s."),
)
MRZ_LINE_LENGTH = Reason(
    "line_length",
    gettext_noop("Line %(line)s has %(length)s characters; a passport line has 44."),
)
MRZ_OTHER_FORMAT = Reason(
    "unsupported_format",
    gettext_noop(
        "This looks like an identity card or visa zone (%(format)s); "
        "only passports (two lines of 44) are supported."
    ),
)
MRZ_LINES_SWAPPED = Reason(
    "lines_swapped",
    gettext_noop("The lines seem to be in the wrong order: the line starting with P comes first."),
)
MRZ_CHARACTERS = Reason(
    "invalid_characters",
    gettext_noop("Only A–Z, 0–9 and < may appear here; found %(char)s."),
)

# MRZ fields
DOCUMENT_TYPE = Reason(
    "not_a_passport", gettext_noop("A passport zone starts with P; this starts with %(found)s.")
)
SURNAME_EMPTY = Reason("empty", gettext_noop("The name field has no surname."))
NAME_CHARACTERS = Reason(
    "invalid_characters", gettext_noop("Names may only contain letters A–Z and <.")
)
NUMBER_EMPTY = Reason("empty", gettext_noop("The document number is empty."))
FILLER_INSIDE = Reason(
    "filler_inside",
    gettext_noop("The filler < may only pad this field at the end."),
)
DATE_INVALID = Reason("invalid_date", gettext_noop("This is not a valid date (YYMMDD)."))
DATE_UNKNOWN = Reason(
    "unknown_date", gettext_noop("The date is (partly) unknown in the machine-readable zone.")
)
SEX_INVALID = Reason(
    "invalid_sex", gettext_noop("Sex is M, F or < (unspecified); found %(found)s.")
)
CHECK_NOT_DIGIT = Reason("not_a_digit", gettext_noop("A check digit must be 0–9; found %(found)s."))
CHECK_MISMATCH = Reason(
    "mismatch",
    gettext_noop("Check digit is %(found)s but the data gives %(expected)s; a character is wrong."),
)
EXPIRED = Reason("expired", gettext_noop("The passport expired on %(date)s."))
PAK_CNIC_MISSING = Reason(
    "cnic_missing",
    gettext_noop("Pakistani passports usually carry the CNIC in the personal number field."),
)
PAK_CNIC_INVALID = Reason(
    "cnic_invalid",
    gettext_noop("The personal number of a Pakistani passport should be a valid CNIC."),
)

# Cross-check of the MRZ against typed fields
MISMATCH = Reason("mismatch", gettext_noop("Does not match the passport's machine-readable zone."))
