"""ICAO 9303 check digits: weights 7-3-1, `<` = 0, A = 10 … Z = 35, sum mod 10."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.identity.strategies import MRZ_CHARS, SPECIMEN
from zaireen.pilgrims.identity.checkdigit import char_value, check_digit


def test_the_specimen_check_digits_are_those_of_reference_facts_f7_9():
    line2 = SPECIMEN[1]
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    assert check_digit(line2[0:9]) == 6  # document number
    assert check_digit(line2[13:19]) == 2  # birth date
    assert check_digit(line2[21:27]) == 9  # expiry
    assert check_digit(line2[28:42]) == 1  # personal number
    assert check_digit(composite) == 0
    assert line2[9] + line2[19] + line2[27] + line2[42] + line2[43] == "62910"


@pytest.mark.parametrize(("ch", "value"), [("<", 0), ("0", 0), ("9", 9), ("A", 10), ("Z", 35)])
def test_character_values(ch, value):
    assert char_value(ch) == value


@pytest.mark.parametrize("ch", ["a", "«", " ", "", "AB", "é"])
def test_anything_else_is_not_an_mrz_character(ch):
    with pytest.raises(ValueError, match="not an MRZ character"):
        char_value(ch)


@given(st.text(MRZ_CHARS, max_size=40), st.text(MRZ_CHARS, min_size=1, max_size=1))
def test_filler_and_zero_weigh_the_same_so_the_scheme_cannot_tell_them_apart(head, tail):
    assert check_digit(head + "<" + tail) == check_digit(head + "0" + tail)
