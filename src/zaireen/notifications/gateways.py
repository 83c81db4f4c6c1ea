"""The channels a message leaves by. Each `send_*` hands one message over and returns the
provider's reply (a short text for the delivery log), or raises on failure.

- email: Django's email backends (`ZAIREEN_EMAIL_BACKEND`).
- SMS: `zaireen.core.sms` (`ZAIREEN_SMS_BACKEND`: console, file, locmem, http).
- WhatsApp: the same shape of gateway, configured apart (`ZAIREEN_WHATSAPP_BACKEND`: console,
  file, locmem, http). The http backend POSTs `{"to", "text"}` as JSON to
  `ZAIREEN_WHATSAPP_GATEWAY_URL` with the bearer token `ZAIREEN_WHATSAPP_GATEWAY_TOKEN`; the
  adapter in front of the WhatsApp Business API answers 2xx when it accepted the message.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from zaireen.core.sms import send_sms

logger = logging.getLogger("zaireen.whatsapp")
REPLY_LIMIT = 2000


@dataclass(frozen=True)
class WhatsApp:
    to: str
    text: str


whatsapp_outbox: list[WhatsApp] = []


def send_email(*, to: str, subject: str, body: str) -> str:
    sent = EmailMessage(subject=subject, body=body, to=[to]).send(fail_silently=False)
    if not sent:
        raise RuntimeError("the email backend accepted nothing")
    return f"accepted by {settings.EMAIL_BACKEND.rsplit('.', 2)[-2]} email backend"


def send_text_sms(*, to: str, text: str) -> str:
    send_sms(to, text)
    return f"accepted by the {settings.ZAIREEN_SMS_BACKEND} SMS backend"


def _post_json(url: str, token: str, payload: dict) -> str:
    request = urllib.request.Request(  # noqa: S310 (the URL is the operator's setting)
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            reply = response.read(REPLY_LIMIT).decode("utf-8", "replace")
            return f"HTTP {response.status} {reply}".strip()
    except urllib.error.HTTPError as exc:
        reply = exc.read(REPLY_LIMIT).decode("utf-8", "replace")
        raise RuntimeError(f"gateway answered HTTP {exc.code} {reply}".strip()) from None


def send_whatsapp(*, to: str, text: str) -> str:
    backend = getattr(settings, "ZAIREEN_WHATSAPP_BACKEND", "console")
    if backend == "console":
        logger.warning("WhatsApp to %s: %s", to, text)
    elif backend == "file":
        path = Path(settings.DATA_DIR) / "whatsapp-outbox.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"{timezone.now().isoformat()}\t{to}\t{text!r}\n")
    elif backend == "locmem":
        whatsapp_outbox.append(WhatsApp(to, text))
    elif backend == "http":
        return _post_json(
            settings.ZAIREEN_WHATSAPP_GATEWAY_URL,
            settings.ZAIREEN_WHATSAPP_GATEWAY_TOKEN,
            {"to": to, "text": text},
        )
    else:
        raise ValueError(f"unknown WhatsApp backend {backend!r}")
    return f"accepted by the {backend} WhatsApp backend"
