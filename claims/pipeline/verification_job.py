"""The verification job's wrapper: the claims of ``payload["claim_ids"]`` in batches.

Each batch runs ``claims.verification.claims_verify`` (the logic lives there) and records the
job's progress and checkpoint in the same transaction, so a rerun resumes with the next batch
and a job of any size finishes within limits that grow with it (claims/pipeline/limits.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from claims.jobs import job_handler
from claims.models import Job
from claims.pipeline.progress import checkpointed_batches
from claims.verification import ENGINE, Candidates, claims_verify


@job_handler(Job.Kind.VERIFY_CLAIMS, atomic=False)
def verify_claims_job(job: Job) -> dict[str, Any]:
    """Recompute the groups of ``payload["claim_ids"]`` batch by batch; returns counts."""
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
    return {"claims": len(ids), **totals, "engine": ENGINE}
