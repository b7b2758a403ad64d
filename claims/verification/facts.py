"""Reading stored claims as the engine's ``ClaimFacts``: written fields completed by what the
claim inherited from its document (claims.Claim.inherited), its source and its evidence.

``load_rows(ids)`` is what verification reads: plain values in three queries a chunk (the
claim with its snapshot, document and source; the best credibility of its supporting
evidence; its citations), each claim as a ``StoredClaim``. Building model instances for the
same rows cost most of a verification (a 200 KB report spent 17 s of 53 in it).
``claim_facts(claim)`` builds the same facts from one model instance, for callers that hold one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Min

from claims.models import Claim, Evidence, Stance
from verifier.consistency import ClaimFacts
from verifier.independence import domain
from verifier.linking import claim_facts_fields

CHUNK = 500

# What the facts and the verification writes need, read as values.
_COLUMNS = (
    "id", "kind", "value", "lower", "upper", "qualifier", "statement", "unit", "subject",
    "time_start", "time_end", "places", "actors", "attributed_to", "hedges", "role", "phase",
    "inherited", "span_start", "span_end", "status", "confidence", "group_id", "machine_score",
    "machine_explanation", "corroborations", "extracted_from_id",
    "extracted_from__captured_at", "extracted_from__document_id",
    "extracted_from__document__url", "extracted_from__document__published_at",
    "extracted_from__document__source_id", "extracted_from__document__source__name",
    "extracted_from__document__source__reliability",
    "extracted_from__document__source__homepage",
)  # fmt: skip
# The fields verification writes, and the review state scores read: re-read under the locks.
STATE_COLUMNS = (
    "id", "status", "confidence", "group_id", "machine_score", "machine_explanation",
    "corroborations",
)  # fmt: skip


@dataclass(slots=True)
class StoredClaim:
    """A claim as verification reads it: its facts, and the stored fields it may write."""

    facts: ClaimFacts
    snapshot_id: int | None
    document_id: int | None
    group_id: int | None
    machine_score: float | None
    machine_explanation: str
    corroborations: int


def load_rows(ids: Iterable[int]) -> dict[int, StoredClaim]:
    """The claims of ``ids`` that exist, by id, read ``CHUNK`` ids a query."""
    ordered = sorted(set(ids))
    found: dict[int, StoredClaim] = {}
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        rows = list(Claim.objects.filter(id__in=chunk).order_by("id").values_list(*_COLUMNS))
        if not rows:
            continue
        credibility, cited = _evidence(chunk)
        for row in rows:
            stored = _stored(dict(zip(_COLUMNS, row, strict=True)), credibility, cited)
            found[stored.facts.id] = stored
    return found


def _evidence(
    chunk: list[int],
) -> tuple[dict[int, int], dict[int, tuple[set[str], set[int]]]]:
    credibility: dict[int, int] = dict(
        Evidence.objects.filter(claim_id__in=chunk, stance=Stance.SUPPORTS)
        .values_list("claim_id")
        .annotate(best=Min("credibility"))
        .values_list("claim_id", "best")
    )
    cited: dict[int, tuple[set[str], set[int]]] = {}
    for claim_id, url, source_id in Claim.citations.through.objects.filter(
        claim_id__in=chunk
    ).values_list("claim_id", "citation__url", "citation__cited_document__source_id"):
        urls, sources = cited.setdefault(claim_id, (set(), set()))
        urls.add(url)
        sources.add(source_id)
    return credibility, cited


def _stored(
    row: dict[str, Any],
    credibility: Mapping[int, int],
    cited: Mapping[int, tuple[set[str], set[int]]],
) -> StoredClaim:
    pk = row["id"]
    urls, sources = cited.get(pk, (set(), set()))
    published = row["extracted_from__document__published_at"]
    if published is None and row["extracted_from__captured_at"] is not None:
        published = row["extracted_from__captured_at"].date()
    facts = _facts(
        row,
        source=(
            row["extracted_from__document__source_id"],
            row["extracted_from__document__source__name"] or "",
            row["extracted_from__document__source__reliability"] or "F",
            row["extracted_from__document__source__homepage"] or "",
        ),
        document=(row["extracted_from__document_id"], row["extracted_from__document__url"] or ""),
        published=published,
        evidence=(credibility.get(pk, 6), urls, sources),
    )
    return StoredClaim(
        facts=facts,
        snapshot_id=row["extracted_from_id"],
        document_id=row["extracted_from__document_id"],
        group_id=row["group_id"],
        machine_score=row["machine_score"],
        machine_explanation=row["machine_explanation"],
        corroborations=row["corroborations"],
    )


def _facts(
    row: Mapping[str, Any],
    *,
    source: tuple[int | None, str, str, str],
    document: tuple[int | None, str],
    published: date | None,
    evidence: tuple[int, set[str], set[int]],
) -> ClaimFacts:
    """The engine's view of one claim from its stored values (a row or a model's fields)."""
    source_id, source_name, grade, homepage = source
    document_id, document_url = document
    credibility, cited_urls, cited_sources = evidence
    span = None
    if row["span_start"] is not None and row["span_end"] is not None:
        span = (row["span_start"], row["span_end"])
    inherited = row["inherited"]
    fields: dict[str, Any] = claim_facts_fields(
        places=row["places"] or (),
        actors=row["actors"] or (),
        unit=row["unit"],
        subject=row["subject"],
        time_start=row["time_start"],
        time_end=row["time_end"],
        attributed_to=row["attributed_to"],
        role=row["role"],
        phase=row["phase"],
        inherited=inherited if isinstance(inherited, dict) else {},
        span=span,
    )
    return ClaimFacts(
        id=row["id"],
        kind=row["kind"],
        value=row["value"],
        lower=row["lower"],
        upper=row["upper"],
        qualifier=row["qualifier"] or None,
        published=published,
        statement=row["statement"],
        source_id=source_id,
        source_name=source_name,
        source_grade=grade,
        source_domains=tuple(d for d in {domain(homepage), domain(document_url)} if d),
        credibility=credibility,
        hedges=tuple(row["hedges"] or ()),
        document_id=document_id,
        document_url=document_url,
        cited_urls=tuple(sorted(cited_urls)),
        cited_source_ids=tuple(sorted(cited_sources)),
        status=row["status"],
        confidence=row["confidence"],
        **fields,
    )


def load_facts(ids: Iterable[int]) -> dict[int, ClaimFacts]:
    return {pk: stored.facts for pk, stored in load_rows(ids).items()}


def claim_facts(claim: Claim) -> ClaimFacts:
    """The engine's view of a claim (its source through the snapshot it was extracted from)."""
    snapshot = claim.extracted_from
    document = snapshot.document if snapshot else None
    source = document.source if document else None
    citations = list(claim.citations.select_related("cited_document"))
    supporting = [e.credibility for e in claim.evidence.all() if e.stance == Stance.SUPPORTS]
    published = document.published_at if document else None
    if published is None and snapshot is not None:
        published = snapshot.captured_at.date()
    return _facts(
        {f: getattr(claim, f) for f in _COLUMNS if "__" not in f},
        source=(
            source.pk if source else None,
            source.name if source else "",
            source.reliability if source else "F",
            source.homepage if source else "",
        ),
        document=(document.pk if document else None, document.url if document else ""),
        published=published,
        evidence=(
            min(supporting, default=6),
            {c.url for c in citations},
            {c.cited_document.source_id for c in citations},
        ),
    )
