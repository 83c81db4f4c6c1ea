"""Keys for personal identifiers: keyed hashes to find a person, encryption to keep the value.

- Keyed hashes (HMAC-SHA256) of normalised identifiers such as `CNIC|3520212345671` let
  Zaireen recognise one person across organisers without storing the number in a form anyone
  can search. The key is `ZAIREEN_IDENTIFIER_KEYS`, separate from `SECRET_KEY` and from the
  encryption keys, as `version:key` pairs newest first. A digest is stored with its key
  version; look-ups try every version, so rotation can re-hash in the background.
- Encryption (Fernet, through MultiFernet for rotation) keeps the identifier itself for the
  organiser that registered it: `ZAIREEN_FERNET_KEYS`, newest first.
"""

from __future__ import annotations

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@functools.cache
def _identifier_keys(raw: str) -> tuple[tuple[int, bytes], ...]:
    keys = []
    for part in raw.split(","):
        version, sep, key = part.strip().partition(":")
        if not sep or not version.isdigit() or len(key) < 16:
            raise ImproperlyConfigured(
                "ZAIREEN_IDENTIFIER_KEYS must be 'version:key' pairs (keys of 16+ characters)."
            )
        keys.append((int(version), key.encode()))
    if len({v for v, _k in keys}) != len(keys):
        raise ImproperlyConfigured("ZAIREEN_IDENTIFIER_KEYS repeats a version.")
    return tuple(keys)


def identifier_keys() -> tuple[tuple[int, bytes], ...]:
    """(version, key) pairs, the current key first."""
    return _identifier_keys(settings.ZAIREEN_IDENTIFIER_KEYS)


def current_key_version() -> int:
    return identifier_keys()[0][0]


def identifier_digest(identity_key: str, version: int | None = None) -> tuple[int, str]:
    """The keyed hash of `identity_key` (e.g. `CNIC|3520212345671`) with the key `version`
    (default: the current one), as (version, hex digest)."""
    keys = dict(identifier_keys())
    version = current_key_version() if version is None else version
    if version not in keys:
        raise KeyError(f"no identifier key of version {version}")
    return version, hmac.new(keys[version], identity_key.encode(), hashlib.sha256).hexdigest()


def identifier_digests(identity_key: str) -> list[tuple[int, str]]:
    """The hash of `identity_key` under every configured key: what a look-up must try."""
    return [identifier_digest(identity_key, version) for version, _key in identifier_keys()]


@functools.cache
def _fernet(raw: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.strip().encode()) for key in raw.split(",") if key.strip()])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"ZAIREEN_FERNET_KEYS must be comma-separated Fernet keys: {exc}"
        ) from None


def encrypt(text: str) -> str:
    return _fernet(settings.ZAIREEN_FERNET_KEYS).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.ZAIREEN_FERNET_KEYS).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An encrypted value cannot be read with ZAIREEN_FERNET_KEYS: was a key removed?"
        ) from None


def rotate(token: str) -> str:
    """Re-encrypt `token` under the newest Fernet key."""
    return _fernet(settings.ZAIREEN_FERNET_KEYS).rotate(token.encode()).decode()
