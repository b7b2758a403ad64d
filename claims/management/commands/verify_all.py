"""python manage.py verify_all: recompute every claim's group, relations and score."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from claims.models import Claim
from claims.verification import claims_verification_enqueue, claims_verify
from sources.history import tracked_change


class Command(BaseCommand):
    help = (
        "Recompute verification (groups, contradictions, corroborations, machine scores) for "
        "every claim, in id order and in batches, so memory stays bounded. Safe to run again "
        "or next to the worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=200, help="claims per batch")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue one verification job per batch for the workers instead of running here",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = max(1, options["batch"])
        reason = "verify_all: recompute every claim"
        last_id, batches, written = 0, 0, 0
        while True:
            # Keyset pagination: only one batch of ids is ever held.
            ids = list(
                Claim.objects.filter(id__gt=last_id)
                .order_by("id")
                .values_list("id", flat=True)[:batch_size]
            )
            if not ids:
                break
            last_id = ids[-1]
            batches += 1
            if options["enqueue"]:
                with tracked_change(origin="command", reason=reason), transaction.atomic():
                    claims_verification_enqueue(claim_ids=ids)
                continue
            result = claims_verify(claim_ids=ids, reason=reason)
            written += result.get("claims_written", 0)
        what = "queued" if options["enqueue"] else f"recomputed, {written} claims changed"
        self.stdout.write(f"{batches} batches up to claim {last_id} {what}.")
