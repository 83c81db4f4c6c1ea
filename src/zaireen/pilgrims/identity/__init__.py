"""Identity checks for pilgrims: CNIC, passport numbers and passport machine-readable zones.

Pure Python (standard library only, nothing from Django), so the rules can be tested alone and
reused by forms, the API and demo data alike. Functions take plain values (and `today` where
the answer depends on the date) and return frozen result dataclasses from `results`: the
normalised values, a `valid` flag, and `errors` and `warnings` as `Issue(field, code, reason,
params)`. Nothing here raises on bad input except the MRZ builder, which is for trusted code.

Reasons are English templates marked with `gettext_noop` (see `reasons`); translate them at
the edge with `issue.render(gettext)`.
"""

from zaireen.pilgrims.identity.checkdigit import check_digit
from zaireen.pilgrims.identity.cnic import format_cnic, validate_cnic
from zaireen.pilgrims.identity.crosscheck import crosscheck_mrz
from zaireen.pilgrims.identity.mrz import clean_mrz_lines, parse_td3
from zaireen.pilgrims.identity.mrz_builder import build_td3, mrz_name_field
from zaireen.pilgrims.identity.passport import (
    normalise_passport_number,
    validate_passport_number,
    validate_state_code,
)
from zaireen.pilgrims.identity.reasons import Reason, gettext_noop
from zaireen.pilgrims.identity.results import (
    CnicResult,
    CrossCheckResult,
    Issue,
    MrzResult,
    Outcome,
    PassportNumberResult,
    StateCodeResult,
)

__all__ = [
    "CnicResult",
    "CrossCheckResult",
    "Issue",
    "MrzResult",
    "Outcome",
    "PassportNumberResult",
    "Reason",
    "StateCodeResult",
    "build_td3",
    "check_digit",
    "clean_mrz_lines",
    "crosscheck_mrz",
    "format_cnic",
    "gettext_noop",
    "mrz_name_field",
    "normalise_passport_number",
    "parse_td3",
    "validate_cnic",
    "validate_passport_number",
    "validate_state_code",
]
