from __future__ import annotations

import pytest
from django.utils import timezone

from claims.jobs import job_run, jobs_sweep
from claims.models import Claim, Evidence, Job
from config.celery import app as celery_app
from sources.history import tracked_change
from tests.brokers import broker
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_down():
    """A broker that refuses connections: a local port nothing listens on."""
    with broker("redis://127.0.0.1:9/0"):
        yield


def test_running_an_extraction_job_twice_gives_the_same_result():
    job = ingest_text().job
    claims = list(Claim.objects.values_list("id", "quote").order_by("id"))
    assert claims

    assert job_run(job_id=job.pk).startswith("nothing to do")
    # Even when forced to run again, the unique spans make the second run a no-op.
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED)
    assert job_run(job_id=job.pk) == "succeeded"

    assert list(Claim.objects.values_list("id", "quote").order_by("id")) == claims
    assert Evidence.objects.count() == len(claims)
    job.refresh_from_db()
    assert job.result["created"] == 0 and job.attempts == 2


def test_a_broker_that_is_down_leaves_the_job_queued_and_the_data_committed(broker_down):
    result = ingest_text()  # must not raise, nor hang

    job = Job.objects.get(pk=result.job.pk)
    assert job.state == Job.State.QUEUED and job.dispatched_at is None
    assert result.snapshot.pk is not None
    assert Claim.objects.count() == 0


def test_the_sweeper_sends_jobs_that_stayed_queued(broker_down, settings):
    job = ingest_text().job
    settings.JOB_REQUEUE_AFTER_SECONDS = 0
    celery_app.conf.task_always_eager = True  # the broker is back (in-process here)

    assert jobs_sweep() == 1

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert Claim.objects.exists()


def test_the_sweeper_reruns_a_job_whose_worker_died(settings):
    job = ingest_text().job
    with tracked_change(origin="command", reason="simulate work lost with the worker"):
        Claim.objects.all().delete()
    past = timezone.now() - timezone.timedelta(minutes=5)
    # The worker died before its first batch committed: no claims, no checkpoint.
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, lease_expires_at=past, checkpoint={}
    )

    assert jobs_sweep() == 1

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert Claim.objects.exists()


def test_a_job_that_keeps_failing_is_given_up_with_its_error(settings):
    job = ingest_text().job
    settings.JOB_MAX_ATTEMPTS = 2
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.QUEUED, attempts=2, updated_at=timezone.now() - timezone.timedelta(1)
    )

    assert jobs_sweep() == 0

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "gave up after 2 attempts" in job.last_error
