"""The builder writes what the parser reads, and refuses what a zone cannot hold."""

from datetime import UTC, date, datetime

import pytest

from tests.identity.strategies import SPECIMEN, TODAY
from zaireen.pilgrims.identity import build_td3, mrz_name_field, parse_td3

ANNA = {
    "surname": "Eriksson",
    "given_names": "Anna Maria",
    "document_number": "L898902C3",
    "issuing_state": "UTO",
    "birth_date": date(1974, 8, 12),
    "sex": "F",
    "expiry_date": date(2012, 4, 15),
    "personal_number": "ZE184226B",
}


def test_the_builder_writes_the_icao_specimen_character_for_character():
    assert build_td3(**ANNA) == SPECIMEN


def test_names_are_written_as_icao_prescribes():
    field, cut = mrz_name_field("D'Souza Al-Hussaini", "Zainab Bibi")
    assert field == "DSOUZA<AL<HUSSAINI<<ZAINAB<BIBI<<<<<<<<"
    assert not cut


def test_long_names_are_cut_and_read_back_as_truncated():
    lines = build_td3(**{**ANNA, "given_names": "Anna Maria Elisabeth Charlotte Sophia"})
    assert lines[0] == "P<UTOERIKSSON<<ANNA<MARIA<ELISABETH<CHARLOTT"
    result = parse_td3(lines, today=TODAY)
    assert result.valid
    assert result.names_truncated
    assert result.given_names == "ANNA MARIA ELISABETH CHARLOTT"


def test_a_cnic_with_dashes_is_written_as_thirteen_digits():
    lines = build_td3(**{**ANNA, "issuing_state": "PAK", "personal_number": "35202-1234567-2"})
    assert lines[1][28:43] == "3520212345672<" + lines[1][42]
    assert parse_td3(lines, today=TODAY).cnic == "3520212345672"


@pytest.mark.parametrize(
    "change",
    [
        {"surname": "حسین"},
        {"surname": ""},
        {"given_names": "Ali 2"},
        {"document_type": "I"},
        {"document_number": "AB12345678"},
        {"document_number": ""},
        {"issuing_state": "PK"},
        {"nationality": "P4K"},
        {"sex": "Q"},
        {"personal_number": "A" * 15},
    ],
)
def test_fields_a_zone_cannot_hold_are_refused(change):
    with pytest.raises(ValueError):  # noqa: PT011 - each refusal has its own message
        build_td3(**{**ANNA, **change})


def test_the_parser_cuts_a_datetime_given_as_today_to_its_date():
    lines = build_td3(**{**ANNA, "expiry_date": date(2026, 5, 1)})
    assert parse_td3(lines, today=datetime(2026, 5, 1, 23, 59, tzinfo=UTC)).expired is False
