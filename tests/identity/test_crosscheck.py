"""Typed fields against the zone: each mismatch reported on the typed field."""

from datetime import date

import pytest

from tests.identity.strategies import SPECIMEN_TEXT, TODAY
from zaireen.pilgrims.identity import build_td3, crosscheck_mrz, parse_td3

SPECIMEN = parse_td3(SPECIMEN_TEXT, today=TODAY)
TYPED = {
    "document_number": "l898902c3",
    "birth_date": date(1974, 8, 12),
    "expiry_date": date(2012, 4, 15),
    "surname": "Eriksson",
    "given_names": "Anna Maria",
    "issuing_state": "uto",
    "nationality": "UTO",
    "sex": "female",
}


def test_matching_fields_pass_and_say_what_was_compared():
    result = crosscheck_mrz(SPECIMEN, **TYPED)
    assert result.valid
    assert set(result.checked) == set(TYPED)


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("document_number", "L898902C4"),
        ("birth_date", date(1974, 12, 8)),
        ("expiry_date", date(2022, 4, 15)),
        ("surname", "Eriksen"),
        ("given_names", "Anna"),
        ("given_names", "Maria Anna"),
        ("issuing_state", "PAK"),
        ("nationality", "SWE"),
        ("sex", "M"),
    ],
)
def test_each_mismatch_is_an_error_on_its_own_field(field, typed):
    result = crosscheck_mrz(SPECIMEN, **{**TYPED, field: typed})
    assert [(e.field, e.code) for e in result.errors] == [(field, "mismatch")]
    assert str(typed) not in result.errors[0].message


def test_fields_not_typed_are_not_compared():
    result = crosscheck_mrz(SPECIMEN, document_number="L898902C3", surname="")
    assert result.valid
    assert result.checked == ("document_number",)


@pytest.mark.parametrize("typed", ["anna-maria", "Anna  Maria", "ÀNNA MARÍA", "Anna, Maria"])
def test_names_are_compared_as_icao_writes_them(typed):
    assert crosscheck_mrz(SPECIMEN, given_names=typed).valid


@pytest.mark.parametrize(("in_zone", "typed"), [("Mueller", "Müller"), ("Muller", "Müller")])
def test_either_icao_transliteration_or_dropped_accents_match(in_zone, typed):
    zone = parse_td3(
        build_td3(
            surname=in_zone,
            given_names="Hans",
            document_number="C01X00T47",
            issuing_state="D",
            birth_date=date(1964, 8, 12),
            sex="M",
            expiry_date=date(2030, 10, 31),
        ),
        today=TODAY,
    )
    assert zone.valid
    assert crosscheck_mrz(zone, surname=typed).valid


def test_a_truncated_name_need_only_begin_the_typed_one():
    line1 = "P<UTOERIKSSON<<ANNA<MARIA<ELISABETH<CHARLOTT"
    zone = parse_td3(f"{line1}\n{SPECIMEN.lines[1]}", today=TODAY)
    assert crosscheck_mrz(zone, given_names="Anna Maria Elisabeth Charlotte").valid
    wrong = crosscheck_mrz(zone, given_names="Anna Maria Elisabeth Christina")
    assert wrong.error_fields() == {"given_names"}


def test_typed_given_names_that_the_zone_lacks_are_a_mismatch():
    zone = parse_td3(f"P<UTOERIKSSON{'<' * 31}\n{SPECIMEN.lines[1]}", today=TODAY)
    assert crosscheck_mrz(zone, given_names="Anna").error_fields() == {"given_names"}


def _pakistani_zone():
    return parse_td3(
        build_td3(
            surname="Bibi",
            given_names="Zainab",
            document_number="AB1234567",
            issuing_state="PAK",
            birth_date=date(1958, 1, 20),
            sex="F",
            expiry_date=date(2031, 6, 30),
            personal_number="3520212345672",
        ),
        today=TODAY,
    )


def test_the_typed_cnic_is_checked_against_the_one_in_a_pakistani_passport():
    zone = _pakistani_zone()
    assert zone.cnic == "3520212345672"
    assert crosscheck_mrz(zone, cnic="35202-1234567-2", document_number="AB1234567").valid
    wrong = crosscheck_mrz(zone, cnic="35202-1234567-4")
    assert [(e.field, e.code) for e in wrong.errors] == [("cnic", "mismatch")]
    assert crosscheck_mrz(zone, cnic="not a cnic").error_fields() == {"cnic"}


def test_an_unreadable_zone_confirms_nothing():
    result = crosscheck_mrz(parse_td3("", today=TODAY), **TYPED)
    assert result.valid
    assert result.checked == ()
