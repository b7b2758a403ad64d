from __future__ import annotations

from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and review"

    def ready(self) -> None:
        # Registers the job handlers with claims.jobs, and the tasks with Celery (jobs finds
        # the run task by name, so it never imports the task module itself).
        from django.core import checks

        from claims import capture, integrity, services, tasks, verification  # noqa: F401
        from claims.custody import webhooks  # noqa: F401  (the delivery job's handler)
        from claims.custody.checks import check_signing_key
        from claims.custody.ledger import connect_receivers
        from claims.pipeline import extraction, verification_job  # noqa: F401

        connect_receivers()
        checks.register(check_signing_key)
