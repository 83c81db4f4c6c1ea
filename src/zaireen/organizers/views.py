"""Pages about organisers: the public licence check, the ministry's licensing, staff."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zaireen.accounts import services as accounts
from zaireen.accounts.forms import StaffInviteForm
from zaireen.core.errors import ValidationFailed
from zaireen.core.forms import add_service_errors
from zaireen.core.permissions import role_required
from zaireen.core.ratelimit import rate_limited
from zaireen.core.roles import ORGANISER_ROLES, Role
from zaireen.organizers import selectors, services
from zaireen.organizers.forms import (
    LicenceCheckForm,
    OrganiserFilterForm,
    OrganiserForm,
    StatusChangeForm,
)
from zaireen.organizers.models import TRANSITIONS, LicenceStatus
from zaireen.trips.selectors import suspended_organisers_trips

PER_PAGE = 25
MINISTRY = (Role.MINISTRY_OFFICER,)
OFFICIALS = (Role.MINISTRY_OFFICER, Role.CONSULAR_OFFICER)


@require_GET
@rate_limited("licence-check", limit=30, window_seconds=60)
def licence_check(request: HttpRequest) -> HttpResponse:
    form = LicenceCheckForm(request.GET or None)
    results = None
    if form.is_valid():
        results = selectors.licence_search(q=form.cleaned_data["q"])
    return render(
        request,
        "organizers/licence_check.html",
        {"form": form, "results": results, "today": timezone.localdate()},
    )


@role_required(*OFFICIALS)
@require_GET
def organiser_list(request: HttpRequest) -> HttpResponse:
    form = OrganiserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisers = selectors.organiser_list_for(
        actor=request.user,
        status=filters.get("status", ""),
        city=filters["city"].slug if filters.get("city") else "",
        q=filters.get("q", ""),
    )
    page = Paginator(organisers, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organizers/organiser_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "counts": selectors.status_counts(),
            "today": timezone.localdate(),
        },
    )


@role_required(*MINISTRY)
@require_http_methods(["GET", "POST"])
def organiser_create(request: HttpRequest) -> HttpResponse:
    form = OrganiserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "head_office_city": form.cleaned_data["head_office_city"].slug}
        try:
            organiser = services.organiser_register(actor=request.user, **data)
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is registered as an applicant.") % {"name": organiser}
            )
            return redirect("organizers:detail", uid=organiser.uid)
    return render(
        request,
        "organizers/organiser_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


def _detail_context(request: HttpRequest, organiser, **extra) -> dict:
    return {
        "organiser": organiser,
        "history": selectors.organiser_history(actor=request.user, organiser=organiser),
        "staff": selectors.staff_list_for(actor=request.user, organiser=organiser),
        "next_statuses": [LicenceStatus(s) for s in sorted(TRANSITIONS[organiser.status])],
        "may_manage": selectors.may_manage_licences(request.user),
        "today": timezone.localdate(),
        "invite_form": StaffInviteForm(initial={"role": Role.ORGANISER_ADMIN}),
        "review_trips": suspended_organisers_trips(actor=request.user, organiser=organiser),
        **extra,
    }


@role_required(*OFFICIALS)
@require_GET
def organiser_detail(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    organiser = selectors.organiser_get_for(actor=request.user, uid=uid)
    return render(request, "organizers/organiser_detail.html", _detail_context(request, organiser))


@role_required(*MINISTRY)
@require_http_methods(["GET", "POST"])
def organiser_status(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """A licence decision: a confirmation page with the reason, then the change."""
    organiser = selectors.organiser_get_for(actor=request.user, uid=uid)
    initial = {
        "to_status": request.GET.get("to", ""),
        "effective_date": timezone.localdate(),
        "valid_from": organiser.valid_from or timezone.localdate(),
        "valid_until": organiser.valid_until,
    }
    form = StatusChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        try:
            services.organiser_status_change(actor=request.user, organiser_uid=uid, **data)
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The licence status of %(name)s is changed.") % {"name": organiser}
            )
            return redirect("organizers:detail", uid=uid)
    to_status = form["to_status"].value() or ""
    label = LicenceStatus(to_status).label if to_status in LicenceStatus.values else ""
    return render(
        request,
        "organizers/status_form.html",
        {"form": form, "organiser": organiser, "to_status": to_status, "to_label": label},
        status=422 if form.errors else 200,
    )


@role_required(*MINISTRY)
@require_POST
def organiser_invite_admin(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    organiser = selectors.organiser_get_for(actor=request.user, uid=uid)
    form = StaffInviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = accounts.staff_invite(
                actor=request.user,
                organiser=organiser,
                **{**form.cleaned_data, "role": Role.ORGANISER_ADMIN},
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is invited as the organiser's admin.") % {"name": invitation.user},
            )
            return render(
                request, "organizers/organiser_detail.html",
                _detail_context(request, organiser, invitation=invitation),
            )  # fmt: skip
    return render(
        request, "organizers/organiser_detail.html",
        _detail_context(request, organiser, invite_form=form), status=422,
    )  # fmt: skip


@role_required(*ORGANISER_ROLES)
@require_GET
def organiser_home(request: HttpRequest) -> HttpResponse:
    """An organiser's own page: licence status (and why, when it is not good), staff."""
    organiser = selectors.organiser_get_for(actor=request.user, uid=request.user.organiser.uid)
    return render(
        request,
        "organizers/organiser_home.html",
        {"organiser": organiser, "today": timezone.localdate(),
         "history": selectors.organiser_history(actor=request.user, organiser=organiser)[:5]},
    )  # fmt: skip


@role_required(Role.ORGANISER_ADMIN)
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest) -> HttpResponse:
    organiser = request.user.organiser
    form = StaffInviteForm(request.POST or None)
    invitation = None
    if request.method == "POST" and form.is_valid():
        try:
            invitation = accounts.staff_invite(
                actor=request.user, organiser=organiser, **form.cleaned_data
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is added to your staff.") % {"name": invitation.user}
            )
            form = StaffInviteForm()
    return render(
        request,
        "organizers/staff.html",
        {"organiser": organiser, "form": form, "invitation": invitation,
         "staff": selectors.staff_list_for(actor=request.user, organiser=organiser)},
        status=422 if form.errors else 200,
    )  # fmt: skip


@role_required(Role.ORGANISER_ADMIN)
@require_POST
def staff_remove(request: HttpRequest, user_id: int) -> HttpResponse:
    try:
        removed = accounts.staff_remove(actor=request.user, user_id=user_id)
    except ValidationFailed as exc:
        messages.error(request, "; ".join(r for reasons in exc.errors.values() for r in reasons))
    else:
        messages.success(request, _("%(name)s can no longer sign in.") % {"name": removed})
    return redirect("organizers:staff")
