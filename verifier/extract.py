"""Claim extraction: sentences in, ``ExtractedClaim`` values out."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TextIO

from . import money
from .attribution import Sources, hedges
from .context import SentenceRead, with_context
from .entities import entities
from .model import ExtractedClaim, VerifierError
from .nonclaims import Masker
from .normalise import SPAN_KEYS, restore, strip_hidden
from .numerals import lower_words
from .quantities import scan
from .sentences import is_hard_break, join_wrapped, split_line, split_sentences
from .statements import statement_kind
from .tables import with_column_labels
from .time import TimeIndex, find_times
from .unitlexicon import unit_name
from .units import TIME_UNITS

_NOT_COUNTED = frozenset((*money.NAMES.values(), "percent"))

# Large inputs are read in blocks of this many characters and cut at a line break, so memory
# stays flat however big the input is.
BLOCK = 1 << 16
MAX_LINE = 1 << 20


def _sentence_claims(
    text: str,
    start: int,
    end: int,
    published: dt.date | None,
    read: dict[tuple[int, int], SentenceRead],
) -> list[ExtractedClaim]:
    """The claims of ``text[start:end]``; what is read of the sentence (times, places and
    actors) goes into ``read`` by span, for document context to use rather than read again."""
    sentence = text[start:end]
    lowered = lower_words(sentence)  # one set of words, shared by the rules below
    quantities = scan(sentence, Masker(sentence, lowered=lowered), lowered)
    times = find_times(sentence, published, lowered=lowered) if quantities else []
    framing = [(t.start, t.end) for t in times if any(ch.isdigit() for ch in t.text) or t.numeric]
    if framing and _overlap(framing, [(q.start, q.end) for q in quantities]):
        # "in the last 24 hours" frames the claim; its number is not a claim of its own.
        quantities = scan(sentence, Masker(sentence, framing, lowered), lowered)
    if quantities:
        kind = "quantitative"
    else:
        kind = statement_kind(sentence, lowered)
        if kind is None:
            return []
    places, actors = entities(sentence)
    if quantities:
        read[(start, end)] = SentenceRead(times, places, actors)
    sentence_hedges = hedges(sentence, lowered)
    sources = Sources(sentence, lowered)
    common = {
        "sentence_start": start, "sentence_end": end, "hedges": sentence_hedges,
        "places": places, "actors": actors,
    }  # fmt: skip
    if not quantities:
        return [
            ExtractedClaim(
                kind=kind, start=start, end=end, text=sentence,
                attributed_to=sources.for_claim(len(sentence)), **common,
            )
        ]  # fmt: skip
    claims = []
    index = TimeIndex(times, sentence)
    for q in quantities:
        when = None if q.measure in ("distance", "age") else index.governing(q.start, q.end)
        # "More than 70,000 families have now received payments, the ministry said on
        # Tuesday": a total so far, as of the day it was said, not an event of that day.
        so_far = (
            when is not None and when.statement and when.time_start == when.time_end
            and _PERFECT.match(sentence, q.end)
        )  # fmt: skip
        claims.append(
            ExtractedClaim(
                kind="quantitative", start=start + q.start, end=start + q.end,
                text=sentence[q.start : q.end], value=q.value, lower=q.lower, upper=q.upper,
                qualifier=q.qualifier, unit=q.unit, subject=q.subject,
                time_text=when.text if when else None,
                time_start=when.time_start if when and not so_far else None,
                time_end=when.time_end if when else None,
                attributed_to=sources.for_claim(q.start), **common,
            )
        )  # fmt: skip
    return claims


_PERFECT = re.compile(
    r"[^.;:]{0,40}?\b(?:have|has)\s+(?:now\s+|so\s+far\s+|already\s+)?(?:been\s+)?[a-z]+(?:ed|en)\b"
)
# "Another 40 were injured.", "3.72 million have fled.": a figure that opens its sentence and
# is followed by its verb counts what the sentence before counted.
_OPENING = re.compile(
    r"[\s\"“‘(]*(?:(?:another|some|and|but|an\s+estimated|of\s+these,?|of\s+those,?)\s+)*$",
    re.I,
)
_SUBJECT_VERB = re.compile(
    r"\s+(?:more\s+|others?\s+)?(?:were|was|are|is|have|has|had|remain|remained|died|fled|"
    r"returned|left|arrived|live|lived|received|need|needed|require)\b",
    re.I,
)


def _elided_across_sentences(text: str, claims: list[ExtractedClaim]) -> list[ExtractedClaim]:
    """Give a figure with no noun of its own, opening its sentence, the counted noun of the
    sentence before it in the same paragraph: "Russian strikes killed 12 civilians. Another
    40 were injured." counts civilians twice."""
    out: list[ExtractedClaim] = []
    last: ExtractedClaim | None = None  # the last claim with a counted noun
    previous_sentence = -1
    for claim in claims:
        if claim.kind != "quantitative":
            out.append(claim)
            continue
        if last is not None and "\n" in text[last.sentence_end : claim.sentence_start]:
            last = None  # a new paragraph
        if (
            # no noun, or only the "person" a casualty verb gives ("were injured")
            (claim.unit is None or (claim.unit == "person" and claim.subject is None))
            and claim.value is not None
            and last is not None
            and last.sentence_start == previous_sentence
            and last.sentence_start != claim.sentence_start
            and _OPENING.fullmatch(text, claim.sentence_start, claim.start)
            and _SUBJECT_VERB.match(text, claim.end)
        ):
            claim = replace(claim, unit=last.unit, subject=last.subject)
        if claim.unit is not None and _counted(claim.unit):
            last = claim
        if claim.sentence_start != previous_sentence:
            previous_sentence = claim.sentence_start
        out.append(claim)
    return out


def _counted(unit: str) -> bool:
    """Whether ``unit`` is a counted noun (not money, a share, a period or a measure)."""
    return (
        unit not in _NOT_COUNTED
        and " per " not in unit
        and unit not in TIME_UNITS
        and unit_name(unit) is None
    )


def _overlap(first: list[tuple[int, int]], second: list[tuple[int, int]]) -> bool:
    """Whether any span of ``first`` overlaps any of ``second``; both sorted, neither
    overlapping itself: one merge pass."""
    i = j = 0
    while i < len(first) and j < len(second):
        (s1, e1), (s2, e2) = first[i], second[j]
        if s1 < e2 and s2 < e1:
            return True
        if e1 <= e2:
            i += 1
        else:
            j += 1
    return False


def extract_claims(text: str, *, published: dt.date | None = None) -> list[ExtractedClaim]:
    """Return the claims in ``text`` in order of appearance.

    Raises VerifierError when ``text`` is not a str or ``published`` is not a date.
    """
    if not isinstance(text, str):
        raise VerifierError(f"text must be str, not {type(text).__name__}")
    if published is not None and not isinstance(published, dt.date):
        raise VerifierError("published must be a datetime.date")
    hidden = strip_hidden(text)
    if hidden.changed:  # read without format characters; offsets still point into `text`
        found = extract_claims(hidden.text, published=published)
        return [restore(claim, hidden, text, 0) for claim in found]
    # Hard-wrapped lines read as the sentences they are; offsets are unchanged.
    joined = join_wrapped(text)
    claims: list[ExtractedClaim] = []
    sentences = list(split_sentences(joined))
    read: dict[tuple[int, int], SentenceRead] = {}
    for start, end in sentences:
        claims.extend(_sentence_claims(joined, start, end, published, read))
    claims = _elided_across_sentences(joined, claims)
    # Role, phase and what each claim takes from its document (dateline, headline, paragraph).
    found = with_context(joined, claims, published=published, sentences=sentences, read=read)
    return _as_written(with_column_labels(joined, found), joined, text)


def _as_written(claims: list[ExtractedClaim], joined: str, text: str) -> list[ExtractedClaim]:
    """Each claim's text as the input has it (a wrapped figure keeps its line break)."""
    if joined is text:
        return claims
    return [
        claim
        if "\n" not in (written := text[claim.start : claim.end]) and "\r" not in written
        else replace(claim, text=written)
        for claim in claims
    ]


def _blocks(stream: TextIO) -> Iterator[str]:
    """Yield pieces of ``stream`` that end at a line break (or are MAX_LINE long)."""
    pending = ""
    block = stream.read(BLOCK)
    while block:
        pending += block
        block = stream.read(BLOCK)
        if not block:
            break  # the end: what is left is one piece, as a whole-text run would read it
        cut = _last_hard_break(pending)
        if cut == -1 and len(pending) < MAX_LINE:
            continue
        if cut == -1:
            # One enormous line: cut after the last sentence end we can see.
            cut = max(pending.rfind(". "), len(pending) - 1)
        if cut == len(pending) - 1 and pending.endswith("\r"):
            cut -= 1  # keep "\r\n" together
            if cut < 0:
                continue
        yield pending[: cut + 1]
        pending = pending[cut + 1 :]
    if pending:
        yield pending


def _last_hard_break(text: str) -> int:
    """The offset of the last line break no sentence crosses (see join_wrapped), or -1: a
    stream is cut only there, so a wrapped sentence is never read in two pieces."""
    at = max(text.rfind("\n"), text.rfind("\r"))
    while at >= 0 and not is_hard_break(text, at):
        at = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at))
    return at


def iter_claims(
    stream: TextIO | Iterable[str], *, published: dt.date | None = None
) -> Iterator[ExtractedClaim]:
    """Yield the claims of a text stream block by block, with offsets into the whole stream.

    Memory stays bounded by the longest line (capped at MAX_LINE characters), not by the
    size of the input.
    """
    pieces = _blocks(stream) if hasattr(stream, "read") else iter(stream)
    offset = 0
    for original in pieces:
        hidden = strip_hidden(original)  # as in extract_claims, piece by piece
        piece = join_wrapped(hidden.text)
        sentences = [s for line_start, line in _lines(piece) for s in split_line(line, line_start)]
        read: dict[tuple[int, int], SentenceRead] = {}
        found = _elided_across_sentences(
            piece,
            [
                c
                for start, end in sentences
                for c in _sentence_claims(piece, start, end, published, read)
            ],
        )
        # Context is read per piece: a piece ends at a line break, so paragraphs stay whole.
        contextual = with_context(piece, found, published=published, sentences=sentences, read=read)
        # A table's header lends to rows of the same piece (a header 64 KB up is not seen).
        labelled = with_column_labels(piece, contextual)
        for claim in _as_written(labelled, piece, hidden.text):
            if hidden.changed:
                claim = restore(claim, hidden, original, 0)
            yield _shift(claim, offset)
        offset += len(original)


def _lines(piece: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in piece.splitlines(keepends=True):
        yield pos, line
        pos += len(line)


def _shift(claim: ExtractedClaim, offset: int) -> ExtractedClaim:
    if not offset:
        return claim
    from dataclasses import replace

    inherited = dict(claim.inherited)
    for key in SPAN_KEYS:
        if key in inherited:
            inherited[key] = [inherited[key][0] + offset, inherited[key][1] + offset]
    return replace(
        claim, start=claim.start + offset, end=claim.end + offset,
        sentence_start=claim.sentence_start + offset, sentence_end=claim.sentence_end + offset,
        inherited=inherited,
    )  # fmt: skip
