"""Results carry untranslated reasons the Django layer translates; no Django in the package."""

import ast
import sys
from pathlib import Path

import zaireen.pilgrims.identity as identity
from zaireen.pilgrims.identity import validate_cnic
from zaireen.pilgrims.identity.reasons import CNIC_LENGTH

PACKAGE = Path(identity.__file__).parent


def test_the_package_imports_only_the_standard_library_and_itself():
    imported = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
    foreign = {
        name
        for name in imported
        if name.split(".")[0] not in sys.stdlib_module_names
        and not name.startswith("zaireen.pilgrims.identity")
    }
    assert not foreign


def test_a_reason_renders_in_english_or_through_a_translator():
    issue = validate_cnic("123").errors[0]
    assert issue.reason == CNIC_LENGTH.text  # the untranslated template, for gettext
    assert issue.message == "A CNIC has 13 digits; this has 3."
    catalogue = {CNIC_LENGTH.text: "شناختی کارڈ میں 13 ہندسے ہوتے ہیں؛ اس میں %(count)s ہیں۔"}
    assert issue.render(lambda text: catalogue.get(text, text)).endswith("اس میں 3 ہیں۔")


def test_errors_by_field_has_the_shape_of_validation_failed():
    assert validate_cnic("9520212345671").errors_by_field() == {
        "cnic": ["The first digit of a CNIC is a province code from 1 to 7, not 9."]
    }


def test_identifiers_stay_out_of_the_repr():
    result = validate_cnic("35202-1234567-1")
    assert "1234567" not in repr(result)
