"""Re-anchoring an evidence quote in a changed text (W3C Web Annotation selectors).

An ``Anchor`` is a TextQuoteSelector (exact, prefix, suffix) plus a TextPositionSelector
(start, end) over one snapshot's text. When a document is captured again, ``reanchor`` finds
the quote in the new text, trying in order: the same position, the same quote elsewhere, an
approximate match, and otherwise gives up ("orphaned").

Figures are what this service verifies, so a match whose digits differ from the quote's is
never accepted, at any step: "39" never re-anchors to "93" or to the "39" inside "139".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

from .model import VerifierError

OUTCOMES = ("exact", "moved", "fuzzy", "orphaned")

# One-to-one character folding (so folded offsets equal original offsets): typographic variants
# that a re-capture or a CMS change introduces without changing what the text says.
_FOLD = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′ʼ`", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u3000\t\n\r\v\f", " "),
        **dict.fromkeys("‐‑‒–—―−", "-"),
    }
)
_DIGIT = re.compile(r"\d")
# A number running into a span's start ("1," before "200") or out of its end (",000").
_NUMBER_BEFORE = re.compile(r"\d(?:[,.]?\d)*[,.]?\Z")
_NUMBER_AFTER = re.compile(r"(?:[,.]?\d)+")
_MAX_HITS = 4  # nearest exact hits kept per search string when seeding fuzzy windows
_MAX_PIECES = 6  # quote pieces used as seeds; more adds time, rarely matches


@dataclass(frozen=True, slots=True)
class Anchor:
    """A quote over a text: TextQuoteSelector (exact, prefix, suffix) + TextPositionSelector."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Reanchored:
    """Where an anchor's quote now is. ``score``: 1.0 for exact and moved, 1 - (character edit
    distance / length) for fuzzy, 0.0 for orphaned (whose start, end and exact are None)."""

    outcome: str
    start: int | None
    end: int | None
    exact: str | None
    score: float


ORPHANED = Reanchored("orphaned", None, None, None, 0.0)


def make_anchor(text: str, start: int, end: int, *, context: int = 32) -> Anchor:
    """Return the anchor of ``text[start:end]`` with up to ``context`` characters either side.

    Raises VerifierError for an empty or out-of-range span or a negative context.
    """
    if not 0 <= start < end <= len(text):
        raise VerifierError(f"span [{start}, {end}) is empty or outside a text of {len(text)}")
    if context < 0:
        raise VerifierError("context must not be negative")
    prefix = text[max(0, start - context) : start]
    return Anchor(text[start:end], prefix, text[end : end + context], start, end)


def reanchor(anchor: Anchor, new_text: str, *, max_fuzz: float = 0.2) -> Reanchored:
    """Return where ``anchor``'s quote is in ``new_text``: exact, moved, fuzzy or orphaned.

    Fuzzy matches are at most ``max_fuzz * len(quote)`` edits away, counted after folding
    typographic variants (curly quotes, NBSP, dashes, line breaks). Raises VerifierError when
    ``max_fuzz`` is outside [0, 1) or the anchor's quote is empty.
    """
    if not 0 <= max_fuzz < 1:
        raise VerifierError("max_fuzz must be in [0, 1)")
    if not anchor.exact:
        raise VerifierError("an anchor needs a non-empty quote")
    folded = _fold_text(new_text)
    found = _find_exact(anchor, new_text, folded)
    if found is not None:
        return found
    return _find_fuzzy(anchor, new_text, folded, max_fuzz)


@lru_cache(maxsize=4)
def _fold_text(text: str) -> str:
    # Cached because a re-capture re-anchors hundreds of evidences against the same new text.
    return text.translate(_FOLD)


def _digits(text: str) -> str:
    return "".join(_DIGIT.findall(text))


class _Figures:
    """The digits a span shows, plus those of any number its boundaries cut through.

    Neighbouring digits are read only as far as the stored context reaches, since the old text
    beyond it is unknown; where the context shows that the old text ended (a prefix reaching
    offset 0, a suffix shorter than the prefix), digits that now appear past it count too.
    """

    def __init__(self, anchor: Anchor) -> None:
        prefix, suffix = len(anchor.prefix), len(anchor.suffix)
        self.before = prefix + 2 if prefix == anchor.start else prefix
        self.after = suffix + 2 if suffix < prefix else suffix
        self.expected = self._figures(anchor.prefix, anchor.exact, anchor.suffix)

    def agree(self, text: str, start: int, end: int) -> bool:
        """Return True when ``text[start:end]`` shows the same figures as the quote."""
        before = text[max(0, start - self.before) : start]
        figures = self._figures(before, text[start:end], text[end : end + self.after])
        return figures == self.expected

    @staticmethod
    def _figures(before: str, span: str, after: str) -> tuple[str, str, str]:
        left = _NUMBER_BEFORE.search(before) if span[0].isdecimal() else None
        right = _NUMBER_AFTER.match(after) if span[-1].isdecimal() else None
        return (
            _digits(left.group()) if left else "",
            _digits(span),
            _digits(right.group()) if right else "",
        )


def _shared_len(a: str, b: str) -> int:
    """Return the length of the common start of ``a`` and ``b``."""
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


class _Context:
    """How well a candidate span's surroundings agree with the anchor's prefix and suffix."""

    def __init__(self, anchor: Anchor, folded: str) -> None:
        self.prefix = anchor.prefix.translate(_FOLD)
        self.suffix = anchor.suffix.translate(_FOLD)
        self.folded = folded

    def score(self, start: int, end: int) -> float:
        """Return the share (0..1) of prefix and suffix characters that still surround the span."""
        total = len(self.prefix) + len(self.suffix)
        if total == 0:
            return 0.0
        before = self.folded[max(0, start - len(self.prefix)) : start]
        after = self.folded[end : end + len(self.suffix)]
        agreed = _shared_len(self.prefix[::-1], before[::-1]) + _shared_len(self.suffix, after)
        return agreed / total


def _find_exact(anchor: Anchor, new_text: str, folded: str) -> Reanchored | None:
    """Return an exact or moved result, or None when the quote is nowhere verbatim."""
    quote, old = anchor.exact, anchor.start
    figures, context = _Figures(anchor), _Context(anchor, folded)
    # The common case, answered without scanning the text for other occurrences.
    end = old + len(quote)
    if (
        new_text.startswith(quote, old)
        and context.score(old, end) == 1.0
        and figures.agree(new_text, old, end)
    ):
        return Reanchored("exact", old, end, quote, 1.0)
    best: tuple[float, int] | None = None
    best_start = -1
    pos = new_text.find(quote)
    while pos >= 0:
        end = pos + len(quote)
        if figures.agree(new_text, pos, end):
            # Rank by context agreement first, then nearness; the same place wins any tie.
            key = (-context.score(pos, end), abs(pos - old))
            if best is None or key < best:
                best, best_start = key, pos
        pos = new_text.find(quote, pos + 1)
    if best is None:
        return None
    outcome = "exact" if best_start == old else "moved"
    return Reanchored(outcome, best_start, best_start + len(quote), quote, 1.0)


def _find_fuzzy(anchor: Anchor, new_text: str, folded: str, max_fuzz: float) -> Reanchored:
    pattern = anchor.exact.translate(_FOLD)
    limit = int(max_fuzz * len(pattern))
    figures, context = _Figures(anchor), _Context(anchor, folded)
    best: tuple[int, float, int] | None = None
    best_span = (0, 0)
    for lo, hi in _windows(anchor, pattern, folded, limit):
        scores = _myers(pattern, folded[lo:hi], anchored=False)
        for j in _best_ends(scores, limit):
            end = lo + j + 1
            start = _best_start(pattern, folded, end, limit)
            if not figures.agree(new_text, start, end):
                continue
            key = (scores[j], -context.score(start, end), abs(start - anchor.start))
            if best is None or key < best:
                best, best_span = key, (start, end)
    if best is None:
        return ORPHANED
    start, end = best_span
    found = new_text[start:end]
    distance = _myers(anchor.exact, found, anchored=True)[-1]
    score = 1.0 - distance / max(len(anchor.exact), len(found))
    return Reanchored("fuzzy", start, end, found, round(score, 4))


def _windows(anchor: Anchor, pattern: str, folded: str, limit: int) -> list[tuple[int, int]]:
    """Return merged regions of ``folded`` worth searching, seeded by position and exact hits."""
    m = len(pattern)
    # (where the quote would start, padding): the old position gets a wider net because
    # edits just before the quote shift it by an unknown amount.
    seeds: list[tuple[int, int]] = [(anchor.start, max(64, m))]
    seeds += [(hit, 16) for hit in _nearest_hits(folded, pattern, anchor.start)]
    prefix_tail = anchor.prefix.translate(_FOLD)[-20:]
    if len(prefix_tail) >= 8:
        hits = _nearest_hits(folded, prefix_tail, anchor.start - len(prefix_tail))
        seeds += [(hit + len(prefix_tail), 16) for hit in hits]
    suffix_head = anchor.suffix.translate(_FOLD)[:20]
    if len(suffix_head) >= 8:
        seeds += [(hit - m, 16) for hit in _nearest_hits(folded, suffix_head, anchor.end)]
    # Pieces of the quote found verbatim locate a match whose edits fall elsewhere.
    size = max(8, m // (limit + 1))
    offsets = range(0, m - size + 1, size)
    step = max(1, len(offsets) // _MAX_PIECES)
    for offset in list(offsets)[::step][:_MAX_PIECES]:
        piece = pattern[offset : offset + size]
        seeds += [(hit - offset, 16) for hit in _nearest_hits(folded, piece, anchor.start + offset)]
    regions = sorted(
        (max(0, seed - limit - pad), min(len(folded), seed + m + limit + pad))
        for seed, pad in seeds
    )
    merged: list[tuple[int, int]] = []
    for lo, hi in regions:
        if hi <= lo:
            continue
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _nearest_hits(haystack: str, needle: str, near: int) -> list[int]:
    """Return up to _MAX_HITS positions of ``needle`` on each side of ``near``."""
    hits: list[int] = []
    pos = haystack.find(needle, max(0, near))
    while pos >= 0 and len(hits) < _MAX_HITS:
        hits.append(pos)
        pos = haystack.find(needle, pos + 1)
    bound = max(0, near) + len(needle) - 1
    pos = haystack.rfind(needle, 0, bound)
    for _ in range(_MAX_HITS):
        if pos < 0:
            break
        hits.append(pos)
        pos = haystack.rfind(needle, 0, pos + len(needle) - 1)
    return hits


def _best_ends(scores: list[int], limit: int) -> list[int]:
    """Return the positions with the lowest score in each run of scores within ``limit``."""
    ends: list[int] = []
    for within, group in groupby(enumerate(scores), key=lambda item: item[1] <= limit):
        if within:
            run = list(group)
            low = min(score for _, score in run)
            ends += [j for j, score in run if score == low]
    return ends


def _best_start(pattern: str, folded: str, end: int, limit: int) -> int:
    """Return where the best match of ``pattern`` ending at ``end`` starts."""
    lo = max(0, end - len(pattern) - limit)
    scores = _myers(pattern[::-1], folded[lo:end][::-1], anchored=True)
    low = min(scores)
    # Among equally good starts, the one whose length is closest to the quote's.
    length = min(
        (i + 1 for i, score in enumerate(scores) if score == low),
        key=lambda n: abs(n - len(pattern)),
    )
    return end - length


def _myers(pattern: str, text: str, *, anchored: bool) -> list[int]:
    """Return, for each j, the edit distance between ``pattern`` and the best substring of
    ``text`` ending at j + 1 (``anchored``: the substring ``text[: j + 1]``).

    Myers' bit-parallel algorithm (1999, with Hyyrö's anchored variant): one pass over the
    text with Python integers as bit vectors, so long quotes cost no more per character.
    """
    m = len(pattern)
    full, high = (1 << m) - 1, 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, char in enumerate(pattern):
        peq[char] = peq.get(char, 0) | (1 << i)
    pv, mv, score = full, 0, m
    carry = 1 if anchored else 0
    scores: list[int] = []
    for char in text:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | carry) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        scores.append(score)
    return scores
