"""Hidden characters: found, removed for reading, and named for showing.

Format characters (Unicode category Cf) take no space on the page but change what it
shows or how it is read: a right-to-left override makes "93" display as "39"; a zero-width
space inside "1,200" splits one number in two. The engine reads text without them; every
offset it returns still points into the text as given, so what a reviewer sees highlighted
is exactly what was stored. `reveal` spells them out for people.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import ExtractedClaim

# Short names for the ones reports actually carry; any other format character is named by
# its code point.
NAMES = {
    "\u200b": "ZWSP",
    "\u200c": "ZWNJ",
    "\u200d": "ZWJ",
    "\u200e": "LRM",
    "\u200f": "RLM",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2060": "WJ",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
    "\u061c": "ALM",
    "\u00ad": "SHY",
    "\ufeff": "BOM",
}


def is_hidden(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf"


@functools.cache
def _hidden() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Character classes of every format character (Unicode category Cf), built from
    unicodedata on first use: (those of the Basic Multilingual Plane, the others). A regex
    search runs in C, where a test per character ran every character of a megabyte through
    Python (a quarter of the engine's time before); classes of ranges rather than of single
    characters, and the rare astral ones apart, keep it at a few milliseconds a megabyte."""
    ranges: list[list[int]] = []
    for code in range(sys.maxunicode + 1):
        if is_hidden(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])

    def klass(spans: list[list[int]]) -> re.Pattern[str]:
        body = "".join(
            re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in spans
        )
        return re.compile(f"[{body}]" if body else "(?!)")

    return (
        klass([r for r in ranges if r[0] < 0x10000]),
        klass([r for r in ranges if r[0] >= 0x10000]),
    )


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _has_hidden(text: str) -> bool:
    basic, astral = _hidden()
    if basic.search(text) is not None:
        return True
    return _ASTRAL.search(text) is not None and astral.search(text) is not None


def label(ch: str) -> str:
    """How a hidden character is spelled out for a reader: "RLO", or "U+E0041"."""
    return NAMES.get(ch) or f"U+{ord(ch):04X}"


def description(ch: str) -> str:
    """Its code point and Unicode name: "U+202E RIGHT-TO-LEFT OVERRIDE"."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'FORMAT CHARACTER')}"


# Keys of ExtractedClaim.inherited holding a [start, end) span of the text (verifier.context).
SPAN_KEYS = ("part_of", "refers_to")


@dataclass(frozen=True)
class Stripped:
    """`text` without hidden characters, and where each of its characters came from."""

    text: str
    original: str
    positions: tuple[int, ...]  # original index of text[i]; empty when nothing was removed

    @property
    def changed(self) -> bool:
        return bool(self.positions) or (not self.text and bool(self.original))

    def start(self, i: int) -> int:
        """The original offset of a span starting at clean offset `i`."""
        if not self.changed:
            return i
        return self.positions[i] if i < len(self.positions) else len(self.original)

    def end(self, i: int) -> int:
        """The original offset of a span ending (exclusive) at clean offset `i`."""
        if not self.changed:
            return i
        return self.positions[i - 1] + 1 if i > 0 else 0


def strip_hidden(text: str) -> Stripped:
    """`text` without its format characters. Offsets map back through Stripped.start/end."""
    if not _has_hidden(text):
        return Stripped(text=text, original=text, positions=())
    kept = [(i, ch) for i, ch in enumerate(text) if not is_hidden(ch)]
    return Stripped(
        text="".join(ch for _, ch in kept),
        original=text,
        positions=tuple(i for i, _ in kept),
    )


def restore(claim: ExtractedClaim, stripped: Stripped, text: str, offset: int) -> ExtractedClaim:
    """`claim`, found in stripped.text, with offsets into `text` (where stripped.original
    starts at `offset`) and its `text` taken from there, hidden characters included."""
    start = offset + stripped.start(claim.start)
    end = offset + stripped.end(claim.end)
    inherited = claim.inherited
    # The figures an "of them" or "the 12 claimed by Moscow" points back to are spans too:
    # they must name the other claim's offsets in the same text as its own.
    spans = [key for key in SPAN_KEYS if key in inherited]
    if spans:
        inherited = dict(inherited)
        for key in spans:
            low, high = inherited[key]
            inherited[key] = [offset + stripped.start(low), offset + stripped.end(high)]
    return replace(
        claim,
        start=start,
        end=end,
        text=text[start:end],
        sentence_start=offset + stripped.start(claim.sentence_start),
        sentence_end=offset + stripped.end(claim.sentence_end),
        inherited=inherited,
    )


def reveal(text: str) -> str:
    """`text` with every hidden character spelled out as ⟨NAME⟩, for plain-text output."""
    if not _has_hidden(text):
        return text
    return "".join(f"⟨{label(ch)}⟩" if is_hidden(ch) else ch for ch in text)
