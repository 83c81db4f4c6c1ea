"""What the identity checks return: normalised values plus failures and warnings by field.

Results are frozen dataclasses so the Django layer can hand them to a form, a serializer or a
template without copying. Identifier values (CNIC, passport number, MRZ lines) are kept out of
`repr`, so a result that reaches a log or a traceback does not print an identifier in clear.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Issue:
    """One failure or warning: the `field` it belongs to, a stable `code`, and `reason`, an
    untranslated English template whose placeholders `params` fills."""

    field: str
    code: str
    reason: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        """The reason in English, placeholders filled."""
        return self.render(lambda text: text)

    def render(self, translate: Callable[[str], str]) -> str:
        """The reason translated by `translate` (e.g. Django's `gettext`), placeholders filled."""
        text = translate(self.reason)
        return text % dict(self.params) if self.params else text


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """Base of every result. `valid` is true exactly when there are no errors; warnings never
    make a value invalid, they ask a person to look again."""

    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    valid: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "valid", not self.errors)

    def errors_by_field(self) -> dict[str, list[str]]:
        """Errors as `{field: [English message, ...]}`, the shape `ValidationFailed` takes."""
        merged: dict[str, list[str]] = {}
        for issue in self.errors:
            merged.setdefault(issue.field, []).append(issue.message)
        return merged

    def error_fields(self) -> set[str]:
        return {issue.field for issue in self.errors}

    def warning_fields(self) -> set[str]:
        return {issue.field for issue in self.warnings}


@dataclass(frozen=True, kw_only=True)
class CnicResult(Outcome):
    """A checked CNIC. `value` (13 digits) and `formatted` (#####-#######-#) are set whenever
    the input has 13 digits, even if another rule failed, so a page can show what was read;
    only use them for storage when `valid`."""

    value: str | None = field(default=None, repr=False)
    formatted: str | None = field(default=None, repr=False)
    province: str | None = None

    @property
    def identity_key(self) -> str | None:
        """The string a Person's keyed hash is computed over (`CNIC|3520212345671`)."""
        return f"CNIC|{self.value}" if self.valid and self.value else None


@dataclass(frozen=True, kw_only=True)
class StateCodeResult(Outcome):
    """A checked ICAO state code, without the `<` filler (`PAK`, or `D` for Germany)."""

    code: str | None = None


@dataclass(frozen=True, kw_only=True)
class PassportNumberResult(Outcome):
    """A checked passport number: upper case, no spaces, at most 9 characters A–Z0–9."""

    number: str | None = field(default=None, repr=False)
    issuing_state: str | None = None

    @property
    def identity_key(self) -> str | None:
        """The string a Person's keyed hash is computed over (`PASSPORT|PAK|AB1234567`): a
        passport number is unique only within its issuing state."""
        if not (self.valid and self.number and self.issuing_state):
            return None
        return f"PASSPORT|{self.issuing_state}|{self.number}"


@dataclass(frozen=True, kw_only=True)
class MrzResult(Outcome):
    """A parsed ICAO 9303 TD3 (passport) machine-readable zone.

    `valid` is structural validity only (layout, characters, dates, check digits, and for
    Pakistan the CNIC in the personal number). Expiry is separate: `expired` says whether the
    passport had expired on the `today` given to the parser, and an expired passport also gets
    a warning on `expiry_date`, never an error. Fields that could not be read are `None`.
    """

    lines: tuple[str, ...] = field(default=(), repr=False)
    document_type: str | None = None
    issuing_state: str | None = None
    surname: str | None = None
    given_names: str | None = None
    names_truncated: bool = False
    document_number: str | None = field(default=None, repr=False)
    nationality: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    expiry_date: date | None = None
    personal_number: str | None = field(default=None, repr=False)
    cnic: str | None = field(default=None, repr=False)
    expired: bool | None = None


@dataclass(frozen=True, kw_only=True)
class CrossCheckResult(Outcome):
    """Typed fields compared with an MRZ: each mismatch is an error on the typed field's name.
    `checked` lists the fields that were compared (given and readable in the MRZ)."""

    checked: tuple[str, ...] = ()
