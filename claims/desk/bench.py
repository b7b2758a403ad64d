"""The review desk's benchmark: every claim-list filter and the dashboard at scale.

Fills the database with N benchmark claims (bulk inserts: benchmark data, so no history rows),
spread over sources of every grade, documents, units, places, statuses, assignees and a share
of contradictions, one of them carrying a 1 MB report; then times each page through the whole
stack (session, middleware, admin, templates) with Django's test client, as a signed-in editor.
Medians of several requests, taking turns so outside load hits each page alike.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from claims.models import Claim, ClaimRelation
from claims.services import document_ingest
from sources.history import tracked_change
from sources.models import Document, Snapshot, Source

BENCH = "bench-desk"  # engine_version of the benchmark claims
PEOPLE = ["bench-anna", "bench-bohdan", "bench-chloe", "bench-dmytro", "bench-eve"]
UNITS = [
    "person",
    "civilian",
    "child",
    "soldier",
    "drone",
    "missile",
    "kilometer",
    "percent",
    "usd",
    "village",
    "tank",
    "shell",
    "house",
    "ukrainian",
    "building",
]
UNITS += [f"unit{i}" for i in range(40)]  # a long tail
PLACES = [
    "Kharkiv",
    "Kherson",
    "Zaporizhzhia",
    "Donetsk",
    "Luhansk",
    "Kyiv",
    "Odesa",
    "Mariupol",
    "Bakhmut",
    "Avdiivka",
    "Pokrovsk",
    "Sumy",
    "Chernihiv",
    "Crimea",
]
PLACES += [f"Village {i}" for i in range(200)]
STATUSES = (
    ["unreviewed"] * 5
    + ["in_review"] * 2
    + ["verified"] * 2
    + ["disputed", "refuted", "unverifiable"]
)
CONFIDENCES = ["likely", "very_likely", "almost_certain", "unlikely", "roughly_even"]
RARE_WORD = "quokkabench"  # in one claim of 100,000
BATCH = 5_000


@dataclass(frozen=True)
class Timing:
    label: str
    url: str
    median_ms: float
    worst_ms: float


def bench_people() -> list[Any]:
    User = get_user_model()
    editor_group = Group.objects.get(name="Editor")
    people = []
    for name in PEOPLE:
        user, created = User.objects.get_or_create(username=name, defaults={"is_staff": True})
        if created:
            user.groups.add(editor_group)
        people.append(user)
    return people


def bench_documents(count: int = 40) -> list[Snapshot]:
    """Small documents from sources of every grade, and one 1 MB report."""
    found = list(Snapshot.objects.filter(document__title__startswith="Desk benchmark "))
    if len(found) >= count:
        return found
    grades = "ABCDEF"
    filler = "lorem ipsum dolor sit amet consectetur adipiscing " * 20 + "\n"  # no claims
    for i in range(len(found), count):
        text = f"desk benchmark document {chr(97 + i % 26)}{i // 26} field notes\n"
        if i == 0:
            text += filler * (1_000_000 // len(filler))
        result = document_ingest(
            raw=text.encode(),
            name=f"desk-bench-{i}.txt",
            source_name=f"Bench source {i % 12} ({grades[i % 6]})",
            title=f"Desk benchmark {i}",
            published=date(2025, 1, 1) + timedelta(days=i),
            method="paste",
            origin="command",
        )
        found.append(result.snapshot)
    with tracked_change(origin="command", reason="desk benchmark sources"):
        for source in Source.objects.filter(name__startswith="Bench source "):
            grade = source.name[-2]  # "Bench source 3 (D)"
            if source.reliability != grade:
                source.reliability = grade
                source.save()
    return found


def bench_fill(wanted: int, *, out: Callable[[str], None]) -> None:
    have = Claim.objects.filter(engine_version=BENCH).count()
    if have >= wanted:
        out(f"{have:,} benchmark claims in place.")
        return
    snapshots = bench_documents()
    people = bench_people()
    out(f"Adding {wanted - have:,} benchmark claims ...")
    started = time.perf_counter()
    rng = random.Random(have)
    now = timezone.now()
    for batch in _batches(range(have, wanted), BATCH):
        rows = [_claim(i, rng, now, snapshots, people) for i in batch]
        with transaction.atomic():
            Claim.objects.bulk_create(rows, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO claims_evidence (claim_id, snapshot_id, stance, exact, prefix, suffix, "
            'start, "end", credibility, anchor, added_by_engine, note, created_at, updated_at) '
            "SELECT c.id, c.extracted_from_id, 'supports', c.quote, '', '', c.span_start, "
            "c.span_end, 3, 'exact', 'verifier bench', '', c.created_at, c.updated_at "
            "FROM claims_claim c WHERE c.engine_version = %s AND NOT EXISTS "
            "(SELECT 1 FROM claims_evidence e WHERE e.claim_id = c.id)",
            [BENCH],
        )
    _contradictions(rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    out(f"  done in {time.perf_counter() - started:.0f} s")


def _batches(items: range, size: int) -> Iterator[range]:
    for start in range(items.start, items.stop, size):
        yield range(start, min(start + size, items.stop))


def _claim(
    i: int, rng: random.Random, now: Any, snapshots: list[Snapshot], people: list[Any]
) -> Claim:
    status = rng.choice(STATUSES)
    unit = UNITS[min(int(rng.expovariate(0.25)), len(UNITS) - 1)]
    place = PLACES[min(int(rng.expovariate(0.1)), len(PLACES) - 1)]
    value = float(rng.randrange(1, 5000))
    word = RARE_WORD if i % 100_000 == 7 else "people"
    start = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 700))
    updated = now - timedelta(seconds=rng.randrange(0, 86400 * 365))
    assignee = (
        rng.choice(people) if status in ("unreviewed", "in_review") and rng.random() < 0.4 else None
    )
    return Claim(
        kind="quantitative",
        statement=f"Officials in {place} said {int(value)} {word} were affected (bench {i}).",
        quote=f"{int(value)}",
        value=value,
        lower=value,
        upper=value,
        qualifier="exact",
        unit=unit,
        subject=unit + "s",
        time_text="",
        time_start=start,
        time_end=start + timedelta(days=rng.randrange(0, 30)),
        places=[place],
        actors=["Officials"],
        attributed_to="Officials",
        hedges=[],
        status=status,
        confidence=rng.choice(CONFIDENCES) if status in ("verified", "disputed", "refuted") else "",
        machine_score=rng.random(),
        machine_explanation="bench",
        assignee=assignee,
        extracted_from=rng.choice(snapshots),
        span_start=i,
        span_end=i + 4,
        engine_version=BENCH,
        version=1,
        created_at=updated,
        updated_at=updated,
    )


def _contradictions(rng: random.Random) -> None:
    """One claim in a hundred contradicts another (both directions, as the engine stores)."""
    if ClaimRelation.objects.filter(engine_version=BENCH).exists():
        return
    ids = list(Claim.objects.filter(engine_version=BENCH).values_list("id", flat=True))
    pairs = set()
    for _ in range(len(ids) // 200):
        a, b = rng.sample(ids, 2)
        pairs.add((a, b))
    rows = []
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            rows.append(
                ClaimRelation(
                    claim_id=x,
                    other_id=y,
                    kind="contradicts",
                    explanation="bench",
                    engine_version=BENCH,
                )
            )
    ClaimRelation.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def bench_clear() -> None:
    ClaimRelation.objects.filter(engine_version=BENCH).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM claims_evidence WHERE claim_id IN "
            "(SELECT id FROM claims_claim WHERE engine_version = %s)",
            [BENCH],
        )
        cursor.execute("DELETE FROM claims_claim WHERE engine_version = %s", [BENCH])


def bench_pages() -> list[tuple[str, str]]:
    """Every filter of the claim list, a search for a common and a rare word, the dashboard."""
    anna = get_user_model().objects.get(username=PEOPLE[0])
    source = Source.objects.filter(name__startswith="Bench source").order_by("name").first()
    document = Document.objects.get(title="Desk benchmark 0")
    lst = "/admin/claims/claim/"
    pages = [
        ("claim list, no filter", lst),
        ("queue: my queue", f"{lst}?queue=mine"),
        ("queue: unassigned", f"{lst}?queue=unassigned"),
        ("queue: all open", f"{lst}?queue=open"),
        ("status: unreviewed", f"{lst}?status__exact=unreviewed"),
        ("status: refuted", f"{lst}?status__exact=refuted"),
        ("kind: factual (none)", f"{lst}?kind__exact=factual"),
        ("confidence: almost certain", f"{lst}?confidence__exact=almost_certain"),
        ("machine score: 0.8 and above", f"{lst}?score=high"),
        ("machine score: not scored", f"{lst}?score=none"),
        ("contradiction: has one", f"{lst}?contradicted=yes"),
        ("contradiction: none", f"{lst}?contradicted=no"),
        ("source", f"{lst}?source={source.pk}"),
        ("source grade: A", f"{lst}?grade=A"),
        ("document (the 1 MB report)", f"{lst}?document={document.pk}"),
        ("assignee", f"{lst}?assignee={anna.pk}"),
        ("unit: child", f"{lst}?unit=child"),
        ("unit: rare (unit39)", f"{lst}?unit=unit39"),
        ("date: this year", f"{lst}?time_start__gte=2025-01-01&time_start__lt=2026-01-01"),
        ("search: common word (Kharkiv)", f"{lst}?q=Kharkiv"),
        (f"search: rare word ({RARE_WORD})", f"{lst}?q={RARE_WORD}"),
        ("status + unit + source", f"{lst}?status__exact=unreviewed&unit=child&source={source.pk}"),
        ("dashboard (admin index)", "/admin/"),
    ]
    return pages


def bench_measure(pages: list[tuple[str, str]], *, rounds: int = 5) -> list[Timing]:
    anna = get_user_model().objects.get(username=PEOPLE[0])
    client = Client()
    client.force_login(anna)
    samples: dict[str, list[float]] = {url: [] for _, url in pages}
    storages = {
        **settings.STORAGES,
        # The pages are measured, not their assets: no collectstatic manifest needed.
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(
        ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False, DEBUG=False, STORAGES=storages
    ):
        for _, url in pages:  # warm: caches, connections, the first compile of each template
            _get(client, url)
        for _ in range(rounds):
            for _, url in pages:
                started = time.perf_counter()
                _get(client, url)
                samples[url].append((time.perf_counter() - started) * 1000)
    return [
        Timing(label, url, statistics.median(samples[url]), max(samples[url]))
        for label, url in pages
    ]


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
