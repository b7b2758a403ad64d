"""The paragraph around a claim, cut so its quote can be highlighted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# A paragraph longer than this on either side of the quote is cut at a word (a whole report
# pasted as one line would otherwise fill the page).
PARAGRAPH_LIMIT = 1200


@dataclass(frozen=True)
class Passage:
    evidence: Any
    before: str
    quote: str
    after: str
    clipped_start: bool
    clipped_end: bool


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph holding text[start:end]: from the line break before it to the one after,
    at most PARAGRAPH_LIMIT characters each side (cut at a space)."""
    begin = text.rfind("\n", 0, start) + 1
    stop = text.find("\n", end)
    stop = len(text) if stop < 0 else stop
    if start - begin > PARAGRAPH_LIMIT:
        begin = start - PARAGRAPH_LIMIT
        space = text.find(" ", begin, start)
        begin = space + 1 if space >= 0 else begin
    if stop - end > PARAGRAPH_LIMIT:
        stop = end + PARAGRAPH_LIMIT
        space = text.rfind(" ", end, stop)
        stop = space if space > end else stop
    return begin, stop


def claim_paragraphs(claim: Any) -> list[Passage]:
    """The paragraph of each piece of the claim's evidence, with the quoted span cut out."""
    passages = []
    for evidence in claim.evidence.select_related("snapshot__document__source"):
        text = evidence.snapshot.text
        begin, stop = paragraph_bounds(text, evidence.start, evidence.end)
        passages.append(
            Passage(
                evidence=evidence,
                before=text[begin : evidence.start],
                quote=text[evidence.start : evidence.end],
                after=text[evidence.end : stop],
                clipped_start=begin > 0 and text[begin - 1] != "\n",
                clipped_end=stop < len(text) and text[stop] != "\n",
            )
        )
    return passages
