"""Fixed-window rate limits kept in the database.

Why not a cache-based library: django-ratelimit needs memcached or Redis for atomic shared
counters and refuses Django's database and file caches, while Zaireen's embedded default
has neither. A row per (scope, key, window) with an atomic `UPDATE … SET hits = hits + 1`
is shared by every web process on SQLite and PostgreSQL alike. Old windows are purged by a
periodic job.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zaireen.core.errors import DomainError
from zaireen.core.models import RateCounter


class RateLimited(DomainError):
    status = 429


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit of `key` in `scope`; True while the window's hits stay within `limit`."""
    now = timezone.now()
    epoch = int(now.timestamp())
    start = datetime.datetime.fromtimestamp(epoch - epoch % window_seconds, tz=datetime.UTC)
    digest = hashlib.sha256(key.encode()).hexdigest()[:64]
    with transaction.atomic():
        updated = RateCounter.objects.filter(scope=scope, key=digest, window_start=start).update(
            hits=F("hits") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(scope=scope, key=digest, window_start=start, hits=1)
            except IntegrityError:  # another process created it first
                RateCounter.objects.filter(scope=scope, key=digest, window_start=start).update(
                    hits=F("hits") + 1
                )
        hits = RateCounter.objects.get(scope=scope, key=digest, window_start=start).hits
    return hits <= limit


def check(*, scope: str, key: str, limit: int, window_seconds: int) -> None:
    """Like `hit`, raising `RateLimited` past the limit."""
    if not hit(scope=scope, key=key, limit=limit, window_seconds=window_seconds):
        raise RateLimited(f"Too many requests; try again in {window_seconds} seconds.")


def purge(*, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    return RateCounter.objects.filter(window_start__lt=timezone.now() - older_than).delete()[0]


def rate_limited(
    scope: str, *, limit: int, window_seconds: int = 60
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Limit a view per client address; past the limit it answers 429 with a page saying so."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            key = client_ip(request)
            if not hit(scope=scope, key=key, limit=limit, window_seconds=window_seconds):
                return render(request, "429.html", {"retry_seconds": window_seconds}, status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
