"""Secrets for the demo: generated once into the data folder, never committed.

Production reads every secret from the environment and refuses to start without them
(see `zaireen.settings`); this module only serves a bare machine running `make run`.
"""

import base64
import json
import os
import secrets
from pathlib import Path

DEMO_SECRET_NAMES = ("SECRET_KEY", "ZAIREEN_IDENTIFIER_KEYS", "ZAIREEN_FERNET_KEYS")


def _generate() -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        # "version:key" pairs, newest first; the version is stored beside every keyed hash.
        "ZAIREEN_IDENTIFIER_KEYS": "1:" + secrets.token_urlsafe(32),
        # A Fernet key is 32 random bytes, url-safe base64.
        "ZAIREEN_FERNET_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    }


def load_or_create_demo_secrets(data_dir: Path) -> dict[str, str]:
    """Return the demo secrets stored in `data_dir`, creating them on first use.

    The file is written with mode 0600 and created atomically, so two processes starting
    together (web server and worker) end up with the same secrets.
    """
    path = data_dir / "secrets.json"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(_generate(), fh, indent=2)
        try:
            os.link(tmp, path)  # fails if another process won the race: keep theirs
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    stored = json.loads(path.read_text())
    missing = [name for name in DEMO_SECRET_NAMES if not stored.get(name)]
    if missing:
        stored.update({name: _generate()[name] for name in missing})
        path.write_text(json.dumps(stored, indent=2))
    return stored
