"""The pole a case names: a whole number on the Najaf–Karbala gazetteer, or nothing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zaireen.cases.services import pole_check
from zaireen.core.errors import ValidationFailed
from zaireen.planning.poles import POLE_COUNT


@given(st.integers(min_value=-10_000, max_value=10_000), st.booleans())
def test_a_pole_is_accepted_exactly_when_it_is_on_the_road(number, as_text):
    value = str(number) if as_text else number
    if 1 <= number <= POLE_COUNT:
        assert pole_check(value) == number
    else:
        with pytest.raises(ValidationFailed) as caught:
            pole_check(value)
        assert list(caught.value.errors) == ["pole"]


@given(st.text(max_size=8).filter(lambda t: t.strip() and not t.strip().isdecimal()))
def test_anything_but_a_number_is_refused_with_the_field(text):
    with pytest.raises(ValidationFailed) as caught:
        pole_check(text, field="where")
    assert list(caught.value.errors) == ["where"]


def test_urdu_digits_are_read():
    assert pole_check("۵۷۸") == 578
    with pytest.raises(ValidationFailed):
        pole_check("²")


def test_nothing_is_no_pole():
    assert pole_check(None) is None
    assert pole_check("") is None
