"""Benchmark of live slot booking through the HTTP API on PostgreSQL; prints JSON.

    nice -n 10 .venv/bin/python bench/booking.py [--clients 100] [--bookings 6000]
        [--rates 25,50,75,100,200] [--paced-seconds 20]
        [--workers 2] [--threads 4] [--worker-class gthread|sync] [--port 0] [--keep]
        [--database-url postgres://postgres@127.0.0.1:5432/zaireen_booking_bench]

It creates the database named in the URL (dropping one left over) in a temporary data folder,
migrates it and loads the reference geography, then sets up published Arbaeen plans with four
zones (Husayn sanctuary and courtyard, al-Abbas, Imam Ali; 288 slots of 15 minutes, a quota of
500–700 people per slot), `--clients` organisers each with its own staff login and API token,
and late visit requests spread over them, one group each, drawn by the engine's generator
(`crowd.solver.generator`, one visit per group: 20–60 people, 2–4 slots, 70% of preferred
starts near a peak at 60% of the horizon, windows of ±4–16 slots) in a zone of the plan at
random. The first plan gets `--bookings`
requests; each paced rate gets a plan of its own, untouched by the runs before it. The set-up
writes groups and requests with the ORM in bulk: it is not what is measured.

Then it starts gunicorn (gthread workers) on a spare port against that database and runs, with
`--clients` client threads at once, each with its own keep-alive connection and token:

1. the floor: `GET /healthz` (no token; two `SELECT 1` and the worker's heartbeat row), as
   many as there are bookings: what no endpoint of this stack beats on this machine;
2. the baseline: `GET /api/v1/me` (the cheapest authenticated API request: the token check
   and one row), as many;
3. the saturation run: every client posts its requests of the first plan in turn to
   `POST /api/v1/crowd/requests/{id}/book`, each as soon as the one before is answered: half
   name the preferred start (`{"start_slot": n}`, answered 409 when it is full), half let the
   server take the nearest free start in the window (`{}`). With clients that never pause,
   throughput and latency are tied (Little's law: latency = clients ÷ throughput), so this
   run finds the most the server can do and what waiting costs then;
4. the paced runs, one per `--rates` value (requests per second from all clients together):
   each client sends on a fixed schedule, the schedules staggered, for `--paced-seconds`,
   whether or not the server keeps up; every answer is timed from when it was due, so a
   request sent late because the one before was slow counts its wait. They give latency at a
   given load, the figure a capacity plan needs.

Runs 1–3 time every answer from send to last byte. Printed: per run the requests and bookings
per second (201 answers ÷ wall time), latency percentiles, the answers by status, and whether
it meets the target (≥ 200 bookings/s and p95 < 250 ms); the saturation run's ratios to the
baseline; and the oversold count over all plans: zone-slots whose booked people (recomputed
from the bookings, not from the counters) exceed the quota, which must be 0, plus whether
every counter equals its bookings. Also the CPU each request cost gunicorn (master and
workers), the PostgreSQL backends of this database (by their process title) and the load
generator, read from /proc before and after each run, and the machine's load average: with
those, the throughput of a machine left to the benchmark can be estimated (cores ÷ CPU per
request). The load generator runs on the same machine as gunicorn and PostgreSQL (2 cores),
so it takes CPU from the server: the figures are a floor for a server with the machine to
itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from common import machine, percentiles, postgres_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zaireen_booking_bench"
TARGET_RATE, TARGET_P95 = 200, 250  # bookings per second, ms (issue #14)
ZONES = {  # slug: (usable area m², margin %, quota %) → quotas of 500–700 per slot
    "imam-husayn-sanctuary": (3000, 50, 20),  # limit 3000 → 600
    "imam-husayn-courtyard": (6000, 50, 10),  # limit 6000 → 600
    "al-abbas-haram": (5000, 50, 10),  # limit 5000 → 500
    "imam-ali-haram": (10000, 40, 6),  # limit 12000 → 720
}


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
    from zaireen.crowd import services
    from zaireen.organizers.models import LicenceStatus, Organiser
    from zaireen.places.models import Airport, City
    from zaireen.places.services import places_load

    call_command("migrate", verbosity=0)
    places_load()
    planner = User.objects.create(username="planner", role=Role.CROWD_PLANNER)
    lahore = City.objects.get(slug="lahore")
    airports = Airport.objects.get(iata="LHE"), Airport.objects.get(iata="NJF")
    today = timezone.localdate()

    def published_plan(hijri_year: int):
        plan = services.plan_create(
            actor=planner,
            occasion_key="arbaeen",
            hijri_year=hijri_year,
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
        return plan

    # The saturation run's plan, then one fresh plan per paced rate (its places untouched by
    # the runs before it), with as many requests as that rate sends in --paced-seconds.
    plans = [(published_plan(1449), args.bookings)]
    for k, rate in enumerate(args.rates, start=1):
        plans.append((published_plan(1449 + k), round(rate * args.paced_seconds)))

    with scopes_disabled():
        clients = []
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
            clients.append({"organiser": organiser, "token": clear, "requests": []})
        for n, (plan, total) in enumerate(plans):
            for i, client in enumerate(clients):
                # `total` requests shared out as evenly as the clients allow
                count = total // args.clients + (1 if i < total % args.clients else 0)
                client["requests"].append(
                    _requests(plan, client["organiser"], airports, n, count, rnd)
                )
    for client in clients:
        del client["organiser"]
    return {"plans": [plan.pk for plan, _total in plans], "clients": clients}


def _requests(
    plan, organiser, airports, n: int, count: int, rnd: random.Random
) -> list[tuple[str, int]]:
    """`count` late requests of one organiser in `plan`, one group each: (uid, preferred start)."""
    import datetime as dt

    from zaireen.crowd import selectors
    from zaireen.crowd.models import GroupKind, RequestSource, SlotGroup, VisitRequest
    from zaireen.crowd.solver.generator import GeneratorSettings, generate
    from zaireen.trips.models import Trip, TripStatus

    home, away = airports

    capacities = list(selectors.capacities_of(plan, active_only=True))
    trip = Trip.objects.create(
        organiser=organiser,
        code=f"B-{organiser.pk:03d}-{n}",
        title="Arbaeen bench",
        departure_date=plan.occasion_start - dt.timedelta(days=3),
        return_date=plan.occasion_start + dt.timedelta(days=4),
        outbound_from=home,
        outbound_to=away,
        return_from=away,
        return_to=home,
        capacity=60 * max(1, count),
        price_pkr=1,
        status=TripStatus.APPROVED,
    )
    # Sizes and times as the engine's generator draws them (one visit per group); the zone is
    # one of this plan's, at random.
    drawn = generate(
        GeneratorSettings(groups=count, max_visits=1, slots=plan.slots, seed=rnd.randrange(2**32))
    ).groups
    groups = SlotGroup.objects.bulk_create(
        [
            SlotGroup(
                organiser=organiser,
                trip=trip,
                label=f"G{k}",
                kind=GroupKind.SUBGROUP,
                size=group.size,
            )
            for k, group in enumerate(drawn)
        ]
    )
    requests = []
    for group, (visit,) in zip(groups, (g.visits for g in drawn), strict=True):
        requests.append(
            VisitRequest(
                organiser=organiser,
                plan=plan,
                group=group,
                capacity=rnd.choice(capacities),
                source=RequestSource.HAND,
                preferred_at=selectors.slot_start(plan, visit.preferred),
                earliest_at=selectors.slot_start(plan, visit.earliest),
                latest_at=selectors.slot_start(plan, visit.latest),
                duration_slots=visit.duration,
                late=True,
            )
        )
    VisitRequest.objects.bulk_create(requests)
    return [(str(r.uid), round(selectors.slot_position(plan, r.preferred_at))) for r in requests]


def _client(
    port: int,
    token: str,
    calls: list,
    start: threading.Barrier,
    out: list,
    pace: tuple[float, float] | None = None,
):
    """One client: its own keep-alive connection and token, `calls` ((method, path, body)) in
    turn, each timed to its last byte. Without `pace` each call goes as soon as the one before
    is answered, timed from its send. With `pace` (interval, offset) call k is due at offset +
    k × interval after the start, and is timed from when it was due: a call that goes late
    because the one before was slow counts the wait (no coordinated omission)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Host": "127.0.0.1",
    }
    start.wait()
    epoch = time.perf_counter()
    for k, (method, path, body) in enumerate(calls):
        began = time.perf_counter()
        if pace is not None:
            due = epoch + pace[1] + k * pace[0]
            if due > began:
                time.sleep(due - began)
            began = due
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


def _phase(
    port: int, server_pid: int, database: str, work: list[tuple[str, list]], rate: float = 0
) -> dict:
    """Run one client thread per (token, calls) at once; answers, wall time, CPU used. With a
    `rate` (calls per second from all clients together) each client sends on a fixed schedule,
    the clients' schedules staggered evenly, whether or not the server keeps up."""
    results: list[tuple[float, float, int]] = []
    barrier = threading.Barrier(len(work) + 1)
    interval = len(work) / rate if rate else 0
    threads = [
        threading.Thread(
            target=_client,
            args=(port, token, calls, barrier, results),
            kwargs={"pace": (interval, interval * n / len(work)) if rate else None},
        )
        for n, (token, calls) in enumerate(work)
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
        "latency": percentiles(latencies),
        "cpu_ms_per_request": {
            part: round((after[part] - before[part]) * 1000 / max(1, len(results)), 2)
            for part in after
        },
        "load_average_1min": {"before": load_before, "after": os.getloadavg()[0]},
    }


def _booked(run: dict) -> dict:
    """A booking run's figures, with bookings per second (201 answers ÷ wall time) and whether
    it meets the issue's target (oversold places are counted over all runs together)."""
    per_s = round(run["answers"].get("201", 0) / run["wall_s"], 1)
    return {
        "bookings_per_s": per_s,
        **run,
        "meets_rate_and_p95": per_s >= TARGET_RATE and run["latency"].get("p95_ms", 0) < TARGET_P95,
    }


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
    parser.add_argument(
        "--rates",
        type=lambda text: [float(r) for r in text.split(",") if r.strip()],
        default=[25.0, 50.0, 75.0, 100.0, 200.0],
        help="paced runs: requests per second from all clients together, comma-separated",
    )
    parser.add_argument("--paced-seconds", type=float, default=20)
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
    postgres_database(args.database_url, create=True)
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
        per_client = max(1, args.bookings // args.clients)

        def reads(path: str) -> list:
            return [(spec["token"], [("GET", path, None)] * per_client)
                    for spec in state["clients"]]  # fmt: skip

        def bookings(plan_index: int) -> list:
            work = []
            for n, spec in enumerate(state["clients"]):
                client_rnd = random.Random(args.seed + n + 1000 * plan_index)
                calls = [
                    (
                        "POST",
                        f"/api/v1/crowd/requests/{uid}/book",
                        json.dumps({"start_slot": preferred} if client_rnd.random() < 0.5 else {}),
                    )
                    for uid, preferred in spec["requests"][plan_index]
                ]
                work.append((spec["token"], calls))
            return work

        # The floor and the baseline (see the module's docstring): same clients, same server,
        # same run.
        floor = _phase(port, server.pid, database, reads("/healthz"))
        baseline = _phase(port, server.pid, database, reads("/api/v1/me"))
        booking = _phase(port, server.pid, database, bookings(0))
        paced = []
        for k, rate in enumerate(args.rates, start=1):
            run = _phase(port, server.pid, database, bookings(k), rate=rate)
            paced.append({"offered_requests_per_s": rate, **_booked(run)})

        from django.db import connection
        from django.db.models import F

        from zaireen.crowd import selectors
        from zaireen.crowd.models import SlotCell, SlotPlan

        plans = list(SlotPlan.objects.filter(pk__in=state["plans"]))
        connection.close()
        report = {
            "clients": args.clients,
            **_booked(booking),
            "oversold": sum(selectors.oversold_cells(plan) for plan in plans),
            "counters_match_bookings": all(selectors.counters_match(plan) for plan in plans),
            "cells_over_quota_in_db": SlotCell.objects.filter(
                plan__in=plans, booked__gt=F("quota")
            ).count(),
            "paced": paced,
            "floor_healthz": floor,
            "baseline_get_me": baseline,
            "booking_vs_baseline": {
                "requests_per_s": round(
                    booking["requests_per_s"] / max(0.1, baseline["requests_per_s"]), 2
                ),
                "p95": round(
                    booking["latency"]["p95_ms"] / max(0.1, baseline["latency"]["p95_ms"]), 2
                ),
                "gunicorn_cpu_per_request": round(
                    booking["cpu_ms_per_request"]["gunicorn"]
                    / max(0.01, baseline["cpu_ms_per_request"]["gunicorn"]),
                    2,
                ),
            },
            "targets": {"bookings_per_s": TARGET_RATE, "p95_ms": TARGET_P95, "oversold": 0},
            "little_law": {
                # With clients that never pause, latency = clients ÷ throughput: the rate at
                # which a mean latency of p95_ms would just be possible.
                "requests_per_s_for_mean_at_target_p95": round(args.clients / (TARGET_P95 / 1000)),
            },
            "server": {
                "gunicorn_workers": args.workers,
                "threads": args.threads,
                "worker_class": args.worker_class,
            },
            "setup_s": setup_s,
            "machine": machine(),
            "note": (
                f"The load generator ({args.clients} client threads in this process) runs on the "
                f"same {os.cpu_count()}-core machine as gunicorn and PostgreSQL and takes CPU "
                "from them."
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
            postgres_database(args.database_url, create=False)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
