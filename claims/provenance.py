"""A claim's provenance as a W3C PROV document.

    source (agent) <- attributed -- document <- specialises -- snapshot <- generated -- capture
    snapshot <- used -- extraction (engine) -- generated -> claim <- influenced -- evidence
    review decisions (activities, associated with their reviewers) used the claim

`claim_provenance(claim)` builds the document; the API serialises it as PROV-JSON and
`export_provenance` can write any format the prov package knows (json, rdf/turtle, provn).
"""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify
from prov.constants import PROV_LABEL, PROV_TYPE
from prov.model import ProvDocument

from claims.models import Claim, Evidence, Review
from sources.models import Document, Snapshot

NAMESPACE = "urn:claim-verifier:"
PREFIX = "cv"


def _id(kind: str, key: object) -> str:
    return f"{PREFIX}:{kind}/{key}"


def _attrs(**values: Any) -> dict[str, Any]:
    """PROV attributes in our namespace, leaving out the empty ones (PROV has no null)."""
    return {f"{PREFIX}:{k}": v for k, v in values.items() if v not in (None, "", [])}


def claim_provenance(claim: Claim) -> ProvDocument:
    """The PROV document of one claim: where it came from and who decided on it."""
    doc = ProvDocument()
    doc.add_namespace(PREFIX, NAMESPACE)
    doc.add_namespace("schema", "https://schema.org/")
    claim_id = _id("claim", claim.pk)
    doc.entity(
        claim_id,
        {
            PROV_TYPE: "schema:Claim",
            PROV_LABEL: claim.statement,
            **_attrs(
                quote=claim.quote,
                kind=claim.kind,
                status=claim.status,
                confidence=claim.confidence,
                version=claim.version,
                value=claim.value,
                unit=claim.unit,
                machineScore=claim.machine_score,
            ),
        },
    )
    evidence = list(
        Evidence.objects.filter(claim=claim).select_related("snapshot__document__source")
    )
    snapshots: dict[int, Snapshot] = {e.snapshot_id: e.snapshot for e in evidence}
    if claim.extracted_from_id and claim.extracted_from_id not in snapshots:
        extracted = Snapshot.objects.select_related("document__source").get(
            pk=claim.extracted_from_id
        )
        snapshots[extracted.pk] = extracted
    documents: dict[int, Document] = {}
    for snapshot in snapshots.values():
        _add_snapshot(doc, snapshot)
        documents[snapshot.document_id] = snapshot.document
    for document in documents.values():
        _add_document(doc, document)
    # Sources the report cites for this claim (footnotes): the claim's primary sources.
    citations = list(claim.citations.select_related("cited_document__source"))
    for citation in citations:
        if citation.cited_document_id not in documents:
            documents[citation.cited_document_id] = citation.cited_document
            _add_document(doc, citation.cited_document)
        doc.hadPrimarySource(
            claim_id,
            _id("document", citation.cited_document_id),
            other_attributes=_attrs(cited=citation.url, footnote=citation.number),
        )
    if claim.extracted_from_id:
        _add_extraction(doc, claim, claim_id)
    for item in evidence:
        _add_evidence(doc, item, claim_id)
    if claim.attributed_to:
        originator = _id("originator", slugify(claim.attributed_to) or "unnamed")
        doc.agent(originator, {PROV_LABEL: claim.attributed_to})
        doc.wasAttributedTo(claim_id, originator)
    reviews = Review.objects.filter(claim=claim).select_related("reviewer").order_by("id")
    people: set[str] = set()
    for review in reviews:
        _add_review(doc, review, claim_id, people)
    return doc


def _add_snapshot(doc: ProvDocument, snapshot: Snapshot) -> None:
    snapshot_id = _id("snapshot", snapshot.pk)
    capture_id = _id("capture", snapshot.pk)
    doc.entity(
        snapshot_id,
        {
            PROV_LABEL: f"{snapshot.document.title} captured {snapshot.captured_at:%Y-%m-%d}",
            **_attrs(
                sha256=snapshot.sha256,
                textSha256=snapshot.text_sha256,
                mediaType=snapshot.media_type,
                size=snapshot.size,
                finalUrl=snapshot.final_url,
            ),
        },
    )
    doc.activity(
        capture_id,
        snapshot.captured_at,
        snapshot.captured_at,
        {PROV_TYPE: f"{PREFIX}:SnapshotCapture", **_attrs(method=snapshot.capture_method)},
    )
    # An identified (qualified) generation, so PROV-O output carries prov:qualifiedGeneration.
    doc.wasGeneratedBy(
        snapshot_id,
        capture_id,
        snapshot.captured_at,
        identifier=_id("generation", f"snapshot-{snapshot.pk}"),
    )
    doc.used(capture_id, _id("document", snapshot.document_id))
    doc.specializationOf(snapshot_id, _id("document", snapshot.document_id))


def _add_document(doc: ProvDocument, document: Document) -> None:
    document_id = _id("document", document.pk)
    source_id = _id("source", document.source_id)
    published = document.published_at
    doc.entity(
        document_id,
        {
            PROV_TYPE: "schema:CreativeWork",
            PROV_LABEL: document.title,
            **_attrs(
                url=document.url,
                published=published.isoformat() if published else None,
                author=document.author,
                language=document.language,
            ),
        },
    )
    source = document.source
    if doc.get_record(source_id):  # one agent per source, however many of its documents
        doc.wasAttributedTo(document_id, source_id)
        return
    doc.agent(
        source_id,
        {
            PROV_TYPE: "prov:Organization",
            PROV_LABEL: source.name,
            **_attrs(kind=source.kind, reliability=source.reliability, homepage=source.homepage),
        },
    )
    doc.wasAttributedTo(document_id, source_id)


def _add_extraction(doc: ProvDocument, claim: Claim, claim_id: str) -> None:
    engine = claim.engine_version or "unknown"
    extraction_id = _id("extraction", f"{claim.extracted_from_id}/{engine}")
    engine_id = _id("engine", f"verifier-{engine}")
    doc.agent(engine_id, {PROV_TYPE: "prov:SoftwareAgent", PROV_LABEL: f"verifier {engine}"})
    doc.activity(
        extraction_id,
        other_attributes={
            PROV_TYPE: f"{PREFIX}:ClaimExtraction",
            **_attrs(engineVersion=engine, spanStart=claim.span_start, spanEnd=claim.span_end),
        },
    )
    doc.used(extraction_id, _id("snapshot", claim.extracted_from_id))
    doc.wasAssociatedWith(extraction_id, engine_id)
    doc.wasGeneratedBy(
        claim_id, extraction_id, claim.created_at, identifier=_id("generation", f"claim-{claim.pk}")
    )
    doc.wasDerivedFrom(claim_id, _id("snapshot", claim.extracted_from_id))


def _add_evidence(doc: ProvDocument, evidence: Evidence, claim_id: str) -> None:
    evidence_id = _id("evidence", evidence.pk)
    doc.entity(
        evidence_id,
        {
            PROV_TYPE: f"{PREFIX}:Evidence",
            PROV_LABEL: evidence.exact[:200],
            **_attrs(
                stance=evidence.stance,
                exact=evidence.exact,
                prefix=evidence.prefix,
                suffix=evidence.suffix,
                start=evidence.start,
                end=evidence.end,
                credibility=evidence.credibility,
                addedByEngine=evidence.added_by_engine,
            ),
        },
    )
    doc.wasDerivedFrom(evidence_id, _id("snapshot", evidence.snapshot_id))
    doc.wasInfluencedBy(claim_id, evidence_id)


def _add_review(doc: ProvDocument, review: Review, claim_id: str, people: set[str]) -> None:
    review_id = _id("review", review.pk)
    doc.activity(
        review_id,
        review.created_at,
        review.created_at,
        {
            PROV_TYPE: f"{PREFIX}:ReviewDecision",
            **_attrs(
                fromStatus=review.from_status,
                toStatus=review.to_status,
                confidence=review.confidence,
                rationale=review.rationale,
                origin=review.origin,
            ),
        },
    )
    doc.used(review_id, claim_id)
    doc.wasInfluencedBy(claim_id, review_id)
    if review.reviewer is not None:
        username = review.reviewer.get_username()
        person_id = _id("person", slugify(username) or review.reviewer_id)
        if person_id not in people:  # one agent record per person, however many decisions
            people.add(person_id)
            doc.agent(person_id, {PROV_TYPE: "prov:Person", PROV_LABEL: username})
        doc.wasAssociatedWith(review_id, person_id)
