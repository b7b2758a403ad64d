"""The verification job's wrapper: the claims of ``payload["claim_ids"]`` in batches.

Each batch runs ``claims.verification.claims_verify`` (the logic lives there) and records the
job's progress and checkpoint in the same transaction, so a rerun resumes with the next batch
and a job of any size finishes within limits that grow with it (claims/pipeline/limits.py).

A job that starts afresh first takes over the verification jobs still queued behind it
(``verification_take_over``), up to ``JOB_VERIFY_MERGE_CLAIMS`` claims in all. Many small
documents arrive together (a desk's morning batch, a decision burst): verified one job each,
every job reads the same popular candidates and rescores the same partners again; merged, the
batches share one candidate cache and each partner is rescored once a batch. Measured on 60
small reports: 21.1 s one job each, 10.3 s merged (README, "Ingest pipeline figures").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.jobs import job_handler
from claims.models import Job
from claims.pipeline.leases import LeaseLost
from claims.pipeline.progress import checkpointed_batches
from claims.verification import ENGINE, Candidates, claims_verify

# Queued jobs looked at per take-over: bounds the one transaction that takes them.
TAKE_OVER_JOBS = 500


@job_handler(Job.Kind.VERIFY_CLAIMS, atomic=False)
def verify_claims_job(job: Job) -> dict[str, Any]:
    """Recompute the groups of ``payload["claim_ids"]`` batch by batch; returns counts."""
    if not (job.checkpoint or {}).get("next"):
        # Only before the first batch: a resumed run's checkpoint counts into the ids as
        # they were when it was written.
        verification_take_over(job, limit=settings.JOB_VERIFY_MERGE_CLAIMS)
    ids = sorted({int(i) for i in job.payload.get("claim_ids", [])})
    reason = f"verification by engine {ENGINE} (job {job.pk})"
    totals: dict[str, Any] = dict(job.checkpoint.get("totals", {})) if job.checkpoint else {}
    candidates = Candidates()  # read once for all batches (claims.verification.services)
    for batch in checkpointed_batches(job, ids, size=settings.JOB_VERIFY_BATCH_CLAIMS):
        counts = claims_verify(claim_ids=batch, reason=reason, candidates=candidates)
        for name, value in counts.items():
            if isinstance(value, int) and name != "claims":
                totals[name] = totals.get(name, 0) + value
        job.checkpoint = {**(job.checkpoint or {}), "totals": totals}
    taken = job.payload.get("took_over", [])
    return {"claims": len(ids), **totals, "took_over": len(taken), "engine": ENGINE}


def verification_take_over(job: Job, *, limit: int) -> list[int]:
    """Move the claims of queued verification jobs into ``job``, oldest first, while the
    claims in all stay within ``limit``; returns the ids of the jobs taken over.

    In one transaction: ``job``'s payload gains their claims (so a rerun of ``job`` after a
    crash verifies them too) and each of them ends, succeeded, with ``result["merged_into"]``
    naming ``job``. A job another run took meanwhile is left alone (the state condition);
    its message, delivered later, finds the job ended and does nothing.
    """
    ids = {int(i) for i in job.payload.get("claim_ids", [])}
    if len(ids) >= limit:
        return []
    now = timezone.now()
    taken: list[int] = []
    with transaction.atomic():
        queued = (
            Job.objects.select_for_update(skip_locked=True)
            .filter(kind=Job.Kind.VERIFY_CLAIMS, state=Job.State.QUEUED)
            .exclude(pk=job.pk)
            .order_by("id")
            .only("id", "payload")[:TAKE_OVER_JOBS]
        )
        for other in queued:
            theirs = {int(i) for i in other.payload.get("claim_ids", [])}
            if len(ids | theirs) > limit:
                break  # oldest first: the rest wait for a job of their own
            ended = Job.objects.filter(pk=other.pk, state=Job.State.QUEUED).update(
                state=Job.State.SUCCEEDED,
                result={"merged_into": job.pk, "claims": len(theirs), "engine": ENGINE},
                progress=1.0,
                started_at=now,
                finished_at=now,
                estimated_end_at=now,
                updated_at=now,
            )
            if ended:
                ids |= theirs
                taken.append(other.pk)
        if not taken:
            return []
        payload = {
            **job.payload,
            "claim_ids": sorted(ids),
            "took_over": [*job.payload.get("took_over", []), *taken],
        }
        owned = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING)
        if job.lease_owner:
            owned = owned.filter(lease_owner=job.lease_owner)
        if owned.update(payload=payload, updated_at=now) != 1:
            # Rolls the take-over back: the jobs stay queued for a run that holds its lease.
            raise LeaseLost(f"job {job.pk} was taken over by another run")
    job.payload = payload
    return taken
