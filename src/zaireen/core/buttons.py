"""Views behind a button: a POST that runs one service call and goes back to the page it came
from, with the outcome as a message. One helper, so every button refuses and confirms alike."""

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from zaireen.core.errors import Conflict, ValidationFailed
from zaireen.core.forms import add_service_messages

T = TypeVar("T")


def redirect_back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Redirect to the form's `next` field when it is a URL of this site (a button shown on
    several pages), else to `fallback`. Never to another host: `next` comes from the client."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def button_action(
    request: HttpRequest,
    action: Callable[[], T],
    *,
    done: str | Callable[[T], str] | None,
    back_to: str,
) -> HttpResponse:
    """Run `action` (the service call), then go back: to the form's `next` field when it names
    a page of this site (a button shown on several pages), else to the URL `back_to`.

    A button has no form to show errors next to, so a refusal (a broken rule, or a conflict
    such as a full slot or a re-sent press) becomes error messages; any other error
    propagates, for the edge to map to its status. On success `done` is the message: a text,
    a function of the action's result making one, or None for none."""
    try:
        result = action()
    except (ValidationFailed, Conflict) as exc:
        add_service_messages(request, exc)
    else:
        if done is not None:
            messages.success(request, done(result) if callable(done) else done)
    return redirect_back(request, back_to)
