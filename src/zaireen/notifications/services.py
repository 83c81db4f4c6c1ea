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
import logging
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
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.core.audit import audit_record
from zaireen.core.errors import ValidationFailed
from zaireen.core.roles import Role
from zaireen.notifications import gateways
from zaireen.notifications.models import Channel, Delivery, Message, MessageStatus, Outcome

User = get_user_model()
logger = logging.getLogger(__name__)

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
    _enqueue_after_commit([row.pk for row in rows])
    return rows


# --- Sending --------------------------------------------------------------------------------


def max_attempts() -> int:
    return int(getattr(settings, "ZAIREEN_NOTIFY_ATTEMPTS", 5))


def retry_seconds() -> int:
    return int(getattr(settings, "ZAIREEN_NOTIFY_RETRY_SECONDS", 30))


def stuck_after() -> datetime.timedelta:
    """How long a message may stay "sending" (or wait for a task that never comes) before
    `messages_recover` takes it for lost. Well above the channels' own timeouts (10 s), so a
    slow attempt is not taken for a dead one."""
    return datetime.timedelta(minutes=int(getattr(settings, "ZAIREEN_NOTIFY_STUCK_MINUTES", 10)))


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


def _enqueue_after_commit(message_ids: list[int]) -> None:
    def send() -> None:
        from zaireen.notifications.tasks import message_deliver

        for message_id in message_ids:
            message_deliver(message_id)

    transaction.on_commit(send)


def message_attempt(*, message_id: int) -> bool:
    """One attempt to send the message; False when it failed and another attempt is due.

    The message is claimed with a conditional update (queued or retrying → sending), so two
    workers never send it twice, and a message already sent or given up is left alone. The
    channel is called outside any transaction; its reply or error is the attempt's `Delivery`.
    The result is written only while the claim still holds (still "sending", same attempt):
    an attempt that outlived `stuck_after` was recorded and handed on by `messages_recover`,
    and its late result must not overwrite the newer state.
    """
    claimed_at = timezone.now()
    with scopes_disabled():
        claimed = Message.objects.filter(
            pk=message_id, status__in=(MessageStatus.QUEUED, MessageStatus.RETRYING)
        ).update(
            status=MessageStatus.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=None,
            claimed_at=claimed_at,
        )
        if not claimed:
            return True
        message = Message.objects.get(pk=message_id)
    try:
        reply, outcome = _hand_over(message), Outcome.SENT
    except Exception as exc:  # any failure of a channel is logged and retried
        reply, outcome = f"{type(exc).__name__}: {exc}", Outcome.ERROR
    now = timezone.now()
    done = outcome == Outcome.SENT or message.attempts >= message.attempt_limit
    fields: dict[str, Any] = {}
    if outcome == Outcome.SENT:
        fields = {"status": MessageStatus.SENT, "sent_at": now}
    elif done:
        fields = {"status": MessageStatus.FAILED}
    else:
        # Counted within the current allowance: a message sent again has a new task, whose
        # waits start over (Huey's backoff), after the attempts it had before.
        nth = max(1, message.attempts - (message.attempt_limit - max_attempts()))
        fields = {"status": MessageStatus.RETRYING, "next_attempt_at": now + retry_delay(nth)}
    with transaction.atomic(), scopes_disabled():
        still_ours = Message.objects.filter(
            pk=message.pk, status=MessageStatus.SENDING, attempts=message.attempts
        ).update(**fields)
        if not still_ours:
            logger.warning(
                "notifications: message %s attempt %s finished after it was recovered (%s: %s)",
                message.pk, message.attempts, outcome, reply[:200],
            )  # fmt: skip
            return True
        Delivery.objects.create(
            message=message, attempt=message.attempts, outcome=outcome, reply=reply[:2000]
        )
    return done


STOPPED_REPLY = "the worker stopped during the attempt"


def _message_reset(message: Message, now: datetime.datetime) -> bool:
    """Close the lost attempt of a message stuck in "sending": an error `Delivery` for it, and
    retrying now (failed when it has no attempt left). Conditional on the claim being the one
    read, so a message whose attempt finished (or was reset) meanwhile is left alone."""
    give_up = message.attempts >= message.attempt_limit
    fields: dict[str, Any] = (
        {"status": MessageStatus.FAILED}
        if give_up
        else {"status": MessageStatus.RETRYING, "next_attempt_at": now}
    )
    with transaction.atomic(), scopes_disabled():
        reset = Message.objects.filter(
            pk=message.pk,
            status=MessageStatus.SENDING,
            attempts=message.attempts,
            claimed_at=message.claimed_at,
        ).update(**fields)
        if not reset:
            return False
        Delivery.objects.create(
            message=message, attempt=message.attempts, outcome=Outcome.ERROR, reply=STOPPED_REPLY
        )
        if not give_up:
            _enqueue_after_commit([message.pk])
    return True


def _message_requeue(message: Message, now: datetime.datetime) -> bool:
    """Enqueue a new task for a waiting message whose task was lost. Its next attempt time is
    moved to now first (conditionally, so two recoveries enqueue it once), which also keeps the
    next recovery from enqueueing it again before the new task had its chance."""
    with transaction.atomic(), scopes_disabled():
        moved = Message.objects.filter(
            pk=message.pk, status=message.status, next_attempt_at=message.next_attempt_at
        ).update(next_attempt_at=now)
        if moved:
            _enqueue_after_commit([message.pk])
    return bool(moved)


def messages_recover(now: datetime.datetime | None = None) -> dict[str, int]:
    """Pick up again the messages the worker lost (run every few minutes by the worker).

    - "sending" with a claim older than `stuck_after`: the worker died during the attempt.
      The attempt is logged as an error and the message retried (or failed, when that was
      its last attempt).
    - queued or retrying, due for longer than `stuck_after`: its task is gone (a worker queue
      removed or flushed). A new task is enqueued.

    A message is never sent twice for one attempt: every attempt claims it first
    (`message_attempt`), and a duplicate task finds nothing to claim.
    """
    now = now or timezone.now()
    cutoff = now - stuck_after()
    with scopes_disabled():
        stuck = list(
            Message.objects.filter(status=MessageStatus.SENDING).filter(
                Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True, created_at__lt=cutoff)
            )
        )
        # Due since: the next attempt time, or for a message never attempted its creation.
        lost = list(
            Message.objects.filter(
                status__in=(MessageStatus.QUEUED, MessageStatus.RETRYING)
            ).filter(
                Q(next_attempt_at__lt=cutoff)
                | Q(next_attempt_at__isnull=True, created_at__lt=cutoff)
            )
        )
    counts = {
        "reset": sum(_message_reset(message, now) for message in stuck),
        "requeued": sum(_message_requeue(message, now) for message in lost),
    }
    if counts["reset"] or counts["requeued"]:
        logger.warning(
            "notifications: %(reset)d stuck messages reset, %(requeued)d requeued", counts
        )
    else:
        logger.info("notifications: nothing to recover")
    return counts


def message_retry(*, actor: Any, uid: Any) -> Message:
    """Send a failed message again, with `max_attempts()` more attempts than it has had.

    Whoever may read the message may send it again (`selectors.message_get_for`: another
    organiser's message is not found). Only a failed message: one still on its way would
    get a second task, and a sent one would reach its recipient twice. `attempts` is kept,
    so the log numbers the new attempts after the old ones.
    """
    from zaireen.notifications import selectors

    with transaction.atomic(durable=True):
        message = selectors.message_get_for(actor=actor, uid=uid)
        limit = message.attempts + max_attempts()
        with scopes_disabled():
            retried = Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
                status=MessageStatus.RETRYING,
                next_attempt_at=timezone.now(),
                attempt_limit=limit,
            )
        if not retried:
            message.refresh_from_db(fields=["status"])
            raise ValidationFailed(
                status=_("Only a failed message can be sent again; this one is %(status)s.")
                % {"status": message.get_status_display().lower()}
            )
        audit_record(
            actor=actor,
            action="zaireen.notifications.message.retried",
            obj=message,
            organiser=message.organiser,
            changes={
                "status": [MessageStatus.FAILED.value, MessageStatus.RETRYING.value],
                "attempt_limit": [message.attempt_limit, limit],
            },
        )
        _enqueue_after_commit([message.pk])
    message.refresh_from_db()
    return message
