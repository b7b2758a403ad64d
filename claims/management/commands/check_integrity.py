"""python manage.py check_integrity : recompute snapshot hashes and check evidence quotes now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from claims.integrity import snapshots_check
from claims.models import Alert


class Command(BaseCommand):
    help = "Check every snapshot's bytes and text hashes and every evidence quote; raise alerts."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = snapshots_check()
        open_alerts = Alert.objects.filter(resolved_at__isnull=True).count()
        self.stdout.write(
            f"Checked {counts['snapshots']} snapshot(s): {counts['new_alerts']} new alert(s), "
            f"{open_alerts} open in all."
        )
