"""Job leases: one run at a time holds a job, and a heartbeat keeps the hold short.

A run takes the lease with a fresh owner token (``lease_acquire``); every write the run makes
to its Job row is conditioned on that token, so a run whose lease was taken over (its worker
stalled past the lease) can no longer record anything. The heartbeat renews the lease from a
thread of its own, so a long batch does not look like a dead worker; a killed worker stops
renewing and its job is free again ``JOB_LEASE_SECONDS`` later.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone

from claims.models import Job

logger = logging.getLogger(__name__)


class LeaseLost(RuntimeError):
    """Another run took this job over: stop without writing anything more."""


@dataclass(frozen=True)
class Acquired:
    job: Job | None
    # Why no lease was given: "missing", "already succeeded", "running elsewhere".
    refused: str = ""
    seconds_left: float = 0.0


def lease_expiry() -> timezone.datetime:
    return timezone.now() + timedelta(seconds=settings.JOB_LEASE_SECONDS)


def lease_acquire(*, job_id: int) -> Acquired:
    """Take the job for a new run, or say why not. Commits before returning."""
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return Acquired(None, "missing")
        if job.finished:
            return Acquired(None, f"already {job.state}")
        if job.state == Job.State.RUNNING and job.lease_expires_at and job.lease_expires_at > now:
            left = (job.lease_expires_at - now).total_seconds()
            return Acquired(None, "running elsewhere", seconds_left=left)
        job.state = Job.State.RUNNING
        job.attempts += 1
        job.started_at = now
        job.heartbeat_at = now
        job.lease_owner = uuid.uuid4().hex
        job.lease_expires_at = lease_expiry()
        job.save()
    return Acquired(job)


def lease_renew(job: Job) -> bool:
    """Extend the lease of this run; False when another run holds the job now."""
    now = timezone.now()
    fields = {"heartbeat_at": now, "lease_expires_at": lease_expiry()}
    held = Job.objects.filter(state=Job.State.RUNNING, lease_owner=job.lease_owner)
    renewed = held.filter(pk=job.pk).update(**fields)
    taken = (job.payload or {}).get("took_over")
    if renewed and taken:
        # The jobs this run took over and has not finished yet hold its lease token too
        # (claims.pipeline.extraction_merge): they live and die with it.
        held.filter(pk__in=taken).update(**fields)
    return renewed == 1


def lease_seconds_left(*, job_id: int) -> float | None:
    """Seconds until a running job's lease expires, or None when it is not running."""
    job = Job.objects.filter(pk=job_id, state=Job.State.RUNNING).first()
    if job is None or job.lease_expires_at is None:
        return None
    return max(0.0, (job.lease_expires_at - timezone.now()).total_seconds())


@contextmanager
def heartbeat(job: Job, *, enabled: bool = True) -> Iterator[threading.Event]:
    """Renew the job's lease from a thread while the block runs.

    Yields an event that is set once the lease was found taken over. Disabled for jobs run
    in-process by unit tests, whose test transaction the thread's connection cannot see.
    """
    lost = threading.Event()
    if not enabled:
        yield lost
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    if not lease_renew(job):
                        lost.set()
                        return
                except DatabaseError as exc:  # a busy or lost database: try again next beat
                    logger.warning("heartbeat of job %s not recorded: %s", job.pk, exc)
                    close_old_connections()
        finally:
            connection.close()  # the thread's own connection

    thread = threading.Thread(target=beat, name=f"job-{job.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield lost
    finally:
        stop.set()
        thread.join(timeout=30)
