"""Verification: group the same fact across documents, relate claims, score them.

The engine (verifier.consistency, verifier.linking, verifier.scoring) decides; this package
reads claims as engine facts (``facts``), finds candidates through the blocking-key table
(``index``), and writes relations, groups and scores batch by batch (``services``). The job
that runs it, with progress and checkpoints, is claims/pipeline/verification_job.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from claims.jobs import job_create
from claims.models import Job
from claims.verification.facts import claim_facts
from claims.verification.services import BATCH, ENGINE, Candidates, claims_verify

__all__ = [
    "BATCH",
    "ENGINE",
    "Candidates",
    "claim_facts",
    "claims_verification_enqueue",
    "claims_verify",
]


def claims_verification_enqueue(*, claim_ids: Iterable[int]) -> Job | None:
    """Queue a verification job for these claims in the current transaction."""
    ids = sorted(set(claim_ids))
    if not ids:
        return None
    return job_create(kind=Job.Kind.VERIFY_CLAIMS, payload={"claim_ids": ids})
