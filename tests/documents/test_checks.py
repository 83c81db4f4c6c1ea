"""The deploy check that warns before a card prints the embassy placeholder or a bad number."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from zaireen.documents.checks import embassy_phone_check
from zaireen.documents.selectors import EMBASSY_PHONE_PLACEHOLDER


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (EMBASSY_PHONE_PLACEHOLDER, ["zaireen.documents.W001"]),
        ("12", ["zaireen.documents.W002"]),
        ("call the embassy", ["zaireen.documents.W002"]),
        ("07901234567", ["zaireen.documents.W002"]),  # no country code: ambiguous abroad
        ("+964 790 123 4567", []),
        ("+92 51 907 2000", []),
    ],
)
def test_the_embassy_number_is_checked_for_deployment(value, expected):
    with override_settings(ZAIREEN_EMBASSY_PHONE=value):
        assert [w.id for w in embassy_phone_check()] == expected


def test_check_deploy_reports_the_placeholder():
    with (
        override_settings(ZAIREEN_EMBASSY_PHONE=EMBASSY_PHONE_PLACEHOLDER),
        pytest.raises(SystemCheckError, match="ZAIREEN_EMBASSY_PHONE"),
    ):
        call_command("check", deploy=True, fail_level="WARNING", tags=["compatibility"])
