"""Celery tasks: thin shells over claims.jobs. Arguments are ids, by keyword."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction

from claims import jobs
from sources.history import tracked_change


@shared_task(
    name="claims.tasks.run_job",
    acks_late=True,
    reject_on_worker_lost=True,
    # Only a lost database connection is worth retrying; anything else fails the Job.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=300,
    max_retries=5,
)
def run_job(*, job_id: int) -> str:
    return jobs.job_run(job_id=job_id)


@shared_task(name="claims.tasks.jobs_sweep", acks_late=True, reject_on_worker_lost=True)
def jobs_sweep() -> int:
    return jobs.jobs_sweep()


@shared_task(name="claims.tasks.periodic_job", acks_late=True, reject_on_worker_lost=True)
def periodic_job(*, kind: str) -> int:
    """Beat's entry point: record a Job of `kind` and dispatch it; returns its id."""
    with tracked_change(origin="task", reason=f"periodic {kind}"), transaction.atomic():
        job = jobs.job_create(kind=kind)
    return job.pk
