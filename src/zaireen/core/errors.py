"""Typed domain errors. Services raise them; the edges (views, API) map them to HTTP once:
`ValidationFailed` → 422 with field errors, `NotFound` → 404, `NotAllowed` → 403,
`Conflict` / `CapacityExceeded` → 409."""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a service raises on purpose; the message is shown to the user."""

    status = 400

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = str(message)


class ValidationFailed(DomainError):
    """Input that breaks a rule. `errors` maps each field to its reasons (`__all__` for the
    input as a whole), so a page and an API client can both point at the field."""

    status = 422

    def __init__(self, errors: dict[str, list[str]] | None = None, **field_reason: str) -> None:
        merged: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}
        for field, reason in field_reason.items():
            merged.setdefault(field, []).append(str(reason))
        super().__init__("; ".join(f"{f}: {', '.join(r)}" for f, r in merged.items()))
        self.errors = merged


class NotFound(DomainError):
    """The object does not exist, or the actor may not know that it does."""

    status = 404


class NotAllowed(DomainError):
    """The actor may see the object but not do this to it."""

    status = 403


class Conflict(DomainError):
    status = 409


class CapacityExceeded(Conflict):
    """Booking would take a zone past its safe capacity."""
