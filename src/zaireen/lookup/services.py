"""Writes of the look-up app: keeping each profile's search row (`ProfileNameKey`) current.

The rows are derived data: `name_keys_refresh` recomputes them from the profiles and may run
any number of times. `pilgrims.services` calls it inside the transaction that registers or
edits a profile; the periodic sweep (`tasks.name_keys_sweep`) and the command
`zaireen name_keys_rebuild` catch anything written another way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import F, Q
from django_scopes import scopes_disabled

from zaireen.lookup.models import KEY_VERSION, NameWord, ProfileNameKey
from zaireen.lookup.names import city_key, name_key
from zaireen.pilgrims.models import PilgrimProfile

REBUILD_BATCH = 2000
_UPDATED = ("organiser", "key", "birth_year", "sex", "city_key", "phone", "version", "updated_at")


def name_key_row(
    *,
    profile_id: int,
    organiser_id: int,
    surname: str,
    given_names: str,
    birth_year: int,
    sex: str,
    home_city: str,
    phone: str,
) -> ProfileNameKey:
    """The search row of one profile (unsaved); the benchmark builds rows with it too."""
    return ProfileNameKey(
        profile_id=profile_id,
        organiser_id=organiser_id,
        key=name_key(given_names, surname)[:200],
        birth_year=birth_year,
        sex=sex,
        city_key=city_key(home_city)[:100],
        phone=phone,
        version=KEY_VERSION,
    )


def name_keys_refresh(*, profile_ids: Iterable[int]) -> int:
    """(Re)compute the search rows of these profiles; returns how many were written.

    Reads only the clear columns of the profiles (never the encrypted ones). Safe inside the
    caller's transaction; a profile that no longer exists simply has no row (CASCADE).
    """
    ids = sorted(set(profile_ids))
    if not ids:
        return 0
    with scopes_disabled():
        profiles = PilgrimProfile.objects.filter(pk__in=ids).values_list(
            "pk", "organiser_id", "surname", "given_names", "birth_date", "sex", "home_city",
            "phone",
        )  # fmt: skip
        rows = [
            name_key_row(
                profile_id=pk,
                organiser_id=organiser_id,
                surname=surname,
                given_names=given_names,
                birth_year=birth_date.year,
                sex=sex,
                home_city=home_city,
                phone=phone,
            )
            for pk, organiser_id, surname, given_names, birth_date, sex, home_city, phone in (
                profiles
            )
        ]
        words = sorted({word for row in rows for word in row.key.split()})
        with transaction.atomic():
            ProfileNameKey.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["profile"], update_fields=_UPDATED
            )
            NameWord.objects.bulk_create([NameWord(word=w) for w in words], ignore_conflicts=True)
    return len(rows)


def _stale_profile_ids() -> list[int]:
    """Profiles without a current row: new, edited since, or keyed by an older algorithm."""
    with scopes_disabled():
        return list(
            PilgrimProfile.objects.filter(
                Q(name_key__isnull=True)
                | Q(name_key__version__lt=KEY_VERSION)
                | Q(updated_at__gt=F("name_key__updated_at"))
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def name_keys_rebuild(
    *, stale_only: bool = False, progress: Callable[..., None] | None = None
) -> dict[str, int]:
    """Recompute the rows of every profile (or only the stale ones), in batches."""
    if stale_only:
        ids = _stale_profile_ids()
    else:
        with scopes_disabled():
            ids = list(PilgrimProfile.objects.order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), REBUILD_BATCH):
        written += name_keys_refresh(profile_ids=ids[start : start + REBUILD_BATCH])
        if progress:
            progress(min(start + REBUILD_BATCH, len(ids)), total=len(ids))
    return {"profiles": len(ids), "written": written, "version": KEY_VERSION}
