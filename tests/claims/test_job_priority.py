"""Verification waits behind extraction on a shared queue: claims reach the desk first.

A real worker over Redis on PostgreSQL. Everything is sent before the worker starts, the
verification job first, so without priorities the worker would take it first (FIFO).
"""

from __future__ import annotations

import pytest

from claims.jobs import job_create
from claims.models import Claim, Job
from sources.history import tracked_change
from tests.factories import ingest_text
from tests.workers import own_queues, start_worker, stop, wait_for

pytestmark = [pytest.mark.services, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REPORT = (
    "KHARKIV - Russian shelling killed {n} civilians in Kupiansk on June {day}, officials said. "
    "Another {m} people were wounded.\n"
)


def _ended() -> bool:
    return not Job.objects.filter(state__in=["queued", "running"]).exists()


def test_extractions_sent_after_a_verification_are_run_before_it(settings):
    assert settings.JOB_VERIFY_PRIORITY == 9 and not settings.JOB_VERIFY_QUEUE
    with own_queues() as queues:
        with tracked_change(origin="command", reason="test setup"):
            waiting = job_create(kind=Job.Kind.VERIFY_CLAIMS, payload={"claim_ids": []})
        extractions = [
            ingest_text(REPORT.format(n=3 + n, m=10 + n, day=2 + n), title=f"Report {n}").job
            for n in range(3)
        ]
        worker = start_worker(settings, queues)
        try:
            assert wait_for(_ended, seconds=90), "the jobs did not end"
        finally:
            stop(worker, force=True)

    waiting.refresh_from_db()
    assert waiting.state == Job.State.SUCCEEDED, waiting.last_error
    for job in extractions:
        job.refresh_from_db()
        assert job.state == Job.State.SUCCEEDED, job.last_error
        assert job.finished_at <= waiting.started_at, "an extraction waited for a verification"
    # The first extraction took the other two over (claims.pipeline.extraction_merge) and
    # queued fewer verifications than documents; they waited too, and cover every claim.
    assert {j.result.get("merged_into") for j in extractions[1:]} == {extractions[0].pk}
    verifications = Job.objects.filter(kind=Job.Kind.VERIFY_CLAIMS).exclude(pk=waiting.pk)
    assert 1 <= verifications.count() < 3
    assert all(v.state == Job.State.SUCCEEDED for v in verifications)
    assert all(v.started_at >= waiting.started_at for v in verifications)
    verified = {i for v in verifications for i in v.payload["claim_ids"]}
    assert verified == set(Claim.objects.values_list("id", flat=True))
