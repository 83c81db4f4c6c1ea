"""Importing rosters through the services: the preview's rules, the commit's chunks and final
transaction, crashes and resumption, discarding, the report and the template."""

import datetime
import io

import openpyxl
import pytest
from django.db import IntegrityError
from django.utils import timezone
from django_scopes import scopes_disabled

from tests import factories
from tests.rosters.conftest import HEADERS, as_csv, as_xlsx, cnic, row
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.models import AuditEntry, Job
from zaireen.core.roles import Role
from zaireen.pilgrims.models import IdentityConflict, Person, PersonIdentifier, PilgrimProfile
from zaireen.pilgrims.services import PROFILE_FIELDS, pilgrim_register
from zaireen.pilgrims.validation import PilgrimInput
from zaireen.rosters import publishing, selectors, services, spreadsheets
from zaireen.rosters.models import (
    ImportFile,
    ImportRow,
    ImportStatus,
    RosterImport,
    RowState,
    StagedPerson,
)
from zaireen.trips.models import Member, TripStatus

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def upload(actor, data: bytes, jobs, name="roster.csv") -> RosterImport:
    with jobs():
        imp = services.roster_upload(actor=actor, name=name, content=data)
    return fresh(imp)


def fresh(imp) -> RosterImport:
    with scopes_disabled():
        return RosterImport.objects.get(pk=imp.pk)


def commit(actor, imp, jobs) -> RosterImport:
    with jobs():
        services.roster_commit(actor=actor, uid=imp.uid)
    return fresh(imp)


def errors_by_row(imp) -> dict[int, list[tuple[str, str]]]:
    return {
        r.row_number: [(e["column"], e["reason"]) for e in r.errors]
        for r in ImportRow.objects.filter(roster_import=imp, state=RowState.INVALID)
    }


def counts() -> dict:
    with scopes_disabled():
        return {
            "profiles": PilgrimProfile.objects.count(),
            "members": Member.objects.count(),
            "people": Person.objects.count(),
            "identifiers": PersonIdentifier.objects.count(),
        }


def person(n: int, **overrides) -> PilgrimInput:
    values = row(n)
    fields = {
        "surname": values["Surname"],
        "given_names": values["Given names"],
        "cnic": values["CNIC"],
        "passport_number": values["Passport number"],
        "passport_expiry": TODAY() + datetime.timedelta(days=1500),
        "birth_date": datetime.date(1960, 1, 1) + datetime.timedelta(days=n),
        "sex": "M",
    }
    return PilgrimInput(**{**fields, **overrides})


# --- The "done when" story ----------------------------------------------------------------

MISTAKES = {
    # data index → (changes, column letter, words of the reason)
    3: ({"CNIC": "35202-12345"}, "E", "13 digits"),
    17: ({"Surname": ""}, "C", "surname"),
    42: ({"Date of birth": "31/02/1961"}, "H", "no such date"),
    77: ({"Passport expiry": "01/01/2020"}, "G", "expired"),
    99: ({"Sex": "boy"}, "I", "male, female"),
    150: ({"Trip code": "NOPE-1"}, "A", "none of your trips"),
    201: ({"Role": "driver"}, "B", "pilgrim, leader"),
    250: ({"Mobile phone": "12"}, "J", "phone"),
    333: ({"Given names": "زینب"}, "D", "Latin letters"),
    404: ({"Passport number": "AB-12#"}, "F", "passport"),
    420: ({"Date of birth": "31/01/61"}, "H", "four digits"),
    480: ({"Role": "leader"}, "B", "needs a trip code"),
}


def roster_500(*, with_mistakes: bool) -> list[dict]:
    rows = [row(i, trip="ARB-A" if i < 40 else "", role="leader" if i == 0 else "")
            for i in range(500)]  # fmt: skip
    if with_mistakes:
        for index, (changes, _column, _reason) in MISTAKES.items():
            rows[index].update(changes)
    return rows


def test_a_500_row_roster_shows_each_mistake_at_its_row_and_column_then_imports_fixed(
    staff, trips, jobs, django_assert_max_num_queries
):
    before = counts()
    imp = upload(staff, as_csv(roster_500(with_mistakes=True)), jobs)
    assert imp.status == ImportStatus.READY
    assert (imp.rows_total, imp.rows_valid, imp.rows_invalid) == (500, 488, 12)
    found = errors_by_row(imp)
    assert set(found) == {index + 2 for index in MISTAKES}  # the header is row 1
    for index, (_changes, column, words) in MISTAKES.items():
        reasons = found[index + 2]
        assert any(c == column and words in r for c, r in reasons), (index, reasons)
    assert counts() == before, "the preview registers nobody"

    fixed = upload(staff, as_csv(roster_500(with_mistakes=False)), jobs, name="fixed.csv")
    assert (fixed.rows_valid, fixed.rows_invalid) == (500, 0)
    with django_assert_max_num_queries(120):
        done = commit(staff, fixed, jobs)
    assert done.status == ImportStatus.COMMITTED
    assert (done.rows_imported, done.members_added) == (500, 40)
    after = counts()
    assert after["profiles"] - before["profiles"] == 500
    assert after["people"] - before["people"] == 500
    assert after["identifiers"] - before["identifiers"] == 1000
    with scopes_disabled():
        members = Member.objects.filter(trip=trips[0])
        assert members.count() == 40
        assert members.filter(role="leader").count() == 1
        profile = PilgrimProfile.objects.filter(organiser=staff.organiser).first()
    assert profile.created_by == staff
    assert len(profile.cnic) == 13 and profile.cnic.isdigit()
    with scopes_disabled():
        registered = AuditEntry.objects.filter(action="zaireen.pilgrim.registered")
        assert registered.count() == 500
        entry = registered.first()
        assert entry.actor == staff and entry.organiser_id == staff.organiser_id
        assert "•" in entry.changes["cnic"][1], "identifiers are masked in the audit trail"
        assert AuditEntry.objects.filter(action="zaireen.trip.members.added").count() == 1
        assert AuditEntry.objects.filter(action="zaireen.roster.import.committed").count() == 1
    assert not ImportFile.objects.filter(roster_import=done).exists(), "the file is not kept"
    assert not StagedPerson.objects.filter(roster_import=done).exists()


def test_an_xlsx_roster_imports_like_a_csv_one(staff, trips, jobs):
    rows = [row(i, trip="ARB-B") for i in range(3)]
    rows[1]["Date of birth"] = (datetime.date(1970, 5, 1) - datetime.date(1899, 12, 30)).days
    rows[2]["Date of birth"] = datetime.date(1970, 5, 2)
    imp = upload(staff, as_xlsx(rows), jobs, name="roster.xlsx")
    assert (imp.rows_valid, imp.file_format) == (3, "xlsx")
    done = commit(staff, imp, jobs)
    assert (done.rows_imported, done.members_added) == (3, 3)
    with scopes_disabled():
        births = set(PilgrimProfile.objects.values_list("birth_date", flat=True))
    assert {datetime.date(1970, 5, 1), datetime.date(1970, 5, 2)} <= births


def test_imported_pilgrims_are_findable_by_the_consulate_once_the_commit_ends(staff, jobs):
    from zaireen.lookup.models import ProfileNameKey

    imp = upload(staff, as_csv([row(i) for i in range(4)]), jobs)
    commit(staff, imp, jobs)
    with scopes_disabled():
        imported = set(PilgrimProfile.objects.values_list("pk", flat=True))
        keyed = set(ProfileNameKey.objects.values_list("profile_id", flat=True))
    assert len(imported) == 4 and keyed == imported, "keyed by the import, not a later sweep"


def test_formulas_and_merged_cells_in_a_workbook(staff, trips, jobs):
    def merge(sheet):
        sheet.merge_cells("A2:A4")
        sheet.merge_cells("C5:D5")

    rows = [row(i, trip="ARB-A" if i == 0 else None) for i in range(5)]
    rows[4]["CNIC"] = "=A1"
    imp = upload(staff, as_xlsx(rows, setup=merge), jobs, name="roster.xlsx")
    found = errors_by_row(imp)
    assert set(found) == {5, 6}
    assert any(c == "C" and "merged" in r for c, r in found[5])
    assert any(c == "E" and "formula" in r for c, r in found[6])
    assert imp.summary["trips"][0]["rows"] == 3, "the merged trip code reaches rows 2 to 4"


# --- Duplicates -------------------------------------------------------------------------------


def test_duplicates_inside_the_file_are_errors_on_every_row_involved(staff, jobs):
    rows = [row(i) for i in range(6)]
    rows[3]["CNIC"] = rows[1]["CNIC"]
    rows[5]["Passport number"] = rows[4]["Passport number"]
    imp = upload(staff, as_csv(rows), jobs)
    found = errors_by_row(imp)
    assert found[3] == [("E", "the same CNIC as row 5")]
    assert found[5] == [("E", "the same CNIC as row 3")]
    assert found[6] == [("F", "the same passport as row 7")]
    assert found[7] == [("F", "the same passport as row 6")]
    assert imp.rows_valid == 2


def test_the_organisers_own_pilgrims_and_trip_members_are_duplicates(staff, trips, jobs):
    pilgrim_register(actor=staff, data=person(1))
    member, _ = pilgrim_register(actor=staff, data=person(2))
    from zaireen.trips.services import members_add

    members_add(actor=staff, trip_uid=trips[1].uid, profile_uids=[member.uid])
    rows = [row(1), row(2, **{"CNIC": cnic(99)}), row(3)]  # row 2: found by its passport
    imp = upload(staff, as_csv(rows), jobs)
    found = errors_by_row(imp)
    assert found[2] == [("E", "already among your pilgrims as PILGRIM B JAFRI")]
    assert found[3] == [("F", "already among your pilgrims as PILGRIM C JAFRI, on trip ARB-B")]
    assert imp.rows_valid == 1


def test_another_organisers_pilgrim_is_not_refused_and_links_to_the_same_person(
    staff, places, jobs
):
    """An import cannot probe whether someone is known elsewhere: the rule across organisers
    is checked when a trip is submitted."""
    other = factories.user("b-staff", Role.ORGANISER_STAFF, factories.organiser("ZGO-OTHER"))
    theirs, _ = pilgrim_register(actor=other, data=person(1))
    imp = upload(staff, as_csv([row(1)]), jobs)
    assert imp.rows_valid == 1
    commit(staff, imp, jobs)
    with scopes_disabled():
        ours = PilgrimProfile.objects.get(organiser=staff.organiser)
    assert ours.person_id == theirs.person_id
    assert Person.objects.count() == 1


def test_a_cnic_and_a_passport_of_two_people_are_refused_and_flagged_once(staff, jobs):
    first, _ = pilgrim_register(actor=staff, data=person(1))
    second, _ = pilgrim_register(actor=staff, data=person(2))
    mixed = row(5, CNIC=cnic(1), **{"Passport number": row(2)["Passport number"]})
    for _ in range(2):
        imp = upload(staff, as_csv([mixed, row(6)]), jobs)
        found = errors_by_row(imp)
        assert [c for c, _r in found[2]] == ["E", "F"]
        assert "two different people" in found[2][0][1]
    conflicts = IdentityConflict.objects.filter(organiser=staff.organiser)
    assert conflicts.count() == 1
    assert {conflicts[0].cnic_person_id, conflicts[0].passport_person_id} == {
        first.person_id, second.person_id,
    }  # fmt: skip


# --- Trips ------------------------------------------------------------------------------------


def test_trip_rules_unknown_code_not_a_draft_capacity_and_submission_warnings(staff, trips, jobs):
    other = factories.user("b-staff", Role.ORGANISER_STAFF, factories.organiser("ZGO-OTHER"))
    from zaireen.trips.services import trip_create

    trip_create(actor=other, data=factories.trip_input(code="THEIRS-1"))
    submitted = trip_create(actor=staff, data=factories.trip_input(code="SUB-1"))
    submitted.status = TripStatus.SUBMITTED
    submitted.save()
    soon = (trips[0].return_date + datetime.timedelta(days=30)).strftime("%d/%m/%Y")
    rows = [
        row(1, trip="THEIRS-1"),
        row(2, trip="sub-1"),
        *[row(10 + i, trip="ARB-B") for i in range(5)],  # room for 3
        row(20, trip="ARB-A", **{"Passport expiry": soon, "Next of kin's phone": ""}),
    ]
    imp = upload(staff, as_csv(rows), jobs)
    found = errors_by_row(imp)
    assert found[2] == [("A", "none of your trips has the code THEIRS-1")]
    assert found[3] == [("A", "trip SUB-1 is submitted: members are added to a draft only")]
    assert set(found) == {2, 3, 7, 8}
    assert "room for 3 more" in found[7][0][1]
    warned = ImportRow.objects.get(roster_import=imp, row_number=9)
    assert warned.state == RowState.VALID
    assert {w["column"] for w in warned.warnings} == {"G", "L"}
    assert imp.rows_warned == 1
    assert imp.summary["trips"] == [
        {"code": "ARB-A", "uid": str(trips[0].uid), "rows": 1, "members": 0, "capacity": 50},
        {"code": "ARB-B", "uid": str(trips[1].uid), "rows": 3, "members": 0, "capacity": 3},
    ]


def test_a_trip_that_stops_being_a_draft_stops_the_commit_until_it_is_fixed(staff, trips, jobs):
    imp = upload(staff, as_csv([row(i, trip="ARB-B") for i in range(2)]), jobs)
    trip = trips[1]
    trip.status = TripStatus.SUBMITTED
    trip.save()
    stopped = commit(staff, imp, jobs)
    assert stopped.status == ImportStatus.COMMITTING
    assert "ARB-B is no longer a draft" in stopped.message
    assert counts()["profiles"] == 0, "nothing is visible"
    trip.status = TripStatus.DRAFT
    trip.save()
    done = commit(staff, stopped, jobs)  # resumes
    assert (done.status, done.rows_imported, done.members_added) == ("committed", 2, 2)


def test_a_pilgrim_registered_by_hand_meanwhile_is_left_out_of_the_commit(staff, jobs):
    imp = upload(staff, as_csv([row(1), row(2)]), jobs)
    pilgrim_register(actor=staff, data=person(2))
    done = commit(staff, imp, jobs)
    assert (done.rows_imported, done.rows_valid, done.rows_invalid) == (1, 1, 1)
    assert errors_by_row(done) == {3: [("", "registered among your pilgrims meanwhile")]}
    assert counts()["profiles"] == 2


# --- The commit: chunks, crashes, resumption, discarding --------------------------------------


class Crash(Exception):
    pass


def test_a_commit_that_dies_mid_way_shows_nothing_and_resumes_without_duplicates(
    staff, trips, jobs, monkeypatch
):
    monkeypatch.setattr(services, "COMMIT_CHUNK", 7)
    rows = [row(i, trip="ARB-A" if i % 2 else "") for i in range(30)]
    imp = upload(staff, as_csv(rows), jobs)
    services.roster_commit(actor=staff, uid=imp.uid)  # queued; its job is run by hand below
    chunks = {"n": 0}
    real = publishing.persons_resolve_many

    def dies_in_the_third_chunk(*args, **kwargs):
        chunks["n"] += 1
        result = real(*args, **kwargs)  # people created, then the process dies
        if chunks["n"] == 3:
            raise Crash
        return result

    monkeypatch.setattr(publishing, "persons_resolve_many", dies_in_the_third_chunk)
    with pytest.raises(Crash):
        services.roster_commit_run(import_id=imp.pk)
    staged = StagedPerson.objects.filter(roster_import=imp).count()
    assert staged == 14, "two chunks were staged; the third rolled back whole"
    assert counts() == {"profiles": 0, "members": 0, "people": 14, "identifiers": 28}

    monkeypatch.setattr(publishing, "persons_resolve_many", real)
    real_publish = publishing.publish

    def dies_publishing(*args, **kwargs):
        real_publish(*args, **kwargs)
        raise Crash  # after every INSERT, before the transaction commits

    monkeypatch.setattr(publishing, "publish", dies_publishing)
    with pytest.raises(Crash):
        services.roster_commit_run(import_id=imp.pk)
    assert counts() == {"profiles": 0, "members": 0, "people": 30, "identifiers": 60}
    assert fresh(imp).status == ImportStatus.COMMITTING

    monkeypatch.setattr(publishing, "publish", real_publish)
    services.roster_commit_run(import_id=imp.pk)
    services.roster_commit_run(import_id=imp.pk)  # a second run finds nothing to do
    assert counts() == {"profiles": 30, "members": 15, "people": 30, "identifiers": 60}
    assert fresh(imp).status == ImportStatus.COMMITTED


def test_a_chunk_that_meets_a_concurrent_registration_is_tried_again(staff, jobs, monkeypatch):
    imp = upload(staff, as_csv([row(1), row(2)]), jobs)
    services.roster_commit(actor=staff, uid=imp.uid)
    real = publishing.persons_resolve_many
    calls = []

    def collides_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("pilgrims_identifier_unique")
        return real(*args, **kwargs)

    monkeypatch.setattr(publishing, "persons_resolve_many", collides_once)
    services.roster_commit_run(import_id=imp.pk)
    assert len(calls) == 2
    assert counts()["profiles"] == 2


def test_discarding_a_half_committed_import_leaves_nothing_behind(staff, jobs, monkeypatch):
    other = factories.user("b-staff", Role.ORGANISER_STAFF, factories.organiser("ZGO-OTHER"))
    known, _ = pilgrim_register(actor=other, data=person(1, passport_number="ZZ1234567"))
    before = counts()
    monkeypatch.setattr(services, "COMMIT_CHUNK", 2)
    imp = upload(staff, as_csv([row(i) for i in range(1, 6)]), jobs)
    services.roster_commit(actor=staff, uid=imp.uid)
    monkeypatch.setattr(publishing, "publish", lambda *a, **k: (_ for _ in ()).throw(Crash))
    with pytest.raises(Crash):
        services.roster_commit_run(import_id=imp.pk)
    # Row 1's person was known (by its CNIC) to the other organiser: staging gave that person
    # our passport number; the four others are new people.
    assert counts()["people"] == before["people"] + 4
    assert counts()["identifiers"] == before["identifiers"] + 9
    services.roster_discard(actor=staff, uid=imp.uid)
    assert counts() == before
    assert set(PersonIdentifier.objects.filter(person_id=known.person_id).values_list(
        "kind", flat=True)) == {"cnic", "passport"}  # fmt: skip
    gone = fresh(imp)
    assert gone.status == ImportStatus.DISCARDED
    assert not ImportRow.objects.filter(roster_import=imp).exists()
    assert not ImportFile.objects.filter(roster_import=imp).exists()
    assert services.roster_commit_run(import_id=imp.pk) == {"status": "discarded"}
    with pytest.raises(ValidationFailed):
        services.roster_commit(actor=staff, uid=imp.uid)


def test_a_committed_import_cannot_be_discarded(staff, jobs):
    imp = commit(staff, upload(staff, as_csv([row(1)]), jobs), jobs)
    with pytest.raises(ValidationFailed):
        services.roster_discard(actor=staff, uid=imp.uid)


def test_rows_checked_on_another_day_are_checked_again_before_a_commit(staff, jobs):
    imp = upload(staff, as_csv([row(1)]), jobs)
    tomorrow = TODAY() + datetime.timedelta(days=1)
    with pytest.raises(ValidationFailed) as caught:
        services.roster_commit(actor=staff, uid=imp.uid, today=tomorrow)
    assert "check them again" in caught.value.errors["status"][0]
    with jobs():
        services.roster_preview_again(actor=staff, uid=imp.uid)
    assert fresh(imp).status == ImportStatus.READY
    assert fresh(imp).rows_total == 1


def test_a_file_that_breaks_a_limit_row_by_row_is_refused_and_nothing_kept(staff, jobs, settings):
    settings.ZAIREEN_IMPORT_MAX_ROWS = 3
    imp = upload(staff, as_csv([row(i) for i in range(5)]), jobs)
    assert imp.status == ImportStatus.REFUSED
    assert "more than 3 rows" in imp.message
    assert not ImportRow.objects.filter(roster_import=imp).exists()
    assert not ImportFile.objects.filter(roster_import=imp).exists()


def test_a_bad_file_is_refused_at_upload_and_nothing_is_stored(staff, jobs):
    with pytest.raises(ValidationFailed) as caught:
        upload(staff, b"%PDF-1.4", jobs)
    assert "not a spreadsheet" in caught.value.errors["file"][0]
    with scopes_disabled():
        assert not RosterImport.objects.exists()


def test_only_organiser_staff_import_and_only_their_own(staff, jobs, places):
    imp = upload(staff, as_csv([row(1)]), jobs)
    other = factories.user("b-admin", Role.ORGANISER_ADMIN, factories.organiser("ZGO-OTHER"))
    with pytest.raises(NotFound):
        selectors.roster_import_get_for(actor=other, uid=imp.uid)
    with pytest.raises(NotFound):
        services.roster_commit(actor=other, uid=imp.uid)
    with pytest.raises(NotFound):
        services.roster_discard(actor=other, uid=imp.uid)
    with pytest.raises(NotAllowed):
        services.roster_upload(actor=factories.ministry(), name="x.csv", content=as_csv([row(1)]))
    colleague = factories.user("r-colleague", Role.ORGANISER_ADMIN, staff.organiser)
    assert selectors.roster_import_get_for(actor=colleague, uid=imp.uid) == imp


# --- The report and the template ----------------------------------------------------------------


def test_the_report_is_the_file_with_an_errors_column_and_no_live_formulas(staff, jobs):
    rows = [row(1), row(2, Surname='=HYPERLINK("http://x")'), row(3, CNIC="123")]
    rows[0]["Mobile phone"] = "+923001234567"
    imp = upload(staff, as_xlsx(rows), jobs, name="roster.xlsx")
    name, content, content_type = services.roster_report_for(actor=staff, uid=imp.uid)
    assert name == "roster - errors.xlsx"
    assert content_type == spreadsheets.XLSX_TYPE
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == [*HEADERS, "errors", "warnings"]
    assert values[1][9] == "'+923001234567"
    assert values[1][12] is None
    assert values[2][2] == '\'=HYPERLINK("http://x")'
    assert "formula" in values[2][12] and values[2][12].startswith("C")
    assert values[3][12].startswith("E") and "13 digits" in values[3][12]
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)

    # Corrected in the report and uploaded again: the extra columns are ignored.
    sheet.cell(row=3, column=3, value="RIZVI")
    sheet.cell(row=4, column=5, value=cnic(3))
    out = io.BytesIO()
    sheet.parent.save(out)
    again = upload(staff, out.getvalue(), jobs, name="roster - errors.xlsx")
    assert (again.rows_valid, again.rows_invalid) == (3, 0)
    assert again.summary["ignored"] == []


def test_a_csv_report_keeps_the_delimiter_and_opens_in_excel(staff, jobs):
    imp = upload(staff, as_csv([row(1), row(2, Sex="?")], delimiter=";"), jobs)
    name, content, _type = services.roster_report_for(actor=staff, uid=imp.uid)
    assert name.endswith(".csv")
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].endswith(";errors;warnings")
    assert "'+" not in lines[1]
    assert "I: choose male, female or unspecified" in lines[2]


def test_the_template_has_every_column_an_example_row_and_notes(staff, jobs):
    from django.utils.translation import gettext

    content = spreadsheets.write_template(gettext, limits=services.limits())
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Pilgrims", "Notes"]
    headers = [c.value for c in book["Pilgrims"][1]]
    from zaireen.rosters.columns import COLUMNS, match_header

    assert [match_header(h) for h in headers] == [c.field for c in COLUMNS]
    notes = [r[0] for r in book["Notes"].iter_rows(values_only=True) if r and r[0]]
    assert any("example row" in line for line in notes)
    imp = upload(staff, content, jobs, name="template.xlsx")
    assert errors_by_row(imp) == {2: [("H", "this is the template's example row: delete it")]}


def test_an_import_row_holds_every_field_of_a_pilgrims_profile():
    assert set(PROFILE_FIELDS) <= {f.name for f in ImportRow._meta.concrete_fields}


# --- Housekeeping ---------------------------------------------------------------------------------


def test_a_commit_whose_worker_died_is_started_again(staff, jobs, monkeypatch):
    imp = upload(staff, as_csv([row(1)]), jobs)
    services.roster_commit(actor=staff, uid=imp.uid)  # queued, never run: its worker "died"
    job = fresh(imp).commit_job
    later = timezone.now() + services.STALE_AFTER * 2
    assert services.rosters_resume_stalled(now=later)["resumed"] == 0, "queued: left alone"
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    with jobs():
        result = services.rosters_resume_stalled(now=later)
    assert result["resumed"] == 1
    assert fresh(imp).status == ImportStatus.COMMITTED


def test_an_import_left_unused_is_discarded_after_a_week(staff, jobs):
    imp = upload(staff, as_csv([row(1)]), jobs)
    later = timezone.now() + datetime.timedelta(days=services.KEEP_UNUSED_DAYS + 1)
    assert services.rosters_resume_stalled(now=later)["discarded"] == 1
    assert fresh(imp).status == ImportStatus.DISCARDED
    assert not ImportFile.objects.filter(roster_import=imp).exists()


def test_the_preview_and_the_commit_take_a_few_queries_per_chunk(
    staff, trips, jobs, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(services, "PREVIEW_CHUNK", 100)
    monkeypatch.setattr(services, "COMMIT_CHUNK", 100)
    data = as_csv([row(i, trip="ARB-A" if i < 30 else "") for i in range(400)])
    # 400 rows in 4 chunks: a handful of queries a chunk, plus the upload's and the jobs'.
    with django_assert_max_num_queries(80):
        imp = upload(staff, data, jobs)
    assert imp.rows_valid == 400
    with django_assert_max_num_queries(90):
        done = commit(staff, imp, jobs)
    assert done.rows_imported == 400
