"""Sending SMS through a configurable backend (`ZAIREEN_SMS_BACKEND`).

- `console` (default): prints the message to the log, so a demo shows the one-time code.
- `file`: appends to `sms-outbox.log` in the data folder.
- `locmem`: keeps messages in `outbox` (tests).
- `http`: POSTs `{"to": …, "text": …}` as JSON to `ZAIREEN_SMS_GATEWAY_URL` with the bearer
  token `ZAIREEN_SMS_GATEWAY_TOKEN`: the interface a production SMS gateway adapter serves.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger("zaireen.sms")


@dataclass(frozen=True)
class Sms:
    to: str
    text: str


outbox: list[Sms] = []


def send_sms(to: str, text: str) -> None:
    backend = settings.ZAIREEN_SMS_BACKEND
    if backend == "console":
        logger.warning("SMS to %s: %s", to, text)
    elif backend == "file":
        path = Path(settings.DATA_DIR) / "sms-outbox.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"{timezone.now().isoformat()}\t{to}\t{text}\n")
    elif backend == "locmem":
        outbox.append(Sms(to, text))
    elif backend == "http":
        request = urllib.request.Request(  # noqa: S310 (the URL is the operator's setting)
            settings.ZAIREEN_SMS_GATEWAY_URL,
            data=json.dumps({"to": to, "text": text}).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.ZAIREEN_SMS_GATEWAY_TOKEN}",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            if response.status >= 300:
                raise RuntimeError(f"SMS gateway answered {response.status}")
    else:
        raise ValueError(f"unknown SMS backend {backend!r}")
