"""The TD3 parser on the ICAO specimen, on pasted noise, and on each kind of fault."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.identity.strategies import (
    MRZ_CHARS,
    SPECIMEN,
    SPECIMEN_TEXT,
    TODAY,
    recheck,
    replace_at,
)
from zaireen.pilgrims.identity import MrzResult, build_td3, parse_td3

L1, L2 = SPECIMEN


def test_the_icao_specimen_is_structurally_valid_and_expired_in_2026():
    result = parse_td3(SPECIMEN_TEXT, today=TODAY)
    assert result.valid
    assert result.errors == ()
    assert (result.document_type, result.issuing_state, result.nationality) == ("P", "UTO", "UTO")
    assert (result.surname, result.given_names, result.names_truncated) == (
        "ERIKSSON",
        "ANNA MARIA",
        False,
    )
    assert result.document_number == "L898902C3"
    assert result.birth_date == date(1974, 8, 12)
    assert result.sex == "F"
    assert result.expiry_date == date(2012, 4, 15)
    assert result.personal_number == "ZE184226B"
    assert result.cnic is None
    assert result.expired is True
    assert [(w.field, w.code) for w in result.warnings] == [("expiry_date", "expired")]
    assert result.warnings[0].message == "The passport expired on 2012-04-15."


def test_the_specimen_was_not_expired_before_its_expiry_date():
    result = parse_td3(SPECIMEN_TEXT, today=date(2012, 4, 15))
    assert result.valid
    assert result.expired is False
    assert result.warnings == ()


@pytest.mark.parametrize(
    "pasted",
    [
        SPECIMEN_TEXT.lower(),
        f"\n  {L1}  \n\n\t{L2}\n\n",
        f"{L1}\r\n{L2}\r\n",
        f"{L1}{L2}",  # both lines run together
        SPECIMEN_TEXT.replace("<", "«"),
        " ".join(L1[i : i + 4] for i in range(0, 44, 4)) + "\n" + L2,
        [L1, "", L2],
        (L1.lower(), L2),
    ],
)
def test_common_paste_noise_is_forgiven(pasted):
    result = parse_td3(pasted, today=TODAY)
    assert result.valid
    assert result.lines == SPECIMEN
    assert result.document_number == "L898902C3"


@pytest.mark.parametrize(
    ("lines", "field", "length"),
    [
        ((L1[:-1], L2), "line1", 43),
        ((L1 + "<", L2), "line1", 45),
        ((L1, L2[:-1]), "line2", 43),
        ((L1, L2 + "0"), "line2", 45),
    ],
)
def test_a_line_of_the_wrong_length_is_a_clear_error_not_a_guess(lines, field, length):
    result = parse_td3("\n".join(lines), today=TODAY)
    assert not result.valid
    assert [(e.field, e.code) for e in result.errors] == [(field, "line_length")]
    assert f"has {length} characters" in result.errors[0].message
    assert result.document_number is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "required"),
        ("\n \n", "required"),
        (L1, "line_count"),
        ("\n".join([L1, L2, L2]), "line_count"),
        (
            "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n"
            "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
            "unsupported_format",
        ),
        (f"{L2}\n{L1}", "lines_swapped"),
    ],
)
def test_layout_errors_are_reported_on_the_zone(text, code):
    result = parse_td3(text, today=TODAY)
    assert [(e.field, e.code) for e in result.errors] == [("mrz", code)]


def test_an_identity_card_specimen_is_recognised_as_td1():
    td1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n"
    td1 += "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
    assert "TD1" in parse_td3(td1, today=TODAY).errors[0].message


def test_a_visa_or_card_in_two_lines_of_44_is_not_a_passport():
    result = parse_td3(f"V{L1[1:]}\n{L2}", today=TODAY)
    assert [(e.field, e.code) for e in result.errors] == [("document_type", "not_a_passport")]


def _birth(yymmdd: str, today: date) -> MrzResult:
    return parse_td3(f"{L1}\n{recheck(replace_at(L2, 13, yymmdd))}", today=today)


@pytest.mark.parametrize(
    ("yymmdd", "today", "born"),
    [
        ("740812", date(2026, 5, 1), date(1974, 8, 12)),
        ("270101", date(2026, 5, 1), date(1927, 1, 1)),  # a later year is the 1900s
        ("260901", date(2026, 5, 1), date(1926, 9, 1)),  # so is a later day this year
        ("260401", date(2026, 5, 1), date(2026, 4, 1)),
        ("260501", date(2026, 5, 1), date(2026, 5, 1)),
        ("000229", date(2026, 5, 1), date(2000, 2, 29)),
        ("991231", date(2026, 5, 1), date(1999, 12, 31)),
    ],
)
def test_a_birth_year_reads_as_the_latest_century_not_in_the_future(yymmdd, today, born):
    result = _birth(yymmdd, today)
    assert result.valid
    assert result.birth_date == born


@pytest.mark.parametrize(("yymmdd", "expires"), [("991231", 2099), ("740812", 2074)])
def test_an_expiry_year_is_always_20yy(yymmdd, expires):
    result = parse_td3(f"{L1}\n{recheck(replace_at(L2, 21, yymmdd))}", today=TODAY)
    assert result.valid
    assert result.expiry_date.year == expires
    assert result.expired is False


@pytest.mark.parametrize(
    ("position", "text", "field", "code"),
    [
        (13, "741332", "birth_date", "invalid_date"),
        (13, "7408AB", "birth_date", "invalid_date"),
        (21, "120231", "expiry_date", "invalid_date"),
        (21, "12<<<<", "expiry_date", "invalid_date"),
        (20, "Q", "sex", "invalid_sex"),
        (10, "U1O", "nationality", "invalid_state_code"),
        (0, "<<<<<<<<<", "document_number", "empty"),
        (0, "L89<902C3", "document_number", "filler_inside"),
    ],
)
def test_bad_field_data_is_an_error_on_that_field(position, text, field, code):
    result = parse_td3(f"{L1}\n{recheck(replace_at(L2, position, text))}", today=TODAY)
    assert [(e.field, e.code) for e in result.errors] == [(field, code)]


def test_an_unknown_birth_date_is_a_warning():
    result = _birth("7408<<", TODAY)
    assert result.valid
    assert result.birth_date is None
    assert "birth_date" in result.warning_fields()


@pytest.mark.parametrize(
    ("line", "position", "field"), [(1, 7, "names"), (2, 3, "document_number")]
)
def test_stray_characters_are_reported_on_their_field(line, position, field):
    lines = list(SPECIMEN)
    lines[line - 1] = replace_at(lines[line - 1], position, "$")
    result = parse_td3("\n".join(lines), today=TODAY)
    assert (field, "invalid_characters") in [(e.field, e.code) for e in result.errors]


@pytest.mark.parametrize(("char", "sex"), [("M", "M"), ("F", "F"), ("<", "X"), ("X", "X")])
def test_sex(char, sex):
    assert parse_td3(f"{L1}\n{replace_at(L2, 20, char)}", today=TODAY).sex == sex


@pytest.mark.parametrize("check", ["<", "0"])
def test_an_unused_personal_number_may_have_filler_or_zero_as_check(check):
    line2 = recheck(replace_at(L2, 28, "<" * 14))
    result = parse_td3(f"{L1}\n{replace_at(line2, 42, check)}", today=TODAY)
    assert result.valid
    assert result.personal_number == ""


def test_a_truncated_name_fills_the_field_to_the_end():
    line1 = "P<UTOERIKSSON<<ANNA<MARIA<ELISABETH<CHARLOTT"
    result = parse_td3(f"{line1}\n{L2}", today=TODAY)
    assert result.valid
    assert (result.surname, result.given_names) == ("ERIKSSON", "ANNA MARIA ELISABETH CHARLOTT")
    assert result.names_truncated


def test_a_long_surname_alone_may_be_truncated_too():
    line1 = "P<UTO" + "WOLFESCHLEGELSTEINHAUSENBERGERDORFFWELC"
    result = parse_td3(f"{line1}\n{L2}", today=TODAY)
    assert result.valid
    assert result.names_truncated
    assert result.given_names == ""


def test_a_zone_without_a_surname_is_an_error():
    line1 = "P<UTO<<ANNA<MARIA" + "<" * 27
    result = parse_td3(f"{line1}\n{L2}", today=TODAY)
    assert [(e.field, e.code) for e in result.errors] == [("surname", "empty")]


def _pakistani(personal_number: str, sex: str = "M") -> MrzResult:
    line1, line2 = build_td3(
        surname="Hussain",
        given_names="Ali Raza",
        document_number="AB1234567",
        issuing_state="PAK",
        birth_date=date(1980, 3, 1),
        sex=sex,
        expiry_date=date(2030, 3, 1),
        personal_number=personal_number,
    )
    return parse_td3([line1, line2], today=TODAY)


def test_a_pakistani_passport_exposes_the_cnic_of_its_personal_number():
    result = _pakistani("3520212345671")
    assert result.valid
    assert result.warnings == ()
    assert result.cnic == "3520212345671"


def test_a_pakistani_personal_number_that_is_no_cnic_is_an_error():
    for personal in ("9520212345671", "352021234567", "AB12"):
        result = _pakistani(personal)
        assert [(e.field, e.code) for e in result.errors] == [("personal_number", "cnic_invalid")]
        assert result.cnic is None


def test_a_pakistani_passport_without_a_cnic_is_only_warned_about():
    result = _pakistani("")
    assert result.valid
    assert [(w.field, w.code) for w in result.warnings] == [("personal_number", "cnic_missing")]


def test_the_cnic_sex_parity_is_checked_against_the_passport_sex_as_a_warning():
    result = _pakistani("3520212345671", sex="F")
    assert result.valid
    assert result.cnic == "3520212345671"
    assert [(w.field, w.code) for w in result.warnings] == [("personal_number", "sex_parity")]


def test_only_pakistani_passports_are_read_for_a_cnic():
    line1, line2 = build_td3(
        surname="Hussain",
        document_number="X1234567",
        issuing_state="GBR",
        birth_date=date(1980, 3, 1),
        sex="M",
        expiry_date=date(2030, 3, 1),
        personal_number="3520212345671",
    )
    result = parse_td3([line1, line2], today=TODAY)
    assert result.valid
    assert result.cnic is None


@given(st.one_of(st.text(), st.lists(st.text(), max_size=3), st.none(), st.integers()))
def test_random_text_never_raises(text):
    result = parse_td3(text, today=TODAY)
    assert isinstance(result, MrzResult)
    assert result.valid == (not result.errors)


@given(st.lists(st.text(MRZ_CHARS + "$a «", min_size=44, max_size=44), min_size=2, max_size=2))
def test_random_lines_of_the_right_length_never_raise(lines):
    result = parse_td3(lines, today=TODAY)
    assert isinstance(result, MrzResult)
    assert result.valid == (not result.errors)
