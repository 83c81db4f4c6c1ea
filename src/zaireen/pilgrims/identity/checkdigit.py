"""ICAO 9303 check digits (Part 3): character values times weights 7, 3, 1 repeating, mod 10.

The scheme catches any single change whose value difference is not a multiple of 10, because
7, 3 and 1 are all prime to 10. It cannot catch the rest: `<` and `0` both count 0, `A` (10)
counts like `0`, `B` (11) like `1`, and so on.
"""

from __future__ import annotations

WEIGHTS = (7, 3, 1)
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def char_value(ch: str) -> int:
    """0–9 for digits, 10–35 for A–Z, 0 for the filler `<`; `ValueError` for anything else."""
    if ch == "<":
        return 0
    index = ALPHABET.find(ch) if len(ch) == 1 else -1
    if index < 0:
        raise ValueError(f"not an MRZ character: {ch!r}")
    return index


def check_digit(data: str) -> int:
    """The check digit of `data` (upper-case MRZ characters only)."""
    return sum(char_value(ch) * WEIGHTS[i % 3] for i, ch in enumerate(data)) % 10


def is_mrz_text(data: str) -> bool:
    """Whether every character of `data` is A–Z, 0–9 or `<`."""
    return all(ch == "<" or ch in ALPHABET for ch in data)
