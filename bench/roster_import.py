"""Benchmark of roster imports: preview and commit of N generated rows; prints JSON.

    .venv/bin/python bench/roster_import.py --rows 10000 [--format csv|xlsx]
        [--trip-share 0.25] [--kill-after SECONDS]

On SQLite (the default) it works in a fresh database in a temporary folder. With
DATABASE_URL set (PostgreSQL) it creates the test database `test_<name>` next to it, as the
test runner does, and drops it at the end: point it at a scratch name, e.g.
`postgres://postgres@127.0.0.1:5432/zaireen_bench`.

It times what the jobs do, called directly (no worker): the upload's checks, the preview
(every row read, checked and stored), the error report, and the commit (people staged chunk
by chunk, then the final transaction that publishes them, timed on its own). Memory is the
process's peak resident size (`resource.getrusage`), which includes Python and Django.

`--kill-after S` runs the commit in a child process, kills it with SIGKILL after S seconds,
checks that nothing is visible and nothing doubled, then resumes the commit here and checks
the result: the "kill the worker mid-commit" test, for real.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import machine, peak_memory_mb

ROOT = Path(__file__).resolve().parent.parent
HEADERS = [
    "Trip code", "Role", "Surname", "Given names", "Name in Urdu", "Father's or husband's name",
    "CNIC", "Passport number", "Passport expiry", "Date of birth", "Sex", "Mobile phone",
    "Next of kin", "Relation", "Next of kin's phone", "Blood group",
]  # fmt: skip
GIVEN = ["ALI", "ZAINAB", "HUSSAIN", "FATIMA", "ABBAS", "SAKINA", "RAZA", "MASOOMA", "JAFAR"]
SURNAMES = ["JAFRI", "RIZVI", "NAQVI", "ZAIDI", "KAZMI", "ABIDI", "BUKHARI", "HUSSAINI"]


def _setup(data_dir: str) -> dict:
    os.environ["ZAIREEN_DATA_DIR"] = data_dir
    os.environ.setdefault("ZAIREEN_HUEY_IMMEDIATE", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zaireen.settings")
    os.environ.setdefault("ZAIREEN_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ZAIREEN_IMPORT_MAX_BYTES = 64 * 1024 * 1024
    settings.ZAIREEN_IMPORT_MAX_ROWS = 200_000
    state: dict = {}
    if os.environ.get("BENCH_CHILD_DB"):  # the killed child uses its parent's database
        settings.DATABASES["default"]["NAME"] = os.environ["BENCH_CHILD_DB"]
    elif settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        call_command("migrate", verbosity=0)
    else:
        from django.test.utils import setup_databases

        state["old"] = setup_databases(verbosity=0, interactive=False)
    return state


def _teardown(state: dict) -> None:
    if "old" in state:
        from django.test.utils import teardown_databases

        teardown_databases(state["old"], verbosity=0)


def _rows(n: int, trips: list[str], trip_share: float):
    today = datetime.datetime.now(tz=datetime.UTC).date()
    on_trips = int(n * trip_share)
    for i in range(n):
        trip = trips[i // 450] if i < on_trips and trips else ""
        role = "leader" if trip and i % 450 < 9 else ""
        last = (i % 5) * 2 + 1
        given = GIVEN[i % len(GIVEN)] + " " + GIVEN[i // 9 % 9]
        yield [
            trip, role, SURNAMES[i % len(SURNAMES)], given,
            "علی جعفری", "HASAN " + SURNAMES[i // 7 % len(SURNAMES)],
            f"3{5 + i // 10_000_000 % 2}202-{i % 10_000_000:07d}-{last}", f"AB{i:07d}",
            (today + datetime.timedelta(days=1200 + i % 900)).strftime("%d/%m/%Y"),
            (datetime.date(1950, 1, 1) + datetime.timedelta(days=i % 20000)).isoformat(),
            "M", f"0300 {1000000 + i % 8999999}", "HASAN JAFRI", "son",
            f"0321 {1000000 + (i * 7) % 8999999}", ["A+", "B+", "O+", "AB-"][i % 4],
        ]  # fmt: skip


def _file(n: int, kind: str, trips: list[str], trip_share: float) -> bytes:
    if kind == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADERS)
        writer.writerows(_rows(n, trips, trip_share))
        return out.getvalue().encode("utf-8-sig")
    return _xlsx([HEADERS, *_rows(n, trips, trip_share)])


def _xlsx(rows) -> bytes:
    """A workbook as Excel saves one: text in the shared-strings table, the sheet's size in
    <dimension>. (openpyxl's write-only mode writes every text inline and no dimension,
    which openpyxl then reads several times slower than Excel's files.)"""
    import zipfile
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter

    strings: dict[str, int] = {}
    lines, width = [], 0
    for number, values in enumerate(rows, start=1):
        cells = []
        for index, value in enumerate(values):
            if value in ("", None):
                continue
            ref = f"{get_column_letter(index + 1)}{number}"
            cells.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>')
        width = max(width, len(values))
        lines.append(f'<row r="{number}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{main}">'
        f'<dimension ref="A1:{get_column_letter(width)}{len(lines)}"/><sheetData>'
        + "".join(lines) + "</sheetData></worksheet>"
    )  # fmt: skip
    shared = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{main}" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(text)}</t></si>" for text in strings) + "</sst>"
    )  # fmt: skip
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://'
            'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="Pilgrims" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
    return out.getvalue()


def _codes(args) -> list[str]:
    on_trips = int(args.rows * args.trip_share)
    return [f"BENCH-{i + 1:03d}" for i in range((on_trips + 449) // 450)]


def _commit_child(import_id: int) -> None:
    from zaireen.rosters import services

    services.roster_commit_run(import_id=import_id)


def _counts(imp) -> dict:
    from django_scopes import scopes_disabled

    from zaireen.pilgrims.models import Person, PersonIdentifier, PilgrimProfile
    from zaireen.rosters.models import StagedPerson
    from zaireen.trips.models import Member

    with scopes_disabled():
        return {
            "profiles_visible": PilgrimProfile.objects.filter(organiser=imp.organiser).count(),
            "members_visible": Member.objects.filter(organiser=imp.organiser).count(),
            "people": Person.objects.count(),
            "identifiers": PersonIdentifier.objects.count(),
            "rows_staged": StagedPerson.objects.filter(roster_import=imp).count(),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument(
        "--trip-share",
        type=float,
        default=0.25,
        help="share of the rows that name a draft trip (450 rows a trip)",
    )
    parser.add_argument("--kill-after", type=float, default=0.0)
    parser.add_argument("--child-commit", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--write-file", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.write_file:  # in a child process, so that its memory is not counted
        Path(args.write_file).write_bytes(_file(args.rows, args.format, _codes(args),
                                                args.trip_share))  # fmt: skip
        return

    given = os.environ.get("BENCH_DATA_DIR")
    data_dir = given or tempfile.mkdtemp(prefix="zaireen-bench-")
    os.environ["BENCH_DATA_DIR"] = data_dir
    state = _setup(data_dir)
    if args.child_commit:
        _commit_child(args.child_commit)
        return
    try:
        print(json.dumps(_run(args, data_dir), indent=2))
    finally:
        _teardown(state)
        if not given:
            shutil.rmtree(data_dir, ignore_errors=True)


def _run(args, data_dir: str) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from tests.factories import trip_input
    from zaireen.accounts.models import User
    from zaireen.core.roles import Role
    from zaireen.organizers.models import LicenceStatus, Organiser
    from zaireen.places.models import City
    from zaireen.places.services import places_load
    from zaireen.rosters import publishing, services
    from zaireen.rosters.models import RosterImport
    from zaireen.trips.services import MAX_CAPACITY, trip_create

    places_load()
    today = timezone.localdate()
    organiser = Organiser.objects.create(
        legal_name="Bench Organiser", licence_number=f"ZGO-BENCH-{time.time_ns()}",
        head_office_city=City.objects.get(slug="lahore"), phone="+924235761234",
        email="bench@example.org", status=LicenceStatus.LICENSED,
        valid_from=today - datetime.timedelta(days=10),
        valid_until=today + datetime.timedelta(days=300),
    )  # fmt: skip
    actor = User.objects.create(username=f"bench-{time.time_ns()}", role=Role.ORGANISER_ADMIN,
                                organiser=organiser)  # fmt: skip
    on_trips = int(args.rows * args.trip_share)
    codes = _codes(args)
    for code in codes:
        trip_create(actor=actor, data=trip_input(code=code, capacity=MAX_CAPACITY))

    path = Path(data_dir) / f"roster.{args.format}"
    command = [sys.executable, __file__, "--write-file", str(path), "--rows", str(args.rows),
               "--format", args.format, "--trip-share", str(args.trip_share)]  # fmt: skip
    subprocess.run(command, check=True, cwd=ROOT)  # noqa: S603 - our own script
    content = path.read_bytes()
    baseline = peak_memory_mb()
    result: dict = {
        "rows": args.rows,
        "format": args.format,
        "database": connection.vendor,
        "file_mb": round(len(content) / 1024 / 1024, 2),
        "trips": len(codes),
        "rows_on_trips": on_trips,
        "machine": machine(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    started, cpu = time.perf_counter(), time.process_time()
    imp = services.roster_upload(actor=actor, name=f"bench.{args.format}", content=content)
    upload = time.perf_counter() - started
    del content
    services.roster_preview_run(import_id=imp.pk)
    preview, preview_cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_preview = peak_memory_mb()
    with scopes_disabled():
        imp = RosterImport.objects.get(pk=imp.pk)
    result.update(
        upload_check_seconds=round(upload, 2),
        preview_seconds=round(preview, 2),
        preview_cpu_seconds=round(preview_cpu, 2),
        preview_rows_per_second=round(args.rows / preview),
        rows_valid=imp.rows_valid,
        rows_invalid=imp.rows_invalid,
    )
    started = time.perf_counter()
    services.roster_report_run(import_id=imp.pk)
    result["report_seconds"] = round(time.perf_counter() - started, 2)

    publish_seconds = []
    original = publishing.publish

    def timed(*a, **k):
        begin = time.perf_counter()
        try:
            return original(*a, **k)
        finally:
            publish_seconds.append(time.perf_counter() - begin)

    publishing.publish = timed
    services.roster_commit(actor=actor, uid=imp.uid)
    if args.kill_after:
        result["kill_test"] = _kill_test(args, imp, data_dir, settings)
    started, cpu = time.perf_counter(), time.process_time()
    outcome = services.roster_commit_run(import_id=imp.pk)
    commit, commit_cpu = time.perf_counter() - started, time.process_time() - cpu
    with scopes_disabled():
        imp = RosterImport.objects.get(pk=imp.pk)
    counts = _counts(imp)
    result.update(
        commit_seconds=round(commit, 2),
        commit_cpu_seconds=round(commit_cpu, 2),
        commit_rows_per_second=round(imp.rows_imported / commit) if commit else None,
        final_transaction_seconds=round(publish_seconds[-1], 2) if publish_seconds else None,
        rows_imported=imp.rows_imported,
        members_added=imp.members_added,
        status=imp.status,
        outcome={k: v for k, v in outcome.items() if k != "import"},
        after=counts,
        no_duplicates=counts["people"] == imp.rows_imported
        and counts["identifiers"] == 2 * imp.rows_imported,
        peak_rss_mb={
            "before_import": baseline,
            "after_preview": peak_preview,
            "after_commit": peak_memory_mb(),
        },
    )
    return result


def _kill_test(args, imp, data_dir: str, settings) -> dict:
    env = {**os.environ, "BENCH_DATA_DIR": data_dir,
           "BENCH_CHILD_DB": str(settings.DATABASES["default"]["NAME"])}  # fmt: skip
    command = [sys.executable, __file__, "--child-commit", str(imp.pk)]
    child = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 - our own script
    time.sleep(args.kill_after)
    alive = child.poll() is None
    child.send_signal(signal.SIGKILL)
    child.wait()
    from django.db import connection

    connection.close()  # see what the dead process left, not a cached snapshot
    counts = _counts(imp)
    return {
        "killed_after_seconds": args.kill_after,
        "was_running": alive,
        "left_behind": counts,
        "nothing_visible": counts["profiles_visible"] == 0,
        "one_person_per_staged_row": counts["people"] == counts["rows_staged"]
        and counts["identifiers"] == 2 * counts["rows_staged"],
    }


if __name__ == "__main__":
    main()
