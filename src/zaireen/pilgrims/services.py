"""Writes of the pilgrims app: registering and editing an organiser's pilgrims.

Registering someone links the organiser's new profile to the global `Person` that the
identifiers' keyed hashes point at (creating it if new); the organiser learns nothing about
any other organiser's profile of that person. A CNIC of one person with the passport of
another is refused and flagged to the ministry.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.core import crypto
from zaireen.core.audit import audit_record, diff
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role
from zaireen.lookup.services import name_keys_refresh
from zaireen.pilgrims.identity import validate_cnic, validate_passport_number
from zaireen.pilgrims.models import (
    IdentifierKind,
    IdentityConflict,
    Person,
    PersonIdentifier,
    PilgrimProfile,
)
from zaireen.pilgrims.validation import Checked, PilgrimInput, check_pilgrim

WRITERS = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
PROFILE_FIELDS = tuple(f for f in PilgrimInput.__dataclass_fields__ if f != "mrz")
AUDITED_FIELDS = tuple(f for f in PROFILE_FIELDS if f != "medical_notes")


def pilgrim_assert_writer(actor: Any) -> None:
    """Only an organiser's admins and staff change its pilgrims (and their photos)."""
    if not (actor.is_authenticated and actor.role in WRITERS and actor.organiser_id):
        raise NotAllowed(_("Only organiser admins and staff register pilgrims."))


def person_ids_for(identity_key: str) -> set[int]:
    """The people an identifier points at, under any key version (normally one or none)."""
    condition = Q()
    for version, digest in crypto.identifier_digests(identity_key):
        condition |= Q(key_version=version, digest=digest)
    return set(PersonIdentifier.objects.filter(condition).values_list("person_id", flat=True))


def _attach(person: Person, kind: str, identity_key: str) -> None:
    if person_ids_for(identity_key):
        return
    version, digest = crypto.identifier_digest(identity_key)
    PersonIdentifier.objects.create(person=person, kind=kind, digest=digest, key_version=version)


def _flag_conflict(*, actor: Any, cnic_person: int, passport_person: int) -> None:
    """Record the conflict in its own transaction: the registration fails, the flag stays."""
    with transaction.atomic():
        IdentityConflict.objects.create(
            organiser_id=actor.organiser_id,
            actor=actor,
            cnic_person_id=cnic_person,
            passport_person_id=passport_person,
        )


def _resolve_person(checked: Checked, *, actor: Any) -> Person:
    """The person both identifiers point at, created if neither is known.

    Runs inside the caller's transaction; an identifier created at the same moment by another
    organiser makes the unique constraint fail, and the caller retries once.
    """
    by_cnic = person_ids_for(checked.cnic_key)
    by_passport = person_ids_for(checked.passport_key)
    if by_cnic and by_passport and by_cnic != by_passport:
        raise _Conflict(next(iter(by_cnic)), next(iter(by_passport)))
    known = by_cnic or by_passport
    person = Person.objects.get(pk=next(iter(known))) if known else Person.objects.create()
    _attach(person, IdentifierKind.CNIC, checked.cnic_key)
    _attach(person, IdentifierKind.PASSPORT, checked.passport_key)
    return person


class _Conflict(Exception):
    def __init__(self, cnic_person: int, passport_person: int) -> None:
        self.cnic_person, self.passport_person = cnic_person, passport_person


def _save(*, actor: Any, checked: Checked, profile: PilgrimProfile | None) -> PilgrimProfile:
    values = {name: getattr(checked.data, name) for name in PROFILE_FIELDS}
    for attempt in range(2):
        try:
            with transaction.atomic():
                person = _resolve_person(checked, actor=actor)
                with scopes_disabled():
                    duplicate = one_or_none(
                        PilgrimProfile.objects.filter(
                            organiser_id=actor.organiser_id, person=person
                        ).exclude(pk=profile.pk if profile else None)
                    )
                if duplicate is not None:
                    raise ValidationFailed(
                        cnic=_("already registered as %(name)s") % {"name": duplicate.full_name}
                    )
                before = (
                    {name: getattr(profile, name) for name in AUDITED_FIELDS} if profile else {}
                )
                old_notes = profile.medical_notes if profile else ""
                if profile is None:
                    profile = PilgrimProfile(
                        organiser_id=actor.organiser_id, person=person, created_by=actor
                    )
                else:
                    profile.person = person
                for name, value in values.items():
                    setattr(profile, name, value)
                profile.save()
                name_keys_refresh(profile_ids=[profile.pk])
                changes = diff(before, {name: values[name] for name in AUDITED_FIELDS})
                if old_notes != values["medical_notes"]:
                    changes["medical_notes"] = ["•", "•"]  # changed; never shown
                audit_record(
                    actor=actor,
                    action="zaireen.pilgrim.updated" if before else "zaireen.pilgrim.registered",
                    obj=profile,
                    organiser=actor.organiser,
                    changes=changes,
                )
                return profile
        except _Conflict as conflict:
            _flag_conflict(actor=actor, cnic_person=conflict.cnic_person,
                           passport_person=conflict.passport_person)  # fmt: skip
            raise ValidationFailed(
                cnic=_(
                    "this CNIC and this passport belong to two different people on record; "
                    "check both numbers (the ministry has been told)"
                ),
                passport_number=_("belongs to another person than the CNIC"),
            ) from None
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def pilgrim_register(
    *, actor: Any, data: PilgrimInput, today: datetime.date | None = None
) -> tuple[PilgrimProfile, dict[str, list[str]]]:
    """Register a pilgrim for the actor's organiser; returns the profile and the warnings."""
    pilgrim_assert_writer(actor)
    checked = check_pilgrim(data, today=today or timezone.localdate(), fill=False)
    checked.raise_if_invalid()
    return _save(actor=actor, checked=checked, profile=None), checked.warnings


def pilgrim_update(
    *, actor: Any, uid: Any, data: PilgrimInput, today: datetime.date | None = None
) -> tuple[PilgrimProfile, dict[str, list[str]]]:
    pilgrim_assert_writer(actor)
    with scopes_disabled():
        profile = one_or_none(
            PilgrimProfile.objects.filter(uid=uid, organiser_id=actor.organiser_id)
        )
    if profile is None:
        raise NotFound(_("No such pilgrim."))
    checked = check_pilgrim(data, today=today or timezone.localdate(), fill=False)
    checked.raise_if_invalid()
    return _save(actor=actor, checked=checked, profile=profile), checked.warnings


def profile_as_input(profile: PilgrimProfile) -> dict[str, Any]:
    """A profile's values as form initial data."""
    return {name: getattr(profile, name) for name in PROFILE_FIELDS}


REHASH_BATCH = 500


def identifiers_rehash(*, progress=None) -> dict[str, int]:
    """Give every person's identifiers a hash under the current key, then drop older hashes.

    Reads the clear identifiers from the (encrypted) profiles. Until it finishes, look-ups try
    every configured key, so nothing is missed meanwhile. Safe to run again.
    """
    version = crypto.current_key_version()
    with scopes_disabled():
        ids = list(PilgrimProfile.objects.order_by("pk").values_list("pk", flat=True))
        added = 0
        for start in range(0, len(ids), REHASH_BATCH):
            with transaction.atomic():
                for profile in PilgrimProfile.objects.filter(
                    pk__in=ids[start : start + REHASH_BATCH]
                ):
                    passport = validate_passport_number(
                        profile.passport_number, profile.passport_issuing_state
                    )
                    keys = (
                        (IdentifierKind.CNIC, validate_cnic(profile.cnic).identity_key),
                        (IdentifierKind.PASSPORT, passport.identity_key),
                    )
                    for kind, key in keys:
                        _version, digest = crypto.identifier_digest(key)
                        _row, created = PersonIdentifier.objects.get_or_create(
                            key_version=version,
                            digest=digest,
                            defaults={"person_id": profile.person_id, "kind": kind},
                        )
                        added += created
            if progress:
                progress(min(start + REHASH_BATCH, len(ids)), total=len(ids))
        removed = PersonIdentifier.objects.exclude(key_version=version).delete()[0]
    return {"profiles": len(ids), "added": added, "removed": removed, "key_version": version}


# --- Many people at once (roster imports) -------------------------------------------------
# The same rules as `_resolve_person` and `_flag_conflict`, in a few queries for a whole chunk
# of rows instead of several per person; `zaireen.rosters` calls them inside its own
# transactions.


def person_ids_for_many(identity_keys: Iterable[str]) -> dict[str, set[int]]:
    """`person_ids_for` of many identifiers in one query: each key → the people it points at
    (keys that point at nobody are left out)."""
    by_digest: dict[tuple[int, str], str] = {}
    for key in set(identity_keys):
        if key:
            for version, digest in crypto.identifier_digests(key):
                by_digest[(version, digest)] = key
    found: dict[str, set[int]] = {}
    if not by_digest:
        return found
    # Both columns of the unique index, so that the look-up uses it.
    rows = PersonIdentifier.objects.filter(
        key_version__in={version for version, _digest in by_digest},
        digest__in={digest for _version, digest in by_digest},
    ).values_list("key_version", "digest", "person_id")
    for version, digest, person_id in rows:
        key = by_digest.get((version, digest))
        if key is not None:
            found.setdefault(key, set()).add(person_id)
    return found


@dataclass(frozen=True)
class PersonResolution:
    """What `persons_resolve_many` did for one (CNIC key, passport key) pair."""

    person_id: int | None
    created: bool = False
    identifier_ids: tuple[int, ...] = ()
    conflict: tuple[int, int] | None = None  # (the CNIC's person, the passport's person)


def persons_resolve_many(
    pairs: Sequence[tuple[str, str]], *, known: dict[str, set[int]] | None = None
) -> list[PersonResolution]:
    """For each (CNIC key, passport key): the person both point at, created if neither is
    known, with the identifier it lacks attached, as `_resolve_person` does for one.

    Runs inside the caller's transaction. The pairs must not share an identifier or a person
    (the caller sorts duplicates out first). A pair whose identifiers point at two different
    people is not resolved: its `conflict` names them, for `identity_conflicts_flag`. An
    identifier created meanwhile by someone else makes the unique constraint fail
    (`IntegrityError`); the caller rolls back and tries again. `known` is what
    `person_ids_for_many` answered for these keys in the same transaction, if the caller
    asked already.
    """
    found = known if known is not None else person_ids_for_many(k for pair in pairs for k in pair)
    people: list[int | None] = []
    results: list[PersonResolution | None] = []
    for cnic_key, passport_key in pairs:
        by_cnic, by_passport = found.get(cnic_key, set()), found.get(passport_key, set())
        if by_cnic and by_passport and by_cnic != by_passport:
            people.append(None)
            results.append(PersonResolution(None, conflict=(min(by_cnic), min(by_passport))))
            continue
        known = by_cnic or by_passport
        people.append(min(known) if known else None)
        results.append(None)
    new = [i for i, r in enumerate(results) if r is None and people[i] is None]
    created = Person.objects.bulk_create([Person() for _i in new])
    for i, person in zip(new, created, strict=True):
        people[i] = person.pk
    version = crypto.current_key_version()
    identifiers: list[tuple[int, PersonIdentifier]] = []
    for i, (cnic_key, passport_key) in enumerate(pairs):
        if results[i] is not None:
            continue
        for kind, key in ((IdentifierKind.CNIC, cnic_key), (IdentifierKind.PASSPORT, passport_key)):
            if not found.get(key):
                identifiers.append(
                    (i, PersonIdentifier(person_id=people[i], kind=kind, key_version=version,
                                         digest=crypto.identifier_digest(key, version)[1]))
                )  # fmt: skip
    PersonIdentifier.objects.bulk_create(row for _i, row in identifiers)
    created_ids: dict[int, list[int]] = {}
    for i, row in identifiers:
        created_ids.setdefault(i, []).append(row.pk)
    new_set = set(new)
    return [
        result
        or PersonResolution(
            people[i], created=i in new_set, identifier_ids=tuple(created_ids.get(i, ()))
        )
        for i, result in enumerate(results)
    ]


def identity_conflicts_flag(*, actor: Any, conflicts: Iterable[tuple[int, int]]) -> int:
    """Flag (CNIC's person, passport's person) pairs to the ministry, as a refused registration
    does; a pair already flagged for the actor's organiser and not yet resolved is not flagged
    again. Runs inside the caller's transaction; returns how many were flagged."""
    wanted = set(conflicts)
    if not wanted:
        return 0
    open_ = set(
        IdentityConflict.objects.filter(
            organiser_id=actor.organiser_id,
            resolved_at=None,
            cnic_person_id__in={c for c, _p in wanted},
        ).values_list("cnic_person_id", "passport_person_id")
    )
    new = sorted(wanted - open_)
    IdentityConflict.objects.bulk_create(
        IdentityConflict(organiser_id=actor.organiser_id, actor=actor, cnic_person_id=c,
                         passport_person_id=p)
        for c, p in new
    )  # fmt: skip
    return len(new)
