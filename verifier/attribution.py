"""Who a sentence says made a claim, and the hedges that soften it."""

from __future__ import annotations

import re

from .lexicon import DATELINE_HEAD, words

_REPORTING = (
    r"reported|reports|stated|states|claimed|claims|said|says|announced|announces|noted|notes"
    r"|added|adds|wrote|writes|alleged|alleges|asserted|told|posted|indicated|indicates"
    r"|assessed|assesses|estimated|estimates|warned|confirmed|acknowledged|declared|argued"
    r"|observed|documented|recorded|revealed|specified|explained|emphasized|stressed|insisted"
    r"|admitted|accused|denied|suggested|published|showed|shows|found|concluded|amplified"
)
_REPORTING_WORDS = frozenset(_REPORTING.split("|"))
REPORTING_WORDS = _REPORTING_WORDS  # a match of REPORTING_VERB holds one of these words
# The reporting verb of the sentence's main clause, possibly after an adverb or auxiliary.
REPORTING_VERB = re.compile(
    rf"\s(?:(?:also|previously|reportedly|later|then|recently|similarly|further|separately"
    rf"|additionally|again|notably|explicitly|publicly|officially|has|have|had|was|were)\s+)*"
    rf"({_REPORTING})\b"
)
_ACCORDING = re.compile(
    r"\b[Aa]ccording\s+to\s+([^,.;:()\[\]]+?)(?=\s*[,.;:()\[\]]|\s+(?:that|on|in)\b|$)"
)
# ", Ukrainian officials said." ends the sentence, or goes on with what the source added:
# ", UNICEF said, adding that ...", ", the operator said on Tuesday, noting ...".
_TRAILING = re.compile(
    rf",\s+([^,]{{2,80}}?)\s+(?:{_REPORTING})(?:\s+on\s+[^.,]+)?"
    r"(?:,\s+(?:adding|noting|saying|stressing|warning|while|whereas|as|but)\b[^.;]*)?"
    r"\s*[.”\"’]*(?:\[\d+\])*\s*$"
)
# "The channel “Rybar,” which is affiliated with the MoD, reported": drop the aside.
_RELATIVE_CLAUSE = re.compile(r",?\s*(?:which|who|whose)\b[^,]*,")
_INTRO = re.compile(r"^(?:[^,]{0,40},\s+)")
# Inside a subject noun phrase: words that show the phrase has already ended.
_NOT_SUBJECT = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|can|could|that|which|who|if|when|while)\b"
)
_FINITE_VERB = re.compile(r"(?<![\w-])([a-z]+ed)\b")
_HEDGE_WORDS = words(
    "reportedly allegedly purportedly supposedly apparently seemingly claimed claims claim "
    "alleged unconfirmed unverified rumored rumoured likely unlikely possibly probably may "
    "might could suggests suggested suggesting suggest reported "
)
# Case-sensitive alternatives (lower case and Capitalised) keep this scan fast; see quantities.
# Capitalised "May" is the month ("on May 3"), not the modal, so it has no capitalised form.
HEDGES = re.compile(
    r"\b(?:"
    + "|".join(
        w if w == "may" else f"{w}|{w.capitalize()}"
        for w in sorted(_HEDGE_WORDS, key=len, reverse=True)
    )
    + r"|appears?\s+to|seems?\s+to)\b"
)


_HEDGE_SET = frozenset((*_HEDGE_WORDS, "appear", "appears", "seem", "seems"))


def _subject(sentence: str, verb_start: int) -> str | None:
    head = _RELATIVE_CLAUSE.sub("", sentence[:verb_start])
    dateline = DATELINE_HEAD.match(head)  # "TOKMAK - Russia's Defence Ministry said"
    if dateline:
        head = head[dateline.end() :]
    intro = _INTRO.match(head)
    if intro and len(head) - intro.end() > 1:
        head = head[intro.end() :]
    verb = _FINITE_VERB.search(head)
    if verb:
        head = head[: verb.start()]  # "X doubled down on Y and claimed": the subject is X
    head = head.strip(" ,;:—–-")
    if head.endswith((",”", ',"')):
        head = head[:-2] + head[-1]  # "The channel “Rybar,”" -> "The channel “Rybar”"
    if not head or len(head.split()) > 14 or _NOT_SUBJECT.search(head):
        return None
    if head.lower().startswith(("and ", "but ", "or ")):
        return None
    return head


class Sources:
    """The sources a sentence names, read once; ``for_claim`` picks the one for a claim."""

    __slots__ = ("according", "subject", "trailing", "trailing_at", "verb_at")

    def __init__(self, sentence: str, lowered: set[str] | None = None) -> None:
        if (
            lowered is not None
            and _REPORTING_WORDS.isdisjoint(lowered)
            and ("according" not in lowered)
        ):
            # no reporting verb and no "according to": nothing below can match (``lowered``
            # is the sentence's set of lower-case words, when the caller has it)
            self.according = self.subject = self.trailing = None
            self.verb_at = self.trailing_at = None
            return
        # "According" is a word of its own in any match: without it, no search
        according = (
            _ACCORDING.search(sentence) if lowered is None or "according" in lowered else None
        )
        self.according = according.group(1).strip() if according else None
        verb = REPORTING_VERB.search(sentence)
        self.verb_at = verb.start(1) if verb else None
        self.subject = _subject(sentence, verb.start()) if verb else None
        trailing = _TRAILING.search(sentence) if "," in sentence else None
        self.trailing_at = trailing.start() if trailing else None
        self.trailing = trailing.group(1).strip() if trailing else None

    def for_claim(self, claim_start: int) -> str | None:
        """Return who the sentence says made the claim at ``claim_start``, or None."""
        if self.according:
            return self.according
        if self.verb_at is not None and self.verb_at < claim_start:
            return self.subject
        if self.trailing_at is not None and self.trailing_at >= claim_start:
            return self.trailing
        return None


def attribution(sentence: str, claim_start: int) -> str | None:
    """Return who ``sentence`` says made the claim at ``claim_start``, as written, or None."""
    return Sources(sentence).for_claim(claim_start)


def hedges(sentence: str, lowered: set[str] | None = None) -> tuple[str, ...]:
    """Return the hedging words of ``sentence`` as written, first occurrence of each.

    ``lowered``, the sentence's set of lower-case words, lets most sentences skip the scan.
    """
    if lowered is not None and _HEDGE_SET.isdisjoint(lowered):
        return ()
    seen: dict[str, str] = {}
    for match in HEDGES.finditer(sentence):
        word = match.group()
        seen.setdefault(word.lower(), word)
    return tuple(seen.values())
