"""python manage.py bench_api [--claims N] : the claim page endpoint against a plain baseline.

Fills PostgreSQL with N benchmark claims (COPY; benchmark data, so no history rows), then
measures in the same run: a page of 100 verified claims through the API (an API reader's
token, the whole middleware stack, through the test client), the same page built by a plain
values() + orjson baseline, the query count per page size, and a deep cursor page.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import orjson
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from claims.api.pagination import encode_cursor
from claims.api.serializers import CLAIM_FIELDS, EVIDENCE_FIELDS
from claims.models import ApiToken, Claim, ClaimRelation, Evidence
from claims.services import document_ingest
from claims.tokens import issue_token
from sources.models import Snapshot

BENCH = "bench"  # engine_version of the benchmark claims: how they are found and removed
TOKEN = "bench-api-reader"
COPY_COLUMNS = (
    "kind, statement, quote, value, lower, upper, qualifier, unit, subject, time_text, "
    "time_start, time_end, places, actors, attributed_to, hedges, status, confidence, "
    "machine_score, machine_explanation, corroborations, version, engine_version, span_start, "
    "span_end, created_at, updated_at"
)
STATUSES = ["verified"] * 3 + ["unreviewed"] * 5 + ["in_review", "disputed"]


class Command(BaseCommand):
    help = "Benchmark the claim list endpoint on PostgreSQL against a values()+orjson baseline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=int, default=1_000_000)
        parser.add_argument("--requests", type=int, default=200)
        parser.add_argument("--clear", action="store_true", help="remove the benchmark claims")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("bench_api needs PostgreSQL: set DATABASE_URL=postgres://...")
        if options["clear"]:
            self._clear()
            return
        snapshot = self._snapshot()
        self._fill(options["claims"], snapshot)
        self._measure(options["requests"])

    # --- data -----------------------------------------------------------------------------

    def _snapshot(self) -> Snapshot:
        found = Snapshot.objects.filter(document__title="API benchmark").first()
        if found is not None:
            return found
        result = document_ingest(
            raw=b"The benchmark document counts 12 claims.\n",
            name="bench.txt",
            source_name="Benchmark",
            title="API benchmark",
            method="paste",
            origin="command",
        )
        return result.snapshot

    def _fill(self, wanted: int, snapshot: Snapshot) -> None:
        have = Claim.objects.filter(engine_version=BENCH).count()
        if have >= wanted:
            self.stdout.write(f"{have:,} benchmark claims in place.")
            return
        missing = wanted - have
        self.stdout.write(f"Adding {missing:,} benchmark claims (COPY) ...")
        started = time.perf_counter()
        rng = random.Random(have)
        now = timezone.now()
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3: COPY FROM STDIN
            with raw.copy(f"COPY claims_claim ({COPY_COLUMNS}) FROM STDIN") as copy:
                for i in range(have, wanted):
                    updated = now - timedelta(seconds=rng.randrange(0, 86400 * 365))
                    status = rng.choice(STATUSES)
                    value = float(rng.randrange(1, 5000))
                    copy.write_row(
                        (
                            "quantitative",
                            f"Officials said {int(value)} people were moved (bench {i}).",
                            f"{int(value)}",
                            value,
                            value,
                            value,
                            "exact",
                            "person",
                            "people",
                            "in May 2025",
                            "2025-05-01",
                            "2025-05-31",
                            '["Kharkiv"]',
                            '["Officials"]',
                            "Officials",
                            "[]",
                            status,
                            "likely" if status == "verified" else "",
                            rng.random(),
                            "",
                            0,
                            1,
                            BENCH,
                            i,
                            i + 3,
                            updated,
                            updated,
                        )
                    )
            cursor.execute(
                "INSERT INTO claims_evidence (claim_id, snapshot_id, stance, exact, prefix, "
                'suffix, start, "end", credibility, anchor, added_by_engine, note, '
                "created_at, updated_at) "
                "SELECT c.id, %s, 'supports', c.quote, 'Officials said ', ' people', "
                "c.span_start, c.span_end, 3, 'exact', 'verifier bench', '', c.created_at, "
                "c.updated_at FROM claims_claim c WHERE c.engine_version = %s "
                "AND NOT EXISTS (SELECT 1 FROM claims_evidence e WHERE e.claim_id = c.id)",
                [snapshot.pk, BENCH],
            )
            cursor.execute("ANALYZE claims_claim")
            cursor.execute("ANALYZE claims_evidence")
        self.stdout.write(f"  done in {time.perf_counter() - started:.0f} s")

    def _clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM claims_evidence WHERE claim_id IN "
                "(SELECT id FROM claims_claim WHERE engine_version = %s)",
                [BENCH],
            )
            cursor.execute("DELETE FROM claims_claim WHERE engine_version = %s", [BENCH])
        self.stdout.write("Benchmark claims removed.")

    # --- measurements -----------------------------------------------------------------------

    def _measure(self, requests: int) -> None:
        ApiToken.objects.filter(name=TOKEN).delete()
        _, key = issue_token(TOKEN, "api-reader") if not _user_exists() else _reuse()
        client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        total = Claim.objects.count()
        verified = Claim.objects.filter(status="verified").count()
        with override_settings(
            API_THROTTLE_RATE="", ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False
        ):
            page = "/api/v1/claims/?page_size=100"
            deep_url = f"{page}&cursor={_deep_cursor(int(verified * 0.9))}"
            api, base, deep = _timings(
                [
                    lambda: _ok(client.get(page)),
                    _baseline_page,
                    lambda: _ok(client.get(deep_url)),
                ],
                requests,
            )
            counts = {size: _query_count(client, size) for size in (10, 100, 500)}
        self.stdout.write(
            f"\n{total:,} claims ({verified:,} verified), PostgreSQL "
            f"{connection.pg_version // 10000}, {requests} requests each, server time in ms\n"
        )
        self.stdout.write(f"{'what':<44}{'p50':>9}{'p99':>9}")
        rows = [
            ("API: page of 100 verified claims", api),
            ("baseline: values() + orjson, same page", base),
            ("API: deep cursor page (90 % in)", deep),
        ]
        for label, samples in rows:
            self.stdout.write(f"{label:<44}{_p(samples, 50):>9.2f}{_p(samples, 99):>9.2f}")
        ratio = _p(api, 50) / _p(base, 50)
        self.stdout.write(f"\nAPI / baseline at p50: {ratio:.2f}x (target <= 1.5x)")
        self.stdout.write(
            "queries per page (incl. token and permissions): "
            + ", ".join(f"{size}: {n}" for size, n in counts.items())
        )


def _user_exists() -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=f"tool-{TOKEN}").exists()


def _reuse() -> tuple[Any, str]:
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username=f"tool-{TOKEN}").delete()
    return issue_token(TOKEN, "api-reader")


def _ok(response: Any) -> Any:
    if response.status_code != 200:
        raise CommandError(f"the API answered {response.status_code}: {response.content[:300]}")
    return response


def _baseline_page() -> bytes:
    rows = list(
        Claim.objects.filter(status="verified")
        .order_by("-updated_at", "-id")
        .values(*CLAIM_FIELDS)[:100]
    )
    evidence: dict[int, list[dict[str, Any]]] = {}
    from django.db.models import F

    for row in (
        Evidence.objects.filter(claim_id__in=[r["id"] for r in rows])
        .annotate(snapshot_sha256=F("snapshot__sha256"), document_id=F("snapshot__document_id"))
        .values(*EVIDENCE_FIELDS)
    ):
        evidence.setdefault(row["claim_id"], []).append(row)
    # The page shows each claim's contradictions too; the baseline fetches them the same way.
    contradictions: dict[int, list[dict[str, Any]]] = {}
    for row in ClaimRelation.objects.filter(
        claim_id__in=[r["id"] for r in rows], kind="contradicts"
    ).values("claim_id", "other_id", "explanation"):
        contradictions.setdefault(row["claim_id"], []).append(row)
    for row in rows:
        row["evidence"] = evidence.get(row["id"], [])
        row["contradictions"] = contradictions.get(row["id"], [])
    return orjson.dumps({"results": rows}, option=orjson.OPT_UTC_Z)


def _deep_cursor(position: int) -> str:
    row = (
        Claim.objects.filter(status="verified")
        .order_by("-updated_at", "-id")
        .values("id", "updated_at")[position]
    )
    return encode_cursor({"o": "-updated_at", "v": [row["updated_at"].isoformat(), row["id"]]})


def _query_count(client: Client, size: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        _ok(client.get(f"/api/v1/claims/?page_size={size}"))
    return len(queries)


def _timings(calls: list[Callable[[], Any]], n: int) -> list[list[float]]:
    """Milliseconds per call, taking turns so that load from elsewhere hits each alike."""
    for call in calls * 5:  # warm caches and connections
        call()
    samples: list[list[float]] = [[] for _ in calls]
    for _ in range(n):
        for call, times in zip(calls, samples, strict=True):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
    return samples


def _p(samples: list[float], percentile: int) -> float:
    if percentile == 50:
        return statistics.median(samples)
    return statistics.quantiles(samples, n=100, method="inclusive")[percentile - 1]
