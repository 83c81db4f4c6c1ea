"""Itinerary pages: a trip's plan (timeline by day and route map), the organiser's plan form
and edits, the printed plan (English, Urdu), the pilgrim's phone view, the reference data."""

from __future__ import annotations

import re
import uuid
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zaireen.core.buttons import button_action
from zaireen.core.errors import ValidationFailed
from zaireen.core.forms import add_service_errors
from zaireen.core.permissions import role_required
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role
from zaireen.documents.pdf import render_pdf
from zaireen.itineraries import labels, selectors, services
from zaireen.itineraries.forms import (
    CircuitForm,
    ClimateForm,
    EditForm,
    PlanForm,
    SiteFactForm,
    VehicleStopForm,
    plan_initial,
)
from zaireen.itineraries.models import Circuit, CityClimate, SiteFact, VehicleStop
from zaireen.places.models import City
from zaireen.planning import hijri
from zaireen.planning.selectors import offsets_table

STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
# Warnings printed for the pilgrims (estimated drive times are for the organiser's page).
PRINTED = ("heat", "peak_occasion", "squeezed")


def _context(request: HttpRequest, uid: uuid.UUID) -> dict:
    trip, itinerary = selectors.itinerary_get_for(actor=request.user, trip_uid=uid)
    staff = request.user.role in STAFF and request.user.organiser_id == trip.organiser_id
    context = {"trip": trip, "itinerary": itinerary, "staff": staff}
    if itinerary is not None and itinerary.plan:
        plan = selectors.plan_of(itinerary)
        names = selectors.place_names()
        sites = selectors.site_names()
        days = selectors.timeline(plan)
        context.update(
            plan=plan,
            days=days,
            names=names,
            sites=sites,
            features=selectors.map_features(plan),
            warnings=[
                (w, labels.warning_text(w.code, dict(w.params), names)) for w in plan.warnings
            ],
            unmet=[(u, sites.get(u.site, u.site), labels.rule_name(u.rule)) for u in plan.unmet],
            broken=labels.refusal(itinerary.broken_rule, itinerary.broken_message)
            if itinerary.broken_rule
            else "",
            kinds=labels.KIND_NAMES,
            item_labels=labels.LABELS,
        )
    return context


@login_required
@require_GET
def itinerary_page(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    context = _context(request, uid)
    if context["staff"] and context.get("plan"):
        context["edit_sites"] = selectors.plannable_sites()
    return render(request, "itineraries/trip.html", context)


@login_required
@require_GET
def phone_view(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """The pilgrim's read-only plan: large type, one column, a button to today."""
    context = _context(request, uid)
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(selectors.IRAQ_TZ)).date()
    context["has_today"] = any(day.day == today for day in context.get("days", []))
    return render(request, "itineraries/phone.html", context)


def _occasion_choices(trip) -> list[tuple[str, str]]:
    dated = hijri.occasions_between(trip.departure_date, trip.return_date, offsets_table())
    return [(o.occasion.key, f"{o.occasion.name} ({o.start:%d %b})") for o in dated]


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def plan_form(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    trip, itinerary = selectors.itinerary_get_for(actor=request.user, trip_uid=uid)
    if itinerary is not None:
        values = {
            "arrival_at": itinerary.arrival_at,
            "departure_at": itinerary.departure_at,
            "stays": [(s["city"], s["nights"], s.get("hotel", "")) for s in itinerary.stays],
            "wishes": itinerary.wishes,
            "needs": itinerary.needs,
            "occasion": itinerary.occasion,
        }
    else:
        values = selectors.plan_defaults(trip)
    form = PlanForm(
        request.POST or None,
        initial=plan_initial(values),
        sites=selectors.plannable_sites(),
        occasions=_occasion_choices(trip),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.itinerary_plan(actor=request.user, trip_uid=uid, data=form.to_data())
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The itinerary is planned and the trip's legs follow it."))
            return redirect("itineraries:trip", uid=uid)
    return render(
        request,
        "itineraries/plan_form.html",
        {"trip": trip, "form": form, "rule_settings": selectors.rule_settings()},
        status=422 if form.errors else 200,
    )


@role_required(*STAFF)
@require_POST
def edit(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    form = EditForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("itineraries:trip", uid=uid)
    c = form.cleaned_data
    return button_action(
        request,
        lambda: services.itinerary_edit(
            actor=request.user,
            trip_uid=uid,
            op=c["op"],
            item=c["item"],
            site=c["site"],
            start=c["start"],
            minutes=c["minutes"],
        ),
        done=_("The change is saved; the plan keeps every rule."),
        back_to=reverse("itineraries:trip", kwargs={"uid": uid}),
    )


@login_required
@require_GET
def pdf(request: HttpRequest, uid: uuid.UUID, lang: str) -> HttpResponse:
    """The printed plan, in English or Urdu (fixed wording, whatever the interface language)."""
    if lang not in labels.WORDING:
        raise Http404
    context = _context(request, uid)
    if not context.get("plan"):
        raise Http404(_("This trip has no itinerary yet."))
    words = labels.WORDING[lang]
    urdu_sites = dict(SiteFact.objects.values_list("site__slug", "name_ur"))
    rows = []
    for day in context["days"]:
        entries = []
        for it in day.items:
            where = _place_name(it.city, context["names"], lang)
            what = words["kinds"].get(it.kind, it.kind)
            detail = words["labels"].get(it.label, "")
            if it.site:
                site_ur = urdu_sites.get(it.site) if lang == "ur" else ""
                detail = site_ur or context["sites"].get(it.site, it.site)
            if it.kind in ("road", "walk"):
                detail = f"{_place_name(it.from_city, context['names'], lang)} → {where}"
            entries.append({"item": it, "what": what, "detail": detail, "where": where})
        warnings = [_warning(w, words, context["names"]) for w in day.warnings if w.code in PRINTED]
        hijri_text = ""
        if day.hijri is not None:
            month = hijri.month_name(day.hijri.month, "ar" if lang == "ur" else "en")
            hijri_text = f"{day.hijri.day} {month} {day.hijri.year}"
        rows.append({"day": day, "entries": entries, "warnings": warnings, "hijri": hijri_text})
    with translation.override(lang):
        content = render_pdf(
            "itineraries/pdf/itinerary.html",
            {
                **context,
                "organiser": context["trip"].organiser,
                "w": words,
                "rows": rows,
                "lang": lang,
                "stays": [
                    (_place_name(s.city, context["names"], lang), s) for s in context["plan"].stays
                ],
                "unmet_rows": [
                    (urdu_sites.get(u.site) if lang == "ur" else "") or name
                    for u, name, _rule in context["unmet"]
                ],
                "needs_name": words["needs_names"].get(context["itinerary"].needs, ""),
            },
        )
    code = re.sub(r"[^A-Za-z0-9_-]+", "-", context["trip"].code).strip("-") or "trip"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{code}-itinerary-{lang}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _place_name(key: str, names: dict, lang: str) -> str:
    from zaireen.itineraries.planner import base

    city = base(key)
    name = (labels.CITY_NAMES_UR.get(city) if lang == "ur" else None) or names.get(city, city)
    if key.startswith("~"):
        return f"{name} ({labels.WORDING[lang]['walk_note'].split(':')[0]})"
    return name


def _warning(w, words: dict, names: dict) -> str:
    template = words["warning"].get(w.code, w.code)
    params = dict(w.params)
    if words is labels.WORDING["ur"] and params.get("key") in labels.OCCASION_NAMES_UR:
        params["occasion"] = labels.OCCASION_NAMES_UR[params["key"]]
    params.setdefault("minutes", "")
    params.setdefault("mean_max", "")
    params.setdefault("occasion", "")
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


# --- Reference data ------------------------------------------------------------------------


@require_GET
def reference(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "itineraries/reference.html",
        {
            "facts": selectors.site_facts(),
            "climate": selectors.climate_table(),
            "stops": selectors.vehicle_stops(),
            "circuits": selectors.circuits(),
            "occasion_names": selectors.occasion_names(),
            "default_hours": selectors.default_hours(),
            "rule_settings": selectors.rule_settings(),
            "ministry": request.user.is_authenticated
            and request.user.role == Role.MINISTRY_OFFICER,
        },
    )


def _reference_form(request, form, template: str, context: dict, save) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("itineraries:reference")
    return render(request, template, {**context, "form": form}, status=422 if form.errors else 200)


@role_required(Role.MINISTRY_OFFICER)
@require_http_methods(["GET", "POST"])
def fact_edit(request: HttpRequest, slug: str) -> HttpResponse:
    fact = one_or_none(SiteFact.objects.select_related("site").filter(site__slug=slug))
    if fact is None:
        raise Http404
    hours = (
        "24h"
        if fact.open_24h
        else (f"{fact.opens:%H:%M}-{fact.closes:%H:%M}" if fact.opens and fact.closes else "")
    )
    form = SiteFactForm(
        request.POST or None,
        initial={
            "visit_minutes": fact.visit_minutes,
            "duration_source": fact.duration_source,
            "hours": hours,
            "hours_source": fact.hours_source,
            "outdoor": fact.outdoor,
            "name_ur": fact.name_ur,
        },
    )
    return _reference_form(
        request,
        form,
        "itineraries/reference_form.html",
        {"title": fact.site.name},
        lambda c: services.site_fact_update(actor=request.user, site=slug, **c),
    )


@role_required(Role.MINISTRY_OFFICER)
@require_http_methods(["GET", "POST"])
def climate_edit(request: HttpRequest, slug: str) -> HttpResponse:
    city = one_or_none(City.objects.filter(slug=slug))
    if city is None:
        raise Http404
    rows = {r.month: r for r in CityClimate.objects.filter(city=city)}
    initial = {f"m{m}": r.mean_max_c for m, r in rows.items()}
    first = next(iter(rows.values()), None)
    initial.update(source=first.source if first else "", note=first.note if first else "")
    form = ClimateForm(request.POST or None, initial=initial)
    return _reference_form(
        request,
        form,
        "itineraries/reference_form.html",
        {"title": city.name, "months": True},
        lambda c: services.climate_update(
            actor=request.user,
            city=slug,
            months={m: c[f"m{m}"] for m in range(1, 13)},
            source=c["source"],
            note=c["note"],
        ),
    )


@role_required(Role.MINISTRY_OFFICER)
@require_http_methods(["GET", "POST"])
def stop_edit(request: HttpRequest, occasion: str) -> HttpResponse:
    names = selectors.occasion_names()
    if occasion not in names:
        raise Http404
    stop = one_or_none(VehicleStop.objects.select_related("city").filter(occasion=occasion))
    initial = (
        {
            "city": stop.city.slug,
            "distance_km": stop.distance_km,
            "days_before": stop.days_before,
            "days_after": stop.days_after,
            "source": stop.source,
            "assumption": stop.assumption,
            "note": stop.note,
        }
        if stop
        else {"assumption": True}
    )
    form = VehicleStopForm(request.POST or None, initial=initial)
    return _reference_form(
        request,
        form,
        "itineraries/reference_form.html",
        {"title": names[occasion]},
        lambda c: services.vehicle_stop_update(actor=request.user, occasion=occasion, **c),
    )


@role_required(Role.MINISTRY_OFFICER)
@require_http_methods(["GET", "POST"])
def circuit_edit(request: HttpRequest, iata: str) -> HttpResponse:
    circuit = one_or_none(Circuit.objects.select_related("airport").filter(airport__iata=iata))
    if circuit is None:
        raise Http404
    form = CircuitForm(
        request.POST or None,
        initial={
            "cities": ", ".join(circuit.cities),
            "sites": ", ".join(circuit.sites),
            "source": circuit.source,
        },
    )
    return _reference_form(
        request,
        form,
        "itineraries/reference_form.html",
        {"title": circuit.airport.name},
        lambda c: services.circuit_update(
            actor=request.user,
            airport=iata,
            cities=c["cities"].split(","),
            sites=c["sites"].split(","),
            source=c["source"],
        ),
    )
