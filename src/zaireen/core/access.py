"""The personal-data access log: how an official reads another organiser's personal data.

Every later read of personal data across tenants by a ministry or consular officer goes
through `access_log_record`, with a reason from `AccessReason`; the ministry reviews the log.
"""

from __future__ import annotations

import re
from typing import Any

from zaireen.core.errors import ValidationFailed
from zaireen.core.models import AccessReason, PersonalDataAccess
from zaireen.core.roles import OFFICIAL_ROLES

# Runs of five or more digits or of letters-and-digits that look like document numbers.
_IDENTIFIER = re.compile(r"\b(?=[A-Za-z0-9-]*\d)[A-Za-z0-9-]{5,}\b")


def mask_query(query: str) -> str:
    """Mask anything that looks like an identifier (CNIC, passport, phone) in free text."""
    return _IDENTIFIER.sub(lambda m: "•" * (len(m.group()) - 2) + m.group()[-2:], query)[:300]


def access_log_record(
    *, actor: Any, what: str, reason: str, organiser: Any = None, query: str = "", note: str = ""
) -> PersonalDataAccess:
    if getattr(actor, "role", None) not in OFFICIAL_ROLES:
        raise ValidationFailed(actor="only officials read across organisers")
    if reason not in AccessReason.values:
        raise ValidationFailed(reason="choose a reason from the list")
    return PersonalDataAccess.objects.create(
        actor=actor,
        organiser=organiser,
        what=what[:200],
        query=mask_query(query),
        reason=reason,
        note=note[:300],
    )
