"""Spreadsheets Zaireen writes: the roster template and the error report.

The report is the uploaded file again, every row as it was read, with an "errors" and a
"warnings" column added, in the same format (XLSX stays XLSX; CSV comes back as UTF-8 with a
byte-order mark and the same delimiter, which Excel opens as it is). Every text cell that a
spreadsheet would take for a formula (starting with = + - @, a tab or a carriage return)
gets a leading apostrophe, so opening the report runs nothing; reading a file undoes it
(`columns.cell_text`), so a corrected report can be uploaded again.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from zaireen.rosters.columns import COLUMNS, DATE, FLAG, FORMULA_STARTS, column_letter
from zaireen.rosters.reader import Limits, Sheet, open_sheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
TEXT_COLUMNS = ("trip_code", "cnic", "passport_number", "phone", "next_of_kin_phone", "mrz")
TEMPLATE_ROWS = 2000  # rows the template's drop-down lists cover


def neutralise(value: object) -> object:
    """A cell value that no spreadsheet will run as a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def write_report(
    data: bytes,
    *,
    limits: Limits,
    width: int,
    header_row: int,
    notes: dict[int, tuple[str, str]],
    labels: tuple[str, str],
    progress: Callable[[int], None] | None = None,
) -> tuple[bytes, str, str]:
    """The report of `data`: (content, extension, content type). `notes` maps a row number
    to its (errors, warnings) text; the two columns go after column `width`."""
    with open_sheet(data, limits=limits) as sheet:
        rows = _report_rows(sheet, width=width, header_row=header_row, notes=notes,
                            labels=labels, progress=progress)  # fmt: skip
        if sheet.kind == "xlsx":
            return _xlsx(rows, width=width), "xlsx", XLSX_TYPE
        return _csv(rows, delimiter=sheet.delimiter), "csv", CSV_TYPE


def _report_rows(sheet: Sheet, *, width, header_row, notes, labels, progress) -> Iterable[list]:
    for record in sheet.rows():
        values = [neutralise(v) for v in record.values]
        values += [None] * (width - len(values))
        if record.number == header_row:
            values += list(labels)
        else:
            errors, warnings = notes.get(record.number, ("", ""))
            values += [neutralise(errors) or None, neutralise(warnings) or None]
        if progress and record.number % 1000 == 0:
            progress(record.number)
        yield values


def _xlsx(rows: Iterable[list], *, width: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Report")
    red = Font(color="9C0006")
    for values in rows:
        # Neutralised text never starts with "=", so openpyxl writes it as text, never as a
        # formula; only the errors cell needs a cell object (for its colour).
        if len(values) > width and values[width]:
            cell = WriteOnlyCell(sheet, value=values[width])
            cell.font = red
            values = [*values[:width], cell, *values[width + 1 :]]
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: Iterable[list], *, delimiter: str) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter or ",", lineterminator="\r\n")
    for values in rows:
        writer.writerow([_text(v) for v in values])
    return out.getvalue().encode("utf-8-sig")


def write_template(gettext: Callable[[str], str], *, limits: Limits) -> bytes:
    """The roster template: a "Pilgrims" sheet with every column, an example row, text and
    date formats and drop-down lists, and a "Notes" sheet saying what each column takes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Pilgrims"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    example = Font(italic=True, color="808080")
    for index, column in enumerate(COLUMNS, start=1):
        letter = column_letter(index - 1)
        header = sheet.cell(row=1, column=index, value=column.label)
        header.font, header.fill = bold, fill
        value = column.example
        if column.kind == DATE and value:
            value = datetime.date.fromisoformat(str(value))
        cell = sheet.cell(row=2, column=index, value=value)
        cell.font = example
        if column.field in TEXT_COLUMNS:
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.kind == DATE:
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
        sheet.column_dimensions[letter].width = max(14, len(column.label) + 4)
        choices = {
            "sex": "M,F,X",
            "role": "pilgrim,leader,deputy,medic",
            "blood_group": "A+,A-,B+,B-,AB+,AB-,O+,O-",
        }.get(column.field) or ("yes,no" if column.kind == FLAG else "")
        if choices:
            rule = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
            rule.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"

    notes = book.create_sheet("Notes")
    wrap = Alignment(wrap_text=True, vertical="top")
    lines = [
        gettext("One pilgrim per row, below the header row. Keep the headers: they may be "
                "in any order, and other columns are ignored."),
        gettext("Delete the example row (row 2) before you upload: it is never imported."),
        gettext("Dates: day first (31/01/2031), or year first (2031-01-31), or Excel dates."),
        gettext("Save as an Excel workbook (.xlsx) or as CSV UTF-8; at most %(rows)s rows and "
                "%(mb)s MB per file.") % {"rows": f"{limits.max_rows:,}",
                                          "mb": limits.max_bytes // (1024 * 1024)},
        gettext("Uploading shows every mistake by row and column first; nothing is saved "
                "until you commit the valid rows."),
    ]  # fmt: skip
    for line in lines:
        notes.append([line])
        notes.cell(row=notes.max_row, column=1).alignment = wrap
    notes.append([])
    notes.append([gettext("Column"), gettext("Required"), gettext("What to enter"),
                  gettext("Also read under these headers")])  # fmt: skip
    for cell in notes[notes.max_row]:
        cell.font, cell.fill = bold, fill
    for column in COLUMNS:
        notes.append([
            gettext(column.label),
            gettext("yes") if column.required else gettext("no"),
            gettext(column.help),
            ", ".join(column.synonyms[:8]),
        ])  # fmt: skip
        for cell in notes[notes.max_row]:
            cell.alignment = wrap
    for letter, size in zip("ABCD", (28, 10, 70, 60), strict=True):
        notes.column_dimensions[letter].width = size
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
