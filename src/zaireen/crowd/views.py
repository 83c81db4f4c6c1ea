"""Pages of the crowd app: the planner's plans, capacities, runs and heat maps; an organiser's
groups, requests, bookings and offers; a trip's slots on the leader's phone."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zaireen.core.buttons import button_action, redirect_back
from zaireen.core.errors import ValidationFailed
from zaireen.core.forms import add_service_errors, add_service_messages
from zaireen.core.permissions import role_required
from zaireen.core.roles import Role
from zaireen.crowd import forms, selectors, services
from zaireen.crowd.models import RunStatus
from zaireen.planning import hijri

PLANNER = (Role.CROWD_PLANNER,)
PLAN_READERS = (Role.CROWD_PLANNER, Role.MINISTRY_OFFICER)
STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
SLOT_VIEWERS = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF, Role.GROUP_LEADER)


# --- The planner ---------------------------------------------------------------------------


@role_required(*PLAN_READERS)
@require_http_methods(["GET", "POST"])
def plans(request: HttpRequest) -> HttpResponse:
    planner = request.user.role == Role.CROWD_PLANNER
    this_year = hijri.to_hijri(selectors.now().date()).year
    form = forms.PlanForm(
        request.POST or None, initial={"occasion": "arbaeen", "hijri_year": this_year + 1}
    )
    if request.method == "POST":
        if not planner:
            return HttpResponse(status=403)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.plan_create(
                    actor=request.user,
                    occasion_key=data["occasion"],
                    hijri_year=data["hijri_year"],
                    request_deadline=data["request_deadline"],
                    days_before=data["days_before"],
                    days_after=data["days_after"],
                    slot_minutes=data["slot_minutes"],
                    title=data["title"],
                )
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The plan is made: set the zones' capacities."))
                return redirect("crowd:plan", plan.uid)
    return render(
        request,
        "crowd/plans.html",
        {"plans": selectors.plan_list_for(actor=request.user), "form": form, "planner": planner},
        status=422 if form.errors else 200,
    )


@role_required(*PLAN_READERS)
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    the_plan = selectors.plan_get_for(actor=request.user, uid=uid)
    planner = request.user.role == Role.CROWD_PLANNER
    deadline_form = forms.DeadlineForm(
        request.POST or None, initial={"request_deadline": the_plan.request_deadline}
    )
    if request.method == "POST":
        if not planner:
            return HttpResponse(status=403)
        if deadline_form.is_valid():
            try:
                services.plan_deadline_set(
                    actor=request.user,
                    plan_uid=uid,
                    request_deadline=deadline_form.cleaned_data["request_deadline"],
                )
            except ValidationFailed as exc:
                add_service_errors(deadline_form, exc)
            else:
                messages.success(request, _("The deadline is changed."))
                return redirect("crowd:plan", uid)
    runs = list(selectors.run_list(the_plan)[:10])
    return render(
        request,
        "crowd/plan.html",
        {
            "plan": the_plan,
            "planner": planner,
            "rows": selectors.capacity_rows(the_plan),
            "counts": selectors.request_counts(the_plan),
            "runs": runs,
            "running": next((r for r in runs if r.status == RunStatus.QUEUED), None),
            "solve_form": forms.SolveForm(),
            "deadline_form": deadline_form,
            "flags_form": forms.FlagsClearForm(),
            "flagged": selectors.flagged_count(the_plan),
            "live": selectors.live_heat_map(the_plan) if the_plan.is_published else None,
            "on_time": selectors.plan_has_on_time_requests(the_plan),
        },
        status=422 if deadline_form.errors else 200,
    )


@role_required(*PLANNER)
@require_http_methods(["GET", "POST"])
def capacity(request: HttpRequest, uid: uuid.UUID, zone: str) -> HttpResponse:
    the_plan = selectors.plan_get_for(actor=request.user, uid=uid)
    cap = selectors.capacity_get(actor=request.user, plan=the_plan, zone_slug=zone)
    form = forms.CapacityForm(
        request.POST or None,
        initial={
            "usable_area_m2": cap.usable_area_m2,
            "density": cap.density,
            "margin_pct": cap.margin_pct,
            "dwell_minutes": cap.dwell_minutes,
            "quota_pct": cap.quota_pct,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.capacity_set(
                actor=request.user,
                plan_uid=uid,
                zone_slug=zone,
                usable_area_m2=data["usable_area_m2"],
                density=data["density"],
                margin_pct=data["margin_pct"],
                dwell_minutes=data["dwell_minutes"],
                quota_pct=data["quota_pct"],
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The zone's capacity is saved."))
            return redirect("crowd:plan", uid)
    cap.refresh_from_db()
    return render(
        request,
        "crowd/capacity.html",
        {
            "plan": the_plan,
            "capacity": cap,
            "form": form,
            "range_form": forms.QuotaRangeForm(),
            "ranges": [
                (
                    r,
                    selectors.slot_label(the_plan, r.first_slot),
                    selectors.slot_label(the_plan, r.last_slot + 1),
                )
                for r in cap.ranges.all()
            ],
            "duration": cap.duration_slots(the_plan.slot_minutes),
        },
        status=422 if form.errors else 200,
    )


@role_required(*PLANNER)
@require_POST
def quota(request: HttpRequest, uid: uuid.UUID, zone: str) -> HttpResponse:
    target = reverse("crowd:capacity", args=[uid, zone])
    try:
        if request.POST.get("remove"):
            services.quota_range_remove(
                actor=request.user, plan_uid=uid, zone_slug=zone, range_id=request.POST["remove"]
            )
            messages.success(request, _("The quota range is removed."))
            return redirect(target)
        form = forms.QuotaRangeForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(target)
        services.quota_range_add(
            actor=request.user, plan_uid=uid, zone_slug=zone, **form.cleaned_data
        )
    except ValidationFailed as exc:
        add_service_messages(request, exc)
    else:
        messages.success(request, _("The quota range is saved."))
    return redirect(target)


@role_required(*PLANNER)
@require_POST
def solve(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    form = forms.SolveForm(request.POST)
    limit = form.cleaned_data["time_limit"] if form.is_valid() else 20
    try:
        run = services.solve_start(actor=request.user, plan_uid=uid, time_limit=limit)
    except ValidationFailed as exc:
        add_service_messages(request, exc)
        return redirect("crowd:plan", uid)
    messages.success(request, _("The solver is running on the worker."))
    return redirect("crowd:run", run.uid)


@role_required(*PLAN_READERS)
@require_GET
def run(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    the_run = selectors.run_get_for(actor=request.user, uid=uid)
    return render(
        request,
        "crowd/run.html",
        {
            "run": the_run,
            "plan": the_run.plan,
            "planner": request.user.role == Role.CROWD_PLANNER,
            "maps": selectors.run_heat_maps(the_run),
            "methods": [
                (_("Optimiser"), _with_peak(the_run.summary.get("optimal"))),
                (_("First come, first served"), _with_peak(the_run.summary.get("fcfs"))),
            ]
            if the_run.summary
            else [],
            "before_peak": _peak(the_run.summary.get("before", {})),
        },
    )


def _peak(heat: dict) -> str:
    peak = heat.get("peak")
    return selectors.percent(None if peak is None else float(peak))


def _with_peak(summary: dict) -> dict:
    return {**summary, "peak_label": _peak(summary["heat"])}


def _json_download(document: dict, name: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(*PLANNER)
@require_GET
def run_instance(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """The instance the run solved (zaireen-slots/1), for `zaireen slots check`."""
    the_run = selectors.run_get_for(actor=request.user, uid=uid)
    return _json_download(the_run.instance, f"slots-{the_run.uid}-instance.json")


@role_required(*PLANNER)
@require_GET
def run_result(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """A result of the run (zaireen-slots-result/1): the optimiser's, or `?method=fcfs`."""
    the_run = selectors.run_get_for(actor=request.user, uid=uid)
    method = "fcfs" if request.GET.get("method") == "fcfs" else "optimal"
    document = the_run.fcfs if method == "fcfs" else the_run.optimal
    if not document:
        messages.error(request, _("The run has no result yet."))
        return redirect("crowd:run", uid)
    return _json_download(document, f"slots-{the_run.uid}-{method}.json")


@role_required(*PLANNER)
@require_POST
def publish(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    try:
        run_uid = uuid.UUID(request.POST["run"]) if request.POST.get("run") else None
    except ValueError:
        messages.error(request, _("No such solver run."))
        return redirect("crowd:plan", uid)
    return button_action(
        request,
        lambda: services.plan_publish(actor=request.user, plan_uid=uid, run_uid=run_uid),
        done=_("The slots are published: organisers see them now."),
        back_to=reverse("crowd:plan", args=[uid]),
    )


@role_required(*PLANNER)
@require_POST
def flags_clear(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    return button_action(
        request,
        lambda: services.flags_clear(
            actor=request.user, plan_uid=uid, reason=request.POST.get("reason", "")[:2000]
        ),
        done=lambda n: _("%(n)d flags cleared.") % {"n": n},
        back_to=reverse("crowd:plan", args=[uid]),
    )


# --- Organisers ----------------------------------------------------------------------------


@role_required(*STAFF)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    groups = selectors.organiser_groups(actor=request.user)
    trips = selectors.trips_open_for_groups(actor=request.user)
    return render(
        request,
        "crowd/home.html",
        {
            "plans": selectors.plans_for_organiser(actor=request.user),
            "groups": groups,
            "trips": trips,
            "offers": selectors.organiser_offers(actor=request.user),
        },
    )


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    the_plan = selectors.plan_get_for(actor=request.user, uid=uid)
    groups = selectors.organiser_groups(actor=request.user)
    zones = selectors.capacities_of(the_plan, active_only=True)
    form = forms.RequestForm(request.POST or None, groups=groups, zones=zones)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_create(
                actor=request.user,
                plan_uid=uid,
                group_uid=data["group"],
                zone_slug=data["zone"],
                preferred_at=data["preferred_at"],
                earliest_at=data["earliest_at"],
                latest_at=data["latest_at"],
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The request is submitted."))
            return redirect("crowd:requests", uid)
    lines = selectors.requests_for(actor=request.user, plan=the_plan)
    options = selectors.start_options_for(the_plan, lines) if the_plan.is_published else {}
    trips = sorted({g.trip for g in groups}, key=lambda t: t.code)  # trip is select_related
    return render(
        request,
        "crowd/requests.html",
        {
            "plan": the_plan,
            "form": form,
            "lines": lines,
            "options": options,
            "import_form": forms.ImportForm(trips=trips),
            "deadline_passed": selectors.now() > the_plan.request_deadline,
        },
        status=422 if form.errors else 200,
    )


@role_required(*STAFF)
@require_POST
def requests_import(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    try:
        summary = services.requests_from_itinerary(
            actor=request.user, plan_uid=uid, trip_uid=request.POST.get("trip", "")
        )
    except ValidationFailed as exc:
        add_service_messages(request, exc)
    else:
        messages.success(
            request,
            _("%(n)d requests from the itinerary (%(r)d replaced).")
            % {"n": summary.created, "r": summary.replaced},
        )
        for line in summary.skipped[:10]:
            messages.warning(request, line)
    return redirect("crowd:requests", uid)


def _plan_page(obj) -> str:
    return reverse("crowd:requests", args=[obj.plan.uid])


@role_required(*STAFF)
@require_POST
def request_withdraw(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    withdrawn = services.request_withdraw(actor=request.user, uid=uid)
    messages.success(request, _("The request is withdrawn."))
    return redirect_back(request, _plan_page(withdrawn))


def _start(request: HttpRequest) -> int | None:
    form = forms.StartForm(request.POST)
    return form.cleaned_data["start"] if form.is_valid() else None


@role_required(*STAFF)
@require_POST
def request_book(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    visit = selectors.request_get_for(actor=request.user, uid=uid)
    return button_action(
        request,
        lambda: services.booking_create(
            actor=request.user, request_uid=uid, start_slot=_start(request)
        ),
        done=lambda booking: (
            _("Booked from %(when)s.")
            % {"when": selectors.slot_label(booking.plan, booking.start_slot)}
        ),
        back_to=_plan_page(visit),
    )


@role_required(*STAFF)
@require_POST
def waitlist_join(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    visit = selectors.request_get_for(actor=request.user, uid=uid)
    return button_action(
        request,
        lambda: services.waitlist_join(actor=request.user, request_uid=uid),
        done=_("The request is on the waitlist."),
        back_to=_plan_page(visit),
    )


@role_required(*STAFF)
@require_POST
def booking_cancel(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    booking = selectors.booking_get_for(actor=request.user, uid=uid)
    return button_action(
        request,
        lambda: services.booking_cancel(actor=request.user, uid=uid),
        done=_("The slot is given back."),
        back_to=_plan_page(booking),
    )


@role_required(*STAFF)
@require_POST
def booking_swap(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    booking = selectors.booking_get_for(actor=request.user, uid=uid)
    start = _start(request)

    def swap():
        if start is None:
            raise ValidationFailed(start=_("choose a start"))
        return services.booking_swap(actor=request.user, uid=uid, start_slot=start)

    return button_action(
        request,
        swap,
        done=_("The slot is swapped."),
        back_to=_plan_page(booking),
    )


@role_required(*STAFF)
@require_POST
def offer_accept(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    booking = selectors.booking_get_for(actor=request.user, uid=uid)
    return button_action(
        request,
        lambda: services.offer_accept(actor=request.user, uid=uid),
        done=_("The offer is taken: the slot is booked."),
        back_to=_plan_page(booking),
    )


@role_required(*STAFF)
@require_POST
def offer_decline(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    booking = selectors.booking_get_for(actor=request.user, uid=uid)
    return button_action(
        request,
        lambda: services.offer_decline(actor=request.user, uid=uid),
        done=_("The offer is declined: the next in line gets it."),
        back_to=_plan_page(booking),
    )


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def groups(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    trip = selectors.trip_for_groups(actor=request.user, uid=uid)
    vehicles, leaders = selectors.group_sources(trip)
    form = forms.GroupForm(request.POST or None, vehicles=vehicles, leaders=leaders)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.group_create(
                actor=request.user,
                trip_uid=uid,
                kind=data["kind"],
                label=data["label"],
                size=data["size"],
                vehicle_uid=data["vehicle"] or None,
                leader_uid=data["leader"] or None,
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The group is made."))
            return redirect("crowd:groups", uid)
    return render(
        request,
        "crowd/groups.html",
        {
            "trip": trip,
            "groups": selectors.groups_of_trip(trip),
            "form": form,
            "members": trip.member_count,
        },
        status=422 if form.errors else 200,
    )


@role_required(*STAFF)
@require_POST
def group_delete(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    group = selectors.group_get_for(actor=request.user, uid=uid)
    return button_action(
        request,
        lambda: services.group_delete(actor=request.user, uid=uid),
        done=_("The group is removed."),
        back_to=reverse("crowd:groups", args=[group.trip.uid]),
    )


@role_required(*SLOT_VIEWERS)
@require_GET
def trip_slots(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """A trip's slots on a phone: for its leaders on the ground and its organiser's staff."""
    trip = selectors.trip_for_slots(actor=request.user, uid=uid)
    return render(
        request,
        "crowd/trip_slots.html",
        {"trip": trip, "slots": selectors.trip_slots_for(actor=request.user, trip=trip)},
    )
