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


def marked_text(text: str, spans: list[Span]) -> SafeString:
    """``text`` with each span in a <mark>; where spans overlap, the shortest one is marked
    (a number inside a factual claim's sentence stays visible)."""
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
            f' data-start="{left}">{chunk}</mark>'
        )
    return mark_safe("".join(parts))
