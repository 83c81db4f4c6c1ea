"""Trip pages: the organiser's dashboard and trip page, the ministry's queue, "my trips"."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zaireen.accounts.services import account_bind_cnic
from zaireen.core.buttons import button_action
from zaireen.core.errors import ValidationFailed
from zaireen.core.forms import add_service_errors, add_service_messages
from zaireen.core.permissions import role_required
from zaireen.core.ratelimit import RateLimited
from zaireen.core.roles import PHONE_LOGIN_ROLES, Role
from zaireen.pilgrims.forms import PilgrimSearchForm
from zaireen.safety.selectors import headcounts_for_trip
from zaireen.trips import selectors, services
from zaireen.trips.forms import CnicForm, MemberForm, ReasonForm, TripForm, trip_initial
from zaireen.trips.logistics import current_holders
from zaireen.trips.models import MemberRole, TripStatus
from zaireen.trips.rules import trip_problems

STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
SEES_TRIPS = (*STAFF, Role.MINISTRY_OFFICER, Role.CONSULAR_OFFICER)
PER_PAGE = 50


@role_required(*SEES_TRIPS)
@require_GET
def trip_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in TripStatus.values else ""
    q = request.GET.get("q", "")[:100]
    trips = selectors.trip_list_for(actor=request.user, status=status, q=q)
    page = Paginator(trips, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "trips/list.html",
        {
            "page": page,
            "counts": selectors.trip_counts_for(actor=request.user),
            "statuses": TripStatus.choices,
            "status": status,
            "q": q,
            "query": query.urlencode(),
            "next_step": selectors.NEXT_STEP,
        },
    )


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def trip_create(request: HttpRequest) -> HttpResponse:
    form = TripForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trip = services.trip_create(actor=request.user, data=form.to_input())
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Trip %(code)s is created as a draft.") % {"code": trip.code}
            )
            return redirect("trips:detail", uid=trip.uid)
    return render(request, "trips/form.html", {"form": form}, status=422 if form.errors else 200)


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def trip_edit(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    trip = selectors.trip_get_for(actor=request.user, uid=uid)
    form = TripForm(request.POST or None, initial=trip_initial(trip))
    if request.method == "POST" and form.is_valid():
        try:
            services.trip_update(actor=request.user, uid=uid, data=form.to_input())
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The trip is saved."))
            return redirect("trips:detail", uid=uid)
    return render(
        request, "trips/form.html", {"form": form, "trip": trip}, status=422 if form.errors else 200
    )


@login_required
@require_GET
def trip_detail(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    trip = selectors.trip_get_for(actor=request.user, uid=uid)
    members = selectors.members_for(actor=request.user, trip=trip)
    staff = request.user.role in STAFF
    return render(
        request,
        "trips/detail.html",
        {
            "trip": trip,
            "members": members,
            "hotels": trip.hotels.select_related("city"),
            "events": trip.events.select_related("by")[:20],
            "problems": (
                trip_problems(trip, members, today=timezone.localdate())
                if trip.status == TripStatus.DRAFT
                else []
            ),
            "staff": staff,
            "ministry": request.user.role == Role.MINISTRY_OFFICER,
            "leads": selectors.leads(actor=request.user, trip=trip),
            "next_step": selectors.NEXT_STEP.get(trip.status, ""),
            "reason_form": ReasonForm(),
            "holders": current_holders(members),
            "headcounts": headcounts_for_trip(actor=request.user, trip=trip),
        },
    )


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def members_add(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    trip = selectors.trip_get_for(actor=request.user, uid=uid)
    if request.method == "POST":
        role = request.POST.get("role", MemberRole.PILGRIM)
        chosen = request.POST.getlist("profiles")[:500]
        try:
            chosen_uids = [uuid.UUID(value) for value in chosen]
            added = services.members_add(
                actor=request.user, trip_uid=uid, profile_uids=chosen_uids, role=role
            )
        except ValueError:
            messages.error(request, _("Choose pilgrims from the list."))
        except ValidationFailed as exc:
            add_service_messages(request, exc)
        else:
            messages.success(request, _("%(n)d added to the trip.") % {"n": added})
            return redirect("trips:detail", uid=uid)
    form = PilgrimSearchForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    page = Paginator(
        selectors.available_pilgrims_for(actor=request.user, trip=trip, q=q), PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "trips/members_add.html",
        {"trip": trip, "form": form, "page": page, "roles": MemberRole.choices,
         "query": f"q={q}" if q else ""},
    )  # fmt: skip


@role_required(*STAFF)
@require_POST
def trip_submit(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    try:
        trip = services.trip_submit(actor=request.user, uid=uid)
    except ValidationFailed as exc:
        add_service_messages(request, exc)
    except RateLimited:
        messages.error(request, _("Too many refused submissions. Try again in an hour."))
    else:
        messages.success(
            request, _("Trip %(code)s is submitted to the ministry.") % {"code": trip.code}
        )
    return redirect("trips:detail", uid=uid)


@role_required(*STAFF)
@require_POST
def trip_advance(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    return button_action(
        request,
        lambda: services.trip_advance(
            actor=request.user,
            uid=uid,
            to=request.POST.get("to", ""),
            reason=request.POST.get("reason", ""),
        ),
        done=lambda trip: _("The trip is now %(s)s.") % {"s": trip.get_status_display()},
        back_to=reverse("trips:detail", kwargs={"uid": uid}),
    )


@role_required(Role.MINISTRY_OFFICER)
@require_POST
def trip_decide(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    return button_action(
        request,
        lambda: services.trip_decide(
            actor=request.user, uid=uid, approve=approve, reason=request.POST.get("reason", "")
        ),
        done=lambda trip: (
            _("Trip %(code)s is now %(s)s.") % {"code": trip.code, "s": trip.get_status_display()}
        ),
        back_to=reverse("trips:detail", kwargs={"uid": uid}),
    )


@role_required(*STAFF)
@require_POST
def member_update(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            member = services.member_update(actor=request.user, uid=uid, **form.cleaned_data)
        except ValidationFailed as exc:
            add_service_messages(request, exc)
        else:
            messages.success(
                request, _("%(name)s is updated.") % {"name": member.profile.full_name}
            )
            return redirect("trips:detail", uid=member.trip.uid)
    else:
        messages.error(request, _("Check the member's role and visa fields."))
    return redirect(_trip_page(request.POST.get("trip", "")))


def _trip_page(posted: str) -> str:
    """The page of the trip a form names in its `trip` field, else the trip list. The field
    comes from the client: any spelling `uuid.UUID` reads (upper case, braces) is normalised
    before it goes into a URL, anything else goes to the list."""
    try:
        return reverse("trips:detail", kwargs={"uid": uuid.UUID(posted)})
    except ValueError:
        return reverse("trips:list")


@role_required(*STAFF)
@require_POST
def member_remove(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    return button_action(
        request,
        lambda: services.member_remove(actor=request.user, uid=uid),
        done=_("The member is removed."),
        back_to=_trip_page(request.POST.get("trip", "")),
    )


@role_required(*STAFF, Role.MINISTRY_OFFICER)
@require_POST
def member_return(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    try:
        member = services.member_return_record(
            actor=request.user, uid=uid, note=request.POST.get("note", "")
        )
    except ValidationFailed as exc:
        add_service_messages(request, exc)
        return redirect(_trip_page(request.POST.get("trip", "")))
    messages.success(
        request, _("The return of %(name)s is recorded.") % {"name": member.profile.full_name}
    )
    return redirect("trips:detail", uid=member.trip.uid)


@role_required(Role.MINISTRY_OFFICER)
@require_GET
def ministry_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.ministry_queue(actor=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "trips/queue.html", {"page": page})


@role_required(*PHONE_LOGIN_ROLES)
@require_http_methods(["GET", "POST"])
def my_trips(request: HttpRequest) -> HttpResponse:
    """A pilgrim's or leader's own trips; the first time, they give their CNIC."""
    form = CnicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_bind_cnic(actor=request.user, cnic=form.cleaned_data["cnic"])
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        except RateLimited:
            form.add_error("cnic", _("Too many tries. Try again in an hour."))
        else:
            messages.success(request, _("Your login is linked to your CNIC."))
            return redirect("trips:mine")
    memberships = selectors.trips_of(actor=request.user)
    return render(
        request,
        "trips/mine.html",
        {
            "form": form,
            "memberships": memberships,
            "holders": current_holders(memberships),
        },
    )


@role_required(Role.MINISTRY_OFFICER)
@require_GET
def ministry_conflicts(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.booking_conflicts_for(actor=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "trips/conflicts.html", {"page": page})
