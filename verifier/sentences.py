"""Splitting text into sentences, with offsets.

Sentences never cross a line break: reports put headings, list items and paragraphs on their
own lines, and keeping every sentence inside one line lets large inputs be streamed line by
line with exactly the same result as a whole-text run. The one exception is a hard wrap (text
from PDFs and e-mail breaks lines inside sentences): ``join_wrapped`` turns such a break into
a space first, character for character, so offsets stay those of the text as given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .lexicon import words

# A sentence ends at . ! ? … plus any closing quotes, brackets and footnote markers ("care.[36]"),
# when what follows looks like the start of a new sentence or a list item.
_END = re.compile(
    r"""[.!?…]+["'”’)\]]*(?:\[\d+(?:\s*[,–-]\s*\d+)*\])*["'”’)]*"""
    r"""(?=\s+(?:[-•*–—]\s+)?["'“‘(\[]?[A-Z0-9\u0400-\u042f])"""
    r"""|:(?=\s+[-•*–—]\s)"""
)
_ABBREVIATIONS = frozenset(
    words(
        "mr mrs ms dr gen lt col maj capt sgt st no nos vs approx e.g i.e u.s u.k jan feb mar apr "
        "jun jul aug sep sept oct nov dec art p pp vol fig inc ltd co jr sr gov sen rep prof adm "
        "brig cmdr cpt pres min dept est ca cf al "
        # statutes and bills: "22 U.S.C. 2763", "P.L. 117-128", "H.R. 815", "H.Res. 956"
        "u.s.c p.l pub h.r h.res s.res h.j.res s.j.res h.con.res s.con.res res "
    )
)
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_BULLET = re.compile(r"[-•*–—]\s+")
_TRAILING_SPACE = re.compile(r"\s+$")


def _is_abbreviation(line: str, dot: int) -> bool:
    match = _WORD_BEFORE.search(line, max(0, dot - 12), dot)
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    # Single capital letters are initials ("V. Putin"), not sentence ends.
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _trim(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start].isspace():
        start += 1
    bullet = _BULLET.match(line, start, end)
    if bullet:
        start = bullet.end()
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end


# A line break inside a sentence: the line before does not end one (no closing punctuation)
# and the next goes on in lower case ("1,200 people were\nevacuated", "and 300\nhomes").
# A heading, a list item, a table row or a new paragraph starts with a capital, a digit, a
# bullet or a bracket, and stays on its own line.
_WRAP = re.compile(r"(?<=[^\s.!?:;\]\)\"”’])[ \t]*(\r\n|\n|\r)(?=[ \t]*([^\W\d_]))")


def join_wrapped(text: str) -> str:
    """``text`` with every hard-wrap line break made a space (as many characters as the break),
    so a sentence broken across lines reads whole; other line breaks are kept."""
    if "\n" not in text and "\r" not in text:
        return text
    # _WRAP tried only where a match can start, the blanks before each line break: searched
    # over the whole text, its lookbehind was tried at every character (a twentieth of the
    # engine's time on the seed report).
    pieces: list[str] = []
    done = 0  # the end of the last match
    for at in _breaks(text):
        start = at
        while start and text[start - 1] in " \t":
            start -= 1
        if start < done:
            continue  # the "\n" of a "\r\n" the last match took
        match = _WRAP.match(text, start)
        if match is None:
            continue
        pieces.append(text[done:start])
        pieces.append(_space_if_lower(match))
        done = match.end()
    if not pieces:
        return text  # as _WRAP.sub gives it back: the same string
    pieces.append(text[done:])
    return "".join(pieces)


def _breaks(text: str) -> Iterator[int]:
    """The offsets of the line break characters of ``text``, in order."""
    if "\r" in text:
        yield from (m.start() for m in _BREAK.finditer(text))
        return
    at = text.find("\n")
    while at != -1:
        yield at
        at = text.find("\n", at + 1)


_BREAK = re.compile(r"[\r\n]")


def _space_if_lower(match: re.Match[str]) -> str:
    # The letter the next line starts with, captured by the lookahead: no slice of the rest
    # of the text (a slice per break made a hard-wrapped megabyte quadratic).
    if not match.group(2).islower():
        return match.group(0)
    return match.group(0).replace(match.group(1), " " * len(match.group(1)))


def is_hard_break(text: str, at: int) -> bool:
    """Whether the line break at ``at`` is one that ``join_wrapped`` keeps (a stream may be
    cut there and read piece by piece with the same result). A break with nothing but blanks
    after it in ``text`` is undecided (the next line is not read yet): False."""
    after = at + 1
    while after < len(text) and text[after] in " \t\r\n":
        after += 1
    if after >= len(text):
        return False
    base = max(0, at - 200)
    return join_wrapped(text[base : after + 1])[at - base] in "\r\n"


def split_line(line: str, offset: int = 0) -> Iterator[tuple[int, int]]:
    """Yield (start, end) offsets, shifted by ``offset``, of the sentences in one line."""
    start = 0
    for match in _END.finditer(line):
        if line[match.start()] == "." and _is_abbreviation(line, match.start()):
            continue
        s, e = _trim(line, start, match.end())
        if e > s:
            yield s + offset, e + offset
        start = match.end()
    s, e = _trim(line, start, len(line))
    if e > s:
        yield s + offset, e + offset


def split_sentences(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) offsets of every sentence in ``text``, in order."""
    pos = 0
    for line in text.splitlines(keepends=True):
        yield from split_line(line, pos)
        pos += len(line)
