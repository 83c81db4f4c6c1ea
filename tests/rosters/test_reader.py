"""Reading roster files (pure: no database): CSV in every encoding and delimiter Excel uses,
XLSX, and every kind of bad file, refused with its reason."""

import csv
import datetime
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.rosters.conftest import HEADERS, as_csv, as_xlsx, row
from zaireen.rosters import reader
from zaireen.rosters.columns import BY_FIELD, REQUIRED
from zaireen.rosters.reader import FileRefused, Limits, open_table

LIMITS = Limits()


def refused(data: bytes, limits: Limits = LIMITS) -> str:
    with pytest.raises(FileRefused) as caught, open_table(data, limits=limits) as table:
        list(table.records())
    return caught.value.reason


def records(data: bytes, limits: Limits = LIMITS) -> list[reader.Record]:
    with open_table(data, limits=limits) as table:
        return list(table.records())


# --- CSV: any encoding, any delimiter, any content ---------------------------------------------

CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)
OPTIONAL = [c.label for c in BY_FIELD.values() if not c.required]


@st.composite
def tables(draw):
    labels = [BY_FIELD[f].label for f in REQUIRED]
    labels += draw(st.lists(st.sampled_from(OPTIONAL), unique=True, max_size=4))
    labels = draw(st.permutations(labels))
    rows = draw(st.lists(st.lists(CELL, max_size=len(labels) + 2), max_size=8))
    return list(labels), rows


def _expected(rows):
    kept = []
    for values in rows:
        trimmed = list(values)
        while trimmed and not trimmed[-1].strip():
            trimmed.pop()
        if trimmed:
            kept.append(tuple(trimmed))
    return kept


@settings(max_examples=150)
@given(
    tables(),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    st.booleans(),
)
def test_a_csv_file_reads_back_cell_for_cell_in_any_encoding_and_delimiter(
    table, delimiter, encoding, sep_line
):
    labels, rows = table
    out = io.StringIO(newline="")
    if sep_line:
        out.write(f"sep={delimiter}\r\n")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(labels)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    expected = _expected(rows)
    if not expected:
        assert refused(data) == reader.ONLY_HEADERS
        return
    with open_table(data, limits=LIMITS) as opened:
        assert opened.sheet.delimiter == delimiter
        assert opened.sheet.encoding.replace("-sig", "") == encoding.replace("-sig", "")
        assert [opened.match.headers[i] for i in opened.match.fields] == list(labels)
        found = list(opened.records())
    assert [r.values for r in found] == expected
    numbers = [r.number for r in found]
    assert numbers == sorted(numbers)


@given(tables(), st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_utf16_without_a_byte_order_mark_is_recognised(table, encoding):
    labels, rows = table
    rows = [[cell.encode("ascii", "ignore").decode() for cell in values] for values in rows]
    out = io.StringIO(newline="")
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows([labels, *rows])
    data = out.getvalue().encode(encoding)
    if not _expected(rows):
        return
    assert [r.values for r in records(data)] == _expected(rows)


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_with_a_reason(data):
    try:
        with open_table(data, limits=LIMITS) as table:
            list(table.records())
    except FileRefused as exc:
        assert exc.render(lambda s: s)


@given(st.binary(max_size=300))
def test_any_bytes_in_a_zip_archive_are_refused_with_a_reason(data):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("xl/workbook.xml", data)
        z.writestr("[Content_Types].xml", data)
    try:
        records(archive.getvalue())
    except FileRefused as exc:
        assert exc.render(lambda s: s)


def test_a_comma_inside_a_title_line_does_not_decide_the_delimiter():
    text = "Roster for Arbaeen, 2026\r\n" + as_csv([row(1)], delimiter=";").decode()
    found = records(text.encode())
    assert found[0].values[2] == "JAFRI"


def test_a_header_row_below_a_title_row_and_urdu_headers_are_found():
    urdu = ["خاندانی نام", "شناختی کارڈ نمبر", "پاسپورٹ نمبر", "تاریخ تنسیخ", "تاریخ پیدائش", "جنس"]
    data = as_xlsx(
        [dict(zip(urdu, ["JAFRI", "35202-1234567-1", "AB1234567", "2031-01-01",
                         "1970-01-01", "M"], strict=True))],
        headers=urdu, before=[["Roster of Karbala Tours"], []],
    )  # fmt: skip
    with open_table(data, limits=LIMITS) as table:
        assert table.header.number == 3
        assert set(table.match.fields.values()) == set(REQUIRED)
        assert [r.number for r in table.records()] == [4]


# --- Bad files: each refused with a clear reason --------------------------------------------


def test_not_a_spreadsheet_is_refused():
    assert refused(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 1 0 obj") == reader.NOT_SPREADSHEET
    assert refused(b"\x89PNG\r\n\x1a\n" + bytes(range(256))) == reader.NOT_SPREADSHEET


def test_a_renamed_binary_is_refused_whatever_its_name():
    assert refused(bytes(range(256)) * 4) in (reader.NOT_SPREADSHEET, reader.ENCODING)
    assert refused(b"MZ\x90\x00\x03" + b"\x00" * 100) == reader.NOT_SPREADSHEET


def test_a_password_protected_workbook_is_refused():
    # Excel encrypts a workbook into an OLE2 container ("EncryptedPackage").
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    assert refused(ole) == reader.OLD_OR_LOCKED
    # A ZIP with encrypted members.
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("xl/workbook.xml", b"<workbook/>")
    data = bytearray(archive.getvalue())
    for marker in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.find(marker)
        offset = 6 if marker == b"PK\x03\x04" else 8
        data[at + offset] |= 0x1
    assert refused(bytes(data)) == reader.ENCRYPTED


def test_a_workbook_that_inflates_past_the_limit_is_refused_before_reading():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b" " * (3 * 1024 * 1024))
    data = bomb.getvalue()
    assert len(data) < 20_000
    small = Limits(max_unzipped_bytes=2 * 1024 * 1024)
    assert refused(data, small) == reader.BOMB
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(30):
            z.writestr(f"xl/media/{i}.xml", "")
    assert refused(many.getvalue(), Limits(max_zip_members=20)) == reader.BOMB


DTD = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'


def test_a_workbook_with_a_document_type_declaration_is_refused():
    """What an XML bomb ("billion laughs") needs, and Excel never writes."""
    good = io.BytesIO(as_xlsx([row(1)]))
    out = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                head, sep, rest = content.partition(b"?>")
                content = (head + sep if sep else b"") + DTD + (rest if sep else content)
            target.writestr(info, content)
    assert refused(out.getvalue()) == reader.DOCTYPE


def test_other_archives_are_refused_for_what_they_are():
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office/>")
    assert refused(ods.getvalue()) == reader.OPEN_DOCUMENT
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("roster.csv", "Surname,CNIC")
    assert refused(plain.getvalue()) == reader.NOT_WORKBOOK
    assert refused(b"PK\x03\x04 not really a zip") == reader.NOT_SPREADSHEET


def test_an_empty_file_is_refused():
    assert refused(b"") == reader.EMPTY
    assert refused(b" \r\n\r\n ") == reader.EMPTY
    assert refused("\ufeff".encode()) == reader.EMPTY
    book = io.BytesIO()
    Workbook().save(book)
    assert refused(book.getvalue()) == reader.EMPTY


def test_a_file_with_headers_only_is_refused():
    assert refused(as_csv([])) == reader.ONLY_HEADERS
    assert refused(as_xlsx([])) == reader.ONLY_HEADERS
    assert refused(as_csv([{}, {}])) == reader.ONLY_HEADERS  # rows of empty cells


def test_a_file_without_a_header_row_or_with_missing_columns_is_refused():
    assert refused(b"JAFRI,ZAINAB\nRIZVI,ALI\n") == reader.NO_HEADER
    with pytest.raises(FileRefused) as caught:
        records(as_csv([row(1)], headers=["Surname", "CNIC", "Passport number"]))
    assert caught.value.reason == reader.MISSING
    message = caught.value.render(lambda s: s)
    assert "Passport expiry, Date of birth, Sex" in message
    with pytest.raises(FileRefused) as caught:
        records(as_csv([row(1)], headers=[*HEADERS, "CNIC No."]))
    assert caught.value.reason == reader.DUPLICATE
    assert "E, M" in caught.value.render(lambda s: s)


def test_a_row_with_ten_thousand_columns_is_refused():
    wide = as_csv([row(1)]).decode() + ",".join(["x"] * 10_000) + "\r\n"
    assert refused(wide.encode()) == reader.TOO_WIDE
    assert records((as_csv([row(1)]).decode() + "," * 10_000 + "\r\n").encode()) != []
    data = as_xlsx([row(1)], setup=lambda s: s.cell(row=3, column=10_000, value="x"))
    assert refused(data) == reader.TOO_WIDE


def test_a_50_mb_cell_is_refused():
    huge = "Z" * (50 * 1024 * 1024)
    data = as_csv([row(1, Surname=huge)])
    assert refused(data) == reader.TOO_BIG
    assert refused(data, Limits(max_bytes=64 * 1024 * 1024)) == reader.CSV_CELL_TOO_LONG
    long = as_csv([row(1, Surname="Z" * 100_000)])
    assert refused(long) == reader.CELL_TOO_LONG
    workbook = as_xlsx([row(1, Surname="Z" * 20_000)])
    assert refused(workbook) == reader.CELL_TOO_LONG


def test_a_file_with_more_rows_than_allowed_is_refused():
    data = as_csv([row(i) for i in range(6)])
    assert refused(data, Limits(max_rows=5)) == reader.TOO_MANY_ROWS
    assert len(records(data, Limits(max_rows=6))) == 6


def test_a_csv_file_in_another_encoding_is_refused():
    data = as_csv([row(1, Surname="JAFRÍ")], encoding="latin-1")
    assert refused(data) == reader.ENCODING


def test_formulas_come_through_as_their_text_for_the_checks_to_refuse():
    data = as_xlsx([row(1, CNIC="=A1&B1")])
    (found,) = records(data)
    assert found.values[HEADERS.index("CNIC")] == "=A1&B1"


def test_merged_cells_down_a_column_fill_every_row_and_across_columns_are_an_error():
    def merge(sheet):
        sheet.merge_cells("A2:A4")  # one trip code for three pilgrims
        sheet.merge_cells("C5:D5")  # surname and given names in one cell

    rows = [row(i, trip="ARB-A" if i == 1 else None) for i in range(1, 5)]
    found = records(as_xlsx(rows, setup=merge))
    assert [r.values[0] for r in found[:3]] == ["ARB-A"] * 3
    assert found[3].problems == ((2, reader.MERGED, {"range": "C5:D5"}),)
    assert not any(r.problems for r in found[:3])


def test_dates_as_dates_serial_numbers_and_text_all_come_through():
    serial = (datetime.date(1970, 5, 1) - datetime.date(1899, 12, 30)).days
    rows = [
        row(1, **{"Date of birth": datetime.date(1970, 5, 1)}),
        row(2, **{"Date of birth": serial}),
        row(3, **{"Date of birth": "01/05/1970"}),
    ]
    found = records(as_xlsx(rows))
    column = HEADERS.index("Date of birth")
    assert [type(r.values[column]).__name__ for r in found] == ["datetime", "int", "str"]


def test_a_big_workbook_has_only_its_archive_checked_in_the_request():
    data = as_xlsx([row(i) for i in range(3)], headers=["Surname", "Sex"])  # columns missing
    assert reader.check_file(data, limits=LIMITS, open_workbooks_up_to=100) == "xlsx"
    with pytest.raises(FileRefused):
        reader.check_file(data, limits=LIMITS, open_workbooks_up_to=10**9)
    with pytest.raises(FileRefused):
        reader.check_file(b"%PDF", limits=LIMITS, open_workbooks_up_to=100)
