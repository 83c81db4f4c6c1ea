"""Core API: the audit trail, scoped to the reader."""

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from zaireen.api.auth import signed_in
from zaireen.core import selectors

router = Router(tags=["audit"])


class AuditOut(Schema):
    at: datetime.datetime
    actor: str = Field(..., alias="actor_label")
    action: str
    object_type: str
    object_id: str
    object_label: str
    changes: dict
    reason: str


class AuditFilter(Schema):
    action: str = Field("", max_length=80)
    organiser: str = Field("", max_length=40)
    actor: str = Field("", max_length=150)
    q: str = Field("", max_length=100)


@router.get("/audit", response=list[AuditOut], auth=signed_in, summary="Audit trail")
@paginate(LimitOffsetPagination)
def audit(request: HttpRequest, filters: Query[AuditFilter]):
    return selectors.audit_list_for(
        actor=request.user,
        action=filters.action,
        organiser_uid=filters.organiser,
        actor_name=filters.actor,
        q=filters.q,
    )
