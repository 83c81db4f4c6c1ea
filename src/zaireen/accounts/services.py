"""Writes of the accounts app: phone codes, invitations of staff, API tokens."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from zaireen.accounts.models import ApiToken, OneTimeCode, User
from zaireen.core import ratelimit
from zaireen.core.audit import audit_record, diff
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.permissions import is_ministry
from zaireen.core.phones import normalise_phone
from zaireen.core.queries import one_or_none
from zaireen.core.roles import PHONE_LOGIN_ROLES, Role
from zaireen.core.sms import send_sms

CODE_DIGITS = 6
# Per phone number and per client address, in a 15-minute window.
CODES_PER_PHONE = 3
CODES_PER_ADDRESS = 10
VERIFY_PER_ADDRESS = 30
WINDOW = 15 * 60


def _code_digest(user_id: int, code: str) -> str:
    key = force_bytes(settings.SECRET_KEY)
    return hmac.new(key, f"otp:{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def otp_request(*, phone: str, client: str) -> str:
    """Send a one-time code to `phone` if it belongs to a leader or pilgrim; return the
    normalised number.

    The answer is the same whether or not the number is known, so the form cannot be used to
    find out who has an account. Requests are limited per number and per client address.
    """
    number = normalise_phone(phone)
    ratelimit.check(
        scope="otp-request-ip", key=client, limit=CODES_PER_ADDRESS, window_seconds=WINDOW
    )
    ratelimit.check(scope="otp-request", key=number, limit=CODES_PER_PHONE, window_seconds=WINDOW)
    user = one_or_none(
        User.objects.filter(phone=number, is_active=True, role__in=PHONE_LOGIN_ROLES)
    )
    if user is None:
        return number
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic():
        now = timezone.now()
        OneTimeCode.objects.filter(user=user, used_at=None).update(used_at=now)
        OneTimeCode.objects.create(
            user=user,
            digest=_code_digest(user.pk, code),
            expires_at=now + datetime.timedelta(seconds=settings.ZAIREEN_OTP_TTL_SECONDS),
        )
        text = _("Your Zaireen code is %(code)s. It expires in %(minutes)d minutes.") % {
            "code": code,
            "minutes": settings.ZAIREEN_OTP_TTL_SECONDS // 60,
        }
        transaction.on_commit(lambda: send_sms(number, text))
    return number


def otp_verify(*, phone: str, code: str, client: str) -> User:
    """The user whose latest code for `phone` is `code`; the code is then spent.

    A code expires, works once, and is burnt after `ZAIREEN_OTP_MAX_ATTEMPTS` wrong tries.
    Every failure gives the same message.
    """
    wrong = ValidationFailed(code=_("The code is wrong or has expired. Ask for a new one."))
    ratelimit.check(
        scope="otp-verify-ip", key=client, limit=VERIFY_PER_ADDRESS, window_seconds=WINDOW
    )
    number = normalise_phone(phone)
    digits = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(digits) != CODE_DIGITS:
        raise ValidationFailed(code=_("The code has %(n)d digits.") % {"n": CODE_DIGITS})
    signed_in = None
    # No exception inside the transaction: a wrong attempt must be counted, not rolled back.
    with transaction.atomic():
        user = one_or_none(
            User.objects.filter(phone=number, is_active=True, role__in=PHONE_LOGIN_ROLES)
        )
        otp = (
            OneTimeCode.objects.select_for_update()
            .filter(user=user, used_at=None, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
            if user
            else None
        )
        if otp is not None:
            otp.attempts += 1
            right = hmac.compare_digest(otp.digest, _code_digest(user.pk, digits))
            if right or otp.attempts >= settings.ZAIREEN_OTP_MAX_ATTEMPTS:
                otp.used_at = timezone.now()
            otp.save(update_fields=["attempts", "used_at"])
            if right:
                audit_record(actor=user, action="zaireen.account.login.phone", obj=user,
                             organiser=user.organiser)  # fmt: skip
                signed_in = user
    if signed_in is None:
        raise wrong
    return signed_in


# --- Staff and invitations -----------------------------------------------------------------

INVITABLE_BY_ADMIN = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF, Role.GROUP_LEADER)


@dataclass(frozen=True)
class Invitation:
    user: User
    url: str  # empty for phone-login roles: they need no password


def _invitation_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.ZAIREEN_BASE_URL + reverse("accounts:invitation", args=[uid, token])


def staff_invite(
    *,
    actor: Any,
    organiser: Any,
    role: str,
    first_name: str,
    last_name: str,
    username: str = "",
    email: str = "",
    phone: str = "",
) -> Invitation:
    """Add a person to `organiser`'s staff. Admins add staff, admins and leaders of their own
    organiser; the ministry adds an organiser's first admin.

    Password roles get an invitation link (by email, and shown once to the inviter); group
    leaders sign in with their phone and need none.
    """
    own_admin = actor.role == Role.ORGANISER_ADMIN and actor.organiser_id == organiser.pk
    if not (own_admin or (is_ministry(actor) and role == Role.ORGANISER_ADMIN)):
        raise NotAllowed(_("You may not add staff to this organiser."))
    if role not in INVITABLE_BY_ADMIN:
        raise ValidationFailed(role=_("choose admin, staff or group leader"))
    errors: dict[str, list[str]] = {}
    first_name, last_name = first_name.strip(), last_name.strip()
    if not first_name:
        errors.setdefault("first_name", []).append(_("enter a first name"))
    if len(first_name) > 150 or len(last_name) > 150:
        errors.setdefault("first_name", []).append(_("at most 150 characters"))
    number = ""
    if role == Role.GROUP_LEADER:
        try:
            number = normalise_phone(phone)
        except ValidationFailed as exc:
            errors.update(exc.errors)
        if number and User.objects.filter(phone=number).exists():
            errors.setdefault("phone", []).append(_("this number already has an account"))
        username = username.strip() or f"leader-{number.lstrip('+')}"
    else:
        username = username.strip()
        if not username:
            errors.setdefault("username", []).append(_("enter a username"))
        try:
            validate_email(email)
        except DjangoValidationError:
            errors.setdefault("email", []).append(_("enter a valid email address"))
    if len(username) > 150:
        errors.setdefault("username", []).append(_("at most 150 characters"))
    elif username and User.objects.filter(username__iexact=username).exists():
        errors.setdefault("username", []).append(_("this username is taken"))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name.strip(),
            email=email.strip(),
            phone=number,
            role=role,
            organiser=organiser,
        )
        user.set_unusable_password()
        user.save()
        audit_record(
            actor=actor,
            action="zaireen.organiser.staff.invited",
            obj=user,
            organiser=organiser,
            changes=diff({}, {"role": role, "username": username, "phone": number}),
        )
        url = "" if role == Role.GROUP_LEADER else _invitation_url(user)
        if url:
            subject = _("You are invited to Zaireen")
            body = _(
                "%(inviter)s added you to %(organiser)s on Zaireen. "
                "Choose your password here: %(url)s"
            ) % {"inviter": actor, "organiser": organiser, "url": url}
            transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))
    return Invitation(user=user, url=url)


def invitation_user(*, uidb64: str, token: str) -> User:
    """The invited user whose link this is, while the link is still good."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        raise NotFound(_("This invitation link is not valid.")) from None
    if user.has_usable_password() or not default_token_generator.check_token(user, token):
        raise NotFound(_("This invitation link has been used or has expired."))
    return user


def invitation_accept(*, uidb64: str, token: str, password: str, password_again: str) -> User:
    user = invitation_user(uidb64=uidb64, token=token)
    if password != password_again:
        raise ValidationFailed(password_again=_("the two passwords differ"))
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(password=list(exc.messages)) from None
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action="zaireen.account.invitation.accepted", obj=user,
                     organiser=user.organiser)  # fmt: skip
    return user


def staff_remove(*, actor: Any, user_id: int) -> User:
    """Deactivate a member of the actor's organiser (kept for the audit trail, never deleted)."""
    if actor.role != Role.ORGANISER_ADMIN:
        raise NotAllowed(_("Only an organiser admin removes staff."))
    with transaction.atomic():
        user = one_or_none(
            User.objects.select_for_update().filter(
                pk=user_id, organiser_id=actor.organiser_id, is_active=True
            )
        )
        if user is None:
            raise NotFound(_("No such member of your staff."))
        if user.pk == actor.pk:
            raise ValidationFailed(user=_("you cannot remove yourself"))
        user.is_active = False
        user.save(update_fields=["is_active"])
        user.api_tokens.filter(revoked_at=None).update(revoked_at=timezone.now())
        audit_record(
            actor=actor,
            action="zaireen.organiser.staff.removed",
            obj=user,
            organiser=actor.organiser,
            changes={"is_active": [True, False]},
        )
    return user


# --- API tokens ------------------------------------------------------------------------------

TOKEN_PREFIX = "zrn_"  # noqa: S105 (a public marker, not a secret)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for `actor`; the clear token is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(name=_("give the token a name, e.g. the program that uses it"))
    if len(name) > 80:
        raise ValidationFailed(name=_("at most 80 characters"))
    if actor.api_tokens.filter(revoked_at=None).count() >= 20:
        raise ValidationFailed(name=_("revoke an old token first: at most 20 are active"))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=actor, name=name, prefix=token[:12], digest=token_digest(token)
        )
        audit_record(actor=actor, action="zaireen.account.token.created", obj=record,
                     organiser=actor.organiser)  # fmt: skip
    return record, token


def api_token_revoke(*, actor: Any, token_id: int) -> ApiToken:
    with transaction.atomic():
        record = one_or_none(ApiToken.objects.filter(pk=token_id, user=actor, revoked_at=None))
        if record is None:
            raise NotFound(_("No such active token."))
        record.revoked_at = timezone.now()
        record.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="zaireen.account.token.revoked", obj=record,
                     organiser=actor.organiser)  # fmt: skip
    return record


def api_token_user(token: str) -> User | None:
    """The active user a presented token belongs to, marking the token used."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    record = one_or_none(
        ApiToken.objects.select_related("user").filter(
            digest=token_digest(token), revoked_at=None, user__is_active=True
        )
    )
    if record is None:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


BIND_ATTEMPTS_PER_HOUR = 5


def account_bind_cnic(*, actor: Any, cnic: str) -> User:
    """Bind a pilgrim's or leader's login to their Person by the CNIC they type, once.

    Limited per account: the answer says whether a CNIC is registered, so it must not become
    a way to test numbers.
    """
    from zaireen.pilgrims.identity import validate_cnic
    from zaireen.pilgrims.services import person_ids_for

    if actor.role not in PHONE_LOGIN_ROLES:
        raise NotAllowed(_("Only pilgrims and group leaders bind a CNIC to their login."))
    if actor.person_id:
        raise ValidationFailed(cnic=_("your login is already linked to your CNIC"))
    ratelimit.check(scope="bind-cnic", key=str(actor.pk), limit=BIND_ATTEMPTS_PER_HOUR,
                    window_seconds=3600)  # fmt: skip
    result = validate_cnic(cnic)
    if not result.valid:
        raise ValidationFailed(cnic=[issue.render(_) for issue in result.errors])
    people = person_ids_for(result.identity_key)
    if not people:
        raise ValidationFailed(
            cnic=_("no organiser has registered this CNIC yet; ask your organiser to check it")
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        user.person_id = next(iter(people))
        user.save(update_fields=["person"])
        audit_record(actor=actor, action="zaireen.account.person.bound", obj=user,
                     organiser=user.organiser)  # fmt: skip
    return user
