"""Pilgrims' optional photos: checked, shrunk, stored encrypted, shown through signed links.

A photo helps a leader or a lost-person centre recognise someone, so it must load on a weak
signal: every upload is re-encoded to a small JPEG (which also drops the EXIF block with the
place the photo was taken). Pages that may show a pilgrim (the organiser's own pages, the
leader's phone, an official's logged look-up) hand out a signed, expiring link; the photo view
trusts the signature, not the session, so the leader's phone and `<img>` tags work without
another permission check, and a leaked link dies within `LINK_MAX_AGE`.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Sequence
from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from PIL import Image, ImageOps, UnidentifiedImageError

from zaireen.core.audit import audit_record
from zaireen.core.errors import NotFound, ValidationFailed
from zaireen.core.permissions import tenant_scope
from zaireen.core.queries import one_or_none
from zaireen.pilgrims.models import PilgrimProfile, ProfilePhoto
from zaireen.pilgrims.services import pilgrim_assert_writer

MAX_UPLOAD = 8 * 1024 * 1024
# Pixels a decoder may unpack: a 12-megapixel phone photo passes, a decompression bomb doesn't.
MAX_PIXELS = 40_000_000
MIN_SIDE = 64
MAX_SIDE = 480
QUALITY = 80
ACCEPTED = {"JPEG", "PNG", "WEBP"}
LINK_SALT = "zaireen.pilgrim.photo"
LINK_MAX_AGE = 12 * 60 * 60


def photo_normalise(content: bytes) -> tuple[bytes, int, int]:
    """The upload as a small upright JPEG without metadata, with its size; refuses what is not
    a photo (by its content, never its name) with the reason."""
    if not content:
        raise ValidationFailed(photo=_("the file is empty"))
    photo_check_size(len(content))
    try:
        with Image.open(io.BytesIO(content)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in ACCEPTED:
                raise ValidationFailed(photo=_("send a JPEG, PNG or WebP photo"))
            if width * height > MAX_PIXELS:
                raise ValidationFailed(photo=_("the picture has too many pixels"))
            probe.verify()
        # WeasyPrint switches Pillow's global LOAD_TRUNCATED_IMAGES on when it is imported,
        # so a JPEG cut short would decode with a grey bottom: it must end with its EOI
        # marker. (PNG's `verify` reads every chunk to IEND and catches a cut PNG.)
        if kind == "JPEG" and not content.rstrip(b"\0\r\n ").endswith(b"\xff\xd9"):
            raise ValidationFailed(photo=_("the photo is damaged or incomplete"))
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise ValidationFailed(photo=_("this file is not a photo")) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        # Pillow reports truncated or corrupt files with any of these.
        raise ValidationFailed(photo=_("the photo is damaged or incomplete")) from None
    if min(upright.size) < MIN_SIDE:
        raise ValidationFailed(
            photo=_("the photo is too small: at least %(px)s pixels a side") % {"px": MIN_SIDE}
        )
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=QUALITY, optimize=True)
    return out.getvalue(), upright.width, upright.height


def photo_check_size(size: int) -> None:
    """Refuse an upload by its size before it is read into memory."""
    if size > MAX_UPLOAD:
        raise ValidationFailed(
            photo=_("the file is larger than %(mb)s MB") % {"mb": MAX_UPLOAD // (1024 * 1024)}
        )


def _profile_for_writer(actor: Any, uid: Any) -> PilgrimProfile:
    pilgrim_assert_writer(actor)
    with tenant_scope(actor):
        profile = one_or_none(PilgrimProfile.objects.select_for_update().filter(uid=uid))
    if profile is None:
        raise NotFound(_("No such pilgrim."))
    return profile


def photo_set(*, actor: Any, uid: Any, content: bytes) -> ProfilePhoto:
    """Give a pilgrim a photo, replacing any earlier one; the same photo twice changes nothing."""
    pilgrim_assert_writer(actor)
    jpeg, width, height = photo_normalise(content)
    digest = hashlib.sha256(jpeg).hexdigest()
    with transaction.atomic():
        profile = _profile_for_writer(actor, uid)
        with scopes_disabled():
            photo = one_or_none(ProfilePhoto.objects.filter(profile=profile))
            if photo is not None and photo.sha256 == digest:
                return photo
            photo = photo or ProfilePhoto(profile=profile, organiser_id=profile.organiser_id)
            photo.content = base64.b64encode(jpeg).decode()
            photo.sha256, photo.width, photo.height = digest, width, height
            photo.uploaded_by = actor
            photo.save()
        audit_record(
            actor=actor,
            action="zaireen.pilgrim.photo_set",
            obj=profile,
            organiser=actor.organiser,
            changes={"photo": ["", f"{width}×{height}"]},
        )
    return photo


def photo_remove(*, actor: Any, uid: Any) -> bool:
    """Remove a pilgrim's photo; False when there was none."""
    with transaction.atomic():
        profile = _profile_for_writer(actor, uid)
        with scopes_disabled():
            deleted, _by_model = ProfilePhoto.objects.filter(profile=profile).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="zaireen.pilgrim.photo_removed",
                obj=profile,
                organiser=actor.organiser,
                changes={"photo": ["…", ""]},
            )
    return bool(deleted)


def _link(profile_id: int, sha256: str) -> str:
    # The digest makes a new photo a new URL, so phones never show a cached old one.
    token = signing.dumps([profile_id, sha256[:12]], salt=LINK_SALT, compress=True)
    return reverse("pilgrims:photo", kwargs={"token": token})


def photo_urls(profile_ids: Sequence[int]) -> dict[int, str]:
    """A signed link to each profile's photo, by profile id (missing: no photo); one query.

    Only for pages that have already decided the viewer may see these pilgrims."""
    if not profile_ids:
        return {}
    with scopes_disabled():
        rows = ProfilePhoto.objects.filter(profile_id__in=profile_ids).values_list(
            "profile_id", "sha256"
        )
        return {profile_id: _link(profile_id, sha256) for profile_id, sha256 in rows}


def photo_url(profile: PilgrimProfile) -> str:
    """A signed link to the profile's photo, or "" when it has none."""
    return photo_urls([profile.pk]).get(profile.pk, "")


def photo_bytes(profile: PilgrimProfile) -> bytes | None:
    """The stored JPEG (for PDFs built on the server), or None."""
    with scopes_disabled():
        photo = one_or_none(ProfilePhoto.objects.filter(profile=profile))
    return base64.b64decode(photo.content) if photo else None


def photo_data_uris(profile_ids: Sequence[int]) -> dict[int, str]:
    """Each profile's photo inline as a data: URI, by profile id, in one query: PDFs are built
    on the server and WeasyPrint fetches nothing over HTTP."""
    if not profile_ids:
        return {}
    with scopes_disabled():
        rows = ProfilePhoto.objects.filter(profile_id__in=profile_ids).values_list(
            "profile_id", "content"
        )
        # The stored text is already base64 of the JPEG once decrypted.
        return {profile_id: "data:image/jpeg;base64," + content for profile_id, content in rows}


def photo_for_link(token: str) -> tuple[bytes, str] | None:
    """The JPEG and its digest behind a signed link, or None when the link is bad, expired
    or points at a photo that has been replaced or removed."""
    try:
        profile_id, digest = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    with scopes_disabled():
        photo = one_or_none(ProfilePhoto.objects.filter(profile_id=profile_id))
    if photo is None or not photo.sha256.startswith(str(digest)):
        return None
    return base64.b64decode(photo.content), photo.sha256
