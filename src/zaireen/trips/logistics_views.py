"""The trip's logistics page: legs, vehicles and seats, rooms, passport custody."""

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zaireen.core.errors import ValidationFailed
from zaireen.core.permissions import role_required
from zaireen.core.roles import PHONE_LOGIN_ROLES, Role
from zaireen.places.models import City
from zaireen.trips import logistics, selectors
from zaireen.trips.models import Holder, LegKind, Vehicle

STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)


def _report(request: HttpRequest, exc: ValidationFailed) -> None:
    for field, reasons in exc.errors.items():
        for reason in reasons:
            messages.error(request, f"{field}: {reason}" if field != "__all__" else reason)


def _back(uid: uuid.UUID) -> HttpResponse:
    return redirect("trips:logistics", uid=uid)


@role_required(*STAFF, Role.GROUP_LEADER)
@require_GET
def logistics_page(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    trip = selectors.trip_get_for(actor=request.user, uid=uid)
    members = selectors.members_for(actor=request.user, trip=trip)
    legs = list(
        trip.legs.select_related("from_city", "to_city").prefetch_related(
            "vehicles__seat_assignments__member__profile"
        )
    )
    stays = [
        (hotel, first, last, list(hotel.rooms.prefetch_related("occupants__member__profile")))
        for hotel, first, last in logistics.hotel_nights(trip)
    ]
    return render(
        request,
        "trips/logistics.html",
        {
            "trip": trip,
            "members": members,
            "legs": legs,
            "stays": stays,
            "holders": logistics.current_holders(members),
            "blocking": logistics.passports_blocking_departure(trip),
            "cities": City.objects.filter(country__in=("IQ", "PK")).order_by("country", "name"),
            "leg_kinds": LegKind.choices,
            "vehicle_kinds": Vehicle.Kind.choices,
            "holder_choices": Holder.choices,
            "staff": request.user.role in STAFF,
        },
    )


@role_required(*STAFF)
@require_POST
def leg_add(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    try:
        logistics.leg_add(
            actor=request.user,
            trip_uid=uid,
            kind=request.POST.get("kind", ""),
            from_city=request.POST.get("from_city", ""),
            to_city=request.POST.get("to_city", ""),
            date=parse_date(request.POST.get("date", "") or "")
            if request.POST.get("date")
            else None,
            flight=request.POST.get("flight", "")[:40],
        )
    except (ValidationFailed, ValueError) as exc:
        if isinstance(exc, ValidationFailed):
            _report(request, exc)
        else:
            messages.error(request, _("date: enter a valid date"))
    else:
        messages.success(request, _("The leg is added."))
    return _back(uid)


@role_required(*STAFF)
@require_POST
def vehicle_add(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    try:
        seats = int(request.POST.get("seats") or 0)
    except ValueError:
        seats = 0
    try:
        logistics.vehicle_add(
            actor=request.user,
            trip_uid=uid,
            leg_uid=request.POST.get("leg", ""),
            kind=request.POST.get("kind", ""),
            plate=request.POST.get("plate", "")[:40],
            driver_name=request.POST.get("driver_name", "")[:200],
            driver_phone=request.POST.get("driver_phone", "")[:40],
            seats=seats,
        )
    except ValidationFailed as exc:
        _report(request, exc)
    else:
        messages.success(request, _("The vehicle is added."))
    return _back(uid)


@role_required(*STAFF)
@require_POST
def seats_assign(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    try:
        n = logistics.seats_assign(
            actor=request.user, trip_uid=uid, leg_uid=request.POST.get("leg", "")
        )
    except ValidationFailed as exc:
        _report(request, exc)
    else:
        messages.success(request, _("%(n)d members seated.") % {"n": n})
    return _back(uid)


@role_required(*STAFF)
@require_POST
def rooms_assign(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    try:
        n = logistics.rooms_assign(
            actor=request.user,
            trip_uid=uid,
            hotel_id=int(request.POST.get("hotel") or 0),
            beds=int(request.POST.get("beds") or 4),
        )
    except ValueError:
        messages.error(request, _("beds: enter a number"))
    except ValidationFailed as exc:
        _report(request, exc)
    else:
        messages.success(request, _("%(n)d members have a room.") % {"n": n})
    return _back(uid)


@role_required(*STAFF, Role.GROUP_LEADER)
@require_POST
def passports_handover(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    chosen = request.POST.getlist("members")
    try:
        member_uids = [uuid.UUID(v) for v in chosen] if chosen else None
        n = logistics.passports_hand_over(
            actor=request.user,
            trip_uid=uid,
            member_uids=member_uids,
            to=request.POST.get("to", ""),
            place=request.POST.get("place", "")[:300],
            holder_name=request.POST.get("holder_name", "")[:300],
        )
    except ValueError:
        messages.error(request, _("Choose members from the list."))
    except ValidationFailed as exc:
        _report(request, exc)
    else:
        messages.success(request, _("%(n)d passport handovers recorded.") % {"n": n})
    return _back(uid)


@role_required(*PHONE_LOGIN_ROLES)
@require_POST
def passport_confirm(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    logistics.passport_receipt_confirm(actor=request.user, handover_uid=uid)
    messages.success(request, _("Thank you: you confirmed you have your passport."))
    return redirect("trips:mine")
