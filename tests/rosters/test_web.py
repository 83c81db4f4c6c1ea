"""Roster import pages and API: upload, progress, the preview's table, commit, report."""

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from tests import factories
from tests.rosters.conftest import as_csv, as_xlsx, row
from zaireen.core.roles import Role
from zaireen.pilgrims.models import PilgrimProfile
from zaireen.rosters import services
from zaireen.rosters.models import ImportStatus, RosterImport

pytestmark = pytest.mark.django_db


def csv_file(rows, name="roster.csv"):
    return SimpleUploadedFile(name, as_csv(rows), content_type="text/csv")


def latest():
    with scopes_disabled():
        return RosterImport.objects.order_by("-id").first()


def test_upload_preview_commit_through_the_pages(client, staff, trips, jobs):
    client.force_login(staff)
    page = client.get(reverse("rosters:upload"))
    assert page.status_code == 200
    assert "Download the template" in page.content.decode()
    rows = [row(i, trip="ARB-A" if i < 3 else "") for i in range(120)]
    for i in range(60, 120):
        rows[i]["Sex"] = "?"
    with jobs():
        response = client.post(reverse("rosters:upload"), {"file": csv_file(rows)})
    imp = latest()
    assert response.status_code == 302
    assert response["Location"] == reverse("rosters:detail", args=[imp.uid])
    assert imp.status == ImportStatus.READY
    html = client.get(response["Location"]).content.decode()
    assert "Commit the 60 valid rows" in html
    assert "choose male, female or unspecified" in html
    assert "Page 1 of 2" in html  # 60 rows with errors, 50 a page
    assert reverse("rosters:report", args=[imp.uid]) in html
    assert "ARB-A" in html
    second = client.get(reverse("rosters:detail", args=[imp.uid]), {"page": 2}).content.decode()
    assert ">121<" in second  # the last row of the file (the header is row 1)

    refused = client.post(reverse("rosters:commit", args=[imp.uid]), {})
    assert refused.status_code == 302
    assert latest().status == ImportStatus.READY
    with jobs():
        client.post(reverse("rosters:commit", args=[imp.uid]), {"confirm": "on"})
    done = latest()
    assert (done.status, done.rows_imported, done.members_added) == ("committed", 60, 3)
    html = client.get(reverse("rosters:detail", args=[imp.uid])).content.decode()
    assert "60 pilgrims registered, 3 added to trips." in html
    listing = client.get(reverse("rosters:list")).content.decode()
    assert "roster.csv" in listing


def test_a_bad_file_is_refused_on_the_page_with_its_reason(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("rosters:upload"), {"file": SimpleUploadedFile("roster.xlsx", b"%PDF-1.4 x")}
    )
    assert response.status_code == 422
    assert "This is not a spreadsheet" in response.content.decode()
    assert latest() is None


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(client, staff, settings):
    settings.ZAIREEN_IMPORT_MAX_BYTES = 2000
    client.force_login(staff)
    big = csv_file([row(i) for i in range(100)])
    response = client.post(reverse("rosters:upload"), {"file": big})
    assert response.status_code == 422
    assert "larger than" in response.content.decode()
    assert latest() is None


def test_the_page_polls_while_a_job_works_then_reloads(client, staff):
    client.force_login(staff)
    imp = services.roster_upload(actor=staff, name="r.csv", content=as_csv([row(1)]))
    url = reverse("rosters:detail", args=[imp.uid])
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in html
    partial = client.get(url, {"progress": 1}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    services.roster_preview_run(import_id=imp.pk)
    services.roster_report_run(import_id=imp.pk)
    done = client.get(url, {"progress": 1}, HTTP_HX_REQUEST="true")
    assert done.status_code == 204
    assert done["HX-Refresh"] == "true"


def test_the_report_and_the_template_download(client, staff, jobs):
    client.force_login(staff)
    with jobs():
        client.post(reverse("rosters:upload"), {"file": csv_file([row(1), row(2, Sex="?")])})
    imp = latest()
    report = client.get(reverse("rosters:report", args=[imp.uid]))
    assert report.status_code == 200
    assert report["Content-Type"].startswith("text/csv")
    assert 'filename="roster - errors.csv"' in report["Content-Disposition"]
    template = client.get(reverse("rosters:template"))
    assert template.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert book.sheetnames == ["Pilgrims", "Notes"]


def test_discarding_from_the_page(client, staff, jobs):
    client.force_login(staff)
    with jobs():
        client.post(reverse("rosters:upload"), {"file": csv_file([row(1)])})
    imp = latest()
    response = client.post(reverse("rosters:discard", args=[imp.uid]))
    assert response["Location"] == reverse("rosters:list")
    assert latest().status == ImportStatus.DISCARDED


def test_the_list_of_imports_takes_the_same_queries_for_one_or_many(
    client, staff, jobs, django_assert_num_queries
):
    client.force_login(staff)
    with jobs():
        services.roster_upload(actor=staff, name="one.csv", content=as_csv([row(1)]))
    client.get(reverse("rosters:list"))  # warm the session
    with django_assert_num_queries(4):
        client.get(reverse("rosters:list"))
    colleague = factories.user("r-colleague", Role.ORGANISER_ADMIN, staff.organiser)
    with jobs():
        for n in range(2, 6):
            services.roster_upload(actor=colleague, name=f"{n}.csv", content=as_csv([row(n)]))
    with django_assert_num_queries(4):
        html = client.get(reverse("rosters:list")).content.decode()
    assert "5.csv" in html


# --- API ------------------------------------------------------------------------------------


def test_the_api_uploads_reports_progress_lists_mistakes_and_commits(client, staff, trips, jobs):
    client.force_login(staff)
    rows = [row(1, trip="ARB-B"), row(2, CNIC="12"), row(3)]
    with jobs():
        response = client.post(
            reverse("api-1.0.0:roster_import_upload"),
            {"file": SimpleUploadedFile("r.xlsx", as_xlsx(rows))},
        )
    assert response.status_code == 202, response.content
    body = response.json()
    uid = body["id"]
    got = client.get(reverse("api-1.0.0:roster_import", args=[uid])).json()
    assert (got["status"], got["rows_valid"], got["rows_invalid"]) == ("ready", 2, 1)
    assert got["report_url"] == reverse("rosters:report", args=[uid])
    assert got["trips"][0]["code"] == "ARB-B"
    mistakes = client.get(reverse("api-1.0.0:roster_import_rows", args=[uid])).json()
    assert mistakes["count"] == 1
    (issue,) = mistakes["items"][0]["errors"]
    assert (issue["row"], issue["column"], issue["header"]) == (3, "E", "CNIC")
    assert "13 digits" in issue["reason"]
    commit_url = reverse("api-1.0.0:roster_import_commit", args=[uid])
    refused = client.post(commit_url, {}, content_type="application/json")
    assert refused.status_code == 422
    assert "confirm" in refused.json()["errors"]
    with jobs():
        accepted = client.post(commit_url, {"confirm": True}, content_type="application/json")
    assert accepted.status_code == 200
    assert accepted.json()["status"] in ("committing", "committed")
    done = client.get(reverse("api-1.0.0:roster_import", args=[uid])).json()
    assert (done["status"], done["rows_imported"], done["members_added"]) == ("committed", 2, 1)
    listed = client.get(reverse("api-1.0.0:roster_imports")).json()
    assert listed["items"][0]["id"] == uid


def test_the_api_refuses_bad_files_with_422_on_the_file(client, staff):
    client.force_login(staff)
    url = reverse("api-1.0.0:roster_import_upload")
    bad = client.post(url, {"file": SimpleUploadedFile("r.csv", b"Surname;CNIC\nJAFRI;1\n")})
    assert bad.status_code == 422
    assert "no column for" in bad.json()["errors"]["file"][0]
    missing = client.post(url, {})
    assert missing.status_code == 422
    assert "file" in missing.json()["errors"]
    empty = client.post(url, {"file": SimpleUploadedFile("r.csv", b"")})
    assert empty.status_code == 422


def test_the_api_keeps_to_the_organiser_and_its_staff(client, staff, jobs, places):
    with jobs():
        imp = services.roster_upload(actor=staff, name="r.csv", content=as_csv([row(1)]))
    other = factories.user("b-admin", Role.ORGANISER_ADMIN, factories.organiser("ZGO-OTHER"))
    client.force_login(other)
    assert client.get(reverse("api-1.0.0:roster_import", args=[imp.uid])).status_code == 404
    discard = reverse("api-1.0.0:roster_import_discard", args=[imp.uid])
    assert client.post(discard).status_code == 404
    client.force_login(factories.ministry())
    assert client.get(reverse("api-1.0.0:roster_imports")).status_code == 403
    client.force_login(staff)
    assert json.loads(client.post(discard).content)["status"] == "discarded"
    with scopes_disabled():
        assert not PilgrimProfile.objects.exists()


def test_a_preview_whose_job_failed_stops_polling_and_offers_to_check_again(client, staff, jobs):
    from zaireen.core.models import Job

    client.force_login(staff)
    imp = services.roster_upload(actor=staff, name="r.csv", content=as_csv([row(1)]))
    Job.objects.filter(pk=imp.preview_job_id).update(status=Job.Status.FAILED, error="boom")
    url = reverse("rosters:detail", args=[imp.uid])
    html = client.get(url).content.decode()
    assert "Check the file again" in html
    assert 'hx-trigger="every 1s"' not in html
    with jobs():
        assert client.post(reverse("rosters:preview", args=[imp.uid])).status_code == 302
    assert latest().status == ImportStatus.READY
