"""How two claims bear on each other: same, consistent, part of, or contradicting.

Pure logic over ``ClaimFacts`` values (no Django). The storage layer builds the facts from its
rows; ``relate(a, b)`` returns a ``Relation`` from ``a``'s point of view, or None when the two
claims are about different things.

Quantities are intervals (see ``interval_for``): exact [v, v]; approximate [v(1-t), v(1+t)] with
the tolerance t = 10 %; more_than (v, inf); at_least [v, inf); less_than [0, v); at_most [0, v];
range [lo, hi]. Time ranges are periods with an open start for "as of X" (the extractor leaves
time_start empty) and, for an undated claim, "as of the document's publication date".

Two quantitative claims are compared only when they count the same thing: the same unit (or a
unit and a narrower unit of the same family: children are part of people) and at least one
shared place or actor (names reduced to significant words, so "Luhansk Oblast" meets "Luhansk
and Donetsk"; country names of the conflict alone are too common to identify an event). Then:

* periods disjoint: unrelated (a different event);
* value intervals overlap: ``same`` when the intervals are identical, else ``consistent``;
* intervals disjoint, counts (people, objects, money):
  - equal periods: ``contradicts``;
  - one period strictly inside the other: the narrower count must not exceed the wider one, so
    a larger narrower count ``contradicts``; a smaller one is ``part_of`` the wider (or, when
    both periods start together, an earlier point of the same running total: ``consistent``);
  - periods overlapping only partly: unrelated (two windows, neither bounds the other);
* intervals disjoint, measures (kilometres, percent, durations) with overlapping periods:
  ``contradicts``.
A count in a narrower unit (child) against a wider unit (Ukrainian) can only be ``part_of``.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import date

from .lexicon import words

APPROXIMATE_TOLERANCE = 0.1
INF = math.inf

SAME = "same"
CONSISTENT = "consistent"
PART_OF = "part_of"
CONTAINS = "contains"  # the inverse of part_of; stored as "consistent" from the whole's side
CONTRADICTS = "contradicts"
INVERSE = {SAME: SAME, CONSISTENT: CONSISTENT, PART_OF: CONTAINS, CONTAINS: PART_OF}
INVERSE[CONTRADICTS] = CONTRADICTS

# Units whose figures do not add up over time: a contradiction needs no nested periods.
MEASURE_UNITS = frozenset(
    words(
        "kilometer meter mile centimeter percent percentage degree hour minute second day week "
        "month year kilogram ton tonne hectare acre liter"
    )
)
# Families of counted units: the generic member counts everyone, the others are subsets.
UNIT_FAMILIES: dict[str, tuple[str, frozenset[str]]] = {
    "person": (
        "person",
        frozenset(
            words(
                "person people individual civilian resident citizen inhabitant ukrainian russian "
                "national"
            )
        ),
    ),
}
_NARROWER_UNITS = {
    "person": frozenset(
        words(
            "child minor teenager teen orphan adult woman man girl boy student pupil deportee "
            "evacuee refugee prisoner pow detainee soldier serviceman volunteer family"
        )
    ),
}
# Words that name no particular event: grammar, administrative nouns, months, and the two
# countries of the conflict (nearly every claim mentions them).
_STOPWORDS = frozenset(
    words(
        "the and of for from with near into over under in on at to by a an its their this that "
        "oblast oblasts region regions raion district city town village province republic "
        "federation state government ministry agency foundation media sources source officials "
        "official authorities authority occupied occupation controlled based russia russian "
        "russians ukraine ukrainian ukrainians kremlin january february march april may june july "
        "august september october november december"
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
    # Derived once here: relate() runs millions of times on the same facts.
    tokens: frozenset[str] = field(init=False, repr=False, compare=False)
    interval: Interval | None = field(init=False, repr=False, compare=False)
    period: Period = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tokens", _entity_tokens(self))
        interval = interval_for(self.qualifier, self.value, self.lower, self.upper)
        object.__setattr__(self, "interval", interval)
        object.__setattr__(self, "period", _period(self))

    def text_fingerprint(self) -> str:
        return self.fingerprint or fingerprint(self.statement)


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
    if facts.time_start is None and facts.time_end is None:
        return Period(None, facts.published)
    return Period(facts.time_start, facts.time_end)


def unit_family(unit: str) -> tuple[str, bool]:
    """(family, narrower) for a normalised unit: ("person", True) for "child"."""
    for family, (_, members) in UNIT_FAMILIES.items():
        if unit in members:
            return family, False
        if unit in _NARROWER_UNITS.get(family, ()):
            return family, True
    return unit, False


def family_units(unit: str) -> frozenset[str]:
    """Every unit that ``relate`` may compare with ``unit`` (its family, or itself alone)."""
    family, _ = unit_family(unit)
    if family not in UNIT_FAMILIES:
        return frozenset({unit})
    return UNIT_FAMILIES[family][1] | _NARROWER_UNITS.get(family, frozenset())


def entity_tokens(facts: ClaimFacts) -> frozenset[str]:
    """Significant lower-case words of the claim's places and actors."""
    return facts.tokens


def _entity_tokens(facts: ClaimFacts) -> frozenset[str]:
    unit_words = {facts.unit, f"{facts.unit}s"} | set(_words(facts.subject))
    tokens = set()
    for name in (*facts.places, *facts.actors):
        for word in _words(name):
            if len(word) >= 3 and word not in _STOPWORDS and word not in unit_words:
                tokens.add(word)
    return frozenset(tokens)


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
            and fingerprint(a.statement) == fingerprint(b.statement)
        ):
            return Relation(SAME, "the same sentence appears in both")
        return None
    ia, ib = a.interval, b.interval
    if ia is None or ib is None or not a.unit or not b.unit:
        return None
    if not _same_event(a, b):
        return None
    pa, pb = a.period, b.period
    if not pa.overlaps(pb):
        return None
    fa, narrow_a = unit_family(a.unit)
    fb, narrow_b = unit_family(b.unit)
    if a.unit != b.unit:
        if fa != fb or narrow_a == narrow_b:
            return None
        # Only the narrower unit can be a part of the wider one; never a contradiction, since
        # the wider count may cover other people than the narrower one.
        part, whole = (a, b) if narrow_a else (b, a)
        ip, iw = (ia, ib) if narrow_a else (ib, ia)
        if not period_for(part).within(period_for(whole)) or ip.lower > iw.upper:
            return None
        return Relation(PART_OF if narrow_a else CONTAINS, _part_text(part, whole))
    what = f"{_say(a, ia, pa)} and {_say(b, ib, pb)}"
    if ia.overlaps(ib):
        if ia == ib:
            return Relation(SAME, f"both say {ia.describe()} {a.unit} ({pa.describe()})")
        return Relation(CONSISTENT, f"{what} overlap")
    if a.unit in MEASURE_UNITS:
        return Relation(CONTRADICTS, f"{what} cannot both hold for the same period")
    if pa == pb:
        return Relation(CONTRADICTS, f"{what} disagree for the same period")
    if pa.within(pb) or pb.within(pa):
        narrow, wide = (a, b) if pa.within(pb) else (b, a)
        i_narrow, i_wide = (ia, ib) if narrow is a else (ib, ia)
        if i_wide.below(i_narrow):
            return Relation(
                CONTRADICTS,
                f"{_say(narrow, i_narrow, period_for(narrow))} exceeds "
                f"{_say(wide, i_wide, period_for(wide))}, a count over a longer period",
            )
        if period_for(narrow).start == period_for(wide).start:
            return Relation(
                CONSISTENT, f"{what} are points of one running total since {pa.start or 'then'}"
            )
        kind = PART_OF if narrow is a else CONTAINS
        return Relation(kind, _part_text(narrow, wide))
    return None


def _part_text(part: ClaimFacts, whole: ClaimFacts) -> str:
    ip, iw = part.interval, whole.interval
    assert ip is not None and iw is not None
    return f"{_say(part, ip, period_for(part))} is part of {_say(whole, iw, period_for(whole))}"


def _say(facts: ClaimFacts, interval: Interval, period: Period) -> str:
    source = f" (claim {facts.id}, {facts.source_name})" if facts.source_name else ""
    return f"{interval.describe()} {facts.unit} {period.describe()}{source}"


def _same_event(a: ClaimFacts, b: ClaimFacts) -> bool:
    ta, tb = a.tokens, b.tokens
    if ta and tb:
        return bool(ta & tb)
    if ta or tb or a.places or a.actors or b.places or b.actors:
        return False
    # Neither names a place or actor: only the same counted phrase can tie them together.
    return bool(a.subject) and a.subject.lower() == b.subject.lower()


def _words(text: str) -> list[str]:
    return [w.replace("’", "'").split("'")[0] for w in _WORD.findall(text.lower())]


def _number(x: float) -> str:
    if x == INF:
        return "infinity"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}"
