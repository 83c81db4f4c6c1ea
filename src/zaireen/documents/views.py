"""Document pages and downloads, and the pages a card's QR code and card code lead to."""

from __future__ import annotations

import re
import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zaireen.core.errors import NotFound, ValidationFailed
from zaireen.core.permissions import role_required
from zaireen.core.ratelimit import rate_limited
from zaireen.core.roles import Role
from zaireen.documents import cards, exports, selectors
from zaireen.documents.forms import CardCodeForm, ReasonForm, RevokeForm
from zaireen.documents.pdf import render_pdf
from zaireen.pilgrims.photos import photo_url
from zaireen.pilgrims.selectors import pilgrim_list_for
from zaireen.trips import logistics

STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
OFFICIALS = (Role.MINISTRY_OFFICER, Role.CONSULAR_OFFICER)


def _filename(code: str, what: str, ext: str) -> str:
    return f"{re.sub(r'[^A-Za-z0-9_-]+', '-', code).strip('-') or 'trip'}-{what}.{ext}"


def _file(content: bytes, media_type: str, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=media_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # personal data: never kept by a shared cache
    return response


def _pdf(content: bytes, filename: str) -> HttpResponse:
    return _file(content, "application/pdf", filename, inline=True)


# --- The documents page --------------------------------------------------------------------


@role_required(*STAFF)
@require_GET
def trip_documents(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    page = selectors.documents_page(actor=request.user, uid=uid)
    return render(
        request,
        "documents/trip_documents.html",
        {"page": page, "trip": page.trip, "revoke_form": RevokeForm()},
    )


@role_required(*STAFF)
@require_POST
def cards_issue(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    selectors.trip_for_documents(actor=request.user, uid=uid)
    try:
        issued = logistics.cards_issue(actor=request.user, trip_uid=uid)
    except ValidationFailed as exc:
        for reasons in exc.errors.values():
            for reason in reasons:
                messages.error(request, reason)
    else:
        if issued:
            messages.success(request, _("%(n)d cards issued.") % {"n": issued})
        else:
            messages.info(request, _("Every member already has a valid card."))
    return redirect("documents:trip", uid=uid)


@role_required(*STAFF)
@require_POST
def card_revoke(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    selectors.trip_for_documents(actor=request.user, uid=uid)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the card code and say why the card is revoked."))
        return redirect("documents:trip", uid=uid)
    try:
        card = logistics.card_revoke(
            actor=request.user, code=form.cleaned_data["code"], reason=form.cleaned_data["reason"]
        )
    except ValidationFailed as exc:
        for reasons in exc.errors.values():
            for reason in reasons:
                messages.error(request, reason)
    except NotFound as exc:  # a mistyped code is the user's slip, not a missing page
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Card %(code)s is revoked: its QR code and card code now lead nowhere. Issue a new "
              "card to print a replacement.") % {"code": card.code},
        )  # fmt: skip
    return redirect("documents:trip", uid=uid)


# --- PDFs ----------------------------------------------------------------------------------


@role_required(*STAFF, *OFFICIALS)
@require_GET
def manifest_pdf(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """The trip manifest; an official first says why (the reason is logged)."""
    reason = request.GET.get("reason", "")
    try:
        trip = selectors.trip_for_manifest(actor=request.user, uid=uid, reason=reason)
    except ValidationFailed:
        form = ReasonForm(request.GET if reason else None)
        return render(
            request,
            "documents/manifest_reason.html",
            {"form": form, "uid": uid},
            status=422 if reason else 200,
        )
    context = selectors.manifest_context(actor=request.user, trip=trip)
    return _pdf(
        render_pdf("documents/pdf/manifest.html", context),
        _filename(trip.code, "manifest", "pdf"),
    )


@role_required(*STAFF)
@require_GET
def vehicles_pdf(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    trip = selectors.trip_for_documents(actor=request.user, uid=uid)
    context = selectors.vehicles_context(actor=request.user, trip=trip)
    return _pdf(
        render_pdf("documents/pdf/vehicles.html", context),
        _filename(trip.code, "drivers-manifests", "pdf"),
    )


@role_required(*STAFF)
@require_GET
def vehicle_pdf(request: HttpRequest, uid: uuid.UUID, vehicle_uid: uuid.UUID) -> HttpResponse:
    trip = selectors.trip_for_documents(actor=request.user, uid=uid)
    context = selectors.vehicles_context(actor=request.user, trip=trip, uid=vehicle_uid)
    plate = context["vehicles"][0].plate
    return _pdf(
        render_pdf("documents/pdf/vehicles.html", context),
        _filename(trip.code, f"driver-{plate}", "pdf"),
    )


@role_required(*STAFF)
@require_GET
def rooming_pdf(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    trip = selectors.trip_for_documents(actor=request.user, uid=uid)
    context = selectors.rooming_context(actor=request.user, trip=trip)
    return _pdf(
        render_pdf("documents/pdf/rooming.html", context),
        _filename(trip.code, "rooming", "pdf"),
    )


@role_required(*STAFF)
@require_GET
def id_cards_pdf(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    trip = selectors.trip_for_documents(actor=request.user, uid=uid)
    context = selectors.cards_context(actor=request.user, trip=trip)
    return _pdf(
        render_pdf("documents/pdf/id_cards.html", context),
        _filename(trip.code, "id-cards", "pdf"),
    )


@role_required(*STAFF)
@require_GET
def emergency_cards_pdf(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    trip = selectors.trip_for_documents(actor=request.user, uid=uid)
    context = selectors.emergency_context(actor=request.user, trip=trip)
    return _pdf(
        render_pdf("documents/pdf/emergency_cards.html", context),
        _filename(trip.code, "emergency-cards", "pdf"),
    )


# --- Spreadsheets --------------------------------------------------------------------------


def _roster(request: HttpRequest, uid: uuid.UUID):
    trip = selectors.trip_for_documents(actor=request.user, uid=uid)
    members = selectors.trip_members(actor=request.user, trip=trip)
    return trip, *selectors.roster_table(members)


@role_required(*STAFF)
@require_GET
def roster_xlsx(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    trip, header, rows = _roster(request, uid)
    return _file(
        exports.write_xlsx(trip.code, header, rows),
        exports.XLSX_MEDIA_TYPE,
        _filename(trip.code, "roster", "xlsx"),
        inline=False,
    )


@role_required(*STAFF)
@require_GET
def roster_csv(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    trip, header, rows = _roster(request, uid)
    return _file(
        exports.write_csv(header, rows),
        exports.CSV_MEDIA_TYPE,
        _filename(trip.code, "roster", "csv"),
        inline=False,
    )


def _pilgrims(request: HttpRequest):
    profiles = pilgrim_list_for(actor=request.user, q=request.GET.get("q", "")[:100])
    return selectors.pilgrims_table(profiles)


@role_required(*STAFF)
@require_GET
def pilgrims_xlsx(request: HttpRequest) -> HttpResponse:
    header, rows = _pilgrims(request)
    return _file(
        exports.write_xlsx(_("Pilgrims"), header, rows),
        exports.XLSX_MEDIA_TYPE,
        "pilgrims.xlsx",
        inline=False,
    )


@role_required(*STAFF)
@require_GET
def pilgrims_csv(request: HttpRequest) -> HttpResponse:
    header, rows = _pilgrims(request)
    return _file(exports.write_csv(header, rows), exports.CSV_MEDIA_TYPE, "pilgrims.csv",
                 inline=False)  # fmt: skip


# --- Cards: the QR code and the typed card code ------------------------------------------


def _not_valid(request: HttpRequest, form: CardCodeForm | None = None) -> HttpResponse:
    """One answer for a bad signature, an unknown card and a revoked one."""
    response = render(
        request, "documents/card_invalid.html", {"form": form or CardCodeForm()}, status=404
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@rate_limited("card-resolve", limit=60, window_seconds=60)
def card_resolve(request: HttpRequest, signed: str) -> HttpResponse:
    card = cards.card_from_signed(signed)
    if card is None:
        return _not_valid(request)
    view = cards.card_view_for(actor=request.user, card=card, reason=request.GET.get("reason", ""))
    response = render(
        request,
        "documents/card_resolve.html",
        {
            "view": view,
            "member": view.member,
            "profile": view.member.profile,
            "trip": view.member.trip,
            "organiser": view.organiser,
            "embassy_phone": selectors.embassy_phone(),
            "reason_form": ReasonForm() if view.access == cards.Access.NEEDS_REASON else None,
            "photo_url": photo_url(view.member.profile)
            if view.access == cards.Access.EMERGENCY
            else "",
        },
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
@rate_limited("card-code", limit=10, window_seconds=60)
def card_code(request: HttpRequest) -> HttpResponse:
    """Type the code printed beside the QR where no camera can read it."""
    form = CardCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        card = cards.card_from_code(form.cleaned_data["code"])
        if card is None:
            return _not_valid(request, form)
        return redirect("documents:card_resolve", signed=cards.card_signed(card))
    return render(request, "documents/card_code.html", {"form": form})
