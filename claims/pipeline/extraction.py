"""Extraction storage: the engine's claims written in bulk, batch by batch, checkpointed.

Each batch (``JOB_BATCH_CLAIMS`` claims) writes its claims, their evidence, their citation
links and the history rows of both with simple-history's bulk helpers, stamped with who,
from where and why (``sources.history.bulk_history_attrs``), and records the job's progress
and checkpoint (the text offset reached) in the same short transaction. A rerun after a
crash resumes at the checkpoint; spans already stored are skipped, so none is written twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, InterfaceError, OperationalError, transaction

import verifier
from claims.jobs import job_create, job_handler
from claims.models import Claim, ClaimKind, Evidence, Job
from claims.pipeline.bulk import bulk_insert
from claims.pipeline.extraction_merge import (
    MERGE_DOCUMENT_CHARS,
    extraction_take_over,
    member_finish,
    members_owned,
    members_release,
)
from claims.pipeline.leases import LeaseLost
from claims.pipeline.progress import BatchSizer, job_progress, relaxed_commit, yield_to_writers
from claims.reanchoring import evidence_carry_over
from sources.citations import snapshot_citations_store
from sources.history import tracked_change
from sources.models import Citation, Snapshot
from verifier.citations import Citations, citations_for_span

logger = logging.getLogger(__name__)

# Characters of context kept on each side of a quote (W3C TextQuoteSelector prefix/suffix).
QUOTE_CONTEXT = 32
ENGINE = f"verifier {verifier.__version__}"


def _reason(job: Job) -> str:
    return f"extracted by engine {verifier.__version__} (job {job.pk})"


@job_handler(Job.Kind.EXTRACT_CLAIMS, atomic=False)
def snapshot_extract_claims(job: Job) -> dict[str, Any]:
    """Turn every claim the engine finds in the snapshot into a Claim with its Evidence.

    A recaptured document keeps its claims: their evidence is carried over to the new
    snapshot first, and only spans not carried over become new claims. Each claim is linked
    to the report's citations on its sentence. Resumable and idempotent: a span already
    extracted from this snapshot is left alone. A first run on a small document first takes
    over the small extraction jobs queued behind it and stores their documents with its own
    (claims.pipeline.extraction_merge). Returns counts for the Job's result.
    """
    snapshot = Snapshot.objects.select_related("document").get(pk=job.snapshot_id)
    chars = len(snapshot.text)
    if not job.checkpoint and chars <= MERGE_DOCUMENT_CHARS:
        members = extraction_take_over(job, chars=chars)
        if members:
            merged = _extract_together(job, snapshot, members)
            if merged is not None:
                return merged
    return _extract_alone(job, snapshot)


def _extract_alone(job: Job, snapshot: Snapshot) -> dict[str, Any]:
    text = snapshot.text
    engine = ENGINE
    found = verifier.extract_claims(text, published=snapshot.document.published_at)
    checkpoint = dict(job.checkpoint or {})
    reason = _reason(job)
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


@dataclass
class _Read:
    """One document of a merged run, read by the engine, its old evidence carried over."""

    owner: Job
    snapshot: Snapshot
    found: list[verifier.ExtractedClaim]
    carried_over: dict[str, int]


def _extract_together(job: Job, snapshot: Snapshot, members: list[Job]) -> dict[str, Any] | None:
    """Extract ``job``'s document and those of the ``members`` it took over, a few
    documents per transaction; returns ``job``'s result.

    Each transaction stores whole documents (about ``JOB_BATCH_CLAIMS`` claims), queues one
    verification job for them, marks their members succeeded and records ``job``'s
    checkpoint: all or nothing. When a transaction fails, the members not finished go back to
    the queue to run alone, and None is returned if ``job``'s own document is not stored yet
    (the caller then extracts it alone).
    """
    documents = [(job, snapshot), *((m, m.snapshot) for m in members)]
    total = sum(len(s.text) for _, s in documents)
    sizer = BatchSizer()
    group: list[_Read] = []
    done_chars, finished = 0, 0
    lead: dict[str, Any] | None = None
    try:
        for n, (owner, document) in enumerate(documents):
            found = verifier.extract_claims(document.text, published=document.document.published_at)
            with tracked_change(origin="task", reason=_reason(owner)):
                carried = evidence_carry_over(snapshot=document, engine=ENGINE).outcomes
            group.append(_Read(owner, document, found, carried))
            if n + 1 < len(documents) and sum(len(r.found) for r in group) < sizer.size:
                continue
            done_chars += sum(len(r.snapshot.text) for r in group)
            with sizer.timed():
                results = _store_group(job, group, done=done_chars / total, sizer=sizer)
            lead = results.pop(job.pk, lead)
            finished += len(results)
            group = []
            yield_to_writers(sizer.last)
    except LeaseLost:
        raise
    except (SoftTimeLimitExceeded, OperationalError, InterfaceError):
        # This run stops (to be requeued, or retried by Celery): the members not finished run
        # alone; if even that write fails, their lease runs out and the sweeper sends them.
        with suppress(DatabaseError):
            members_release(job, members)
        raise
    except Exception:
        # One document's failure is its own job's: the others run alone and tell.
        logger.exception("job %s: merged extraction stopped; the rest run alone", job.pk)
        job.refresh_from_db(fields=["checkpoint", "progress", "claims_so_far"])
        members_release(job, members)
        if lead is None:
            return None
    assert lead is not None
    return {**lead, "took_over": len(members), "merged": finished}


def _store_group(
    job: Job, group: list[_Read], *, done: float, sizer: BatchSizer
) -> dict[int, dict[str, Any]]:
    """Store the ``group``'s documents in one transaction; returns each owner's result by
    job id, for the documents whose owner this run still holds."""
    with transaction.atomic():
        relaxed_commit()
        owned = members_owned(job, [r.owner for r in group if r.owner.pk != job.pk])
        group = [r for r in group if r.owner.pk == job.pk or r.owner.pk in owned]
        held = _held([r.snapshot.pk for r in group])
        stored: dict[int, tuple[int, int]] = {}
        for read in group:
            with tracked_change(origin="task", reason=_reason(read.owner)):
                citations, cited = snapshot_citations_store(read.snapshot)
                pending = _pending(
                    read.snapshot,
                    read.found,
                    citations.body_end,
                    0,
                    held=held.get(read.snapshot.pk, (set(), set())),
                )
                _store(read.snapshot, read.snapshot.text, pending, citations, cited)
            stored[read.owner.pk] = (len(pending), sum(len(c) for c in cited.values()))
        with tracked_change(origin="task", reason=_reason(job)):
            verify_job = _queue_verification_of([r.snapshot.pk for r in group])
        results: dict[int, dict[str, Any]] = {}
        lead_checkpoint = None
        for read in group:
            created, citations_count = stored[read.owner.pk]
            checkpoint = {
                "carried_over": read.carried_over,
                "offset": len(read.snapshot.text),
                "verify_job": verify_job,
                "longest_batch_s": round(sizer.longest, 3),
            }
            result = {
                "found": len(read.found),
                "created": created,
                "claims": created,
                "carried_over": read.carried_over,
                "citations": citations_count,
                "verify_job": verify_job,
                "longest_batch_s": checkpoint["longest_batch_s"],
                "engine": verifier.__version__,
            }
            results[read.owner.pk] = result
            if read.owner.pk == job.pk:
                lead_checkpoint = checkpoint
            else:
                member_finish(
                    job, read.owner, result={**result, "merged_into": job.pk}, checkpoint=checkpoint
                )
        lead_claims = results[job.pk]["claims"] if job.pk in results else job.claims_so_far
        job_progress(job, done=done, claims=lead_claims, checkpoint=lead_checkpoint)
    return results


def _stored(snapshot: Snapshot) -> int:
    return Claim.objects.filter(extracted_from=snapshot).count()


def _pending(
    snapshot: Snapshot,
    found: Sequence[verifier.ExtractedClaim],
    body_end: int,
    offset: int,
    held: tuple[set[tuple[int, int]], set[tuple[int, int, str]]] | None = None,
) -> list[verifier.ExtractedClaim]:
    """The engine's claims still to store: in the body, past the checkpoint, not yet held
    (``held``: the spans with evidence and the claims already stored, read here if None)."""
    if held is None:
        held = _held([snapshot.pk]).get(snapshot.pk, (set(), set()))
    spans, keys = set(held[0]), set(held[1])
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
            "added_by_engine": ENGINE,
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


def _held(
    snapshot_ids: Sequence[int],
) -> dict[int, tuple[set[tuple[int, int]], set[tuple[int, int, str]]]]:
    """Per snapshot: the spans that have evidence on it, and the claims extracted from it."""
    held: dict[int, tuple[set[tuple[int, int]], set[tuple[int, int, str]]]] = {}
    evidence = Evidence.objects.filter(snapshot_id__in=snapshot_ids)
    for snapshot_id, start, end in evidence.values_list("snapshot_id", "start", "end"):
        held.setdefault(snapshot_id, (set(), set()))[0].add((start, end))
    claims = Claim.objects.filter(extracted_from_id__in=snapshot_ids)
    for snapshot_id, *key in claims.values_list(
        "extracted_from_id", "span_start", "span_end", "kind"
    ):
        held.setdefault(snapshot_id, (set(), set()))[1].add(tuple(key))  # type: ignore[arg-type]
    return held


def _queue_verification(snapshot: Snapshot, checkpoint: dict[str, Any]) -> int | None:
    return _queue_verification_of([snapshot.pk])


def _queue_verification_of(snapshot_ids: Sequence[int]) -> int | None:
    # New claims and claims with new evidence: group, compare and score them once this
    # extraction commits.
    ids = sorted(
        set(
            Claim.objects.filter(evidence__snapshot_id__in=snapshot_ids).values_list(
                "id", flat=True
            )
        )
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
