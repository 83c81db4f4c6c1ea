"""The QR on an ID card: format, lookup and who learns what from it.

Format (decided in issue 7, relied on by later issues such as checkpoint scans):
the QR holds `{ZAIREEN_BASE_URL}/c/<signed>/` where `<signed>` is
`Signer(salt="zaireen.card").sign(card.token)`: the card's random 128-bit token, a colon and
an HMAC of it under SECRET_KEY. Nothing in it names or identifies a person. The short card
code printed beside the QR (8 characters, no look-alikes) finds the same card by hand.

Resolution: an unknown token, a revoked card and a bad signature give one and the same
answer ("not a valid card"). A valid card shows the emergency details to the leaders of its
trip, its organiser's admins and staff, and ministry and consular officers (the officials
after giving a reason, logged in the personal-data access log); anyone else learns only
which organiser the pilgrim travels with and its hotline.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import segno
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django_scopes import scopes_disabled

from zaireen.core.access import access_log_record
from zaireen.core.audit import mask
from zaireen.core.models import AccessReason
from zaireen.core.permissions import is_official
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role
from zaireen.trips.logistics import CODE_ALPHABET, CODE_LENGTH
from zaireen.trips.models import LEADING_ROLES, Member, PilgrimCard

SALT = "zaireen.card"
STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)


def card_signed(card: PilgrimCard) -> str:
    return signing.Signer(salt=SALT).sign(card.token)


def card_url(card: PilgrimCard) -> str:
    """The absolute URL the card's QR holds."""
    path = reverse("documents:card_resolve", kwargs={"signed": card_signed(card)})
    return f"{settings.ZAIREEN_BASE_URL}{path}"


def qr_data_uri(text: str) -> str:
    """A PNG QR code of `text` as a data URI (error correction M, 4 pixels a module)."""
    return segno.make(text, error="m", micro=False).png_data_uri(scale=4, border=4)


def _valid_cards():
    return PilgrimCard.objects.filter(revoked_at=None).select_related(
        "member__profile", "member__trip__organiser"
    )


def card_from_signed(signed: str) -> PilgrimCard | None:
    """The valid card a QR names, or None for a bad signature, an unknown or revoked card."""
    try:
        token = signing.Signer(salt=SALT).unsign(signed)
    except signing.BadSignature:
        return None
    with scopes_disabled():
        return one_or_none(_valid_cards().filter(token=token))


def card_from_code(code: str) -> PilgrimCard | None:
    """The valid card with the short code typed by hand (spaces, dashes and case ignored)."""
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    with scopes_disabled():
        return one_or_none(_valid_cards().filter(code=code))


class Access(enum.Enum):
    PUBLIC = "public"  # organiser and hotline only
    NEEDS_REASON = "needs_reason"  # an official who has not said why yet
    EMERGENCY = "emergency"  # the emergency details


@dataclass
class CardView:
    """What the actor may see of a valid card."""

    access: Access
    card: PilgrimCard
    leaders: list[Member] = field(default_factory=list)

    @property
    def member(self) -> Member:
        return self.card.member

    @property
    def organiser(self):
        return self.card.member.trip.organiser


def _leads(actor: Any, member: Member) -> bool:
    if not (actor.is_authenticated and actor.person_id):
        return False
    with scopes_disabled():
        return Member.objects.filter(
            trip_id=member.trip_id, person_id=actor.person_id, role__in=LEADING_ROLES
        ).exists()


def trip_leaders(trip_id: int) -> list[Member]:
    """The leaders and deputies of a trip, leaders first, with their profiles."""
    with scopes_disabled():
        leaders = list(
            Member.objects.filter(trip_id=trip_id, role__in=LEADING_ROLES)
            .select_related("profile")
            .order_by("profile__surname", "profile__given_names")
        )
    leaders.sort(key=lambda m: m.role != "leader")
    return leaders


def card_view_for(*, actor: Any, card: PilgrimCard, reason: str = "") -> CardView:
    """Decide what `actor` sees of `card`; an official's read with a valid reason is logged."""
    member = card.member
    staff = (
        actor.is_authenticated
        and actor.is_active
        and actor.role in STAFF
        and actor.organiser_id == member.organiser_id
    )
    if staff or _leads(actor, member):
        return CardView(Access.EMERGENCY, card, trip_leaders(member.trip_id))
    if is_official(actor):
        if reason not in AccessReason.values:
            return CardView(Access.NEEDS_REASON, card)
        access_log_record(
            actor=actor,
            what=f"emergency card {card.code} (trip {member.trip.code})",
            reason=reason,
            organiser=member.trip.organiser,
            query=mask(card.code),
        )
        return CardView(Access.EMERGENCY, card, trip_leaders(member.trip_id))
    return CardView(Access.PUBLIC, card)
