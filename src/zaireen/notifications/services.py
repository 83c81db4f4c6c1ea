"""Sending notifications: who gets them, what they say, and the worker's attempts.

`notify` is what other apps call, inside their own transaction: it renders the topic's
template once per language, stores one `Message` per distinct (channel, address), and when
the transaction commits enqueues one task per message. The task (`tasks.message_deliver`)
makes attempts through `message_attempt` until one is accepted or `ZAIREEN_NOTIFY_ATTEMPTS`
have failed, waiting `ZAIREEN_NOTIFY_RETRY_SECONDS` × 2ⁿ⁻¹ after the n-th failure. Each
attempt is a `Delivery` row. See docs/notifications.md.

Topic templates: `<app>/templates/notifications/<topic>.<language>.txt`, first line the
subject, the rest the body, rendered without HTML escaping from plain-string context values;
a language without its file falls back to English.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q
from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from zaireen.core.roles import Role
from zaireen.notifications import gateways
from zaireen.notifications.models import Channel, Delivery, Message, MessageStatus, Outcome

User = get_user_model()

LANGUAGES = ("en", "ur")
TOPIC = re.compile(r"^[a-z][a-z0-9_.-]{1,79}$")
STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
# Context keys that would carry an identifier: refused outright.
FORBIDDEN_KEYS = ("cnic", "passport")
# A CNIC (13 digits, with or without its dashes) and a Pakistani passport number (two letters,
# seven digits). Not preceded by "+" or a digit, so a phone number in E.164 is left alone.
CNIC = re.compile(r"(?<![\d+])\d{5}[-\s]?\d{7}[-\s]?\d(?!\d)")
PASSPORT = re.compile(r"\b[A-Z]{2}\d{7}\b")
REDACTED = "[removed]"


@dataclass(frozen=True)
class Recipient:
    name: str
    channel: str  # "email" | "sms" | "whatsapp"
    address: str  # email address or E.164 phone
    language: str = "en"  # "en" | "ur"
    user_id: int | None = None


# --- Who ------------------------------------------------------------------------------------


def _language(value: Any) -> str:
    return value if value in LANGUAGES else "en"


def recipients_for_users(users: Iterable[Any]) -> list[Recipient]:
    """An SMS to each active user's phone if they have one, else an email; users with neither
    (and deactivated users) are skipped."""
    out = []
    for user in users:
        if not user.is_active:
            continue
        name = user.get_full_name() or user.get_username()
        language = _language(getattr(user, "language", "en"))
        if user.phone:
            out.append(Recipient(name, Channel.SMS.value, user.phone, language, user.pk))
        elif user.email:
            out.append(Recipient(name, Channel.EMAIL.value, user.email, language, user.pk))
    return out


def recipients_for_trip(trip: Any) -> list[Recipient]:
    """The trip's group leaders (logins bound to a leader or deputy member of it) and its
    organiser's admins and staff."""
    from zaireen.trips.models import LEADING_ROLES, Member

    with scopes_disabled():
        leaders = list(
            Member.objects.filter(trip_id=trip.pk, role__in=LEADING_ROLES).values_list(
                "person_id", flat=True
            )
        )
    users = User.objects.filter(organiser_id=trip.organiser_id, is_active=True).filter(
        Q(role=Role.GROUP_LEADER, person_id__in=leaders) | Q(role__in=STAFF)
    )
    return recipients_for_users(users.order_by("role", "pk"))


def recipients_consulate() -> list[Recipient]:
    """Every active consular officer."""
    return recipients_for_users(
        User.objects.filter(role=Role.CONSULAR_OFFICER, is_active=True).order_by("pk")
    )


# --- What -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _engine() -> Engine:
    # Plain text: no HTML escaping. Only the apps' own template folders.
    return Engine(app_dirs=True, autoescape=False)


def redact(text: str) -> str:
    """`text` with anything shaped like a CNIC or a Pakistani passport number removed."""
    return PASSPORT.sub(REDACTED, CNIC.sub(REDACTED, text))


def render(topic: str, language: str, context: dict[str, str]) -> tuple[str, str]:
    """(subject, body) of `topic` in `language` (English when that language has no file)."""
    language = _language(language)
    try:
        template = _engine().get_template(f"notifications/{topic}.{language}.txt")
    except TemplateDoesNotExist:
        if language == "en":
            raise
        language = "en"
        template = _engine().get_template(f"notifications/{topic}.en.txt")
    with translation.override(language):
        text = template.render(Context(context, autoescape=False))
    subject, _sep, body = text.strip().partition("\n")
    return redact(" ".join(subject.split()))[:200], redact(body.strip())


def _check(topic: str, context: dict[str, str]) -> None:
    if not TOPIC.match(topic):
        raise ValueError(f"not a topic name: {topic!r}")
    for key, value in context.items():
        if any(word in key.lower() for word in FORBIDDEN_KEYS):
            raise ValueError(f"identifiers never go into messages ({key!r})")
        if not isinstance(value, str):
            raise TypeError(f"context values are plain strings ({key!r} is {type(value)})")


def _normal_address(recipient: Recipient) -> str:
    address = recipient.address.strip()
    return address.lower() if recipient.channel == Channel.EMAIL else address.replace(" ", "")


def notify(
    *,
    topic: str,
    recipients: Iterable[Recipient],
    context: dict[str, str],
    organiser: Any = None,
    about: Any = None,
) -> list[Message]:
    """Queue `topic` for every recipient, each (channel, address) once; send after commit.

    Call it inside the transaction of the change it reports: if that rolls back, nothing is
    stored or sent. `organiser` (an organiser or its id) defaults to `about.organiser_id`.
    """
    _check(topic, context)
    organiser_id = getattr(organiser, "pk", organiser)
    if organiser_id is None and about is not None:
        organiser_id = getattr(about, "organiser_id", None)
    about_type = ContentType.objects.get_for_model(about) if about is not None else None
    about_id = str(getattr(about, "uid", None) or about.pk) if about is not None else ""
    about_label = redact(str(about))[:200] if about is not None else ""
    texts: dict[str, tuple[str, str]] = {}
    seen: set[tuple[str, str]] = set()
    rows = []
    for recipient in recipients:
        if recipient.channel not in Channel.values:
            raise ValueError(f"unknown channel {recipient.channel!r}")
        address = _normal_address(recipient)
        if not address or (recipient.channel, address) in seen:
            continue
        seen.add((recipient.channel, address))
        language = _language(recipient.language)
        if language not in texts:
            texts[language] = render(topic, language, context)
        subject, body = texts[language]
        rows.append(
            Message(
                organiser_id=organiser_id,
                topic=topic,
                channel=recipient.channel,
                address=address,
                recipient_name=recipient.name[:150],
                recipient_user_id=recipient.user_id,
                language=language,
                subject=subject,
                body=body,
                about_type=about_type,
                about_id=about_id,
                about_label=about_label,
            )
        )
    if not rows:
        return []
    with scopes_disabled():
        Message.objects.bulk_create(rows)
    ids = [row.pk for row in rows]

    def send() -> None:
        from zaireen.notifications.tasks import message_deliver

        for message_id in ids:
            message_deliver(message_id)

    transaction.on_commit(send)
    return rows


# --- Sending --------------------------------------------------------------------------------


def max_attempts() -> int:
    return int(getattr(settings, "ZAIREEN_NOTIFY_ATTEMPTS", 5))


def retry_seconds() -> int:
    return int(getattr(settings, "ZAIREEN_NOTIFY_RETRY_SECONDS", 30))


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long after the `attempt`-th failure the next attempt comes (as Huey schedules it)."""
    return datetime.timedelta(seconds=retry_seconds() * 2 ** (attempt - 1))


def _hand_over(message: Message) -> str:
    if message.channel == Channel.EMAIL:
        return gateways.send_email(to=message.address, subject=message.subject, body=message.body)
    text = f"{message.subject}\n{message.body}" if message.body else message.subject
    if message.channel == Channel.SMS:
        return gateways.send_text_sms(to=message.address, text=text)
    return gateways.send_whatsapp(to=message.address, text=text)


def message_attempt(*, message_id: int) -> bool:
    """One attempt to send the message; False when it failed and another attempt is due.

    The message is claimed with a conditional update (queued or retrying → sending), so two
    workers never send it twice, and a message already sent or given up is left alone. The
    channel is called outside any transaction; its reply or error is the attempt's `Delivery`.
    """
    with scopes_disabled():
        claimed = Message.objects.filter(
            pk=message_id, status__in=(MessageStatus.QUEUED, MessageStatus.RETRYING)
        ).update(status=MessageStatus.SENDING, attempts=F("attempts") + 1, next_attempt_at=None)
        if not claimed:
            return True
        message = Message.objects.get(pk=message_id)
    try:
        reply, outcome = _hand_over(message), Outcome.SENT
    except Exception as exc:  # any failure of a channel is logged and retried
        reply, outcome = f"{type(exc).__name__}: {exc}", Outcome.ERROR
    now = timezone.now()
    done = outcome == Outcome.SENT or message.attempts >= max_attempts()
    fields: dict[str, Any] = {}
    if outcome == Outcome.SENT:
        fields = {"status": MessageStatus.SENT, "sent_at": now}
    elif done:
        fields = {"status": MessageStatus.FAILED}
    else:
        fields = {
            "status": MessageStatus.RETRYING,
            "next_attempt_at": now + retry_delay(message.attempts),
        }
    with transaction.atomic(), scopes_disabled():
        Delivery.objects.create(
            message=message, attempt=message.attempts, outcome=outcome, reply=reply[:2000]
        )
        Message.objects.filter(pk=message.pk).update(**fields)
    return done
