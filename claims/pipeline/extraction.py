"""Extraction storage: the engine's claims written in bulk, batch by batch, checkpointed.

Each batch (``JOB_BATCH_CLAIMS`` claims) writes its claims, their evidence, their citation
links and the history rows of both with simple-history's bulk helpers, stamped with who,
from where and why (``sources.history.bulk_history_attrs``), and records the job's progress
and checkpoint (the text offset reached) in the same short transaction. A rerun after a
crash resumes at the checkpoint; spans already stored are skipped, so none is written twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction

import verifier
from claims.jobs import job_create, job_handler
from claims.models import Claim, ClaimKind, Evidence, Job
from claims.pipeline.bulk import bulk_insert
from claims.pipeline.progress import BatchSizer, job_progress, relaxed_commit, yield_to_writers
from claims.reanchoring import evidence_carry_over
from sources.citations import snapshot_citations_store
from sources.history import tracked_change
from sources.models import Citation, Snapshot
from verifier.citations import Citations, citations_for_span

# Characters of context kept on each side of a quote (W3C TextQuoteSelector prefix/suffix).
QUOTE_CONTEXT = 32


@job_handler(Job.Kind.EXTRACT_CLAIMS, atomic=False)
def snapshot_extract_claims(job: Job) -> dict[str, Any]:
    """Turn every claim the engine finds in the snapshot into a Claim with its Evidence.

    A recaptured document keeps its claims: their evidence is carried over to the new
    snapshot first, and only spans not carried over become new claims. Each claim is linked
    to the report's citations on its sentence. Resumable and idempotent: a span already
    extracted from this snapshot is left alone. Returns counts for the Job's result.
    """
    snapshot = Snapshot.objects.select_related("document").get(pk=job.snapshot_id)
    text = snapshot.text
    engine = f"verifier {verifier.__version__}"
    found = verifier.extract_claims(text, published=snapshot.document.published_at)
    checkpoint = dict(job.checkpoint or {})
    reason = f"extracted by engine {verifier.__version__} (job {job.pk})"
    with tracked_change(origin="task", reason=reason):
        if "carried_over" not in checkpoint:
            # Batch by batch, in transactions of its own; a rerun writes only what is missing.
            checkpoint["carried_over"] = evidence_carry_over(
                snapshot=snapshot, engine=engine
            ).outcomes
            checkpoint.setdefault("offset", 0)
        # The citations and the checkpoint after the carry-over commit together: a small
        # report's whole job is then three short transactions (this, its batch, the finish).
        with transaction.atomic():
            citations, cited = snapshot_citations_store(snapshot)
            job_progress(job, done=float(job.progress or 0.0), checkpoint=dict(checkpoint))
        pending = _pending(snapshot, found, citations.body_end, int(checkpoint.get("offset", 0)))
        stored = _stored(snapshot)
        created = _store_batches(job, snapshot, pending, citations, cited, checkpoint, stored)
        if "verify_job" not in checkpoint:  # no claim to store (or a rerun after the last batch)
            with transaction.atomic():
                checkpoint["verify_job"] = _queue_verification(snapshot, checkpoint)
                job_progress(job, done=1.0, claims=stored + created, checkpoint=dict(checkpoint))
    return {
        "found": len(found),
        "created": created,
        "claims": stored + created,
        "carried_over": checkpoint["carried_over"],
        "citations": sum(len(c) for c in cited.values()),
        "verify_job": checkpoint["verify_job"],
        "longest_batch_s": checkpoint.get("longest_batch_s"),
        "engine": verifier.__version__,
    }


def _stored(snapshot: Snapshot) -> int:
    return Claim.objects.filter(extracted_from=snapshot).count()


def _pending(
    snapshot: Snapshot, found: Sequence[verifier.ExtractedClaim], body_end: int, offset: int
) -> list[verifier.ExtractedClaim]:
    """The engine's claims still to store: in the body, past the checkpoint, not yet held."""
    spans = set(Evidence.objects.filter(snapshot=snapshot).values_list("start", "end"))
    keys = set(
        Claim.objects.filter(extracted_from=snapshot).values_list("span_start", "span_end", "kind")
    )
    pending = []
    for item in found:
        key = (item.start, item.end, item.kind)
        if item.start < offset or item.start >= body_end:
            continue  # stored by an earlier run, or in the endnotes (not claims)
        if (item.start, item.end) in spans or key in keys:
            continue  # carried over from the previous capture, or stored already
        keys.add(key)
        pending.append(item)
    return pending


def _store_batches(
    job: Job,
    snapshot: Snapshot,
    pending: list[verifier.ExtractedClaim],
    citations: Citations,
    cited: dict[int, list[Citation]],
    checkpoint: dict[str, Any],
    stored: int,
) -> int:
    text = snapshot.text
    sizer = BatchSizer()
    created, low = 0, 0
    while low < len(pending):
        high = min(len(pending), low + sizer.size)
        batch = pending[low:high]
        # The next batch starts after this one's last claim; past the text when it is the last.
        offset = pending[high].start if high < len(pending) else len(text)
        with sizer.timed(), transaction.atomic():
            relaxed_commit()
            _store(snapshot, text, batch, citations, cited)
            created += len(batch)
            checkpoint["offset"] = offset
            checkpoint["longest_batch_s"] = round(sizer.longest, 3)
            if high == len(pending):
                # The last batch queues the verification in its own transaction.
                checkpoint["verify_job"] = _queue_verification(snapshot, checkpoint)
            job_progress(
                job,
                done=offset / max(1, len(text)),
                claims=stored + created,
                checkpoint=dict(checkpoint),
            )
        low = high
        yield_to_writers(sizer.last)
    return created


def _store(
    snapshot: Snapshot,
    text: str,
    batch: Iterable[verifier.ExtractedClaim],
    citations: Citations,
    cited: dict[int, list[Citation]],
) -> None:
    items = list(batch)
    claim_rows = [
        {
            "span_start": item.start,
            "span_end": item.end,
            "kind": item.kind,
            **claim_fields(item, text),
        }
        for item in items
    ]
    stored = bulk_insert(
        Claim,
        claim_rows,
        fixed={"extracted_from_id": snapshot.pk},
        returning=("id", "span_start", "span_end", "kind"),
    )
    # The database returns the rows in no promised order: match them by their unique span.
    ids = {(start, end, kind): pk for pk, start, end, kind in stored}
    claim_ids = [ids[(item.start, item.end, item.kind)] for item in items]
    bulk_insert(
        Evidence,
        [
            {
                "claim_id": claim_id,
                "exact": item.text,
                "prefix": text[max(0, item.start - QUOTE_CONTEXT) : item.start],
                "suffix": text[item.end : item.end + QUOTE_CONTEXT],
                "start": item.start,
                "end": item.end,
            }
            for claim_id, item in zip(claim_ids, items, strict=True)
        ],
        fixed={
            "snapshot_id": snapshot.pk,
            "added_by_engine": f"verifier {verifier.__version__}",
        },
    )
    links = Claim.citations.through
    rows = [
        links(claim_id=claim_id, citation_id=citation.pk)
        for claim_id, item in zip(claim_ids, items, strict=True)
        for number in citations_for_span(citations, text, item.start, item.end)
        for citation in cited.get(number, [])
    ]
    links.objects.bulk_create(rows, ignore_conflicts=True)


def _queue_verification(snapshot: Snapshot, checkpoint: dict[str, Any]) -> int | None:
    # New claims and claims with new evidence: group, compare and score them once this
    # extraction commits.
    ids = sorted(
        set(Claim.objects.filter(evidence__snapshot=snapshot).values_list("id", flat=True))
    )
    if not ids:
        return None
    return job_create(kind=Job.Kind.VERIFY_CLAIMS, payload={"claim_ids": ids}).pk


def claim_fields(item: verifier.ExtractedClaim, text: str) -> dict[str, Any]:
    """A Claim's content fields from the engine's reading of ``text``."""
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
        "role": (item.role or "") if quantitative else "",
        "phase": (item.phase or "") if quantitative else "",
        "inherited": item.inherited if quantitative else {},
        "engine_version": verifier.__version__,
    }
