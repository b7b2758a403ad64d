"""Reading stored claims as the engine's ``ClaimFacts``: written fields completed by what the
claim inherited from its document (claims.Claim.inherited), its source and its evidence."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Min

from claims.models import Claim, Evidence, Stance
from verifier.consistency import ClaimFacts
from verifier.independence import domain
from verifier.linking import claim_facts_fields

CHUNK = 500


def load_claims(ids: Iterable[int]) -> list[Claim]:
    """The claims with what their facts need, in id order, read ``CHUNK`` ids a query.

    The evidence and citations facts need are read as values, two queries a chunk, and kept
    on each claim (``verification_evidence``): building model objects for them cost most of
    a verification.
    """
    ordered = sorted(set(ids))
    claims: list[Claim] = []
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        rows = list(
            Claim.objects.filter(id__in=chunk)
            .select_related("extracted_from__document__source")
            .defer("extracted_from__text", "extracted_from__http_headers")
            .order_by("id")
        )
        credibility: dict[int, int] = {}
        for claim_id, best in (
            Evidence.objects.filter(claim_id__in=chunk, stance=Stance.SUPPORTS)
            .values_list("claim_id")
            .annotate(best=Min("credibility"))
            .values_list("claim_id", "best")
        ):
            credibility[claim_id] = best
        cited: dict[int, tuple[set[str], set[int]]] = {}
        for claim_id, url, source_id in Claim.citations.through.objects.filter(
            claim_id__in=chunk
        ).values_list("claim_id", "citation__url", "citation__cited_document__source_id"):
            urls, sources = cited.setdefault(claim_id, (set(), set()))
            urls.add(url)
            sources.add(source_id)
        for claim in rows:
            urls, sources = cited.get(claim.pk, (set(), set()))
            claim.verification_evidence = (credibility.get(claim.pk, 6), urls, sources)
        claims.extend(rows)
    return claims


def load_facts(ids: Iterable[int]) -> dict[int, ClaimFacts]:
    return {claim.pk: claim_facts(claim) for claim in load_claims(ids)}


def claim_facts(claim: Claim) -> ClaimFacts:
    """The engine's view of a claim (its source through the snapshot it was extracted from)."""
    snapshot = claim.extracted_from
    document = snapshot.document if snapshot else None
    source = document.source if document else None
    loaded = getattr(claim, "verification_evidence", None)
    if loaded is None:
        citations = list(claim.citations.select_related("cited_document"))
        supporting = [e.credibility for e in claim.evidence.all() if e.stance == Stance.SUPPORTS]
        loaded = (
            min(supporting, default=6),
            {c.url for c in citations},
            {c.cited_document.source_id for c in citations},
        )
    credibility, cited_urls, cited_sources = loaded
    published = document.published_at if document else None
    if published is None and snapshot is not None:
        published = snapshot.captured_at.date()
    span = None
    if claim.span_start is not None and claim.span_end is not None:
        span = (claim.span_start, claim.span_end)
    fields: dict[str, Any] = claim_facts_fields(
        places=claim.places or (),
        actors=claim.actors or (),
        unit=claim.unit,
        subject=claim.subject,
        time_start=claim.time_start,
        time_end=claim.time_end,
        attributed_to=claim.attributed_to,
        role=claim.role,
        phase=claim.phase,
        inherited=claim.inherited if isinstance(claim.inherited, dict) else {},
        span=span,
    )
    return ClaimFacts(
        id=claim.pk,
        kind=claim.kind,
        value=claim.value,
        lower=claim.lower,
        upper=claim.upper,
        qualifier=claim.qualifier or None,
        published=published,
        statement=claim.statement,
        source_id=source.pk if source else None,
        source_name=source.name if source else "",
        source_grade=source.reliability if source else "F",
        source_domains=tuple(
            d
            for d in {
                domain(source.homepage if source else ""),
                domain(document.url if document else ""),
            }
            if d
        ),
        credibility=credibility,
        hedges=tuple(claim.hedges or ()),
        document_id=document.pk if document else None,
        document_url=document.url if document else "",
        cited_urls=tuple(sorted(cited_urls)),
        cited_source_ids=tuple(sorted(cited_sources)),
        status=claim.status,
        confidence=claim.confidence,
        **fields,
    )
