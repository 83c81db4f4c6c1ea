"""Demo accounts for `make run`: created once with random passwords kept in the data folder.

Later issues add their roles here (ministry officer, organiser admin, group leader, ...), so
a person trying Zaireen can log in as each kind of user.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

DEMO_ACCOUNTS = (
    {"username": "admin", "first_name": "Demo", "last_name": "Administrator", "superuser": True},
)


def _logins_path() -> Path:
    return Path(settings.DATA_DIR) / "demo-logins.json"


def demo_accounts_ensure() -> list[dict[str, str]]:
    """Create the demo accounts that are missing; return every demo login with its password."""
    path = _logins_path()
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    user_model = get_user_model()
    logins = []
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            username = account["username"]
            user = user_model.objects.filter(username=username).first()
            if user is None or username not in stored:
                password = stored.get(username) or secrets.token_urlsafe(9)
                user = user or user_model(username=username)
                user.first_name, user.last_name = account["first_name"], account["last_name"]
                user.is_superuser = user.is_staff = account.get("superuser", False)
                user.set_password(password)
                user.save()
                stored[username] = password
            logins.append({"username": username, "password": stored[username]})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stored, indent=2))
    path.chmod(0o600)
    return logins
