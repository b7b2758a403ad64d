"""Qualifier words written before or after a number, and how they bound its value."""

from __future__ import annotations

import re

from .model import Number

BEFORE = {
    "more than": "more_than", "over": "more_than", "upwards of": "more_than",
    "upward of": "more_than", "in excess of": "more_than", "greater than": "more_than",
    "well over": "more_than", "just over": "more_than", "slightly more than": "more_than",
    "far more than": "more_than", "much more than": "more_than", "above": "more_than",
    "well above": "more_than", "just above": "more_than", "exceeding": "more_than",
    "at least": "at_least", "no fewer than": "at_least", "no less than": "at_least",
    "not less than": "at_least", "not fewer than": "at_least", "a minimum of": "at_least",
    "as young as": "at_least", "as little as": "at_least", "as few as": "at_least",
    "up to": "at_most", "no more than": "at_most", "not more than": "at_most",
    "at most": "at_most", "a maximum of": "at_most", "within": "at_most",
    "as many as": "at_most", "as much as": "at_most", "as high as": "at_most",
    "as far as": "at_most", "no greater than": "at_most",
    "fewer than": "less_than", "less than": "less_than", "under": "less_than",
    "below": "less_than", "just under": "less_than", "just below": "less_than",
    "slightly less than": "less_than", "lower than": "less_than",
    "about": "approximate", "approximately": "approximate", "approx.": "approximate",
    "around": "approximate", "roughly": "approximate", "nearly": "approximate",
    "almost": "approximate", "close to": "approximate", "closer to": "approximate",
    "an estimated": "approximate", "estimated": "approximate", "some": "approximate",
    "circa": "approximate", "ca.": "approximate", "~": "approximate", "≈": "approximate",
    "just about": "approximate", "an approximate": "approximate", "on the order of": "approximate",
    "in the region of": "approximate", "at around": "approximate", "at about": "approximate",
    "less than or equal to": "at_most", "equal to or less than": "at_most",
    "greater than or equal to": "at_least", "more than or equal to": "at_least",
    "equal to or greater than": "at_least", "equal to or more than": "at_least",
    "surpassing": "more_than", "topping": "more_than", "smaller than": "less_than",
    "not exceeding": "at_most", "no higher than": "at_most", "at or above": "at_least",
    "at or below": "at_most",
    # a verb that puts the figure above a threshold: "the toll has surpassed 10,200"
    "exceeded": "more_than", "exceeds": "more_than", "surpassed": "more_than",
    "surpasses": "more_than", "topped": "more_than", "tops": "more_than",
    "did not exceed": "at_most", "does not exceed": "at_most", "do not exceed": "at_most",
    "<": "less_than", ">": "more_than", "≤": "at_most", "<=": "at_most", "=<": "at_most",
    "≥": "at_least", ">=": "at_least", "=>": "at_least", "≲": "at_most", "≳": "at_least",
    "exactly": "exact", "precisely": "exact", "just": "exact",
    "between": "range", "from": "from",
}  # fmt: skip
_PHRASES = sorted(BEFORE, key=len, reverse=True)
_ALTERNATION = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in _PHRASES)
# Anchored at the end of the text that precedes a number.
BEFORE_RE = re.compile(rf"(?:^|(?<=[\s(“\"'‘—–]))({_ALTERNATION})\s*$", re.I)
AFTER_RE = re.compile(
    r"\s*(?:,\s*)?(or\s+(?:more|fewer|less|greater|above|over|so)|and\s+(?:more|above|over)"
    r"|or\s+so|plus)\b"
    # "39 children and over 1,200 adults": a bound on the next number, not on this one
    r"(?!\s*(?:than\b|[$€£\d]|(?:an?|one|two|three|four|five|six|seven|eight|nine|ten)\b))",
    re.I,
)
AFTER = {
    "more": "at_least", "greater": "at_least", "above": "at_least", "over": "at_least",
    "fewer": "at_most", "less": "at_most", "so": "approximate", "plus": "at_least",
}  # fmt: skip
WINDOW = 40
# The last word of every phrase in BEFORE, lower case: a quick test before the regex.
_LAST_WORDS = frozenset(phrase.split()[-1] for phrase in BEFORE)
# "handed over 15 civilians", "turned over 40 documents": "over" belongs to the verb.
_PHRASAL_OVER = re.compile(
    r"\b(?:hand(?:ed|s|ing)?|turn(?:ed|s|ing)?|pass(?:ed|es|ing)?|took|tak(?:e|en|es|ing)"
    r"|sign(?:ed|s|ing)?|carr(?:y|ied|ies|ying))\s+$",
    re.I,
)


def _last_token(before: str) -> str:
    """The window's last word: what follows the last blank (str.split and the regex's \\s are
    the same whitespace), then the last dash ("sharply—approximately 40": a dash glued to the
    qualifier separates words like a space)."""
    token = before.rsplit(None, 1)[-1]
    return token[max(token.rfind("—"), token.rfind("–")) + 1 :]


def qualifier_before(text: str, start: int) -> tuple[str | None, int]:
    """Return (qualifier, where its phrase starts) for the words right before ``start``."""
    window_start = max(0, start - WINDOW)
    before = text[window_start:start].rstrip()
    if not before or (
        before[-1] not in "~≈" and _last_token(before).lstrip("(“\"'‘").lower() not in _LAST_WORDS
    ):
        return None, start  # cheap test first: most numbers have no qualifier
    match = BEFORE_RE.search(text, window_start, start)
    if not match:
        return None, start
    phrase = " ".join(match.group(1).lower().split())
    if phrase == "over" and _PHRASAL_OVER.search(text, window_start, match.start(1)):
        return None, start
    return BEFORE[phrase], match.start(1)


def qualifier_after(text: str, pos: int) -> tuple[str | None, int]:
    """Return (qualifier, end) for "or more", "or fewer", "or so" right after ``pos``."""
    ahead = text[pos : pos + 8].lower()
    if "or" not in ahead and "and" not in ahead and "plus" not in ahead:
        return None, pos  # cheap test first: most figures have no qualifier after them
    match = AFTER_RE.match(text, pos)
    if not match:
        return None, pos
    last = match.group(1).lower().split()[-1]
    return AFTER[last], match.end()


def bounds(
    qualifier: str, value: Number | None, low: Number | None = None, high: Number | None = None
) -> tuple[Number | None, Number | None, Number | None]:
    """Return (value, lower, upper) as the annotation conventions define them."""
    if qualifier == "range":
        return None, low, high
    if qualifier == "exact":
        return value, value, value
    if qualifier in ("more_than", "at_least"):
        return value, value, None
    if qualifier in ("less_than", "at_most"):
        return value, None, value
    return value, None, None
