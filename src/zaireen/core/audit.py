"""The audit trail: every service write records who did what to which object, and how.

Identifiers (CNIC, passport numbers, phone numbers, tokens) never reach the trail in clear:
`mask` keeps the last two characters only, which is enough to tell two values apart in a
review and too little to use.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from zaireen.core.models import AuditEntry

SENSITIVE_FIELDS = frozenset(
    {
        "cnic",
        "passport_number",
        "phone",
        "next_of_kin_phone",
        "mrz",
        "token",
        "password",
        "personal_number",
        "code",
    }
)


def mask(value: Any) -> str:
    text = "" if value is None else str(value)
    if len(text) <= 2:
        return "•" * len(text)
    return "•" * (len(text) - 2) + text[-2:]


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose values differ, as {field: [old, new]}, sensitive ones masked."""
    changes = {}
    for field in sorted(set(before) | set(after)):
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        if field in SENSITIVE_FIELDS:
            changes[field] = [mask(old) if old else old, mask(new) if new else new]
        else:
            changes[field] = [_plain(old), _plain(new)]
    return changes


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    organiser: Any = None,
    changes: dict[str, list[Any]] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Record one change. Call it inside the service's transaction, after the write.

    `action` is a dotted code such as `zaireen.organiser.status.changed`; `actor` is a user or
    None for the system (periodic jobs).
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=(user.get_username() if user else "system")[:150],
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(getattr(obj, "uid", None) or obj.pk),
        object_label=str(obj)[:200],
        organiser=organiser,
        changes=changes or {},
        reason=reason,
    )
