"""Errors of the slot engine, each naming where the problem is."""

from __future__ import annotations


class FormatError(ValueError):
    """A file is refused; `path` is the JSON path of the bad value, e.g. `$.groups[3].size`."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class GeneratorError(ValueError):
    """The generator settings cannot produce a valid instance; `field` names the setting."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
