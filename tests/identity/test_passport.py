"""Passport numbers: any issuing state; Pakistan's usual shape only a warning."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zaireen.pilgrims.identity import (
    PassportNumberResult,
    validate_passport_number,
    validate_state_code,
)


def test_a_pakistani_number_is_normalised_and_keyed_within_its_state():
    result = validate_passport_number(" ab 1234567 ", "pak")
    assert result.valid
    assert not result.warnings
    assert (result.number, result.issuing_state) == ("AB1234567", "PAK")
    assert result.identity_key == "PASSPORT|PAK|AB1234567"


@pytest.mark.parametrize("number", ["A1234567", "AB123456", "1234567AB", "ABC123456"])
def test_an_unusual_pakistani_shape_is_a_warning_not_an_error(number):
    result = validate_passport_number(number, "PAK")
    assert result.valid
    assert [(w.field, w.code) for w in result.warnings] == [("passport_number", "unusual_shape")]


@pytest.mark.parametrize(("number", "state"), [("L898902C3", "UTO"), ("C01X00T47", "D<<")])
def test_other_states_have_no_shape_rule(number, state):
    result = validate_passport_number(number, state)
    assert result.valid
    assert not result.warnings
    assert result.identity_key == f"PASSPORT|{state.rstrip('<')}|{number}"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("", "required"),
        (None, "required"),
        ("AB-1234567", "invalid_characters"),
        ("AB1234567<", "invalid_characters"),
        ("ÄB1234567", "invalid_characters"),
        ("AB12345678", "too_long"),
    ],
)
def test_bad_numbers_are_errors_on_the_number(number, code):
    result = validate_passport_number(number, "PAK")
    assert [(e.field, e.code) for e in result.errors] == [("passport_number", code)]
    assert result.number is None
    assert result.identity_key is None


@pytest.mark.parametrize(("code", "normalised"), [("PAK", "PAK"), (" irq ", "IRQ"), ("D", "D")])
def test_state_codes(code, normalised):
    assert validate_state_code(code).code == normalised
    assert validate_state_code("D<<").code == "D"


@pytest.mark.parametrize("code", ["PK", "PAKI", "P4K", "<PK", "P<K", "", None, "ÄÖÜ"])
def test_bad_state_codes_are_errors_on_the_state(code):
    result = validate_passport_number("AB1234567", code)
    assert not result.valid
    assert result.error_fields() == {"issuing_state"}
    assert result.identity_key is None


@given(
    st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=9),
    st.data(),
)
def test_case_and_spaces_do_not_change_the_number(number, data):
    typed = "".join(
        data.draw(st.sampled_from([ch, ch.lower()])) + data.draw(st.sampled_from(["", " "]))
        for ch in number
    )
    assert validate_passport_number(f"  {typed} ", "UTO").number == number


@given(st.one_of(st.text(), st.none(), st.integers()), st.one_of(st.text(), st.none()))
def test_random_input_never_raises(number, state):
    result = validate_passport_number(number, state)
    assert isinstance(result, PassportNumberResult)
    assert result.valid == (not result.errors)
    if result.valid:
        assert 1 <= len(result.number) <= 9
