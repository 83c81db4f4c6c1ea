"""The header matcher and the cell readers (pure: no database), with hypothesis."""

import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from zaireen.rosters import columns
from zaireen.rosters.columns import (
    COLUMNS,
    REQUIRED,
    CellError,
    cell_text,
    column_letter,
    match_header,
    match_headers,
    normalise_header,
    parse_blood_group,
    parse_date,
    parse_flag,
    parse_role,
    parse_sex,
)
from zaireen.rosters.spreadsheets import neutralise

SYNONYMS = [(c.field, name) for c in COLUMNS for name in (c.label, *c.synonyms)]
SPACES = st.sampled_from([" ", "  ", "\t", "\u00a0", "_", " - ", "."])


@pytest.mark.parametrize(("field", "header"), SYNONYMS)
def test_every_header_of_the_template_and_its_synonyms_names_its_column(field, header):
    assert match_header(header) == field


@st.composite
def spelt(draw):
    """A known header as people type it: any case, other spaces, a note in parentheses,
    punctuation around, a required-field star."""
    field, header = draw(st.sampled_from(SYNONYMS))
    words = header.split()
    flips = draw(st.lists(st.booleans(), min_size=len(header), max_size=len(header)))
    cased = "".join(c.upper() if f else c.lower() for c, f in zip(header, flips, strict=True))
    words = cased.split()
    text = words[0]
    for word in words[1:]:
        text += draw(SPACES) + word
    text = draw(st.sampled_from(["", " ", "  ", "\t"])) + text
    text += draw(st.sampled_from(["", " ", ":", " *", "*", ".", " (as in passport)", " #"]))
    return field, text


@given(spelt())
@example(("cnic", " C.N.I.C No. "))
@example(("guardian_name", "Father's/Husband's Name"))
@example(("birth_date", "Date of Birth (DD/MM/YYYY)"))
@example(("birth_date", "dateOfBirth"))
@example(("cnic", "شناختی کارڈ نمبر"))
@example(("next_of_kin_phone", "Emergency Contact No."))
def test_headers_match_whatever_their_case_spacing_and_punctuation(case):
    field, text = case
    assert match_header(text) == field


@given(st.text())
def test_normalising_a_header_is_idempotent_and_never_fails(text):
    once = normalise_header(text)
    assert normalise_header(once) == once
    assert once == once.strip()
    assert "  " not in once
    match_header(text)  # never raises


@given(
    st.lists(st.sampled_from([c.field for c in COLUMNS]), unique=True, min_size=2),
    st.lists(st.sampled_from(["Remarks", "Sr. No", "Notes from office", "x", ""]), max_size=3),
    st.randoms(use_true_random=False),
)
def test_a_header_row_maps_each_column_to_its_field_in_any_order(chosen, junk, rng):
    labels = [columns.BY_FIELD[f].label for f in chosen] + junk
    rng.shuffle(labels)
    found = match_headers(labels)
    expected = {i: match_header(label) for i, label in enumerate(labels) if match_header(label)}
    assert found.fields == expected
    assert set(found.fields.values()) == set(chosen)
    assert set(found.missing) == set(REQUIRED) - set(chosen)
    assert not found.duplicates
    unknown = {labels[i] for i in found.unknown}
    assert unknown <= {"Notes from office", "x"}


def test_a_column_named_twice_is_a_duplicate_read_from_neither():
    found = match_headers(["CNIC", "Surname", "cnic no.", "Sex"])
    assert found.duplicates == (("cnic", (0, 2)),)
    assert "cnic" not in found.fields.values()
    assert "cnic" in found.missing


@given(st.integers(min_value=0, max_value=18277))
def test_column_letters_count_like_a_spreadsheet(index):
    letters = column_letter(index)
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    assert number == index + 1
    assert column_letter(0) == "A"
    assert column_letter(26) == "AA"


DATES = st.dates(min_value=datetime.date(1901, 1, 1), max_value=datetime.date(2099, 12, 31))
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
URDU_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@given(DATES, st.sampled_from(range(9)))
def test_a_date_reads_back_in_every_accepted_form(day, form):
    text = [
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}-{day.month}-{day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        day.isoformat(),
        f"{day.isoformat()} 00:00:00",
        f"{day.day} {MONTHS[day.month - 1]} {day.year}",
        f"{day.day}-{MONTHS[day.month - 1].upper()}-{day.year}",
        f"{MONTHS[day.month - 1]} {day.day}, {day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year}".translate(URDU_DIGITS),
    ][form]
    assert parse_date(text) == day


@given(DATES)
def test_a_date_reads_back_as_an_excel_serial_number(day):
    serial = (day - datetime.date(1899, 12, 30)).days
    assert parse_date(serial) == day
    assert parse_date(float(serial) + 0.25) == day  # a time of day is dropped
    assert parse_date(datetime.datetime.combine(day, datetime.time(8, tzinfo=datetime.UTC))) == day
    if serial >= 10000:
        assert parse_date(str(serial)) == day
    mac = (day - datetime.date(1904, 1, 1)).days
    if mac > 0:
        assert parse_date(mac, epoch_1904=True) == day


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()))
def test_reading_a_date_cell_never_fails_otherwise(value):
    try:
        result = parse_date(value)
    except CellError as exc:
        assert exc.reason in (columns.NOT_A_DATE, columns.NO_SUCH_DATE, columns.SHORT_YEAR)
    else:
        assert result is None or isinstance(result, datetime.date)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("31/02/2000", columns.NO_SUCH_DATE), ("31/01/70", columns.SHORT_YEAR),
     ("1970", columns.NOT_A_DATE), ("yesterday", columns.NOT_A_DATE),
     ("31 Foo 1970", columns.NOT_A_DATE)],
)  # fmt: skip
def test_a_date_that_cannot_be_read_says_why(text, reason):
    with pytest.raises(CellError) as caught:
        parse_date(text)
    assert caught.value.reason == reason


def test_flags_sexes_roles_and_blood_groups_read_their_usual_spellings():
    assert [parse_flag(v) for v in ("yes", "Y", "1", "ہاں", True, 1.0, "", None, "no")] == [
        True, True, True, True, True, True, False, False, False,
    ]  # fmt: skip
    with pytest.raises(CellError):
        parse_flag("maybe")
    assert [parse_sex(v) for v in ("m", "Female", "عورت", "X", "mard")] == ["M", "F", "F", "X", "M"]
    assert parse_sex("boy") == "boy"  # left for the pilgrim rules to refuse in their words
    assert [parse_role(v) for v in ("", "Group Leader", "salar", "doctor")] == [
        "pilgrim", "leader", "leader", "medic",
    ]  # fmt: skip
    with pytest.raises(CellError):
        parse_role("driver")
    assert [parse_blood_group(v) for v in ("a +", "B+ve", "O negative", "ab-")] == [
        "A+", "B+", "O-", "AB-",
    ]  # fmt: skip


def test_numbers_read_as_text_without_a_spurious_decimal():
    assert cell_text(3520212345671.0) == "3520212345671"
    assert cell_text(3001234567) == "3001234567"
    assert cell_text(datetime.datetime(2031, 1, 31, tzinfo=None)) == "2031-01-31"  # noqa: DTZ001
    assert cell_text("  ZAINAB ") == "ZAINAB"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"))))
@example('=HYPERLINK("http://x")')
@example("+923001234567")
@example("'=already")
def test_a_neutralised_cell_reads_as_the_original(text):
    """The report's apostrophe is undone on reading: a corrected report uploads as the file."""
    safe = neutralise(text)
    assert not str(safe).startswith(columns.FORMULA_STARTS)
    assert cell_text(safe) == cell_text(text)
