"""The job pipeline: batches, checkpoints, progress, leases and time limits (in-process)."""

from __future__ import annotations

import uuid

import pytest
import redis
from django.db import transaction
from django.utils import timezone

import verifier
from claims.jobs import job_run
from claims.models import Claim, Evidence, Job
from claims.pipeline.bulk import bulk_insert
from claims.pipeline.corpus import dense_report
from claims.pipeline.leases import LeaseLost, lease_acquire
from claims.pipeline.limits import WorkTooLarge, extraction_limits, job_time_limits
from claims.pipeline.progress import job_progress
from sources.history import MissingChangeContext, tracked_change
from sources.models import Snapshot
from tests.brokers import broker
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)

DENSE = "".join(
    f"Officials said {10 + n} residents of village {n} were evacuated on June {n % 28 + 1}. "
    f"Rescuers counted {100 + n} damaged homes there.\n"
    for n in range(12)
)


def test_extraction_writes_in_batches_with_who_where_and_why_on_every_history_row(settings):
    settings.JOB_BATCH_CLAIMS = 5

    job = ingest_text(DENSE).job

    job.refresh_from_db()
    found = len(verifier.extract_claims(DENSE))
    assert found > 3 * settings.JOB_BATCH_CLAIMS
    claims = Claim.objects.filter(extracted_from=job.snapshot)
    assert claims.count() == found == job.result["created"] == job.claims_so_far
    for model in (Claim, Evidence):
        rows = model.history.filter(history_type="+")
        assert rows.count() == found
        assert {r.origin for r in rows} == {"task"}
        assert all(f"(job {job.pk})" in r.history_change_reason for r in rows)
    assert job.progress == 1.0 and job.estimated_end_at is not None
    assert job.checkpoint["offset"] == len(job.snapshot.text)


def test_stored_claims_and_their_history_rows_hold_what_the_engine_read():
    job = ingest_text(DENSE).job

    snapshot = Snapshot.objects.select_related("document").get(pk=job.snapshot_id)
    text, published = snapshot.text, snapshot.document.published_at
    found = {(c.start, c.end): c for c in verifier.extract_claims(text, published=published)}
    fields = ("statement", "quote", "value", "unit", "time_start", "places", "inherited")
    for claim in Claim.objects.filter(extracted_from=job.snapshot):
        item = found[(claim.span_start, claim.span_end)]
        assert claim.quote == item.text and claim.value == item.value
        assert claim.statement == text[item.sentence_start : item.sentence_end]
        assert (
            claim.time_start and claim.time_start.isoformat()
        ) == item.time_start and claim.places == list(item.places)
        assert claim.status == "unreviewed" and claim.version >= 1
        created = claim.history.get(history_type="+")
        assert {f: getattr(created, f) for f in fields} == {f: getattr(claim, f) for f in fields}
        evidence = claim.evidence.get()
        assert (evidence.start, evidence.end, evidence.exact) == (item.start, item.end, item.text)
        assert evidence.prefix == text[max(0, item.start - 32) : item.start]


def test_a_bulk_insert_names_the_person_on_every_history_row(editor):
    snapshot = ingest_text(DENSE).snapshot
    rows = [
        {"kind": "quantitative", "statement": f"{n} homes.", "quote": str(n), "value": float(n),
         "span_start": 10_000 + n, "span_end": 10_001 + n, "places": ["Kharkiv"]}
        for n in range(3)
    ]  # fmt: skip
    with tracked_change(origin="admin", reason="added by hand", user=editor), transaction.atomic():
        stored = bulk_insert(Claim, rows, fixed={"extracted_from_id": snapshot.pk})
    history = Claim.history.filter(id__in=[pk for (pk,) in stored])
    assert history.count() == 3
    assert {(h.history_user, h.origin, h.history_change_reason) for h in history} == {
        (editor, "admin", "added by hand")
    }
    assert sorted(h.value for h in history) == [0.0, 1.0, 2.0]
    assert {tuple(h.places) for h in history} == {("Kharkiv",)}


def test_a_bulk_insert_without_who_where_and_why_writes_nothing():
    snapshot = ingest_text(DENSE).snapshot
    before = Claim.objects.count()
    row = {"kind": "quantitative", "statement": "1 home.", "quote": "1", "span_start": 9_999}
    with pytest.raises(MissingChangeContext):
        bulk_insert(Claim, [row], fixed={"extracted_from_id": snapshot.pk})
    assert Claim.objects.count() == before


def test_a_rerun_resumes_at_the_checkpoint_and_stores_each_span_once(settings):
    settings.JOB_BATCH_CLAIMS = 4
    job = ingest_text(DENSE).job
    snapshot = Snapshot.objects.get(pk=job.snapshot_id)
    spans = sorted(Claim.objects.values_list("span_start", "span_end"))
    # As after a worker killed mid-document: the batches from `cut` on never committed, and
    # the checkpoint says where the last committed batch ended.
    cut = spans[12][0]
    with tracked_change(origin="command", reason="simulate batches lost with the worker"):
        for claim in Claim.objects.filter(span_start__gte=cut):
            claim.delete()
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING,
        lease_expires_at=timezone.now() - timezone.timedelta(seconds=1),
        checkpoint={"carried_over": {}, "offset": cut},
    )

    assert job_run(job_id=job.pk) == "succeeded"

    job.refresh_from_db()
    assert job.result["created"] == len(spans) - 12 and job.attempts == 2
    assert sorted(Claim.objects.values_list("span_start", "span_end")) == spans
    assert Evidence.objects.filter(snapshot=snapshot).count() == len(spans)


def test_a_second_run_of_a_finished_extraction_writes_nothing_and_queues_no_verification():
    job = ingest_text(DENSE).job
    before = (Claim.objects.count(), Job.objects.count())
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED)

    assert job_run(job_id=job.pk) == "succeeded"

    assert (Claim.objects.count(), Job.objects.count()) == before


def test_a_run_whose_lease_was_taken_over_can_record_nothing_more():
    job = ingest_text().job
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED)
    first = lease_acquire(job_id=job.pk).job
    assert lease_acquire(job_id=job.pk).refused == "running elsewhere"
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now())
    second = lease_acquire(job_id=job.pk).job
    assert second is not None and second.lease_owner != first.lease_owner

    with pytest.raises(LeaseLost):
        job_progress(first, done=0.5, claims=1, checkpoint={"offset": 10})
    job_progress(second, done=0.5, claims=1, checkpoint={"offset": 10})
    assert Job.objects.get(pk=job.pk).checkpoint == {"offset": 10}


def test_time_limits_grow_with_the_document(settings):
    small, large = extraction_limits(10_000), extraction_limits(20_000_000)
    assert small.soft >= settings.JOB_SOFT_TIME_LIMIT
    assert large.soft > small.soft + 2000 and large.hard > large.soft
    job = ingest_text(DENSE).job
    assert job_time_limits(job).soft == extraction_limits(len(job.snapshot.text)).soft


def test_a_document_no_job_could_finish_is_refused_at_submission_with_nothing_written(settings):
    settings.JOB_MAX_TIME_LIMIT = settings.JOB_TIME_LIMIT + 10
    settings.JOB_SECONDS_PER_MILLION_CHARS = 100_000

    with pytest.raises(WorkTooLarge) as refused:
        ingest_text(DENSE * 20, name="huge.txt")

    message = str(refused.value)
    assert "huge.txt" in message and "JOB_MAX_TIME_LIMIT" in message and "Split it" in message
    assert not Snapshot.objects.exists() and not Job.objects.exists()


def test_the_api_returns_the_jobs_progress(editor, client):
    job = ingest_text(DENSE).job
    client.force_login(editor)

    body = client.get(f"/api/v1/jobs/{job.pk}/").json()

    assert body["state"] == "succeeded" and body["progress"] == 1.0
    assert body["claims_so_far"] == Claim.objects.count() > 0
    assert body["started_at"] and body["estimated_end_at"] and body["finished_at"]


@pytest.mark.big
@pytest.mark.services
def test_a_3_mb_report_is_extracted_on_postgresql_each_span_once_and_its_verification_fits(
    settings,
):
    text = dense_report(3_000_000, seed=11)
    # Jobs go through Redis to a queue of this test's own, which no worker serves: this test
    # runs the extraction as the worker would, and leaves the verification queued.
    queue = f"test-big-{uuid.uuid4().hex[:8]}"
    try:
        with broker(settings.REDIS_URL, queue=queue):
            job = ingest_text(text, name="big.txt").job
            assert job_run(job_id=job.pk) == "succeeded"
    finally:
        redis.Redis.from_url(settings.REDIS_URL).delete(queue)

    job.refresh_from_db()
    claims = Claim.objects.filter(extracted_from=job.snapshot)
    spans = set(claims.values_list("span_start", "span_end", "kind"))
    assert len(spans) == claims.count() == job.result["created"] == job.claims_so_far > 30_000
    assert Evidence.objects.filter(snapshot=job.snapshot).count() == len(spans)
    assert Claim.history.filter(extracted_from_id=job.snapshot_id).count() == len(spans)
    verify = Job.objects.get(pk=job.result["verify_job"])
    assert verify.state == Job.State.QUEUED and len(verify.payload["claim_ids"]) == len(spans)
    assert job_time_limits(verify).hard <= settings.JOB_MAX_TIME_LIMIT
