"""Writes of the organizers app: registering organisers and deciding on their licences."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from zaireen.core.audit import audit_record, diff
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.permissions import assert_role
from zaireen.core.phones import normalise_phone
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role
from zaireen.organizers.models import TRANSITIONS, LicenceEvent, LicenceStatus, Organiser
from zaireen.places.models import City

MAX_REASON = 2000


def normalise_licence_number(raw: str) -> str:
    return " ".join((raw or "").split()).upper()


def organiser_register(
    *,
    actor: Any,
    legal_name: str,
    trade_name: str,
    licence_number: str,
    head_office_city: str,
    phone: str,
    email: str,
) -> Organiser:
    """Register an applicant organiser (status `applied`); the ministry vets it next."""
    assert_role(actor, Role.MINISTRY_OFFICER)
    errors: dict[str, list[str]] = {}
    legal_name, trade_name = legal_name.strip(), trade_name.strip()
    number = normalise_licence_number(licence_number)
    if not legal_name:
        errors["legal_name"] = [_("enter the legal name")]
    for field, value in (("legal_name", legal_name), ("trade_name", trade_name)):
        if len(value) > 200:
            errors.setdefault(field, []).append(_("at most 200 characters"))
    if not number:
        errors["licence_number"] = [_("enter the licence number")]
    elif len(number) > 40:
        errors["licence_number"] = [_("at most 40 characters")]
    elif Organiser.objects.filter(licence_number__iexact=number).exists():
        errors["licence_number"] = [_("another organiser has this licence number")]
    city = one_or_none(City.objects.filter(slug=head_office_city, country="PK"))
    if city is None:
        errors["head_office_city"] = [_("choose a city in Pakistan")]
    try:
        phone = normalise_phone(phone)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        validate_email(email)
    except DjangoValidationError:
        errors["email"] = [_("enter a valid email address")]
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            organiser = Organiser.objects.create(
                legal_name=legal_name,
                trade_name=trade_name,
                licence_number=number,
                head_office_city=city,
                phone=phone,
                email=email.strip(),
                status=LicenceStatus.APPLIED,
                status_changed_at=timezone.now(),
            )
            LicenceEvent.objects.create(
                organiser=organiser,
                to_status=LicenceStatus.APPLIED,
                reason=_("Application registered"),
                effective_date=timezone.localdate(),
                by=actor,
            )
            audit_record(
                actor=actor,
                action="zaireen.organiser.registered",
                obj=organiser,
                organiser=organiser,
                changes=diff({}, {"legal_name": legal_name, "licence_number": number}),
            )
    except IntegrityError:  # the same number registered at the same moment
        raise ValidationFailed(
            licence_number=_("another organiser has this licence number")
        ) from None
    return organiser


def organiser_status_change(
    *,
    actor: Any,
    organiser_uid: Any,
    to_status: str,
    reason: str,
    effective_date: datetime.date | None = None,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> Organiser:
    """Move an organiser's licence to `to_status`, with the ministry's reason.

    Licensing needs the validity period; suspension and revocation take effect at once, so
    the organiser can submit nothing new (see `organiser_assert_may_submit`).
    """
    assert_role(actor, Role.MINISTRY_OFFICER)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("give the reason for this decision")]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [_("at most %(n)d characters") % {"n": MAX_REASON}]
    if to_status not in LicenceStatus.values:
        errors["to_status"] = [_("unknown status")]
    today = timezone.localdate()
    if to_status == LicenceStatus.LICENSED:
        if valid_from is None:
            errors["valid_from"] = [_("a licence needs its first day")]
        if valid_until is None:
            errors["valid_until"] = [_("a licence needs its last day")]
        if valid_from and valid_until and valid_until < valid_from:
            errors["valid_until"] = [_("the last day is before the first")]
        elif valid_until and valid_until < today:
            errors["valid_until"] = [_("the licence would already have expired")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        organiser = one_or_none(Organiser.objects.select_for_update().filter(uid=organiser_uid))
        if organiser is None:
            raise NotFound(_("No such organiser."))
        if to_status not in TRANSITIONS[organiser.status]:
            raise ValidationFailed(
                to_status=_("a %(current)s organiser cannot become %(new)s")
                % {
                    "current": organiser.get_status_display().lower(),
                    "new": LicenceStatus(to_status).label.lower(),
                }
            )
        before = {
            "status": organiser.status,
            "valid_from": organiser.valid_from,
            "valid_until": organiser.valid_until,
        }
        organiser.status = to_status
        organiser.status_reason = reason
        organiser.status_changed_at = timezone.now()
        if to_status == LicenceStatus.LICENSED:
            organiser.valid_from, organiser.valid_until = valid_from, valid_until
        organiser.save()
        LicenceEvent.objects.create(
            organiser=organiser,
            from_status=before["status"],
            to_status=to_status,
            reason=reason,
            effective_date=effective_date or today,
            valid_from=organiser.valid_from,
            valid_until=organiser.valid_until,
            by=actor,
        )
        audit_record(
            actor=actor,
            action="zaireen.organiser.status.changed",
            obj=organiser,
            organiser=organiser,
            changes=diff(
                before,
                {
                    "status": organiser.status,
                    "valid_from": organiser.valid_from,
                    "valid_until": organiser.valid_until,
                },
            ),
            reason=reason,
        )
    return organiser


def organiser_expire_due(*, today: datetime.date | None = None) -> list[Organiser]:
    """Mark every licensed organiser whose licence ended before `today` as expired."""
    today = today or timezone.localdate()
    expired = []
    for uid in Organiser.objects.filter(
        status=LicenceStatus.LICENSED, valid_until__lt=today
    ).values_list("uid", flat=True):
        with transaction.atomic():
            organiser = Organiser.objects.select_for_update().get(uid=uid)
            if organiser.status != LicenceStatus.LICENSED or organiser.valid_until >= today:
                continue
            reason = _("The licence ended on %(day)s.") % {
                "day": date_format(organiser.valid_until)
            }
            organiser.status = LicenceStatus.EXPIRED
            organiser.status_reason = reason
            organiser.status_changed_at = timezone.now()
            organiser.save()
            LicenceEvent.objects.create(
                organiser=organiser,
                from_status=LicenceStatus.LICENSED,
                to_status=LicenceStatus.EXPIRED,
                reason=reason,
                effective_date=today,
                valid_from=organiser.valid_from,
                valid_until=organiser.valid_until,
            )
            audit_record(
                actor=None,
                action="zaireen.organiser.status.changed",
                obj=organiser,
                organiser=organiser,
                changes={"status": [LicenceStatus.LICENSED, LicenceStatus.EXPIRED]},
                reason=reason,
            )
            expired.append(organiser)
    return expired


def organiser_assert_may_submit(*, organiser: Organiser, until: datetime.date) -> None:
    """Raise `NotAllowed`, saying why, unless `organiser` may submit work lasting to `until`.

    Trips call this before submission: a suspended, revoked or expired organiser, or one
    whose licence ends before the trip returns, submits nothing new.
    """
    if organiser.status != LicenceStatus.LICENSED:
        raise NotAllowed(
            _("%(organiser)s is %(status)s: %(reason)s")
            % {
                "organiser": organiser,
                "status": organiser.get_status_display().lower(),
                "reason": organiser.status_reason or _("no reason recorded"),
            }
        )
    if not organiser.licence_valid_through(until):
        raise NotAllowed(
            _("The licence of %(organiser)s ends on %(end)s, before %(day)s.")
            % {
                "organiser": organiser,
                "end": date_format(organiser.valid_until),
                "day": date_format(until),
            }
        )
