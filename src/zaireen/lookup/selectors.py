"""The consular look-up: finding a pilgrim across every organiser, for officials only.

A search names a pilgrim by name (any spelling: see `names`), CNIC or passport number (through
the keyed hashes of `pilgrims.services.person_ids_for`), phone or trip code, and may narrow by
birth year (±1), sex and home city. Every search is rate-limited per user and recorded in the
personal-data access log with its reason before anything is returned.

Ranking, the same on SQLite and PostgreSQL: score = trigram similarity of the name keys
(pg_trgm's, reproduced by `names.similarity`) + `CITY_BONUS` when the home city matches + a
`YEAR_BONUS` for the exact birth year. A city never hides anyone (organisers type it freely,
or not at all); it lifts the ones who match. Candidates are found word by word (see
`_candidates`): on PostgreSQL through GIN indexes (pg_trgm on the vocabulary of key words
and on the keys, full-text on the keys' words); on SQLite, the embedded demo, by the same
rules in Python. See docs/lookup.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Func, Value, When
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.core import ratelimit
from zaireen.core.access import access_log_record
from zaireen.core.errors import NotAllowed, ValidationFailed
from zaireen.core.models import AccessReason
from zaireen.core.phones import normalise_phone
from zaireen.core.roles import Role
from zaireen.lookup import hooks
from zaireen.lookup.models import NameWord, ProfileNameKey
from zaireen.lookup.names import city_key, name_key, similarity
from zaireen.pilgrims.identity import validate_cnic, validate_passport_number
from zaireen.pilgrims.models import PilgrimProfile, Sex
from zaireen.pilgrims.services import person_ids_for
from zaireen.trips.models import LEADING_ROLES, Member, MemberRole, Trip, TripStatus

OFFICIALS = (Role.CONSULAR_OFFICER, Role.MINISTRY_OFFICER)
LOOKUPS_PER_MINUTE = 20
LOOKUPS_PER_HOUR = 300
PER_PAGE = 20
MAX_RESULTS = 200  # a caller's description narrows further; more is noise, not help
THRESHOLD = 0.3  # pg_trgm's default similarity threshold, for whole keys (the last resort)
WORD_THRESHOLD = 0.3  # for one query word against the vocabulary of key words
ENOUGH = 20  # candidates after which no looser stage is tried: a page of them
CITY_BONUS = 0.5
YEAR_BONUS = 0.1
EARLIEST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class LookupQuery:
    """A search as typed into the page or the API, before any checking."""

    reason: str = ""
    name: str = ""
    cnic: str = ""
    passport_number: str = ""
    issuing_state: str = "PAK"
    phone: str = ""
    trip_code: str = ""
    birth_year: int | None = None
    sex: str = ""
    home_city: str = ""
    note: str = ""


@dataclass(frozen=True)
class Criteria:
    """A checked search: normalised values, identifiers as their identity keys."""

    reason: str
    note: str
    name_key: str = ""
    cnic_key: str = ""
    passport_key: str = ""
    phone: str = ""
    trip_code: str = ""
    birth_year: int | None = None
    sex: str = ""
    city_key: str = ""


@dataclass(frozen=True)
class TripSummary:
    uid: Any
    code: str
    title: str
    status: str
    status_label: str
    departure_date: datetime.date
    return_date: datetime.date
    active: bool
    returned_at: datetime.datetime | None


@dataclass
class LookupResult:
    profile_id: int
    uid: Any
    name: str
    name_urdu: str
    sex: str
    sex_label: str
    birth_date: datetime.date
    home_city: str
    phone: str
    organiser_name: str
    organiser_uid: Any
    organiser: Any
    score: float
    trip: TripSummary | None = None
    leader_name: str = ""
    leader_phone: str = ""
    last_checkpoint: hooks.Checkpoint | None = None
    open_cases: list[hooks.OpenCase] = field(default_factory=list)
    photo_url: str = ""


@dataclass
class LookupPage:
    page: Page
    results: list[LookupResult]
    count: int
    truncated: bool


def _assert_official(actor: Any) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.role in OFFICIALS):
        raise NotAllowed(_("Only consular and ministry officers look pilgrims up."))


def lookup_criteria(query: LookupQuery, *, today: datetime.date | None = None) -> Criteria:
    """Check a search; every problem comes back at once as `ValidationFailed` by field."""
    errors: dict[str, list[str]] = {}

    def error(name: str, reason: str) -> None:
        errors.setdefault(name, []).append(reason)

    today = today or timezone.localdate()
    if query.reason not in AccessReason.values:
        error("reason", _("choose a reason from the list"))
    if len(query.note) > 300:
        error("note", _("at most %(n)d characters") % {"n": 300})
    values: dict[str, Any] = {}
    if query.name.strip():
        values["name_key"] = name_key(query.name[:100])
        if not values["name_key"]:
            error("name", _("type at least two letters of the name"))
    if query.cnic.strip():
        cnic = validate_cnic(query.cnic)
        for issue in cnic.errors:
            error("cnic", issue.render(_))
        values["cnic_key"] = cnic.identity_key or ""
    if query.passport_number.strip():
        passport = validate_passport_number(
            query.passport_number, query.issuing_state or "PAK", state_field="issuing_state"
        )
        for issue in passport.errors:
            error(issue.field, issue.render(_))
        values["passport_key"] = passport.identity_key or ""
    if query.phone.strip():
        try:
            values["phone"] = normalise_phone(query.phone, field="phone")
        except ValidationFailed as exc:
            for reason in exc.errors.get("phone", []):
                error("phone", reason)
    if query.trip_code.strip():
        values["trip_code"] = " ".join(query.trip_code.split())[:30]
    if not values:
        error(
            "__all__",
            _("give a name, a CNIC, a passport number, a phone number or a trip code"),
        )
    if query.birth_year is not None:
        if not EARLIEST_BIRTH_YEAR <= query.birth_year <= today.year:
            error(
                "birth_year",
                _("a year from %(first)d to %(last)d")
                % {"first": EARLIEST_BIRTH_YEAR, "last": today.year},
            )
        values["birth_year"] = query.birth_year
    if query.sex:
        if query.sex not in Sex.values:
            error("sex", _("choose male, female or unspecified"))
        values["sex"] = query.sex
    if query.home_city.strip():
        values["city_key"] = city_key(query.home_city[:100])
    if errors:
        raise ValidationFailed(errors)
    return Criteria(reason=query.reason, note=query.note.strip(), **values)


class _Similarity(Func):
    function = "similarity"
    output_field = FloatField()


def _score(criteria: Criteria, key: str, city: str, birth_year: int) -> float:
    score = similarity(key, criteria.name_key) if criteria.name_key else 0.0
    if criteria.city_key and city == criteria.city_key:
        score += CITY_BONUS
    if criteria.birth_year is not None and birth_year == criteria.birth_year:
        score += YEAR_BONUS
    return score


def _bonus(criteria: Criteria) -> Any:
    """The score's city and year parts as a SQL expression (0 when neither is asked)."""
    bonus: Any = Value(0.0, output_field=FloatField())
    if criteria.city_key:
        bonus = bonus + Case(
            When(city_key=criteria.city_key, then=Value(CITY_BONUS)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    if criteria.birth_year is not None:
        bonus = bonus + Case(
            When(birth_year=criteria.birth_year, then=Value(YEAR_BONUS)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    return bonus


def _candidates(criteria: Criteria) -> list[tuple[int, float]]:
    """(profile id, score), best first, at most MAX_RESULTS + 1.

    A name is searched word by word, in stages that stop once `ENOUGH` rows are found, the
    same on both databases (docs/lookup.md):
    1. rows whose key has every word of the query's key (most variants fold to the same
       words);
    2. rows with, for every query word, that word or a similar one (trigram similarity at
       least `WORD_THRESHOLD` against the vocabulary of key words, `NameWord`);
    3. for three words or more, the same with any one query word left out (a word the
       caller added, or spelt beyond recognition);
    4. only when nothing at all was found: the whole key by trigram similarity (`THRESHOLD`).
    Each stage is pre-ranked by the city and year bonus, then the shortest key (with every
    word present, the shorter key is the more similar), and cut at MAX_RESULTS + 1; the final
    order is each candidate's exact score.
    """
    rows = ProfileNameKey.objects.all()
    for identity_key in (criteria.cnic_key, criteria.passport_key):
        if identity_key:
            people = person_ids_for(identity_key)
            rows = rows.filter(profile__person_id__in=people)
    if criteria.phone:
        rows = rows.filter(phone=criteria.phone)
    if criteria.trip_code:
        on_trip = Member.objects.filter(trip__code__iexact=criteria.trip_code)
        rows = rows.filter(profile_id__in=on_trip.values("profile_id"))
    if criteria.birth_year is not None:
        year = criteria.birth_year
        rows = rows.filter(birth_year__gte=year - 1, birth_year__lte=year + 1)
    if criteria.sex:
        rows = rows.filter(sex=criteria.sex)
    if not criteria.name_key:
        found = list(rows.order_by("key", "profile_id").values_list(*_COLUMNS)[: MAX_RESULTS + 1])
    elif connection.vendor == "postgresql":
        found = _database_candidates(rows, criteria)
    else:
        found = _python_candidates(rows, criteria)
    scored = [(pk, _score(criteria, key, city, year)) for pk, key, city, year in found]
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[: MAX_RESULTS + 1]


_COLUMNS = ("profile_id", "key", "city_key", "birth_year")


def _word_groups(words: list[str], vocabulary: Sequence[str]) -> list[list[str]]:
    """Each query word with the vocabulary's words similar to it."""
    return [
        _group(word, (w for w in vocabulary if similarity(w, word) >= WORD_THRESHOLD))
        for word in words
    ]


def _group(word: str, similar) -> list[str]:
    """The query word first (stage 1 uses it alone), then its similar words."""
    return [word, *sorted(set(similar) - {word})]


def _stages(groups: list[list[str]]) -> list[list[list[str]]]:
    """Stages 1–3 as lists of word groups (a row must match one word of every group)."""
    exact = [[group[0]] for group in groups]
    stages = [exact, groups]
    if len(groups) > 2:  # from two words, one left is too little to go on
        stages.extend(groups[:i] + groups[i + 1 :] for i in range(len(groups)))
    return stages


def _tsquery(groups: list[list[str]]) -> str:
    # Words are canonical keys: a–z only, so nothing here needs quoting.
    return " & ".join("(" + " | ".join(group) + ")" for group in groups)


def _database_candidates(rows, criteria: Criteria) -> list[tuple]:
    """The stages through the GIN indexes (PostgreSQL)."""
    words = sorted(set(criteria.name_key.split()))
    bonus = _bonus(criteria)
    ranked = rows.annotate(bonus=bonus, length=Length("key")).order_by(
        "-bonus", "length", "profile_id"
    )
    found: dict[int, tuple] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(WORD_THRESHOLD)]
        )
        similar = {
            word: list(NameWord.objects.filter(word__similar=word).values_list("word", flat=True))
            for word in words
        }
        groups = [_group(word, similar[word]) for word in words]
        for stage in _stages(groups):
            if len(found) >= ENOUGH:
                break
            query = ranked.filter(key__matches_words=_tsquery(stage))
            for row in query.values_list(*_COLUMNS)[: MAX_RESULTS + 1]:
                found.setdefault(row[0], row)
        if not found:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(THRESHOLD)]
            )
            score = _Similarity(F("key"), Value(criteria.name_key)) + bonus
            for row in (
                rows.filter(key__similar=criteria.name_key)
                .annotate(score=score)
                .order_by("-score", "profile_id")
                .values_list(*_COLUMNS)[: MAX_RESULTS + 1]
            ):
                found.setdefault(row[0], row)
    return list(found.values())


def _python_candidates(rows, criteria: Criteria) -> list[tuple]:
    """The same stages in Python (SQLite, the embedded demo). The vocabulary is the words of
    the rows that pass the other filters: a word elsewhere could match none of them."""
    words = sorted(set(criteria.name_key.split()))
    every = list(rows.values_list(*_COLUMNS).iterator(chunk_size=5000))
    row_words = {row[0]: set(row[1].split()) for row in every}
    vocabulary = sorted(set().union(*row_words.values())) if row_words else []
    no_name = replace(criteria, name_key="")

    def order(row: tuple) -> tuple:
        return (-_score(no_name, *row[1:]), len(row[1]), row[0])

    found: dict[int, tuple] = {}
    for stage in _stages(_word_groups(words, vocabulary)):
        if len(found) >= ENOUGH:
            break
        matching = [
            row for row in every if all(row_words[row[0]].intersection(group) for group in stage)
        ]
        for row in sorted(matching, key=order)[: MAX_RESULTS + 1]:
            found.setdefault(row[0], row)
    if not found:
        similar = sorted(
            (row for row in every if similarity(row[1], criteria.name_key) >= THRESHOLD),
            key=lambda row: (-_score(criteria, *row[1:]), row[0]),
        )[: MAX_RESULTS + 1]
        found = {row[0]: row for row in similar}
    return list(found.values())


def _current_or_latest(members: list[Member]) -> Member | None:
    """The membership that reserves the person now, else the trip that left last."""
    if not members:
        return None
    active = [m for m in members if m.active]
    pool = active or members
    return max(pool, key=lambda m: (m.trip.departure_date, m.trip_id))


_PROFILE_COLUMNS = (
    "uid", "surname", "given_names", "name_urdu", "sex", "birth_date", "home_city", "phone",
    "organiser__legal_name", "organiser__uid",
)  # fmt: skip


def _results(scored: Sequence[tuple[int, float]]) -> list[LookupResult]:
    """The rows of one page: four queries, whatever the page size."""
    ids = [pk for pk, _score in scored]
    profiles = {
        p.pk: p
        for p in PilgrimProfile.objects.filter(pk__in=ids)
        .select_related("organiser")
        .only(*_PROFILE_COLUMNS)
    }
    memberships: dict[int, list[Member]] = {}
    for member in (
        Member.objects.filter(profile_id__in=ids)
        .exclude(trip__status=TripStatus.CANCELLED)
        .select_related("trip")
    ):
        memberships.setdefault(member.profile_id, []).append(member)
    chosen = {pk: _current_or_latest(memberships.get(pk, [])) for pk in ids}
    trip_ids = {m.trip_id for m in chosen.values() if m is not None}
    leaders: dict[int, Member] = {}
    for leader in (
        Member.objects.filter(trip_id__in=trip_ids, role__in=LEADING_ROLES)
        .select_related("profile")
        .order_by("trip_id", "id")
    ):
        best = leaders.get(leader.trip_id)
        if best is None or (best.role != MemberRole.LEADER and leader.role == MemberRole.LEADER):
            leaders[leader.trip_id] = leader
    member_ids = [m.pk for m in chosen.values() if m is not None]
    checkpoints = hooks.last_checkpoints(member_ids)
    cases = hooks.open_cases(ids)
    photos = hooks.photos(ids)
    results = []
    for pk, score in scored:
        profile = profiles.get(pk)
        if profile is None:  # deleted since the candidates were read
            continue
        result = LookupResult(
            profile_id=pk,
            uid=profile.uid,
            name=profile.full_name,
            name_urdu=profile.name_urdu,
            sex=profile.sex,
            sex_label=profile.get_sex_display(),
            birth_date=profile.birth_date,
            home_city=profile.home_city,
            phone=profile.phone,
            organiser_name=profile.organiser.legal_name,
            organiser_uid=profile.organiser.uid,
            organiser=profile.organiser,
            score=round(score, 3),
            open_cases=cases.get(pk, []),
            photo_url=photos.get(pk, ""),
        )
        member = chosen[pk]
        if member is not None:
            trip: Trip = member.trip
            result.trip = TripSummary(
                uid=trip.uid,
                code=trip.code,
                title=trip.title,
                status=trip.status,
                status_label=trip.get_status_display(),
                departure_date=trip.departure_date,
                return_date=trip.return_date,
                active=member.active,
                returned_at=member.returned_at,
            )
            leader = leaders.get(trip.pk)
            if leader is not None:
                result.leader_name = leader.profile.full_name
                result.leader_phone = leader.profile.phone
            result.last_checkpoint = checkpoints.get(member.pk)
        results.append(result)
    return results


def _describe(query: LookupQuery, page: int) -> str:
    """The search as the access log keeps it (`access_log_record` masks the identifiers)."""
    parts = [
        f"{name}={value}"
        for name, value in (
            ("name", query.name),
            ("cnic", query.cnic),
            ("passport", query.passport_number),
            ("phone", query.phone),
            ("trip", query.trip_code),
            ("born", query.birth_year or ""),
            ("sex", query.sex),
            ("city", query.home_city),
        )
        if value
    ]
    if page > 1:
        parts.append(f"page={page}")
    return "; ".join(parts)


def pilgrim_lookup(
    *, actor: Any, query: LookupQuery, page: int | str | None = 1, per_page: int | None = None
) -> LookupPage:
    """One page of the pilgrims a search finds, recorded in the access log with its reason.

    Officials only (`NotAllowed` otherwise); `ValidationFailed` by field for a bad search;
    `RateLimited` past `LOOKUPS_PER_MINUTE` or `LOOKUPS_PER_HOUR` for the user. The log entry
    is written before anything is returned: a search that cannot be logged shows nothing.
    """
    _assert_official(actor)
    criteria = lookup_criteria(query)
    # One transaction: the counters and the log entry commit together (one disk flush), and
    # a look-up that fails after counting leaves the counters where they were.
    with transaction.atomic():
        return _lookup(actor=actor, criteria=criteria, query=query, page=page,
                       per_page=per_page)  # fmt: skip


def _lookup(
    *, actor: Any, criteria: Criteria, query: LookupQuery, page: Any, per_page: int | None
) -> LookupPage:
    for scope, limit, window in (
        ("lookup-minute", LOOKUPS_PER_MINUTE, 60),
        ("lookup-hour", LOOKUPS_PER_HOUR, 3600),
    ):
        ratelimit.check(scope=scope, key=str(actor.pk), limit=limit, window_seconds=window)
    with scopes_disabled():
        scored = _candidates(criteria)
        truncated = len(scored) > MAX_RESULTS
        shown = Paginator(scored[:MAX_RESULTS], per_page or PER_PAGE).get_page(page)
        results = _results(shown.object_list)
    organisers = {r.organiser.pk: r.organiser for r in results}
    names = ", ".join(sorted(o.legal_name for o in organisers.values()))
    access_log_record(
        actor=actor,
        what=f"pilgrim look-up: {shown.paginator.count} found" + (f"; {names}" if names else ""),
        reason=criteria.reason,
        organiser=next(iter(organisers.values())) if len(organisers) == 1 else None,
        query=_describe(query, shown.number),
        note=criteria.note,
    )
    return LookupPage(page=shown, results=results, count=shown.paginator.count,
                      truncated=truncated)  # fmt: skip
