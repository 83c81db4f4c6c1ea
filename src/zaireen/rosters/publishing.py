"""The commit's two steps: staging people chunk by chunk, then publishing in one transaction.

Staging (`stage_chunk`, inside the caller's transaction, one per chunk) resolves each valid
row's `Person` through `pilgrims.services.persons_resolve_many`, the registration's own rules
for many people at once, and writes a `StagedPerson` for the row in the same transaction: a
chunk is staged whole or not at all, so a run that dies loses at most the chunk in hand, and
the next run carries on with the rows that have no `StagedPerson` yet. People and identifiers
carry nothing an organiser can see.

Publishing (`publish`, one transaction) is what makes the import visible: it copies every
staged row into `PilgrimProfile`, `Member` and the audit trail with one `INSERT … SELECT`
each, so the write lock is held for seconds even for 100,000 rows. That is why a valid row
already holds its profile's values (identifiers encrypted as the profile keeps them) and its
uids: nothing is computed per row in the final transaction.

`unstage` undoes staging when an import is discarded.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.core.audit import audit_record
from zaireen.core.errors import ValidationFailed
from zaireen.core.models import AuditEntry
from zaireen.pilgrims.identity import validate_cnic, validate_passport_number
from zaireen.pilgrims.models import Person, PersonIdentifier, PilgrimProfile
from zaireen.pilgrims.services import (
    PROFILE_FIELDS,
    identity_conflicts_flag,
    person_ids_for_many,
    persons_resolve_many,
)
from zaireen.rosters.models import ImportRow, RosterImport, RowState, StagedPerson
from zaireen.trips.models import Member, Trip, TripStatus

BATCH = 2000  # ids per query: well within SQLite's limit on query parameters
PLAIN_FIELDS = (
    models.CharField, models.TextField, models.BooleanField, models.PositiveIntegerField,
    models.IntegerField, models.BigIntegerField, models.PositiveSmallIntegerField,
)  # fmt: skip


# The profile's fields an import row holds (all of them: a test keeps it so).
COPIED = tuple(
    name for name in PROFILE_FIELDS if name in {f.name for f in ImportRow._meta.concrete_fields}
)


# What staging reads of a row: its identifiers.
STAGING_FIELDS = ("pk", "row_number", "cnic", "passport_number", "passport_issuing_state")


@dataclass(frozen=True)
class Staging:
    pk: int
    row_number: int
    cnic: str
    passport_number: str
    passport_issuing_state: str


def rows_to_stage(imp: RosterImport, limit: int) -> list[Staging]:
    """The next valid rows of `imp` that are not staged yet, in file order (from where the
    last chunk ended, so that each chunk reads only its own rows)."""
    return [
        Staging(*values)
        for values in ImportRow.objects.filter(
            roster_import=imp,
            state=RowState.VALID,
            row_number__gt=imp.staged_through,
            staged__isnull=True,
        )
        .order_by("row_number")
        .values_list(*STAGING_FIELDS)[:limit]
    ]


def _keys(row: Staging) -> tuple[str, str]:
    cnic = validate_cnic(row.cnic).identity_key
    passport = validate_passport_number(row.passport_number, row.passport_issuing_state)
    return cnic, passport.identity_key


def _error(field: str, reason: str) -> dict:
    return {"column": "", "header": "", "field": field, "reason": reason}


def mark_invalid(rows: list, reasons: dict[int, list[dict]]) -> None:
    """Turn valid rows into rows with errors (found at commit) and forget their values."""
    blank = {f.name: f.get_default() for f in ImportRow._meta.concrete_fields if f.name in COPIED}
    rows = list(ImportRow.objects.filter(pk__in=[row.pk for row in rows]))
    for row in rows:
        row.state = RowState.INVALID
        row.errors = [*row.errors, *reasons[row.pk]]
        for name, value in blank.items():
            setattr(row, name, value)
    ImportRow.objects.bulk_update(rows, ["state", "errors", *blank], batch_size=200)


def stage_chunk(imp: RosterImport, rows: list[Staging], *, actor: Any) -> int:
    """Resolve the people of `rows` (valid, not yet staged) and stage them; inside the
    caller's transaction. Rows that can no longer be imported (their person became one of the
    organiser's pilgrims meanwhile, or the same person as another row, or their identifiers
    now name two people) become rows with errors. Returns how many rows were staged."""
    keys = {row.pk: _keys(row) for row in rows}
    found = person_ids_for_many(k for pair in keys.values() for k in pair)
    problems: dict[int, list[dict]] = {}
    conflicts = []
    person_of: dict[int, int] = {}
    for row in rows:
        by_cnic, by_passport = (found.get(k, set()) for k in keys[row.pk])
        if by_cnic and by_passport and by_cnic != by_passport:
            conflicts.append((min(by_cnic), min(by_passport)))
            problems[row.pk] = [_error("cnic", _(
                "this CNIC and this passport belong to two different people on record; check "
                "both numbers (the ministry has been told)"))]  # fmt: skip
        elif by_cnic or by_passport:
            person_of[row.pk] = min(by_cnic or by_passport)
    with scopes_disabled():
        registered = set(
            PilgrimProfile.objects.filter(
                organiser_id=imp.organiser_id, person_id__in=set(person_of.values())
            ).values_list("person_id", flat=True)
        )
    staged = dict(
        StagedPerson.objects.filter(
            roster_import=imp, person_id__in=set(person_of.values())
        ).values_list("person_id", "row__row_number")
    )
    seen: dict[int, int] = {}
    for row in rows:
        person = person_of.get(row.pk)
        if person is None:
            continue
        if person in registered:
            problems[row.pk] = [_error("cnic", _("registered among your pilgrims meanwhile"))]
        elif person in staged or person in seen:
            other = staged.get(person) or seen[person]
            problems[row.pk] = [
                _error(
                    "cnic",
                    _("the same person as row %(rows)s (by a CNIC or passport on record)")
                    % {"rows": other},
                )
            ]
        else:
            seen[person] = row.row_number
    identity_conflicts_flag(actor=actor, conflicts=conflicts)
    if problems:
        mark_invalid([row for row in rows if row.pk in problems], problems)
    good = [row for row in rows if row.pk not in problems]
    resolutions = persons_resolve_many([keys[row.pk] for row in good], known=found)
    bulk_insert(
        StagedPerson,
        [
            {"row_id": row.pk, "roster_import_id": imp.pk, "person_id": res.person_id,
             "created_person": res.created, "created_identifiers": list(res.identifier_ids)}
            for row, res in zip(good, resolutions, strict=True)
        ],
    )  # fmt: skip
    return len(good)


def bulk_insert(model: type[models.Model], rows: list[dict]) -> None:
    """Insert `rows` (dicts by attribute name, `trip_id` for a foreign key; missing fields
    take their default) with one
    `executemany`: for the tens of thousands of rows of an import, Django's `bulk_create`
    spends more time compiling SQL than the database spends writing. Values go through each
    field's own preparation (encryption, JSON, UUIDs), as with `bulk_create`."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    quote = connection.ops.quote_name
    statement = (  # identifiers from the models, quoted; every value a parameter
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    names = [f.attname for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    # Text, numbers and flags go as they are; other fields prepare their values themselves.
    plain = [type(f) in PLAIN_FIELDS or f.attname != f.name for f in fields]
    prepare = [f.get_db_prep_save for f in fields]
    params = [
        tuple(
            value if is_plain else prep(value, connection)
            for value, is_plain, prep in zip(
                (row.get(name, defaults[name]) for name in names), plain, prepare, strict=True
            )
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(statement, params)


# --- Publishing ---------------------------------------------------------------------------


def _param(model: type[models.Model], name: str, value: Any) -> Any:
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def _insert_select(model: type[models.Model], values: dict[str, tuple[str, list]],
                   source: str, params: list) -> int:  # fmt: skip
    """`INSERT INTO <model> (every column) SELECT … <source>`: the columns named in `values`
    take those SQL expressions; every other column its field's default (a new field without
    one stops here rather than half-writing)."""
    quote = connection.ops.quote_name
    columns, expressions, select_params = [], [], []
    for f in model._meta.concrete_fields:
        if f is model._meta.auto_field:
            continue
        if f.name in values:
            sql, sql_params = values[f.name]
        elif f.has_default() or f.null or (f.blank and f.empty_strings_allowed):
            sql, sql_params = "%s", [f.get_db_prep_save(f.get_default(), connection)]
        else:
            raise ImproperlyConfigured(f"publishing cannot fill {model.__name__}.{f.name}")
        columns.append(quote(f.column))
        expressions.append(sql)
        select_params.extend(sql_params)
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(expressions)} {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*select_params, *params])
        return cursor.rowcount


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[models.Model], name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def publish(imp: RosterImport, *, actor: Any, now: datetime.datetime | None = None) -> dict:
    """Make every staged row visible: profiles, trip memberships and their audit entries, in
    the caller's transaction (the import locked). `ValidationFailed` when a trip is no longer
    a draft or has no room left; nothing is written then."""
    now = now or timezone.now()
    with scopes_disabled():
        clash = list(
            ImportRow.objects.filter(
                roster_import=imp, state=RowState.VALID, staged__isnull=False,
                staged__person_id__in=PilgrimProfile.objects.filter(
                    organiser_id=imp.organiser_id
                ).values("person_id"),
            )
        )  # fmt: skip
    if clash:
        StagedPerson.objects.filter(row__in=clash).delete()
        reason = _("registered among your pilgrims meanwhile")
        mark_invalid(clash, {row.pk: [_error("cnic", reason)] for row in clash})
    staged = ImportRow.objects.filter(roster_import=imp, state=RowState.VALID, staged__isnull=False)
    per_trip = dict(
        staged.exclude(trip=None).values_list("trip_id").annotate(n=Count("pk")).order_by()
    )
    with scopes_disabled():
        trips = list(Trip.objects.select_for_update().filter(pk__in=per_trip).order_by("pk"))
        current = dict(
            Member.objects.filter(trip_id__in=per_trip)
            .values_list("trip_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    errors: dict[str, list[str]] = {}
    for trip in trips:
        if trip.status != TripStatus.DRAFT:
            errors.setdefault("trip", []).append(
                _("trip %(code)s is no longer a draft; send it back to draft or discard this "
                  "import") % {"code": trip.code}
            )  # fmt: skip
        elif current.get(trip.pk, 0) + per_trip[trip.pk] > trip.capacity:
            errors.setdefault("trip", []).append(
                _("trip %(code)s has room for %(room)d more, and %(n)d rows are for it")
                % {"code": trip.code, "n": per_trip[trip.pk],
                   "room": max(0, trip.capacity - current.get(trip.pk, 0))}
            )  # fmt: skip
    if errors:
        raise ValidationFailed(errors)

    row, person = _table(ImportRow), _table(StagedPerson)
    source = (
        f"FROM {row} r JOIN {person} s ON s.{_column(StagedPerson, 'row')} = r.id "
        f"WHERE r.{_column(ImportRow, 'roster_import')} = %s "
        f"AND r.{_column(ImportRow, 'state')} = %s"
    )
    source_params = [imp.pk, RowState.VALID.value]
    copied = {name: (f"r.{_column(ImportRow, name)}", []) for name in COPIED}
    profiles = _insert_select(
        PilgrimProfile,
        {
            **copied,
            "uid": (f"r.{_column(ImportRow, 'profile_uid')}", []),
            "organiser": ("%s", [imp.organiser_id]),
            "person": (f"s.{_column(StagedPerson, 'person')}", []),
            "created_at": ("%s", [_param(PilgrimProfile, "created_at", now)]),
            "updated_at": ("%s", [_param(PilgrimProfile, "updated_at", now)]),
            "created_by": ("%s", [actor.pk]),
        },
        source + f" ORDER BY r.{_column(ImportRow, 'row_number')}",
        source_params,
    )
    expected = staged.count()
    if profiles != expected:
        raise AssertionError(f"published {profiles} profiles for {expected} staged rows")
    profile = _table(PilgrimProfile)
    members = _insert_select(
        Member,
        {
            "uid": (f"r.{_column(ImportRow, 'member_uid')}", []),
            "trip": (f"r.{_column(ImportRow, 'trip')}", []),
            "organiser": ("%s", [imp.organiser_id]),
            "profile": ("p.id", []),
            "person": (f"s.{_column(StagedPerson, 'person')}", []),
            "role": (f"r.{_column(ImportRow, 'role')}", []),
            "added_at": ("%s", [_param(Member, "added_at", now)]),
        },
        f"FROM {row} r JOIN {person} s ON s.{_column(StagedPerson, 'row')} = r.id "
        f"JOIN {profile} p ON p.{_column(PilgrimProfile, 'uid')} = "
        f"r.{_column(ImportRow, 'profile_uid')} "
        f"WHERE r.{_column(ImportRow, 'roster_import')} = %s "
        f"AND r.{_column(ImportRow, 'state')} = %s "
        f"AND r.{_column(ImportRow, 'trip')} IS NOT NULL "
        f"ORDER BY r.{_column(ImportRow, 'row_number')}",
        source_params,
    )
    user = actor if getattr(actor, "is_authenticated", False) else None
    _insert_select(
        AuditEntry,
        {
            "at": ("%s", [_param(AuditEntry, "at", now)]),
            "actor": ("%s", [user.pk if user else None]),
            "actor_label": ("%s", [user.get_username()[:150] if user else "system"]),
            "action": ("%s", ["zaireen.pilgrim.registered"]),
            "object_type": ("%s", [PilgrimProfile._meta.label_lower]),
            "object_id": (f"r.{_column(ImportRow, 'audit_object_id')}", []),
            "object_label": (f"r.{_column(ImportRow, 'audit_label')}", []),
            "organiser": ("%s", [imp.organiser_id]),
            "changes": (f"r.{_column(ImportRow, 'audit_changes')}", []),
            "reason": ("%s", [_("Roster import %(file)s") % {"file": imp.file_name}]),
        },
        source + f" ORDER BY r.{_column(ImportRow, 'row_number')}",
        source_params,
    )
    for trip in trips:
        before = current.get(trip.pk, 0)
        audit_record(actor=actor, action="zaireen.trip.members.added", obj=trip,
                     organiser=trip.organiser, changes={"members": [before, before +
                                                                    per_trip[trip.pk]]},
                     reason=_("Roster import %(file)s") % {"file": imp.file_name})  # fmt: skip
    return {"profiles": profiles, "members": members}


def unstage(imp: RosterImport) -> dict:
    """Remove the people and identifiers staging created for `imp`, unless someone may rely on
    them since: a person registered by anyone after the commit began (perhaps found through
    an identifier staged here) keeps everything. Inside the caller's transaction."""
    staged = list(
        StagedPerson.objects.filter(roster_import=imp).values_list(
            "person_id", "created_person", "created_identifiers"
        )
    )
    people = {person for person, _created, _ids in staged}
    since = imp.commit_started_at or imp.created_at
    with scopes_disabled():
        used = set(
            PilgrimProfile.objects.filter(person_id__in=people, created_at__gte=since).values_list(
                "person_id", flat=True
            )
        )
    identifiers = [i for person, _c, ids in staged if person not in used for i in ids]
    created = [person for person, made, _ids in staged if made and person not in used]
    StagedPerson.objects.filter(roster_import=imp).delete()
    removed = {"identifiers": 0, "people": 0}
    for start in range(0, len(identifiers), BATCH):
        batch = identifiers[start : start + BATCH]
        removed["identifiers"] += PersonIdentifier.objects.filter(pk__in=batch).delete()[0]
    protecting = [
        relation
        for relation in Person._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete
        and getattr(relation, "on_delete", None) is models.PROTECT
    ]  # fmt: skip
    for start in range(0, len(created), BATCH):
        batch = created[start : start + BATCH]
        removable = Person.objects.filter(pk__in=batch)
        for relation in protecting:
            removable = removable.exclude(
                pk__in=relation.related_model._base_manager.filter(
                    **{f"{relation.field.name}__in": batch}
                ).values(relation.field.attname)
            )
        removed["people"] += removable.delete()[1].get(Person._meta.label, 0)
    return removed
