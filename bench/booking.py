"""Benchmark of live slot booking through the HTTP API on PostgreSQL; prints JSON.

    nice -n 10 .venv/bin/python bench/booking.py [--clients 100] [--bookings 6000]
        [--workers 2] [--threads 4] [--worker-class gthread|sync] [--port 0] [--keep]
        [--database-url postgres://postgres@127.0.0.1:5432/zaireen_booking_bench]

It creates the database named in the URL (dropping one left over) in a temporary data folder,
migrates it and loads the reference geography, then sets up a published Arbaeen plan with four
zones (Husayn sanctuary and courtyard, al-Abbas, Imam Ali; 288 slots of 15 minutes, a quota of
500–700 people per slot), `--clients` organisers each with its own staff login and API token,
and `--bookings` late visit requests spread over them: one group of 20–60 people each, visits
of 2–4 slots, preferred starts drawn as the engine's generator draws them (70% near a peak at
60% of the horizon, 30% anywhere), windows of ±4–16 slots. The set-up writes groups and
requests with the ORM in bulk: it is not what is measured.

Then it starts gunicorn (gthread workers) on a spare port against that database. First the
baseline: the same client threads each send as many `GET /api/v1/me` (the cheapest
authenticated API request: the token check and one row) as they will send bookings; what
that reaches is the ceiling for any endpoint of this stack on this machine. Then it runs
`--clients` client threads at once, each with its own keep-alive connection and token, each
posting its requests in turn to `POST /api/v1/crowd/requests/{id}/book`: half name the
preferred start (`{"start_slot": n}`, answered 409 when it is full), half let the server take
the nearest free start in the window (`{}`). Every answer is timed from send to last byte.

Printed: the baseline's requests per second, latencies and CPU per request, and the booking
run's ratios to it; bookings per second (201 answers ÷ wall time of the run), requests per
second, latency percentiles of all answers, the answers by status, and the oversold count:
zone-slots whose booked people (recomputed from the bookings, not from the counters) exceed the
quota, which must be 0, plus whether every counter equals its bookings. Also the CPU each
request cost gunicorn (master and workers), the PostgreSQL backends of this database (by their
process title) and the load generator, read from /proc before and after the run, and the
machine's load average: with those, the throughput of a machine left to the benchmark can be
estimated (2 cores ÷ CPU per request). The load generator runs on the same machine as gunicorn
and PostgreSQL (2 cores), so it takes CPU from the server: the figures are a floor for a server
with the machine to itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zaireen_booking_bench"
ZONES = {  # slug: (usable area m², margin %, quota %) → quotas of 500–700 per slot
    "imam-husayn-sanctuary": (3000, 50, 20),  # limit 3000 → 600
    "imam-husayn-courtyard": (6000, 50, 10),  # limit 6000 → 600
    "al-abbas-haram": (5000, 50, 10),  # limit 5000 → 500
    "imam-ali-haram": (10000, 40, 6),  # limit 12000 → 720
}


def _machine() -> dict:
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout  # noqa: S607
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in out.splitlines()
                if line.startswith("Model name")
            ),
            "",
        )
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
    }


def _database(url: str, *, create: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def _ticks(pid: int) -> float:
    """CPU seconds (user + system) a process has used, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(c) for c in task.read_text().split()]
    return found


def _cpu(server_pid: int, database: str) -> dict[str, float]:
    """CPU seconds so far of gunicorn (master and workers), of the PostgreSQL backends
    serving `database` (their process title names it) and of this process (the load
    generator; it also did the set-up, which the difference removes)."""
    backends = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            title = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres:") and f" {database} " in title:
            backends += _ticks(int(proc.name))
    usage = os.times()
    return {
        "gunicorn": _ticks(server_pid) + sum(_ticks(c) for c in _children(server_pid)),
        "postgresql": backends,
        "load_generator": usage.user + usage.system,
    }


def _spare_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup(args, rnd: random.Random) -> dict:
    """Migrate, load places, make the plan, the organisers, tokens and requests."""
    import django

    django.setup()
    import datetime as dt
    from decimal import Decimal

    from django.core.management import call_command
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from zaireen.accounts.models import User
    from zaireen.accounts.services import api_token_create
    from zaireen.core.roles import Role
    from zaireen.crowd import selectors, services
    from zaireen.crowd.models import (
        GroupKind,
        RequestSource,
        SlotGroup,
        VisitRequest,
    )
    from zaireen.organizers.models import LicenceStatus, Organiser
    from zaireen.places.models import Airport, City
    from zaireen.places.services import places_load
    from zaireen.trips.models import Trip, TripStatus

    call_command("migrate", verbosity=0)
    places_load()
    planner = User.objects.create(username="planner", role=Role.CROWD_PLANNER)
    plan = services.plan_create(
        actor=planner,
        occasion_key="arbaeen",
        hijri_year=1449,
        request_deadline=timezone.now() + dt.timedelta(days=1),
    )
    for slug, (area, margin, quota) in ZONES.items():
        services.capacity_set(
            actor=planner,
            plan_uid=plan.uid,
            zone_slug=slug,
            usable_area_m2=area,
            density=Decimal(2),
            margin_pct=margin,
            dwell_minutes=45,
            quota_pct=quota,
        )
    services.plan_publish(actor=planner, plan_uid=plan.uid)
    plan.refresh_from_db()
    capacities = {c.zone.slug: c for c in selectors.capacities_of(plan, active_only=True)}

    lahore = City.objects.get(slug="lahore")
    lhe, njf = Airport.objects.get(iata="LHE"), Airport.objects.get(iata="NJF")
    today = timezone.localdate()
    clients = []
    per_client = -(-args.bookings // args.clients)
    horizon, peak = plan.slots, int(plan.slots * 0.6)
    zones = list(capacities)
    with scopes_disabled():
        for i in range(args.clients):
            organiser = Organiser.objects.create(
                legal_name=f"Bench organiser {i:03d}",
                licence_number=f"ZGO-BENCH-{i:03d}",
                head_office_city=lahore,
                phone="+924235761234",
                email=f"b{i}@example.org",
                status=LicenceStatus.LICENSED,
                valid_from=today - dt.timedelta(days=10),
                valid_until=today + dt.timedelta(days=900),
            )
            staff = User.objects.create(
                username=f"bench-{i:03d}", role=Role.ORGANISER_STAFF, organiser=organiser
            )
            _token, clear = api_token_create(actor=staff, name="bench")
            trip = Trip.objects.create(
                organiser=organiser,
                code=f"B-{i:03d}",
                title="Arbaeen bench",
                departure_date=plan.occasion_start - dt.timedelta(days=3),
                return_date=plan.occasion_start + dt.timedelta(days=4),
                outbound_from=lhe,
                outbound_to=njf,
                return_from=njf,
                return_to=lhe,
                capacity=60 * per_client,
                price_pkr=1,
                status=TripStatus.APPROVED,
            )
            groups = SlotGroup.objects.bulk_create(
                [
                    SlotGroup(
                        organiser=organiser,
                        trip=trip,
                        label=f"G{n}",
                        kind=GroupKind.SUBGROUP,
                        size=rnd.randint(20, 60),
                    )
                    for n in range(per_client)
                ]
            )
            requests = []
            for group in groups:
                capacity = capacities[rnd.choice(zones)]
                duration = rnd.randint(2, 4)
                if rnd.random() < 0.7:
                    preferred = int(rnd.gauss(peak, horizon / 10))
                else:
                    preferred = rnd.randrange(horizon)
                preferred = min(max(preferred, 0), horizon - duration)
                width = rnd.randint(4, 16)
                earliest, latest = (
                    max(0, preferred - width),
                    min(horizon - duration, preferred + width),
                )
                requests.append(
                    VisitRequest(
                        organiser=organiser,
                        plan=plan,
                        group=group,
                        capacity=capacity,
                        source=RequestSource.HAND,
                        preferred_at=selectors.slot_start(plan, preferred),
                        earliest_at=selectors.slot_start(plan, earliest),
                        latest_at=selectors.slot_start(plan, latest),
                        duration_slots=duration,
                        late=True,
                    )
                )
            VisitRequest.objects.bulk_create(requests)
            plan_slots = [
                (str(r.uid), round(selectors.slot_position(plan, r.preferred_at))) for r in requests
            ]
            clients.append({"token": clear, "requests": plan_slots})
    return {"plan": plan.pk, "clients": clients}


def _client(port: int, token: str, calls: list, start: threading.Barrier, out: list):
    """One client: its own keep-alive connection and token, `calls` ((method, path, body)) in
    turn, each timed from send to last byte."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Host": "127.0.0.1",
    }
    start.wait()
    for method, path, body in calls:
        began = time.perf_counter()
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            status = 0
        out.append((began, time.perf_counter(), status))
    conn.close()


def _phase(port: int, server_pid: int, database: str, work: list[tuple[str, list]]) -> dict:
    """Run one client thread per (token, calls) at once; answers, wall time, CPU used."""
    results: list[tuple[float, float, int]] = []
    barrier = threading.Barrier(len(work) + 1)
    threads = [
        threading.Thread(target=_client, args=(port, token, calls, barrier, results))
        for token, calls in work
    ]
    for thread in threads:
        thread.start()
    before = _cpu(server_pid, database)
    barrier.wait()
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    after = _cpu(server_pid, database)
    statuses: dict[str, int] = {}
    for _b, _e, status in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    latencies = [(end - begin) * 1000 for begin, end, _s in results]
    return {
        "attempts": len(results),
        "answers": statuses,
        "wall_s": round(wall, 2),
        "requests_per_s": round(len(results) / wall, 1),
        "latency_ms": {
            "p50": round(_percentile(latencies, 0.5), 1),
            "p95": round(_percentile(latencies, 0.95), 1),
            "p99": round(_percentile(latencies, 0.99), 1),
            "mean": round(statistics.fmean(latencies), 1) if latencies else 0,
        },
        "cpu_ms_per_request": {
            part: round((after[part] - before[part]) * 1000 / max(1, len(results)), 2)
            for part in after
        },
        "load_average_1min": {"before": load_before, "after": os.getloadavg()[0]},
    }


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--bookings", type=int, default=6000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread", choices=("gthread", "sync"))
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--port", type=int, default=0, help="0: a spare port")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="zaireen-booking-bench-")
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "ZAIREEN_DATA_DIR": data_dir,
        "ZAIREEN_HUEY_IMMEDIATE": "false",
        "ZAIREEN_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "zaireen.settings",
        "ZAIREEN_DB_CONN_MAX_AGE": "600",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    rnd = random.Random(args.seed)
    _database(args.database_url, create=True)
    server = server_log = None
    try:
        began = time.perf_counter()
        state = _setup(args, rnd)
        setup_s = round(time.perf_counter() - began, 1)
        port = args.port or _spare_port()
        server_log = open(Path(data_dir) / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
            [
                str(gunicorn),
                "zaireen.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                args.worker_class,
                "--threads",
                str(args.threads),
                "--keep-alive",
                "30",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=str(ROOT),
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        for _attempt in range(200):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        # Warm every worker up (imports, first queries) with reads, not bookings.
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for spec in state["clients"][: args.workers * 4]:
            warm.request(
                "GET", "/api/v1/crowd/plans", headers={"Authorization": f"Bearer {spec['token']}"}
            )
            warm.getresponse().read()
        warm.close()

        database = urlsplit(args.database_url).path.lstrip("/")
        # The baseline: the cheapest authenticated API request (who am I: the token check and
        # one row), same clients, same server, same run. It is the ceiling any endpoint of
        # this stack can reach on this machine.
        per_client = max(1, args.bookings // args.clients)
        baseline = _phase(
            port,
            server.pid,
            database,
            [(spec["token"], [("GET", "/api/v1/me", None)] * per_client)
             for spec in state["clients"]],
        )  # fmt: skip
        work = []
        for n, spec in enumerate(state["clients"]):
            client_rnd = random.Random(args.seed + n)
            calls = [
                (
                    "POST",
                    f"/api/v1/crowd/requests/{uid}/book",
                    json.dumps({"start_slot": preferred} if client_rnd.random() < 0.5 else {}),
                )
                for uid, preferred in spec["requests"]
            ]
            work.append((spec["token"], calls))
        booking = _phase(port, server.pid, database, work)

        from django.db import connection

        from zaireen.crowd import selectors
        from zaireen.crowd.models import SlotCell, SlotPlan

        plan = SlotPlan.objects.get(pk=state["plan"])
        booked = booking["answers"].get("201", 0)
        connection.close()
        report = {
            "clients": args.clients,
            **booking,
            "bookings_per_s": round(booked / booking["wall_s"], 1),
            "oversold": selectors.oversold_cells(plan),
            "counters_match_bookings": selectors.counters_match(plan),
            "cells_over_quota_in_db": SlotCell.objects.filter(
                plan=plan, booked__gt=models_f("quota")
            ).count(),
            "baseline_get_me": baseline,
            "booking_vs_baseline": {
                "requests_per_s": round(
                    booking["requests_per_s"] / max(0.1, baseline["requests_per_s"]), 2
                ),
                "p95": round(
                    booking["latency_ms"]["p95"] / max(0.1, baseline["latency_ms"]["p95"]), 2
                ),
                "gunicorn_cpu_per_request": round(
                    booking["cpu_ms_per_request"]["gunicorn"]
                    / max(0.01, baseline["cpu_ms_per_request"]["gunicorn"]),
                    2,
                ),
            },
            "targets": {"bookings_per_s": 200, "p95_ms": 250, "oversold": 0},
            "server": {
                "gunicorn_workers": args.workers,
                "threads": args.threads,
                "worker_class": args.worker_class,
            },
            "setup_s": setup_s,
            "machine": _machine(),
            "note": (
                "The load generator (100 client threads in this process) runs on the same "
                f"{os.cpu_count()}-core machine as gunicorn and PostgreSQL and takes CPU from them."
            ),
        }
        print(json.dumps(report, indent=1))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if server_log is not None:
            server_log.close()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not have been set up
            pass
        if not args.keep:
            _database(args.database_url, create=False)
        shutil.rmtree(data_dir, ignore_errors=True)


def models_f(name: str):
    from django.db.models import F

    return F(name)


if __name__ == "__main__":
    main()
