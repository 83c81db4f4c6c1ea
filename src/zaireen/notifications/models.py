"""Messages to people (email, SMS, WhatsApp) and every attempt to deliver them.

A `Message` is one text to one address, rendered when it was asked for and never changed
after; a `Delivery` is one attempt of the worker to hand it to its channel, with the
provider's reply or the error. See docs/notifications.md.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    RETRYING = "retrying", _("Retrying")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


def attempt_limit_default() -> int:
    """A new message gets `ZAIREEN_NOTIFY_ATTEMPTS` attempts (read when it is created)."""
    from zaireen.notifications.services import max_attempts

    return max_attempts()


class Message(models.Model):
    """One message to one recipient. `organiser` is the tenant it concerns (None for messages
    that concern no organiser; only the ministry sees those); `about_*` is a generic reference
    to the object it is about (a case, an SOS), kept as its type and its id or UUID.

    `attempts` counts every attempt ever made and is never reset, so the log keeps its
    history; `attempt_limit` is how many it may reach before it is given up, raised when
    someone sends a failed message again. `claimed_at` is when the last attempt claimed it:
    a message "sending" for long after that lost its worker (see `messages_recover`)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organiser = models.ForeignKey(
        "organizers.Organiser", verbose_name=_("organiser"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    topic = models.CharField(_("topic"), max_length=80)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    recipient_name = models.CharField(_("recipient"), max_length=150, blank=True)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    language = models.CharField(_("language"), max_length=5, default="en")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    attempt_limit = models.PositiveSmallIntegerField(
        _("attempt limit"), default=attempt_limit_default
    )
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    about_id = models.CharField(max_length=64, blank=True)
    about_label = models.CharField(_("about"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("last claimed"), null=True, blank=True)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="notifications_sent_has_time",
            )
        ]
        indexes = [
            models.Index(fields=["organiser", "-created_at"]),
            models.Index(fields=["about_type", "about_id"]),
            models.Index(fields=["topic"]),
        ]

    def __str__(self) -> str:
        return f"{self.topic} → {self.recipient_name or self.channel}"


class Outcome(models.TextChoices):
    SENT = "sent", _("Accepted")
    ERROR = "error", _("Error")


class Delivery(models.Model):
    """One attempt to send a message: when, how it went, what the provider said."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    at = models.DateTimeField(_("when"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=5, choices=Outcome.choices)
    reply = models.TextField(_("provider reply or error"), blank=True)

    class Meta:
        ordering = ["message_id", "attempt"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "attempt"], name="notifications_attempt_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.message_id} #{self.attempt}: {self.outcome}"
