"""python manage.py bench_desk [--claims N] [--clear] : every claim-list filter and the
dashboard, timed at N claims on the configured database (see claims.desk.bench)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from claims.desk.bench import bench_clear, bench_fill, bench_measure, bench_pages
from claims.models import Claim


class Command(BaseCommand):
    help = "Time every claim-list filter and the dashboard at N claims."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=5)
        parser.add_argument("--clear", action="store_true", help="remove the benchmark claims")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["clear"]:
            bench_clear()
            self.stdout.write("Benchmark claims removed.")
            return
        bench_fill(options["claims"], out=self.stdout.write)
        timings = bench_measure(bench_pages(), rounds=options["rounds"])
        vendor = connection.vendor
        version = (
            f"PostgreSQL {connection.pg_version // 10000}"
            if vendor == "postgresql"
            else f"SQLite {connection.Database.sqlite_version}"
        )
        self.stdout.write(
            f"\n{Claim.objects.count():,} claims, {version}, median and worst of "
            f"{options['rounds']} requests, ms\n"
        )
        self.stdout.write(f"| {'page':<40} | {'median':>8} | {'worst':>8} |")
        self.stdout.write(f"|{'-' * 42}|{'-' * 9}:|{'-' * 9}:|")
        for t in timings:
            flag = "" if t.median_ms < 1000 else "  <-- over 1 s"
            self.stdout.write(f"| {t.label:<40} | {t.median_ms:>8.0f} | {t.worst_ms:>8.0f} |{flag}")
