"""Reads that the admin and the API share."""

from __future__ import annotations

from dataclasses import dataclass

from claims.models import Claim, Evidence

# Characters of the snapshot shown on each side of the claim's sentence.
PASSAGE_CONTEXT = 300


@dataclass(frozen=True)
class Passage:
    """The text around a claim, split so the quote can be highlighted."""

    evidence: Evidence
    before: str
    quote: str
    after: str
    clipped_start: bool
    clipped_end: bool


def claim_passages(claim: Claim) -> list[Passage]:
    """The source passage of each piece of evidence, with the quoted span cut out."""
    passages = []
    for evidence in claim.evidence.select_related("snapshot__document__source"):
        text = evidence.snapshot.text
        start = max(0, evidence.start - PASSAGE_CONTEXT)
        end = min(len(text), evidence.end + PASSAGE_CONTEXT)
        passages.append(
            Passage(
                evidence=evidence,
                before=text[start : evidence.start],
                quote=text[evidence.start : evidence.end],
                after=text[evidence.end : end],
                clipped_start=start > 0,
                clipped_end=end < len(text),
            )
        )
    return passages


def claims_for_list():
    """The claim list's queryset: everything a row shows, in one query."""
    return Claim.objects.select_related("assignee", "extracted_from__document__source").defer(
        "machine_explanation"
    )
