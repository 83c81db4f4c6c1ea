"""Property tests: built zones parse back to their fields; a single-character fault in a
checked field is caught by that field's check digit."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.identity.strategies import MRZ_CHARS, SPECIMEN, TODAY, replace_at, td3_fields
from zaireen.pilgrims.identity import build_td3, parse_td3
from zaireen.pilgrims.identity.checkdigit import char_value

# Line 2 positions (0-based) each check digit covers, the check digit's own position, and the
# field a fault there belongs to. The composite (position 43) covers the other checked spans.
CHECKED = {
    "document_number": (range(0, 9), 9),
    "birth_date": (range(13, 19), 19),
    "expiry_date": (range(21, 27), 27),
    "personal_number": (range(28, 42), 42),
}


ROUND_TRIP = (
    "document_type",
    "issuing_state",
    "surname",
    "given_names",
    "document_number",
    "nationality",
    "birth_date",
    "sex",
    "expiry_date",
    "personal_number",
)


@given(td3_fields())
def test_a_built_zone_parses_back_to_its_fields(fields):
    today = fields.pop("today")
    lines = build_td3(**fields)
    assert [len(line) for line in lines] == [44, 44]
    result = parse_td3("\n".join(lines), today=today)
    assert result.errors == ()
    assert {name: getattr(result, name) for name in ROUND_TRIP} == {
        name: fields[name] for name in ROUND_TRIP
    }
    assert result.expired == (fields["expiry_date"] < today)
    assert {w.code for w in result.warnings} <= {"expired"}


@given(td3_fields(pakistani=True))
def test_a_built_pakistani_zone_gives_back_its_cnic(fields):
    today = fields.pop("today")
    result = parse_td3(build_td3(**fields), today=today)
    assert result.valid
    assert result.cnic == fields["personal_number"]
    assert {w.code for w in result.warnings} <= {"expired", "sex_parity"}


@st.composite
def faulty_zone(draw):
    """A valid zone, a checked position of line 2, and a replacement the check must catch."""
    fields = draw(td3_fields())
    today = fields.pop("today")
    line1, line2 = build_td3(**fields)
    position = draw(st.sampled_from([p for p in range(44) if p not in (10, 11, 12, 20)]))
    original = line2[position]
    replacement = draw(
        st.sampled_from([c for c in MRZ_CHARS if (char_value(c) - char_value(original)) % 10 != 0])
    )
    return today, line1, line2, position, replacement


def _field_at(position: int) -> str:
    for field, (span, check) in CHECKED.items():
        if position in span or position == check:
            return field
    return "composite"


@settings(max_examples=300)
@given(faulty_zone())
def test_a_single_character_fault_fails_the_right_check_digit(case):
    today, line1, line2, position, replacement = case
    result = parse_td3(f"{line1}\n{replace_at(line2, position, replacement)}", today=today)
    field = _field_at(position)
    failed_checks = {f for f in result.error_fields() if f.endswith("_check")}
    # Every checked position is also covered by the composite, except the composite itself.
    assert failed_checks == {f"{field}_check", "composite_check"}
    # The changed data may also be malformed (a month 13, a filler inside a number), but on
    # its own field only.
    assert result.error_fields() <= {field, f"{field}_check", "composite_check"}


def test_a_fault_weighing_a_multiple_of_ten_goes_unnoticed():
    """7-3-1 mod 10 cannot see `0` turned into `A` (10), or `<` into `0`: the reason the
    property above only makes changes whose values differ by other than a multiple of ten."""
    line2 = replace_at(SPECIMEN[1], 5, "A")  # L898902C3 becomes L8989A2C3
    result = parse_td3(f"{SPECIMEN[0]}\n{line2}", today=TODAY)
    assert result.valid
    assert result.document_number == "L8989A2C3"
