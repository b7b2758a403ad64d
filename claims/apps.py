from __future__ import annotations

from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and review"

    def ready(self) -> None:
        # Registers the job handlers with claims.jobs.
        from claims import capture, integrity, services, verification  # noqa: F401
