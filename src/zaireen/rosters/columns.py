"""The columns of a roster file: what each holds, the headers it answers to, how cells read.

Pure Python (nothing from Django), so the header matcher and the cell readers can be tested
alone with hypothesis. Reasons are English templates marked with `gettext_noop`, translated
at the edge (`rosters.services`), as in `pilgrims.identity`.

Headers are matched whatever their case, spacing and punctuation ("CNIC No.", "cnic_no",
" C.N.I.C ") against the template's own headers, common English synonyms and Urdu headers.
Cells are read forgivingly (dates as text in the usual Pakistani forms or as Excel serial
numbers, yes/no in English or Urdu) and strictly checked afterwards by the pilgrim rules.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from zaireen.pilgrims.identity.normalise import ascii_digits
from zaireen.pilgrims.identity.reasons import gettext_noop

# Kinds of cell: how a cell's value is read before the pilgrim rules check it.
TEXT, DATE, FLAG, SEX, ROLE, STATE, BLOOD, TRIP = (
    "text", "date", "flag", "sex", "role", "state", "blood", "trip",
)  # fmt: skip


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # the template's header (English), marked for translation
    kind: str
    required: bool
    synonyms: tuple[str, ...]
    help: str
    example: object = ""


COLUMNS: tuple[Column, ...] = (
    Column("trip_code", gettext_noop("Trip code"), TRIP, False,
           ("trip", "trip no", "group", "group code", "group no", "tour code", "package",
            "package code", "caravan", "ٹرپ", "ٹرپ کوڈ", "گروپ", "گروپ کوڈ", "قافلہ"),
           gettext_noop("The code of one of your draft trips, to add the pilgrim to it; "
                        "leave it empty to register the pilgrim only."), "ZGO-2026-001"),
    Column("role", gettext_noop("Role"), ROLE, False,
           ("member role", "position", "as", "کردار", "حیثیت"),
           gettext_noop("pilgrim, leader, deputy or medic (empty: pilgrim); used with a trip "
                        "code only."), "pilgrim"),
    Column("surname", gettext_noop("Surname"), TEXT, True,
           ("last name", "family name", "lastname", "surname as in passport",
            "surname as in the passport", "خاندانی نام"),
           gettext_noop("As printed in the passport, in Latin letters."), "JAFRI"),
    Column("given_names", gettext_noop("Given names"), TEXT, False,
           ("given name", "first name", "first names", "forename", "forenames", "firstname",
            "given names as in passport", "given names as in the passport", "پہلا نام"),
           gettext_noop("As printed in the passport, in Latin letters."), "ZAINAB"),
    Column("name_urdu", gettext_noop("Name in Urdu"), TEXT, False,
           ("urdu name", "name urdu", "name in urdu", "اردو نام", "نام اردو", "اردو میں نام"),
           gettext_noop("Optional, in Urdu script."), "زینب جعفری"),
    Column("guardian_name", gettext_noop("Father's or husband's name"), TEXT, False,
           ("father name", "fathers name", "father s name", "husband name", "husbands name",
            "father husband name", "fathers husbands name", "father or husband name",
            "fathers or husbands name", "guardian", "guardian name", "s o", "d o", "w o",
            "s o d o w o", "parentage", "ولدیت", "والد کا نام", "ولد", "شوہر کا نام",
            "والد شوہر کا نام"),
           gettext_noop("Optional."), "SYED HASAN JAFRI"),
    Column("home_city", gettext_noop("Home city"), TEXT, False,
           ("city", "home town", "hometown", "city of residence", "residence", "district",
            "شہر", "آبائی شہر", "رہائش"),
           gettext_noop("Optional: where the pilgrim lives."), "Lahore"),
    Column("cnic", gettext_noop("CNIC"), TEXT, True,
           ("cnic", "nic", "id card", "id card no", "national id", "national identity card",
            "computerised national identity card", "computerized national identity card",
            "شناختی کارڈ", "قومی شناختی کارڈ", "کمپیوٹرائزڈ شناختی کارڈ"),
           gettext_noop("13 digits, with or without dashes: 35202-1234567-2. Format the column "
                        "as text so that Excel keeps every digit."), "35202-0000000-2"),
    Column("passport_number", gettext_noop("Passport number"), TEXT, True,
           ("passport", "passport no", "pp no", "pp number", "پاسپورٹ", "پاسپورٹ نمبر"),
           gettext_noop("As printed in the passport: AB1234567."), "AB0000000"),
    Column("passport_issuing_state", gettext_noop("Issuing state"), STATE, False,
           ("issuing country", "country of issue", "passport country", "passport issuing state",
            "issued by", "جاری کرنے والا ملک"),
           gettext_noop("The three-letter code of the country that issued the passport "
                        "(empty: PAK)."), "PAK"),
    Column("passport_expiry", gettext_noop("Passport expiry"), DATE, True,
           ("expiry", "expiry date", "date of expiry", "passport expiry date", "valid until",
            "passport valid until", "exp date", "expires", "پاسپورٹ کی میعاد", "تاریخ تنسیخ",
            "میعاد ختم"),
           gettext_noop("A date: DD/MM/YYYY, YYYY-MM-DD or an Excel date."), "2031-01-31"),
    Column("birth_date", gettext_noop("Date of birth"), DATE, True,
           ("dob", "birth date", "birthdate", "born", "date of birth dd mm yyyy",
            "تاریخ پیدائش"),
           gettext_noop("A date: DD/MM/YYYY, YYYY-MM-DD or an Excel date."), "1970-05-01"),
    Column("sex", gettext_noop("Sex"), SEX, True,
           ("gender", "m f", "جنس"),
           gettext_noop("M (male), F (female) or X (unspecified)."), "F"),
    Column("phone", gettext_noop("Mobile phone"), TEXT, False,
           ("phone", "mobile", "mobile number", "cell", "cell no", "cell number", "contact",
            "contact no", "contact number", "phone number", "whatsapp", "موبائل",
            "موبائل نمبر", "فون", "فون نمبر", "رابطہ نمبر"),
           gettext_noop("Optional: 0300 1234567 or +92 300 1234567."), "0300 1234567"),
    Column("next_of_kin_name", gettext_noop("Next of kin"), TEXT, False,
           ("next of kin name", "nok", "nok name", "emergency contact",
            "emergency contact name", "قریبی رشتہ دار", "وارث", "ہنگامی رابطہ"),
           gettext_noop("Who to call in an emergency. Needed before the trip is submitted."),
           "SYED HASAN JAFRI"),
    Column("next_of_kin_relation", gettext_noop("Relation"), TEXT, False,
           ("relationship", "nok relation", "next of kin relation", "relation to pilgrim",
            "رشتہ", "تعلق"),
           gettext_noop("Optional: father, son, wife…"), "father"),
    Column("next_of_kin_phone", gettext_noop("Next of kin's phone"), TEXT, False,
           ("next of kin phone", "next of kins phone", "next of kin s phone", "nok phone",
            "nok contact", "emergency phone", "emergency contact number",
            "emergency contact phone", "emergency number", "emergency contact no",
            "emergency no", "emergency mobile", "next of kin number", "next of kin no",
            "next of kin mobile", "next of kin contact", "next of kin contact no",
            "nok number", "nok no", "nok mobile", "nok cell", "قریبی رشتہ دار کا فون",
            "وارث کا فون", "ہنگامی رابطہ نمبر"),
           gettext_noop("Needed before the trip is submitted."), "0321 7654321"),
    Column("needs_wheelchair", gettext_noop("Needs a wheelchair"), FLAG, False,
           ("wheelchair", "needs wheelchair", "wheel chair", "وہیل چیئر"),
           gettext_noop("yes or no (empty: no)."), "no"),
    Column("needs_elderly_care", gettext_noop("Elderly, needs help"), FLAG, False,
           ("elderly", "elderly care", "needs elderly care", "needs help", "بزرگ", "معمر"),
           gettext_noop("yes or no (empty: no)."), "no"),
    Column("blood_group", gettext_noop("Blood group"), BLOOD, False,
           ("blood", "blood type", "بلڈ گروپ", "خون کا گروپ"),
           gettext_noop("Optional: A+, A-, B+, B-, AB+, AB-, O+ or O-."), "B+"),
    Column("medical_notes", gettext_noop("Medical notes"), TEXT, False,
           ("medical", "medical condition", "medical conditions", "health", "health notes",
            "illness", "طبی معلومات", "طبی نوٹ", "بیماری"),
           gettext_noop("Optional; kept encrypted."), ""),
    Column("mrz", gettext_noop("Machine-readable zone"), TEXT, False,
           ("mrz", "machine readable zone", "passport mrz"),
           gettext_noop("Optional: the two lines at the bottom of the passport's photo page, "
                        "in one cell; checked against the columns above."), ""),
)  # fmt: skip

BY_FIELD = {column.field: column for column in COLUMNS}
# The template's example row is recognised by its CNIC, so that it is never imported.
EXAMPLE_CNIC_DIGITS = "3520200000002"
REQUIRED = tuple(column.field for column in COLUMNS if column.required)
# Headers that are known and deliberately not read: serial numbers, and the columns our own
# error report adds (so a corrected report can be uploaded again).
IGNORED_HEADERS = frozenset(
    {"s", "sr", "sno", "s no", "sr no", "serial", "serial no", "no", "nr", "#", "errors",
     "warnings", "error", "warning", "remarks", "نمبر شمار", "غلطیاں"}
)  # fmt: skip
_NUMBER_WORDS = ("no", "number", "num", "nr", "نمبر")

# Tatweel, zero-width (non-)joiners and spaces, direction marks, byte-order mark.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u0640\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069\ufeff")
)
_PUNCTUATION = re.compile(r"[^\w\s]|_", re.UNICODE)
_PARENTHESISED = re.compile(r"[(\[{][^)\]}]*[)\]}]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def normalise_header(text: object) -> str:
    """A header as compared: NFKC, case-folded, punctuation and extra spaces removed.

    Idempotent; never raises. "Father's/Husband's Name" → "father s husband s name".
    """
    value = "" if text is None else str(text)
    value = unicodedata.normalize("NFKC", value).translate(_INVISIBLE)
    # Vowel marks (Urdu zer, zabar…) are not letters to `\w`: drop them rather than split.
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Mn").casefold()
    value = _PUNCTUATION.sub(" ", value)
    return " ".join(value.split())


def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.field, column.label, *column.synonyms):
            key = normalise_header(name)
            if table.setdefault(key, column.field) != column.field:
                raise AssertionError(f"header {name!r} names two columns")
    return table


HEADERS = _table()


def _candidates(text: object) -> list[str]:
    raw = "" if text is None else str(text)
    plain = normalise_header(raw)
    bare = normalise_header(_PARENTHESISED.sub(" ", unicodedata.normalize("NFKC", raw)))
    found = [plain, bare]
    if " " not in raw.strip():  # "dateOfBirth", "passportNo"
        found.append(normalise_header(_CAMEL.sub(" ", raw)))
    for name in (plain, bare):
        words = name.split()
        # "Father's name" reads "father s name"; "C.N.I.C." reads "c n i c".
        words = [w for w in words if w != "s"] or words
        found.append(" ".join(words))
        found.append(_join_letters(words))
    for name in list(found):
        words = name.split()
        if len(words) > 1 and words[-1] in _NUMBER_WORDS:
            found.append(" ".join(words[:-1]))
    return found


def _join_letters(words: list[str]) -> str:
    """Runs of one-letter words joined: ["c", "n", "i", "c", "no"] → "cnic no"."""
    out: list[str] = []
    run = ""
    for word in words:
        if len(word) == 1:
            run += word
            continue
        if run:
            out.append(run)
            run = ""
        out.append(word)
    if run:
        out.append(run)
    return " ".join(out)


def match_header(text: object) -> str | None:
    """The field a header names, or None. Never raises."""
    for candidate in _candidates(text):
        if candidate in HEADERS:
            return HEADERS[candidate]
    return None


def is_ignored_header(text: object) -> bool:
    """A header known not to be read (a serial number, our report's errors) or that is only
    punctuation."""
    return any(c in IGNORED_HEADERS or not c for c in _candidates(text))


@dataclass(frozen=True)
class HeaderMatch:
    """Which column (0-based index) holds which field, and what is wrong with the headers."""

    fields: dict[int, str]
    headers: tuple[str, ...]
    unknown: tuple[int, ...] = ()
    duplicates: tuple[tuple[str, tuple[int, ...]], ...] = ()

    @property
    def missing(self) -> tuple[str, ...]:
        present = set(self.fields.values())
        return tuple(field for field in REQUIRED if field not in present)

    @property
    def columns(self) -> dict[str, int]:
        return {field: index for index, field in self.fields.items()}


def match_headers(headers: list[object] | tuple[object, ...]) -> HeaderMatch:
    """Match a header row. A field named by two columns is reported in `duplicates` and read
    from neither; headers that name nothing (and are not known to be ignored) in `unknown`."""
    texts = tuple("" if h is None else str(h).strip() for h in headers)
    seen: dict[str, list[int]] = {}
    unknown = []
    for index, text in enumerate(texts):
        if not text:
            continue
        field = match_header(text)
        if field is None:
            if not is_ignored_header(text):
                unknown.append(index)
            continue
        seen.setdefault(field, []).append(index)
    fields = {indexes[0]: field for field, indexes in seen.items() if len(indexes) == 1}
    duplicates = tuple(
        (field, tuple(indexes)) for field, indexes in seen.items() if len(indexes) > 1
    )
    return HeaderMatch(dict(sorted(fields.items())), texts, tuple(unknown), duplicates)


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- Cells --------------------------------------------------------------------------------

FORMULA = gettext_noop("a formula: paste the values instead (Paste special → Values)")
NOT_A_DATE = gettext_noop("not a date: write it as DD/MM/YYYY or YYYY-MM-DD")
NO_SUCH_DATE = gettext_noop("there is no such date")
SHORT_YEAR = gettext_noop("write the year with four digits")
NOT_YES_NO = gettext_noop("write yes or no")
UNKNOWN_ROLE = gettext_noop("choose pilgrim, leader, deputy or medic")

# Excel counts days from 1899-12-30 (its 1900 system, after the 1900 leap-year bug) or from
# 1904-01-01 (the old Mac system, a workbook setting).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
EXCEL_EPOCH_1904 = datetime.date(1904, 1, 1)
MAX_SERIAL = 2_958_465  # 9999-12-31
# Characters a spreadsheet treats as the start of a formula: our report neutralises them with
# a leading apostrophe, which reading undoes, so a corrected report reads as the original.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CellError(ValueError):
    """A cell that cannot be read; `reason` is an English template (see module docstring)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def cell_text(value: object) -> str:
    """A cell as text: numbers without a spurious `.0`, dates as ISO, our neutralising
    apostrophe removed, spaces around trimmed."""
    if value is None:
        return ""
    if isinstance(value, str):
        if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
            value = value[1:]
        return value.strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        midnight = value.time() == datetime.time()
        return value.date().isoformat() if midnight else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}  # fmt: skip
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_DMY = re.compile(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})" + _TIME)
_DMY_SHORT = re.compile(r"\d{1,2}[-/. ]\d{1,2}[-/. ]\d{2}|\d{1,2}[-/. ][A-Za-z]+[-/. ]\d{2}")
_D_MON_Y = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[-/. ]+([A-Za-z]+)\.?[-/., ]+(\d{4})" + _TIME)
_MON_D_Y = re.compile(r"([A-Za-z]+)\.?[-/. ]+(\d{1,2})(?:st|nd|rd|th)?,?[-/. ]+(\d{4})" + _TIME)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")


def _serial(number: float, *, epoch_1904: bool) -> datetime.date:
    if not 1 <= number <= MAX_SERIAL:
        raise CellError(NOT_A_DATE)
    epoch = EXCEL_EPOCH_1904 if epoch_1904 else EXCEL_EPOCH
    try:
        return epoch + datetime.timedelta(days=int(number))
    except OverflowError:
        raise CellError(NOT_A_DATE) from None


def _date(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(NO_SUCH_DATE) from None


def parse_date(value: object, *, epoch_1904: bool = False) -> datetime.date | None:
    """A date cell: a date, an Excel serial number, or text (day first, as in Pakistan:
    31/01/2031, 31-01-2031, 31.01.2031, 2031-01-31, 31 Jan 2031, Jan 31, 2031).

    None for an empty cell; `CellError` for anything else. Never guesses a century.
    """
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise CellError(NOT_A_DATE)
    if isinstance(value, int | float):
        return _serial(float(value), epoch_1904=epoch_1904)
    text = " ".join(ascii_digits(cell_text(value)).split())
    if not text:
        return None
    if _SERIAL.fullmatch(text):
        return _serial(float(text), epoch_1904=epoch_1904)
    if found := _YMD.fullmatch(text):
        return _date(int(found[1]), int(found[2]), int(found[3]))
    if found := _DMY.fullmatch(text):
        return _date(int(found[3]), int(found[2]), int(found[1]))
    for pattern, order in ((_D_MON_Y, (3, 2, 1)), (_MON_D_Y, (3, 1, 2))):
        if found := pattern.fullmatch(text):
            year, month, day = (found[i] for i in order)
            number = _MONTHS.get(month.casefold())
            if number is None:
                raise CellError(NOT_A_DATE)
            return _date(int(year), number, int(day))
    if _DMY_SHORT.fullmatch(text):
        raise CellError(SHORT_YEAR)
    raise CellError(NOT_A_DATE)


_YES = frozenset({"yes", "y", "true", "1", "x", "✓", "✔", "ہاں", "جی", "جی ہاں", "haan", "han"})
_NO = frozenset({"", "no", "n", "false", "0", "-", "نہیں", "nahi", "nahin"})


def parse_flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(NOT_YES_NO)


_SEXES = {
    "m": "M", "male": "M", "man": "M", "mard": "M", "مرد": "M", "مذکر": "M",
    "f": "F", "female": "F", "woman": "F", "aurat": "F", "عورت": "F", "خاتون": "F",
    "مونث": "F", "مؤنث": "F",
    "x": "X", "unspecified": "X", "other": "X",
}  # fmt: skip


def parse_sex(value: object) -> str:
    """M, F or X from the usual spellings; anything else is returned as written, for the
    pilgrim rules to refuse with their own words."""
    text = cell_text(value)
    return _SEXES.get(text.casefold().rstrip("."), text)


_ROLES = {
    "": "pilgrim", "pilgrim": "pilgrim", "zair": "pilgrim", "zaira": "pilgrim",
    "zaireen": "pilgrim", "member": "pilgrim", "زائر": "pilgrim", "زائرہ": "pilgrim",
    "leader": "leader", "group leader": "leader", "salar": "leader", "سالار": "leader",
    "لیڈر": "leader", "قائد": "leader",
    "deputy": "deputy", "deputy leader": "deputy", "assistant leader": "deputy",
    "نائب": "deputy", "نائب سالار": "deputy",
    "medic": "medic", "doctor": "medic", "nurse": "medic", "ڈاکٹر": "medic",
}  # fmt: skip


def parse_role(value: object) -> str:
    text = " ".join(cell_text(value).casefold().split())
    if text in _ROLES:
        return _ROLES[text]
    raise CellError(UNKNOWN_ROLE)


_BLOOD = re.compile(r"(ab|a|b|o)\s*(\+|-|−|pos|positive|\+ve|neg|negative|-ve)", re.I)


def parse_blood_group(value: object) -> str:
    """A+ … O- from "a +", "B+ve", "O negative"; anything else as written."""
    text = cell_text(value)
    found = _BLOOD.fullmatch(text.replace(" ", "")) or _BLOOD.fullmatch(text)
    if not found:
        return text
    sign = "+" if found[2].casefold() in ("+", "pos", "positive", "+ve") else "-"
    return found[1].upper() + sign


_STATES = {"": "PAK", "pakistan": "PAK", "pk": "PAK", "پاکستان": "PAK"}


def parse_state(value: object) -> str:
    text = cell_text(value)
    return _STATES.get(text.casefold(), text.upper())


def parse_trip_code(value: object) -> str:
    """A trip code as the trips app stores it: spaces collapsed, upper case."""
    return " ".join(cell_text(value).split()).upper()


READERS = {
    SEX: parse_sex,
    ROLE: parse_role,
    STATE: parse_state,
    BLOOD: parse_blood_group,
    FLAG: parse_flag,
    TRIP: parse_trip_code,
    TEXT: cell_text,
}


def read_cell(column: Column, value: object, *, from_workbook: bool, epoch_1904: bool) -> object:
    """The value of one cell for `column`, or `CellError`.

    A text cell of a workbook that starts with "=" is a formula (read-only openpyxl gives a
    formula's text, not its result): refused rather than guessed.
    """
    if from_workbook and isinstance(value, str) and value.startswith("="):
        raise CellError(FORMULA)
    if from_workbook and type(value).__name__ == "ArrayFormula":
        raise CellError(FORMULA)
    if column.kind == DATE:
        return parse_date(value, epoch_1904=epoch_1904)
    return READERS[column.kind](value)
