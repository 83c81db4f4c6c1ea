"""An organiser's pilgrims register: list and search, add, check as you type, edit."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zaireen.core.errors import ValidationFailed
from zaireen.core.forms import add_service_errors
from zaireen.core.permissions import role_required
from zaireen.core.roles import Role
from zaireen.pilgrims import photos, selectors, services
from zaireen.pilgrims.forms import PhotoForm, PilgrimForm, PilgrimSearchForm
from zaireen.pilgrims.validation import check_pilgrim

STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
PER_PAGE = 50


@role_required(*STAFF)
@require_GET
def pilgrim_list(request: HttpRequest) -> HttpResponse:
    form = PilgrimSearchForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    page = Paginator(selectors.pilgrim_list_for(actor=request.user, q=q), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "query": f"q={q}" if q else ""}
    template = "pilgrims/_results.html" if request.htmx else "pilgrims/list.html"
    return render(request, template, context)


def _form_page(request, form, *, profile=None, warnings=None, status=200) -> HttpResponse:
    return render(
        request,
        "pilgrims/form.html",
        {"form": form, "profile": profile, "warnings": warnings or {}},
        status=status,
    )


@role_required(*STAFF)
@require_POST
def pilgrim_check(request: HttpRequest) -> HttpResponse:
    """Live check while typing (htmx): the form again with errors, warnings and, when the
    machine-readable zone reads well, the empty fields filled from it. Saves nothing."""
    form = PilgrimForm(request.POST)
    if not form.is_valid():
        return render(request, "pilgrims/_fields.html", {"form": form, "warnings": {}})
    checked = check_pilgrim(
        form.to_input(), today=timezone.localdate(), fill="fill" in request.POST
    )
    filled = PilgrimForm(
        initial={name: getattr(checked.data, name) for name in form.fields if name != "mrz"}
        | {"mrz": form.cleaned_data.get("mrz", "")}
    )
    shown = {name: reasons for name, reasons in checked.errors.items()
             if request.POST.get(name) or name == "mrz" or "fill" in request.POST}  # fmt: skip
    return render(
        request,
        "pilgrims/_fields.html",
        {"form": filled, "errors": shown, "warnings": checked.warnings},
    )


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def pilgrim_create(request: HttpRequest) -> HttpResponse:
    form = PilgrimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile, warnings = services.pilgrim_register(actor=request.user, data=form.to_input())
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": profile.full_name})
            for reasons in warnings.values():
                for reason in reasons:
                    messages.warning(request, reason)
            return redirect("pilgrims:detail", uid=profile.uid)
    return _form_page(request, form, status=422 if form.errors else 200)


@role_required(*STAFF)
@require_GET
def pilgrim_detail(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    profile = selectors.pilgrim_get_for(actor=request.user, uid=uid)
    return _detail_page(request, profile, PhotoForm())


def _detail_page(request, profile, photo_form, status=200) -> HttpResponse:
    context = {"profile": profile, "photo_url": photos.photo_url(profile), "photo_form": photo_form}
    return render(request, "pilgrims/detail.html", context, status=status)


@role_required(*STAFF)
@require_POST
def pilgrim_photo_upload(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    profile = selectors.pilgrim_get_for(actor=request.user, uid=uid)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photos.photo_set(actor=request.user, uid=uid, content=form.cleaned_data["photo"].read())
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The photo is saved."))
            return redirect("pilgrims:detail", uid=uid)
    return _detail_page(request, profile, form, status=422)


@role_required(*STAFF)
@require_POST
def pilgrim_photo_remove(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    if photos.photo_remove(actor=request.user, uid=uid):
        messages.success(request, _("The photo is removed."))
    return redirect("pilgrims:detail", uid=uid)


@require_GET
def pilgrim_photo(request: HttpRequest, token: str) -> HttpResponse:
    """A photo behind a signed link (see `photos`): the signature is the permission."""
    found = photos.photo_for_link(token)
    if found is None:
        raise Http404(_("This photo link has expired or the photo has changed."))
    jpeg, digest = found
    response = HttpResponse(jpeg, content_type="image/jpeg")
    response["Cache-Control"] = f"private, max-age={photos.LINK_MAX_AGE}"
    response["ETag"] = f'"{digest[:16]}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def pilgrim_edit(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    profile = selectors.pilgrim_get_for(actor=request.user, uid=uid)
    form = PilgrimForm(request.POST or None, initial=services.profile_as_input(profile))
    if request.method == "POST" and form.is_valid():
        try:
            services.pilgrim_update(actor=request.user, uid=uid, data=form.to_input())
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("pilgrims:detail", uid=uid)
    return _form_page(request, form, profile=profile, status=422 if form.errors else 200)


@role_required(Role.MINISTRY_OFFICER)
@require_GET
def identity_conflicts(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.identity_conflicts_for(actor=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "pilgrims/conflicts.html", {"page": page})
