"""A claim as schema.org ClaimReview JSON-LD, the form fact-check aggregators read.

The rating is the ICD 203 confidence band on a stated 1-7 scale (1 = almost no chance,
7 = almost certain), with the review status as its alternateName.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from claims.models import Claim, Confidence, Evidence, Review
from claims.workflow import DECIDED
from sources.models import Document, Snapshot

SCALE = list(Confidence.choices)  # lowest band first: ratingValue is its 1-based position


def _rating(claim: Claim) -> dict[str, Any]:
    rating: dict[str, Any] = {
        "@type": "Rating",
        "worstRating": 1,
        "bestRating": len(SCALE),
        "alternateName": claim.status,
        "ratingExplanation": (
            "Confidence on the ICD 203 estimative-probability scale: "
            + ", ".join(f"{i} = {label}" for i, (_, label) in enumerate(SCALE, start=1))
            + "."
        ),
    }
    for position, (key, label) in enumerate(SCALE, start=1):
        if key == claim.confidence:
            rating["ratingValue"] = position
            rating["name"] = label
    return rating


def _documents(claim: Claim) -> list[Document]:
    """The documents the claim appears in: where it was extracted, then its evidence's."""
    ids: list[int] = []
    if claim.extracted_from_id:
        # values_list, not claim.extracted_from: that would load the snapshot's whole text
        snapshot = Snapshot.objects.filter(pk=claim.extracted_from_id)
        ids.extend(snapshot.values_list("document_id", flat=True))
    evidence = Evidence.objects.filter(claim=claim).values_list("snapshot__document_id", flat=True)
    ids.extend(i for i in evidence if i not in ids)
    found = Document.objects.select_related("source").in_bulk(ids)
    return [found[i] for i in ids if i in found]


def claim_review(claim: Claim, request: Any) -> dict[str, Any]:
    """The ClaimReview JSON-LD document of `claim`."""
    documents = _documents(claim)
    originator = claim.attributed_to or (documents[0].source.name if documents else "")
    appearance = []
    for document in documents:
        work: dict[str, Any] = {"@type": "CreativeWork", "headline": document.title}
        if document.url:
            work["url"] = document.url
        if document.published_at:
            work["datePublished"] = document.published_at.isoformat()
        work["publisher"] = {"@type": "Organization", "name": document.source.name}
        appearance.append(work)
    item: dict[str, Any] = {"@type": "Claim", "text": claim.quote, "appearance": appearance}
    if originator:
        item["author"] = {"@type": "Organization", "name": originator}
    if documents and documents[0].published_at:
        item["datePublished"] = documents[0].published_at.isoformat()
    decision = (
        Review.objects.filter(claim=claim, to_status__in=DECIDED).order_by("-created_at").first()
    )
    published = decision.created_at if decision else claim.updated_at
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": request.build_absolute_uri(reverse("api:claim-detail", args=[claim.pk])),
        "claimReviewed": claim.statement,
        "datePublished": published.date().isoformat(),
        "author": {"@type": "Organization", "name": settings.REVIEWING_ORGANISATION},
        "reviewRating": _rating(claim),
        "itemReviewed": item,
    }
