"""Context from the whole document: what a claim's own sentence leaves out.

A report names the place in its dateline ("KHARKIV, March 3 -"), its headline or an earlier
sentence of the paragraph, and then says "52 were injured". ``with_context(text, claims)``
gives every quantitative claim:

* ``role`` and ``phase`` (see verifier.facts), from its own sentence;
* ``inherited``: what it takes from its document, kept apart from what its sentence says, with
  where each part came from (``inherited["from"]``): places and actors (when the sentence names
  none: the paragraph's earlier sentences, then the headline, then the dateline), the period
  (when the sentence gives none), the counted noun of "42 of them", the figure a part points to
  (``part_of``: the span of "50 drones" for "42 of them"), the earlier figure a back-reference
  names (``refers_to`` for "the 12 claimed by Moscow", with its unit, role, place and period),
  and the clause's own speaker when the sentence has two ("Russian officials claimed 12, while
  Ukrainian officials said 40").

Offsets in ``part_of`` and ``refers_to`` are [start, end] of the other claim in the same text.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any, NamedTuple

from .attribution import REPORTING_VERB, REPORTING_WORDS
from .entities import ACTOR_SUFFIXES, entities
from .facts import NOUN_FAMILY, back_reference, noun_family, part_marker, phase_of, role_of
from .lexicon import words
from .model import ExtractedClaim
from .money import ISO_CODES
from .numbers import parse_digits, parse_words, to_number
from .time import TimeExpression, find_times

_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+)*(?:,\s*[A-Z][\w'’\-]+(?:\s+[A-Z]"
    r"[\w'’\-]+)*)?)(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?))?"
    r"\s*(?:\([^)]{1,60}\))?\s*[-–—]{1,2}\s*"
)
# A regional administration's post (and many a Telegram channel) opens with its place as a
# sentence of its own: "Kryvyi Rih. The enemy struck the city ...", "Zhytomyr region. ...".
_OPENER = re.compile(
    r"^\s*(?P<place>[A-Z][a-z'’\-]{2,}(?:[\s\-]+[A-Z][a-z'’\-]+){0,2}"
    r"(?:\s+(?:region|oblast|district|raion|city|community|hromada|direction))?)\.\s+(?=[A-Z0-9])"
)
_IN_PLACE = re.compile(
    r"\s+(?:[a-z]+\s+){0,2}?(?:in|near)\s+(?P<place>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?)"
)
_PEOPLE = frozenset(("person", "soldier", "child"))
_AIRBORNE = frozenset(("drone", "missile", "aircraft", "helicopter", "plane", "jet", "balloon"))
_FILING_CAPITALS = frozenset(
    ("Moscow", "Kyiv", "Kiev", "Minsk", "Washington", "London", "Brussels", "Geneva", "Paris",
     "Berlin", "New York", "Warsaw", "Vienna", "Ankara", "Istanbul", "Beijing", "Tehran")
)  # fmt: skip
# A sentence that opens by placing itself somewhere unnamed is not where the paragraph was:
# "On the government-controlled bank, 17 people died", "Elsewhere, ...", "In another village".
_ELSEWHERE = re.compile(
    r"\s*(?:Elsewhere\b|(?:On|In|At|Across|Near)\s+(?:the\s+other|another|the\s+[a-z\-]+)\s+"
    r"(?:bank|side|shore|part|town|village|city|district|area|region|community|sector)\b)"
)
_NAME_MODIFIER = re.compile(r"\s+([A-Z][a-z'’\-]{2,}(?:\s+[A-Z][a-z'’\-]{2,})?)\s+[a-z]")


def _named_as_place(text: str, name: str, near: int) -> bool:
    """Whether the report names ``name`` as a place near ``near`` ("in Ternopil"), so that
    "40,000 Ternopil homes" are Ternopil's and "40 Leopard tanks" are not Leopard's."""
    window = text[max(0, near - 2000) : near + 2000]
    return re.search(rf"\b(?:in|near|over|of|to|from)\s+{re.escape(name)}\b", window) is not None


_NEXT_ITEM = re.compile(r"\s+and\s+|;|,\s+(?=\d)")
# Landmarks name no town: "the Central Market", "Shevchenko Park" are in the city around them.
_STREETS = frozenset(
    words("Street Avenue Square Boulevard Lane Road Prospect Embankment Highway Market Park Bazaar")
)
_NAME_HEADING = re.compile(r"[A-Z][a-z'’\-]{2,}(?:[\s\-]+[A-Z][a-z'’\-]+){0,2}")
_NOT_OPENERS = frozenset(
    words("Breaking Update Urgent Important Attention Warning Alert Again Today Tonight Yesterday")
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_NAMES = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# "on Friday", "last Friday", "overnight into Friday" and "Friday's strike": the day of the event.
_ON_WEEKDAY = re.compile(
    rf"\b(?:(?:on|last|this|into)\s+(?P<day>{_DAY_NAMES})\b|(?P<own>{_DAY_NAMES})['’]s\b)"
)
# Names after these words are places even when the entity heuristics file them as actors:
# "strike on Kharkiv", "missiles hit Kharkiv", "drones over Belgorod".
_PLACE_BEFORE = re.compile(
    r"\b(?:on|hit|hits|over|struck|strikes?\s+on|attacks?\s+on|shelling\s+of|bombing\s+of"
    r"|(?:city|town|village|settlement|region|neighbou?rhoods?|districts?|suburbs?|outskirts"
    r"|area|community)\s+of)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_MEASURES = frozenset(
    words(
        "kilometer meter mile centimeter percent degree hour minute second day week month "
        "year kilogram ton hectare liter"
    )
)
_CLAUSE_START = re.compile(r"(?:^|[;:]|,\s+(?:while|whereas|but|and|although)\s+|\bwhile\s+)")
_NOUN_AFTER = re.compile(
    r"^\s*(?:(?:of|among)\s+(?:them|those|whom)\s+(?:were\s+|are\s+)?|(?:were|are)\s+)([a-z]+)"
)
_COUNTED = re.compile(
    r"\bnumber\s+of\s+(?P<noun>[a-z]+)|\b(?P<toll>death|casualty)\s+toll\b", re.IGNORECASE
)
_LETTERS = re.compile(r"[a-z]+")
_CHANGE_RANGE = re.compile(r"^from\s+(?P<a>.+?)\s+to\s+(?P<b>.+)$", re.IGNORECASE)
_CHANGE_VERB = re.compile(
    r"\b(?:fell|dropped|declined|decreased|shrank|rose|grew|increased|jumped|climbed|went|"
    r"down|up|changed)\b",
    re.IGNORECASE,
)


class SentenceRead(NamedTuple):
    """What the extractor read of a sentence: its time expressions, places and actors."""

    times: Sequence[TimeExpression]
    places: tuple[str, ...]
    actors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int
    end: int
    places: tuple[str, ...]
    actors: tuple[str, ...]
    time: tuple[str, str | None, str | None] | None


# A paragraph's sentences this far back say nothing about a claim; looking no further keeps a
# paragraph of thousands of sentences (a document flattened into one line) linear.
EARLIER_LIMIT = 50


class _Earlier:
    """The paragraph's sentences before a claim (the first ``count`` of ``spans``), nearest
    first, each read on first use."""

    def __init__(
        self,
        spans: list[tuple[int, int]],
        info: Callable[[tuple[int, int]], _Sentence],
        count: int | None = None,
    ):
        self.spans, self.info = spans, info
        self.count = len(spans) if count is None else count

    def nearest_first(self) -> Iterable[_Sentence]:
        for i in range(self.count - 1, max(-1, self.count - 1 - EARLIER_LIMIT), -1):
            yield self.info(self.spans[i])


@dataclass(frozen=True, slots=True)
class _Document:
    headline: tuple[tuple[str, ...], tuple[str, ...]] | None
    dateline: tuple[tuple[str, ...], tuple[str, str | None, str | None] | None] | None
    paragraphs: list[tuple[int, int]]
    dateline_end: int = -1
    issuer: tuple[str, ...] = ()


# A regional or city administration's post, or a governor's, is about its own region or city:
# "Rivne Regional Military Administration: ... 215,000 subscribers in the region are without
# power", "Bryansk governor Alexander Bogomaz: ... 14 UAVs over the region".
_ISSUER = re.compile(
    r"\b(?P<place>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?)\s+(?:(?P<region>Regional|Oblast)"
    r"\s+(?:(?:Military|State|Civil-Military)\s+)?Administration|(?P<city>City|Town|Village)"
    r"\s+(?:(?:Military|State|Civil-Military)\s+)?Administration|(?P<governor>(?:regional\s+)?"
    r"governor)|(?P<mayor>[Mm]ayor))\b"
    r"|\b[Mm]ayor\s+of\s+(?P<of_city>[A-Z][\w'’\-]+)"
)
ISSUER_WINDOW = 300  # the opening of a post, where its author signs


def _issuer(text: str, start: int) -> tuple[str, ...]:
    """The region or city of the administration or governor whose post ``text`` opens with."""
    match = _ISSUER.search(text, start, start + ISSUER_WINDOW)
    if match is None:
        return ()
    if match.group("of_city"):
        return (match.group("of_city"),)
    place = match.group("place")
    return (place,) if match.group("city") or match.group("mayor") else (f"{place} region",)


_TRAILING_DATE = re.compile(
    r"\s+(?:on|in)\s+(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$"
)


@lru_cache(maxsize=4096)
def place_names(sentence: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(places, actors) of a sentence, with place-like actors moved to places."""
    return _moved_places(sentence, *entities(sentence))


# Every figure of a sentence asks with the same sentence and names, one after the other.
@lru_cache(maxsize=16)
def _moved_places(
    sentence: str, places: tuple[str, ...], actors: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """place_names from what entities() found in ``sentence`` (when the extractor has it)."""
    # "Kharkiv on March 3" is read as one name: the place is "Kharkiv".
    actors = tuple(dict.fromkeys(_TRAILING_DATE.sub("", a) for a in actors))
    places = tuple(dict.fromkeys(_TRAILING_DATE.sub("", p) for p in places))
    moved = []
    for name in actors:
        at = sentence.find(name)
        if at < 0 or name.isupper() or len(name.split()) > 2:
            continue
        if name.split()[-1] in ACTOR_SUFFIXES:
            continue
        while at >= 0:  # any mention: "Lviv Regional Military Administration: ... on Lviv"
            if _PLACE_BEFORE.search(sentence[max(0, at - 20) : at]):
                moved.append(name)
                break
            at = sentence.find(name, at + len(name))
    if not moved:
        return places, actors
    return tuple(dict.fromkeys((*places, *moved))), tuple(a for a in actors if a not in moved)


def _read_document(text: str, published: dt.date | None) -> _Document:
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    headline = None
    if len(paragraphs) > 1:
        first = text[paragraphs[0][0] : paragraphs[0][1]].strip()
        if len(first) <= 140 and not first.endswith((".", "!", "?", ":", ";", ",")):
            headline = place_names(first)
            if not headline[0] and _NAME_HEADING.fullmatch(first):
                headline = ((first,), headline[1])  # a heading that is only a name: "Huliaipole"
            paragraphs = paragraphs[1:]
    dateline = None
    for start, end in paragraphs[:2]:
        match = _DATELINE.match(text, start, end)
        if match is None:
            continue
        parts = [p.strip() for p in match.group("place").split(",")]
        places = tuple(p.title() if p.isupper() else p for p in parts)
        when = None
        if match.group("date"):
            times = find_times(f"on {match.group('date')}", published)
            if times and times[0].time_start:
                when = (match.group("date"), times[0].time_start, times[0].time_end)
        dateline = (places, when)
        return _Document(headline, dateline, paragraphs, match.end())
    issuer = _issuer(text, paragraphs[0][0]) if paragraphs else ()
    if paragraphs:
        start, end = paragraphs[0]
        match = _OPENER.match(text, start, end)
        if match and match.group("place").split()[0] not in _NOT_OPENERS:
            opener = ((match.group("place"),), None)
            return _Document(headline, opener, paragraphs, match.end(), issuer)
    return _Document(headline, dateline, paragraphs, issuer=issuer)


def _sentence_info(
    text: str,
    start: int,
    end: int,
    published: dt.date | None,
    read: SentenceRead | None = None,
    dateline_end: int = -1,
) -> _Sentence:
    sentence = text[start:end]
    if read is None:
        places, actors = place_names(sentence)
        times: Sequence[TimeExpression] = find_times(sentence, published)
    else:
        places, actors = _moved_places(sentence, read.places, read.actors)
        times = read.times
    when = None
    for t in times:
        if t.time_start or t.time_end:
            when = (t.text, t.time_start, t.time_end)
            break
    if when is None:
        when = weekday_period(sentence, published)
    elif start < dateline_end <= end and when[0] in text[start:dateline_end]:
        # A dateline's date is the filing day: a weekday after it dates the event.
        when = weekday_period(text[dateline_end : min(end, dateline_end + 400)], published) or when
    return _Sentence(start, end, places, actors, when)


def weekday_period(text: str, published: dt.date | None) -> tuple[str, str, str] | None:
    """ "on Friday" in a report published on ``published``: the last such day on or before
    it, as (text, start, end) in ISO form; None without a weekday or a publication date."""
    if published is None:
        return None  # before the search: most documents come without a publication date
    match = _ON_WEEKDAY.search(text)
    if match is None:
        return None
    name = match.group("day") or match.group("own")
    back = (published.weekday() - _WEEKDAYS.index(name.lower())) % 7
    day = (published - dt.timedelta(days=back)).isoformat()
    return match.group(), day, day


def with_context(
    text: str,
    claims: Sequence[ExtractedClaim],
    *,
    published: dt.date | None = None,
    sentences: Iterable[tuple[int, int]] = (),
    read: Mapping[tuple[int, int], SentenceRead] | None = None,
) -> list[ExtractedClaim]:
    """The claims with role, phase and what they inherit from the document (see above).

    ``sentences`` are the sentence spans of ``text`` (the paragraph's earlier sentences
    may carry no claim of their own and still name the place); ``read``, what the extractor
    has already read of them, by span, so it is not read twice.
    """
    known = read or {}
    document = _read_document(text, published)
    paragraph_of = _paragraph_index(document.paragraphs)
    # The sentences of each paragraph (each claim looks only at its own paragraph), read only
    # when a claim needs them.
    by_paragraph: dict[int, list[tuple[int, int]]] = {}
    for s, e in sentences:
        by_paragraph.setdefault(paragraph_of(s), []).append((s, e))
    ends_of = {p: [e for _, e in spans] for p, spans in by_paragraph.items()}
    infos: dict[tuple[int, int], _Sentence] = {}

    def info(span: tuple[int, int]) -> _Sentence:
        if span not in infos:
            infos[span] = _sentence_info(
                text, span[0], span[1], published, known.get(span), document.dateline_end
            )
        return infos[span]

    by_sentence: dict[int, list[ExtractedClaim]] = {}
    for claim in claims:
        by_sentence.setdefault(claim.sentence_start, []).append(claim)
    starts_of = {k: [o.start for o in v] for k, v in by_sentence.items()}
    out: list[ExtractedClaim] = []
    previous: list[ExtractedClaim] = []  # the quantitative claims before, in the paragraph
    current_paragraph = -1
    for claim in claims:
        paragraph = paragraph_of(claim.sentence_start)
        if paragraph != current_paragraph:
            current_paragraph, previous = paragraph, []
        if claim.kind != "quantitative":
            out.append(claim)
            continue
        spans = by_paragraph.get(paragraph, [])
        # the sentences that end before the claim's: a prefix (spans are in order)
        earlier = _Earlier(
            spans, info, bisect_right(ends_of.get(paragraph, []), claim.sentence_start)
        )
        local = _local(text, claim)
        role, phase = _own_facts(
            local, claim, by_sentence[claim.sentence_start], starts_of[claim.sentence_start]
        )
        claim = _inherit(
            text, local, published, claim, earlier, document, previous, out, role, phase
        )
        change = _change_of(text, claim)
        if change is not None:
            # One range claim, read as what it is: a change, compared by its two ends.
            inherited = {**claim.inherited, "change": {"from": change[0], "to": change[1]}}
            inherited["from"] = {
                **claim.inherited.get("from", {}),
                "change": "the words 'from ... to ...' after a verb of change",
            }
            claim = replace(claim, phase="change", inherited=inherited)
        out.append(claim)
        previous.append(claim)
    return out


def _paragraph_index(paragraphs: list[tuple[int, int]]) -> Callable[[int], int]:
    """offset -> the index of the paragraph holding it (-1 for none), by bisection."""
    starts = [start for start, _ in paragraphs]

    def index(offset: int) -> int:
        i = bisect_right(starts, offset) - 1
        return i if i >= 0 and offset < paragraphs[i][1] else -1

    return index


def _change_of(text: str, claim: ExtractedClaim) -> tuple[float, float] | None:
    """(from, to) of a range that is a change ("fell from 17,000 to 3,000"), or None."""
    match = _CHANGE_RANGE.match(claim.text) if claim.qualifier == "range" else None
    if match is None or not _CHANGE_VERB.search(text[claim.sentence_start : claim.start][-40:]):
        return None
    values = []
    for group in ("a", "b"):
        raw = match.group(group).strip()
        value = parse_digits(raw) or parse_words(raw.lower())
        if value is None:
            return None
        values.append(float(to_number(value)))
    return values[0], values[1]


# Words this far from a figure say nothing about it; looking no further keeps a sentence of
# thousands of figures (a table flattened into one line) linear.
WINDOW = 300


def _local(text: str, claim: ExtractedClaim) -> tuple[str, int, int, int]:
    """(the claim's sentence, cut to WINDOW characters either side, start and end of the
    claim in it, the cut's offset in ``text``)."""
    lo = max(claim.sentence_start, claim.start - WINDOW)
    hi = min(claim.sentence_end, claim.end + WINDOW)
    return text[lo:hi], claim.start - lo, claim.end - lo, lo


def _own_facts(
    local: tuple[str, int, int, int],
    claim: ExtractedClaim,
    siblings: Sequence[ExtractedClaim],
    starts: list[int],
) -> tuple[str | None, str | None]:
    """(role, phase) of a claim from its own sentence (``local``: what _local gives)."""
    sentence, s, e, lo = local
    # The sentence's figures within the window (siblings are in order of appearance).
    near = siblings[bisect_left(starts, lo) : bisect_right(starts, lo + len(sentence))]
    others = [
        (o.start - lo, o.end - lo)
        for o in near
        if o.kind == "quantitative" and o.start != claim.start and o.end <= lo + len(sentence)
    ]
    if claim.unit and claim.unit.upper() in ISO_CODES:
        # Money is pledged, paid or received, never killed or damaged: "$650 million to repair
        # damaged homes" is no damage. Amounts compare by place, actor and period.
        return None, phase_of(sentence, s, e)
    role = role_of(sentence, s, e, others)
    if role == "destroyed" and noun_family(claim.unit) in ("drone", "missile"):
        role = "shot down"  # air defence reports "destroyed 40 drones" for downing them
    elif role == "shot down" and claim.unit and noun_family(claim.unit) not in _AIRBORNE:
        role = "destroyed"  # sappers "neutralised 600,000 explosive objects": destroyed
    elif role == "destroyed" and noun_family(claim.unit) in ("person", "soldier"):
        role = "casualties"  # "the unit had lost 11 servicemen": people are lost, not destroyed
    elif role == "casualties" and claim.unit and noun_family(claim.unit) not in _PEOPLE:
        role = "destroyed"  # "190 casualties and 3 tanks": the tanks were destroyed
    elif role is None and claim.unit:
        role = _role_from_grammar(sentence, s, e, noun_family(claim.unit))
    return role, phase_of(sentence, s, e)


_PEOPLE_LEFT = re.compile(r"\s+(?:[\w-]+\s+){0,3}?(?:have|has|had)\s+(?:now\s+)?left\b")
_HAD_BEFORE = re.compile(r"\b(?:had|has|have)\s+(?:a\s+population\s+of\s+)?(?:\w+\s+)?$")
_SEEN_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+){0,3}?(?:were|was)\s+(?:recorded|spotted|detected|tracked|seen)\b"
)


def _role_from_grammar(sentence: str, s: int, e: int, family: str) -> str | None:
    """A role the role terms miss, read from the figure's verb and what is counted:
    "24,000 people have left the area" evacuated (a ship that left a port is no evacuee);
    "the town had about 20,000 residents" a head count; "Nineteen UAVs were recorded over the
    town" launched."""
    if family in ("person", "child"):
        if _PEOPLE_LEFT.match(sentence, e):
            return "evacuated"
        if _HAD_BEFORE.search(sentence, max(0, s - 40), s):
            return "population"
    if family in _AIRBORNE and _SEEN_AFTER.match(sentence, e):
        return "launched"
    return None


def _within(part: ExtractedClaim, whole: ExtractedClaim) -> bool:
    """Whether the part's own period lies inside the whole's (open ends reach anywhere)."""

    def day(value: str | dt.date | None, default: dt.date) -> dt.date:
        if value is None:
            return default
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)

    low, high = day(part.time_start, dt.date.min), day(part.time_end, dt.date.max)
    return day(whole.time_start, dt.date.min) <= low and high <= day(whole.time_end, dt.date.max)


def _inherit(
    text: str,
    local: tuple[str, int, int, int],
    published: dt.date | None,
    claim: ExtractedClaim,
    earlier: _Earlier,
    document: _Document,
    previous: Sequence[ExtractedClaim],
    done: Sequence[ExtractedClaim],
    role: str | None,
    phase: str | None,
) -> ExtractedClaim:
    """The claim with its role and phase (from its own sentence) and what it inherits: one
    copy of the claim, not one per step. ``local``: what _local gives for the claim."""
    sentence, s, e, lo = local
    inherited: dict[str, Any] = {}
    sources: dict[str, str] = {}
    if phase is None and claim.time_text:
        # "fell from about 106,000 before February 2022 to an estimated 40,000": the time
        # between a change's two ends dates its "from" figure, not its "to" figure.
        before = next(
            (c for c in reversed(previous[-4:]) if c.sentence_start == claim.sentence_start
             and c.phase == "before" and c.end <= claim.start), None,
        )  # fmt: skip
        if before is not None and text.find(claim.time_text, before.end, claim.start) >= 0:
            claim = replace(claim, time_text=None, time_start=None, time_end=None)
    if len(claim.places) > 1:
        # "6 residents: 3 in Selydove and 3 in Kurakhove": each figure its own town.
        own = _IN_PLACE.match(sentence, e)
        if own and own.group("place") in claim.places:
            # The places from its "in" on, up to the next item of the list.
            stop = _NEXT_ITEM.search(sentence, own.end())
            after = sentence[own.start("place") : stop.start() if stop else len(sentence)]
            mine = tuple(p for p in claim.places if p in after)
            claim = replace(claim, places=mine)
    if len(claim.places) > 1 and ("while" in sentence or ";" in sentence):
        # "Russia handed over 15 civilians to Kyiv, while nine residents of the Kursk region
        # were returned to Russia": the places of the claim's own clause, when it names one.
        mine = _clause_places(sentence, s, e, claim.places)
        if mine and mine != claim.places:
            claim = replace(claim, places=mine)
    if lo == claim.sentence_start and lo + len(sentence) == claim.sentence_end:
        # the whole sentence: its entities are the claim's own, read by the extractor
        own_places, _ = _moved_places(sentence, claim.places, claim.actors)
    else:
        own_places, _ = place_names(sentence)
    # "about 40,000 Ternopil homes", "12 Kharkiv residents": a name between the figure and its
    # noun is where they are.
    modifier = _NAME_MODIFIER.match(sentence, e)
    if (
        modifier
        and modifier.group(1) in claim.actors
        and modifier.group(1) not in own_places
        and _named_as_place(text, modifier.group(1), claim.start)
    ):
        own_places = (*own_places, modifier.group(1))
    if own_places != claim.places:
        moved = [p for p in own_places if p not in claim.places]
        if moved:
            inherited["places"] = moved
            sources["places"] = "this sentence (a name after 'on', 'hit', 'over')"
    if document.dateline and claim.sentence_start < document.dateline_end <= claim.start:
        # The sentence opens with the dateline: its places are the report's own, except a
        # capital the wire files from when the sentence names where it happened ("MOSCOW -
        # An Iskander strike on a training camp in the Dnipropetrovsk region killed ...").
        named = [p for p in (*claim.places, *own_places) if p not in document.dateline[0]]
        dateline_places = [
            p for p in document.dateline[0]
            if p not in claim.places and not (named and p in _FILING_CAPITALS)
        ]  # fmt: skip
        if dateline_places:
            inherited["places"] = list(
                dict.fromkeys((*inherited.get("places", ()), *dateline_places))
            )
            sources["places"] = "the dateline"
        own_places = (*own_places, *dateline_places)
        claim = _past_the_dateline(text, published, claim, document.dateline_end)

    # "the 12 claimed by Moscow": the earlier figure it names.
    who = back_reference(sentence, s, e)
    if who is not None:
        target = next(
            (c for c in reversed(done) if c.kind == "quantitative" and c.value == claim.value
             and c.unit), None,
        )  # fmt: skip
        if target is not None:
            inherited["refers_to"] = [target.start, target.end]
            sources["refers_to"] = f"the earlier figure {target.text!r}"
            for key in ("unit", "subject"):
                if getattr(target, key) != getattr(claim, key):
                    inherited[key] = getattr(target, key)
                    sources[key] = f"the earlier figure {target.text!r}"
            if target.role and target.role != role:
                role = target.role
            if not claim.time_start and (target.time_start or target.time_end):
                inherited.update(
                    time_text=target.time_text, time_start=target.time_start,
                    time_end=target.time_end,
                )  # fmt: skip
                sources["period"] = f"the earlier figure {target.text!r}"
            target_places = (*target.places, *target.inherited.get("places", ()))
            if target_places and not own_places:
                inherited["places"] = list(target_places)
                sources["places"] = f"the earlier figure {target.text!r}"
            if who:
                inherited["attributed_to"] = who
                sources["attributed_to"] = "this sentence"

    # "nine of them", "Of the wounded, 9": a part of the figure before it; and a breakdown
    # after a colon, "killed 6 residents: 3 in Selydove and 3 in Kurakhove".
    is_part, marker_role = part_marker(sentence, s, e)
    if not is_part and not claim.unit and ":" in sentence[:s]:
        colon = lo + sentence.rindex(":", 0, s)
        is_part = any(
            c.sentence_start == claim.sentence_start and c.end <= colon and c.unit
            for c in previous[-8:]
        )
    if is_part and "refers_to" not in inherited:
        whole = _antecedent(claim, previous, marker_role)
        if whole is not None:
            inherited["part_of"] = [whole.start, whole.end]
            sources["part_of"] = f"the figure {whole.text!r} before it"
            noun = _NOUN_AFTER.match(sentence[e : e + 40])
            if (
                noun
                and _singular(noun.group(1)) in NOUN_FAMILY
                and noun_family(_singular(noun.group(1))) != noun_family(claim.unit)
            ):
                inherited["unit"] = _singular(noun.group(1))
                inherited["subject"] = noun.group(1)
                sources["unit"] = "the noun after 'of them'"
            elif not claim.unit and whole.unit:
                inherited["unit"], inherited["subject"] = whole.unit, whole.subject
                sources["unit"] = f"the figure {whole.text!r} before it"
            # "Of the wounded, 9": the marker names the role; "nine of them" takes the
            # sentence's or the whole's.
            role = marker_role or role or whole.role
            if not (claim.time_start or claim.time_end) and (whole.time_start or whole.time_end):
                inherited.update(
                    time_text=whole.time_text, time_start=whole.time_start,
                    time_end=whole.time_end,
                )  # fmt: skip
                sources["period"] = f"the figure {whole.text!r} before it"
            elif (whole.time_start or whole.time_end) and not _within(claim, whole):
                # A part counts members of its whole, so it was counted when the whole was;
                # a time of its own reaching outside that ("Of them, 33 had been held since
                # 2022") tells about the members, not about when they were counted.
                inherited.update(
                    time_text=whole.time_text, time_start=whole.time_start,
                    time_end=whole.time_end,
                )  # fmt: skip
                sources["period"] = (
                    f"the figure {whole.text!r} before it ({claim.time_text!r} is about its "
                    "members, not when they were counted)"
                )
            # Where and by whom they were counted, when the part's sentence names neither.
            whole_places = (*whole.places, *whole.inherited.get("places", ()))
            whole_actors = (*whole.actors, *whole.inherited.get("actors", ()))
            if not (claim.places or claim.actors or "places" in inherited) and (
                whole_places or whole_actors
            ):
                if whole_places:
                    inherited["places"] = list(dict.fromkeys(whole_places))
                if whole_actors:
                    inherited["actors"] = list(dict.fromkeys(whole_actors))
                sources["places"] = f"the figure {whole.text!r} before it"

    # "The number of people wounded has risen to 31", "the death toll rose to 15".
    if not claim.unit and "unit" not in inherited:
        counted = _COUNTED.search(sentence[:s])
        if counted:
            noun = _singular(counted.group("noun") or "person")
            if noun in NOUN_FAMILY:
                inherited["unit"], inherited["subject"] = noun, counted.group("noun") or "people"
                sources["unit"] = f"the words {counted.group().strip()!r}"
                if counted.group("toll"):
                    role = role or "killed"

    # "The population fell from 17,000 to 3,000": a count of residents.
    if role == "population" and not claim.unit and "unit" not in inherited:
        inherited["unit"], inherited["subject"] = "resident", "population"
        sources["unit"] = "the word 'population'"

    # The speaker of the claim's own clause, when the sentence has two.
    speaker = _clause_speaker(sentence, s)
    if speaker and speaker != claim.attributed_to and "attributed_to" not in inherited:
        inherited["attributed_to"] = speaker
        sources["attributed_to"] = "the clause's own reporting verb"

    # Place and actors from the paragraph, the headline, the dateline; a street names no town.
    named = (*claim.places, *inherited.get("places", ()))
    streets = bool(named) and all(p.split()[-1] in _STREETS for p in named)
    if (not named or streets) and not _ELSEWHERE.match(sentence):
        found: list[str] = list(inherited.get("places", ()))
        for origin, places, actors in _place_sources(earlier, document):
            if places:
                found.extend(p for p in places if p not in found and p not in claim.places)
                if actors and not claim.actors and "actors" not in inherited:
                    inherited["actors"] = list(actors)
                sources.setdefault("places", origin)
                if not all(p.split()[-1] in _STREETS for p in found):
                    break  # a street alone names no town: look further for one
        if found:
            inherited["places"] = found
    # "on Friday": the last Friday on or before the publication date.
    if not (claim.time_start or claim.time_end) and "period" not in sources:
        # "nine soldiers died in Sunday's missile strike": the sentence's own weekday too
        weekday = weekday_period(claim.time_text or "", published) or (
            None if claim.time_text else weekday_period(sentence, published)
        )
        if weekday is not None:
            inherited.update(time_text=weekday[0], time_start=weekday[1], time_end=weekday[2])
            sources["period"] = "the weekday, counted back from the publication date"
    # The period from the paragraph or the dateline.
    measured = (inherited.get("unit") or claim.unit or "") in _MEASURES
    undated = not (claim.time_start or claim.time_end or claim.time_text)
    if undated and "period" not in sources and not measured:
        for origin, when in _time_sources(earlier, document):
            inherited.update(time_text=when[0], time_start=when[1], time_end=when[2])
            sources["period"] = origin
            break
    if inherited:
        inherited["from"] = sources
    # The fields read at once and passed in order: half the cost of dataclasses.replace, and
    # every quantitative claim is copied here.
    return ExtractedClaim(*_ALL_BUT_FACTS(claim), role, phase, inherited)


_FIELDS = [f.name for f in fields(ExtractedClaim)]
assert _FIELDS[-3:] == ["role", "phase", "inherited"]
_ALL_BUT_FACTS = operator.attrgetter(*_FIELDS[:-3])


_OTHER_CLAUSE = re.compile(r";|,?\s+(?:while|whereas)\s+")


def _clause_places(sentence: str, start: int, end: int, places: tuple[str, ...]) -> tuple[str, ...]:
    """The places named in the clause of the figure at ``sentence[start:end]``."""
    lo, hi = 0, len(sentence)
    for match in _OTHER_CLAUSE.finditer(sentence):
        if match.end() <= start:
            lo = match.end()
        elif match.start() >= end:
            hi = match.start()
            break
    clause = sentence[lo:hi]
    return tuple(p for p in places if p in clause)


def _past_the_dateline(
    text: str, published: dt.date | None, claim: ExtractedClaim, dateline_end: int
) -> ExtractedClaim:
    """The date of a dateline is when the report was filed: "KRYVYI RIH, April 5 - The death
    toll from Friday's strike has risen to 18" counts Friday's dead. A weekday in the
    sentence itself governs the claim instead."""
    when = claim.time_text
    if not when or text.find(when, claim.sentence_start, dateline_end) < 0:
        return claim
    # Near the dateline only: a sentence may run for a megabyte.
    end = min(claim.sentence_end, dateline_end + 400)
    if text.find(when, dateline_end, end) >= 0:
        return claim  # written again after the dateline: the sentence's own
    weekday = weekday_period(text[dateline_end:end], published)
    if weekday is None:
        # "DOBROPILLIA, June 11 (Wire) - Nearly 150 children have left ... over the past seven
        # days": the sentence's own time after the dateline governs, not the filing date.
        own = [t for t in find_times(text[dateline_end:end], published) if t.time_end]
        if own and not own[0].statement:
            t = own[0]
            return replace(claim, time_text=t.text, time_start=t.time_start, time_end=t.time_end)
        return claim
    return replace(claim, time_text=weekday[0], time_start=weekday[1], time_end=weekday[2])


def _antecedent(
    claim: ExtractedClaim, previous: Sequence[ExtractedClaim], role: str | None
) -> ExtractedClaim | None:
    for other in reversed(previous):
        if other.start >= claim.start or other.inherited.get("part_of"):
            continue
        if role is None or other.role == role:
            return other
    return None


def _place_sources(
    earlier: _Earlier, document: _Document
) -> Iterable[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    for info in earlier.nearest_first():
        yield "an earlier sentence of the paragraph", info.places, info.actors
    if document.headline:
        yield "the headline", document.headline[0], ()
    if document.dateline:
        yield "the dateline", document.dateline[0], ()
    if document.issuer:
        yield "the administration or governor the text is from", document.issuer, ()


def _time_sources(
    earlier: _Earlier, document: _Document
) -> Iterable[tuple[str, tuple[str, str | None, str | None]]]:
    for info in earlier.nearest_first():
        if info.time:
            yield "an earlier sentence of the paragraph", info.time
    if document.dateline and document.dateline[1]:
        yield "the dateline", document.dateline[1]


@lru_cache(maxsize=8)
def _reporting_verbs(sentence: str) -> tuple[list[int], list[int]]:
    """(where each reporting verb's word starts, where its match starts), in order: one
    search per sentence, which its figures ask about in turn."""
    words: list[int] = []
    starts: list[int] = []
    if REPORTING_WORDS.isdisjoint(_LETTERS.findall(sentence.lower())):
        return words, starts  # no reporting verb in the sentence
    for match in REPORTING_VERB.finditer(sentence):
        words.append(match.start(1))
        starts.append(match.start())
    return words, starts


def _clause_speaker(sentence: str, claim_start: int) -> str | None:
    words, starts = _reporting_verbs(sentence)
    last = bisect_left(words, claim_start) - 1  # the last verb before the claim
    if last < 0:
        return None
    head = sentence[: starts[last]]
    breaks = list(_CLAUSE_START.finditer(head))
    if len(breaks) < 2 and not any(m.group().strip() for m in breaks):
        return None  # one clause: the extractor's attribution already holds
    subject = head[breaks[-1].end() :].strip(" ,")
    words = subject.split()
    if not words or len(words) > 8 or not (words[0][0].isupper() or words[0] == "the"):
        return None
    return subject


def _singular(noun: str) -> str:
    noun = noun.lower()
    if noun == "children":
        return "child"
    if noun.endswith("men"):
        return noun[:-3] + "man"
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
