"""The whole pipeline through a real Celery worker over Redis, on PostgreSQL (not eager)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest

from claims.models import Claim, Job
from sources.history import tracked_change
from sources.models import Source
from tests.brokers import broker
from tests.factories import ingest_text

# A second, different report: the same text would be the same snapshot, with nothing to do.
REPORT_TWO = (
    "KYIV, June 6, 2025. Russian forces launched 52 drones overnight; air defence shot "
    "down 40 of them over six regions, the Air Force said.\n"
)

pytestmark = [pytest.mark.services, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings, tmp_path):
    """A Celery worker process consuming a queue of its own, against the test database;
    what it logs is in its ``log`` file."""
    db = settings.DATABASES["default"]
    log_path = tmp_path / "worker.log"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    user = db["USER"] or "postgres"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "JOB_QUEUE": queue,
        "JOB_PERIODIC_QUEUE": f"{queue}-periodic",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=(log := log_path.open("w")),
        stderr=subprocess.STDOUT,
    )
    process.log = log_path  # type: ignore[attr-defined]
    with broker(os.environ["REDIS_URL"], queue=queue):
        yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def wait_for_job(job_id: int, seconds: float = 60) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.state in (Job.State.SUCCEEDED, Job.State.FAILED):
            return job
        time.sleep(0.25)
    raise AssertionError(f"job {job_id} still {job.state} after {seconds}s")


def test_a_report_goes_in_and_claims_come_out_through_a_real_worker(worker):
    with tracked_change(origin="command", reason="test setup"):
        Source.objects.create(name="Test Outlet", reliability="B")

    result = ingest_text()

    job = wait_for_job(result.job.pk)
    assert job.state == Job.State.SUCCEEDED, job.last_error
    assert job.attempts == 1
    claims = Claim.objects.filter(extracted_from=result.snapshot)
    assert sorted(c.value or c.lower for c in claims.filter(kind="quantitative")) == [48, 3000]
    assert all(c.history.get(history_type="+").origin == "task" for c in claims)
    assert worker.poll() is None, "the worker must keep running"


def test_a_refused_capture_fails_its_job_and_the_worker_keeps_working(worker, settings):
    from claims.capture import url_capture_request

    settings.FETCH_ALLOW_LOOPBACK_PORTS = []
    refused = url_capture_request(url="http://169.254.169.254/latest/meta-data/", origin="api")

    job = wait_for_job(refused.pk)
    assert job.state == Job.State.FAILED and "169.254.169.254" in job.last_error
    after = wait_for_job(ingest_text().job.pk)
    assert after.state == Job.State.SUCCEEDED
    assert worker.poll() is None, "the worker must keep running"


def _others_connected() -> list[int]:
    """Backends of the test database other than this test's own connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return [row[0] for row in cursor.fetchall()]


def test_the_worker_keeps_its_connection_and_recovers_when_the_server_drops_it(worker):
    """A new connection costs more than a small job's own queries, so a worker keeps its
    own from job to job; when the server drops it (a restart, an administrator), the next
    job still runs, on a fresh connection, without an error."""
    from django.db import connection

    with tracked_change(origin="command", reason="test setup"):
        Source.objects.create(name="Test Outlet", reliability="B")
    first = wait_for_job(ingest_text().job.pk)
    assert first.state == Job.State.SUCCEEDED, first.last_error
    for job in Job.objects.exclude(pk=first.pk):  # its verification job
        wait_for_job(job.pk)

    kept = _others_connected()
    assert kept, "the worker closed its database connection after its jobs"

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [kept])
    deadline = time.monotonic() + 10
    while set(kept) & set(_others_connected()) and time.monotonic() < deadline:
        time.sleep(0.1)

    second = wait_for_job(ingest_text(REPORT_TWO, name="two.txt").job.pk)
    assert second.state == Job.State.SUCCEEDED, second.last_error
    assert second.last_error == "" and second.attempts == 1
    # Not even a retry: the dead connection was dropped before the job's first query.
    assert "OperationalError" not in worker.log.read_text()
    assert Claim.objects.filter(extracted_from=second.snapshot).exists()
    assert not set(kept) & set(_others_connected()), "a dropped connection came back"
    assert worker.poll() is None, "the worker must keep running"
