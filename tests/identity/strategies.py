"""Hypothesis strategies and helpers shared by the identity tests."""

from __future__ import annotations

import string
from datetime import date

from hypothesis import strategies as st

from zaireen.pilgrims.identity.checkdigit import check_digit

SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
SPECIMEN_TEXT = "\n".join(SPECIMEN)
TODAY = date(2026, 5, 1)

MRZ_CHARS = string.digits + string.ascii_uppercase + "<"


def recheck(line2: str) -> str:
    """`line2` with every check digit recomputed, so a test can change a field's data and
    look at what the field check says, not at the check digits."""
    chars = list(line2)
    for start, end in ((0, 9), (13, 19), (21, 27), (28, 42)):
        chars[end] = str(check_digit(line2[start:end]))
    data = "".join(chars)
    composite = data[0:10] + data[13:20] + data[21:43]
    return data[:43] + str(check_digit(composite))


def replace_at(line: str, position: int, text: str) -> str:
    return line[:position] + text + line[position + len(text) :]


def cnic_digits() -> st.SearchStrategy[str]:
    """13 digits with a valid province code first."""
    return st.builds(
        lambda first, rest: first + rest,
        st.sampled_from("1234567"),
        st.text(string.digits, min_size=12, max_size=12),
    )


name_part = st.text(string.ascii_uppercase, min_size=1, max_size=10)
state_code = st.text(string.ascii_uppercase, min_size=3, max_size=3).filter(
    lambda code: code != "PAK"
)


@st.composite
def td3_fields(draw: st.DrawFn, *, pakistani: bool = False) -> dict:
    """Keyword arguments for `build_td3` whose names fit the 39-character field, and the
    `today` against which the birth date reads back in the right century."""
    today = draw(st.dates(date(2000, 1, 1), date(2090, 12, 31)))
    surname = draw(st.lists(name_part, min_size=1, max_size=3))
    given = draw(st.lists(name_part, max_size=3))
    full = "<".join(surname) + ("<<" + "<".join(given) if given else "")
    if len(full) > 39:
        given = []
        surname = surname[:1]
    state = "PAK" if pakistani else draw(state_code)
    personal = (
        draw(cnic_digits())
        if pakistani
        else draw(st.text(string.digits + string.ascii_uppercase, max_size=14))
    )
    return {
        "today": today,
        "surname": " ".join(surname),
        "given_names": " ".join(given),
        "document_number": draw(
            st.text(string.digits + string.ascii_uppercase, min_size=1, max_size=9)
        ),
        "issuing_state": state,
        "nationality": draw(state_code) if not pakistani else "PAK",
        # Less than a hundred years back: older dates would read as the next century.
        "birth_date": draw(st.dates(date(today.year - 99, 1, 1), today)),
        "sex": draw(st.sampled_from(["M", "F", "X"])),
        "expiry_date": draw(st.dates(date(2000, 1, 1), date(2099, 12, 31))),
        "personal_number": personal,
        "document_type": draw(st.sampled_from(["P", "PO", "PD"])),
    }
