"""Benchmark of the accident manifest: a 60-seat bus among a million pilgrims; prints JSON.

    nice -n 10 .venv/bin/python bench/accident_manifest.py [--pilgrims 1000000] [--runs 200]
        [--postgres [--database-url postgres://postgres@127.0.0.1:5432/zaireen_bench_manifest]]
        [--data-dir DIR] [--keep]

It builds a database of `--pilgrims` pilgrims with bulk inserts (SQLite: one file in a fresh
temporary folder, or `--data-dir`; PostgreSQL with `--postgres`: the database named in the URL,
dropped and created, loaded with COPY): one Person and one PilgrimProfile each, spread over 200
organisers; trips of 60 members (one leader), each with a road leg and a 60-seat bus on it, and
every member seated: a million members and a million seat assignments. The encrypted columns
(CNIC, passport number) hold one real Fernet token shared by every row, so reading a profile
still pays for decrypting its passport number as in production.

Then it times, for buses drawn at random and for one bus again and again:
- `build`: `incidents.selectors.manifest_for_vehicle`, what every manifest (page, PDF, from an
  incident or a vehicle) is built from, with its query count;
- `page`: the whole manifest page through Django's test client (session, middleware, template);
- `pdf`: the PDF (WeasyPrint), fewer runs: rendering dominates and does not grow with the
  database.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

from common import machine, percentiles, postgres_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zaireen_bench_manifest"
ORGANISERS = 200
SEATS = 60
GIVEN = ["ALI", "ZAINAB", "HUSSAIN", "FATIMA", "ABBAS", "SAKINA", "RAZA", "MASOOMA", "JAFAR"]
SURNAMES = ["JAFRI", "RIZVI", "NAQVI", "ZAIDI", "KAZMI", "ABIDI", "BUKHARI", "HUSSAINI"]
BLOOD = ["A+", "B+", "O+", "AB+", "A-", "B-", "O-", "AB-", ""]


class Writer:
    """Bulk rows into a table: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.sqlite = connection.vendor == "sqlite"

    def value(self, v):
        if not self.sqlite:
            return v
        if isinstance(v, uuid.UUID):
            return v.hex
        if isinstance(v, datetime.datetime):
            return v.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(v, datetime.date):
            return v.isoformat()
        if isinstance(v, bool):
            return int(v)
        return v

    def write(self, table: str, columns: list[str], rows, chunk: int = 50_000) -> int:
        count = 0
        with self.connection.cursor() as cursor:
            raw = cursor.cursor
            if self.sqlite:
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: E501, S608
                batch = []
                for row in rows:
                    batch.append(tuple(self.value(v) for v in row))
                    if len(batch) >= chunk:
                        raw.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    raw.executemany(sql, batch)
                    count += len(batch)
            else:
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (our own table names)
                    f"(SELECT max(id) FROM {table}))"
                )
        return count


def _load(n: int, rnd: random.Random, timings: dict) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from tests import factories
    from zaireen.core import crypto
    from zaireen.places.models import Airport, City
    from zaireen.places.services import places_load

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    places_load()
    organisers = [factories.organiser(f"ZGO-M-{i:03d}").pk for i in range(ORGANISERS)]
    timings["migrate_s"] = round(time.perf_counter() - started, 1)

    writer = Writer(connection)
    now = timezone.now()
    token = crypto.encrypt("AB1234567")  # every encrypted column: one real token
    expiry, day = datetime.date(2032, 1, 1), datetime.date(2026, 8, 20)
    lhe, njf = Airport.objects.get(iata="LHE").pk, Airport.objects.get(iata="NJF").pk
    najaf, karbala = City.objects.get(slug="najaf").pk, City.objects.get(slug="karbala").pk
    trips = (n + SEATS - 1) // SEATS

    def org_of_trip(t: int) -> int:
        return organisers[t % ORGANISERS]

    def timed(name: str, table: str, columns: str, rows) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            timings[f"{name}_rows"] = writer.write(table, columns.split(", "), rows)
        timings[f"{name}_s"] = round(time.perf_counter() - started, 1)

    timed(
        "people",
        "pilgrims_person",
        "id, uid, created_at",
        ((i, uuid.uuid4(), now) for i in range(1, n + 1)),
    )
    timed(
        "profiles",
        "pilgrims_pilgrimprofile",
        "id, uid, organiser_id, person_id, surname, given_names, name_urdu, guardian_name, "
        "home_city, cnic, passport_number, passport_issuing_state, passport_expiry, birth_date, "
        "sex, phone, next_of_kin_name, next_of_kin_relation, next_of_kin_phone, "
        "needs_wheelchair, needs_elderly_care, medical_notes, blood_group, created_at, "
        "updated_at",
        (
            (
                i,
                uuid.uuid4(),
                org_of_trip((i - 1) // SEATS),
                i,
                SURNAMES[i % 8],
                f"{GIVEN[i % 9]} {GIVEN[i // 9 % 9]}",
                "",
                "",
                "Lahore",
                token,
                token,
                "PAK",
                expiry,
                datetime.date(1950, 1, 1) + datetime.timedelta(days=i % 20000),
                "MF"[i % 2],
                f"+92300{i % 10_000_000:07d}",
                f"KIN {SURNAMES[i % 8]}",
                "son",
                f"+92321{i % 10_000_000:07d}",
                i % 37 == 0,
                i % 11 == 0,
                "",
                BLOOD[i % 9],
                now,
                now,
            )
            for i in range(1, n + 1)
        ),
    )
    timed(
        "trips",
        "trips_trip",
        "id, uid, organiser_id, code, title, departure_date, return_date, outbound_from_id, "
        "outbound_to_id, outbound_flight, return_from_id, return_to_id, return_flight, "
        "capacity, price_pkr, status, status_reason, created_at",
        (
            (
                t,
                uuid.uuid4(),
                org_of_trip(t - 1),
                f"B-{t:06d}",
                "Arbaeen group",
                day,
                day + datetime.timedelta(days=10),
                lhe,
                njf,
                "PK 719",
                njf,
                lhe,
                "PK 720",
                SEATS,
                350_000,
                "departed",
                "",
                now,
            )
            for t in range(1, trips + 1)
        ),
    )
    timed(
        "legs",
        "trips_tripleg",
        "id, uid, trip_id, position, kind, from_city_id, to_city_id, date, flight",
        (
            (t, uuid.uuid4(), t, 1, "road", najaf, karbala, day + datetime.timedelta(days=4), "")
            for t in range(1, trips + 1)
        ),
    )
    timed(
        "vehicles",
        "trips_vehicle",
        "id, uid, trip_id, leg_id, kind, plate, driver_name, driver_phone, seats",
        (
            (t, uuid.uuid4(), t, t, "bus", f"BGD {t}", "Karim Abbas", "+9647701234567", SEATS)
            for t in range(1, trips + 1)
        ),
    )
    timed(
        "members",
        "trips_member",
        "id, uid, trip_id, organiser_id, profile_id, person_id, role, visa_status, "
        "visa_number, active, return_method, return_note, added_at",
        (
            (
                i,
                uuid.uuid4(),
                (i - 1) // SEATS + 1,
                org_of_trip((i - 1) // SEATS),
                i,
                i,
                "leader" if (i - 1) % SEATS == 0 else "pilgrim",
                "issued",
                f"V{i}",
                True,
                "",
                "",
                now,
            )
            for i in range(1, n + 1)
        ),
    )
    timed(
        "seats",
        "trips_seatassignment",
        "id, vehicle_id, leg_id, member_id, seat",
        (
            (i, (i - 1) // SEATS + 1, (i - 1) // SEATS + 1, i, (i - 1) % SEATS + 1)
            for i in range(1, n + 1)
        ),
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["analyze_s"] = round(time.perf_counter() - started, 1)
    return {"trips": trips, "full_buses": n // SEATS, "organisers": organisers}


def _measure(runs: int, state: dict, rnd: random.Random) -> dict:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests import factories
    from zaireen.core.roles import Role
    from zaireen.incidents.selectors import manifest_for_vehicle
    from zaireen.organizers.models import Organiser
    from zaireen.trips.models import Vehicle

    staff: dict[int, object] = {}

    def actor_for(organiser_id: int):
        if organiser_id not in staff:
            staff[organiser_id] = factories.user(
                f"bench-{organiser_id}-{uuid.uuid4().hex[:6]}",
                Role.ORGANISER_STAFF,
                Organiser.objects.get(pk=organiser_id),
            )
        return staff[organiser_id]

    full = list(range(1, state["full_buses"] + 1)) or [1]  # buses with all 60 seats taken
    buses = {
        v.pk: (v.uid, v.trip.organiser_id)
        for v in Vehicle.objects.filter(
            pk__in=rnd.sample(full, min(runs, len(full)))
        ).select_related("trip")
    }

    def build(vehicle_id: int) -> tuple[float, int, int]:
        uid, organiser = buses[vehicle_id]
        actor = actor_for(organiser)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            manifest = manifest_for_vehicle(actor=actor, uid=uid)
            rows = [
                (
                    r.seat,
                    r.profile.passport_number,
                    r.profile.blood_group,
                    r.needs,
                    r.profile.next_of_kin_phone,
                    r.profile.phone,
                )
                for v in manifest.vehicles
                for r in v.rows
            ]
            elapsed = (time.perf_counter() - started) * 1000
        return elapsed, len(queries), len(rows)

    ids = list(buses)
    for vehicle_id in ids[:5]:  # warm the process (imports, caches)
        build(vehicle_id)
    random_runs = [build(vehicle_id) for vehicle_id in ids]
    same = [build(ids[0]) for _ in range(runs)]
    people = {r[2] for r in random_runs + same}
    query_counts = {r[1] for r in random_runs + same}

    def page(vehicle_id: int, name: str) -> float:
        uid, organiser = buses[vehicle_id]
        client = Client()
        client.force_login(actor_for(organiser))
        url = reverse(name, args=[uid])
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return elapsed

    pages = [page(v, "incidents:vehicle_manifest") for v in ids[: max(10, runs // 4)]]
    page(ids[0], "incidents:vehicle_manifest_pdf")  # WeasyPrint's first run loads fonts
    pdfs = [page(v, "incidents:vehicle_manifest_pdf") for v in ids[:10]]
    reset_queries()
    return {
        "people_per_manifest": sorted(people),
        "queries_per_build": sorted(query_counts),
        "build_random_buses": percentiles([r[0] for r in random_runs]),
        "build_same_bus": percentiles([r[0] for r in same]),
        "page_random_buses": percentiles(pages),
        "pdf_random_buses": percentiles(pdfs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pilgrims", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--data-dir", help="SQLite: keep the database in this folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    temporary = None
    if args.postgres:
        postgres_database(args.database_url, create=True)
        os.environ["DATABASE_URL"] = args.database_url
    else:
        data_dir = args.data_dir or (temporary := tempfile.mkdtemp(prefix="zaireen-manifest-"))
        os.environ["ZAIREEN_DATA_DIR"] = data_dir
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zaireen.settings")
    os.environ.setdefault("ZAIREEN_HUEY_IMMEDIATE", "1")
    os.environ.setdefault("ZAIREEN_LOG_LEVEL", "WARNING")
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings
    from django_scopes import scopes_disabled

    # Pages are rendered without `collectstatic`: static URLs from the finders, as in tests.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    override_settings(STORAGES=storages).enable()

    rnd = random.Random(args.seed)
    timings: dict = {}
    started = time.perf_counter()
    try:
        with scopes_disabled():
            state = _load(args.pilgrims, rnd, timings)
            timings["build_s"] = round(time.perf_counter() - started, 1)
            results = _measure(args.runs, state, rnd)
        engine = {"vendor": connection.vendor}
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT sqlite_version()")
                engine["version"] = cursor.fetchone()[0]
                engine["file_mb"] = round(
                    Path(connection.settings_dict["NAME"]).stat().st_size / 2**20
                )
            else:
                cursor.execute("SHOW server_version")
                engine["version"] = cursor.fetchone()[0]
    finally:
        from django.db import connections

        connections.close_all()
        if args.postgres and not args.keep:
            postgres_database(args.database_url, create=False)
        if temporary and not args.keep:
            import shutil

            shutil.rmtree(temporary, ignore_errors=True)
    print(
        json.dumps(
            {
                "machine": machine(),
                "database": engine,
                "pilgrims": args.pilgrims,
                "seats": SEATS,
                "load": timings,
                **results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
