"""Writes of missing-person cases: opening (by hand or from a leader's request at a closed
headcount), taking a case from state to state, notes, the next-of-kin choice, reminders.

Each write locks what it changes, records a `CaseEvent` and an audit entry, and queues its
notifications (`notifications.services.notify`) in the same transaction, so they leave only
if the change is committed. Re-sent requests carry a client UUID and are applied once.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scopes_disabled

from zaireen.cases import selectors
from zaireen.cases.models import (
    NOTE_REQUIRED,
    SEARCH_STATES,
    TRANSITIONS,
    Case,
    CaseEvent,
    CaseState,
    EventKind,
)
from zaireen.core.audit import audit_record
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.phones import normalise_phone
from zaireen.core.queries import one_or_none
from zaireen.notifications.services import (
    Recipient,
    notify,
    recipients_consulate,
    recipients_for_trip,
)
from zaireen.planning import poles
from zaireen.safety.models import CaseRequest
from zaireen.safety.selectors import last_seen
from zaireen.trips.models import Member

logger = logging.getLogger(__name__)

BAGHDAD = ZoneInfo("Asia/Baghdad")
MAX_NOTE = 4000
MAX_TEXT = 2000
MAX_PLACE = 200
STATE_URDU = {
    CaseState.REPORTED: "گمشدگی کی اطلاع",
    CaseState.SEARCHING: "تلاش جاری ہے",
    CaseState.ESCALATED: "قونصل خانے کے سپرد",
    CaseState.FOUND: "مل گئے",
    CaseState.HOSPITAL: "ہسپتال میں",
    CaseState.DETAINED: "زیرِ حراست",
    CaseState.DECEASED: "انتقال ہو گیا",
    CaseState.CLOSED: "کیس بند",
}


def reminder_interval() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, "ZAIREEN_CASE_REMINDER_MINUTES", 60)))


@dataclass(frozen=True)
class CaseInput:
    """What the opener says. Empty fields are filled from what Zaireen knows: the last
    checkpoint the member was counted at, the profile's phone and needs."""

    description: str = ""
    needs: str = ""
    phone: str = ""
    pole: int | None = None
    place: str = ""
    seen_at: datetime.datetime | None = None
    tell_next_of_kin: bool = False
    note: str = ""


# --- Checks ---------------------------------------------------------------------------------


def pole_check(value: Any, *, field: str = "pole") -> int | None:
    """A pole number of the Najaf–Karbala road, or None for nothing; `ValidationFailed`
    names the field otherwise."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not text.isdecimal():  # any script's digits (Urdu ۵۷۸ too), which int() reads
        raise ValidationFailed(**{field: _("a pole number is a whole number, e.g. 578")})
    pole = int(text)
    try:
        poles.pole_position(pole)
    except ValueError:
        raise ValidationFailed(
            **{
                field: _("there are poles 1 to %(n)d on the Najaf–Karbala road")
                % {"n": poles.POLE_COUNT}
            }
        ) from None
    return pole


def _clean(data: CaseInput) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for name, limit in (("description", MAX_TEXT), ("needs", MAX_TEXT), ("note", MAX_NOTE)):
        value = (getattr(data, name) or "").strip()
        if len(value) > limit:
            errors.setdefault(name, []).append(_("at most %(n)d characters") % {"n": limit})
        out[name] = value
    place = " ".join((data.place or "").split())
    if len(place) > MAX_PLACE:
        errors.setdefault("place", []).append(_("at most %(n)d characters") % {"n": MAX_PLACE})
    out["place"] = place
    out["phone"] = ""
    if (data.phone or "").strip():
        try:
            out["phone"] = normalise_phone(data.phone)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    try:
        out["pole"] = pole_check(data.pole)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    seen_at = data.seen_at
    if seen_at is not None and timezone.is_naive(seen_at):
        seen_at = timezone.make_aware(seen_at, BAGHDAD)
    if seen_at is not None and seen_at > timezone.now() + datetime.timedelta(minutes=5):
        errors.setdefault("seen_at", []).append(_("this time is in the future"))
    out["seen_at"] = seen_at
    out["tell_next_of_kin"] = bool(data.tell_next_of_kin)
    if errors:
        raise ValidationFailed(errors)
    return out


def _member_for_opening(actor: Any, member_uid: Any) -> Member:
    """The member, locked, if `actor` may open a case for them; others' are not found."""
    try:
        member_uid = uuid.UUID(str(member_uid))
    except ValueError:
        raise ValidationFailed(member=_("choose a member of one of your trips")) from None
    allowed = selectors.members_for_opening(actor=actor).filter(uid=member_uid)
    if not allowed.exists():
        with scopes_disabled():
            member = one_or_none(Member.objects.select_related("trip").filter(uid=member_uid))
        if member is not None and member.organiser_id == actor.organiser_id:
            if member.returned_at is not None:
                raise ValidationFailed(member=_("this member's return home is recorded"))
            if member.trip.status in selectors.OVER:
                raise ValidationFailed(member=_("this member's trip is over"))
        raise NotFound(_("No such member."))
    with scopes_disabled():
        return (
            Member.objects.select_for_update(of=("self",))
            .select_related("profile", "trip__organiser")
            .get(uid=member_uid)
        )


# --- Notifications ---------------------------------------------------------------------------


def _local(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value, BAGHDAD).strftime("%d %b %Y %H:%M") + " (Baghdad)"


def location_text(case: Case) -> str:
    """The place as words and, for a pole, its number and coordinates."""
    parts = [case.last_seen_place] if case.last_seen_place else []
    if case.pole:
        position = poles.pole_position(case.pole)
        parts.append(
            _("pole %(pole)d on the Najaf–Karbala road (%(lat).5f, %(lon).5f)")
            % {"pole": case.pole, "lat": position.lat, "lon": position.lon}
        )
    return ", ".join(parts)


def _context(case: Case, **extra: str) -> dict[str, str]:
    profile = case.member.profile
    with override("en"):
        state = str(CaseState(case.state).label)
    return {
        "reference": case.reference,
        "name": profile.full_name,
        "name_urdu": profile.name_urdu,
        "trip": case.trip.code,
        "organiser": case.organiser.trade_name or case.organiser.legal_name,
        "organiser_phone": case.organiser.phone,
        "state": state,
        "state_ur": STATE_URDU[CaseState(case.state)],
        "place": location_text(case),
        "seen_at": _local(case.last_seen_at),
        "phone": case.phone,
        "description": case.description,
        "needs": case.needs,
        "url": settings.ZAIREEN_BASE_URL + reverse("cases:detail", args=[case.uid]),
        **extra,
    }


def case_recipients(case: Case) -> list[Recipient]:
    """The trip's leaders, the organiser's admins and staff and its office, the consulate."""
    office = []
    if case.organiser.email:
        office = [Recipient(str(case.organiser), "email", case.organiser.email)]
    return [*recipients_for_trip(case.trip), *office, *recipients_consulate()]


def _kin(case: Case) -> list[Recipient]:
    profile = case.member.profile
    if not (case.tell_next_of_kin and profile.next_of_kin_phone):
        return []
    return [Recipient(profile.next_of_kin_name or _("Next of kin"), "sms",
                      profile.next_of_kin_phone, language="ur")]  # fmt: skip


def _announce(case: Case, topic: str, *, kin: bool, **extra: str) -> None:
    context = _context(case, **extra)
    notify(topic=topic, recipients=case_recipients(case), context=context,
           organiser=case.organiser, about=case)  # fmt: skip
    if kin and _kin(case):
        notify(topic="cases.kin_update", recipients=_kin(case), context=context,
               organiser=case.organiser, about=case)  # fmt: skip


def _who(user: Any) -> str:
    if user is None:
        return "Zaireen"
    with override("en"):
        role = str(user.get_role_display()) if getattr(user, "role", "") else ""
    name = user.get_full_name() or user.get_username()
    return f"{name} ({role})" if role else name


# --- Opening ---------------------------------------------------------------------------------


def _needs_of(member: Member) -> str:
    profile = member.profile
    needs = []
    if profile.needs_wheelchair:
        needs.append(_("needs a wheelchair"))
    if profile.needs_elderly_care:
        needs.append(_("elderly, needs help"))
    return "; ".join(needs)


def _create(
    *,
    member: Member,
    opened_by: Any,
    fields: dict[str, Any],
    request_uid: Any = None,
    headcount: Any = None,
    case_request: CaseRequest | None = None,
) -> Case:
    now = timezone.now()
    place, seen_at = fields["place"], fields["seen_at"]
    if not place and seen_at is None:
        seen = last_seen([member.pk]).get(member.pk)
        if seen is not None:
            place, seen_at = seen.checkpoint, seen.at
    uid = uuid.uuid4()
    with scopes_disabled():
        case = Case.objects.create(
            uid=uid,
            reference=f"MP-{uid.hex[:8].upper()}",
            organiser_id=member.organiser_id,
            trip=member.trip,
            member=member,
            headcount=headcount,
            request_uid=request_uid,
            last_seen_place=place[:MAX_PLACE],
            last_seen_at=seen_at,
            pole=fields["pole"],
            description=fields["description"],
            needs=fields["needs"] or _needs_of(member),
            phone=fields["phone"] or member.profile.phone,
            tell_next_of_kin=fields["tell_next_of_kin"],
            opened_by=opened_by,
            updated_at=now,
        )
        CaseEvent.objects.create(
            case=case,
            organiser_id=case.organiser_id,
            kind=EventKind.OPENED,
            to_state=CaseState.REPORTED,
            note=fields["note"],
            pole=fields["pole"],
            place=place[:MAX_PLACE],
            by=opened_by,
            case_request=case_request,
        )
    audit_record(actor=opened_by, action="zaireen.cases.case.opened", obj=case,
                 organiser=member.trip.organiser,
                 changes={"state": [None, CaseState.REPORTED],
                          "member": [None, member.profile.full_name]})  # fmt: skip
    _announce(case, "cases.opened", kin=True, note=fields["note"], by=_who(opened_by))
    return case


def case_open(
    *, actor: Any, member_uid: Any, data: CaseInput, request_uid: Any = None
) -> tuple[Case, bool]:
    """Open a case for a member by hand. Returns (case, created): a request UUID seen before,
    or a member who already has an open case, gives the existing case back."""
    fields = _clean(data)
    if fields["tell_next_of_kin"] and actor.role not in selectors.STAFF:
        raise ValidationFailed(tell_next_of_kin=_("the organiser decides whether to tell them"))
    try:
        with transaction.atomic():
            if request_uid is not None:
                with scopes_disabled():
                    earlier = one_or_none(Case.objects.filter(request_uid=request_uid))
                if earlier is not None:
                    if not selectors.cases_for(actor).filter(pk=earlier.pk).exists():
                        raise NotFound(_("No such case."))
                    return earlier, False
            member = _member_for_opening(actor, member_uid)
            with scopes_disabled():
                current = one_or_none(
                    Case.objects.filter(member=member).exclude(state=CaseState.CLOSED)
                )
            if current is not None:
                return current, False
            return _create(member=member, opened_by=actor, fields=fields,
                           request_uid=request_uid), True  # fmt: skip
    except IntegrityError:
        # Another request opened it at the same moment (request UUID or one open per member).
        same = Q(member__uid=member_uid, closed_at=None)
        if request_uid is not None:
            same |= Q(request_uid=request_uid)
        with scopes_disabled():
            case = Case.objects.filter(same).first()
        if case is None:
            raise
        return case, False


def case_from_request(*, request_id: int, actor: Any = None) -> Case:
    """Take over a leader's request (safety's `CaseRequest`): open the member's case, or add
    the headcount to the case already open for them. Each request is consumed once.

    May run inside the transaction that made the request (no durable block here); `actor` is
    whoever triggers it, the requester when None (the periodic sweep)."""
    with transaction.atomic():
        with scopes_disabled():
            request = one_or_none(
                CaseRequest.objects.select_for_update(of=("self",))
                .select_related("headcount", "requested_by")
                .filter(pk=request_id)
            )
            if request is None:
                raise NotFound(_("No such case request."))
            done = one_or_none(
                CaseEvent.objects.filter(case_request=request).select_related("case")
            )
            if done is not None:
                return done.case
            member = (
                Member.objects.select_for_update(of=("self",))
                .select_related("profile", "trip__organiser")
                .get(pk=request.member_id)
            )
            current = one_or_none(
                Case.objects.filter(member=member).exclude(state=CaseState.CLOSED)
            )
        if current is None and member.returned_at is not None:
            raise ValidationFailed(member=_("this member's return home is recorded"))
        opener = actor if getattr(actor, "is_authenticated", False) else request.requested_by
        note = _("Missing at the headcount “%(headcount)s”.") % {"headcount": request.headcount}
        if current is not None:
            with scopes_disabled():
                CaseEvent.objects.create(
                    case=current, organiser_id=current.organiser_id, kind=EventKind.NOTE,
                    note=note, by=opener, case_request=request,
                )  # fmt: skip
                Case.objects.filter(pk=current.pk).update(updated_at=timezone.now())
            return current
        fields = _clean(CaseInput(note=note))
        return _create(member=member, opened_by=opener, fields=fields,
                       headcount=request.headcount, case_request=request)  # fmt: skip


def case_requests_consume(*, limit: int = 200) -> int:
    """Open the cases of leaders' requests not taken over yet (the periodic sweep). Requests
    about members who are home by now, or on trips that are over, are left alone."""
    with scopes_disabled():
        waiting = list(
            CaseRequest.objects.filter(case_event__isnull=True, member__returned_at=None)
            .exclude(member__trip__status__in=selectors.OVER)
            .order_by("requested_at")
            .values_list("pk", flat=True)[:limit]
        )
    done = 0
    for request_id in waiting:
        try:
            case_from_request(request_id=request_id)
        except Exception:  # one bad request must not stop the others
            logger.exception("case request %s could not be taken over", request_id)
        else:
            done += 1
    return done


# --- Updating ---------------------------------------------------------------------------------


def case_update(
    *,
    actor: Any,
    uid: Any,
    to: str = "",
    note: str = "",
    pole: Any = None,
    place: str = "",
    request_uid: Any = None,
) -> CaseEvent:
    """Take a case to its next state (`to`), or add a note or a place to its timeline.

    Organiser staff, the trip's leaders and consular officers update; only staff and consuls
    close. A step `TRANSITIONS` does not allow is refused naming the allowed ones; hospital,
    detention, death and closing need a note. A request UUID seen before returns its event.
    """
    note = (note or "").strip()
    place = " ".join((place or "").split())
    with transaction.atomic():
        if request_uid is not None:
            with scopes_disabled():
                earlier = one_or_none(CaseEvent.objects.filter(request_uid=request_uid))
            if earlier is not None:
                if not selectors.cases_for(actor).filter(pk=earlier.case_id).exists():
                    raise NotFound(_("No such case."))
                return earlier
        case = selectors.case_get_for(actor=actor, uid=uid, lock=True)
        if actor.role not in selectors.UPDATERS:
            raise NotAllowed(_("Your role reads cases but does not update them."))
        errors: dict[str, list[str]] = {}
        if not case.is_open:
            raise ValidationFailed(state=_("the case is closed"))
        if to:
            if to not in CaseState.values:
                errors["state"] = [_("unknown state")]
            elif to not in TRANSITIONS[case.state]:
                allowed = ", ".join(str(CaseState(s).label) for s in TRANSITIONS[case.state])
                errors["state"] = [
                    _("a case that is “%(from)s” cannot become “%(to)s”; next: %(allowed)s")
                    % {
                        "from": case.get_state_display(),
                        "to": CaseState(to).label,
                        "allowed": allowed,
                    }
                ]
            elif to == CaseState.CLOSED and actor.role not in selectors.CLOSERS:
                raise NotAllowed(_("The organiser's office or the consulate closes a case."))
            elif to in NOTE_REQUIRED and not note:
                errors["note"] = [_("say what happened")]
        if len(note) > MAX_NOTE:
            errors.setdefault("note", []).append(_("at most %(n)d characters") % {"n": MAX_NOTE})
        if len(place) > MAX_PLACE:
            errors["place"] = [_("at most %(n)d characters") % {"n": MAX_PLACE}]
        try:
            pole = pole_check(pole)
        except ValidationFailed as exc:
            errors.update(exc.errors)
        if not (to or note or place or pole or errors):
            errors["note"] = [_("write a note, give a place or choose the next state")]
        if errors:
            raise ValidationFailed(errors)
        now = timezone.now()
        before = case.state
        fields = ["updated_at"]
        case.updated_at = now
        if to:
            case.state = to
            fields.append("state")
            if to == CaseState.CLOSED:
                case.closed_at = now
                fields.append("closed_at")
        if place or pole:
            case.last_seen_place, case.pole, case.last_seen_at = place, pole, now
            fields += ["last_seen_place", "pole", "last_seen_at"]
        with scopes_disabled():
            case.save(update_fields=fields)
            event = CaseEvent.objects.create(
                case=case,
                organiser_id=case.organiser_id,
                kind=EventKind.STATE if to else EventKind.NOTE,
                from_state=before if to else "",
                to_state=to,
                note=note,
                pole=pole,
                place=place,
                by=actor,
                request_uid=request_uid,
            )
        if to:
            audit_record(actor=actor, action="zaireen.cases.case.state.changed", obj=case,
                         organiser=case.organiser, changes={"state": [before, to]},
                         reason=note[:500])  # fmt: skip
            with override("en"):
                previous = str(CaseState(before).label)
            _announce(case, "cases.state_changed", kin=True, note=note, by=_who(actor),
                      previous=previous, previous_ur=STATE_URDU[CaseState(before)])  # fmt: skip
        else:
            audit_record(actor=actor, action="zaireen.cases.case.noted", obj=case,
                         organiser=case.organiser,
                         changes={"note": [None, note[:200]], "place": [None, place],
                                  "pole": [None, pole]})  # fmt: skip
    return event


def case_set_kin(*, actor: Any, uid: Any, tell: bool) -> Case:
    """Choose whether the pilgrim's next of kin get the case's updates (organiser staff)."""
    with transaction.atomic():
        case = selectors.case_get_for(actor=actor, uid=uid, lock=True)
        if actor.role not in selectors.STAFF:
            raise NotAllowed(_("The organiser chooses whether the next of kin are told."))
        if case.tell_next_of_kin == bool(tell):
            return case
        case.tell_next_of_kin = bool(tell)
        with scopes_disabled():
            case.save(update_fields=["tell_next_of_kin"])
            CaseEvent.objects.create(
                case=case, organiser_id=case.organiser_id, kind=EventKind.KIN, by=actor,
                note=_("The next of kin will be told of each step.") if tell
                else _("The next of kin are no longer told."),
            )  # fmt: skip
        audit_record(actor=actor, action="zaireen.cases.case.kin.changed", obj=case,
                     organiser=case.organiser,
                     changes={"tell_next_of_kin": [not tell, bool(tell)]})  # fmt: skip
    return case


# --- Reminders --------------------------------------------------------------------------------


def case_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind about every case still searched for that has had no update for an hour: once
    per hour of silence (the last update or the last reminder, whichever is later)."""
    now = now or timezone.now()
    cutoff = now - reminder_interval()
    with scopes_disabled():
        due = list(
            Case.objects.filter(state__in=SEARCH_STATES, updated_at__lte=cutoff)
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=cutoff))
            .values_list("pk", "reminded_at")
        )
    sent = 0
    for pk, reminded_at in due:
        with transaction.atomic(), scopes_disabled():
            # Claim the reminder: a second worker finds `reminded_at` changed and skips it.
            if not Case.objects.filter(pk=pk, reminded_at=reminded_at).update(reminded_at=now):
                continue
            case = Case.objects.select_related("trip", "organiser", "member__profile").get(pk=pk)
            silent = now - case.updated_at
            CaseEvent.objects.create(
                case=case, organiser_id=case.organiser_id, kind=EventKind.REMINDER,
                note=_("No update for %(minutes)d minutes.")
                % {"minutes": silent.total_seconds() // 60},
            )  # fmt: skip
            _announce(case, "cases.reminder", kin=False,
                      silent_minutes=str(int(silent.total_seconds() // 60)))  # fmt: skip
            sent += 1
    return sent
