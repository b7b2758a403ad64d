"""Small extractions queued together: the first to start takes the others over.

In-process (eager) here; tests/claims/test_recovery.py kills a real worker mid-merge.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

import verifier
from claims.jobs import job_run
from claims.models import Claim, Evidence, Job
from claims.pipeline.corpus import dense_report
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)

PUBLISHED = date(2025, 6, 5)


def body_spans(text: str) -> set[tuple[int, int]]:
    """The spans the engine finds before the endnotes: what must be stored, once each."""
    body_end = text.index("\nSources\n")
    found = verifier.extract_claims(text, published=PUBLISHED)
    return {(c.start, c.end) for c in found if c.start < body_end}


def test_small_extractions_queued_together_each_end_succeeded_with_their_own_claims(settings):
    settings.JOB_BATCH_CLAIMS = 60  # a few documents per transaction
    texts = [dense_report(2_500 + 700 * n, seed=40 + n) for n in range(5)]
    # All committed before the first runs, as behind a busy worker.
    with transaction.atomic():
        jobs = [
            ingest_text(t, name=f"r{n}.txt", title=f"Report {n}").job for n, t in enumerate(texts)
        ]
    lead, *members = (Job.objects.get(pk=j.pk) for j in jobs)

    assert lead.state == Job.State.SUCCEEDED, lead.last_error
    assert lead.result["took_over"] == len(members) == lead.result["merged"]
    claim_ids: set[int] = set()
    for job, text in zip([lead, *members], texts, strict=True):
        assert job.state == Job.State.SUCCEEDED, job.last_error
        claims = Claim.objects.filter(extracted_from=job.snapshot)
        spans = list(claims.values_list("span_start", "span_end"))
        assert len(spans) == len(set(spans)) and set(spans) == body_spans(text)
        assert job.result["claims"] == len(spans) == job.claims_so_far > 0
        assert Evidence.objects.filter(snapshot=job.snapshot).count() == len(spans)
        ids = set(claims.values_list("id", flat=True))
        claim_ids |= ids
        # Who, from where and why: each history row names the document's own job.
        for rows in (
            Claim.history.filter(id__in=ids, history_type="+"),
            Evidence.history.filter(snapshot_id=job.snapshot_id, history_type="+"),
        ):
            assert rows.count() == len(spans)
            assert {r.origin for r in rows} == {"task"}
            assert {r.history_change_reason for r in rows} == {
                f"extracted by engine {verifier.__version__} (job {job.pk})"
            }
    assert {m.result["merged_into"] for m in members} == {lead.pk}
    assert all(m.attempts == 1 and m.progress == 1.0 for m in members)
    # Every claim is verified, by fewer jobs than documents.
    verifications = Job.objects.filter(kind=Job.Kind.VERIFY_CLAIMS)
    assert all(v.state == Job.State.SUCCEEDED for v in verifications)
    assert 1 <= verifications.exclude(result__has_key="merged_into").count() < len(texts)
    verified = {i for v in verifications for i in v.payload["claim_ids"]}
    assert verified == claim_ids


def test_a_taken_over_jobs_own_message_later_does_nothing():
    with transaction.atomic():
        jobs = [
            ingest_text(dense_report(3_000, seed=70 + n), name=f"r{n}.txt").job for n in range(3)
        ]
    before = (Claim.objects.count(), Evidence.objects.count(), Job.objects.count())

    assert job_run(job_id=jobs[1].pk) == "nothing to do: already succeeded"

    assert (Claim.objects.count(), Evidence.objects.count(), Job.objects.count()) == before


def test_a_large_document_is_not_merged_and_stops_the_take_over_there(settings):
    small = [dense_report(3_000, seed=80 + n) for n in range(3)]
    with transaction.atomic():
        first = ingest_text(small[0], name="a.txt").job
        big = ingest_text(dense_report(30_000, seed=90), name="big.txt").job
        last = ingest_text(small[1], name="c.txt").job

    first, big, last = (Job.objects.get(pk=j.pk) for j in (first, big, last))
    assert all(j.state == Job.State.SUCCEEDED for j in (first, big, last))
    # Oldest first: the large one waits for its own run, and so does the one behind it.
    assert "merged_into" not in big.result and "merged_into" not in last.result
    assert "took_over" not in first.result
