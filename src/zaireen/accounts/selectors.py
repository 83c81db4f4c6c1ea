"""Reads of the accounts app."""

from typing import Any


def api_tokens_for(*, actor: Any):
    return actor.api_tokens.order_by("revoked_at", "-created_at")
