"""A captured text with every claim's span marked in its status colour, as HTML.

The HTML's text content is exactly the snapshot's text, character for character, so the
browser can turn a selection back into offsets (evidence by selection): nothing is added
between the characters, carriage returns are written as character references (the HTML
parser would otherwise turn CR LF into LF), and everything else is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from itertools import pairwise

from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Span:
    claim_id: int
    start: int
    end: int
    status: str
    sentence: bool  # a factual claim's whole sentence: underlined, not filled


def _text(chunk: str) -> str:
    return escape(chunk, quote=False).replace("\r", "&#13;")


def marked_text(text: str, spans: list[Span], base: int = 0) -> SafeString:
    """``text`` with each span in a <mark>; where spans overlap, the shortest one is marked
    (a number inside a factual claim's sentence stays visible).

    ``text`` may be a section of a snapshot that starts at character ``base``: spans are given
    in the snapshot's offsets, clipped to the section, and each mark's ``data-start`` is the
    snapshot offset, so the page can turn a selection back into the snapshot's characters.
    """
    spans = [
        Span(s.claim_id, max(s.start - base, 0), min(s.end - base, len(text)), s.status, s.sentence)
        for s in spans
        if s.end > base and s.start < base + len(text)
    ]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    cuts = [c for c in cuts if 0 <= c <= len(text)]
    by_start = sorted(spans, key=lambda s: (s.start, s.end))
    parts: list[str] = []
    active: list[Span] = []
    i = 0
    for left, right in pairwise(cuts):
        while i < len(by_start) and by_start[i].start <= left:
            active.append(by_start[i])
            i += 1
        active = [s for s in active if s.end > left]
        chunk = _text(text[left:right])
        covering = [s for s in active if s.start <= left and s.end >= right]
        if not covering:
            parts.append(chunk)
            continue
        top = min(covering, key=lambda s: (s.end - s.start, s.claim_id))
        kind = " desk-sentence-mark" if top.sentence else ""
        parts.append(
            f'<mark class="desk-span status-mark-{top.status}{kind}" data-claim="{top.claim_id}"'
            f' data-start="{base + left}">{chunk}</mark>'
        )
    return mark_safe("".join(parts))


def sections(text: str, size: int) -> list[tuple[int, int]]:
    """Consecutive windows of about ``size`` characters covering ``text`` exactly.

    A window ends after a paragraph break (a blank line) in its last quarter, else after a
    line break there, else after a space, so a section rarely cuts a sentence; a text with
    no breaks at all is cut every ``size`` characters. The cuts depend only on the text, so a
    section number names the same characters on every visit.
    """
    bounds: list[tuple[int, int]] = []
    start, length = 0, len(text)
    while start < length:
        limit = start + size
        if limit >= length:
            bounds.append((start, length))
            break
        floor = start + (size * 3) // 4
        cut = -1
        for mark in ("\n\n", "\n", " "):
            found = text.rfind(mark, floor, limit)
            if found != -1:
                cut = found + len(mark)
                break
        end = cut if cut > start else limit
        bounds.append((start, end))
        start = end
    return bounds


def section_of(bounds: list[tuple[int, int]], offset: int) -> int:
    """The index of the section holding ``offset`` (the last one for offsets past the end)."""
    for index, (start, end) in enumerate(bounds):
        if start <= offset < end:
            return index
    return max(len(bounds) - 1, 0)
