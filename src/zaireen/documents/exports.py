"""Spreadsheet exports (XLSX and CSV) that a spreadsheet can open without running anything.

A cell whose text starts with `=`, `+`, `-` or `@` is read as a formula by Excel, LibreOffice
and Google Sheets ("CSV injection"); tab and carriage return lead to the same on import. Every
value goes through `safe_cell`, which prefixes such text with a single quote, as OWASP
recommends. In an XLSX file the quote also keeps openpyxl from writing the text as a formula.

Pure apart from openpyxl: the callers pass header and rows, these return bytes.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# The OWASP list, and the full-width forms that some spreadsheets fold into it.
DANGEROUS_FIRST = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
# Characters XML 1.0 (and so XLSX) cannot hold; openpyxl refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")
XLSX_MAX_CELL = 32_767
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | float | Decimal | datetime.date


def safe_cell(value: Any) -> Cell:
    """`value` as a cell that no spreadsheet runs.

    Text loses the control characters XML cannot hold and, when it then starts with a
    dangerous character, gets a leading `'`. Numbers and dates stay numbers and dates
    (they are typed cells, never formulas); None is an empty cell; anything else is text.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    text = _NOT_XML.sub("", str(value))[: XLSX_MAX_CELL - 1]
    if text and text[0] in DANGEROUS_FIRST:
        return "'" + text
    return text


def _text(value: Cell) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads Urdu names correctly; every field quoted."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([_text(safe_cell(h)) for h in header])
    for row in rows:
        writer.writerow([_text(safe_cell(v)) for v in row])
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet: a bold, frozen header row and the rows; every cell typed, none a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = _SHEET_TITLE.sub(" ", str(safe_cell(title)).lstrip("'"))[:31].strip() or "Sheet"
    sheet.append([safe_cell(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in header]
    for row in rows:
        cells = [safe_cell(v) for v in row]
        sheet.append(cells)
        for i, value in enumerate(cells[: len(widths)]):
            widths[i] = max(widths[i], min(len(_text(value)), 40))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width + 2
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                # openpyxl guesses 'f' for text starting with '='; safe_cell already made that
                # impossible, and this states the type outright.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
