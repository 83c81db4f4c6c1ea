"""The permission policy: who may do what, in one place.

Views and API endpoints ask here; selectors and services take the acting user and scope
every read of tenant data to it. An object of another organiser is reported as not found
(404), never as forbidden, so ids cannot be probed.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django_scopes import scope, scopes_disabled

from zaireen.core.errors import NotAllowed
from zaireen.core.roles import OFFICIAL_ROLES, ORGANISER_ROLES, Role


def is_official(user: Any) -> bool:
    return user.is_authenticated and user.is_active and user.role in OFFICIAL_ROLES


def is_ministry(user: Any) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.MINISTRY_OFFICER


def is_organiser_user(user: Any) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role in ORGANISER_ROLES
        and user.organiser_id is not None
    )


def assert_role(user: Any, *roles: str) -> None:
    if not (user.is_authenticated and user.is_active and user.role in roles):
        raise NotAllowed("Your role may not do this.")


@contextlib.contextmanager
def tenant_scope(actor: Any) -> Iterator[None]:
    """Activate the organiser scope of `actor` for reads of organiser-owned rows.

    Organiser users see their organiser; officials see every organiser (their reads of
    personal data go through the access log); anyone else may read no tenant data at all.
    """
    if is_organiser_user(actor):
        with scope(organiser=actor.organiser_id):
            yield
    elif is_official(actor):
        with scopes_disabled():
            yield
    else:
        raise NotAllowed("Only organisers and officials read organiser data.")


def role_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: anonymous users go to the login page; other roles get 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in roles or not request.user.is_active:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorate
