"""How two claims bear on each other: same, consistent, part of, contradicting, or a revision.

Pure logic over ``ClaimFacts`` values (no Django). The storage layer builds the facts from its
rows; ``relate(a, b)`` returns a ``Relation`` from ``a``'s point of view, or None when the two
claims are about different things.

Quantities are intervals (see ``interval_for``): exact [v, v]; approximate [v(1-t), v(1+t)] with
the tolerance t = 10 %; more_than (v, inf); at_least [v, inf); less_than [0, v); at_most [0, v];
range [lo, hi]. Time ranges are periods with an open start for "as of X" (the extractor leaves
time_start empty) and, for an undated claim, "as of the document's publication date".

A group is one fact. Two quantitative claims are compared only when their fact keys are
compatible (verifier.facts):

* the counted nouns are of one family ("civilians", "residents", "people"; "soldiers",
  "servicemen"), or one family is narrower than the other (children are persons: then only
  ``part_of`` is possible, never a contradiction);
* the role is the same ("killed" never meets "wounded"; "deported" never meets "returned"),
  and so is the phase (the "before" figure of a change meets only other "before" figures);
* the places agree when both name one (different towns never relate), else they share a
  significant place or actor word; names the document gives (dateline, headline, earlier
  sentences) count as the claim's, recorded as inherited;
* the periods overlap.

Within one document only what the text says relates: an explicit part ("42 of them", "Of the
wounded, 9") is ``part_of`` its whole, and rival figures the text attributes to different
speakers ("Russian officials claimed 12 ... Ukrainian officials said 4") contradict.

Then, for compatible claims:
* value intervals overlap: ``same`` when identical, else ``consistent`` (for one running total,
  "over 1,200 since 2022" and later "more than 1,400 since 2022", the explanation says so);
* intervals disjoint, counts: one place inside the other (Kramatorsk, Donetsk Oblast vs Donetsk
  Oblast) or one period inside the other: the narrower count may not exceed the wider one, so a
  larger narrower count ``contradicts``, a smaller one is ``part_of``; a running total that fell
  later ``contradicts``, or is a ``revision`` when the same source lowered its own figure;
  equal places and periods ``contradict``; periods overlapping only partly are unrelated;
* intervals disjoint, measures (kilometres, percent) with overlapping periods: ``contradicts``.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field, replace
from datetime import date

from .facts import NARROWER, NOUN_FAMILY, noun_family
from .lexicon import words
from .units import singular

APPROXIMATE_TOLERANCE = 0.1
INF = math.inf

SAME = "same"
CONSISTENT = "consistent"
PART_OF = "part_of"
CONTAINS = "contains"  # the inverse of part_of; stored as "consistent" from the whole's side
CONTRADICTS = "contradicts"
REVISION = "revision"  # a source lowered its own running total: for a person to review
INVERSE = {SAME: SAME, CONSISTENT: CONSISTENT, PART_OF: CONTAINS, CONTAINS: PART_OF}
INVERSE[CONTRADICTS] = CONTRADICTS
INVERSE[REVISION] = REVISION

# Units whose figures do not add up over time: a contradiction needs no nested periods.
MEASURE_UNITS = frozenset(
    words(
        "kilometer meter mile centimeter percent percentage degree hour minute second day week "
        "month year kilogram ton tonne hectare acre liter"
    )
)
# Words that name no particular event: grammar, administrative nouns, months, and the two
# countries of the conflict (nearly every claim mentions them).
_STOPWORDS = frozenset(
    words(
        "the and of for from with near into over under in on at to by a an its their this that "
        "oblast oblasts region regions raion district city town village province republic "
        "federation state government ministry agency foundation media sources source officials "
        "official authorities authority occupied occupation controlled based russia russian "
        "russians ukraine ukrainian ukrainians kremlin january february march april may june july "
        "august september october november december monday tuesday wednesday thursday friday "
        "saturday sunday today yesterday overnight "
        # News agencies of datelines ("KYIV (Reuters) -") name no event.
        "reuters afp ap interfax tass ukrinform "
        # Generic words of actors: "Russian forces" in Orikhiv and in Siversk are no link.
        "forces force troops army military defense defence defenses defences air officials "
        "governor administration council service services emergency staff general mission "
        "monitoring regional local national ministry's daily post news"
    )
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_MARKER = re.compile(r"\[\s*\d{1,4}(?:\s*[,;–—-]\s*\d{1,4})*\s*\]")
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """What the verification engine knows about one claim, built by the caller.

    ``source_grade`` is the Admiralty reliability A-F, ``credibility`` the best (lowest)
    Admiralty information credibility 1-6 of its supporting evidence. ``status`` and
    ``confidence`` are the human review state; the engine reads them and never sets them.
    """

    id: int
    kind: str = "quantitative"
    value: float | None = None
    lower: float | None = None
    upper: float | None = None
    qualifier: str | None = None
    unit: str = ""
    subject: str = ""
    time_start: date | None = None
    time_end: date | None = None
    published: date | None = None
    places: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    statement: str = ""
    source_id: int | None = None
    source_name: str = ""
    source_grade: str = "F"
    source_domains: tuple[str, ...] = ()
    credibility: int = 6
    attributed_to: str = ""
    hedges: tuple[str, ...] = ()
    document_id: int | None = None
    document_url: str = ""
    cited_urls: tuple[str, ...] = ()
    cited_source_ids: tuple[int, ...] = ()
    status: str = "unreviewed"
    confidence: str = ""
    fingerprint: str = field(default="", compare=False)
    # Fact keys (verifier.facts) and the claim's place in its document: ``span`` is its
    # [start, end) in the document text, ``whole`` the span of the figure it is an explicit part
    # of, ``refers_to`` the span of the earlier figure it points back to. ``inherited`` names
    # the fields taken from the document rather than the sentence (for explanations).
    role: str | None = None
    phase: str | None = None
    span: tuple[int, int] | None = None
    whole: tuple[int, int] | None = None
    refers_to: tuple[int, int] | None = None
    inherited: tuple[str, ...] = ()
    # (from, to) of a change ("fell from 17,000 to 3,000"; phase "change"): compared by its
    # "from" end with "before" figures and by its "to" end with current ones.
    change: tuple[float, float] | None = None
    # Derived once here: relate() runs millions of times on the same facts.
    tokens: frozenset[str] = field(init=False, repr=False, compare=False)
    own_tokens: frozenset[str] = field(init=False, repr=False, compare=False)  # no speaker's
    place_tokens: frozenset[str] = field(init=False, repr=False, compare=False)
    interval: Interval | None = field(init=False, repr=False, compare=False)
    period: Period = field(init=False, repr=False, compare=False)
    statement_print: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tokens", _entity_tokens(self))
        # The speaker tells of the fact and is no part of it: "Kyiv said 84 soldiers came home"
        # and "the Headquarters said 84 soldiers returned" may tell of one return.
        speaker = self.attributed_to.lower()
        actors = tuple(a for a in self.actors if not speaker or a.lower() not in speaker)
        own = _entity_tokens(self, (*self.places, *actors)) if speaker else self.tokens
        object.__setattr__(self, "own_tokens", own)
        object.__setattr__(self, "place_tokens", _entity_tokens(self, self.places))
        interval = interval_for(self.qualifier, self.value, self.lower, self.upper)
        object.__setattr__(self, "interval", interval)
        object.__setattr__(self, "period", _period(self))
        object.__setattr__(self, "statement_print", self.fingerprint or fingerprint(self.statement))

    def text_fingerprint(self) -> str:
        return self.statement_print


@dataclass(frozen=True, slots=True)
class Interval:
    """A set of numbers with closed or open ends; infinite ends are always open."""

    lower: float
    upper: float
    lower_open: bool = False
    upper_open: bool = False

    def overlaps(self, other: Interval) -> bool:
        low = max(self.lower, other.lower)
        high = min(self.upper, other.upper)
        if low < high:
            return True
        if low > high:
            return False
        # Touching ends: they meet only when neither end at that point is open.
        low_open = (self.lower == low and self.lower_open) or (
            other.lower == low and other.lower_open
        )
        high_open = (self.upper == high and self.upper_open) or (
            other.upper == high and other.upper_open
        )
        return not low_open and not high_open

    def below(self, other: Interval) -> bool:
        """Every number of self is smaller than every number of other."""
        return not self.overlaps(other) and self.upper <= other.lower

    def describe(self) -> str:
        if self.lower == self.upper:
            return _number(self.lower)
        if self.upper == INF:
            return f"{'more than' if self.lower_open else 'at least'} {_number(self.lower)}"
        if self.lower <= 0 and not self.lower_open:
            return f"{'less than' if self.upper_open else 'at most'} {_number(self.upper)}"
        return f"{_number(self.lower)} to {_number(self.upper)}"


@dataclass(frozen=True, slots=True)
class Period:
    """A time range; None is an open end (no start: "as of"; no end: still running)."""

    start: date | None
    end: date | None

    def _start(self) -> date:
        return self.start or date.min

    def _end(self) -> date:
        return self.end or date.max

    def overlaps(self, other: Period) -> bool:
        return self._start() <= other._end() and other._start() <= self._end()

    def within(self, other: Period) -> bool:
        return other._start() <= self._start() and self._end() <= other._end()

    def describe(self) -> str:
        if self.start is None and self.end is None:
            return "at an unknown time"
        if self.start is None:
            return f"as of {self.end}"
        if self.start == self.end:
            return f"on {self.start}"
        return f"{self.start} to {self.end or 'now'}"


@dataclass(frozen=True, slots=True)
class Relation:
    """How claim ``a`` relates to claim ``b`` in ``relate(a, b)``, and why, in words."""

    kind: str
    explanation: str


def interval_for(
    qualifier: str | None,
    value: float | None,
    lower: float | None = None,
    upper: float | None = None,
    *,
    tolerance: float = APPROXIMATE_TOLERANCE,
) -> Interval | None:
    """The numbers a qualified quantity allows, or None when it carries no number."""
    v = next((x for x in (value, lower, upper) if x is not None), None)
    if v is None:
        return None
    if qualifier == "approximate":
        a, b = v * (1 - tolerance), v * (1 + tolerance)
        return Interval(min(a, b), max(a, b))
    if qualifier == "more_than":
        return Interval(lower if lower is not None else v, INF, lower_open=True, upper_open=True)
    if qualifier == "at_least":
        return Interval(lower if lower is not None else v, INF, upper_open=True)
    if qualifier == "less_than":
        return Interval(0.0, upper if upper is not None else v, upper_open=True)
    if qualifier == "at_most":
        return Interval(0.0, upper if upper is not None else v)
    if qualifier == "range" and lower is not None and upper is not None:
        return Interval(min(lower, upper), max(lower, upper))
    return Interval(v, v)


def period_for(facts: ClaimFacts) -> Period:
    """The claim's time range; an undated claim holds as of its publication date."""
    return facts.period


def _period(facts: ClaimFacts) -> Period:
    if facts.phase == "update":
        # "has risen to 31" counts everyone so far, from the event on: as of its date.
        return Period(None, facts.time_end or facts.published)
    if facts.time_start is None and facts.time_end is None:
        return Period(None, facts.published)
    return Period(facts.time_start, facts.time_end)


def unit_family(unit: str) -> tuple[str, bool]:
    """(family, narrower) for a normalised unit: ("person", True) for "child"."""
    family = noun_family(unit)
    if family in NARROWER:
        return NARROWER[family], True
    return family, False


_DWELLING = re.compile(r"\bresidential\b", re.IGNORECASE)
_EDUCATIONAL = re.compile(r"\b(?:educational|education|school)\b", re.IGNORECASE)
_EXPLOSIVE = re.compile(r"\b(?:explosive|unexploded|ordnance)\b", re.IGNORECASE)


def claim_family(facts: ClaimFacts) -> tuple[str, bool]:
    """unit_family of the claim's unit, read with its counted phrase: "1,214 residential
    buildings" are homes, as "more than 1,400 homes" are; "three high-rise buildings" stay
    buildings."""
    family = unit_family(facts.unit)
    if family[0] == "building" and _DWELLING.search(facts.subject):
        return "home", False
    if family[0] in ("institution", "facility") and _EDUCATIONAL.search(facts.subject):
        return "school", False  # "3,910 educational institutions" and "3,900 schools"
    if _EXPLOSIVE.search(facts.subject):
        return "explosive", False  # "610,000 explosive items", "600,000 explosive objects"
    return family


def family_units(unit: str) -> frozenset[str]:
    """Every unit that ``relate`` may compare with ``unit`` (its family and narrower ones)."""
    family, _ = unit_family(unit)
    members = {u for u, f in NOUN_FAMILY.items() if f == family or NARROWER.get(f) == family}
    return frozenset(members | {unit})


def entity_tokens(facts: ClaimFacts) -> frozenset[str]:
    """Significant lower-case words of the claim's places and actors."""
    return facts.tokens


def _entity_tokens(facts: ClaimFacts, names: tuple[str, ...] | None = None) -> frozenset[str]:
    # The counted phrase's words are no names ("Shahed drones"), except a place's own name
    # inside it ("40,000 Ternopil homes" are in Ternopil).
    place_words = {w for place in facts.places for w in _words(place)}
    unit_words = {facts.unit, f"{facts.unit}s"} | (set(_words(facts.subject)) - place_words)
    tokens = set()
    for name in (*facts.places, *facts.actors) if names is None else names:
        found = _words(name)
        # "Poltava Oblast" is not the city of Poltava: a region's words are its own tokens.
        region = "~region" if found and found[-1] in _REGION_WORDS else ""
        for word in found:
            if len(word) >= 3 and word not in _STOPWORDS and word not in unit_words:
                tokens.add(word + region)
    return frozenset(tokens)


def _region_and_city(pa: frozenset[str], pb: frozenset[str]) -> str | None:
    """ "Zhytomyr region" and the city of Zhytomyr: the city is the narrower place. Not when the
    region's claim names a town of its own ("Kremenchuk, Poltava Oblast" is not Poltava)."""
    cities_a = {t for t in pa if not t.endswith("~region")}
    cities_b = {t for t in pb if not t.endswith("~region")}
    regions_a = {t.removesuffix("~region") for t in pa - cities_a}
    regions_b = {t.removesuffix("~region") for t in pb - cities_b}
    if not cities_a and regions_a & cities_b:
        return "b_narrower"
    if not cities_b and regions_b & cities_a:
        return "a_narrower"
    return None


_REGION_WORDS = frozenset(words("oblast oblasts region regions raion district province krai"))


def fingerprint(statement: str) -> str:
    """A hash of the sentence with case, punctuation and footnote markers removed: syndicated
    copies of one text share it."""
    text = _NON_WORD.sub(" ", _MARKER.sub(" ", statement).lower()).strip()
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16] if text else ""


def relate(a: ClaimFacts, b: ClaimFacts) -> Relation | None:
    """How ``a`` bears on ``b``; None when they are about different things.

    relate(b, a).kind is always INVERSE[relate(a, b).kind].
    """
    if a.id == b.id:
        return None
    if a.kind != "quantitative" or b.kind != "quantitative":
        if (
            a.kind == b.kind
            and a.statement
            and (a.document_id is None or a.document_id != b.document_id)
            and a.text_fingerprint() == b.text_fingerprint()
        ):
            return Relation(SAME, "the same sentence appears in both")
        return None
    ia, ib = a.interval, b.interval
    if ia is None or ib is None or not a.unit or not b.unit:
        return None
    same_document = a.document_id is not None and a.document_id == b.document_id
    if same_document:
        if a.whole is not None and a.whole == b.span:
            return Relation(PART_OF, f"{_part_text(a, b)}, as the text says")
        if b.whole is not None and b.whole == a.span:
            return Relation(CONTAINS, f"{_part_text(b, a)}, as the text says")
        if not _rivals(a, b) or (a.span is not None and a.span in (b.refers_to, b.whole)):
            return None
        if a.place_tokens != b.place_tokens:
            return None  # one text's figures for two places ("in Oleshky", "on the other bank")
        if b.span is not None and b.span in (a.refers_to, a.whole):
            return None
    # Every relation but an explicit part needs overlapping periods: the cheapest test first,
    # since most candidates under a key are other days of the same place and role.
    reported = _reported_that_day(a, b) or _reported_that_day(b, a)
    if not a.period.overlaps(b.period) and not _stock_days_apart(a, b) and not reported:
        return None
    if "change" in (a.phase, b.phase):
        return _relate_change(a, b)
    fa, narrow_a = claim_family(a)
    fb, narrow_b = claim_family(b)
    if fa != fb and {fa, fb} == {"person", "soldier"} and (_any_dead(a) or _any_dead(b)):
        fb = fa  # "909 bodies" returned and "the bodies of 909 fallen defenders"
    if fa != fb or a.role != b.role or not _phases_meet(a, b):
        return None
    sides_a, sides_b = _sides(a.subject), _sides(b.subject)
    if sides_a and sides_b and sides_a != sides_b:
        return None  # "185 Russian servicemen" and "185 Ukrainian soldiers" are two counts
    if fa == "percent" and not _shares_of_one_whole(a, b):
        return None  # "30% of homes" and "45% of schools" measure different things
    where = _where(a, b)
    if where is None:
        return None
    if where == "loose":
        loose_ok = not (narrow_a != narrow_b or sides_a != sides_b or _opposing_sides(a, b))
        if not (ia.overlaps(ib) and loose_ok):
            return None
        where = "same"
    pa, pb = a.period, b.period
    if reported:
        # "killed about 50 servicemen" in the next day's report, no date of its own, and
        # "Today ... nine servicemen were killed": one event, dated by the dated one.
        pa = pb = a.period if _reported_that_day(b, a) else b.period
    elif not pa.overlaps(pb):
        if not _stock_days_apart(a, b):
            return None
        # A head count on two nearby days: one state, not two events.
        start = min(pa.start or pa.end, pb.start or pb.end)  # type: ignore[type-var]
        pa = pb = Period(start, max(pa.end, pb.end))  # type: ignore[type-var]
    if narrow_a != narrow_b:
        if same_document:
            return None
        # Only the narrower unit can be a part of the wider one; never a contradiction, since
        # the wider count may cover other people than the narrower one.
        part, whole = (a, b) if narrow_a else (b, a)
        ip, iw = (ia, ib) if narrow_a else (ib, ia)
        one_night = _one_night(part.period, whole.period)  # "over the past day", "on Wednesday"
        if not (part.period.within(whole.period) or one_night) or ip.lower > iw.upper:
            return None
        return Relation(PART_OF if narrow_a else CONTAINS, _part_text(part, whole))
    what = f"{_say(a, ia, pa)} and {_say(b, ib, pb)}"
    if (a.whole is None) != (b.whole is None) and not ia.overlaps(ib):
        # An explicit part ("nine of them") is no rival of another report's whole.
        part, whole = (a, b) if a.whole is not None else (b, a)
        ip, iw = (ia, ib) if part is a else (ib, ia)
        if same_document or not ip.below(iw) or not part.period.within(whole.period):
            return None
        return Relation(PART_OF if part is a else CONTAINS, _part_text(part, whole))
    if not ia.overlaps(ib) and "update" in (a.phase, b.phase) and pa.overlaps(pb):
        later, earlier = (a, b) if a.phase == "update" else (b, a)
        il, ie = (ia, ib) if later is a else (ib, ia)
        if ie.below(il) and (later.published or date.min) >= (earlier.published or date.max):
            return Relation(
                CONSISTENT,
                f"{_say(later, il, later.period)} updates the earlier "
                f"{_say(earlier, ie, earlier.period)}: the toll grew",
            )
    if ia.overlaps(ib):
        if same_document:
            return None  # one fact said twice by one text: nothing to compare
        lowered = _lowered_floor(a, b)
        if lowered is not None:
            return lowered
        if pa.start is not None and pa.start == pb.start and pa.end != pb.end and _long(pa, pb):
            return Relation(CONSISTENT, f"{what} are points of one running total since {pa.start}")
        if ia == ib:
            return Relation(SAME, f"both say {ia.describe()} {_what(a)} ({pa.describe()})")
        return Relation(CONSISTENT, f"{what} overlap")
    if (
        a.role in TOLL_ROLES
        and a.published and b.published and a.published != b.published
        and where == "same" and (pa == pb or _one_night(pa, pb)) and not _opposing_sides(a, b)
    ):  # fmt: skip
        # A count of one event grows as the dead are found, the injured seek care and the
        # evacuation goes on: the later report's higher count does not contradict the first.
        later, earlier = (a, b) if a.published > b.published else (b, a)
        il, ie = (ia, ib) if later is a else (ib, ia)
        # A toll grows by the victims found since, not tenfold overnight: "One serviceman was
        # killed" and next day "at least 11" are the two sides' rival counts.
        if ie.below(il) and il.lower <= TOLL_GROWTH * ie.upper:
            return Relation(
                CONSISTENT,
                f"{_say(earlier, ie, earlier.period)} reported first and "
                f"{_say(later, il, later.period)} later: "
                + (
                    "the toll grew as victims were counted"
                    if a.role in ("killed", "wounded")
                    else "the count grew as the work went on"
                ),
            )
    speaker = _same_speaker(a, b)
    if speaker and a.published and b.published and a.published != b.published:
        # A party does not contradict itself: its later figure updates its earlier one.
        later, earlier = (a, b) if a.published > b.published else (b, a)
        il, ie = (ia, ib) if later is a else (ib, ia)
        if ie.below(il):
            return Relation(
                CONSISTENT,
                f"{speaker} gave {_say(earlier, ie, earlier.period)} and later "
                f"{_say(later, il, later.period)}: its figure grew",
            )
        return Relation(
            REVISION,
            f"{speaker} lowered its earlier {_say(earlier, ie, earlier.period)} to "
            f"{_say(later, il, later.period)}: a revision to review",
        )
    if a.unit in MEASURE_UNITS:
        return Relation(CONTRADICTS, f"{what} cannot both hold for the same period")
    if where != "same" and pa.overlaps(pb) and (pa == pb or pa.within(pb) or pb.within(pa)):
        # One place inside the other (more place names, all of the other's among them).
        narrow, wide = (a, b) if where == "a_narrower" else (b, a)
        if (
            pa == pb
            or _one_night(pa, pb)
            or (narrow.period.start is not None and period_for(narrow).within(period_for(wide)))
        ):
            return _nested(a, b, narrow, wide, what, "a place inside the other's")
        return None
    if pa == pb or _one_night(pa, pb):
        if a.role in HOURLY_ROLES:
            return None  # 41,000 homes dark at 7:00 and 6,000 by evening: both may be true
        return Relation(CONTRADICTS, f"{what} disagree for the same period")
    if (
        a.role in STOCK_ROLES and b.role == a.role and pa.start is None and pb.start is None
        and pa.end and pb.end and abs((pa.end - pb.end).days) <= STOCK_DAYS
    ):  # fmt: skip
        return Relation(CONTRADICTS, f"{what} are head counts days apart that disagree")
    if (pa.start is None) != (pb.start is None) and _long(pa, pb) and pa.end and pb.end:
        # "64,200 families since the programme began in 2023" and, a month later, "more than
        # 70,000 have now received payments": one running total, as of a later day.
        later, earlier = (a, b) if pa.end > pb.end else (b, a)
        il, ie = (ia, ib) if later is a else (ib, ia)
        if pa.end != pb.end and ie.below(il):
            return Relation(
                CONSISTENT,
                f"{_say(earlier, ie, earlier.period)} and later {_say(later, il, later.period)}: "
                "a running total that grew",
            )
    if pa.start is None or pb.start is None:
        # "As of" two dates (undated, or "so far"): an earlier figure is no part of a later
        # one, and a different figure may be another event or a toll that grew.
        return None
    if pa.within(pb) or pb.within(pa):
        narrow, wide = (a, b) if pa.within(pb) else (b, a)
        return _nested(a, b, narrow, wide, what, "a count over a longer period")
    return None


def _nested(
    a: ClaimFacts, b: ClaimFacts, narrow: ClaimFacts, wide: ClaimFacts, what: str, why: str
) -> Relation:
    i_narrow, i_wide = narrow.interval, wide.interval
    assert i_narrow is not None and i_wide is not None
    pn, pw = narrow.period, wide.period
    if i_wide.below(i_narrow):
        running = pn.start is not None and pn.start == pw.start and why.startswith("a count")
        if running and narrow.source_id is not None and narrow.source_id == wide.source_id:
            return Relation(
                REVISION,
                f"{_say(wide, i_wide, pw)} is lower than the same source's earlier "
                f"{_say(narrow, i_narrow, pn)} for one running total since {pn.start}: "
                "a revision to review",
            )
        return Relation(
            CONTRADICTS,
            f"{_say(narrow, i_narrow, pn)} exceeds {_say(wide, i_wide, pw)}, {why}",
        )
    if pn.start is not None and pn.start == pw.start and why.startswith("a count"):
        return Relation(CONSISTENT, f"{what} are points of one running total since {pn.start}")
    kind = PART_OF if narrow is a else CONTAINS
    return Relation(kind, _part_text(narrow, wide))


def _relate_change(a: ClaimFacts, b: ClaimFacts) -> Relation | None:
    """A change meets another change by both ends, a "before" figure by its "from" end and a
    current figure by its "to" end; never a contradiction of its own two ends."""
    if a.phase == b.phase == "change":
        if a.change is None or a.change != b.change or a.document_id == b.document_id:
            return None
        ends = f"{_number(a.change[0])} to {_number(a.change[1])}"
        return _relate_end(a, b, f"both say {_what(a)} changed from {ends}")
    if a.phase != "change":
        relation = _relate_change(b, a)
        return Relation(INVERSE[relation.kind], relation.explanation) if relation else None
    if a.change is None:
        return None
    end = a.change[0] if b.phase == "before" else a.change[1]
    side = "before" if b.phase == "before" else "after"
    as_end = replace(
        a, value=end, lower=end, upper=end, qualifier="exact", phase=b.phase, change=None
    )
    relation = relate(as_end, b)
    if relation is None:
        return None
    return Relation(relation.kind, f"the figure {side} the change: {relation.explanation}")


def _relate_end(a: ClaimFacts, b: ClaimFacts, text: str) -> Relation | None:
    if claim_family(a) != claim_family(b) or a.role != b.role or _where(a, b) is None:
        return None
    return Relation(SAME, text) if a.period.overlaps(b.period) else None


_FLOORS = frozenset({"at_least", "more_than"})


def _lowered_floor(a: ClaimFacts, b: ClaimFacts) -> Relation | None:
    """ "at least 631" in June and "at least 624" in July: floors overlap as intervals, but a
    reader takes each for the count so far, and a toll so far does not fall. The later, lower
    one is a revision when the same source (or speaker) gave both, else a contradiction."""
    if a.qualifier not in _FLOORS or b.qualifier not in _FLOORS:
        return None
    if not a.published or not b.published or a.published == b.published:
        return None
    later, earlier = (a, b) if a.published > b.published else (b, a)
    il, ie = later.interval, earlier.interval
    # "more than 630" and "at least 631", "more than 1,400" and "at least 1,400": one count.
    slack = 0 if later.unit in MEASURE_UNITS else 1
    if il is None or ie is None or il.lower >= ie.lower - slack:
        return None
    said = (
        f"{_say(later, il, later.period)} is lower than the earlier "
        f"{_say(earlier, ie, earlier.period)}"
    )
    same_source = later.source_id is not None and later.source_id == earlier.source_id
    if same_source or _same_speaker(a, b):
        return Relation(REVISION, f"{said} from the same source: a revision to review")
    return Relation(CONTRADICTS, f"{said}: a count so far does not fall")


def _one_night(pa: Period, pb: Period) -> bool:
    """Overlapping periods of at most two days each ("overnight" and "on Tuesday", "at night"
    and "on January 14"): reports of one strike, not a count over a longer period."""
    for p in (pa, pb):
        if p.start is None or p.end is None or (p.end - p.start).days > 1:
            return False
    return pa != pb and pa.overlaps(pb)


def _reported_that_day(undated: ClaimFacts, dated: ClaimFacts) -> bool:
    """An event figure its report gives with no time of its own ("Two people were hurt")
    next to a figure of an event of a day or a night that ended on the report's day or the
    day before: both tell of that event, as a reader of the two reports takes them."""
    if undated.time_start or undated.time_end or undated.role in STOCK_ROLES:
        return False
    p, day = dated.period, undated.published
    if p.start is None or p.end is None or day is None or (p.end - p.start).days > 1:
        return False
    return 0 <= (day - p.end).days <= 1


def _long(pa: Period, pb: Period) -> bool:
    """Whether either period spans more than a week: a running total, not one day's event
    reported "on August 29" and "over the past day"."""
    for p in (pa, pb):
        if p.start is not None and p.end is not None and (p.end - p.start).days > STOCK_DAYS:
            return True
    return False


STOCK_ROLES = frozenset({"population"})  # states that hold for a while, not events
# States that change by the hour as crews work: two different counts of one day are two
# moments, not rivals.
HOURLY_ROLES = frozenset({"without power", "without water", "without heating"})
# Counts of one event that grow for days after it, as the dead are found under rubble, the
# injured seek care and evacuation goes on: a later report's higher count agrees with the
# first one's lower count (a lower one later disagrees).
TOLL_ROLES = frozenset({"killed", "wounded", "evacuated", "rescued"})
TOLL_GROWTH = 3.0
STOCK_DAYS = 7


def _stock_days_apart(a: ClaimFacts, b: ClaimFacts) -> bool:
    """Head counts of the same place given on days at most STOCK_DAYS apart ("1,793 remain
    in Kupiansk" on August 12, "about 1,800 still live there" on the 13th) count the same
    people: a population does not change overnight the way a toll of events does."""
    if a.role not in STOCK_ROLES or a.role != b.role:
        return False
    pa, pb = a.period, b.period
    if pa.end is None or pb.end is None:
        return False
    # An undated head count holds as of its report's day.
    sa, sb = pa.start or pa.end, pb.start or pb.end
    if (pa.end - sa).days > 1 or (pb.end - sb).days > 1:
        return False
    return (max(sa, sb) - min(pa.end, pb.end)).days <= STOCK_DAYS


def _phases_meet(a: ClaimFacts, b: ClaimFacts) -> bool:
    """The "before" figure of a change meets only "before" figures; an update meets the
    figures it updates."""
    if a.phase == b.phase:
        return True
    if {a.phase, b.phase} == {"before", None} and a.role in HOURLY_ROLES:
        # "38,000 homes still dark in the evening, down from about 185,000 in the morning" and
        # the morning post's "about 185,000 households without power": the same moment.
        return True
    return {a.phase, b.phase} == {"update", None}


def _rivals(a: ClaimFacts, b: ClaimFacts) -> bool:
    """Figures one text attributes to two different speakers ("Russian officials claimed 12,
    Ukrainian officials said 4")."""
    sa, sb = _norm_speaker(a.attributed_to), _norm_speaker(b.attributed_to)
    return bool(sa and sb and sa != sb)


_SIDE_WORDS = {
    "russian": "russia", "russia": "russia", "ukrainian": "ukraine", "ukraine": "ukraine",
    "belarusian": "belarus", "belarus": "belarus", "north korean": "north korea",
}  # fmt: skip
_SPEAKER_SPELLING = {"defense": "defence", "mod": "defence ministry", "mfa": "foreign ministry"}
_SPEAKER_FILLER = frozenset(words("the a an of its said says told claimed according to"))


def _sides(subject: str) -> frozenset[str]:
    """The countries a counted phrase names ("185 Russian servicemen": russia)."""
    return frozenset(_SIDE_WORDS[w] for w in _words(subject) if w in _SIDE_WORDS)


def _same_speaker(a: ClaimFacts, b: ClaimFacts) -> str:
    """The speaker both figures are attributed to ("the Russian Defence Ministry" and "Russia's
    Defense Ministry" are one), or "". Two figures a source publishes itself (a ministry's
    own statements, one naming the ministry and one not) are that source's."""
    ka, kb = _speaker_key(a.attributed_to), _speaker_key(b.attributed_to)
    if ka and ka == kb and len(ka) >= 2:
        return a.attributed_to
    if a.source_id is not None and a.source_id == b.source_id and a.source_name:
        source = _speaker_key(a.source_name)
        if all(not key or key <= source or source <= key for key in (ka, kb)):
            return a.source_name
    return ""


def _opposing_sides(a: ClaimFacts, b: ClaimFacts) -> bool:
    """Whether the two figures come from opposing parties ("Russian officials" and "Kyiv")."""
    sa = _sides(a.attributed_to) or _sides(a.source_name)
    sb = _sides(b.attributed_to) or _sides(b.source_name)
    return bool(sa and sb and sa != sb)


def _speaker_key(text: str) -> frozenset[str]:
    out = set()
    for word in _words(text):
        if word in _SPEAKER_FILLER:
            continue
        out.update(
            _SPEAKER_SPELLING.get(_SIDE_WORDS.get(word, word), _SIDE_WORDS.get(word, word)).split()
        )
    return frozenset(out)


def _norm_speaker(text: str) -> str:
    return " ".join(w for w in _words(text) if w not in ("the", "a", "an"))


def _where(a: ClaimFacts, b: ClaimFacts) -> str | None:
    """ "same", "a_narrower" or "b_narrower" place, or None for different places."""
    pa, pb = a.place_tokens, b.place_tokens
    if pa and pb:
        if not pa & pb:
            return _region_and_city(pa, pb)
        # More names are a narrower place only above a region ("Kramatorsk, Donetsk Oblast"
        # inside "Donetsk Oblast"); beside a town they list more towns ("from Rubizhne and
        # Kreminna" and "from Rubizhne"), which tell of one fact at one place.
        if pa > pb and all(t.endswith("~region") for t in pb):
            return "a_narrower"
        if pb > pa and all(t.endswith("~region") for t in pa):
            return "b_narrower"
        return "same"
    ta, tb = a.tokens, b.tokens
    if ta and tb and ta & tb:
        return "same"
    if (bool(pa) != bool(pb) or not (pa or pb)) and _one_event(a, b):
        # "95 prisoners returned" under a Moscow dateline and "Ukraine brought home 95
        # servicemen" naming no place, on one day: one fact if the figures agree and neither
        # side's count answers the other's; relate() never calls such a pair rivals.
        return "loose"
    if a.own_tokens or b.own_tokens:
        return None
    if (_only_countries(a) or _only_countries(b)) and not (_total(a) and _total(b)):
        # "39 children" in Ukraine and "45" in Ukraine on one day may be two events anywhere
        # in the country; nationwide counts so far ("at least 631 children killed since
        # 2022") are one running total.
        return None
    # Neither names a place or actor of its own (at most a country, or its speaker): only the
    # same counted phrase can tie them together ("children" and "Ukrainian children").
    key = subject_key(a.subject)
    return "same" if key and key == subject_key(b.subject) else None


def _one_event(a: ClaimFacts, b: ClaimFacts) -> bool:
    """Both figures tell what happened (a role) in one day or night that both periods share."""
    return bool(event_days(a)) and bool(event_days(b)) and a.period.overlaps(b.period)


def event_days(facts: ClaimFacts) -> list[date]:
    """The days of a one-day or one-night event figure (see _one_event), else none: its
    blocking keys, so that a figure naming no place meets the one that names it."""
    p = facts.period
    if facts.role is None or facts.role in STOCK_ROLES or p.start is None or p.end is None:
        return []
    if (p.end - p.start).days > 1:
        return []
    return [p.start] if p.start == p.end else [p.start, p.end]


# Counts of the dead that say nothing of which side they were on.
ANY_DEAD_UNITS = frozenset({"body", "bodies", "fatality", "dead", "casualty"})


def _any_dead(facts: ClaimFacts) -> bool:
    return facts.unit in ANY_DEAD_UNITS


def _only_countries(facts: ClaimFacts) -> bool:
    return bool(facts.places or facts.actors) and not facts.tokens


def _total(facts: ClaimFacts) -> bool:
    """A count so far: as of a date, or over more than a month."""
    period = facts.period
    if period.start is None:
        return True
    return period.end is not None and (period.end - period.start).days > 31


def subject_key(subject: str) -> str:
    """The counted phrase without its country and in the singular: "Ukrainian children" and
    "children" are "child"."""
    kept = [singular(w) for w in _words(subject) if w not in _SIDE_WORDS and w not in _STOPWORDS]
    return " ".join(kept)


def _shares_of_one_whole(a: ClaimFacts, b: ClaimFacts) -> bool:
    """Whether two percentages can be shares of one thing: both say what they are a share of
    ("% of homes", verifier.quantities) and it is the same family of noun, or one of them
    does not say."""
    wa, wb = _share_whole(a.subject), _share_whole(b.subject)
    return not wa or not wb or wa == wb


def _share_whole(subject: str) -> str:
    _, of, whole = subject.lower().partition(" of ")
    if not of:
        return ""
    nouns = whole.split()
    return noun_family(singular(nouns[-1])) if nouns else ""


def _part_text(part: ClaimFacts, whole: ClaimFacts) -> str:
    ip, iw = part.interval, whole.interval
    assert ip is not None and iw is not None
    return f"{_say(part, ip, period_for(part))} is part of {_say(whole, iw, period_for(whole))}"


def _what(facts: ClaimFacts) -> str:
    return f"{facts.unit} {facts.role}" if facts.role else facts.unit


def _say(facts: ClaimFacts, interval: Interval, period: Period) -> str:
    said = [f"claim {facts.id}"]
    if facts.source_name:
        said.append(facts.source_name)
    if facts.attributed_to:
        said.append(f"according to {facts.attributed_to}")
    return f"{interval.describe()} {_what(facts)} {period.describe()} ({', '.join(said)})"


def _words(text: str) -> list[str]:
    return [w.replace("’", "'").split("'")[0] for w in _WORD.findall(text.lower())]


def _number(x: float) -> str:
    if x == INF:
        return "infinity"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}"
