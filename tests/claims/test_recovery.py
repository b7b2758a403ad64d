"""A worker killed mid-document: its job is taken over within a minute and completes once.

Real processes on PostgreSQL and Redis, with the default lease, heartbeat and sweep settings.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

import verifier
from claims.models import Claim, Evidence, Job
from claims.pipeline.corpus import dense_report
from tests.factories import ingest_text
from tests.workers import own_queues, start_worker, stop, wait_for

pytestmark = [pytest.mark.services, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


@pytest.mark.parametrize("killed", ["whole worker", "pool child"])
def test_a_job_killed_mid_document_is_taken_over_within_a_minute_and_stores_each_span_once(
    settings, killed
):
    text = dense_report(400_000, seed=7)
    expected = {(c.start, c.end) for c in verifier.extract_claims(text)}
    with own_queues() as queues:
        # Small batches, so the kill lands between many commits.
        periodic = start_worker(settings, queues, periodic=True, JOB_BATCH_CLAIMS="20")
        first = start_worker(settings, queues, JOB_BATCH_CLAIMS="20")
        replacement = None
        try:
            job = ingest_text(text, name="dense.txt").job
            midway = wait_for(
                lambda: Job.objects.filter(pk=job.pk, progress__gt=0.15).exists(), seconds=120
            )
            assert midway, "the job never got going"
            if killed == "whole worker":
                os.killpg(first.pid, signal.SIGKILL)
                first.wait()
                # What Compose's restart policy does: a fresh worker in the slot.
                replacement = start_worker(settings, queues, JOB_BATCH_CLAIMS="20")
            else:
                for child in _children(first.pid):
                    os.kill(child, signal.SIGKILL)
            killed_at = time.monotonic()
            stored_at_kill = Claim.objects.filter(extracted_from=job.snapshot).count()
            assert 0 < stored_at_kill < len(expected)

            retaken = wait_for(
                lambda: Job.objects.filter(pk=job.pk, attempts=2).exists(), seconds=90
            )
            took_over_after = time.monotonic() - killed_at
            finished = wait_for(
                lambda: Job.objects.filter(pk=job.pk, state__in=["succeeded", "failed"]).first(),
                seconds=120,
            )
        finally:
            # The verification job that follows may still run: not this test's concern.
            for process in (first, replacement, periodic):
                if process is not None:
                    stop(process, force=True)

    assert retaken and took_over_after < 60, f"taken over after {took_over_after:.0f} s"
    assert finished.state == Job.State.SUCCEEDED, finished.last_error
    assert finished.attempts == 2
    claims = Claim.objects.filter(extracted_from=job.snapshot)
    spans = list(claims.values_list("span_start", "span_end"))
    body = {s for s in expected if s[0] < text.index("\nSources\n")}
    assert len(spans) == len(set(spans)) and set(spans) == body
    assert Evidence.objects.filter(snapshot=job.snapshot).count() == len(spans)
    assert Claim.history.filter(history_type="+").count() == len(spans)
