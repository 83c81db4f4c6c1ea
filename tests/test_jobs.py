"""The job layer: enqueue on commit, progress on a row, retries, a page that polls."""

import pytest
from django.db import transaction
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from zaireen.core.jobs import enqueue, job_task
from zaireen.core.models import Heartbeat, Job
from zaireen.core.tasks import heartbeat

ATTEMPTS: list[int] = []


@job_task(retries=0)
def count_to(progress, n: int):
    for i in range(1, n + 1):
        progress(i, total=n, message=f"counted {i}")
    return {"counted": n}


@job_task(retries=2, retry_delay=0)
def flaky(progress, failures: int):
    ATTEMPTS.append(1)
    if len(ATTEMPTS) <= failures:
        raise RuntimeError(f"failure {len(ATTEMPTS)}")
    return {"attempts": len(ATTEMPTS)}


@pytest.fixture(autouse=True)
def _reset_attempts():
    ATTEMPTS.clear()


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_after_commit_and_records_progress_and_result():
    with transaction.atomic():
        job = enqueue(count_to, 5, label="Counting")
        assert Job.objects.get(id=job.id).status == Job.Status.QUEUED
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.message) == (5, 5, "counted 5")
    assert job.result == {"counted": 5}
    assert job.attempts == 1
    assert job.started_at
    assert job.finished_at
    assert job.percent == 100


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_in_a_transaction_that_rolls_back_never_runs():
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        enqueue(count_to, 3)
        raise Abort
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_retried_and_succeeds():
    job = enqueue(flaky, 2)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.attempts == 3
    assert job.result == {"attempts": 3}


@pytest.mark.django_db(transaction=True)
def test_a_job_that_fails_every_retry_is_marked_failed_with_the_error():
    job = enqueue(flaky, 10)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.attempts == 3
    assert "RuntimeError: failure 3" in job.error
    assert job.finished_at is not None


def test_the_heartbeat_is_scheduled_every_minute():
    import datetime

    for minute in (0, 17, 59):
        moment = datetime.datetime(2026, 8, 4, 12, minute)  # noqa: DTZ001 (huey compares naive UTC)
        due = [task.name for task in HUEY.read_periodic(moment)]
        assert heartbeat.name in due


@pytest.mark.django_db(transaction=True)
def test_the_periodic_heartbeat_runs_and_records_a_beat():
    import datetime

    due = HUEY.read_periodic(datetime.datetime.now(datetime.UTC).replace(tzinfo=None))
    for task in due:
        HUEY.execute(task)
    beat = Heartbeat.objects.get(name="worker")
    assert beat.beats == 1
    for task in HUEY.read_periodic(datetime.datetime.now(datetime.UTC).replace(tzinfo=None)):
        HUEY.execute(task)
    beat.refresh_from_db()
    assert beat.beats == 2


@pytest.mark.django_db
def test_the_job_page_shows_progress_to_its_owner_and_polls_while_running(client, user):
    job = Job.objects.create(kind="demo", label="Import", created_by=user, done=3, total=12)
    client.force_login(user)
    page = client.get(reverse("core:job_detail", args=[job.id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'aria-valuenow="25"' in html
    assert "every 1s" in html
    partial = client.get(reverse("core:job_detail", args=[job.id]), HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert 'id="job-progress"' in partial.content.decode()


@pytest.mark.django_db
def test_a_finished_job_stops_polling(client, user):
    job = Job.objects.create(
        kind="demo", created_by=user, status=Job.Status.SUCCEEDED, done=12, total=12
    )
    client.force_login(user)
    html = client.get(reverse("core:job_detail", args=[job.id])).content.decode()
    assert "every 1s" not in html
    assert 'aria-valuenow="100"' in html


def _redis_answers() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


REDIS_ROUND_TRIP = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "zaireen.settings"
import django
django.setup()
from huey.contrib.djhuey import HUEY
HUEY.flush()

@HUEY.task()
def add(a, b):
    return a + b

result = add(2, 3)
assert HUEY.pending_count() == 1
HUEY.execute(HUEY.dequeue())
print(type(HUEY).__name__, result.get())
"""


@pytest.mark.skipif(not _redis_answers(), reason="no Redis server on 127.0.0.1:6379")
def test_with_redis_url_the_queue_is_redis(tmp_path):
    """Production's queue: a task goes through a real Redis and comes back."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(REDIS_URL="redis://127.0.0.1:6379/15", ZAIREEN_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", REDIS_ROUND_TRIP],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["RedisHuey", "5"]
