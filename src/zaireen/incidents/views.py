"""Incident pages, the accident manifest (page and PDF), the stranding census, SOS alerts,
the SOS button's no-JavaScript form and the service worker that keeps the pilgrim's page."""

from __future__ import annotations

import hashlib
import json
import re
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zaireen.core.buttons import button_action, redirect_back
from zaireen.core.errors import ValidationFailed
from zaireen.core.forms import add_service_errors, add_service_messages
from zaireen.core.permissions import role_required
from zaireen.core.roles import PHONE_LOGIN_ROLES, Role
from zaireen.documents.pdf import render_pdf
from zaireen.documents.selectors import embassy_phone
from zaireen.incidents import selectors, services
from zaireen.incidents.forms import (
    CensusCheckForm,
    CensusMessageForm,
    CloseForm,
    IncidentFilterForm,
    IncidentForm,
    NoteForm,
    ReasonForm,
    SosCloseForm,
    SosForm,
    TripChoiceForm,
)
from zaireen.incidents.models import IncidentKind, IncidentStatus, SosStatus
from zaireen.trips.models import Holder

STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
OFFICIALS = (Role.MINISTRY_OFFICER, Role.CONSULAR_OFFICER)
SEE_INCIDENTS = (*STAFF, *OFFICIALS, Role.GROUP_LEADER)
REPORTERS = (*STAFF, Role.GROUP_LEADER)
HANDLERS = (*STAFF, Role.GROUP_LEADER)
PER_PAGE = 50
# The pilgrim's own page ("My trips"), which the SOS service worker keeps for no network.
SOS_SCOPE = "/me/trips/"
SOS_DATA_CACHE = "zaireen-sos-data"
SOS_ASSETS = (
    "bootstrap/css/bootstrap.min.css",
    "bootstrap/css/bootstrap.rtl.min.css",
    "bootstrap/js/bootstrap.bundle.min.js",
    "django_htmx/htmx-2.min.js",
    "zaireen/zaireen.css",
    "zaireen/icon.svg",
    "incidents/sos.js",
)


# --- Incidents ------------------------------------------------------------------------------


@role_required(*SEE_INCIDENTS)
@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    form = IncidentFilterForm(request.GET or None)
    incidents = selectors.incident_list_for(actor=request.user, **form.filters())
    page = Paginator(incidents, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "incidents/list.html",
        {
            "page": page,
            "form": form,
            "query": query.urlencode(),
            "may_report": bool(selectors.reporting_trips_for(actor=request.user)),
        },
    )


@role_required(*REPORTERS)
@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    """Choose the trip first (`?trip=`); then the form offers that trip's members and
    vehicles."""
    trips = selectors.reporting_trips_for(actor=request.user)
    trip_uid = request.GET.get("trip", "")
    if not trip_uid:
        return render(request, "incidents/choose_trip.html", {"form": TripChoiceForm(trips=trips)})
    trip = selectors.trip_for_reporting(actor=request.user, uid=trip_uid)
    members, vehicles = selectors.trip_people(trip)
    form = IncidentForm(request.POST or None, members=members, vehicles=vehicles)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_open(
                actor=request.user, trip_uid=trip.uid, data=form.to_input()
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The incident is recorded and its people are told."))
            return redirect("incidents:detail", uid=incident.uid)
    return render(
        request,
        "incidents/form.html",
        {"form": form, "trip": trip},
        status=422 if form.errors else 200,
    )


@role_required(*SEE_INCIDENTS)
@require_GET
def incident_detail(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    incident = selectors.incident_get_for(actor=request.user, uid=uid)
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            **selectors.incident_detail(incident),
            "place": services.incident_place(incident),
            "may_write": selectors.may_write(request.user, incident),
            "may_close": selectors.may_close(request.user, incident),
            "may_manifest": selectors.is_staff_of(request.user, incident.organiser_id)
            or request.user.role in OFFICIALS,
            "official": request.user.role in OFFICIALS,
            "note_form": NoteForm(),
            "close_form": CloseForm(),
            "reason_form": ReasonForm(),
            "stranding": incident.kind == IncidentKind.STRANDING,
            "open": incident.status == IncidentStatus.OPEN,
        },
    )


@role_required(*REPORTERS)
@require_POST
def incident_note(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the note."))
        return redirect("incidents:detail", uid=uid)
    return button_action(
        request,
        lambda: services.incident_note_add(
            actor=request.user, uid=uid, text=form.cleaned_data["text"]
        ),
        done=None,
        back_to=reverse("incidents:detail", kwargs={"uid": uid}),
    )


@role_required(*STAFF)
@require_POST
def incident_close(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how it ended."))
        return redirect("incidents:detail", uid=uid)
    return button_action(
        request,
        lambda: services.incident_close(
            actor=request.user, uid=uid, note=form.cleaned_data["note"]
        ),
        done=_("The incident is closed."),
        back_to=reverse("incidents:detail", kwargs={"uid": uid}),
    )


# --- The accident manifest ------------------------------------------------------------------


def _filename(code: str, what: str) -> str:
    return f"{re.sub(r'[^A-Za-z0-9_-]+', '-', code).strip('-') or 'trip'}-{what}.pdf"


def _reason_page(request: HttpRequest, reason: str) -> HttpResponse:
    form = ReasonForm(request.GET if reason else None)
    return render(
        request,
        "incidents/manifest_reason.html",
        {"form": form, "action": request.path},
        status=422 if reason else 200,
    )


def _manifest(request: HttpRequest, *, incident_uid=None, vehicle_uid=None, pdf: bool):
    reason = request.GET.get("reason", "")
    try:
        if incident_uid is not None:
            manifest = selectors.manifest_for_incident(
                actor=request.user, uid=incident_uid, reason=reason
            )
        else:
            manifest = selectors.manifest_for_vehicle(
                actor=request.user, uid=vehicle_uid, reason=reason
            )
    except ValidationFailed as exc:
        if "reason" in exc.errors:
            return _reason_page(request, reason)
        add_service_messages(request, exc)
        return redirect("incidents:detail", uid=incident_uid)
    context = {
        "manifest": manifest,
        "trip": manifest.trip,
        "organiser": manifest.trip.organiser,
        "incident": manifest.incident,
        "embassy_phone": embassy_phone(),
        "reason": reason,
    }
    if pdf:
        response = HttpResponse(
            render_pdf("incidents/pdf/manifest.html", context), content_type="application/pdf"
        )
        name = _filename(manifest.trip.code, "accident-manifest")
        response["Content-Disposition"] = f'inline; filename="{name}"'
    else:
        response = render(request, "incidents/manifest.html", context)
    response["Cache-Control"] = "no-store"  # personal data: never kept by a shared cache
    return response


@role_required(*STAFF, *OFFICIALS)
@require_GET
def incident_manifest(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    return _manifest(request, incident_uid=uid, pdf=False)


@role_required(*STAFF, *OFFICIALS)
@require_GET
def incident_manifest_pdf(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    return _manifest(request, incident_uid=uid, pdf=True)


@role_required(*STAFF, *OFFICIALS)
@require_GET
def vehicle_manifest(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    return _manifest(request, vehicle_uid=uid, pdf=False)


@role_required(*STAFF, *OFFICIALS)
@require_GET
def vehicle_manifest_pdf(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    return _manifest(request, vehicle_uid=uid, pdf=True)


# --- The stranding census -------------------------------------------------------------------


def _check_form(row) -> CensusCheckForm:
    def answer(value):
        return "" if value is None else ("yes" if value else "no")

    check = row.check
    initial = {"passport_holder": row.holder_now}
    if check is not None:
        initial = {
            "has_medicine": answer(check.has_medicine),
            "has_money": answer(check.has_money),
            "has_ticket": answer(check.has_ticket),
            "passport_holder": check.passport_holder or row.holder_now,
            "note": check.note,
        }
    return CensusCheckForm(initial=initial, prefix=str(row.member.uid))


@role_required(*SEE_INCIDENTS)
@require_GET
def census(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    found = selectors.census_for(actor=request.user, uid=uid)
    may_write = selectors.may_write(request.user, found.incident) and (
        found.incident.status == IncidentStatus.OPEN
    )
    return render(
        request,
        "incidents/census.html",
        {
            "census": found,
            "incident": found.incident,
            "rows": [(row, _check_form(row) if may_write else None) for row in found.rows],
            "may_write": may_write,
            "may_message": selectors.may_message_census(request.user, found.incident),
            "message_form": CensusMessageForm(),
            "holder_labels": dict(Holder.choices),
        },
    )


@role_required(*REPORTERS)
@require_POST
def census_check(request: HttpRequest, uid: uuid.UUID, member_uid: uuid.UUID) -> HttpResponse:
    form = CensusCheckForm(request.POST, prefix=str(member_uid))
    error = ""
    if form.is_valid():
        try:
            services.census_check_record(
                actor=request.user, uid=uid, member_uid=member_uid, **form.cleaned_data
            )
        except ValidationFailed as exc:
            error = "; ".join(r for reasons in exc.errors.values() for r in reasons)
    else:
        error = _("Check the answers.")
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("incidents:census", uid=uid)
    found = selectors.census_for(actor=request.user, uid=uid)
    row = next((r for r in found.rows if r.member.uid == member_uid), None)
    if row is None:
        return HttpResponse(error, status=422)
    return render(
        request,
        "incidents/_census_row.html",
        {
            "incident": found.incident,
            "row": row,
            "form": form if error else _check_form(row),
            "error": error,
            "saved": not error,
            "census": found,
            "oob_totals": True,
            "holder_labels": dict(Holder.choices),
        },
        status=422 if error else 200,
    )


@role_required(*STAFF, Role.MINISTRY_OFFICER)
@require_POST
def census_message(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    form = CensusMessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the message (at most 480 characters)."))
        return redirect("incidents:census", uid=uid)
    return button_action(
        request,
        lambda: services.census_message_send(actor=request.user, uid=uid, **form.cleaned_data),
        done=lambda sent: _("The message is on its way to %(n)d pilgrims.") % {"n": sent},
        back_to=reverse("incidents:census", kwargs={"uid": uid}),
    )


# --- SOS ------------------------------------------------------------------------------------


@role_required(*STAFF, *OFFICIALS)
@require_GET
def sos_list(request: HttpRequest) -> HttpResponse:
    """The organiser's SOS alerts; the page asks for its list again every 15 seconds."""
    status = request.GET.get("status", "active")
    status = status if status in ("active", SosStatus.CLOSED) else "active"
    alerts = selectors.sos_list_for(actor=request.user, status=status)
    page = Paginator(alerts, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "alerts": page.object_list,
        "status": status,
        "may_handle": request.user.role in STAFF,
        "query": f"status={status}",
        "next": request.get_full_path(),
    }
    if request.htmx:
        return render(request, "incidents/_sos_alerts.html", context)
    return render(request, "incidents/sos_list.html", context)


@role_required(*HANDLERS)
@require_GET
def leader_alerts(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """The trip's open SOS alerts and strandings, for the leader page (polled by htmx)."""
    trip = selectors.trip_for_leader_alerts(actor=request.user, uid=uid)
    response = render(
        request,
        "incidents/_leader_alerts_list.html",
        {
            "trip": trip,
            "alerts": selectors.sos_for_trip(actor=request.user, trip=trip),
            "strandings": selectors.open_strandings_for_trip(trip),
            "may_handle": True,
            "next": reverse("safety:leader", args=[trip.uid]),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def _alert_response(request: HttpRequest, alert) -> HttpResponse:
    if request.htmx:
        return render(
            request,
            "incidents/_sos_alert.html",
            {"alert": alert, "may_handle": True, "next": request.POST.get("next", "")},
        )
    return redirect_back(request, reverse("incidents:sos_list"))


@role_required(*HANDLERS)
@require_POST
def sos_acknowledge(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    alert = services.sos_acknowledge(actor=request.user, uid=uid)
    return _alert_response(request, alert)


@role_required(*HANDLERS)
@require_POST
def sos_close(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    form = SosCloseForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    alert = services.sos_close(actor=request.user, uid=uid, note=note)
    return _alert_response(request, alert)


@role_required(*PHONE_LOGIN_ROLES)
@require_POST
def sos_raise(request: HttpRequest) -> HttpResponse:
    """The SOS button without JavaScript (the page's script sends to the API instead)."""
    form = SosForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what is wrong and press SOS again."))
        return redirect("trips:mine")
    data = form.cleaned_data
    try:
        _alert, created = services.sos_raise(
            actor=request.user,
            data=services.SosInput(
                client_uid=data["client_uid"],
                member_uid=data["member"],
                reason=data["reason"],
                note=data["note"],
            ),
        )
    except ValidationFailed as exc:
        add_service_messages(request, exc)
    else:
        messages.success(
            request,
            _("SOS sent. Your leader and your organiser have it.")
            if created
            else _("This SOS was already sent."),
        )
    return redirect("trips:mine")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker that keeps the pilgrim's own page, its assets and the pole list for
    use with no network. Served from /me/ so that its scope may cover /me/trips/."""
    assets = [static(path) for path in SOS_ASSETS]
    poles = reverse("planning:pole_list_json")
    version = hashlib.sha256(json.dumps([assets, poles, settings.STATIC_URL]).encode()).hexdigest()[
        :12
    ]
    config = {
        "assets": assets,
        "poles": poles,
        "version": version,
        "dataCache": SOS_DATA_CACHE,
        "staticUrl": settings.STATIC_URL,
        "scope": SOS_SCOPE,
    }
    script = render_to_string(
        "incidents/sos-sw.js", {"config": json.dumps(config), "scope": SOS_SCOPE}
    )
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = SOS_SCOPE
    response["Cache-Control"] = "no-cache"
    return response
