"""Time expressions governing a claim: found as written, resolved to ISO date bounds."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .lexicon import words
from .nonclaims import DAY, MONTH, YEAR
from .numbers import SMALL
from .numerals import lower_words

_MONTHS = {
    name: i
    for i, names in enumerate(
        ["", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
    for name in [names]
    if name
}
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAY_RE = re.compile(_WEEKDAY, re.I)
_PREP = (
    r"(?:on|in|during|throughout|since|by|as\s+of|as\s+at|until|till|through|from|before|after"
    r"|between|starting(?:\s+(?:on|in))?|beginning(?:\s+(?:on|in))?|at\s+the\s+(?:end|start"
    r"|beginning)\s+of|overnight(?:\s+on)?|earlier\s+in|later\s+in)"
)
_PART = (
    r"(?:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of"
    r"|end\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of|mid-"
    r"|the\s+(?:first|second|third|fourth)\s+quarter\s+of)"
)
_M = rf"(?-i:{MONTH})"
_MD = rf"{_M}\s+{DAY}(?!\d)(?:,?\s+{YEAR})?|{DAY}\s+(?:of\s+)?{_M}(?:,?\s+{YEAR})?"
_DATE = rf"(?:{_MD}|\d{{4}}-\d{{2}}-\d{{2}})"
_COUNT = rf"(?:\d+|{'|'.join(SMALL)}|few|several|couple\s+of)"
_UNIT = r"(?:hours?|days?|nights?|weeks?|months?|years?|decades?)"
_RELATIVE = (
    r"so\s+far|to\s+date|thus\s+far|as\s+yet|until\s+now|up\s+to\s+now|to\s+this\s+day"
    r"|currently|at\s+present|at\s+the\s+moment|presently|today|yesterday|tonight|recently"
    # A regional administration's morning post: "at night the enemy attacked", "this evening".
    r"|this\s+(?:morning|afternoon|evening)|at\s+night|overnight(?!\s+(?:on|into|to|of)\b)"
    r"|(?:earlier\s+|later\s+)?this\s+(?:week|month|year)|last\s+(?:week|month|year|night)"
    # "since it opened last August": the most recent August before the publication's month
    r"|(?:since\s+)?last\s+(?-i:January|February|March|April|May|June|July|August|September"
    r"|October|November|December)"
    rf"|(?:in|over|during|within|for)\s+the\s+(?:last|past|previous|preceding)\s+(?:{_COUNT}\s+)?{_UNIT}"
    r"|in\s+recent\s+(?:days|weeks|months|years)"
    rf"|(?:{_COUNT}|a)\s+{_UNIT}\s+(?:ago|earlier)"
    # The full-scale invasion's start (24 February 2022), in the words outlets use for it:
    # "since the full-scale war began", "since the start of Russia's full-scale invasion".
    r"|since\s+(?:the\s+(?:start|beginning|outbreak|onset)\s+of\s+)?(?:the\s+|Russia['’]s\s+)"
    r"full[\s-]scale\s+(?:Russian\s+)?(?:invasion|war|aggression)(?:\s+(?:of|against)\s+Ukraine)?"
    r"(?:\s+(?:began|started|broke\s+out))?"
    # "... invasion in February 2022", "... on 24 February 2022": one phrase, one start
    r"(?:\s+(?:in|on|of)\s+(?:February\s+(?:24,?\s+)?2022|24\s+February,?\s+2022))?"
)
TIME = re.compile(
    rf"\b(?:(?P<rel>{_RELATIVE})"
    # "between 5 and 8 August 2024", "from 5 to 8 August", "5-8 August": the month once
    rf"|(?:(?P<p4>between|from)\s+(?P<dr1>{DAY})\s+(?:and|to|until|through|-|–)\s+"
    rf"|(?P<dr1b>{DAY})\s*[-–—]\s*)(?P<dr2>{DAY}\s+(?:of\s+)?{_M}(?:,?\s+{YEAR})?)"
    rf"|(?:(?P<p1>{_PREP})\s+)?(?:the\s+night\s+of\s+)?(?:{_WEEKDAY},?\s+)?(?P<d1>{_DATE})"
    rf"(?:\s*(?:-|–|to|and|through|until)\s*(?P<d2>{_DATE}|{DAY}(?!\d)(?:,?\s+{YEAR})?))?"
    rf"|(?P<p2>{_PREP})\s+(?:(?P<part>{_PART})\s*)?(?P<m1>{_M})(?:,?\s+(?P<y1>{YEAR}))?"
    rf"(?:\s*(?:-|–|to|and|through|until)\s*(?P<m2>{_M})(?:,?\s+(?P<y2>{YEAR}))?)?"
    rf"|(?P<p3>{_PREP})\s+(?:(?P<ypart>{_PART})\s*)?(?P<yr>{YEAR})(?!\d)"
    rf"(?:\s*(?:-|–|to|and)\s*(?P<yr2>{YEAR}|\d\d)(?!\d))?"
    rf"|on\s+{_WEEKDAY})\b",
    re.I,
)
_STATEMENT_VERB = re.compile(
    r"\b(?:reported|stated|claimed|said|announced|noted|wrote|posted|published|indicated|told"
    r"|added|alleged|declared|confirmed|warned|denied|accused|showed|revealed|assessed"
    r"|estimated|observed|reports|states|claims|says|announces|noted)\s+$",
    re.I,
)

Bounds = tuple[dt.date | None, dt.date | None]


@dataclass(slots=True)
class TimeExpression:
    """A time expression in a sentence; offsets are relative to the sentence."""

    start: int
    end: int
    text: str
    time_start: str | None
    time_end: str | None
    statement: bool  # the date of a statement ("reported on March 30 that ...")
    numeric: bool  # holds a count ("in the last 24 hours"): not a claim of its own


def _month(name: str) -> int:
    return _MONTHS[name.lower()[:3]]


def _month_bounds(year: int, month: int, part: str | None) -> Bounds:
    last = calendar.monthrange(year, month)[1]
    lo, hi = 1, last
    part = " ".join((part or "").lower().split())
    if part in ("early", "the beginning of", "the start of"):
        hi = 10
    elif part in ("mid", "mid-", "the middle of"):
        lo, hi = 11, 20
    elif part in ("late", "the end of", "end of"):
        lo = 21
    elif part == "the first half of":
        hi = 15
    elif part == "the second half of":
        lo = 16
    return dt.date(year, month, lo), dt.date(year, month, hi)


def _year_bounds(year: int, part: str | None) -> Bounds:
    part = " ".join((part or "").lower().split())
    months = {
        "early": (1, 4), "the beginning of": (1, 4), "the start of": (1, 4),
        "mid": (5, 8), "mid-": (5, 8), "the middle of": (5, 8),
        "late": (9, 12), "the end of": (10, 12), "end of": (10, 12),
        "the first half of": (1, 6), "the second half of": (7, 12),
        "the first quarter of": (1, 3), "the second quarter of": (4, 6),
        "the third quarter of": (7, 9), "the fourth quarter of": (10, 12),
    }.get(part, (1, 12))  # fmt: skip
    return (
        dt.date(year, months[0], 1),
        dt.date(year, months[1], calendar.monthrange(year, months[1])[1]),
    )


def _guess_year(month: int, day: int, published: dt.date | None) -> int | None:
    """The year of a date written without one: the publication's, or the one before it."""
    if published is None:
        return None
    if (month, day) > (published.month, published.day) and month - published.month > 1:
        return published.year - 1
    return published.year


# The patterns of the functions below, compiled once: an f-string pattern built per call is
# formatted and looked up in re's cache every time.
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH_NAME = re.compile(rf"(?-i:{MONTH})")
_DAY_NUMBER = re.compile(r"\b([0-3]?\d)(?:st|nd|rd|th)?\b(?!\s*\d{3})")
_YEAR_WORD = re.compile(rf"\b({YEAR})\b")
_YEAR_ANYWHERE = re.compile(YEAR)
_LAST_PERIOD = re.compile(rf"(?:last|past|previous|preceding)\s+(?:({_COUNT})\s+)?({_UNIT})")
_COUNTED_PERIOD = re.compile(rf"\b{_COUNT}\s+{_UNIT}", re.I)
_DIGITS = re.compile(r"\d+")


def _read_date(text: str, published: dt.date | None) -> dt.date | None:
    iso = _ISO_DATE.fullmatch(text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        month_match = _MONTH_NAME.search(text)
        day_match = _DAY_NUMBER.search(text)
        year_match = _YEAR_WORD.search(text)
        if not month_match or not day_match:
            return None
        month = _month(month_match.group())
        day = int(day_match.group(1))
        year = int(year_match.group(1)) if year_match else _guess_year(month, day, published)
        return dt.date(year, month, day) if year else None
    except ValueError:
        return None


def _shift(published: dt.date, count: int, unit: str) -> dt.date:
    unit = unit.rstrip("s")
    days = {"hour": 1, "day": 1, "night": 1, "week": 7, "month": 30, "year": 365, "decade": 3650}
    if unit == "hour":
        return published - dt.timedelta(days=(max(1, count) + 23) // 24)  # 24 hours: a day back
    return published - dt.timedelta(days=max(1, count) * days.get(unit, 1))


def _relative(text: str, published: dt.date | None) -> Bounds:
    t = " ".join(text.lower().split())
    if published is None:
        return None, None
    if t in ("so far", "to date", "thus far", "as yet", "until now", "up to now", "to this day"):
        return None, published
    if t in ("currently", "at present", "at the moment", "presently", "today", "tonight"):
        return published, published
    if t in ("yesterday", "last night"):
        day = published - dt.timedelta(days=1)
        return day, day
    if t in ("this morning", "this afternoon", "this evening"):
        return published, published
    if t in ("at night", "overnight"):
        return published - dt.timedelta(days=1), published  # the night before the post
    if t == "recently":
        return None, None  # recorded as written, too vague to bound
    if "full" in t and any(word in t for word in ("invasion", "war", "aggression")):
        return dt.date(2022, 2, 24), published
    if t.endswith("this week"):
        return published - dt.timedelta(days=published.weekday()), published
    if t.endswith("this month"):
        return published.replace(day=1), published
    if t.endswith("this year"):
        return published.replace(month=1, day=1), published
    if t.startswith(("last ", "since last ")) and t.split()[-1][:3] in _MONTHS:
        month = _MONTHS[t.split()[-1][:3]]
        year = published.year if month < published.month else published.year - 1
        first = dt.date(year, month, 1)
        if t.startswith("since"):
            return first, published
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    if t == "last week":
        monday = published - dt.timedelta(days=published.weekday() + 7)
        return monday, monday + dt.timedelta(days=6)
    if t == "last month":
        end = published.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    if t == "last year":
        return dt.date(published.year - 1, 1, 1), dt.date(published.year - 1, 12, 31)
    window = _LAST_PERIOD.search(t)
    if window:
        count_text = window.group(1) or "1"
        count = int(count_text) if count_text.isdigit() else SMALL.get(count_text, 3)
        return _shift(published, count, window.group(2)), published
    return None, published


def _apply_preposition(
    prep: str | None, bounds: Bounds, published: dt.date | None, yearless: bool = False
) -> Bounds:
    p = " ".join((prep or "").lower().split())
    lo, hi = bounds
    if p.startswith(("since", "starting", "beginning", "after", "from")):
        if yearless and lo and published and lo > published:
            # "Since 29 December" in a report of 20 January: a period that runs to the
            # publication starts before it, so the yearless date is last year's.
            lo = _year_before(lo)
        return lo, published
    if p in ("as of", "as at", "by", "until", "till", "through", "before"):
        return None, hi
    return lo, hi


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _resolve(match: re.Match[str], published: dt.date | None) -> Bounds:
    g = match.groupdict()
    if g["rel"]:
        return _relative(g["rel"], published)
    if g["dr2"]:
        last = _read_date(g["dr2"], published)
        day = int(_DIGITS.match(g["dr1"] or g["dr1b"]).group())
        try:
            first = last.replace(day=day) if last else None
        except ValueError:
            first = None
        return (first, last) if first and first <= last else (last, last)
    if g["d1"]:
        first = _read_date(g["d1"], published)
        if g["d2"]:
            second_text = g["d2"]
            if not _MONTH_NAME.search(second_text) and first:
                second_text = f"{g['d1'].split()[0]} {second_text}"
            second = _read_date(second_text, published)
            if (
                first
                and second
                and first.year != second.year
                and not _YEAR_ANYWHERE.search(g["d1"])
            ):
                first = first.replace(year=second.year)
            return first, second or first
        yearless = not _YEAR_ANYWHERE.search(g["d1"])
        return _apply_preposition(g["p1"], (first, first), published, yearless)
    if g["m1"]:
        year = int(g["y1"] or g["y2"] or 0) or _guess_year(_month(g["m1"]), 1, published)
        if not year:
            return None, None
        lo, hi = _month_bounds(year, _month(g["m1"]), g["part"])
        if g["m2"]:
            hi = _month_bounds(int(g["y2"] or year), _month(g["m2"]), None)[1]
            return lo, hi
        return _apply_preposition(g["p2"], (lo, hi), published, not (g["y1"] or g["y2"]))
    if g["yr"]:
        lo, hi = _year_bounds(int(g["yr"]), g["ypart"])
        if g["yr2"]:
            second = g["yr2"] if len(g["yr2"]) == 4 else g["yr"][:2] + g["yr2"]
            hi = dt.date(int(second), 12, 31)
            return lo, hi
        return _apply_preposition(g["p3"], (lo, hi), published)
    weekday = _WEEKDAY_RE.search(match.group())
    if weekday and published is not None:
        # "on Thursday": the last such day on or before the publication
        back = (published.weekday() - _WEEKDAYS.index(weekday.group().lower()[:3])) % 7
        day = published - dt.timedelta(days=back)
        return day, day
    return None, None


_WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _either_case(words: list[str]) -> str:
    return "|".join(f"{w}|{w[0].upper()}{w[1:]}" for w in sorted(words, key=len, reverse=True))


# Every time expression holds one of these. Like quantities.HINT, this pattern is case
# sensitive and starts with literals so the engine can skip ahead; TIME runs only near a hint.
_HINT = re.compile(
    rf"{YEAR}|(?-i:{MONTH})|{_WEEKDAY}|"
    + _either_case(
        words(
            "far date yet now day ago earlier currently present moment presently today yesterday "
            "tonight recently this last past previous preceding recent full night overnight"
        )
    )
)
_BACK = 32  # "in the first quarter of 2025": from the preposition to the hint
# The hints that start with a digit or a capital let the regex engine skip ahead fast; the
# lower-case hint words do not, so they are found through the sentence's set of words.
_NAMED_HINT = re.compile(rf"{YEAR}|(?-i:{MONTH})|{_WEEKDAY}")
_YEAR_HINT = re.compile(YEAR)
_NAME_WORDS = frozenset(
    words(
        "january february march april may june july august september october november "
        "december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday "
        "thursday friday saturday sunday"
    )
)
_HINT_WORDS = frozenset(
    words(
        "far date yet now ago earlier currently present moment presently today yesterday "
        "tonight recently this last past previous preceding recent full night overnight"
    )
)


def _hint_spans(sentence: str, lowered: set[str] | None) -> list[tuple[int, int]]:
    """Where the hints of ``sentence`` are, in order: years, months, weekdays, time words."""
    lowered = lower_words(sentence) if lowered is None else lowered
    if not _NAME_WORDS.isdisjoint(lowered):
        spans = [m.span() for m in _NAMED_HINT.finditer(sentence)]
    else:  # no month or weekday named: only years can be hints, and they start with a digit
        spans = [m.span() for m in _YEAR_HINT.finditer(sentence)]
    present = _HINT_WORDS.intersection(lowered)
    if present:
        low = sentence.lower()
        for word in present:
            at = low.find(word)
            while at != -1:
                if (
                    not (at and low[at - 1].isalpha())
                    and not low[at + len(word) : at + len(word) + 1].isalpha()
                ):
                    spans.append((at, at + len(word)))
                at = low.find(word, at + 1)
        spans.sort()
    return spans


_WORD_START = re.compile(r"\b\w")


def _matches(sentence: str, lowered: set[str] | None = None) -> list[re.Match[str]]:
    """The time expressions of ``sentence``, each holding a hint.

    Every expression starts at a word at most _BACK characters before its hint, so TIME is
    tried anchored at those few word starts, in order, rather than searched for across the
    window: the same leftmost match, at a fraction of the cost.
    """
    matches: list[re.Match[str]] = []
    pos = 0
    for where, hint_end in _hint_spans(sentence, lowered):
        if where < pos:
            continue
        limit = min(len(sentence), hint_end + 60)
        cursor = max(pos, where - _BACK)
        while cursor <= where:
            start = _WORD_START.search(sentence, cursor, where + 1)
            if start is None:
                break
            match = TIME.match(sentence, start.start(), limit)
            if match is None:
                cursor = start.start() + 1
            elif match.end() <= where:
                cursor = match.end()
            else:
                matches.append(match)
                pos = match.end()
                break
    return matches


# "since" opening a clause whose event is dated: "since the corridor opened in August 2023".
_SINCE_CLAUSE = re.compile(r"\b[Ss]ince\s+(?:the|it|they|its|their|a|an)\b[^,;.]*$")


def find_times(
    sentence: str, published: dt.date | None = None, *, lowered: set[str] | None = None
) -> list[TimeExpression]:
    """Return the time expressions in ``sentence`` with their resolved bounds.

    ``lowered`` is the sentence's set of lower-case words when the caller has it already.
    """
    found = []
    for match in _matches(sentence, lowered):
        lo, hi = _resolve(match, published)
        if (
            lo is not None and published is not None
            and (
                match.group()[:5].lower().startswith(("in ", "on ", "last "))
                or match.group()[:1].isdigit()
            )
            and "ince" in sentence[max(0, match.start() - 80) : match.start()]
            and _SINCE_CLAUSE.search(sentence, max(0, match.start() - 80), match.start())
        ):  # fmt: skip
            hi = published  # "Since the corridor opened in August 2023, ...": from then on
        statement = bool(
            _STATEMENT_VERB.search(sentence, max(0, match.start() - 20), match.start())
        )
        numeric = (
            bool(match.group("rel"))
            and any(ch.isalnum() for ch in match.group("rel"))
            and bool(_COUNTED_PERIOD.search(match.group("rel")))
        )
        found.append(
            TimeExpression(
                match.start(), match.end(), match.group(),
                lo.isoformat() if lo else None, hi.isoformat() if hi else None,
                statement, numeric,
            )
        )  # fmt: skip
    return found


class TimeIndex:
    """The time expressions of one sentence, for finding the one that governs each claim in
    logarithmic time (a sentence may hold thousands of figures and dates)."""

    __slots__ = ("breaks", "own_count", "starts", "statements", "times")

    def __init__(self, times: list[TimeExpression], sentence: str | None = None) -> None:
        self.times = times  # in order of appearance, never overlapping
        self.starts = [t.start for t in times]
        self.statements = [t for t in times if t.statement]
        self.own_count = len(times) - len(self.statements)
        # Where the sentence's clauses meet ("; by 2024", ", while on Tuesday"), when it has
        # two or more times to choose from.
        self.breaks = (
            [m.start() for m in _CLAUSE_BREAK.finditer(sentence)]
            if sentence is not None and self.own_count > 1
            else []
        )

    def governing(self, start: int, end: int) -> TimeExpression | None:
        """The time expression that governs a claim at [start, end).

        A time of the claim's own clause wins over the date of the statement that carries
        it; among those, the one of the claim's own grammatical clause, then the closest to
        the claim (the earlier one on a tie).
        """
        if self.breaks:
            own = self._in_clause(start, end)
            if own is not None:
                return own
        if self.own_count:
            times = self.times
            after = bisect.bisect_left(self.starts, end)
            before = after - 1
            while before >= 0 and (times[before].statement or times[before].end > start):
                before -= 1  # statement dates, and times overlapping the claim, do not count
            while after < len(times) and times[after].statement:
                after += 1
            best: TimeExpression | None = None
            if before >= 0:
                best = times[before]
            if after < len(times) and (best is None or times[after].start - end < start - best.end):
                best = times[after]
            if best is not None:
                return best

            # every own time overlaps the claim: fall through to the statement dates
            if self.statements:
                return self._closest(self.statements, start, end)
            return None
        return self._closest(self.statements, start, end) if self.statements else None

    def _in_clause(self, start: int, end: int) -> TimeExpression | None:
        """The closest own time inside the claim's clause, or None when it has none."""
        at = bisect.bisect_right(self.breaks, start)
        lo = self.breaks[at - 1] if at else 0
        hi = self.breaks[at] if at < len(self.breaks) else 1 << 62
        first = bisect.bisect_left(self.starts, lo)
        pool = []
        for t in self.times[first:]:
            if t.start >= hi:
                break
            if not t.statement and t.end <= hi and (t.end <= start or t.start >= end):
                pool.append(t)
        return self._closest(pool, start, end) if pool else None

    @staticmethod
    def _closest(pool: list[TimeExpression], start: int, end: int) -> TimeExpression:
        def distance(t: TimeExpression) -> int:
            return start - t.end if t.end <= start else max(0, t.start - end)

        return min(pool, key=distance)


# Where one clause of a sentence ends and the next begins.
_CLAUSE_BREAK = re.compile(
    r";|,\s+(?:while|whereas|but|and|although|though)\s|\s(?:while|whereas)\s"
)


def governing_time(times: list[TimeExpression], start: int, end: int) -> TimeExpression | None:
    """The time expression that governs a claim at [start, end) in the same sentence."""
    return TimeIndex(times).governing(start, end)
