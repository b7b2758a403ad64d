"""The job outbox: the Job row is the truth, Redis only the doorbell.

`job_create` writes the Job in the caller's transaction and rings the bell after commit.
`job_dispatch` publishes with short timeouts; a failed publish leaves the Job queued.
`job_run` is what the Celery task calls: it locks the row, does nothing when the state has
moved on, runs the handler and records the outcome. `jobs_sweep` re-sends jobs that stayed
queued or whose running lease expired (a killed worker).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import kombu.exceptions
import redis.exceptions
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from claims.models import Job
from sources.history import current_change

logger = logging.getLogger(__name__)

# Errors that mean "the broker cannot take the message now": the job stays queued.
PUBLISH_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.RedisError, OSError)

Handler = Callable[[Job], dict[str, Any]]
_handlers: dict[str, Handler] = {}
# Handlers that do network I/O manage their own (short) transactions: a fetch must never run
# while a transaction holds its locks.
_own_transactions: set[str] = set()


def job_handler(kind: str, *, atomic: bool = True) -> Callable[[Handler], Handler]:
    """Register the function that does the work of one kind of job.

    With atomic=True (the default) its writes commit together with the job's success mark.
    """

    def register(func: Handler) -> Handler:
        _handlers[kind] = func
        if not atomic:
            _own_transactions.add(kind)
        return func

    return register


def job_create(*, kind: str, snapshot: Any = None, payload: dict[str, Any] | None = None) -> Job:
    """Record a job in the current transaction and dispatch it once the transaction commits."""
    context = current_change()
    user = context.user if context and getattr(context.user, "is_authenticated", False) else None
    job = Job.objects.create(
        kind=kind,
        snapshot=snapshot,
        payload=payload or {},
        origin=context.origin if context else "",
        requested_by=user,
    )
    transaction.on_commit(lambda: job_dispatch(job_id=job.pk))
    return job


def job_dispatch(*, job_id: int) -> bool:
    """Publish the job to the broker; returns False (job left queued) when the broker fails."""
    from claims.tasks import run_job  # the task module imports this one

    try:
        run_job.apply_async(kwargs={"job_id": job_id}, retry=False)
    except PUBLISH_ERRORS as exc:
        logger.warning("job %s left queued, broker refused it: %s", job_id, exc)
        return False
    # Job is not a history-tracked model, so a plain update is fine here.
    Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(dispatched_at=timezone.now())
    return True


def job_run(*, job_id: int) -> str:
    """Run a job once. Returns what happened; safe to call twice or concurrently."""
    now = timezone.now()
    lease = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return "missing"
        if job.state in (Job.State.SUCCEEDED, Job.State.FAILED):
            return f"nothing to do: already {job.state}"
        if job.state == Job.State.RUNNING and job.lease_expires_at and job.lease_expires_at > now:
            return "nothing to do: running elsewhere"
        job.state = Job.State.RUNNING
        job.attempts += 1
        job.started_at = now
        job.lease_expires_at = now + lease
        job.save()

    handler = _handlers.get(job.kind)
    if handler is None:
        _job_fail(job, LookupError(f"no handler is registered for {job.kind} jobs"))
        return "failed"
    try:
        # The handler's writes and the success mark commit together: a crash in between
        # leaves the job running until its lease expires, and the rerun finds the work done.
        if job.kind in _own_transactions:
            result = handler(job)
        with transaction.atomic():
            if job.kind not in _own_transactions:
                result = handler(job)
            job.state = Job.State.SUCCEEDED
            job.result = result
            job.last_error = ""
            job.finished_at = timezone.now()
            job.lease_expires_at = None
            job.save()
    except (OperationalError, InterfaceError) as exc:
        # The database went away: transient. Leave the job queued and let Celery retry with
        # backoff; if even this write fails, the expired lease brings the sweeper.
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            _job_fail(job, exc)
            return "failed"
        job.state = Job.State.QUEUED
        job.last_error = f"{type(exc).__name__}: {exc}"
        job.lease_expires_at = None
        job.save()
        raise
    except Exception as exc:  # the job records every other failure, whatever its type
        _job_fail(job, exc)
        return "failed"
    return "succeeded"


def _job_fail(job: Job, exc: BaseException) -> None:
    logger.error("job %s failed: %s", job.pk, exc, exc_info=exc)
    job.state = Job.State.FAILED
    job.last_error = f"{type(exc).__name__}: {exc}"
    job.finished_at = timezone.now()
    job.lease_expires_at = None
    job.save()


def jobs_sweep() -> int:
    """Send again the jobs whose delivery was lost; returns how many were sent."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.JOB_REQUEUE_AFTER_SECONDS)
    queued = Job.objects.filter(state=Job.State.QUEUED, updated_at__lt=stale)
    expired = Job.objects.filter(state=Job.State.RUNNING, lease_expires_at__lt=now)
    sent = 0
    for job in (queued | expired).order_by("id")[:1000]:
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            Job.objects.filter(pk=job.pk, state=job.state).update(
                state=Job.State.FAILED,
                last_error=job.last_error or f"gave up after {job.attempts} attempts",
                finished_at=now,
            )
            continue
        # Touch the row so the next sweep waits a full period before sending it again.
        Job.objects.filter(pk=job.pk).update(updated_at=now)
        sent += job_dispatch(job_id=job.pk)
    return sent
