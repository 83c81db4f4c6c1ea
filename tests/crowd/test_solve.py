"""Requests become an instance; the optimiser and FCFS run on the worker; publishing books."""

import json
import subprocess
import sys

import pytest
from django_scopes import scopes_disabled

from tests.crowd.conftest import at, make_group
from tests.test_trips import errors_of
from zaireen.core.models import Job
from zaireen.crowd import heatmap, selectors, services
from zaireen.crowd.models import Booking, BookingStatus, RunStatus, SlotCell
from zaireen.crowd.solver import check, instance_from_json, result_from_json


def crowded(plan, org, n=6, size=40, slot=40):
    """`n` groups of `size` all wanting the sanctuary at the same slot (quota 60: one fits)."""
    groups = []
    for i in range(n):
        group = make_group(org.trip, size, f"G{i}")
        services.request_create(
            actor=org.staff,
            plan_uid=plan.uid,
            group_uid=group.uid,
            zone_slug="imam-husayn-sanctuary",
            preferred_at=at(plan, slot),
            earliest_at=at(plan, slot - 12),
            latest_at=at(plan, slot + 12),
        )
        groups.append(group)
    return groups


@pytest.fixture
def solved(plan, planner, org, django_capture_on_commit_callbacks):
    crowded(plan, org)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.solve_start(actor=planner, plan_uid=plan.uid, time_limit=5)
    run.refresh_from_db()
    return run


def test_the_instance_is_what_the_engine_accepts(plan, org):
    crowded(plan, org, n=2)
    built = services.instance_build(plan)
    instance = instance_from_json(built.document)
    assert len(instance.groups) == 2
    sanctuary = next(z for z in instance.zones if z.id == "imam-husayn-sanctuary")
    assert set(sanctuary.capacity) == {60}
    visit = instance.groups[0].visits[0]
    assert (visit.preferred, visit.earliest, visit.latest, visit.duration) == (40, 28, 52, 2)
    assert built.digest == services.instance_build(plan).digest


def test_a_group_the_engine_refuses_is_left_out_with_its_reason(plan, org):
    crowded(plan, org, n=1)
    big = make_group(org.trip, 60, "Big")
    services.request_create(
        actor=org.staff,
        plan_uid=plan.uid,
        group_uid=big.uid,
        zone_slug="imam-ali-haram",
        preferred_at=at(plan, 40),
    )
    services.request_create(
        actor=org.staff,
        plan_uid=plan.uid,
        group_uid=big.uid,
        zone_slug="imam-husayn-sanctuary",
        preferred_at=at(plan, 41),
    )
    built = services.instance_build(plan)  # Najaf to Karbala in one slot: unreachable
    assert [d["label"] for d in built.dropped] == ["Big"]
    assert "travel" in built.dropped[0]["reason"]
    assert len(built.document["groups"]) == 1


def test_the_solver_runs_on_the_worker_with_progress_and_compares_with_fcfs(solved):
    assert solved.status == RunStatus.DONE
    job = Job.objects.get(pk=solved.job_id)
    assert job.status == Job.Status.SUCCEEDED
    assert job.done == job.total > 0
    summary = solved.summary
    assert summary["before"]["peak"] == pytest.approx(240 / 60)  # six groups of 40 in 60
    assert summary["optimal"]["check_ok"] and summary["fcfs"]["check_ok"]
    assert summary["optimal"]["heat"]["over_cells"] == 0
    assert summary["optimal"]["objective"] <= summary["fcfs"]["objective"]
    # The exported files pass the independent checker.
    instance = instance_from_json(solved.instance)
    assert check(instance, result_from_json(solved.optimal)).ok


def test_the_heat_map_counts_cells_above_ninety_percent(solved):
    maps = {m.key: m for m in selectors.run_heat_maps(solved)}
    before, after = maps["before"], maps["after"]
    assert before.summary.hot_cells >= 2  # the preferred slot and the next one, overloaded
    assert after.summary.peak <= 1
    assert "<svg" in after.svg and 'data-band="over"' in before.svg
    assert 'data-band="over"' not in after.svg


def test_the_cli_rechecks_the_exported_files(solved, tmp_path):
    (tmp_path / "i.json").write_text(json.dumps(solved.instance))
    (tmp_path / "r.json").write_text(json.dumps(solved.optimal))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "zaireen.crowd.solver",
            "check",
            tmp_path / "i.json",
            tmp_path / "r.json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True
    broken = dict(solved.optimal, objective=solved.optimal["objective"] + 1)
    (tmp_path / "r.json").write_text(json.dumps(broken))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "zaireen.crowd.solver",
            "check",
            tmp_path / "i.json",
            tmp_path / "r.json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1


def test_publishing_books_the_schedule_and_the_cells_count_it(solved, planner, plan):
    services.plan_publish(actor=planner, plan_uid=plan.uid, run_uid=solved.uid)
    plan.refresh_from_db()
    assert plan.is_published
    with scopes_disabled():
        bookings = list(Booking.objects.filter(plan=plan))
    assert len(bookings) == len(solved.optimal["assignments"])
    assert {b.status for b in bookings} == {BookingStatus.BOOKED}
    assert selectors.counters_match(plan)
    assert selectors.oversold_cells(plan) == 0
    live = selectors.live_heat_map(plan)
    assert live.summary.peak <= 1
    assert (
        "published already"
        in errors_of(
            lambda: services.plan_publish(actor=planner, plan_uid=plan.uid, run_uid=solved.uid)
        )["plan"][0]
    )


def test_a_run_made_before_the_requests_changed_is_not_published(solved, planner, plan, org):
    group = make_group(org.trip, 10, "Late-comer")
    services.request_create(
        actor=org.staff,
        plan_uid=plan.uid,
        group_uid=group.uid,
        zone_slug="imam-ali-haram",
        preferred_at=at(plan, 100),
    )
    errors = errors_of(
        lambda: services.plan_publish(actor=planner, plan_uid=plan.uid, run_uid=solved.uid)
    )
    assert "solve again" in errors["run"][0]
    assert not SlotCell.objects.filter(plan=plan, booked__gt=0).exists()


def test_requests_must_be_solved_before_publishing(plan, planner, org):
    crowded(plan, org, n=1)
    assert "run" in errors_of(lambda: services.plan_publish(actor=planner, plan_uid=plan.uid))


def test_preferred_loads_follow_the_visits(plan):
    document = {
        "slots": 6,
        "zones": [{"id": "z", "capacity": 10}],
        "groups": [
            {"id": "a", "size": 4, "visits": [{"zone": "z", "preferred": 1, "duration": 2}]},
            {"id": "b", "size": 7, "visits": [{"zone": "z", "preferred": 2, "duration": 1}]},
        ],
    }
    loads = heatmap.preferred_loads(document)
    assert loads == {"z": [0, 4, 11, 0, 0, 0]}
    summary = heatmap.summarise(loads, heatmap.quotas_of(document))
    assert (summary.peak, summary.hot_cells, summary.over_cells) == (1.1, 1, 1)
