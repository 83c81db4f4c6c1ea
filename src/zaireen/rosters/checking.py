"""The preview's rules for each row: the same as the pilgrim form's and the trip page's.

`RowChecker` reads a row's cells (`columns`), applies `pilgrims.validation.check_pilgrim`,
the trip rules of adding a member (the organiser's own draft, its capacity) and, as
warnings, the trip's rules of submission (`trips.rules.trip_problems`). Per chunk of rows
it asks the database, in a few queries, which people the identifiers name and whether the
organiser already has them. Duplicates inside the file and trips filled beyond capacity
are known only at the end (`late_errors`).

The rule across organisers (one trip at a time per person) is not checked here: it is
checked when a trip is submitted, so an import cannot probe where someone travels.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from types import SimpleNamespace
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.pilgrims.models import PilgrimProfile
from zaireen.pilgrims.services import person_ids_for_many
from zaireen.pilgrims.validation import PilgrimInput, check_pilgrim
from zaireen.rosters.columns import (
    BY_FIELD,
    EXAMPLE_CNIC_DIGITS,
    CellError,
    HeaderMatch,
    column_letter,
    read_cell,
)
from zaireen.rosters.reader import Record
from zaireen.trips.models import Member, MemberRole, Trip, TripStatus
from zaireen.trips.rules import trip_problems

INPUT_FIELDS = tuple(f.name for f in fields(PilgrimInput))
# Where a trip rule's problem is shown.
PROBLEM_FIELDS = {"next_of_kin": "next_of_kin_phone"}
MAX_ROWS_NAMED = 5


@dataclass
class RowResult:
    number: int
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    data: PilgrimInput | None = None
    trip: Trip | None = None
    role: str = ""
    cnic_key: str = ""
    passport_key: str = ""
    person_id: int | None = None
    known_by: str = "cnic"  # the identifier that found `person_id`

    @property
    def valid(self) -> bool:
        return not self.errors


def _rows(numbers: list[int], own: int) -> str:
    others = [str(n) for n in numbers if n != own]
    shown = ", ".join(others[:MAX_ROWS_NAMED])
    return shown + (", …" if len(others) > MAX_ROWS_NAMED else "")


class RowChecker:
    def __init__(
        self, *, organiser_id: int, match: HeaderMatch, kind: str, epoch_1904: bool,
        today: datetime.date,
    ) -> None:  # fmt: skip
        self.organiser_id = organiser_id
        self.match = match
        self.from_workbook = kind == "xlsx"
        self.epoch_1904 = epoch_1904
        self.today = today
        self.columns = match.columns  # field → index
        with scopes_disabled():
            trips = Trip.objects.filter(organiser_id=organiser_id).annotate(
                member_count=Count("members")
            )
            self.trips = {trip.code.upper(): trip for trip in trips}
        self.by_cnic: dict[str, list[int]] = {}
        self.by_passport: dict[str, list[int]] = {}
        self.by_person: dict[int, list[int]] = {}
        self.trip_rows: dict[int, list[int]] = {}  # trip id → valid rows, in file order
        self.conflicts: set[tuple[int, int]] = set()

    # --- Where an error goes --------------------------------------------------------------

    def place(self, field_name: str, reason: str) -> dict:
        """An error or warning for `field_name`, naming the column it was read from (or the
        template's label for a field the file has no column for)."""
        index = self.columns.get(field_name)
        if index is not None:
            header = self.match.headers[index]
            return {"column": column_letter(index), "header": header, "field": field_name,
                    "reason": reason}  # fmt: skip
        column = BY_FIELD.get(field_name)
        header = _(column.label) if column else ""
        return {"column": "", "header": header, "field": field_name, "reason": reason}

    # --- One row ----------------------------------------------------------------------------

    def check(self, record: Record) -> RowResult:
        result = RowResult(record.number)
        values = record.values
        cells: dict[str, Any] = {}
        failed: set[str] = set()
        for index, field_name in self.match.fields.items():
            raw = values[index] if index < len(values) else None
            try:
                cells[field_name] = read_cell(
                    BY_FIELD[field_name], raw, from_workbook=self.from_workbook,
                    epoch_1904=self.epoch_1904,
                )  # fmt: skip
            except CellError as exc:
                failed.add(field_name)
                result.errors.append(self.place(field_name, _(exc.reason)))
        for index, reason, params in record.problems:
            name = self.match.fields.get(index, "")
            result.errors.append(
                {"column": column_letter(index), "header": self._header(index),
                 "field": name, "reason": _(reason) % params}
            )  # fmt: skip
        given = {k: v for k, v in cells.items() if k in INPUT_FIELDS and v is not None}
        data = PilgrimInput(**given)
        checked = check_pilgrim(data, today=self.today)
        for name, reasons in checked.errors.items():
            if name not in failed:
                result.errors.extend(self.place(name, reason) for reason in reasons)
        for name, reasons in checked.warnings.items():
            result.warnings.extend(self.place(name, reason) for reason in reasons)
        if checked.data.cnic == EXAMPLE_CNIC_DIGITS:
            result.errors = [self.place("cnic", _("this is the template's example row: delete it"))]
            return result
        self._check_trip(result, cells, failed, checked.data)
        result.cnic_key, result.passport_key = checked.cnic_key, checked.passport_key
        if result.valid:
            result.data = checked.data
        return result

    def _header(self, index: int) -> str:
        return self.match.headers[index] if index < len(self.match.headers) else ""

    def _check_trip(self, result: RowResult, cells: dict, failed: set, data: PilgrimInput):
        code = cells.get("trip_code") or ""
        role = cells.get("role") or ""
        if not code:
            if role and role != MemberRole.PILGRIM and "role" not in failed:
                result.errors.append(self.place("role", _("a role needs a trip code")))
            return
        trip = self.trips.get(code)
        if trip is None:
            result.errors.append(
                self.place("trip_code", _("none of your trips has the code %(code)s")
                           % {"code": code})
            )  # fmt: skip
            return
        if trip.status != TripStatus.DRAFT:
            result.errors.append(
                self.place("trip_code",
                           _("trip %(code)s is %(status)s: members are added to a draft only")
                           % {"code": trip.code, "status": trip.get_status_display().lower()})
            )  # fmt: skip
            return
        result.trip, result.role = trip, role or MemberRole.PILGRIM
        # The rules the trip's submission will apply to this member, shown now as warnings.
        profile = SimpleNamespace(
            full_name=" ".join(p for p in (data.given_names, data.surname) if p),
            passport_expiry=data.passport_expiry or datetime.date.max,
            next_of_kin_name=data.next_of_kin_name, next_of_kin_phone=data.next_of_kin_phone,
            phone=data.phone,
        )  # fmt: skip
        member = SimpleNamespace(uid="row", role=result.role, profile=profile)
        for problem in trip_problems(trip, [member], today=self.today):
            if problem.member:
                name = PROBLEM_FIELDS.get(problem.field, problem.field)
                result.warnings.append(self.place(name, problem.message))

    # --- What the database knows, a chunk at a time -------------------------------------------

    def check_known(self, results: list[RowResult]) -> None:
        """People the identifiers name; those the organiser already has; CNIC and passport of
        two different people. Then remembers identifiers and people for `late_errors`."""
        keyed = [r for r in results if r.cnic_key or r.passport_key]
        found = person_ids_for_many(k for r in keyed for k in (r.cnic_key, r.passport_key))
        for result in keyed:
            by_cnic = found.get(result.cnic_key, set())
            by_passport = found.get(result.passport_key, set())
            if by_cnic and by_passport and by_cnic != by_passport:
                self.conflicts.add((min(by_cnic), min(by_passport)))
                result.errors.append(self.place("cnic", _(
                    "this CNIC and this passport belong to two different people on record; "
                    "check both numbers (the ministry has been told)")))  # fmt: skip
                result.errors.append(
                    self.place("passport_number", _("belongs to another person than the CNIC"))
                )
                continue
            known = by_cnic or by_passport
            if known:
                result.person_id = min(known)
                result.known_by = "cnic" if by_cnic else "passport_number"
        people = {r.person_id for r in keyed if r.person_id}
        if people:
            with scopes_disabled():
                names = {
                    p.person_id: p.full_name
                    for p in PilgrimProfile.objects.filter(
                        organiser_id=self.organiser_id, person_id__in=people
                    ).only("person_id", "surname", "given_names")
                }
                trips: dict[int, list[str]] = {}
                for person_id, code in Member.objects.filter(
                    organiser_id=self.organiser_id, person_id__in=names
                ).values_list("person_id", "trip__code"):
                    trips.setdefault(person_id, []).append(code)
            for result in keyed:
                if result.person_id in names:
                    codes = trips.get(result.person_id)
                    reason = (
                        _("already among your pilgrims as %(name)s, on trip %(trips)s")
                        % {"name": names[result.person_id], "trips": ", ".join(sorted(codes))}
                        if codes
                        else _("already among your pilgrims as %(name)s")
                        % {"name": names[result.person_id]}
                    )
                    result.errors.append(self.place(result.known_by, reason))
        for result in keyed:
            if result.cnic_key:
                self.by_cnic.setdefault(result.cnic_key, []).append(result.number)
            if result.passport_key:
                self.by_passport.setdefault(result.passport_key, []).append(result.number)
            if result.person_id:
                self.by_person.setdefault(result.person_id, []).append(result.number)
        for result in results:
            if result.valid and result.trip is not None:
                self.trip_rows.setdefault(result.trip.pk, []).append(result.number)

    def late_errors(self) -> dict[int, list[dict]]:
        """Errors known once every row is read: the same CNIC, passport or person in two rows
        (every such row is an error: which of them is right?), and rows beyond a trip's room."""
        late: dict[int, list[dict]] = {}
        flagged: set[int] = set()
        for index, field_name, message in (
            (self.by_cnic, "cnic", _("the same CNIC as row %(rows)s")),
            (self.by_passport, "passport_number", _("the same passport as row %(rows)s")),
        ):
            for numbers in index.values():
                if len(numbers) > 1:
                    for number in numbers:
                        late.setdefault(number, []).append(
                            self.place(field_name, message % {"rows": _rows(numbers, number)})
                        )
                        flagged.add(number)
        for numbers in self.by_person.values():
            if len(numbers) > 1:
                for number in numbers:
                    if number not in flagged:
                        late.setdefault(number, []).append(self.place("cnic", _(
                            "the same person as row %(rows)s (by a CNIC or passport on record)")
                            % {"rows": _rows(numbers, number)}))  # fmt: skip
        by_id = {trip.pk: trip for trip in self.trips.values()}
        for trip_id, numbers in self.trip_rows.items():
            trip = by_id[trip_id]
            room = max(0, trip.capacity - trip.member_count)
            still = [n for n in numbers if n not in late]
            for number in still[room:]:
                late.setdefault(number, []).append(self.place("trip_code", _(
                    "trip %(code)s has room for %(room)d more pilgrims (capacity %(capacity)d); "
                    "this row is beyond it") % {"code": trip.code, "room": room,
                                                "capacity": trip.capacity}))  # fmt: skip
        return late

    def trip_summary(self, late: dict[int, list[dict]]) -> list[dict]:
        by_id = {trip.pk: trip for trip in self.trips.values()}
        summary = []
        for trip_id, numbers in sorted(self.trip_rows.items(), key=lambda kv: by_id[kv[0]].code):
            trip = by_id[trip_id]
            rows = sum(1 for n in numbers if n not in late)
            summary.append({"code": trip.code, "uid": str(trip.uid), "rows": rows,
                            "members": trip.member_count, "capacity": trip.capacity})  # fmt: skip
        return summary
