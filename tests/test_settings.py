"""Start-up rules: production refuses to start without its secrets; the demo makes its own."""

import json
import os
import subprocess
import sys

import pytest

from zaireen.core.secrets import DEMO_SECRET_NAMES, load_or_create_demo_secrets


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in DEMO_SECRET_NAMES}
    clean.pop("PYTEST_VERSION", None)
    return subprocess.run(
        [sys.executable, "-c", "import zaireen.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_without_secrets_stops_with_a_message_naming_them(tmp_path):
    result = _import_settings(
        {
            "ZAIREEN_ENV": "production",
            "ZAIREEN_DATA_DIR": str(tmp_path),
            "ZAIREEN_ALLOWED_HOSTS": "x",
        }
    )
    assert result.returncode != 0
    for name in DEMO_SECRET_NAMES:
        assert name in result.stderr
    assert not (tmp_path / "secrets.json").exists(), "production must never invent secrets"


def test_production_starts_once_the_secrets_are_set(tmp_path):
    result = _import_settings(
        {
            "ZAIREEN_ENV": "production",
            "ZAIREEN_DATA_DIR": str(tmp_path),
            "ZAIREEN_ALLOWED_HOSTS": "zaireen.example",
            "SECRET_KEY": "s" * 50,
            "ZAIREEN_IDENTIFIER_KEYS": "1:" + "k" * 43,
            "ZAIREEN_FERNET_KEYS": "A" * 43 + "=",
        }
    )
    assert result.returncode == 0, result.stderr


def test_production_needs_its_host_names(tmp_path):
    result = _import_settings(
        {
            "ZAIREEN_ENV": "production",
            "ZAIREEN_DATA_DIR": str(tmp_path),
            "SECRET_KEY": "s" * 50,
            "ZAIREEN_IDENTIFIER_KEYS": "1:k",
            "ZAIREEN_FERNET_KEYS": "A" * 43 + "=",
        }
    )
    assert result.returncode != 0
    assert "ZAIREEN_ALLOWED_HOSTS" in result.stderr


def test_unknown_environment_name_is_refused(tmp_path):
    result = _import_settings({"ZAIREEN_ENV": "staging", "ZAIREEN_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "ZAIREEN_ENV" in result.stderr


def test_demo_secrets_are_generated_once_and_kept_private(tmp_path):
    first = load_or_create_demo_secrets(tmp_path)
    second = load_or_create_demo_secrets(tmp_path)
    assert first == second
    assert set(DEMO_SECRET_NAMES) <= set(first)
    assert len(first["SECRET_KEY"]) >= 50
    assert (tmp_path / "secrets.json").stat().st_mode & 0o777 == 0o600


def test_demo_secrets_fill_in_a_missing_key_without_changing_the_others(tmp_path):
    first = load_or_create_demo_secrets(tmp_path)
    stored = json.loads((tmp_path / "secrets.json").read_text())
    del stored["ZAIREEN_FERNET_KEYS"]
    (tmp_path / "secrets.json").write_text(json.dumps(stored))
    second = load_or_create_demo_secrets(tmp_path)
    assert second["SECRET_KEY"] == first["SECRET_KEY"]
    assert second["ZAIREEN_FERNET_KEYS"]


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_boolean_settings_reject_nonsense(tmp_path, value):
    result = _import_settings({"ZAIREEN_DEBUG": value, "ZAIREEN_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "ZAIREEN_DEBUG must be true or false" in result.stderr


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='zaireen.settings';"
        "django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]);"
        "print(connection.transaction_mode)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTEST_VERSION"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "ZAIREEN_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "IMMEDIATE"]


@pytest.mark.django_db
def test_the_models_and_migrations_agree():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
