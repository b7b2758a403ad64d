"""The pipeline benchmark's cases, run in a process whose database is the bench's own.

``manage.py bench_pipeline`` creates a throwaway database, starts one real worker and runs
each case in a child process (``--case``); each case prints one JSON line of figures.
The engine's own time is measured on the same texts in the same run, so the ratios compare
like with like on a machine shared with other work.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterable
from typing import Any

from django.db.models import Max, Min

import verifier
from claims.models import Claim, Job
from claims.pipeline.corpus import dense_report
from claims.services import document_ingest


def _engine_seconds(texts: Iterable[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        verifier.extract_claims(text)
    return time.perf_counter() - start


VERIFY_TIMEOUT = float(os.environ.get("BENCH_VERIFY_TIMEOUT", "600"))


def _wait_verification(start: float) -> float | None:
    """Seconds from ``start`` until every verification job ended; None past the timeout."""
    if VERIFY_TIMEOUT <= 0:
        return None
    try:
        _wait([Job.Kind.VERIFY_CLAIMS], seconds=VERIFY_TIMEOUT)
    except TimeoutError:
        return None
    return time.perf_counter() - start


def _verification_done() -> float:
    jobs = list(Job.objects.filter(kind=Job.Kind.VERIFY_CLAIMS).values_list("progress", flat=True))
    return round(sum(jobs) / len(jobs), 3) if jobs else 1.0


def _ratio(seconds: float | None, engine: float) -> float | None:
    return None if seconds is None else round(seconds / engine, 2)


def _wait(kinds: Iterable[str], *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while Job.objects.filter(kind__in=list(kinds), state__in=["queued", "running"]).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"jobs still running after {seconds:g} s")
        time.sleep(0.2)


def _span(kind: str) -> float | None:
    """Seconds from the first job's start to the last one's end, for one kind of job."""
    times = Job.objects.filter(kind=kind).aggregate(start=Min("started_at"), end=Max("finished_at"))
    if times["start"] is None or times["end"] is None:
        return None
    return round((times["end"] - times["start"]).total_seconds(), 2)


def _failed() -> list[str]:
    return list(Job.objects.filter(state="failed").values_list("last_error", flat=True)[:3])


def _ingest(text: str, name: str) -> None:
    document_ingest(
        raw=text.encode(),
        name=name,
        source_name="Benchmark desk",
        title=name,
        method="upload",
        origin="command",
    )


def case_many(documents: int, *, seed: int) -> dict[str, Any]:
    """(a) many distinct 2-10 KB reports: documents per second, end to end."""
    rng = random.Random(seed)
    texts = [dense_report(rng.randint(2_000, 10_000), seed=seed + n) for n in range(documents)]
    engine = _engine_seconds(texts)
    start = time.perf_counter()
    for n, text in enumerate(texts):
        _ingest(text, f"report-{seed}-{n}.txt")
    _wait([Job.Kind.EXTRACT_CLAIMS], seconds=3600)
    extracted = time.perf_counter() - start
    verified = _wait_verification(start)
    return {
        "case": "a",
        "documents": documents,
        "chars": sum(map(len, texts)),
        "claims": Claim.objects.count(),
        "engine_s": round(engine, 2),
        "extracted_s": round(extracted, 2),
        "verified_s": verified and round(verified, 2),
        "verification_done": _verification_done(),
        "docs_per_s": round(documents / extracted, 1),
        "docs_per_s_with_verification": verified and round(documents / verified, 1),
        "ratio": round(extracted / engine, 2),
        "ratio_with_verification": _ratio(verified, engine),
        "failed": _failed(),
    }


def case_dense(size_chars: int, *, seed: int, label: str) -> dict[str, Any]:
    """(b) one dense report: claims stored per second and the ratio to the engine's time."""
    text = dense_report(size_chars, seed=seed)
    engine = _engine_seconds([text])
    start = time.perf_counter()
    _ingest(text, f"dense-{seed}.txt")
    _wait([Job.Kind.EXTRACT_CLAIMS], seconds=3600)
    extracted = time.perf_counter() - start
    claims = Claim.objects.count()
    verified = _wait_verification(start)
    return {
        "case": label,
        "chars": len(text),
        "claims": claims,
        "engine_s": round(engine, 2),
        "extracted_s": round(extracted, 2),
        "extraction_job_s": _span(Job.Kind.EXTRACT_CLAIMS),
        "verified_s": verified and round(verified, 2),
        "verification_done": _verification_done(),
        "claims_per_s": round(claims / extracted),
        "ratio": round(extracted / engine, 2),
        "ratio_with_verification": _ratio(verified, engine),
        "failed": _failed(),
    }
