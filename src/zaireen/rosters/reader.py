"""Reading a roster file: CSV or XLSX, told apart by their bytes, streamed row by row.

Pure Python and openpyxl (nothing from Django). What a file is comes from its content, never
its name: a workbook renamed .csv is read as a workbook, a renamed picture is refused.

- CSV: UTF-8 (with or without a byte-order mark) or UTF-16 as Excel's "Unicode text" saves
  it; the delimiter (`,` `;` or tab) is sniffed from the first lines, or taken from Excel's
  `sep=` line. Other encodings are refused rather than guessed, since a wrong guess would
  silently garble names.
- XLSX: before openpyxl sees it, the archive is checked (its size once unpacked, encryption,
  document type declarations, which Excel never writes and XML bombs need) and the sheet's
  merged cells and row count are read from the raw XML in the same pass. openpyxl then
  streams the first worksheet in read-only mode.

Every refusal is a `FileRefused` with an English reason marked for translation.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain

from zaireen.pilgrims.identity.reasons import gettext_noop
from zaireen.rosters.columns import (
    BY_FIELD,
    COLUMNS,
    HeaderMatch,
    column_letter,
    match_header,
    match_headers,
)

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 32 * MB
    max_rows: int = 100_000
    max_columns: int = 100
    max_cell_chars: int = 5_000
    max_unzipped_bytes: int = 512 * MB
    max_zip_members: int = 1_000
    header_search_rows: int = 10


EMPTY = gettext_noop("The file is empty.")
TOO_BIG = gettext_noop(
    "The file is %(size_mb)s MB; at most %(max_mb)s MB. Split the roster into several files."
)
NOT_SPREADSHEET = gettext_noop(
    "This is not a spreadsheet. Upload the roster as an Excel workbook (.xlsx) or a CSV file."
)
OLD_OR_LOCKED = gettext_noop(
    "This is an old Excel 97–2003 file (.xls) or a password-protected workbook. Open it in "
    "Excel, remove any password and save it as an Excel workbook (.xlsx)."
)
OPEN_DOCUMENT = gettext_noop(
    "This is an OpenDocument spreadsheet. Save it as an Excel workbook (.xlsx) or as CSV."
)
NOT_WORKBOOK = gettext_noop("This is a ZIP archive, not an Excel workbook.")
ENCRYPTED = gettext_noop("The workbook is password-protected. Save it again without a password.")
BOMB = gettext_noop(
    "The workbook unpacks to more than %(max_mb)s MB, far more than a roster needs. Save only "
    "the roster's sheet and try again."
)
DAMAGED = gettext_noop(
    "The workbook cannot be read; it may be damaged. Open it in Excel and save it again."
)
DOCTYPE = gettext_noop(
    "The workbook contains XML that Excel never writes (a document type declaration) and "
    "is refused. Open it in Excel and save it again."
)
NO_SHEET = gettext_noop("The workbook has no worksheet.")
ENCODING = gettext_noop(
    "The CSV file is not in UTF-8 or UTF-16. In Excel choose File → Save as → "
    "“CSV UTF-8 (comma delimited)”."
)
TOO_WIDE = gettext_noop(
    "Row %(row)s has %(count)s columns; a roster has at most %(max)s. Delete the extra columns."
)
CELL_TOO_LONG = gettext_noop(
    "Row %(row)s, column %(column)s holds %(count)s characters; a cell holds at most %(max)s."
)
CSV_CELL_TOO_LONG = gettext_noop(
    "Row %(row)s holds a cell longer than a roster allows, or a quotation mark that is never "
    "closed."
)
CSV_BROKEN = gettext_noop("Row %(row)s cannot be read as CSV.")
NO_HEADER = gettext_noop(
    "No header row found: the first row must name the columns (Surname, CNIC, …). Download "
    "the template to see them."
)
MISSING = gettext_noop("The file has no column for: %(labels)s. Download the template to see them.")
DUPLICATE = gettext_noop("Columns %(columns)s all hold %(label)s; keep only one of them.")
ONLY_HEADERS = gettext_noop("The file has a header row but no pilgrims below it.")
TOO_MANY_ROWS = gettext_noop(
    "The file has more than %(max)s rows. Split it into files of at most %(max)s rows."
)
MERGED = gettext_noop("cells %(range)s are merged: unmerge them and fill in every row")


class FileRefused(Exception):
    """A file that cannot be imported at all. `reason` is an English template; parameters
    whose names end in `label` (or `labels`, a tuple) are column labels, translated too."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason % params if params else reason)
        self.reason = reason
        self.params = params

    def render(self, gettext) -> str:
        params = {}
        for name, value in self.params.items():
            if name.endswith("labels"):
                value = ", ".join(gettext(v) for v in value)
            elif name.endswith("label"):
                value = gettext(value)
            params[name] = value
        return gettext(self.reason) % params if params else gettext(self.reason)


@dataclass(frozen=True)
class Record:
    """One row as the spreadsheet numbers it, its raw values (trailing empty cells dropped)
    and problems the reader saw in it, as (0-based column, reason template, parameters)."""

    number: int
    values: tuple
    problems: tuple[tuple[int, str, dict], ...] = ()


def present(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _trim(values) -> list:
    values = list(values)
    while values and not present(values[-1]):
        values.pop()
    return values


def _check_row(number: int, values: list, limits: Limits) -> None:
    if len(values) > limits.max_columns:
        raise FileRefused(TOO_WIDE, row=number, count=len(values), max=limits.max_columns)
    for index, value in enumerate(values):
        if isinstance(value, str) and len(value) > limits.max_cell_chars:
            raise FileRefused(CELL_TOO_LONG, row=number, column=column_letter(index),
                              count=len(value), max=limits.max_cell_chars)  # fmt: skip


# --- Telling formats apart ----------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_BINARY = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf",
           b"BM", b"\x00\x00\x01\x00", b"MZ", b"\x7fELF", b"{\\rtf")  # fmt: skip


def sniff_encoding(data: bytes) -> str:
    """The text encoding of CSV bytes, or `FileRefused`: a byte-order mark decides; without
    one, zero bytes in every other place mean UTF-16, anything else must be UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        head = data[:4096]
        even, odd = head[0::2], head[1::2]
        if odd and odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
            encoding = "utf-16-le"
        elif even and even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
            encoding = "utf-16-be"
        else:
            encoding = "utf-8"
    return encoding


HEAD_BYTES = 65536


def _head(data: bytes, encoding: str) -> str:
    """The first 64 KB of the text (for sniffing), or `FileRefused`; the rest is decoded as
    it is read, so a file is never held twice in memory."""
    head = data[:HEAD_BYTES]
    try:
        text = head.decode(encoding)
    except UnicodeDecodeError as exc:
        if len(data) <= HEAD_BYTES or exc.start < len(head) - 4:
            raise FileRefused(ENCODING) from None
        text = head[: exc.start].decode(encoding)  # a character cut at the end of the head
    if "\x00" in text:
        raise FileRefused(NOT_SPREADSHEET)
    return text


DELIMITERS = (",", ";", "\t")
_SEP_LINE = re.compile(r'"?sep=(.)"?\s*$', re.I)


def sniff_delimiter(text: str) -> str:
    """`,` `;` or tab: Excel's `sep=` line if there is one; else the one that splits one of
    the first lines into the most known headers (so a comma inside a title line or a note
    does not decide); else the one that splits the first line into the most cells (ties in
    that order)."""
    head = text[:65536]
    first = head.split("\n", 1)[0].strip("\r")
    if (found := _SEP_LINE.match(first)) and found[1] in DELIMITERS:
        return found[1]
    lines = [line for line in head.splitlines() if line.strip()][:10]
    scores: dict[str, tuple[int, int]] = {}
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        known = max((sum(match_header(v) is not None for v in r) for r in rows), default=0)
        scores[delimiter] = (known, len(rows[0]) if rows else 0)
    return max(DELIMITERS, key=lambda d: (scores.get(d, (0, 0)), -DELIMITERS.index(d)))


# --- Sheets -------------------------------------------------------------------------------


@dataclass
class Sheet:
    """Rows of one file: `rows()` streams them; `close()` frees the file."""

    kind: str
    limits: Limits
    encoding: str = ""
    delimiter: str = ""
    epoch_1904: bool = False
    estimated_rows: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)

    def rows(self) -> Iterator[Record]:
        raise NotImplementedError

    def close(self) -> None:
        """Nothing to free by default."""

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class CsvSheet(Sheet):
    def __init__(self, data: bytes, head: str, *, encoding: str, limits: Limits) -> None:
        super().__init__("csv", limits, encoding=encoding, delimiter=sniff_delimiter(head))
        self.data = data
        newline = {"utf-16-le": b"\n\x00", "utf-16-be": b"\x00\n"}.get(encoding, b"\n")
        if encoding == "utf-16":
            newline = b"\n\x00" if data.startswith(b"\xff\xfe") else b"\x00\n"
        self.estimated_rows = data.count(newline) + 1

    def rows(self) -> Iterator[Record]:
        stream = io.TextIOWrapper(io.BytesIO(self.data), encoding=self.encoding, newline="")
        reader = csv.reader(stream, delimiter=self.delimiter)
        number = 0
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise FileRefused(ENCODING) from None
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise FileRefused(CSV_CELL_TOO_LONG, row=number + 1) from None
                if "NUL" in str(exc):
                    raise FileRefused(NOT_SPREADSHEET) from None
                raise FileRefused(CSV_BROKEN, row=number + 1) from None
            number += 1
            values = _trim(fields)
            _check_row(number, values, self.limits)
            yield Record(number, tuple(values))


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")
_END_DATA = re.compile(rb"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\s*/>")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')
_DTD = (b"<!DOCTYPE", b"<!ENTITY")
MAX_MERGE_XML = 16 * MB


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _shared_strings(source) -> list[str]:
    """The workbook's shared strings, as openpyxl's `read_string_table` reads them (plain
    text and rich-text runs, phonetic runs left out), about ten times faster: a roster of
    100,000 rows holds some 400,000 of them."""
    from xml.etree.ElementTree import iterparse

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    item, text, run = f"{main}si", f"{main}t", f"{main}r"
    strings = []
    # The archive was scanned for document type declarations before (`XlsxSheet._scan`), so
    # expat sees no entities to expand.
    for _event, node in iterparse(source):  # noqa: S314
        if node.tag == item:
            plain = node.find(text)
            parts = [plain.text or ""] if plain is not None else []
            parts.extend(r.findtext(text) or "" for r in node.iterfind(run))
            strings.append("".join(parts).replace("x005F_", ""))
            node.clear()
    return strings


def _load_workbook(data: bytes):
    """openpyxl's `load_workbook(read_only=True, data_only=False, keep_links=False)` with the
    faster shared-strings reader (openpyxl 3.1's `ExcelReader`, whose `read_strings` it
    replaces)."""
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader

    class Reader(ExcelReader):
        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as source:
                    self.shared_strings = _shared_strings(source)

    reader = Reader(io.BytesIO(data), read_only=True, keep_vba=False, data_only=False,
                    keep_links=False)  # fmt: skip
    reader.read()
    return reader.wb


class XlsxSheet(Sheet):
    def __init__(self, data: bytes, *, limits: Limits, load: bool = True) -> None:
        """`load=False` checks the archive only (no openpyxl): for a quick answer to an
        upload too big to open in a request."""
        super().__init__("xlsx", limits)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
            raise FileRefused(NOT_SPREADSHEET) from None
        self._wb = None
        try:
            self._inspect(infos)
            if load:
                self._open(data)
        except BaseException:
            self.close()
            raise

    def _inspect(self, infos: list[zipfile.ZipInfo]) -> None:
        names = {info.filename for info in infos}
        if len(infos) > self.limits.max_zip_members:
            raise FileRefused(BOMB, max_mb=self.limits.max_unzipped_bytes // MB)
        if "xl/workbook.xml" not in names:
            raise FileRefused(OPEN_DOCUMENT if "content.xml" in names else NOT_WORKBOOK)
        if any(info.flag_bits & 0x1 for info in infos):
            raise FileRefused(ENCRYPTED)
        if sum(info.file_size for info in infos) > self.limits.max_unzipped_bytes:
            raise FileRefused(BOMB, max_mb=self.limits.max_unzipped_bytes // MB)
        self._row_counts: dict[str, int] = {}
        self._merges: dict[str, list[tuple[int, int, int, int]]] = {}
        for info in infos:
            if info.filename.endswith((".xml", ".rels", ".vml")):
                self._scan(info)

    def _scan(self, info: zipfile.ZipInfo) -> None:
        """One streaming pass over an XML part: refuse document type declarations; for a
        worksheet, count its rows and read its merged cells (they follow the rows)."""
        sheet = info.filename.startswith("xl/worksheets/")
        rows, tail, in_data, after = 0, b"", True, bytearray()
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(MB):
                    window = tail + chunk
                    if any(marker in window for marker in _DTD):
                        raise FileRefused(DOCTYPE)
                    if sheet and in_data:
                        rows += len(_ROW_TAG.findall(chunk))
                        if end := _END_DATA.search(window):
                            in_data = False
                            after += window[end.end() :]
                    elif sheet and len(after) < MAX_MERGE_XML:
                        after += chunk
                    tail = window[-32:]
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise FileRefused(DAMAGED) from None
        if sheet:
            self._row_counts[info.filename] = rows
            self._merges[info.filename] = [
                (_column_number(a), int(b), _column_number(c), int(d))
                for a, b, c, d in _MERGE.findall(bytes(after))
            ]

    def _open(self, data: bytes) -> None:
        from openpyxl.utils.datetime import MAC_EPOCH

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._wb = _load_workbook(data)
        except FileRefused:
            raise
        except Exception:  # openpyxl raises many kinds on a malformed part
            raise FileRefused(DAMAGED) from None
        sheets = self._wb.worksheets
        if not sheets:
            raise FileRefused(NO_SHEET)
        self._ws = sheets[0]
        path = str(getattr(self._ws, "_worksheet_path", "")).lstrip("/")
        self.estimated_rows = self._row_counts.get(path, 0)
        self.merged = sorted(
            (m for m in self._merges.get(path, []) if m[:2] != m[2:]), key=lambda m: m[1]
        )
        self.epoch_1904 = self._wb.epoch == MAC_EPOCH

    def rows(self) -> Iterator[Record]:
        ws = self._ws
        ws.reset_dimensions()  # a wrong <dimension> would cut rows off
        pending = list(self.merged)
        active: list[tuple[int, int, int, int]] = []
        tops: dict[tuple[int, int, int, int], object] = {}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
                    values = _trim(cells)
                    _check_row(number, values, self.limits)
                    while pending and pending[0][1] <= number:
                        active.append(pending.pop(0))
                    active = [m for m in active if m[3] >= number]
                    problems = []
                    for merge in active:
                        values, problem = self._merged(merge, number, values, tops)
                        if problem:
                            problems.append(problem)
                    yield Record(number, tuple(values), tuple(problems))
        except FileRefused:
            raise
        except Exception:
            raise FileRefused(DAMAGED) from None

    @staticmethod
    def _merged(merge, number: int, values: list, tops: dict):
        """A cell merged down one column takes the value shown at the top of the merge; a
        merge across columns is an error on every row it spans (which column holds what?)."""
        min_col, min_row, max_col, max_row = merge
        if min_col != max_col:
            span = f"{column_letter(min_col - 1)}{min_row}:{column_letter(max_col - 1)}{max_row}"
            return values, (min_col - 1, MERGED, {"range": span})
        index = min_col - 1
        if number == min_row:
            tops[merge] = values[index] if index < len(values) else None
        elif not (index < len(values) and present(values[index])):
            values = values + [None] * (index + 1 - len(values))
            values[index] = tops.get(merge)
            values = _trim(values)
        return values, None

    def close(self) -> None:
        if self._wb is not None:
            self._wb.close()
            self._wb = None
        self._zip.close()


def check_file(data: bytes, *, limits: Limits, open_workbooks_up_to: int) -> str:
    """What a request can check of an upload, quickly: "csv" or "xlsx", or `FileRefused`.

    A CSV file, or a workbook of at most `open_workbooks_up_to` bytes, is opened and its
    header row and first row checked (`open_table`). A bigger workbook only has its archive
    checked here: opening it (its shared strings) takes seconds, so its header is checked
    by the preview job.
    """
    if data.startswith(_ZIP) and len(data) > open_workbooks_up_to:
        if len(data) > limits.max_bytes:
            raise FileRefused(TOO_BIG, size_mb=_mb(len(data)), max_mb=_mb(limits.max_bytes))
        XlsxSheet(data, limits=limits, load=False).close()
        return "xlsx"
    with open_table(data, limits=limits) as table:
        return table.sheet.kind


def open_sheet(data: bytes, *, limits: Limits) -> Sheet:
    """The rows of `data`, a CSV or XLSX file; `FileRefused` when it is neither or breaks a
    limit that shows before reading rows."""
    if len(data) > limits.max_bytes:
        raise FileRefused(TOO_BIG, size_mb=_mb(len(data)), max_mb=_mb(limits.max_bytes))
    if not data.strip():
        raise FileRefused(EMPTY)
    if data.startswith(_OLE):
        raise FileRefused(OLD_OR_LOCKED)
    if data.startswith(_ZIP):
        return XlsxSheet(data, limits=limits)
    if data.startswith(_BINARY):
        raise FileRefused(NOT_SPREADSHEET)
    encoding = sniff_encoding(data)
    head = _head(data, encoding)
    if not head.strip() and len(data) <= HEAD_BYTES:
        raise FileRefused(EMPTY)
    return CsvSheet(data, head, encoding=encoding, limits=limits)


def _mb(size: int) -> str:
    return f"{size / MB:.1f}".rstrip("0").rstrip(".")


# --- Tables: a header and the rows below it -----------------------------------------------


@dataclass
class Table:
    """A sheet with its header row found and matched; `records()` streams the rows below it
    that hold anything (at most `limits.max_rows`)."""

    sheet: Sheet
    header: Record
    match: HeaderMatch
    _rest: Iterator[Record]
    _first: Record
    width: int = 0

    def records(self) -> Iterator[Record]:
        count = 0
        for record in chain((self._first,), self._rest):
            if not any(present(v) for v in record.values):
                continue
            count += 1
            if count > self.sheet.limits.max_rows:
                raise FileRefused(TOO_MANY_ROWS, max=self.sheet.limits.max_rows)
            self.width = max(self.width, len(record.values))
            yield record

    def close(self) -> None:
        self.sheet.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_table(data: bytes, *, limits: Limits) -> Table:
    """Open `data`, find its header row (the first with two or more known headers, among the
    first `limits.header_search_rows` rows that hold anything) and peek at the first row
    below it. `FileRefused` for an empty file, no header, headers that are missing or named
    twice, and a file with headers only."""
    sheet = open_sheet(data, limits=limits)
    try:
        rows = sheet.rows()
        header, match, seen = None, None, 0
        for record in rows:
            if not any(present(v) for v in record.values):
                continue
            seen += 1
            candidate = match_headers(record.values)
            if len(candidate.fields) + len(candidate.duplicates) >= 2:
                header, match = record, candidate
                break
            if seen >= limits.header_search_rows:
                break
        if header is None or match is None:
            raise FileRefused(NO_HEADER if seen else EMPTY)
        if match.duplicates:
            field_name, indexes = match.duplicates[0]
            raise FileRefused(DUPLICATE, columns=", ".join(column_letter(i) for i in indexes),
                              label=BY_FIELD[field_name].label)  # fmt: skip
        if match.missing:
            labels = tuple(c.label for c in COLUMNS if c.field in match.missing)
            raise FileRefused(MISSING, labels=labels)
        first = next((r for r in rows if any(present(v) for v in r.values)), None)
        if first is None:
            raise FileRefused(ONLY_HEADERS)
        return Table(sheet, header, match, rows, first, width=len(header.values))
    except BaseException:
        sheet.close()
        raise
