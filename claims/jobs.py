"""The job outbox: the Job row is the truth, the broker only the doorbell.

`job_create` writes the Job in the caller's transaction and rings the bell after commit.
`job_dispatch` publishes with short timeouts and the job's own time limits; a failed publish
leaves the Job queued. `job_run` is what the Celery task calls: it takes the job's lease (or
says why not), runs the handler under a heartbeat and records the outcome. `jobs_sweep`
re-sends jobs that stayed queued or whose lease expired (a killed worker).

This module never imports the task module: it finds the task in Celery's registry by name
(claims/apps.py imports claims.tasks at start-up), so tasks import jobs and not the reverse.
Leases, progress, checkpoints and time limits live in claims/pipeline/.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import kombu.exceptions
import redis.exceptions
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from claims.models import Job
from claims.pipeline.leases import LeaseLost, heartbeat, lease_acquire
from claims.pipeline.limits import job_time_limits
from config.celery import app as celery_app
from sources.history import current_change
from sources.readers import CaptureError

logger = logging.getLogger(__name__)

RUN_TASK = "claims.tasks.run_job"
RUNNING_ELSEWHERE = "nothing to do: running elsewhere"
# Jobs that are periodic upkeep go to the periodic queue with the sweeper.
PERIODIC_KINDS = {Job.Kind.INTEGRITY_CHECK, Job.Kind.REFETCH}

# Errors that mean "the broker cannot take the message now": the job stays queued.
PUBLISH_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.RedisError, OSError)

# After a publish fails, this process leaves its broker alone for BROKER_RETRY_SECONDS: the
# jobs stay queued for the sweeper. A hung broker then costs one request one timeout per
# window, not one per job (deciding an unreviewed claim creates two). Keyed by broker URL.
_broker_down_until: dict[str, float] = {}
_broker_lock = threading.Lock()

Handler = Callable[[Job], dict[str, Any]]
_handlers: dict[str, Handler] = {}
# Handlers that manage their own (short) transactions: network I/O, and batched work that
# commits and checkpoints batch by batch (claims.pipeline.progress).
_own_transactions: set[str] = set()


def job_handler(kind: str, *, atomic: bool = True) -> Callable[[Handler], Handler]:
    """Register the function that does the work of one kind of job.

    With atomic=True (the default) its writes commit together with the job's success mark.
    """

    def register(func: Handler) -> Handler:
        _handlers[kind] = func
        if atomic:
            _own_transactions.discard(kind)
        else:
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


def job_dispatch(*, job_id: int, countdown: float | None = None) -> bool:
    """Publish the job to the broker; returns False (job left queued) when the broker fails."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return False
    limits = job_time_limits(job)
    queue = None  # the default queue, JOB_QUEUE
    priority = None  # the broker's default: served first
    if job.kind in PERIODIC_KINDS:
        queue = settings.JOB_PERIODIC_QUEUE
    elif job.kind == Job.Kind.VERIFY_CLAIMS and settings.JOB_VERIFY_QUEUE:
        queue = settings.JOB_VERIFY_QUEUE
    elif job.kind == Job.Kind.VERIFY_CLAIMS:
        # Behind the extractions on the shared queue: claims on screen first.
        priority = settings.JOB_VERIFY_PRIORITY or None
    broker = str(celery_app.conf.broker_url)
    eager = celery_app.conf.task_always_eager  # no broker at all (unit tests)
    if not eager and time.monotonic() < _broker_down_until.get(broker, 0.0):
        return False  # the broker failed moments ago; the sweeper sends the job later
    try:
        celery_app.tasks[RUN_TASK].apply_async(
            kwargs={"job_id": job_id},
            retry=False,
            queue=queue,
            countdown=countdown,
            priority=priority,
            soft_time_limit=limits.soft,
            time_limit=limits.hard,
        )
    except PUBLISH_ERRORS as exc:
        with _broker_lock:
            _broker_down_until[broker] = time.monotonic() + settings.BROKER_RETRY_SECONDS
        logger.warning(
            "job %s left queued, broker refused it: %s; not asking it again for %.0f s",
            job_id,
            exc,
            settings.BROKER_RETRY_SECONDS,
        )
        return False
    # Job is not a history-tracked model, so a plain update is fine here.
    Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(dispatched_at=timezone.now())
    return True


def job_run(*, job_id: int, heartbeat_thread: bool = True) -> str:
    """Run a job once. Returns what happened; safe to call twice or concurrently.

    Returns RUNNING_ELSEWHERE while another run holds a live lease on the job.
    """
    acquired = lease_acquire(job_id=job_id)
    if acquired.job is None:
        if acquired.refused == "running elsewhere":
            return RUNNING_ELSEWHERE
        return (
            acquired.refused
            if acquired.refused == "missing"
            else (f"nothing to do: {acquired.refused}")
        )
    job = acquired.job
    job._run_start = (job.progress, job.started_at)  # type: ignore[attr-defined]
    handler = _handlers.get(job.kind)
    if handler is None:
        _job_fail(job, LookupError(f"no handler is registered for {job.kind} jobs"))
        return "failed"
    try:
        with heartbeat(job, enabled=heartbeat_thread):
            if job.kind in _own_transactions:
                result = handler(job)
            # An atomic handler's writes and the success mark commit together: a crash in
            # between leaves the job running until its lease expires, and the rerun finds
            # the work done (unique constraints, checkpoints).
            with transaction.atomic():
                if job.kind not in _own_transactions:
                    result = handler(job)
                _job_finish(
                    job, state=Job.State.SUCCEEDED, result=result, progress=1.0, last_error=""
                )
    except LeaseLost:
        logger.warning("job %s: lease taken over by another run; this run stops", job.pk)
        return "lease lost"
    except SoftTimeLimitExceeded as exc:
        # The work is checkpointed: the next run resumes where this one stopped.
        return _job_requeue(job, exc, dispatch=True)
    except (OperationalError, InterfaceError) as exc:
        # The database went away: transient. Leave the job queued and let Celery retry with
        # backoff; if even this write fails, the expired lease brings the sweeper.
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            _job_fail(job, exc)
            return "failed"
        _job_requeue(job, exc, dispatch=False)
        raise
    except Exception as exc:  # the job records every other failure, whatever its type
        _job_fail(job, exc)
        return "failed"
    return "succeeded"


def _owned(job: Job) -> Any:
    return Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, lease_owner=job.lease_owner)


def _job_finish(job: Job, **fields: Any) -> None:
    now = timezone.now()
    fields |= {"finished_at": now, "lease_expires_at": None, "updated_at": now}
    if fields.get("state") == Job.State.SUCCEEDED:
        fields["estimated_end_at"] = now
    if _owned(job).update(**fields) != 1:
        raise LeaseLost(f"job {job.pk} was taken over by another run")
    for name, value in fields.items():
        setattr(job, name, value)


def _job_requeue(job: Job, exc: BaseException, *, dispatch: bool) -> str:
    if job.attempts >= settings.JOB_MAX_ATTEMPTS:
        _job_fail(job, exc)
        return "failed"
    error = f"{type(exc).__name__}: {exc}".strip()
    requeued = _owned(job).update(
        state=Job.State.QUEUED, last_error=error, lease_expires_at=None, lease_owner=""
    )
    if requeued and dispatch:
        job_dispatch(job_id=job.pk)
    return "requeued"


def _job_fail(job: Job, exc: BaseException) -> None:
    # A refusal (a page we may not fetch, a file we cannot read) is an outcome with a clear
    # message, not a bug: no traceback for it in the log or a command's output.
    refused = isinstance(exc, CaptureError)
    logger.log(
        logging.WARNING if refused else logging.ERROR,
        "job %s failed: %s",
        job.pk,
        exc,
        exc_info=None if refused else exc,
    )
    try:
        _job_finish(job, state=Job.State.FAILED, last_error=f"{type(exc).__name__}: {exc}")
    except LeaseLost:
        logger.warning("job %s failed in a run that had lost its lease", job.pk)


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
                lease_expires_at=None,
            )
            continue
        # Touch the row so the next sweep waits a full period before sending it again.
        Job.objects.filter(pk=job.pk).update(updated_at=now)
        sent += job_dispatch(job_id=job.pk)
    return sent
