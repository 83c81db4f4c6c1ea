"""Parse the machine-readable zone of a passport (ICAO 9303 Part 4, TD3: two lines of 44).

Line 1: document type (1–2), issuing state (3–5), names (6–44). Line 2: document number
(1–9) and check (10), nationality (11–13), birth date (14–19) and check (20), sex (21),
expiry (22–27) and check (28), personal number (29–42) and check (43), composite check (44)
over positions 1–10, 14–20 and 22–43.

Pasted zones are forgiven what a person or a scanner commonly adds (lower case, spaces, blank
lines, `«` for `<`, CRLF, both lines run together); a wrong line length is never guessed at.
Every failure is reported on the field it concerns, a check-digit failure on `<field>_check`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from zaireen.pilgrims.identity import reasons
from zaireen.pilgrims.identity.checkdigit import check_digit, is_mrz_text
from zaireen.pilgrims.identity.cnic import validate_cnic
from zaireen.pilgrims.identity.passport import PAKISTAN, validate_state_code
from zaireen.pilgrims.identity.results import Issue, MrzResult

LINE_LENGTH = 44
NAME_LENGTH = 39
_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# What scanners and word processors put where a filler `<` belongs.
_FILLER_LOOKALIKES = str.maketrans({"«": "<", "‹": "<", "＜": "<"})


def clean_mrz_lines(text: str | Sequence[str]) -> list[str]:
    """The non-blank lines of a pasted zone, upper case, without whitespace, fillers as `<`."""
    joined = text if isinstance(text, str) else "\n".join(str(line) for line in text)
    lines = ("".join(line.split()) for line in joined.translate(_FILLER_LOOKALIKES).splitlines())
    return [line.upper() for line in lines if line]


def _layout_errors(lines: list[str]) -> list[Issue]:
    """Why `lines` are not two passport lines of 44, or nothing if they are."""
    lengths = [len(line) for line in lines]
    if lengths == [30, 30, 30]:
        return [reasons.MRZ_OTHER_FORMAT.at("mrz", format="TD1")]
    if lengths == [36, 36]:
        return [reasons.MRZ_OTHER_FORMAT.at("mrz", format="TD2")]
    if len(lines) != 2:
        return [reasons.MRZ_LINE_COUNT.at("mrz", count=len(lines))]
    errors = [
        reasons.MRZ_LINE_LENGTH.at(f"line{n}", line=n, length=length)
        for n, length in enumerate(lengths, start=1)
        if length != LINE_LENGTH
    ]
    first, second = lines
    # Line 1 of a passport holds letters only; line 2 is mostly digits.
    if (
        not errors
        and not first.startswith("P")
        and second.startswith("P")
        and any(ch in _DIGITS for ch in first)
        and not any(ch in _DIGITS for ch in second)
    ):
        errors.append(reasons.MRZ_LINES_SWAPPED.at("mrz"))
    return errors


def parse_td3(text: str | Sequence[str], *, today: date) -> MrzResult:
    """Parse a passport zone pasted as text (or given as its lines).

    `today` decides the century of the birth date (a date that would lie in the future
    belongs to the 1900s) and whether the passport has expired; the caller passes it so the
    result does not depend on the clock (pass `timezone.localdate()`; a datetime is cut to its
    date). Expiry years are always 20YY. Never raises on bad input: every problem comes back as
    an error.
    """
    if isinstance(today, datetime):
        today = today.date()
    if not isinstance(text, str | list | tuple):
        return MrzResult(errors=(reasons.NOT_TEXT.at("mrz"),))
    lines = clean_mrz_lines(text)
    if len(lines) == 1 and len(lines[0]) == 2 * LINE_LENGTH:
        lines = [lines[0][:LINE_LENGTH], lines[0][LINE_LENGTH:]]
    if not lines:
        return MrzResult(errors=(reasons.REQUIRED.at("mrz"),))
    if layout := _layout_errors(lines):
        return MrzResult(lines=tuple(lines), errors=tuple(layout))
    return _Td3(lines[0], lines[1], today).result()


class _Td3:
    """One parse: collects issues while reading the fields of two lines of 44."""

    def __init__(self, line1: str, line2: str, today: date) -> None:
        self.line1, self.line2, self.today = line1, line2, today
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []

    def _text(self, field: str, raw: str) -> bool:
        """Whether `raw` holds MRZ characters only; reports the first stray one on `field`."""
        stray = next((ch for ch in raw if ch != "<" and ch not in _DIGITS + _LETTERS), None)
        if stray is not None:
            self.errors.append(reasons.MRZ_CHARACTERS.at(field, char=stray))
        return stray is None

    def _check(self, field: str, data: str, digit: str, *, may_be_filler: bool = False) -> None:
        """Compare the check digit `digit` with the one computed over `data`."""
        name = f"{field}_check"
        if may_be_filler and digit == "<" and set(data) <= {"<"}:
            return
        if digit not in _DIGITS:
            self.errors.append(reasons.CHECK_NOT_DIGIT.at(name, found=digit))
        elif is_mrz_text(data) and (expected := check_digit(data)) != int(digit):
            self.errors.append(reasons.CHECK_MISMATCH.at(name, found=digit, expected=expected))

    def _padded(self, field: str, raw: str) -> str | None:
        """A field padded with `<` on the right, without the padding."""
        if not self._text(field, raw):
            return None
        value = raw.rstrip("<")
        if "<" in value:
            self.errors.append(reasons.FILLER_INSIDE.at(field))
        return value

    def _state(self, field: str, raw: str) -> str | None:
        state = validate_state_code(raw, field=field)
        self.errors.extend(state.errors)
        return state.code

    def _date(self, field: str, raw: str, *, birth: bool) -> date | None:
        if not self._text(field, raw):
            return None
        if birth and "<" in raw:
            # ICAO allows an unknown birth date (or part of it) to be filled with `<`.
            self.warnings.append(reasons.DATE_UNKNOWN.at(field))
            return None
        if not all(ch in _DIGITS for ch in raw):
            self.errors.append(reasons.DATE_INVALID.at(field))
            return None
        yy, mm, dd = int(raw[:2]), int(raw[2:4]), int(raw[4:])
        for century in (2000, 1900) if birth else (2000,):
            try:
                value = date(century + yy, mm, dd)
            except ValueError:
                break
            if not birth or value <= self.today:
                return value
        self.errors.append(reasons.DATE_INVALID.at(field))
        return None

    def _names(self, raw: str) -> tuple[str | None, str | None, bool]:
        """Surname, given names, and whether the field is full, which is how a truncated name
        shows: ICAO cuts long names so that the last character is a letter, not a filler."""
        if not set(raw) <= set(_LETTERS + "<"):
            self.errors.append(reasons.NAME_CHARACTERS.at("names"))
            return None, None, False
        primary, _, secondary = raw.rstrip("<").partition("<<")
        surname = " ".join(part for part in primary.split("<") if part)
        given = " ".join(part for part in secondary.split("<") if part)
        if not surname:
            self.errors.append(reasons.SURNAME_EMPTY.at("surname"))
        return surname or None, given, not raw.endswith("<")

    def _document_type(self, raw: str) -> str | None:
        if not self._text("document_type", raw):
            return None
        if not raw.startswith("P"):
            self.errors.append(reasons.DOCUMENT_TYPE.at("document_type", found=raw))
        return raw.rstrip("<") or None

    def _sex(self, raw: str) -> str | None:
        if raw in ("M", "F"):
            return raw
        if raw in ("<", "X"):
            return "X"
        self.errors.append(reasons.SEX_INVALID.at("sex", found=raw))
        return None

    def _pakistani_cnic(self, personal_number: str, sex: str | None) -> str | None:
        """The CNIC a Pakistani passport carries as its personal number."""
        if not personal_number:
            self.warnings.append(reasons.PAK_CNIC_MISSING.at("personal_number"))
            return None
        cnic = validate_cnic(personal_number, sex=sex, field="personal_number")
        if not cnic.valid:
            self.errors.append(reasons.PAK_CNIC_INVALID.at("personal_number"))
            return None
        self.warnings.extend(cnic.warnings)
        return cnic.value

    def result(self) -> MrzResult:
        l1, l2 = self.line1, self.line2
        document_type = self._document_type(l1[0:2])
        issuing_state = self._state("issuing_state", l1[2:5])
        surname, given_names, truncated = self._names(l1[5:44])

        number = self._padded("document_number", l2[0:9])
        if number == "":
            self.errors.append(reasons.NUMBER_EMPTY.at("document_number"))
        self._check("document_number", l2[0:9], l2[9])
        nationality = self._state("nationality", l2[10:13])
        birth_date = self._date("birth_date", l2[13:19], birth=True)
        self._check("birth_date", l2[13:19], l2[19])
        sex = self._sex(l2[20])
        expiry_date = self._date("expiry_date", l2[21:27], birth=False)
        self._check("expiry_date", l2[21:27], l2[27])
        personal_number = self._padded("personal_number", l2[28:42])
        self._check("personal_number", l2[28:42], l2[42], may_be_filler=True)
        self._check("composite", l2[0:10] + l2[13:20] + l2[21:43], l2[43])

        cnic = None
        if issuing_state == PAKISTAN and personal_number is not None:
            cnic = self._pakistani_cnic(personal_number, sex)
        expired = None
        if expiry_date is not None:
            expired = expiry_date < self.today
            if expired:
                self.warnings.append(
                    reasons.EXPIRED.at("expiry_date", date=expiry_date.isoformat())
                )
        return MrzResult(
            lines=(l1, l2),
            document_type=document_type,
            issuing_state=issuing_state,
            surname=surname,
            given_names=given_names,
            names_truncated=truncated,
            document_number=number or None,
            nationality=nationality,
            birth_date=birth_date,
            sex=sex,
            expiry_date=expiry_date,
            personal_number=personal_number,
            cnic=cnic,
            expired=expired,
            errors=tuple(self.errors),
            warnings=tuple(self.warnings),
        )
