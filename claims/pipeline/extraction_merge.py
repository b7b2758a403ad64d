"""Small extraction jobs taken over by the one that starts first, and given back on failure.

A desk's morning batch is hundreds of 2-10 KB reports: one job each, the job's own cost (its
Celery message, lease, transactions, ledger chain, verification job) was several times the
engine's 20 ms. An extraction job that starts afresh on a small document therefore takes over
the extraction jobs queued behind it, oldest first, up to ``JOB_EXTRACT_MERGE_CHARS``
characters of text in all, and stores their documents together (claims.pipeline.extraction):
a few documents per transaction, one verification job for them.

Each job taken over keeps its own row and outcome. It is marked running under the lead run's
lease token, so the heartbeat renews it with the lead (claims.pipeline.leases) and a killed
worker lets all of them go at once: the sweeper or their own messages then run each one alone,
resuming from what committed. Its documents' claims, its verification job and its success mark
commit in one transaction, conditioned on that token, so it completes exactly once. Its own
message, when a worker takes it, finds the job ended and does nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone

from claims.models import Job
from claims.pipeline.leases import LeaseLost, lease_expiry

# Queued jobs looked at per take-over: bounds the one transaction that takes them.
TAKE_OVER_JOBS = 500
# Only a document this small (a few hundred claims at the densest, one batch) takes others
# over or is taken over; a larger one runs alone, batch by batch.
MERGE_DOCUMENT_CHARS = 20_000


def extraction_take_over(job: Job, *, chars: int) -> list[Job]:
    """Take the queued extraction jobs behind ``job`` (whose document has ``chars``
    characters), oldest first, while the text in all stays within
    ``JOB_EXTRACT_MERGE_CHARS``; returns them, with their snapshots, oldest first.

    Only jobs that never ran are taken (a job resuming a checkpoint runs alone). In one
    transaction they become running under ``job``'s lease token and ``job``'s payload lists
    them (``took_over``). Raises LeaseLost, taking nothing, when ``job`` is no longer this run's.
    """
    limit = settings.JOB_EXTRACT_MERGE_CHARS
    if chars > limit or not job.lease_owner:
        return []
    now = timezone.now()
    with transaction.atomic():
        queued = (
            Job.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(kind=Job.Kind.EXTRACT_CLAIMS, state=Job.State.QUEUED, attempts=0)
            .exclude(pk=job.pk)
            .exclude(snapshot=None)
            .annotate(chars=Length("snapshot__text"))
            .order_by("id")
            .only("id")[:TAKE_OVER_JOBS]
        )
        taken: list[int] = []
        total = chars
        for other in queued:
            if other.chars > MERGE_DOCUMENT_CHARS or total + other.chars > limit:
                break  # oldest first: it and the rest wait for a job of their own
            total += other.chars
            taken.append(other.pk)
        if not taken:
            return []
        # Job is not history-tracked: plain updates (the rows are locked above).
        Job.objects.filter(pk__in=taken).update(
            state=Job.State.RUNNING,
            attempts=1,
            started_at=now,
            heartbeat_at=now,
            lease_owner=job.lease_owner,
            lease_expires_at=lease_expiry(),
            updated_at=now,
        )
        payload = {**job.payload, "took_over": [*job.payload.get("took_over", []), *taken]}
        owned = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, lease_owner=job.lease_owner)
        if owned.update(payload=payload, updated_at=now) != 1:
            raise LeaseLost(f"job {job.pk} was taken over by another run")
    job.payload = payload
    return list(
        Job.objects.filter(pk__in=taken).select_related("snapshot__document").order_by("id")
    )


def members_owned(job: Job, members: list[Job]) -> set[int]:
    """Lock the ``members`` still held under ``job``'s lease token; returns their ids.

    Call it inside the transaction that writes their documents: a member another run took
    meanwhile (its lease had run out) is not among them, and none can be taken until commit.
    """
    return set(
        Job.objects.select_for_update()
        .filter(
            pk__in=[m.pk for m in members], state=Job.State.RUNNING, lease_owner=job.lease_owner
        )
        .values_list("pk", flat=True)
    )


def member_finish(job: Job, member: Job, *, result: dict, checkpoint: dict) -> None:
    """Mark ``member`` succeeded with ``result``, in the caller's transaction (after
    ``members_owned`` locked it)."""
    now = timezone.now()
    Job.objects.filter(pk=member.pk, state=Job.State.RUNNING, lease_owner=job.lease_owner).update(
        state=Job.State.SUCCEEDED,
        result=result,
        progress=1.0,
        claims_so_far=result.get("claims", 0),
        checkpoint=checkpoint,
        finished_at=now,
        estimated_end_at=now,
        heartbeat_at=now,
        lease_expires_at=None,
        last_error="",
        updated_at=now,
    )


def members_release(job: Job, members: list[Job]) -> int:
    """Give the ``members`` not finished back to the queue, to run alone; returns how many.

    Their own messages are still with the broker (and the sweeper sends queued jobs again),
    so each then runs in a job of its own, its error, if any, its own.
    """
    if not members:
        return 0
    with transaction.atomic():
        return Job.objects.filter(
            pk__in=[m.pk for m in members],
            state=Job.State.RUNNING,
            lease_owner=job.lease_owner,
        ).update(
            state=Job.State.QUEUED, lease_owner="", lease_expires_at=None, updated_at=timezone.now()
        )
