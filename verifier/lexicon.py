"""A tiny helper for the word lists that the rule modules keep."""

from __future__ import annotations

import re

# The head of a wire dateline, "NIKOPOL - " or "KYIV, Ukraine, March 3 (Wire) - ", as it opens a
# sentence: what follows is the sentence's first word, and no part of its speaker.
DATELINE_HEAD = re.compile(
    r"\s*[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+)*(?:,[^-–—]{1,60})?\s*[-–—]{1,2}\s*"
)


def words(text: str) -> tuple[str, ...]:
    """Return the whitespace-separated words of ``text``: long lists stay readable as prose."""
    return tuple(text.split())


def first_words(pattern: str) -> frozenset[str] | None:
    """The words, lower case, that a match of ``pattern`` (case-insensitive) can begin with:
    the letters from its start up to its first non-letter. None when the pattern is beyond
    this reading (a repeat of more than one, a class of ranges, ...).

    A pattern that can only begin with these words cannot match a text none of whose words is
    one of them: testing that from the text's set of words is much cheaper than a search with
    an alternation of many words.
    """
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    class _Beyond(Exception):
        pass

    def sequence(items: list, prefix: str) -> list[tuple[str, bool]]:
        states = [(prefix, False)]
        for op, av in items:
            states = [s for p, done in states for s in ([(p, done)] if done else one(op, av, p))]
            if len(states) > 256:
                raise _Beyond
        return states

    def one(op: object, av: object, prefix: str) -> list[tuple[str, bool]]:
        if op is sre.LITERAL:
            ch = chr(av)  # type: ignore[arg-type]
            return [(prefix + ch.lower(), False)] if ch.isalpha() else [(prefix, True)]
        if op is sre.IN:
            out = []
            for kind, code in av:  # type: ignore[attr-defined]
                if kind is not sre.LITERAL:
                    raise _Beyond
                ch = chr(code)
                out.append((prefix + ch.lower(), False) if ch.isalpha() else (prefix, True))
            return out
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, sub = av  # type: ignore[misc]
            if high > 1:
                raise _Beyond
            return ([(prefix, False)] if low == 0 else []) + sequence(list(sub), prefix)
        if op is sre.SUBPATTERN:
            return sequence(list(av[-1]), prefix)  # type: ignore[index]
        if op is sre.BRANCH:
            return [s for alt in av[1] for s in sequence(list(alt), prefix)]  # type: ignore[index]
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            return [(prefix, False)]  # a boundary or a lookaround consumes nothing
        raise _Beyond

    try:
        found = {p for p, _ in sequence(list(_parser.parse(pattern)), "")}
    except (_Beyond, ValueError, TypeError):
        return None
    if not found or not all(word.isascii() and word.isalpha() for word in found):
        return None  # the caller's word sets hold runs of ASCII letters only
    return frozenset(found)
