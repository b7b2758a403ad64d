"""Time limits that follow the work, and refusal at submission of what cannot finish.

A job's soft limit is a base plus an allowance per unit of work: per million characters of
snapshot text for extraction, per thousand claims for verification. Both allowances are far
above the measured pace (README, "Ingest pipeline figures"), so a slow or busy machine still
finishes; a soft limit that is reached anyway sends the job back to the queue, and the next
run resumes from its checkpoint. A document whose limit would exceed ``JOB_MAX_TIME_LIMIT``
is refused before anything is written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models.functions import Length

from claims.models import Job
from sources.models import Snapshot
from sources.readers import CaptureError

# Seconds between the soft limit (the job is asked to stop) and the hard one (it is killed).
HARD_LIMIT_GRACE = 60


class WorkTooLarge(CaptureError):
    """The work would need more time than any job may take; nothing was written."""


@dataclass(frozen=True)
class TimeLimits:
    soft: int
    hard: int


def _limits(units: float, per_unit: int) -> TimeLimits:
    soft = settings.JOB_SOFT_TIME_LIMIT + math.ceil(units * per_unit)
    return TimeLimits(soft=soft, hard=max(soft + HARD_LIMIT_GRACE, settings.JOB_TIME_LIMIT))


def extraction_limits(chars: int) -> TimeLimits:
    return _limits(chars / 1_000_000, settings.JOB_SECONDS_PER_MILLION_CHARS)


def verification_limits(claims: int) -> TimeLimits:
    return _limits(claims / 1000, settings.JOB_SECONDS_PER_THOUSAND_CLAIMS)


def job_time_limits(job: Job) -> TimeLimits:
    """The soft and hard limits (seconds) of one run of ``job``."""
    if job.kind == Job.Kind.EXTRACT_CLAIMS and job.snapshot_id:
        chars = (
            Snapshot.objects.filter(pk=job.snapshot_id)
            .annotate(chars=Length("text"))
            .values_list("chars", flat=True)
            .first()
        )
        return extraction_limits(chars or 0)
    if job.kind == Job.Kind.VERIFY_CLAIMS:
        return verification_limits(len(job.payload.get("claim_ids", [])))
    return _limits(0, 0)


def refuse_unworkable(*, chars: int, name: str) -> None:
    """Raise WorkTooLarge when extracting and verifying ``chars`` characters cannot finish.

    Verification is counted at the densest text measured (about 15 claims per 1,000
    characters), so a document that passes here fits both jobs' limits.
    """
    extract = extraction_limits(chars)
    verify = verification_limits(math.ceil(chars * 15 / 1000))
    longest = max(extract.hard, verify.hard)
    if longest > settings.JOB_MAX_TIME_LIMIT:
        most = _largest_workable()
        raise WorkTooLarge(
            f"{name} has {chars:,} characters of text; its extraction and verification would "
            f"need up to {longest:,} s, more than the {settings.JOB_MAX_TIME_LIMIT:,} s a job "
            f"may take (JOB_MAX_TIME_LIMIT). Split it into parts of at most {most:,} "
            "characters, or raise JOB_MAX_TIME_LIMIT."
        )


def _largest_workable() -> int:
    low, high = 0, 10**10
    while low < high:
        middle = (low + high + 1) // 2
        extract = extraction_limits(middle).hard
        verify = verification_limits(math.ceil(middle * 15 / 1000)).hard
        if max(extract, verify) <= settings.JOB_MAX_TIME_LIMIT:
            low = middle
        else:
            high = middle - 1
    return low
