"""Writes of the trips app: building a trip, submitting it, the ministry's decision, returns.

The rule the policy exists for: a person is an active member of at most one trip at a time,
across organisers. A membership becomes active when its trip is submitted and stays active
until the member's return is recorded (or the trip is cancelled or sent back to draft), so an
overstayer cannot be booked again. Submission locks the members' `Person` rows in a fixed
order, then checks; two organisers submitting the same person at the same moment queue on the
lock, and the second learns that the person already travels with another organiser, never
which.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.core import ratelimit
from zaireen.core.audit import audit_record, diff
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.queries import lock_rows, one_or_none
from zaireen.core.roles import Role
from zaireen.organizers.services import organiser_assert_may_submit
from zaireen.pilgrims.models import Person, PilgrimProfile
from zaireen.places.models import Airport, City
from zaireen.trips.models import (
    RESERVING,
    BookingConflict,
    Member,
    MemberRole,
    ReturnMethod,
    Trip,
    TripEvent,
    TripHotel,
    TripStatus,
    VisaStatus,
)
from zaireen.trips.rules import trip_problems

WRITERS = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
MAX_TRIP_DAYS = 90
MAX_CAPACITY = 500
MAX_PRICE = 10_000_000
# Submissions refused for people travelling elsewhere, per organiser per hour: enough for
# honest mistakes, too few to map who travels with whom.
CONFLICT_PROBES_PER_HOUR = 10


@dataclass(frozen=True)
class HotelInput:
    city: str
    name: str
    nights: int


@dataclass(frozen=True)
class TripInput:
    title: str
    departure_date: datetime.date | None
    return_date: datetime.date | None
    outbound_from: str
    outbound_to: str
    return_from: str
    return_to: str
    capacity: int | None
    price_pkr: int | None
    outbound_flight: str = ""
    return_flight: str = ""
    code: str = ""
    hotels: tuple[HotelInput, ...] = ()


def _assert_writer(actor: Any) -> None:
    if not (actor.is_authenticated and actor.role in WRITERS and actor.organiser_id):
        raise NotAllowed(_("Only organiser admins and staff manage trips."))


def _own_trip(actor: Any, uid: Any, *, lock: bool = False) -> Trip:
    with scopes_disabled():
        trips = Trip.objects.filter(uid=uid, organiser_id=actor.organiser_id)
        trip = one_or_none(trips.select_for_update() if lock else trips)
    if trip is None:
        raise NotFound(_("No such trip."))
    return trip


def _record(trip: Trip, *, actor: Any, to: str, reason: str = "") -> None:
    before = trip.status
    trip.status = to
    trip.status_reason = reason
    by = actor if getattr(actor, "is_authenticated", False) else None
    TripEvent.objects.create(trip=trip, from_status=before, to_status=to, reason=reason, by=by)
    audit_record(actor=actor, action=f"zaireen.trip.{to}", obj=trip, organiser=trip.organiser,
                 changes={"status": [before, to]}, reason=reason)  # fmt: skip


def _airport(code: str, country: str, field: str, errors: dict) -> Airport | None:
    airport = one_or_none(Airport.objects.select_related("city").filter(iata=(code or "").upper()))
    if airport is None or airport.city.country != country:
        where = _("Pakistan") if country == "PK" else _("Iraq")
        errors.setdefault(field, []).append(_("choose an airport in %(where)s") % {"where": where})
        return None
    return airport


def _clean_trip(data: TripInput, *, organiser_id: int, trip: Trip | None) -> dict:
    errors: dict[str, list[str]] = {}
    title = " ".join((data.title or "").split())
    if not title:
        errors["title"] = [_("give the trip a title")]
    elif len(title) > 200:
        errors["title"] = [_("at most 200 characters")]
    code = " ".join((data.code or "").split()).upper()
    if len(code) > 30:
        errors["code"] = [_("at most 30 characters")]
    if data.departure_date is None:
        errors["departure_date"] = [_("enter the departure date")]
    if data.return_date is None:
        errors["return_date"] = [_("enter the return date")]
    if data.departure_date and data.return_date:
        if data.return_date < data.departure_date:
            errors["return_date"] = [_("the return is before the departure")]
        elif (data.return_date - data.departure_date).days > MAX_TRIP_DAYS:
            errors["return_date"] = [_("a trip lasts at most %(n)d days") % {"n": MAX_TRIP_DAYS}]
    airports = {
        "outbound_from": _airport(data.outbound_from, "PK", "outbound_from", errors),
        "outbound_to": _airport(data.outbound_to, "IQ", "outbound_to", errors),
        "return_from": _airport(data.return_from, "IQ", "return_from", errors),
        "return_to": _airport(data.return_to, "PK", "return_to", errors),
    }
    if data.capacity is None or not 1 <= data.capacity <= MAX_CAPACITY:
        errors["capacity"] = [_("between 1 and %(n)d") % {"n": MAX_CAPACITY}]
    if data.price_pkr is None or not 0 <= data.price_pkr <= MAX_PRICE:
        errors["price_pkr"] = [_("a price in rupees, at most %(n)s") % {"n": f"{MAX_PRICE:,}"}]
    for name in ("outbound_flight", "return_flight"):
        if len(getattr(data, name) or "") > 20:
            errors[name] = [_("at most 20 characters")]
    hotels = []
    for i, hotel in enumerate(data.hotels):
        if not (hotel.name or "").strip():
            continue
        city = one_or_none(City.objects.filter(slug=hotel.city, country="IQ"))
        if city is None:
            errors.setdefault(f"hotels.{i}.city", []).append(_("choose a city in Iraq"))
        if not 1 <= (hotel.nights or 0) <= MAX_TRIP_DAYS:
            errors.setdefault(f"hotels.{i}.nights", []).append(_("at least one night"))
        if len(hotel.name) > 200:
            errors.setdefault(f"hotels.{i}.name", []).append(_("at most 200 characters"))
        hotels.append((city, hotel.name.strip(), hotel.nights))
    if data.departure_date and data.return_date and hotels:
        nights = sum(h[2] or 0 for h in hotels)
        if nights > (data.return_date - data.departure_date).days:
            errors.setdefault("hotels", []).append(
                _("%(n)d hotel nights in a trip of %(days)d nights")
                % {"n": nights, "days": (data.return_date - data.departure_date).days}
            )
    if code:
        with scopes_disabled():
            taken = Trip.objects.filter(organiser_id=organiser_id, code=code)
            if trip is not None:
                taken = taken.exclude(pk=trip.pk)
            if taken.exists():
                errors["code"] = [_("another of your trips has this code")]
    if errors:
        raise ValidationFailed(errors)
    return {
        "title": title,
        "code": code,
        "departure_date": data.departure_date,
        "return_date": data.return_date,
        **airports,
        "outbound_flight": data.outbound_flight.strip().upper(),
        "return_flight": data.return_flight.strip().upper(),
        "capacity": data.capacity,
        "price_pkr": data.price_pkr,
        "hotels": hotels,
    }


def _next_code(organiser, year: int) -> str:
    letters = "".join(w[0] for w in (organiser.trade_name or organiser.legal_name).split()[:3])
    prefix = (letters or "ZGO").upper()
    with scopes_disabled():
        n = Trip.objects.filter(organiser=organiser, code__startswith=f"{prefix}-{year}-").count()
    return f"{prefix}-{year}-{n + 1:03d}"


def trip_create(*, actor: Any, data: TripInput) -> Trip:
    _assert_writer(actor)
    values = _clean_trip(data, organiser_id=actor.organiser_id, trip=None)
    hotels = values.pop("hotels")
    with transaction.atomic():
        if not values["code"]:
            values["code"] = _next_code(actor.organiser, values["departure_date"].year)
        trip = Trip.objects.create(organiser=actor.organiser, created_by=actor, **values)
        TripHotel.objects.bulk_create(
            TripHotel(trip=trip, city=c, name=n, nights=k, position=i)
            for i, (c, n, k) in enumerate(hotels)
        )
        TripEvent.objects.create(trip=trip, to_status=TripStatus.DRAFT, by=actor)
        audit_record(actor=actor, action="zaireen.trip.created", obj=trip,
                     organiser=trip.organiser, changes=diff({}, {"code": trip.code}))  # fmt: skip
    return trip


def trip_update(*, actor: Any, uid: Any, data: TripInput) -> Trip:
    _assert_writer(actor)
    with transaction.atomic():
        trip = _own_trip(actor, uid, lock=True)
        if trip.status != TripStatus.DRAFT:
            raise ValidationFailed(status=_("only a draft can be changed"))
        values = _clean_trip(data, organiser_id=actor.organiser_id, trip=trip)
        hotels = values.pop("hotels")
        values["code"] = values["code"] or trip.code
        before = {k: getattr(trip, k) for k in values}
        for name, value in values.items():
            setattr(trip, name, value)
        trip.save()
        trip.hotels.all().delete()
        TripHotel.objects.bulk_create(
            TripHotel(trip=trip, city=c, name=n, nights=k, position=i)
            for i, (c, n, k) in enumerate(hotels)
        )
        audit_record(actor=actor, action="zaireen.trip.updated", obj=trip,
                     organiser=trip.organiser, changes=diff(before, values))  # fmt: skip
    return trip


def members_add(
    *, actor: Any, trip_uid: Any, profile_uids: list, role: str = MemberRole.PILGRIM
) -> int:
    """Add the actor's pilgrims to a draft trip; those already on it are skipped."""
    _assert_writer(actor)
    if role not in MemberRole.values:
        raise ValidationFailed(role=_("choose a role from the list"))
    with transaction.atomic():
        trip = _own_trip(actor, trip_uid, lock=True)
        if trip.status != TripStatus.DRAFT:
            raise ValidationFailed(status=_("members are added to a draft only"))
        with scopes_disabled():
            profiles = list(
                PilgrimProfile.objects.filter(uid__in=profile_uids, organiser_id=actor.organiser_id)
            )
            on_trip = set(Member.objects.filter(trip=trip).values_list("profile_id", flat=True))
            current = len(on_trip)
        if len(profiles) != len(set(profile_uids)):
            raise ValidationFailed(members=_("some of these pilgrims are not yours"))
        new = [p for p in profiles if p.pk not in on_trip]
        if current + len(new) > trip.capacity:
            raise ValidationFailed(
                members=_("the trip has room for %(n)d more")
                % {"n": max(0, trip.capacity - current)}
            )
        Member.objects.bulk_create(
            Member(trip=trip, organiser_id=trip.organiser_id, profile=p, person_id=p.person_id,
                   role=role)
            for p in new
        )  # fmt: skip
        if new:
            audit_record(
                actor=actor,
                action="zaireen.trip.members.added",
                obj=trip,
                organiser=trip.organiser,
                changes={"members": [current, current + len(new)]},
            )
    return len(new)


def _own_member(actor: Any, uid: Any) -> Member:
    with scopes_disabled():
        member = one_or_none(
            Member.objects.select_for_update()
            .select_related("trip", "profile")
            .filter(uid=uid, organiser_id=actor.organiser_id)
        )
    if member is None:
        raise NotFound(_("No such member."))
    return member


def member_update(
    *,
    actor: Any,
    uid: Any,
    role: str,
    visa_status: str,
    visa_number: str = "",
    visa_valid_from: datetime.date | None = None,
    visa_valid_until: datetime.date | None = None,
) -> Member:
    _assert_writer(actor)
    errors: dict[str, list[str]] = {}
    if role not in MemberRole.values:
        errors["role"] = [_("choose a role from the list")]
    if visa_status not in VisaStatus.values:
        errors["visa_status"] = [_("choose a visa status from the list")]
    if visa_status == VisaStatus.ISSUED:
        if not visa_number.strip():
            errors["visa_number"] = [_("an issued visa has a number")]
        if not (visa_valid_from and visa_valid_until):
            errors["visa_valid_until"] = [_("an issued visa has its dates")]
        elif visa_valid_until < visa_valid_from:
            errors["visa_valid_until"] = [_("the visa ends before it starts")]
    if len(visa_number) > 40:
        errors["visa_number"] = [_("at most 40 characters")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        member = _own_member(actor, uid)
        if role != member.role and member.trip.status != TripStatus.DRAFT:
            raise ValidationFailed(role=_("roles change in a draft only"))
        if member.trip.status in (TripStatus.CLOSED, TripStatus.CANCELLED):
            raise ValidationFailed(visa_status=_("the trip is over"))
        before = {"role": member.role, "visa_status": member.visa_status}
        member.role, member.visa_status = role, visa_status
        member.visa_number = visa_number.strip().upper()
        member.visa_valid_from, member.visa_valid_until = visa_valid_from, visa_valid_until
        member.save()
        audit_record(actor=actor, action="zaireen.trip.member.updated", obj=member.trip,
                     organiser=member.trip.organiser,
                     changes=diff(before, {"role": role, "visa_status": visa_status}))  # fmt: skip
    return member


def member_remove(*, actor: Any, uid: Any) -> None:
    _assert_writer(actor)
    with transaction.atomic():
        member = _own_member(actor, uid)
        if member.trip.status != TripStatus.DRAFT:
            raise ValidationFailed(status=_("members are removed from a draft only"))
        trip = member.trip
        name = member.profile.full_name
        member.delete()
        audit_record(actor=actor, action="zaireen.trip.member.removed", obj=trip,
                     organiser=trip.organiser, changes={"member": [name, None]})  # fmt: skip


def _conflicts(
    trip: Trip, members: list[Member], *, today: datetime.date
) -> tuple[dict[str, list[str]], list[tuple[int, str]]]:
    """People of `members` who are reserved elsewhere (rows locked by the caller): the errors
    for the organiser, and (other trip id, reason) pairs for the ministry."""
    errors: dict[str, list[str]] = {}
    found: list[tuple[int, str]] = []
    person_ids = [m.person_id for m in members]
    with scopes_disabled():
        others = list(
            Member.objects.select_related("trip")
            .filter(person_id__in=person_ids, active=True)
            .exclude(trip=trip)
        )
    by_person: dict[int, list[Member]] = {}
    for other in others:
        by_person.setdefault(other.person_id, []).append(other)
    for member in members:
        for other in by_person.get(member.person_id, []):
            ours = other.organiser_id == trip.organiser_id
            name = member.profile.full_name
            if other.trip.return_date < today:
                kind = "not_returned"
                reason = _("%(name)s has not come back from an earlier trip (%(which)s); an "
                           "officer must record the return first.")  # fmt: skip
            elif other.trip.departure_date <= trip.return_date and (
                trip.departure_date <= other.trip.return_date
            ):
                kind = "overlap"
                reason = _("%(name)s is already travelling at these dates (%(which)s).")
            else:
                continue
            found.append((other.trip_id, kind))
            which = other.trip.code if ours else _("with another organiser")
            errors.setdefault(f"member:{member.uid}", []).append(
                reason % {"name": name, "which": which}
            )
    return errors, found


def trip_submit(*, actor: Any, uid: Any, today: datetime.date | None = None) -> Trip:
    """Submit a draft to the ministry once every rule holds; reserve its members' people."""
    _assert_writer(actor)
    today = today or timezone.localdate()
    with transaction.atomic():
        trip = _own_trip(actor, uid, lock=True)
        if trip.status != TripStatus.DRAFT:
            raise ValidationFailed(status=_("only a draft can be submitted"))
        organiser_assert_may_submit(organiser=trip.organiser, until=trip.return_date)
        with scopes_disabled():
            members = list(trip.members.select_related("profile").order_by("person_id"))
        errors: dict[str, list[str]] = {}
        for problem in trip_problems(trip, members, today=today):
            key = f"member:{problem.member}" if problem.member else problem.field or "__all__"
            errors.setdefault(key, []).append(problem.message)
        if errors:
            raise ValidationFailed(errors)
        # Lock the people in a fixed order: a concurrent submission of any of them waits here.
        lock_rows(Person.objects.filter(pk__in=[m.person_id for m in members]))
        refused, found = _conflicts(trip, members, today=today)
        if not refused:
            with scopes_disabled():
                Member.objects.filter(trip=trip).update(active=True)
            trip.submitted_by, trip.submitted_at = actor, timezone.now()
            _record(trip, actor=actor, to=TripStatus.SUBMITTED)
            trip.save()
    if refused:
        # People travel elsewhere: nothing was written; the refusal is logged and limited, as
        # repeated refusals would map who travels with whom.
        with transaction.atomic():
            BookingConflict.objects.bulk_create(
                BookingConflict(trip=trip, other_trip_id=other, reason=kind, actor=actor)
                for other, kind in sorted(set(found))
            )
            audit_record(actor=actor, action="zaireen.trip.submission.refused.travelling",
                         obj=trip, organiser=trip.organiser,
                         changes={"members": [None, len(refused)]})  # fmt: skip
        ratelimit.check(scope="trip-conflict", key=str(actor.organiser_id),
                        limit=CONFLICT_PROBES_PER_HOUR, window_seconds=3600)  # fmt: skip
        raise ValidationFailed(refused)
    return trip


def _ministry_decision(trip: Trip, *, actor: Any, to: str, reason: str) -> None:
    _record(trip, actor=actor, to=to, reason=reason)
    subject = _("Trip %(code)s: %(status)s") % {
        "code": trip.code,
        "status": trip.get_status_display(),
    }
    body = reason or subject
    email = trip.organiser.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))


def trip_decide(*, actor: Any, uid: Any, approve: bool, reason: str = "") -> Trip:
    """The ministry approves a submitted trip, or sends it back to draft with a reason."""
    if not (actor.is_authenticated and actor.role == Role.MINISTRY_OFFICER):
        raise NotAllowed(_("Only the ministry approves trips."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationFailed(reason=_("say why the trip goes back to draft"))
    if len(reason) > 2000:
        raise ValidationFailed(reason=_("at most 2000 characters"))
    with transaction.atomic(), scopes_disabled():
        trip = one_or_none(Trip.objects.select_for_update().filter(uid=uid))
        if trip is None:
            raise NotFound(_("No such trip."))
        allowed = (
            (TripStatus.SUBMITTED,) if approve else (TripStatus.SUBMITTED, TripStatus.APPROVED)
        )
        if trip.status not in allowed:
            raise ValidationFailed(
                status=_("this trip is %(s)s") % {"s": trip.get_status_display()}
            )
        if approve:
            trip.approved_by, trip.approved_at = actor, timezone.now()
            _ministry_decision(trip, actor=actor, to=TripStatus.APPROVED, reason=reason)
        else:
            Member.objects.filter(trip=trip, returned_at=None).update(active=False)
            _ministry_decision(trip, actor=actor, to=TripStatus.DRAFT, reason=reason)
        trip.save()
    return trip


NEXT_BY_ORGANISER = {
    TripStatus.DEPARTED: (TripStatus.APPROVED,),
    TripStatus.RETURNED: (TripStatus.DEPARTED,),
    TripStatus.CLOSED: (TripStatus.RETURNED,),
    TripStatus.CANCELLED: (TripStatus.DRAFT, TripStatus.SUBMITTED, TripStatus.APPROVED),
}


def trip_advance(
    *, actor: Any, uid: Any, to: str, reason: str = "", today: datetime.date | None = None
) -> Trip:
    """The organiser's own steps: departed, returned, closed, or cancelled (with a reason)."""
    _assert_writer(actor)
    today = today or timezone.localdate()
    if to not in NEXT_BY_ORGANISER:
        raise ValidationFailed(status=_("not a step an organiser takes"))
    reason = (reason or "").strip()[:2000]
    with transaction.atomic():
        trip = _own_trip(actor, uid, lock=True)
        if trip.status not in NEXT_BY_ORGANISER[to]:
            raise ValidationFailed(
                status=_("a %(s)s trip cannot become %(t)s")
                % {"s": trip.get_status_display().lower(), "t": TripStatus(to).label.lower()}
            )
        if to == TripStatus.CANCELLED and not reason:
            raise ValidationFailed(reason=_("say why the trip is cancelled"))
        if to == TripStatus.DEPARTED and today < trip.departure_date:
            raise ValidationFailed(
                status=_("the trip leaves on %(d)s") % {"d": trip.departure_date}
            )
        if to == TripStatus.DEPARTED:
            from zaireen.trips.logistics import passports_blocking_departure

            blocked = passports_blocking_departure(trip)
            if blocked:
                raise ValidationFailed(
                    passports=_("the passport of %(names)s is lost or with an unknown holder")
                    % {"names": ", ".join(m.profile.full_name for m in blocked)}
                )
        with scopes_disabled():
            members = Member.objects.filter(trip=trip)
            if to == TripStatus.CLOSED and members.filter(returned_at=None).exists():
                raise ValidationFailed(
                    status=_("record every member's return (or have an officer resolve it) first")
                )
            if to == TripStatus.CANCELLED:
                members.filter(returned_at=None).update(active=False)
        _record(trip, actor=actor, to=to, reason=reason)
        trip.save()
    return trip


def member_return_record(
    *, actor: Any, uid: Any, note: str = "", at: datetime.datetime | None = None
) -> Member:
    """Record that a member is back in Pakistan, which ends their membership's reservation.

    The organiser records it later (method `later`); a ministry officer resolves a missing
    return with a reason (method `officer`). Return headcounts arrive with the headcount issue.
    """
    note = (note or "").strip()
    officer = actor.is_authenticated and actor.role == Role.MINISTRY_OFFICER
    if not officer:
        _assert_writer(actor)
    if officer and not note:
        raise ValidationFailed(note=_("an officer records a return with a reason"))
    if len(note) > 2000:
        raise ValidationFailed(note=_("at most 2000 characters"))
    with transaction.atomic(), scopes_disabled():
        members = Member.objects.select_for_update().select_related("trip", "profile")
        member = one_or_none(members.filter(uid=uid))
        if member is None or (not officer and member.organiser_id != actor.organiser_id):
            raise NotFound(_("No such member."))
        if member.returned_at is not None:
            raise ValidationFailed(status=_("the return is already recorded"))
        if member.trip.status not in (*RESERVING, TripStatus.CLOSED):
            raise ValidationFailed(status=_("the trip has not been submitted"))
        member.returned_at = at or timezone.now()
        member.return_method = ReturnMethod.OFFICER if officer else ReturnMethod.LATER
        member.return_note = note
        member.return_recorded_by = actor
        member.active = False
        member.save()
        audit_record(
            actor=actor,
            action="zaireen.trip.member.returned",
            obj=member.trip,
            organiser=member.trip.organiser,
            changes={"returned": [None, member.profile.full_name]},
            reason=note,
        )
    return member


def member_return_from_headcount(
    *, actor: Any, member_id: int, at: datetime.datetime, headcount_label: str
) -> bool:
    """Record a member's return because a leader counted them present on arrival home.

    Called by the headcount sync inside its transaction; True if the return was recorded now,
    False if it already was (a replayed event changes nothing).
    """
    with scopes_disabled():
        member = (
            Member.objects.select_for_update().select_related("trip", "profile").get(pk=member_id)
        )
    if member.returned_at is not None or member.trip.status not in (*RESERVING, TripStatus.CLOSED):
        return False
    member.returned_at = at
    member.return_method = ReturnMethod.HEADCOUNT
    member.return_note = headcount_label[:2000]
    member.return_recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    member.active = False
    member.save()
    audit_record(
        actor=actor,
        action="zaireen.trip.member.returned",
        obj=member.trip,
        organiser=member.trip.organiser,
        changes={"returned": [None, member.profile.full_name]},
        reason=headcount_label,
    )
    return True
