"""Notifications API: the delivery log, scoped to the reader."""

import datetime
import uuid

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from zaireen.api.auth import signed_in
from zaireen.notifications import selectors, services

router = Router(tags=["notifications"])


class DeliveryOut(Schema):
    attempt: int
    at: datetime.datetime
    outcome: str
    reply: str


class MessageOut(Schema):
    id: uuid.UUID = Field(..., alias="uid")
    topic: str
    channel: str
    recipient: str = Field(..., alias="recipient_name")
    address: str
    language: str
    subject: str
    status: str
    attempts: int
    attempt_limit: int
    about: str = Field(..., alias="about_label")
    created_at: datetime.datetime
    sent_at: datetime.datetime | None
    next_attempt_at: datetime.datetime | None
    claimed_at: datetime.datetime | None


class MessageDetailOut(MessageOut):
    body: str
    deliveries: list[DeliveryOut]

    @staticmethod
    def resolve_deliveries(obj) -> list:
        return selectors.deliveries_of(obj)


class MessageFilter(Schema):
    topic: str = Field("", max_length=80)
    status: str = Field("", max_length=10)
    channel: str = Field("", max_length=10)
    q: str = Field("", max_length=100)


@router.get(
    "/notifications/messages", response=list[MessageOut], auth=signed_in,
    summary="Delivery log", url_name="notifications_messages",
)  # fmt: skip
@paginate(LimitOffsetPagination)
def messages(request: HttpRequest, filters: Query[MessageFilter]):
    return selectors.message_list_for(
        actor=request.user,
        topic=filters.topic,
        status=filters.status,
        channel=filters.channel,
        q=filters.q,
    )


@router.get(
    "/notifications/messages/{uid}", response=MessageDetailOut, auth=signed_in,
    summary="One message and its delivery attempts", url_name="notifications_message",
)  # fmt: skip
def message(request: HttpRequest, uid: uuid.UUID):
    return selectors.message_get_for(actor=request.user, uid=uid)


@router.post(
    "/notifications/messages/{uid}/retry", response=MessageDetailOut, auth=signed_in,
    summary="Send a failed message again", url_name="notifications_message_retry",
)  # fmt: skip
def message_retry(request: HttpRequest, uid: uuid.UUID):
    """422 when the message has not failed; 404 for another organiser's message."""
    return services.message_retry(actor=request.user, uid=uid)
