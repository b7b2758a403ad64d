"""python manage.py audit_verify : recompute the audit ledger and name the first entry that
does not match."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from claims.custody.audit import audit_verify


class Command(BaseCommand):
    help = (
        "Recompute the audit ledger's hash chain and every recorded row's digest; exits with "
        "an error naming the first entry that does not match."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--limit", type=int, default=100, help="stop after this many findings (100)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1")
        report = audit_verify(limit=options["limit"])
        if report.ok:
            self.stdout.write(
                f"Ledger intact: {report.entries} entries, chain head #{report.last_seq} "
                f"{report.last_hash}."
            )
            return
        for finding in report.findings:
            self.stdout.write(str(finding))
        first = report.findings[0]
        raise CommandError(
            f"{len(report.findings)} finding(s) in {report.entries} entries checked; the first: "
            f"{first}"
        )
