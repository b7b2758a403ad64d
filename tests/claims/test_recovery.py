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


def test_a_worker_killed_mid_merge_leaves_each_small_report_extracted_once(settings):
    # Short leases and sweeps, so the take-over after the kill comes within seconds.
    timing = {"JOB_LEASE_SECONDS": "6", "JOB_HEARTBEAT_SECONDS": "2", "JOB_SWEEP_SECONDS": "2"}
    texts = [dense_report(8_000, seed=300 + n) for n in range(24)]
    with own_queues() as queues:
        # All queued before a worker runs: the first job takes the others over, and one
        # document per transaction (JOB_BATCH_CLAIMS) gives the kill many commits to land between.
        jobs = [
            ingest_text(t, name=f"r{n}.txt", title=f"Report {n}").job for n, t in enumerate(texts)
        ]
        members = Job.objects.filter(pk__in=[j.pk for j in jobs[1:]])
        first = start_worker(settings, queues, JOB_BATCH_CLAIMS="20", **timing)
        periodic = replacement = None
        try:
            merging = wait_for(
                lambda: members.filter(result__has_key="merged_into").exists(),
                seconds=60,
                every=0.02,
            )
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
            assert merging, "the merge never got going"
            done_at_kill = members.filter(state=Job.State.SUCCEEDED).count()
            periodic = start_worker(settings, queues, periodic=True, **timing)
            replacement = start_worker(settings, queues, JOB_BATCH_CLAIMS="20", **timing)
            ended = wait_for(
                lambda: (
                    not Job.objects.filter(
                        kind=Job.Kind.EXTRACT_CLAIMS, state__in=["queued", "running"]
                    ).exists()
                ),
                seconds=90,
            )
        finally:
            for process in (first, replacement, periodic):
                if process is not None:
                    stop(process, force=True)

    assert ended, "the extractions did not all end"
    assert 0 < done_at_kill < len(members), "the kill did not land mid-merge"
    for job, text in zip(jobs, texts, strict=True):
        job.refresh_from_db()
        assert job.state == Job.State.SUCCEEDED, job.last_error
        claims = Claim.objects.filter(extracted_from=job.snapshot)
        spans = list(claims.values_list("span_start", "span_end"))
        body = {
            (c.start, c.end)
            for c in verifier.extract_claims(text, published=job.snapshot.document.published_at)
            if c.start < text.index("\nSources\n")
        }
        assert len(spans) == len(set(spans)) and set(spans) == body
        assert job.result["claims"] == len(spans)
        assert Evidence.objects.filter(snapshot=job.snapshot).count() == len(spans)
        assert Claim.history.filter(id__in=claims.values("id"), history_type="+").count() == len(
            spans
        )
    # Those the merge had not finished ran again on their own.
    assert members.filter(attempts=2).exclude(result__has_key="merged_into").exists()
