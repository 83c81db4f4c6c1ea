"""The crowd-safe slot engine: pure Python (numpy, HiGHS), no Django.

Public surface: the dataclasses of `model`, the file formats, the generator, `solve` and the
independent `check`. See docs/slots.md for the method and the formats.
"""

from .checker import CheckReport, check
from .errors import FormatError, GeneratorError
from .formats import (
    instance_from_json,
    instance_to_json,
    load_instance,
    load_result,
    result_from_json,
    result_to_json,
    write_instance,
    write_result,
)
from .generator import GeneratorSettings, generate
from .model import Assignment, BoundCertificate, Group, Instance, Result, Visit, Zone
from .solve import METHODS, SolveOptions, solve

__all__ = [
    "METHODS",
    "Assignment",
    "BoundCertificate",
    "CheckReport",
    "FormatError",
    "GeneratorError",
    "GeneratorSettings",
    "Group",
    "Instance",
    "Result",
    "SolveOptions",
    "Visit",
    "Zone",
    "check",
    "generate",
    "instance_from_json",
    "instance_to_json",
    "load_instance",
    "load_result",
    "result_from_json",
    "result_to_json",
    "solve",
    "write_instance",
    "write_result",
]
