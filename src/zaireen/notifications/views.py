"""The delivery log: every message with its attempts, and sending a failed one again."""

import uuid

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zaireen.core.buttons import button_action
from zaireen.core.permissions import role_required
from zaireen.core.roles import Role
from zaireen.notifications import selectors, services
from zaireen.notifications.forms import MessageFilterForm

READERS = (Role.MINISTRY_OFFICER, Role.ORGANISER_ADMIN)
PER_PAGE = 50


@role_required(*READERS)
@require_GET
def message_list(request: HttpRequest) -> HttpResponse:
    form = MessageFilterForm(request.GET or None, topics=selectors.topics_for(actor=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    messages = selectors.message_list_for(
        actor=request.user,
        topic=filters.get("topic", ""),
        status=filters.get("status", ""),
        channel=filters.get("channel", ""),
        q=filters.get("q", ""),
    )
    page = Paginator(messages, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@role_required(*READERS)
@require_GET
def message_detail(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    message = selectors.message_get_for(actor=request.user, uid=uid)
    return render(
        request,
        "notifications/detail.html",
        {
            "message": message,
            "deliveries": selectors.deliveries_of(message),
            "may_retry": selectors.may_retry(actor=request.user, message=message),
        },
    )


@role_required(*READERS)
@require_POST
def message_retry(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    return button_action(
        request,
        lambda: services.message_retry(actor=request.user, uid=uid),
        done=_("The message is queued to be sent again."),
        back_to=reverse("notifications:detail", kwargs={"uid": uid}),
    )
