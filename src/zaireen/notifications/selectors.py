"""Reads of the delivery log: an organiser admin sees their organiser's messages, the ministry
every message (also those that concern no organiser)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.core.errors import NotAllowed, NotFound
from zaireen.core.permissions import is_ministry, is_organiser_user
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role
from zaireen.notifications.models import Channel, Delivery, Message, MessageStatus


def may_read_log(actor: Any) -> bool:
    return is_ministry(actor) or (is_organiser_user(actor) and actor.role == Role.ORGANISER_ADMIN)


def _messages_for(actor: Any) -> QuerySet[Message]:
    if not may_read_log(actor):
        raise NotAllowed(_("Only the ministry and organiser admins read the delivery log."))
    with scopes_disabled():
        messages = Message.objects.all()
    if not is_ministry(actor):
        messages = messages.filter(organiser_id=actor.organiser_id)
    return messages


def message_list_for(
    *, actor: Any, topic: str = "", status: str = "", channel: str = "", q: str = ""
) -> QuerySet[Message]:
    """The messages `actor` may read, newest first, filtered; `q` searches the recipient, the
    address, the subject and what the message is about."""
    messages = _messages_for(actor).select_related("organiser")
    if topic:
        messages = messages.filter(topic__startswith=topic)
    if status in MessageStatus.values:
        messages = messages.filter(status=status)
    if channel in Channel.values:
        messages = messages.filter(channel=channel)
    if q:
        messages = messages.filter(
            Q(recipient_name__icontains=q)
            | Q(address__icontains=q)
            | Q(subject__icontains=q)
            | Q(about_label__icontains=q)
        )
    return messages.order_by("-created_at", "-id")


def message_get_for(*, actor: Any, uid: Any) -> Message:
    message = one_or_none(_messages_for(actor).select_related("organiser").filter(uid=uid))
    if message is None:
        raise NotFound(_("No such message."))
    return message


def may_retry(*, actor: Any, message: Message) -> bool:
    """Whether the page offers "Send again": anyone who reads the message, once it failed
    (`services.message_retry` decides again when the button is pressed)."""
    return may_read_log(actor) and message.status == MessageStatus.FAILED


def deliveries_of(message: Message) -> list[Delivery]:
    return list(Delivery.objects.filter(message=message).order_by("attempt"))


def topics_for(*, actor: Any) -> list[str]:
    return sorted(set(_messages_for(actor).values_list("topic", flat=True).distinct()))


def messages_about(obj: Any) -> QuerySet[Message]:
    """Messages about `obj` (for its own page: the caller has checked access to `obj`)."""
    from django.contrib.contenttypes.models import ContentType

    with scopes_disabled():
        return Message.objects.filter(
            about_type=ContentType.objects.get_for_model(obj),
            about_id=str(getattr(obj, "uid", None) or obj.pk),
        ).order_by("created_at", "id")
