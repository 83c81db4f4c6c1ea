"""Small text normalisations shared by the checks: digits, sex codes and names."""

from __future__ import annotations

import re
import unicodedata

# Urdu and Persian keyboards type Extended Arabic-Indic digits (۰–۹); Arabic ones type
# Arabic-Indic digits (٠–٩). Both mean the same numbers as 0–9.
_DIGITS = {ord(ch): str(i) for i, ch in enumerate("۰۱۲۳۴۵۶۷۸۹")} | {
    ord(ch): str(i) for i, ch in enumerate("٠١٢٣٤٥٦٧٨٩")
}


def ascii_digits(text: str) -> str:
    """`text` with Urdu/Arabic-Indic digits replaced by ASCII 0–9 (nothing else changes)."""
    return text.translate(_DIGITS)


_SEXES = {"M": "M", "MALE": "M", "F": "F", "FEMALE": "F", "X": "X", "<": "X"}


def normalise_sex(value: str | None) -> str | None:
    """`M`, `F` or `X` (unspecified) from the usual spellings; `None` if unknown."""
    if not isinstance(value, str):
        return None
    return _SEXES.get(value.strip().upper())


# ICAO 9303 Part 3 transliterations for the Latin letters that do not simply lose an accent.
_ICAO_LATIN = {
    "Ä": "AE",
    "Æ": "AE",
    "Å": "AA",
    "Ö": "OE",
    "Ø": "OE",
    "Ü": "UE",
    "ß": "SS",
    "Þ": "TH",
    "Ĳ": "IJ",
    "Œ": "OE",
}
_NOT_LETTERS = re.compile(r"[^A-Z]+")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _to_mrz(upper: str) -> str:
    return _NOT_LETTERS.sub("<", _strip_marks(upper).upper()).strip("<")


def _drop_apostrophes(name: str) -> str:
    return name.upper().replace("'", "").replace("’", "")


def mrz_name_component(name: str) -> str:
    """`name` as ICAO writes it in an MRZ: upper case, apostrophes omitted, ICAO
    transliteration (Ä → AE) or accents dropped, every other separator a single `<`."""
    upper = _drop_apostrophes(name)
    return _to_mrz("".join(_ICAO_LATIN.get(ch, ch) for ch in upper))


def mrz_name_variants(name: str) -> set[str]:
    """The spellings `name` (typed, any case and accents) may have in an MRZ: the ICAO one
    and the one that simply drops accents (Müller → MUELLER or MULLER)."""
    return {mrz_name_component(name), _to_mrz(_drop_apostrophes(name))}
