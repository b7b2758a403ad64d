"""Sentences without numbers: checkable facts and analytical assessments."""

from __future__ import annotations

import re

from .lexicon import words

_ASSESSMENT_WORDS = words(
    "assess assesses assessed assessment assessments likely unlikely probably possibly suggest "
    "suggests suggested suggesting may might reflects reflect demonstrates demonstrating "
    "highlights highlight underscores underscore intends intended aims aimed "
)
# Case-sensitive alternatives keep the scan fast (the engine can skip on the first letter).
_ASSESSMENT = re.compile(
    r"\b(?:"
    + "|".join(f"{w}|{w.capitalize()}" for w in sorted(_ASSESSMENT_WORDS, key=len, reverse=True))
    + r"|almost\s+certainly|appears?\s+to|seems?\s+to|in\s+an\s+(?:apparent\s+)?effort\s+to"
    r"|(?:is|are)\s+attempting\s+to)\b"
)
_WORD = re.compile(r"[^\W\d_][\w’'ʼ-]*")
# A finite verb or copula: a sentence needs one to assert anything.
_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|runs?|holds?|controls?|operates?|owns?|leads?"
    r"|heads?|[a-z]{3,}(?:ed|es))\b"
)


# Every assessment cue holds one of these words: a sentence without them skips the search.
_ASSESSMENT_SET = frozenset(
    (*_ASSESSMENT_WORDS, "almost", "appear", "appears", "seem", "seems", "effort", "attempting")
)


def statement_kind(sentence: str, lowered: set[str] | None = None) -> str | None:
    """Return "assessment", "factual" or None for a sentence that carries no number claim.

    ``lowered``, the sentence's set of lower-case words, lets most sentences skip a search.
    """
    stripped = sentence.strip()
    if stripped.endswith((":", "?")) or len(_WORD.findall(stripped)) < 5:
        return None
    if not stripped[:1].isupper() and stripped[:1] not in "“\"‘'(":
        return None
    if (lowered is None or not _ASSESSMENT_SET.isdisjoint(lowered)) and _ASSESSMENT.search(
        stripped
    ):
        return "assessment"
    if not _VERB.search(stripped):
        return None
    return "factual"
