"""Footnote markers and endnotes in analytical reports.

Reports cite their sources with bracketed markers after a sentence ("...the sanatorium.[26]",
"[26][27]", "[26, 27]", "[26-28]") and list them at the end, one endnote per line ("[26] https://...",
"26. https://... ; https://..."), under a heading such as "Endnotes" or "Sources", or with none.

When is a bracketed number a marker? When it has at most 4 digits and either an endnote with
that number exists, or it is attached to the text before it (no space: "care.[26]", "[26][27]")
and does not look like a year (1800-2100): "the survey [2022]" and "the report[2022]" without an
endnote 2022 are years, not markers. "[sic]", "[a]" and other non-numeric brackets never are.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

_MARKER = re.compile(r"\[\s*(\d{1,4}(?:\s*[,;–—-]\s*\d{1,4})*)\s*\]")
_MARKER_PART = re.compile(r"(\d{1,4})(?:\s*[–—-]\s*(\d{1,4}))?")
_MAX_RANGE = 100  # "[1-2000]" is not a citation range; keep only its two ends
_HEADING = re.compile(
    r"^[ \t#*]*(?:end\s*notes?|foot\s*notes?|notes|sources|references|citations|bibliography)"
    r"[ \t*]*:?[ \t\r]*$",
    re.IGNORECASE | re.MULTILINE,
)
_ENDNOTE = re.compile(r"[ \t]*(?:\[(\d{1,4})\]|(\d{1,4})[.)](?=\s|$))[ \t]*")
_URL = re.compile(r"""https?://[^\s<>"'“”‘’]+""")
_URL_TRAILING = ".,;:!?"
# A sentence ends at . ! ? plus closing quotes or brackets and any footnote markers, when the
# next sentence (capital, digit, opening quote or bracket) or the end of the line follows.
_SENTENCE_END = re.compile(
    r"""[.!?]+["'”’)\]]*(?:\s?\[\s*\d{1,4}(?:\s*[,;–—-]\s*\d{1,4})*\s*\])*["'”’)]*"""
    r"""(?=[ \t\u00a0]+["'“‘(\[]?[A-Z0-9\u0400-\u042f]|[ \t\u00a0\r]*$)""",
    re.MULTILINE,
)
_ABBREVIATION_WORDS = (
    "mr mrs ms dr gen lt col maj capt sgt st no vs approx e.g i.e u.s u.k jan feb mar apr jun "
    "jul aug sep sept oct nov dec art p pp vol fig inc ltd co jr sr gov sen rep prof adm"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_WORD_BEFORE = re.compile(r"([\w.]+)$")


@dataclass(frozen=True, slots=True)
class FootnoteMarker:
    """One cited number; a "[26-28]" marker gives 26, 27 and 28 sharing the bracket's span."""

    number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Endnote:
    """One endnote: ``start``/``end`` span the whole entry, ``text`` is it without the number."""

    number: int
    urls: tuple[str, ...]
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Citations:
    """Markers in the body, endnotes by number, and where the endnotes section starts."""

    markers: tuple[FootnoteMarker, ...]
    endnotes: dict[int, Endnote]
    body_end: int


def parse_citations(text: str) -> Citations:
    """Return the body's footnote markers, the endnotes and the offset where the notes begin.

    ``body_end`` is ``len(text)`` when the text has no endnotes section. A number listed twice
    in the endnotes keeps its first entry.
    """
    body_end, endnotes = _endnotes(text)
    markers: list[FootnoteMarker] = []
    for match in _MARKER.finditer(text, 0, body_end):
        numbers = _numbers(match.group(1))
        if _is_marker(text, match.start(), numbers, endnotes):
            markers += [FootnoteMarker(n, match.start(), match.end()) for n in numbers]
    return Citations(tuple(markers), endnotes, body_end)


def citations_for_span(citations: Citations, text: str, start: int, end: int) -> list[int]:
    """Return the footnote numbers, in order of first appearance, citing the sentence(s) that
    hold ``text[start:end]``: markers inside them or right after their final punctuation."""
    if start >= citations.body_end:
        return []
    first, _ = _sentence_at(text, start)
    _, last = _sentence_at(text, max(start, end - 1))
    numbers: list[int] = []
    markers = citations.markers
    for marker in markers[bisect_left(markers, first, key=lambda m: m.start) :]:
        if marker.start >= last:
            break
        if marker.number not in numbers:
            numbers.append(marker.number)
    return numbers


def is_footnote_marker(text: str, start: int, end: int) -> bool:
    """Return True when ``text[start:end]`` lies within footnote markers ("[26]", "26" inside
    it, "[26][27]") or within the number label of an endnote, and covers nothing else."""
    if not 0 <= start < end <= len(text):
        return False
    citations = _cached_parse(text)
    spans = {(marker.start, marker.end) for marker in citations.markers}
    for note in citations.endnotes.values():
        label = _ENDNOTE.match(text, note.start)
        if label:
            spans.add((label.start(), label.end()))
    # Adjacent markers ("[26][27]") form one run; the span must fit inside a single run.
    run_start, run_end = -1, -1
    for span_start, span_end in sorted(spans):
        if span_start > run_end:
            run_start = span_start
        run_end = max(run_end, span_end)
        if run_start <= start and end <= run_end:
            return True
    return False


@lru_cache(maxsize=4)
def _cached_parse(text: str) -> Citations:
    # The engine asks about many spans of one text; parse it once.
    return parse_citations(text)


def _numbers(group: str) -> list[int]:
    numbers: list[int] = []
    for part in _MARKER_PART.finditer(group):
        low = int(part.group(1))
        high = int(part.group(2)) if part.group(2) else low
        if low <= high <= low + _MAX_RANGE:
            numbers += [n for n in range(low, high + 1) if n not in numbers]
        else:
            numbers += [n for n in (low, high) if n not in numbers]
    return numbers


def _is_marker(text: str, start: int, numbers: list[int], endnotes: dict[int, Endnote]) -> bool:
    if any(n in endnotes for n in numbers):
        return True
    attached = start > 0 and not text[start - 1].isspace()
    return attached and not any(1800 <= n <= 2100 for n in numbers)


def _endnotes(text: str) -> tuple[int, dict[int, Endnote]]:
    """Return where the endnotes section starts and its endnotes (len(text) and {} if none)."""
    # The last heading followed by numbered entries wins: "Sources" may also be a body word.
    for heading in reversed(list(_HEADING.finditer(text))):
        notes = _read_entries(text, heading.end(), continuation=True)
        if notes:
            return heading.start(), notes
    # Without a heading: the trailing run of numbered lines. A "1." line must hold a URL, since
    # numbered lists in the body look the same.
    lines = _lines(text)
    first = len(lines)
    while first > 0:
        line_start, line_end = lines[first - 1]
        line = text[line_start:line_end]
        entry = _ENDNOTE.match(line)
        if line.strip() and not (entry and (entry.group(1) or _URL.search(line))):
            break
        first -= 1
    while first < len(lines) and not text[lines[first][0] : lines[first][1]].strip():
        first += 1
    if first == len(lines):
        return len(text), {}
    body_end = lines[first][0]
    return body_end, _read_entries(text, body_end, continuation=False)


def _lines(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Return (start, end) of each line from ``offset``, line breaks excluded."""
    spans = []
    for line in text[offset:].splitlines(keepends=True):
        spans.append((offset, offset + len(line.rstrip("\r\n"))))
        offset += len(line)
    return spans


def _read_entries(text: str, offset: int, *, continuation: bool) -> dict[int, Endnote]:
    """Return the endnotes listed from ``offset``; with ``continuation``, unnumbered lines
    extend the entry above them (a note wrapped over two lines)."""
    entries: list[list[int]] = []  # [number, start, end, content_start]
    for line_start, line_end in _lines(text, offset):
        line = text[line_start:line_end]
        entry = _ENDNOTE.match(line)
        if entry:
            number = int(entry.group(1) or entry.group(2))
            entries.append([number, line_start, line_end, line_start + entry.end()])
        elif line.strip() and continuation and entries:
            entries[-1][2] = line_end
    notes: dict[int, Endnote] = {}
    for number, start, end, content_start in entries:
        while end > start and text[end - 1].isspace():
            end -= 1
        content = text[content_start:end].strip()
        if number not in notes:
            notes[number] = Endnote(number, _urls(content), start, end, content)
    return notes


def _urls(content: str) -> tuple[str, ...]:
    urls: list[str] = []
    for match in _URL.finditer(content):
        url = _strip_url(match.group())
        if url not in urls:
            urls.append(url)
    return tuple(urls)


def _strip_url(url: str) -> str:
    """Return the URL without the punctuation of the sentence around it."""
    while url:
        last = url[-1]
        # A closing bracket belongs to the URL only when it closes one opened inside it
        # ("https://en.wikipedia.org/wiki/Kreminna_(city)").
        unbalanced = (last == ")" and url.count("(") < url.count(")")) or (
            last == "]" and url.count("[") < url.count("]")
        )
        if last not in _URL_TRAILING and not unbalanced:
            break
        url = url[:-1]
    return url


def _sentence_at(text: str, pos: int) -> tuple[int, int]:
    """Return the start and end (its trailing markers included) of the sentence at ``pos``.

    Sentences never cross a line break: headings and list items stand on their own lines.
    """
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    if line_end < 0:
        line_end = len(text)
    start = line_start
    for match in _SENTENCE_END.finditer(text, line_start, line_end):
        if text[match.start()] == "." and _is_abbreviation(text, match.start()):
            continue
        if match.end() > pos:
            return start, match.end()
        start = match.end()
    return start, line_end


def _is_abbreviation(text: str, dot: int) -> bool:
    match = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    # Single letters are initials ("V. Putin"), not sentence ends.
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())
