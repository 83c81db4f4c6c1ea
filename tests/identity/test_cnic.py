"""CNIC: 13 digits, province code first, sex parity only ever a warning."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.identity.strategies import cnic_digits
from zaireen.pilgrims.identity import CnicResult, validate_cnic

URDU = str.maketrans(string.digits, "۰۱۲۳۴۵۶۷۸۹")
ARABIC = str.maketrans(string.digits, "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    "typed",
    [
        "35202-1234567-1",
        "3520212345671",
        "  35202-1234567-1\n",
        "35202 1234567 1",
        "35202–1234567–1",  # en dashes from a word processor
        "۳۵۲۰۲-۱۲۳۴۵۶۷-۱",
        "٣٥٢٠٢١٢٣٤٥٦٧١",
    ],
)
def test_typed_forms_normalise_to_thirteen_digits(typed):
    result = validate_cnic(typed)
    assert result.valid
    assert (result.value, result.formatted) == ("3520212345671", "35202-1234567-1")
    assert result.province == "Punjab"
    assert result.identity_key == "CNIC|3520212345671"


@pytest.mark.parametrize("first", ["0", "8", "9"])
def test_the_first_digit_must_be_a_province_code(first):
    result = validate_cnic(f"{first}5202-1234567-1")
    assert not result.valid
    assert [(e.field, e.code) for e in result.errors] == [("cnic", "invalid_province")]
    assert first in result.errors[0].message
    assert result.identity_key is None


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        (None, "required"),
        ("35202-123456-1", "wrong_length"),
        ("35202-12345678-1", "wrong_length"),
        ("35202-1234567-X", "invalid_characters"),
        ("35202/1234567/1", "invalid_characters"),
        ("12345-678901", "old_nic"),
    ],
)
def test_malformed_input_is_an_error_by_field(typed, code):
    result = validate_cnic(typed)
    assert not result.valid
    assert [(e.field, e.code) for e in result.errors] == [("cnic", code)]
    assert result.value is None


def test_issues_are_reported_on_the_field_the_caller_names():
    assert validate_cnic("9", field="personal_number").error_fields() == {"personal_number"}


@pytest.mark.parametrize(
    ("cnic", "sex", "warned"),
    [
        ("35202-1234567-1", "M", False),
        ("35202-1234567-1", "F", True),
        ("35202-1234567-2", "female", False),
        ("35202-1234567-2", "m", True),
        ("35202-1234567-2", None, False),
        ("35202-1234567-2", "X", False),
    ],
)
def test_odd_for_men_even_for_women_is_a_warning_only(cnic, sex, warned):
    result = validate_cnic(cnic, sex=sex)
    assert result.valid
    assert [w.code for w in result.warnings] == (["sex_parity"] if warned else [])


@st.composite
def formatted_cnic(draw):
    digits = draw(cnic_digits())
    seps = [draw(st.sampled_from(["", "", "-", " ", "–", "‑"])) for _ in range(12)]
    typed = "".join(d + s for d, s in zip(digits, [*seps, ""], strict=True))
    typed = typed.translate(draw(st.sampled_from([{}, URDU, ARABIC])))
    pad = st.text(" \t\n", max_size=3)
    return digits, draw(pad) + typed + draw(pad)


@given(formatted_cnic(), st.sampled_from(["M", "F", None]))
def test_any_formatting_of_a_valid_cnic_normalises_to_the_same_value(case, sex):
    digits, typed = case
    result = validate_cnic(typed, sex=sex)
    assert result.valid
    assert result.value == digits
    assert result.formatted == f"{digits[:5]}-{digits[5:12]}-{digits[12]}"


@given(st.one_of(st.text(), st.none(), st.integers(), st.binary()))
def test_random_input_never_raises_and_invalid_always_says_why(value):
    result = validate_cnic(value, sex="M")
    assert isinstance(result, CnicResult)
    assert result.valid == (not result.errors)
    if result.valid:
        assert len(result.value) == 13
        assert result.value.isascii()
        assert result.value.isdigit()
