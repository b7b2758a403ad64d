"""python manage.py bench_verify : verification on a long report and against many claims.

Measured in one run, jobs in-process:

1. the annotated sets (``--set``, verifier.relbench format) ingested through the service:
   recall, precision, kind accuracy, trap false relations, relations per claim;
2. a generated report of ``--report-kb`` KB (many towns, days, roles and rival figures):
   extraction and verification times, claims, relations stored per claim, largest group;
3. with PostgreSQL, ``--claims`` benchmark claims filed in the blocking-key table (COPY;
   benchmark data, so no history rows), then a new ``--document-claims``-claim document
   verified against them: the verification time, the sequential scans of the claim table it
   caused (pg_stat_user_tables), and the plan of a candidate lookup. ``--clear`` removes the
   benchmark claims.
"""

from __future__ import annotations

import json
import logging
import random
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from claims.models import Claim, ClaimBlockingKey, ClaimRelation, Job
from claims.services import document_ingest
from claims.verification import claims_verify
from claims.verification.bench import ingest_set, stored_found
from claims.verification.index import candidate_sql, claim_keys
from config.celery import app as celery_app
from verifier.consistency import ClaimFacts
from verifier.linking import CANDIDATE_CAP, WINDOW
from verifier.relbench import evaluate, report

BENCH = "bench-verify"  # engine_version of the benchmark claims
TOWNS = [
    "Orikhiv", "Siversk", "Kupiansk", "Lyman", "Kostiantynivka", "Pokrovsk", "Nikopol",
    "Huliaipole", "Kramatorsk", "Sloviansk", "Bakhmut", "Chasiv Yar", "Toretsk", "Vovchansk",
    "Izium", "Balakliia", "Kherson", "Beryslav", "Marhanets", "Synelnykove",
]  # fmt: skip
ROLES = [
    ("killed", "{n} civilians were killed"),
    ("wounded", "{n} people were wounded"),
    ("without power", "about {n} homes were left without power"),
    ("evacuated", "{n} residents were evacuated"),
    ("shot down", "air defenses shot down {n} drones"),
]


class Command(BaseCommand):
    help = "Benchmark verification: the annotated sets, a long report, and 1,000,000 claims."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--set", type=Path, action="append", default=[])
        parser.add_argument(
            "--report-kb", type=int, nargs="*", default=[200],
            help="sizes of generated reports, verified each against what is stored already",
        )  # fmt: skip
        parser.add_argument("--claims", type=int, default=0)
        parser.add_argument("--document-claims", type=int, default=124)
        parser.add_argument(
            "--verify-all-claims", type=int, default=2000,
            help="benchmark claims verified again as verify_all does, for its rate",
        )  # fmt: skip
        parser.add_argument("--clear", action="store_true", help="remove the benchmark claims")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["clear"]:
            self._clear()
            return
        # One line per in-process job would bury the figures.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True  # the jobs run here, in this process
        try:
            for path in options["set"]:
                data = json.loads(path.read_text(encoding="utf-8"))
                ingest_set(data)
                report(evaluate(data, stored_found(data)), f"{path.name} (stored)", out=self.stdout)
            for kb in options["report_kb"]:
                self._long_report(kb)
            if options["claims"]:
                if connection.vendor != "postgresql":
                    raise CommandError("--claims needs PostgreSQL: set DATABASE_URL=postgres://")
                self._fill(options["claims"])
                self._new_document(options["document_claims"])
                self._verify_all_rate(options["verify_all_claims"])
        finally:
            celery_app.conf.task_always_eager = eager

    # --- a long report ------------------------------------------------------------------------

    def _long_report(self, kb: int) -> None:
        # A line of its own per run, so the same size can be measured again in one database
        # (the same bytes would be the stored snapshot, with nothing to extract).
        run = _name(time.time_ns() % 26**8).removeprefix("Novo")
        text = f"Bench run {run}.\n\n" + generated_report(kb * 1000, seed=kb)
        before = Claim.objects.count()
        started = time.perf_counter()
        result = document_ingest(
            raw=text.encode("utf-8"), name="long.txt", source_name="Bench Desk",
            title=f"bench: long report {kb} KB {time.time_ns()}", published=date(2025, 6, 30),
            method="paste", origin="command",
        )  # fmt: skip
        total = time.perf_counter() - started
        verify = Job.objects.filter(kind=Job.Kind.VERIFY_CLAIMS).order_by("-id").first()
        seconds = (verify.finished_at - verify.started_at).total_seconds() if verify else 0.0
        claims = Claim.objects.filter(extracted_from=result.snapshot)
        ids = list(claims.values_list("id", flat=True))
        rows = ClaimRelation.objects.filter(claim_id__in=ids).count()
        groups: dict[int, int] = {}
        for group_id in claims.values_list("group_id", flat=True):
            groups[group_id] = groups.get(group_id, 0) + 1
        self.stdout.write(
            f"long report: {len(text) / 1000:.0f} KB, {len(ids):,} claims, against "
            f"{before:,} stored; ingest with "
            f"extraction and verification {total:.1f} s, of which verification {seconds:.1f} s "
            f"({seconds / max(1, len(ids)) * 1000:.1f} ms per claim); {rows:,} relations "
            f"stored ({rows / max(1, len(ids)):.2f} per claim), largest group "
            f"{max(groups.values(), default=0)}"
        )

    # --- many claims ----------------------------------------------------------------------------

    def _fill(self, wanted: int) -> None:
        have = Claim.objects.filter(engine_version=BENCH).count()
        if have >= wanted:
            self.stdout.write(f"{have:,} benchmark claims in place.")
            return
        self.stdout.write(f"Adding {wanted - have:,} benchmark claims and their keys (COPY) ...")
        started = time.perf_counter()
        rng = random.Random(have)
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM claims_claim")
            next_id = cursor.fetchone()[0] + 1
            raw = cursor.cursor  # psycopg 3: COPY FROM STDIN
            keys: list[tuple[int, str]] = []
            columns = (
                "id, kind, statement, quote, value, lower, upper, qualifier, unit, subject, "
                "time_text, time_start, time_end, places, actors, attributed_to, hedges, role, "
                "phase, inherited, status, confidence, machine_explanation, corroborations, "
                "version, engine_version, created_at, updated_at"
            )
            with raw.copy(f"COPY claims_claim ({columns}) FROM STDIN") as copy:
                for i in range(have, wanted):
                    facts = _synthetic(i, next_id + i - have, rng)
                    copy.write_row(
                        (
                            facts.id, "quantitative", f"bench claim {i}", f"{int(facts.value)}",
                            facts.value, facts.value, facts.value, "exact", facts.unit,
                            facts.subject, "", facts.time_start, facts.time_end,
                            json.dumps(list(facts.places)), "[]", "", "[]", facts.role, "",
                            "{}", "unreviewed", "", "", 0, 1, BENCH, now, now,
                        )
                    )  # fmt: skip
                    keys.extend((facts.id, key) for key in claim_keys(facts))
            with raw.copy("COPY claims_claimblockingkey (claim_id, key) FROM STDIN") as copy:
                for row in keys:
                    copy.write_row(row)
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('claims_claim', 'id'), "
                "(SELECT MAX(id) FROM claims_claim))"
            )
            cursor.execute("ANALYZE claims_claim")
            cursor.execute("ANALYZE claims_claimblockingkey")
        self.stdout.write(
            f"  {wanted - have:,} claims, {len(keys):,} keys in "
            f"{time.perf_counter() - started:.0f} s"
        )

    def _new_document(self, count: int) -> None:
        text = generated_report(count * 140, seed=count, paragraphs_of=3)
        seq_before = _seq_scans()
        result = document_ingest(
            raw=text.encode("utf-8"), name="new.txt", source_name="Bench Desk",
            title=f"bench: new document {time.time_ns()}", published=date(2025, 6, 30),
            method="paste", origin="command",
        )  # fmt: skip
        seq_after = _seq_scans()
        verify = Job.objects.filter(kind=Job.Kind.VERIFY_CLAIMS).order_by("-id").first()
        seconds = (verify.finished_at - verify.started_at).total_seconds() if verify else 0.0
        claims = Claim.objects.filter(extracted_from=result.snapshot).count()
        total = Claim.objects.count()
        # The plan of the candidate query the service ran, for one key of the new document
        # that the benchmark claims share (a hot key: the worst case).
        mine = ClaimBlockingKey.objects.filter(claim__extracted_from=result.snapshot).values(
            "key", "document_id", "claim_id"
        )
        # The benchmark claims have no document: one index probe per key finds them.
        row = next(
            (
                r
                for r in mine
                if ClaimBlockingKey.objects.filter(key=r["key"], document__isnull=True).exists()
            ),
            None,
        )
        plan = "(no key of the new document is shared with the benchmark claims)"
        if row is not None:
            low, high = row["claim_id"] - WINDOW, row["claim_id"] + WINDOW
            with connection.cursor() as cursor:
                cursor.execute(
                    f"EXPLAIN ANALYZE {candidate_sql(ClaimBlockingKey._meta.db_table)}",
                    [[row["key"]], [row["document_id"]], [low], [high], *[CANDIDATE_CAP] * 3],
                )
                plan = "\n".join(line for (line,) in cursor.fetchall())
        self.stdout.write(
            f"new document: {claims} claims verified against {total:,} claims in "
            f"{seconds:.2f} s; sequential scans of the claim table during ingest and "
            f"verification: {seq_after - seq_before}\ncandidate lookup plan:\n{plan}"
        )

    def _verify_all_rate(self, count: int) -> None:
        ids = list(
            Claim.objects.filter(engine_version=BENCH)
            .order_by("-id")
            .values_list("id", flat=True)[:count]
        )
        started = time.perf_counter()
        result = claims_verify(claim_ids=ids, reason="bench_verify: verify_all rate")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"verify_all path: {len(ids):,} claims of {Claim.objects.count():,} in {seconds:.1f} s "
            f"({len(ids) / seconds:,.0f} claims/s), {result.get('relations_written', 0):,} "
            f"relation rows written, {result.get('reopened', 0)} claims re-opened"
        )

    def _clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM claims_claimblockingkey WHERE claim_id IN "
                "(SELECT id FROM claims_claim WHERE engine_version = %s)",
                [BENCH],
            )
            cursor.execute(
                "DELETE FROM claims_claimrelation WHERE claim_id IN (SELECT id FROM claims_claim "
                "WHERE engine_version = %s) OR other_id IN (SELECT id FROM claims_claim WHERE "
                "engine_version = %s)",
                [BENCH, BENCH],
            )
            cursor.execute("DELETE FROM claims_historicalclaim WHERE engine_version = %s", [BENCH])
            cursor.execute("DELETE FROM claims_claim WHERE engine_version = %s", [BENCH])
        self.stdout.write("Benchmark claims removed.")


def _seq_scans() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'claims_claim'")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _synthetic(i: int, claim_id: int, rng: random.Random) -> ClaimFacts:
    day = date(2022, 3, 1) + timedelta(days=rng.randrange(1200))
    # Letters only: entity words are alphabetic, so "Novo17" would be just "novo".
    town = TOWNS[int(len(TOWNS) * rng.random() ** 2)] if rng.random() < 0.3 else _name(i % 20000)
    role, _ = ROLES[rng.randrange(len(ROLES))]
    unit = {"without power": "home", "shot down": "drone"}.get(role, "civilian")
    value = float(rng.randrange(1, 400))
    return ClaimFacts(
        id=claim_id, value=value, lower=value, upper=value, qualifier="exact", unit=unit,
        subject=f"{unit}s", time_start=day, time_end=day, places=(town,), role=role,
    )  # fmt: skip


def _name(n: int) -> str:
    letters = ""
    while True:
        n, r = divmod(n, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[r]
        if n == 0:
            return "Novo" + letters


def generated_report(chars: int, *, seed: int, paragraphs_of: int = 4) -> str:
    """A report of about ``chars`` characters: datelined paragraphs about strikes on many
    towns and days, each figure with its role, some restated and some contradicted."""
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    day0 = date(2025, 1, 1)
    while size < chars:
        town = TOWNS[rng.randrange(len(TOWNS))]
        day = day0 + timedelta(days=rng.randrange(180))
        when = f"{day:%B} {day.day}"
        sentences = [f"{town.upper()} - Russian forces struck {town} on {when}."]
        for _ in range(paragraphs_of):
            _, template = ROLES[rng.randrange(len(ROLES))]
            figure = template.format(n=rng.choice((3, 5, 7, 12, 40, 120, 1_200, 3_000)))
            speaker = rng.choice(("local officials said", "the regional governor reported"))
            sentences.append(f"{figure[0].upper()}{figure[1:]}, {speaker}.")
        paragraph = " ".join(sentences) + "\n\n"
        out.append(paragraph)
        size += len(paragraph)
    return "".join(out)
