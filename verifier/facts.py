"""Fact keys: what is counted, what happened to it, and how figures of one sentence relate.

A group is one fact: the same measured thing about the same place and actor over overlapping
periods. This module derives the parts of that key a sentence states about a figure:

* ``role_of``: what happened to, or is true of, the counted thing ("killed", "wounded",
  "deported", "returned", "without power", "launched", "shot down", ...), normalised, or None;
* ``noun_family``: the family of the counted noun, so outlets' words meet ("civilians",
  "residents", "people" are persons; "soldiers", "servicemen", "troops" are soldiers);
* ``phase_of``: "before" for the earlier figure of a change ("fell from 17,000 to 3,000",
  "down from 17,000"): it is a different measurement from the current one, never its rival;
* ``part_marker``: "of them" / "among them" / "of the wounded": the figure is a part of the
  figure before it in the sentence or paragraph (an explicit part-of);
* ``back_reference``: "the 12 claimed by Moscow" points back to an earlier figure and names who
  claimed it.

Pure functions over a sentence and the figure's offsets in it; no Django, no I/O.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from .lexicon import first_words, words

# Role terms, most specific first (a longer phrase wins over a word inside it). Each pattern
# is matched case-insensitively on word boundaries.
_ROLE_TERMS: tuple[tuple[str, str], ...] = (
    (
        "without power",
        r"without (?:power|electricity|light)|no (?:power|electricity)"
        r"|lost (?:power|electricity)|cut (?:power|electricity)(?: supply)? to"
        r"|(?:power|electricity) (?:cut|outages?)|blackouts?|de-?energi[sz]ed|disconnected"
        r"|knock(?:ed|ing|s)? out (?:power|electricity)(?: supply)? to",
    ),
    (
        "shot down",
        r"shot down|shooting down|shoots down|downed|intercepted|intercepting"
        r"|neutrali[sz]ed",
    ),
    # "11 killed or wounded", "190 casualties": casualties, not deaths. ("losses" is left out:
    # each side reports the other's, and "enemy losses" and "Ukrainian losses" never meet.)
    ("casualties", r"(?:killed|dead) (?:or|and) (?:wounded|injured)|casualties"),
    (
        "killed",
        r"killed|killing|kills|kill|dead|died|die|deaths?|death toll|fatalities"
        r"|lost their lives|perished|slain|lives lost|bodies|eliminated|liquidated",
    ),
    ("without water", r"without (?:water|water supply)|no water"),
    ("without heating", r"without (?:heating|heat|gas)|no (?:heating|heat|gas)"),
    (
        "wounded",
        r"wounded|wounding|wounds|injured|injuring|injuries|injures|hurt|hospitali[sz]ed",
    ),
    (
        "deported",
        r"deported|deporting|deportations?|forcibly (?:transferred|removed|moved)"
        # "taken to hospital" is no deportation.
        r"|(?:taken|sent|transferred|relocated) to(?! (?:a |the )?(?:local |nearby |regional )?"
        r"(?:hospitals?|medical))|abducted",
    ),
    (
        "evacuated",
        r"evacuated|evacuating|evacuations?|(?:moved|taken|bused|brought)\s+out"
        r"|moved\s+to\s+(?:other|another|safer)|transferred\s+(?:elsewhere|to\s+(?:other|another))",
    ),
    # Demining: land "surveyed and returned to safe use" is land cleared.
    (
        "cleared",
        r"cleared|demined|de-mined|surveyed and returned to (?:safe |productive )?use"
        r"|returned to (?:safe |productive )?use",
    ),
    ("reunited", r"reunited"),
    (
        "returned",
        r"returned|returning|brought back|brought home|repatriated|came back|handed over"
        r"|(?:came|come|comes|coming|are|is|were|was|back) home"
        # a captive released is a captive come home: one fact, told by either side
        r"|released|freed",
    ),
    ("launched", r"launched|launching|launches|fired|firing|attacked with|struck with"),
    ("destroyed", r"destroyed|destroying|lost|knocked out|knocking out"),
    ("damaged", r"damaged|damaging"),
    ("captured", r"captured|taken prisoner|surrendered"),
    ("detained", r"detained|arrested|imprisoned"),
    ("missing", r"missing"),
    ("displaced", r"displaced|fled|refugees"),
    ("rescued", r"rescued|pulled from the rubble"),
    # "remain without electricity", "remain missing": the state after "remain" is the role.
    (
        "population",
        r"population|(?:remain|remained|remaining|remains)(?!\s+(?:\w+\s+)?(?:without|missing"
        r"|disconnected|de-?energi[sz]ed|in\s+(?:hospital|captivity)|hospitali[sz]ed))"
        # "people living in front-line communities" is who was helped, not a head count
        r"|still live|lived|(?:are|were|is|was|still) living|inhabitants|employs|employed"
        r"|(?:currently|now|still) works?",
    ),
)
# One word boundary and a letter ahead before the alternatives, not a boundary inside each:
# the same matches, but positions inside words fail before twenty branches are tried (a
# fifth of the engine's time was this search).
_ROLE = re.compile(
    r"\b(?=[^\W\d_])(?:"
    + "|".join(f"(?P<r{i}>{pattern})" for i, (_, pattern) in enumerate(_ROLE_TERMS))
    + r")\b",
    re.IGNORECASE,
)
ROLES = tuple(role for role, _ in _ROLE_TERMS)
_ROLE_FIRST = first_words(_ROLE.pattern)
_LETTERS = re.compile(r"[a-z]+")
# The letters outside ASCII that a case-insensitive ASCII letter matches (see re.IGNORECASE).
_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")

# Between a verb and its figure only qualifiers, articles and adverbs may stand: "killed at
# least 14", "shot down 42", "cut power to nearly 3,000".
_GAP = re.compile(
    r"^(?:\s|\b(?:a|an|the|some|about|around|over|nearly|almost|at|least|most|more|than|up|to"
    r"|another|a total of|total|of|all|only|just|roughly|approximately|estimated|reportedly)\b)*$",
    re.IGNORECASE,
)
# What stands between a figure and the next one of its list: its noun, then a comma or "and".
_LIST_ITEM = re.compile(r"^[\s\w'’\-]{0,40}?(?:,|\band\b)\s*$")
_CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:while|whereas|but|and|although|though)\b|\bwhile\b")

# Counted nouns that outlets use for the same people. The family name is what verification
# compares; ``narrower`` families count a subset of a wider one (children are persons).
_FAMILIES: dict[str, tuple[str, ...]] = {
    "person": (
        tuple(
            words(
                "person people individual civilian resident citizen inhabitant local national "
                "ukrainian russian victim casualty body fatality dead deceased worker employee "
                "rescuer medic paramedic firefighter journalist volunteer passenger driver staff "
                "member man woman pensioner traveller traveler refugee returnee evacuee patient "
                "hostage detainee "
                # a table's label read as the unit: "Killed: 3", "Injured: 12"
                "killed injured wounded"
            )
        )
    ),
    "soldier": (
        tuple(
            words(
                "soldier serviceman servicemen servicemember troop personnel fighter combatant "
                "marine paratrooper infantryman defender prisoner pow captive occupier invader "
                "mercenary"
            )
        )
    ),
    "child": tuple(words("child children minor kid teenager teen orphan boy girl pupil student")),
    "home": tuple(
        # "38,000 families without power": a household each
        words("home house household dwelling apartment residence consumer subscriber family")
    ),
    "school": tuple(words("school kindergarten lyceum gymnasium")),
    "building": tuple(words("building block high-rise highrise tower")),
    "drone": tuple(words("drone uav shahed")),
    "vessel": tuple(words("vessel ship boat tanker freighter bulker bulk-carrier cargo-ship")),
    "missile": tuple(words("missile rocket")),
}
NOUN_FAMILY = {noun: family for family, nouns in _FAMILIES.items() for noun in nouns}
# family -> the wider family it is part of
NARROWER = {"child": "person"}

_PART_MARKER = re.compile(
    r"\b(?:of|among|including)\s+(?:them|those|whom|these|which)\b"
    r"|\b(?:of|among)\s+the\s+(?:[a-z]+\s+)?(?P<group>[a-z]+)\b",
    re.IGNORECASE,
)
_CHANGED_FROM = re.compile(r"\b(?:down|up|fell|dropped|rose|grew)\s+from\s*$", re.I)
_BLANKS_AND_COMMAS = re.compile(r"[\s,]*")
_BLANKS_AND_COMMA = re.compile(r"\s*,?\s*")
_INCLUDING = re.compile(r"(?:\bincluding|,\s*among\s+them)\s*$", re.IGNORECASE)
_BEFORE = re.compile(
    r"\b(?:(?:fell|dropped|declined|decreased|shrank|rose|grew|increased|jumped|climbed|went"
    r"|down|up)\s+(?:from|since)|from)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_TO_AFTER = re.compile(r"^\s*(?:[\w\-]+\s+){0,5}to\b", re.IGNORECASE)
_BACK_REF = re.compile(
    r"\bthe\s+(?:[\d.,]+\s+)?$",
    re.IGNORECASE,
)
_CLAIMED_BY = re.compile(
    r"^\s*(?:(?:\w+\s+){0,1})(?:claimed|reported|cited|given|announced|said)\s+by\s+"
    r"(?P<who>(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)"
)


def noun_family(unit: str | None) -> str:
    """The family of a counted noun ("resident" -> "person"); the unit itself otherwise."""
    if not unit:
        return ""
    unit = unit.lower()
    return NOUN_FAMILY.get(unit, NOUN_FAMILY.get(unit.rstrip("s"), unit))


def role_term(text: str) -> str | None:
    """The role a phrase names ("were injured" -> "wounded"), or None."""
    match = _ROLE.search(text)
    return _role_of_match(match) if match else None


def _role_of_match(match: re.Match[str]) -> str:
    for name, value in match.groupdict().items():
        if value is not None:
            return ROLES[int(name[1:])]
    raise AssertionError("a role match names its group")


def role_of(
    sentence: str, start: int, end: int, others: Sequence[tuple[int, int]] = ()
) -> str | None:
    """The role of the figure at ``sentence[start:end]``; ``others`` are the spans of the
    sentence's other figures, which bound the words that can belong to this one.

    Order of preference: a role verb right before the figure ("killed 14"), then the first
    role term after it within its clause ("14 civilians were killed"), then the nearest role
    term before it in the sentence ("the population fell from 17,000 to 3,000").
    """
    left = max((e for s, e in others if e <= start), default=0)
    right = min((s for s, e in others if s >= end), default=len(sentence))
    starts, ends, roles = _role_terms(sentence)
    last = bisect_right(ends, start) - 1  # the last term ending before the figure
    if last >= 0 and starts[last] >= left and _GAP.match(sentence[ends[last] : start]):
        return roles[last]
    after = sentence[end:right]
    cut = _CLAUSE_BREAK.search(after)
    limit = end + (cut.start() if cut else len(after))
    first = bisect_left(starts, end)  # the first term after the figure, within its clause
    while first < len(starts) and _attributive(sentence, starts[first], ends[first]):
        first += 1  # "14 people in the damaged building were killed": killed
    if first < len(starts) and ends[first] <= limit:
        return roles[first]
    if right < len(sentence) and _LIST_ITEM.match(after) and first < len(starts):
        # "27 buildings, 9 houses and a school were damaged": a figure in a list of subjects
        # takes the list's verb, past the figures after it, within its clause.
        rest = sentence[end:]
        cut = _CLAUSE_BREAK.search(rest)
        if ends[first] <= end + (cut.start() if cut else len(rest)):
            return roles[first]
    while last >= 0 and _attributive(sentence, starts[last], ends[last]):
        last -= 1  # "the death toll ... of the destroyed Kakhovka dam has risen to 29": killed
    return roles[last] if last >= 0 else None


_ARTICLE_BEFORE = re.compile(r"\b(?:the|a|an|this|that|its|their)\s+$", re.IGNORECASE)
_NOUN_NEXT = re.compile(
    r"\s+(?!(?:were|was|are|is|have|has|had|and|or|in|on|at|by|from|of|to|during|after|since"
    r"|with|as)\b)[A-Za-z]"
)


def _attributive(sentence: str, start: int, end: int) -> bool:
    """Whether the role term at ``sentence[start:end]`` is a participle describing a noun ("the
    destroyed Kakhovka dam", "a damaged building"), not what happened to the figure."""
    return (
        sentence[end - 2 : end] == "ed"
        and _ARTICLE_BEFORE.search(sentence, max(0, start - 8), start) is not None
        and _NOUN_NEXT.match(sentence, end) is not None
    )


@lru_cache(maxsize=8)
def _role_terms(sentence: str) -> tuple[list[int], list[int], list[str]]:
    """(starts, ends, roles) of the role terms of ``sentence``, in order. One search per
    sentence, not one per figure: the figures of a sentence ask in turn."""
    starts: list[int] = []
    ends: list[int] = []
    roles: list[str] = []
    low = sentence.lower()
    matches: Iterable[re.Match[str]]
    if _ROLE_FIRST is None:
        matches = _ROLE.finditer(sentence)
    else:
        present = _ROLE_FIRST.intersection(_LETTERS.findall(low))
        if not present:
            return starts, ends, roles  # none of the words a role term begins with
        if len(low) == len(sentence) and not _FOLDS_TO_ASCII.intersection(sentence):
            matches = _matches_at_words(sentence, low, present)
        else:
            matches = _ROLE.finditer(sentence)
    for match in matches:
        starts.append(match.start())
        ends.append(match.end())
        roles.append(_role_of_match(match))
    return starts, ends, roles


def _matches_at_words(sentence: str, low: str, present: set[str]) -> Iterator[re.Match[str]]:
    """What _ROLE.finditer(sentence) finds, tried only where one of the ``present`` words
    starts a run of letters: a match can start nowhere else (it begins at a word boundary
    with one of _ROLE_FIRST, in letters that are ASCII once no _FOLDS_TO_ASCII is in the
    text), and trying twenty alternatives at every word was most of the search. ``low`` is
    the sentence in lower case, offset for offset."""
    at_words = set()
    for word in present:
        at = low.find(word)
        while at != -1:
            if not at or not low[at - 1].isalpha():
                at_words.add(at)
            at = low.find(word, at + 1)
    end = 0
    for at in sorted(at_words):
        if at < end:
            continue  # inside the match before, as finditer would skip it
        match = _ROLE.match(sentence, at)
        if match:
            end = match.end()
            yield match


_UPDATE = re.compile(
    r"\b(?:has|have|had)?\s*(?:risen|rose|climbed|grown|grew|increased|jumped|reached"
    r"|now stands at|stands at|stood at|updated to|revised (?:up|upward|upwards) to)"
    r"\s+(?:to\s+)?$"
    # "..., bringing the number of people killed to seven", "raising the death toll to 21"
    r"|\b(?:bringing|raising|taking|pushing)\s+(?:the\s+)?(?:[\w-]+\s+){0,5}?to\s+$",
    re.IGNORECASE,
)


# Words without which _UPDATE and _BEFORE cannot match: testing for them is cheaper than the
# searches, which try every position of their window.
_UPDATE_WORDS = (
    "rose", "risen", "climbed", "grown", "grew", "increased", "jumped", "reached", "bringing",
    "raising", "taking", "pushing",
)  # fmt: skip
_UPDATE_WORDS_TOO = ("stands at", "stood at", "updated to", "revised")


# "Two more people have died", "12 further bodies": added to a count, not the count. ("an
# additional $650 million" is the new money itself, and reported as such by others.)
_INCREMENT = re.compile(r"\s+(?:more|additional|further)\s+(?!than\b)[a-z]", re.IGNORECASE)
_PRE_WAR = re.compile(r"\bpre-?war\b", re.IGNORECASE)
_PREWAR = re.compile(
    r"\bpre-?war\b|\bbefore\s+the\s+(?:start\s+of\s+the\s+)?(?:full[\s-]scale\s+)?(?:war|invasion)"
    r"|\bbefore\s+the\s+(?:conflict|occupation)|\bbefore\s+(?:February\s+)?2022\b",
    re.IGNORECASE,
)


def phase_of(sentence: str, start: int, end: int) -> str | None:
    """The phase of a figure: "before" for the earlier figure of a change ("from 17,000 to
    3,000", "down from 17,000") or a figure said to be from before the war ("the pre-war
    population was some 20,000", "had 20,000 residents before the full-scale invasion"),
    "update" for a toll that grew ("has risen to 31"), "increment" for what was added to a
    count ("Two more people have died"), or None."""
    if _INCREMENT.match(sentence, end):
        return "increment"
    head = sentence[max(0, start - 40) : start]
    low = head.lower()
    # Only the words between this figure and its neighbours: "3,000 remain, down from 17,000
    # before the war" dates the 17,000.
    before = re.split(r"\d|\bto\b", head)[-1]  # "the pre-war population was some 20,000"
    after = re.split(r"\d", sentence[end : end + 60])[0]  # "20,000 residents before the war"
    if ("war" in before and _PRE_WAR.search(before)) or (
        any(word in after for word in ("war", "invasion", "2022", "conflict", "occupation"))
        and _PREWAR.search(after)
    ):
        return "before"
    if (
        any(word in low for word in _UPDATE_WORDS) or any(w in low for w in _UPDATE_WORDS_TOO)
    ) and _UPDATE.search(head):
        return "update"
    if (
        ("from" in low or "since" in low)
        and _BEFORE.search(head)
        and (_TO_AFTER.match(sentence[end : end + 60]) or _CHANGED_FROM.search(sentence[:start]))
    ):
        return "before"
    return None


def part_marker(sentence: str, start: int, end: int) -> tuple[bool, str | None]:
    """(explicit part, role named by the marker): "nine of them" -> (True, None); "Of the
    wounded, 9" -> (True, "wounded"); "among them 9 children" -> (True, None)."""
    window_after = sentence[end : end + 25]
    match = _PART_MARKER.match(window_after.lstrip()) if window_after.strip() else None
    if match and window_after.lstrip().lower().startswith(("of them", "of those", "of whom")):
        return True, None
    head = sentence[max(0, start - 40) : start]
    low = head.lower()
    # Every marker holds "of", "among" or "includ" (no letter of which re.IGNORECASE matches
    # outside ASCII): most figures have none of them before, and skip both searches.
    among = "among" in low
    including = "nclud" in low
    if not (among or including or "of" in low):
        return False, None
    if (among or including) and _INCLUDING.search(head):
        return True, None  # "52 people, including 9 children"
    for match in _PART_MARKER.finditer(head):
        rest = head[match.end() :]
        if _BLANKS_AND_COMMAS.fullmatch(rest) or _BLANKS_AND_COMMA.fullmatch(rest):
            group = match.group("group")
            return True, role_term(group) if group else None
    return False, None


def back_reference(sentence: str, start: int, end: int) -> str | None:
    """Who claimed an earlier figure this one points back to: "the 12 claimed by Moscow" ->
    "Moscow"; "" when it points back without naming anyone; None when it is no back-reference."""
    if not _BACK_REF.search(sentence[max(0, start - 6) : start]):
        return None
    match = _CLAIMED_BY.match(sentence[end : end + 80])
    if match:
        return match.group("who")
    return None
