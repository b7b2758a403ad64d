"""Celery tasks: thin shells over claims.jobs. Arguments are ids, by keyword."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction

from claims import jobs
from claims.pipeline.leases import lease_seconds_left
from sources.history import tracked_change

# A redelivered job whose lease is still held (its worker was killed a moment ago) is tried
# again when the lease runs out, at most this many times; the sweeper covers the rest.
MAX_LEASE_WAITS = 10


@shared_task(
    bind=True,
    name=jobs.RUN_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    # Only a lost database connection is worth retrying; anything else fails the Job.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=300,
    max_retries=5,
)
def run_job(self: Any, *, job_id: int) -> str:
    outcome = jobs.job_run(job_id=job_id, heartbeat_thread=not self.request.is_eager)
    if outcome == jobs.RUNNING_ELSEWHERE and not self.request.is_eager:
        left = lease_seconds_left(job_id=job_id)
        if left is not None and self.request.retries < MAX_LEASE_WAITS:
            # Take the job over as soon as the lease of the run that holds it runs out.
            raise self.retry(countdown=left + 1, max_retries=MAX_LEASE_WAITS)
    return outcome


@shared_task(name="claims.tasks.jobs_sweep", acks_late=True, reject_on_worker_lost=True)
def jobs_sweep() -> int:
    from claims.custody.webhooks import webhooks_due

    # Webhook retries that are due become jobs here, with the jobs lost to a dead broker.
    return jobs.jobs_sweep() + webhooks_due()


@shared_task(name="claims.tasks.periodic_job", acks_late=True, reject_on_worker_lost=True)
def periodic_job(*, kind: str) -> int:
    """Beat's entry point: record a Job of `kind` and dispatch it; returns its id."""
    with tracked_change(origin="task", reason=f"periodic {kind}"), transaction.atomic():
        job = jobs.job_create(kind=kind)
    return job.pk
