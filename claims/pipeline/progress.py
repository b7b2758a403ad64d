"""Progress and checkpoints, written batch by batch in the batch's own transaction."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from claims.models import Job
from claims.pipeline.leases import LeaseLost, lease_expiry

T = TypeVar("T")


def job_progress(
    job: Job,
    *,
    done: float,
    claims: int | None = None,
    checkpoint: dict[str, Any] | None = None,
) -> None:
    """Record how far the job got; call it inside the transaction of the batch it follows.

    ``done`` is the share of the work done (0 to 1), ``claims`` the claims so far, and
    ``checkpoint`` where a rerun resumes. The estimated end extrapolates this run's pace.
    Renews the lease. Raises LeaseLost, rolling the batch back, when another run took over.
    """
    now = timezone.now()
    done = min(1.0, max(0.0, done))
    fields: dict[str, Any] = {
        "progress": done,
        "heartbeat_at": now,
        "lease_expires_at": lease_expiry(),
        "estimated_end_at": _estimated_end(job, done, now),
        "updated_at": now,
    }
    if claims is not None:
        fields["claims_so_far"] = claims
    if checkpoint is not None:
        fields["checkpoint"] = checkpoint
    # Job is not history-tracked: a conditional update is the point here (the lease check).
    query = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING)
    if job.lease_owner:
        query = query.filter(lease_owner=job.lease_owner)
    if query.update(**fields) != 1:
        raise LeaseLost(f"job {job.pk} was taken over by another run")
    for name, value in fields.items():
        setattr(job, name, value)


def _estimated_end(job: Job, done: float, now: Any) -> Any:
    # Extrapolate from what this run did since it started (a resumed run starts part-way).
    start_done, started = getattr(job, "_run_start", (None, None))
    if started is None:
        job._run_start = (job.progress, job.started_at or now)  # type: ignore[attr-defined]
        start_done, started = job._run_start  # type: ignore[attr-defined]
    gained = done - start_done
    if gained <= 0:
        return None
    elapsed = (now - started).total_seconds()
    return now + timedelta(seconds=elapsed / gained * (1.0 - done))


class BatchSizer:
    """Batch sizes that keep each transaction near ``JOB_BATCH_SECONDS`` on SQLite.

    SQLite holds one write lock for the whole database, so a batch is as long as others wait:
    on a busy machine the size shrinks until a batch takes about the target again, and it
    grows back (up to ``JOB_BATCH_CLAIMS``) when the machine is idle. PostgreSQL keeps the
    configured size. ``longest`` is the longest batch so far, in seconds.
    """

    def __init__(
        self, size: int | None = None, *, smallest: int = 50, first: int | None = None
    ) -> None:
        self.largest = size or settings.JOB_BATCH_CLAIMS
        self.smallest = min(smallest, self.largest)
        self._adapt = connection.vendor == "sqlite"
        # SQLite starts at `first` (work of unknown pace), growing while batches stay short.
        self.size = min(first or self.largest, self.largest) if self._adapt else self.largest
        self.longest = 0.0
        self.last = 0.0  # seconds the latest batch took

    @contextmanager
    def timed(self) -> Iterator[None]:
        start = time.perf_counter()
        yield
        took = time.perf_counter() - start
        self.last = took
        self.longest = max(self.longest, took)
        if self._adapt and took > 0:
            wanted = int(self.size * settings.JOB_BATCH_SECONDS / took)
            self.size = max(self.smallest, min(self.largest, wanted, self.size * 2))


def relaxed_commit() -> None:
    """Let this transaction's commit return before its WAL reaches the disk (PostgreSQL).

    Safe for a checkpointed batch: the checkpoint is in the same transaction, so a crash that
    loses the last commits loses their checkpoints too, and the rerun writes those batches
    again. The database itself stays consistent (``synchronous_commit`` is not ``fsync``).
    Call it first thing inside the batch's ``transaction.atomic()``.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def yield_to_writers(held: float = 0.0) -> None:
    """Between two batches on SQLite, leave the write lock free long enough for others.

    SQLite has one writer at a time, and a waiting writer only polls for the lock (every
    100 ms at most, once it has waited a while): a job that begins its next batch right after
    committing the last would take the lock again every time and starve the web's writes
    (a sign-in, a decision). The pause is at least ``JOB_SQLITE_YIELD_SECONDS`` and at least
    as long as the batch held the lock (``held``), so the job holds the lock at most half the
    time: on a busy machine, where a waiting web thread may not get a core for a while, its
    window grows with the batches. PostgreSQL locks rows, not the database: no pause there.
    """
    if connection.vendor == "sqlite":
        time.sleep(max(settings.JOB_SQLITE_YIELD_SECONDS, held))


def checkpointed_batches(
    job: Job, items: Sequence[T], *, size: int, key: str = "next"
) -> Iterator[Sequence[T]]:
    """Yield ``items`` in slices from the checkpoint on, each in its own transaction.

    After the loop body has handled a slice, its progress and checkpoint are recorded in the
    same transaction; an exception in the body rolls back that slice only.
    """
    total = len(items)
    low = int(job.checkpoint.get(key, 0)) if job.checkpoint else 0
    # On SQLite the slices shrink until one holds the write lock about JOB_BATCH_SECONDS
    # (verification reads, compares and writes in one slice); elsewhere they stay at `size`.
    sizer = BatchSizer(size, smallest=5, first=20)
    while low < total:
        high = min(total, low + sizer.size)
        with sizer.timed(), transaction.atomic():
            relaxed_commit()
            yield items[low:high]
            job_progress(
                job,
                done=high / total,
                claims=high,
                checkpoint={
                    **(job.checkpoint or {}),
                    key: high,
                    "longest_batch_s": round(sizer.longest, 3),
                },
            )
        low = high
        yield_to_writers(sizer.last)
