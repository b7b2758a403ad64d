"""Writes for the claim pipeline: ingest a document, extract its claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

import verifier
from claims.jobs import job_create, job_handler
from claims.models import Claim, ClaimKind, Evidence, Job
from claims.reanchoring import evidence_carry_over
from sources.citations import snapshot_citations_store
from sources.history import tracked_change
from sources.models import Snapshot
from sources.services import (
    decode_document,
    document_find_or_create,
    sha256_hex,
    snapshot_create,
    snapshot_store_bytes,
    source_get_or_create,
)
from verifier.citations import citations_for_span

# Characters of context kept on each side of a quote (W3C TextQuoteSelector prefix/suffix).
QUOTE_CONTEXT = 32


@dataclass(frozen=True)
class IngestResult:
    snapshot: Snapshot
    job: Job | None
    created: bool


def document_ingest(
    *,
    raw: bytes,
    name: str,
    source_name: str,
    title: str,
    url: str = "",
    published: date | None = None,
    method: str,
    origin: str,
    user: Any = None,
) -> IngestResult:
    """Capture `raw` as a snapshot of its document and queue the extraction of its claims.

    Returns created=False, with nothing written, when these bytes were captured before.
    Raises sources.services.CaptureError when the bytes cannot be read as a document.
    """
    decoded = decode_document(raw, name=name)
    snapshot_store_bytes(raw)  # file I/O stays outside the transaction
    with (
        tracked_change(origin=origin, reason=f"ingested {name}", user=user),
        transaction.atomic(),
    ):
        source = source_get_or_create(name=source_name)
        document = document_find_or_create(
            source=source,
            title=title,
            url=url,
            published_at=published,
            sha256=sha256_hex(raw),
        )
        snapshot, created = snapshot_create(
            document=document, raw=raw, decoded=decoded, method=method, user=user
        )
        if not created:
            return IngestResult(snapshot=snapshot, job=None, created=False)
        job = job_create(kind=Job.Kind.EXTRACT_CLAIMS, snapshot=snapshot)
    return IngestResult(snapshot=snapshot, job=job, created=True)


@job_handler(Job.Kind.EXTRACT_CLAIMS)
def snapshot_extract_claims(job: Job) -> dict[str, Any]:
    """Turn every claim the engine finds in the snapshot into a Claim with its Evidence.

    A recaptured document keeps its claims: their evidence is carried over to the new
    snapshot first, and only spans not carried over become new claims. Each claim is linked
    to the report's citations on its sentence. Idempotent: a span already extracted from this
    snapshot is left alone. Returns counts for the Job's result.
    """
    snapshot = Snapshot.objects.select_related("document").get(pk=job.snapshot_id)
    text = snapshot.text
    engine = f"verifier {verifier.__version__}"
    found = verifier.extract_claims(text, published=snapshot.document.published_at)
    created = 0
    with tracked_change(
        origin="task", reason=f"extracted by engine {verifier.__version__} (job {job.pk})"
    ):
        citations, cited = snapshot_citations_store(snapshot)
        carried = evidence_carry_over(snapshot=snapshot, engine=engine)
        for item in found:
            if item.start >= citations.body_end or (item.start, item.end) in carried.spans:
                continue  # endnotes are not claims; carried-over claims exist already
            claim, made = Claim.objects.get_or_create(
                extracted_from=snapshot,
                span_start=item.start,
                span_end=item.end,
                kind=item.kind,
                defaults=_claim_fields(item, text),
            )
            numbers = citations_for_span(citations, text, item.start, item.end)
            claim.citations.add(*[c for n in numbers for c in cited.get(n, [])])
            if not made:
                continue
            created += 1
            Evidence.objects.create(
                claim=claim,
                snapshot=snapshot,
                exact=item.text,
                prefix=text[max(0, item.start - QUOTE_CONTEXT) : item.start],
                suffix=text[item.end : item.end + QUOTE_CONTEXT],
                start=item.start,
                end=item.end,
                added_by_engine=engine,
            )
        if created or carried.spans:
            # New claims and claims with new evidence: group, compare and score them once
            # this extraction commits.
            ids = Claim.objects.filter(evidence__snapshot=snapshot).values_list("id", flat=True)
            job_create(kind=Job.Kind.VERIFY_CLAIMS, payload={"claim_ids": sorted(set(ids))})
    return {
        "found": len(found),
        "created": created,
        "carried_over": carried.outcomes,
        "citations": sum(len(c) for c in cited.values()),
        "engine": verifier.__version__,
    }


def _claim_fields(item: verifier.ExtractedClaim, text: str) -> dict[str, Any]:
    quantitative = item.kind == ClaimKind.QUANTITATIVE
    return {
        "statement": text[item.sentence_start : item.sentence_end],
        "quote": item.text,
        "value": item.value,
        "lower": item.lower,
        "upper": item.upper,
        "qualifier": (item.qualifier or "") if quantitative else "",
        "unit": item.unit or "",
        "subject": item.subject or "",
        "time_text": item.time_text or "",
        "time_start": item.time_start,
        "time_end": item.time_end,
        "places": list(item.places),
        "actors": list(item.actors),
        "attributed_to": item.attributed_to or "",
        "hedges": list(item.hedges),
        "engine_version": verifier.__version__,
    }
