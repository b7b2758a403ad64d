"""Number phrases in a sentence, read into bounded quantities with their unit.

``scan`` walks the numerals found by numerals.py and widens each into a number phrase: the
qualifier and currency before it, a scale and a range partner after it, then the unit and
counted noun phrase, as the eval README's annotation conventions define them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from . import money, numbers
from .lexicon import words
from .model import Number
from .nonclaims import Masker
from .numerals import (
    ARTICLE_ANY_UNIT,
    ARTICLE_UNIT,
    ARTICLE_UNITS,
    CANDIDATE,
    CURRENCY_BEFORE,
    CURRENCY_WINDOW,
    FIGURE_CANDIDATE,
    HINT_AHEAD,
    HINT_BACK,
    LEAD,
    TABLE_LABEL,
    Core,
    hints,
    is_title_case,
    is_year,
    lower_words,
    read_core,
)  # fmt: skip
from .qualifiers import bounds, qualifier_after, qualifier_before
from .unitlexicon import prefixed_names, unit_name
from .units import (
    DISTANCE_UNITS,
    TIME_UNITS,
    UNIT_WORDS,
    measure_unit,
    rate,
    singular,
    unit_after,
)

# "1.2 million", and hyphenated in a compound: "a 1.2-billion-year-old rock", "$5-billion deal".
_SCALE_AFTER = re.compile(
    r"(?:\s|[-‐‑](?=[a-z]))?(million|billion|trillion|thousand|lakhs?|crores?)\b"
    r"|\s(bln|bn|mln|mn|tn|trn)\b",
    re.I,
)
_PERCENT = re.compile(r"(\s?%)|\s*(percent|per\s+cent|pct)\b|\s+(percentage\s+points?)", re.I)
_RANGE_JOIN = re.compile(r"\s*(-\s+to|-|–|—|~|to|through|thru|or|and)\s*", re.I)
_SIGN_ROOM = frozenset(("", " ", "(", "\t", "$", "€", "£", "“", '"', "[", "/", "\n", "≈", "~"))
_SIGN_WORD = re.compile(r"\b(?:minus|negative)\s+$", re.I)
_PLUS_MINUS = re.compile(
    r"(\s?%)?\s*(?:±|\+/-|\+/−|\+-)\s*(\d+(?:\.\d+)?(?:[eE][-+]?\d{1,3})?)(\s?%)?"
)
_ON_BOTH_ENDS = re.compile(r"\s*(to|-|–|—|through|and)\s*(?:US\$|\$|€|£|₽|₴)?[-−]?\d")
_UPPER_BOUND = re.compile(
    r"\s+(?:and|but)\s+(?:smaller|less|fewer|lower|below|under|not\s+more)(?:\s+than)?\s+", re.I
)
_PER_NOUN = re.compile(r"\s*(?:/|\s+per\s+)(?!cent\b)[^\W\d_]+", re.I)
_PARTITIVE = re.compile(
    r"\b(?:of|among|out\s+of|from)\s+(?:the\s+|these\s+|those\s+|all\s+)?$", re.I
)
_SCALE_WORD_IN = re.compile(r"\b(?:million|billion|thousand|bn|mn|m)\s+pounds\b", re.I)
_LINKED = re.compile(r"\band\b|\bor\b|,")
_VERB_AFTER = re.compile(r"\s+(?:have|has|had|were|was|are|is)\s+(?:been\s+)?[a-z]+ed\b")
_OF_GAP = re.compile(r"\s+(?:out\s+)?of\s+(?:the\s+)?")
_AND_OR_GAP = re.compile(r"\s*(?:and|or)\s*")
_SIGN_IN_GAP = re.compile(r"[$€£¥₴₽]|\b(?:USD|EUR|GBP|UAH|RUB)\b")
_MINOR_OR_SHARE = re.compile(r"\s*(?:%|percent\b|per\s*cent\b|cents?\b|pence\b|kopecks?\b)", re.I)
_APPOSED = re.compile(r"\s*[,–—(]\s*(?:or\s+|some\s+|about\s+|nearly\s+|roughly\s+)?")
_CLAUSE_BREAK = re.compile(r"[;:.()\[\]]")
_CURRENCY_CODES = frozenset(money.NAMES.values())
_SHARE_OF = re.compile(r"\s+of\s+(?:the\s+|all\s+|its\s+|their\s+|those\s+)?(?=[a-z])")
# A short aside in brackets between a figure and its noun, the noun in lower case after it.
_ASIDE = re.compile(r"[ \u00a0]?\([^()\n]{1,30}\)(?=[ \u00a0][a-z])")
_WORD_AFTER = re.compile(r"[ \u00a0]?([A-Za-z]+)\b")
_CURRENCY_SIGN = re.compile(r"US\$|\$|€|£|₽|₴")
_COMPOUND = re.compile(r"[-‐‑]([a-z]+)(?:-(old|long|wide|deep|high))?\b")
_AGE_BEFORE = re.compile(
    r"\b(?:aged?|ages|age\s+of|ages\s+of|as\s+young\s+as|as\s+old\s+as)\s+$", re.I
)
_TIME_PREPOSITIONS = ("for", "of", "after", "than", "lasting")
# Either case: a title-case headline ("3 Killed, 12 Hurt In Kyiv Drone Attack") counts people
# too, and so does its present tense ("Drone attack kills 3, injures 12").
_CASUALTY = re.compile(
    r"\b(?:killed|killing|kills|injured|injuring|injures|wounded|wounding|wounds|dead|died"
    r"|hurt|hurts|detained|arrested|evacuated|deported|abducted|rescued|hospitali[sz]ed"
    r"|executed|missing)\b",
    re.I,
)
_WORD_BEFORE = re.compile(r"(\w+)\s+$")
# The end of a table cell or a label's line; "Injured: 12, among them 2 children" too.
_CELL_END = re.compile(
    r"\s*(?:\([^()]{0,20}\))?\s*(?:[.;]?\s*$|,\s*(?:among\s+them|including|of\s+them)\b)"
)
_FEET_INCHES = re.compile(r"['′][ \u00a0]?((?:1[01]|\d)(?:\.\d+)?)[ \u00a0]?(?:\"|″|''|”)")
_AND_A_HALF = re.compile(r"\s+and\s+a\s+half\b", re.I)
# "(up from 25,000)", "compared to 300", "than 40": the same noun as the number before
# "10 or more": a bound after the figure, not a range (matched at the word's end, not on a
# copy of the rest of the sentence)
_MORE_OR_FEWER = re.compile(r"\s*(?:more|fewer|less)\b", re.I)
_COMPARED = re.compile(r"\b(?:from|than|to|with|versus|vs\.?)\s+$", re.I)


@dataclass(slots=True)
class Quantity:
    """A number phrase read from a sentence; offsets are relative to that sentence."""

    start: int
    end: int
    value: Number | None
    lower: Number | None
    upper: Number | None
    qualifier: str
    unit: str | None
    subject: str | None
    measure: str = "count"  # "distance" and "age" take no time expression
    pronoun: bool = False


@dataclass(slots=True)
class _Phrase:
    """A number phrase while it is being widened; becomes a Quantity."""

    start: int  # of the number (with its currency sign), not of the qualifier
    end: int
    value: Decimal | None
    qualifier: str | None = None
    qualifier_start: int = 0
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str | None = None
    subject: str | None = None
    measure: str = "count"
    post_qualifier: str | None = None
    pronoun: bool = False
    score: bool = False


def scan(text: str, masked: Masker, lowered: set[str] | None = None) -> list[Quantity]:
    """Return the quantities in one sentence, in order of appearance. ``lowered`` is the
    sentence's set of lower-case words (numerals.lower_words), when the caller has it."""
    found: list[Quantity] = []
    pos = 0
    lowered = lower_words(text) if lowered is None else lowered
    for where, hint_end in hints(text, lowered):
        digits = text[where:hint_end].isdigit()
        if where < pos or (where and text[where - 1].isalpha() and not digits):
            continue  # inside a longer word ("often", "someone") or an already read phrase
        lead = None if digits else LEAD.search(text, max(pos, where - HINT_BACK), where)
        start_at = lead.start() if lead else where
        if (
            digits
            and where > pos
            and text[where - 1] in "-−+"
            and text[where - 2 : where - 1] in _SIGN_ROOM
        ):
            start_at = where - 1  # "-25", "$-3.75", "(−40": the sign belongs to the figure
        pattern = FIGURE_CANDIDATE if digits else CANDIDATE
        while start_at <= where:
            match = pattern.match(text, start_at, min(len(text), hint_end + HINT_AHEAD))
            if not match:
                if start_at == where:
                    break
                start_at = where  # the lead words were not part of a number after all
                continue
            start_at = pos = match.end()
            raw = match.group()
            if match.lastgroup == "digit" and " " in raw and masked(*match.span()):
                start_at = pos = match.start() + raw.index(" ") + 1  # "March 30 100 soldiers"
                continue
            core = read_core(text, match, masked)
            if core is not None:
                quantity, pos = _build(text, core, raw, masked)
                if quantity is not None:
                    found.append(quantity)
            break
    if not ARTICLE_UNITS.isdisjoint(lowered):
        found = _article_units(text, found, ARTICLE_UNIT)
    elif not prefixed_names().isdisjoint(lowered):
        found = _article_units(text, found, ARTICLE_ANY_UNIT, prefixed_names())
    found = [q for q in found if not _looks_like_identifier(text, q)]
    _restore_elided_nouns(text, found)
    return found


def _article_units(
    text: str,
    found: list[Quantity],
    pattern: re.Pattern[str],
    only: frozenset[str] | None = None,
) -> list[Quantity]:
    """Add "a dollar", "a litre", "a kibibyte": one of a unit, where no figure is next to it
    ("$5 a litre" and "20 mg a day" are rates of the figure before them). ``only``: the nouns
    that count, when ``pattern`` matches any word."""
    added: list[Quantity] = []
    after = 0
    for match in pattern.finditer(text):
        start, noun = match.start(), match.group(1)
        if only is not None and noun not in only:
            continue
        if start < after or any(q.start <= start < q.end + 12 for q in found):
            continue
        unit = UNIT_WORDS.get(noun.lower()) or unit_name(noun) or singular(noun)
        unit, after = rate(text, match.end(), unit)
        added.append(Quantity(start, match.end(), 1, 1, 1, "exact", unit, noun))
    return sorted(found + added, key=lambda q: q.start) if added else found


_IDENTIFIER_DIGITS = re.compile(r"0\d+|\d{4,}")
_NAME_BEFORE = re.compile(r"(?:^|\s)([\w’'.-]+)[ \u00a0]$")


def _looks_like_identifier(text: str, quantity: Quantity) -> bool:
    """A bare figure that counts nothing and reads like a code: "044", "4821", "Step 3".

    Only figures with no unit, no qualifier and no currency are judged: "4821 homes" counts
    homes, and "over 4821" is a bound.
    """
    if quantity.unit is not None or quantity.qualifier != "exact" or quantity.pronoun:
        return False
    raw = text[quantity.start : quantity.end]
    if _IDENTIFIER_DIGITS.fullmatch(raw):
        return True  # a trunk 0, or four or more digits with no grouping: codes and numbers
    name = _NAME_BEFORE.search(text, max(0, quantity.start - 30), quantity.start)
    if name and name.start(1) == 0 and not raw[:1].isdigit():
        return False  # "Is three halves ...": the sentence's first word, before a number word
    return bool(
        name
        and name.group(1)[:1].isupper()
        and name.group(1).lower() not in _NOT_NAMES
        and not is_title_case(text)
    )  # "Firefox 128 and", "Terminal 2 at": a name and its number


# Capitalised words before a bare figure that do not make it a name: function words and the
# quantifiers that open a sentence ("Another 40 were injured", "Nearly 300 fled").
# Prepositions stay out: "At 10 the shelling resumed" is a time of day.
_NOT_NAMES = frozenset(
    words(
        "i a an the and or but to another some nearly almost roughly around approximately "
        "estimated total about over only just all more fewer less least of among including "
        "these those such each every"
    )
)


def _build(text: str, core: Core, raw: str, masked: Masker) -> tuple[Quantity | None, int]:
    """Widen one numeral into a quantity; returns it (None for a bare year) and its end."""
    phrase = _Phrase(core.start, core.end, core.value, unit=core.unit)
    currency = (
        CURRENCY_BEFORE.search(text, max(0, core.start - CURRENCY_WINDOW), core.start)
        if _may_have_currency_before(text, core.start)
        else None
    )
    if currency:
        phrase.start = currency.start()
        phrase.unit = money.code_before(currency.group())
        if (
            phrase.start
            and text[phrase.start - 1] == "("
            and text.startswith(")", core.end)
            and phrase.value is not None
            and phrase.value > 0
        ):
            phrase.value = -phrase.value  # "($12.50)": the accountant's minus
            phrase.start -= 1
            phrase.end += 1
    lead = text[max(0, phrase.start - 10) : phrase.start]
    sign = (
        _SIGN_WORD.search(text, max(0, phrase.start - 10), phrase.start)
        if "minus" in lead.lower() or "negative" in lead.lower()
        else None
    )
    if sign and phrase.value is not None and phrase.value > 0:
        phrase.value = -phrase.value  # "minus 5 degrees", "negative 3 percent"
        phrase.start = sign.start()
    phrase.qualifier, phrase.qualifier_start = qualifier_before(text, phrase.start)
    if (
        is_year(text, core, raw)
        and phrase.qualifier in (None, "from", "range")
        and not currency
        and not _percent(text, core.end)
    ):
        return None, core.end  # a bare year
    _extend_number(text, core, phrase, masked)
    if phrase.score:
        return None, phrase.end
    _find_unit(text, core, phrase)
    return _finish(text, core, phrase), max(phrase.end, core.tail)


def _extend_number(text: str, core: Core, phrase: _Phrase, masked: Masker) -> None:
    """Add a written scale ("1.2 million") and a range partner ("10 to 20") to the phrase."""
    if core.kind == "digit" and core.unit is None and phrase.value is not None:
        scale = _scale_after(text, phrase.end)
        if scale:
            phrase.value *= _scale_of(scale)
            phrase.end = scale.end()
    half = _AND_A_HALF.match(text, phrase.end) if text.startswith(" and ", phrase.end) else None
    if half and core.kind == "digit" and phrase.value is not None:
        phrase.value += Decimal("0.5")  # "12 and a half years"
        phrase.end = half.end()
    ahead = text[phrase.end : phrase.end + 5]
    plus_minus = _PLUS_MINUS.match(text, phrase.end) if "±" in ahead or "+" in ahead else None
    if plus_minus and phrase.value is not None:
        spread = numbers.parse_digits(plus_minus.group(2)) or Decimal(0)
        phrase.low, phrase.high = phrase.value - spread, phrase.value + spread
        phrase.qualifier, phrase.end = "range", plus_minus.end()  # "5 ± 2": from 3 to 7
        if plus_minus.group(1) or plus_minus.group(3):
            phrase.unit = phrase.unit or "percent"
        return
    partner = _range_partner(text, phrase.end, phrase.qualifier, masked)
    if partner is None and phrase.value is not None:
        # the unit written on both ends: "30 mg to 45 mg", "15 percent to 25 percent",
        # "$300 per tonne to $500 per tonne"
        ahead = text[phrase.end : phrase.end + 32]
        joined = "-" in ahead or "–" in ahead or "—" in ahead or " to " in ahead
        if not joined:
            joined = " and " in ahead or " through " in ahead
        unit_end = _unit_end(text, phrase.end) if joined else None
        both = _ON_BOTH_ENDS.match(text, unit_end) if unit_end is not None else None
        if both and (both.group(1).lower() != "and" or phrase.qualifier == "range"):
            partner = _range_partner(text, unit_end, phrase.qualifier, masked)
            if partner is not None and not _same_unit_after(
                text, phrase.end, unit_end, partner.end
            ):
                partner = None  # "44 ml to 50 mg": two amounts of different units
    if partner is None and phrase.qualifier in ("more_than", "at_least"):
        upper = _UPPER_BOUND.match(text, phrase.end)
        if upper:
            partner = _range_partner(text, upper.end(), "range", masked, join=False)
    if partner is not None and _other_measure(text, phrase, partner):
        partner = None
    if partner is not None and partner.value is not None and phrase.value is not None:
        value, other = phrase.value, partner.value
        # "1.2 to 1.5 million": the scale written once applies to both ends.
        scale = _scale_after(text, partner.end)
        if scale and partner.kind == "digit":
            factor = _scale_of(scale)
            other *= factor
            if value * factor <= other:
                value *= factor
            partner.end = scale.end()
        if other <= value and text[phrase.end : partner.start].strip() in ("-", "–", "—"):
            phrase.score = True  # "5-4": a score or a vote, not a range
        phrase.low, phrase.high = min(value, other), max(value, other)
        phrase.qualifier = "range"
        phrase.end = partner.end
        phrase.unit = phrase.unit or partner.unit
    if phrase.qualifier in ("range", "from") and phrase.low is None:
        phrase.qualifier = None  # "between" without "and", "from" without "to"


_OTHER = re.compile(r"\s+(?:other|additional|further)(?=\s+[^\W\d_])", re.I)


def _find_unit(text: str, core: Core, phrase: _Phrase) -> None:
    """Set the unit, the counted noun phrase, what is measured and a qualifier after it."""
    if text[phrase.end : phrase.end + 1] in ("'", "′") and phrase.unit is None:
        height = _FEET_INCHES.match(text, phrase.end)
        if height and phrase.value is not None and phrase.low is None:
            # "5'11\"", "6′ 2″": one height, in inches
            phrase.value = phrase.value * 12 + Decimal(height.group(1))
            phrase.unit, phrase.subject, phrase.end = "inch", height.group(), height.end()
            return
    sign_after = money.after(text, phrase.end) if phrase.unit is None else None
    if sign_after is not None:
        code, factor, phrase.end = sign_after  # "25 €", "250 USD", "12 MUSD", "40 USD million"
        phrase.unit = code
        if phrase.value is not None:
            phrase.value *= factor
        if phrase.low is not None and phrase.high is not None:
            phrase.low, phrase.high = phrase.low * factor, phrase.high * factor
    phrase.post_qualifier, post_end = qualifier_after(text, phrase.end)
    percent = _percent(text, phrase.end)
    if percent and phrase.unit is None:
        phrase.unit, phrase.subject = "percent", percent.group().strip()
        if percent.group(1):
            phrase.end = percent.end()  # a glued "%" belongs to the number phrase
        phrase.post_qualifier, post_end = qualifier_after(text, percent.end())
        share = _SHARE_OF.match(text, percent.end())
        if share:
            # "30% of homes": what the share is of is part of what is measured (verification
            # never compares a share of homes with a share of schools)
            whole = unit_after(text, share.end(), singular_count=False, vague=False)
            if whole.unit is not None and whole.subject and whole.unit not in TIME_UNITS:
                phrase.subject = f"{phrase.subject} of {whole.subject}"
    elif text.startswith("+", phrase.end):
        phrase.end += 1
        phrase.post_qualifier = phrase.post_qualifier or "at_least"
    if phrase.unit is not None and phrase.unit != "percent":
        phrase.unit, _ = rate(text, phrase.end, phrase.unit)  # "$300 per tonne", "20mg/day"
    if core.kind == "frac":
        phrase.unit = "percent"  # "two-thirds of", "more than half"
    elif phrase.unit is None:
        compound = (
            _COMPOUND.match(text, phrase.end)
            if text[phrase.end : phrase.end + 1] in "-‐‑"
            else None
        )
        if compound and core.kind != "vague" and compound.group(1) == "plus":
            phrase.post_qualifier, post_end = "at_least", compound.end()  # "50-plus"
        elif compound and core.kind != "vague" and compound.group(1) == "ish":
            phrase.post_qualifier, post_end = "approximate", compound.end()  # "360-ish"
        elif compound and core.kind != "vague":
            phrase.unit, phrase.subject = singular(compound.group(1)), compound.group(1)
            if compound.group(2) == "old":
                phrase.measure = "age"  # "15-year-old"
        if phrase.unit is None and _on_magnitude_scale(text, phrase):
            phrase.unit = phrase.subject = "magnitude"
        if phrase.unit is None:
            found = unit_after(
                text,
                post_end if phrase.post_qualifier else phrase.end,
                singular_count=phrase.value is not None and 0 < phrase.value <= 1,
                vague=core.kind == "vague",
            )
            if found.unit is None and (other := _OTHER.match(text, phrase.end)):
                # "Nine other people were hurt": the noun after "other", "further", ...
                beyond = unit_after(text, other.end(), singular_count=False, vague=False)
                if beyond.unit is not None:
                    found = beyond
            if found.unit is None and (aside := _ASIDE.match(text, phrase.end)):
                # "12 million (30%) people", "4,300 (est.) homes": the noun after the aside
                beyond = unit_after(text, aside.end(), singular_count=False, vague=False)
                if beyond.unit is not None:
                    found = beyond
            phrase.unit, phrase.subject, phrase.pronoun = found.unit, found.subject, found.pronoun
            change = money.cents(text, found.end) if found.unit in _CURRENCY_CODES else None
            if change is not None and phrase.value is not None and phrase.low is None:
                phrase.value += change[0]  # "5 dollars 20 cents" is one amount
                phrase.end = change[1]
            after_noun, _ = qualifier_after(text, found.end)
            if after_noun and found.unit:
                phrase.post_qualifier = after_noun  # "10 soldiers or fewer"
            if phrase.unit is None and _CELL_END.match(text, phrase.end):
                _unit_from_label(text, phrase)
    if (
        phrase.unit is None
        and phrase.value == 0
        and text[max(0, phrase.start - 9) : phrase.start].lower() == "absolute "
    ):
        phrase.unit = "kelvin"  # "absolute zero"
    if phrase.unit == "pound" and _SCALE_WORD_IN.search(text, phrase.start, phrase.end + 12):
        phrase.unit = "gbp"  # "20 million pounds": money, not weight
    start = phrase.qualifier_start if phrase.qualifier else phrase.start
    window = text[max(0, start - 30) : start]
    if ("age" in window and _AGE_BEFORE.search(window)) or "young" in text[start : core.start]:
        phrase.measure = "age"
        phrase.unit = phrase.unit if phrase.unit in TIME_UNITS else "year"
    if phrase.unit in DISTANCE_UNITS:
        phrase.measure = "distance"


def _on_magnitude_scale(text: str, phrase: _Phrase) -> bool:
    """ "the 7.1 magnitude quake", "a magnitude 6 aftershock", "a magnitude of 5.9": a reading
    on the earthquake scale, named before or after the figure rather than as its noun."""
    if _MAGNITUDE_AFTER.match(text, phrase.end):
        return True
    start = phrase.qualifier_start if phrase.qualifier else phrase.start
    return bool(_MAGNITUDE_BEFORE.search(text, max(0, start - 14), start))


_MAGNITUDE_AFTER = re.compile(r"[ \u00a0]magnitude\b", re.I)
# not "an order of magnitude 10 times larger"
_MAGNITUDE_BEFORE = re.compile(r"(?<!of )\bmagnitude(?:\s+of)?[\s\-‐‑]+$", re.I)


def _unit_from_label(text: str, phrase: _Phrase) -> None:
    """A figure that ends its line takes its unit from the label before it: "Killed: 312",
    "Refugees 1.2 million", "Casualties 4,300 (est.)"."""
    start = phrase.qualifier_start if phrase.qualifier else phrase.start
    label = TABLE_LABEL.fullmatch(text, 0, start)
    if label:
        words = label.group(1).split()
        head = words[-1]
        phrase.unit = head.lower() if head.lower().endswith("ed") else singular(head)
        phrase.subject = label.group(1)


def _finish(text: str, core: Core, phrase: _Phrase) -> Quantity:
    qualifier = phrase.qualifier
    span_start = phrase.qualifier_start if qualifier else phrase.start
    if (
        qualifier == "more_than"
        and phrase.unit in TIME_UNITS
        and text[span_start : core.start].strip().lower() == "over"
    ):
        word = _WORD_BEFORE.search(text, max(0, span_start - 20), span_start)
        if not word or word.group(1).lower() not in _TIME_PREPOSITIONS:
            qualifier, span_start = None, phrase.start  # "over two days": a span, not a bound
    if qualifier is None:
        qualifier = phrase.post_qualifier or ("approximate" if core.kind == "vague" else "exact")

    def number(value: Decimal | None) -> Number | None:
        return numbers.to_number(value) if value is not None else None

    value, lower, upper = bounds(
        qualifier, number(phrase.value), number(phrase.low), number(phrase.high)
    )
    return Quantity(
        span_start, phrase.end, value, lower, upper, qualifier, phrase.unit, phrase.subject,
        phrase.measure, phrase.pronoun,
    )  # fmt: skip


# Cheap tests of the next characters, before the regexes they stand for: most figures are
# followed by a plain noun, and a regex call costs more than a slice and a set lookup.
_SCALE_FIRST = frozenset("mbtlcMBTLC")
_CURRENCY_LAST = frozenset("$€£¥₹₽₴元₩₺₪₦₸.sł" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _scale_after(text: str, pos: int) -> re.Match[str] | None:
    following = text[pos : pos + 2]
    letter = (
        following[1:2] if following[:1] in (" ", "\u00a0", "\t", "-", "‐", "‑") else following[:1]
    )
    return _SCALE_AFTER.match(text, pos) if letter in _SCALE_FIRST else None


def _percent(text: str, pos: int) -> re.Match[str] | None:
    following = text[pos : pos + 3]
    if "%" in following or "p" in following or "P" in following:
        return _PERCENT.match(text, pos)
    return None


def _may_have_currency_before(text: str, start: int) -> bool:
    before = text[max(0, start - 2) : start]
    return bool(before) and (before[-1] in _CURRENCY_LAST or before[:1] in _CURRENCY_LAST)


def _scale_of(scale: re.Match[str]) -> int:
    if scale.group(1):
        word = scale.group(1).lower()
        return numbers.SCALES[numbers.SCALE_PLURALS.get(word, word)]
    word = scale.group(2).lower()
    return numbers.SCALE_ABBREV["tn" if word == "trn" else word]


def _other_measure(text: str, phrase: _Phrase, partner: Core) -> bool:
    """Whether the second figure measures something else than the first: "fell 4 percent to
    $2.98 billion" (a change and the level it reached), "$286 million or 36 cents per share"
    (a total and its share): two figures, never one range."""
    money_first = phrase.unit in _CURRENCY_CODES
    if not money_first and _SIGN_IN_GAP.search(text, phrase.end, partner.start):
        return True
    return money_first and bool(_MINOR_OR_SHARE.match(text, partner.end))


def _same_unit_after(text: str, first: int, first_end: int, partner_end: int) -> bool:
    """Whether the unit written after the second figure is the first one's, or none."""
    written = text[first:first_end].split()
    after = text[partner_end : partner_end + len(text[first:first_end]) + 2].split()
    if not after or not written:
        return True
    return after[0].strip(".,;:)") == written[0] or not _unit_end(text, partner_end)


def _unit_end(text: str, pos: int) -> int | None:
    """Where a unit written right after a figure ends (" mg", " percent", " per tonne")."""
    percent = _percent(text, pos)
    if percent:
        return percent.end()
    measured = measure_unit(text, pos)
    if measured is not None and measured.unit is not None:
        return measured.end
    word = _WORD_AFTER.match(text, pos)
    if word and word.group(1).lower() in UNIT_WORDS:
        return word.end()  # "3 km to 5 km"
    per = _PER_NOUN.match(text, pos)
    return per.end() if per else None


def _range_partner(
    text: str, end: int, qualifier: str | None, masked: Masker, *, join: bool = True
) -> Core | None:
    start = end
    if join:
        joined = _RANGE_JOIN.match(text, end)
        if not joined:
            return None
        word = joined.group(1).lower()
        if word == "and" and qualifier != "range":
            return None
        if word == "-" and joined.group() != word:
            return None  # " - " with spaces is a dash between clauses, not a range
        start = joined.end()
    else:
        word = "and"
    sign = _CURRENCY_SIGN.match(text, start)
    at = sign.end() if sign else start
    first = text[at : at + 1]
    match = (FIGURE_CANDIDATE if first.isdigit() or first in "-−+" else CANDIDATE).match(text, at)
    if not match or match.lastgroup not in ("digit", "word"):
        return None
    if word == "or" and _MORE_OR_FEWER.match(text, start):
        return None
    partner = read_core(text, match, masked, partner=True)
    return partner if partner is not None and partner.value is not None else None


_PART_BEFORE = re.compile(r"\b(?:among\s+them|including|of\s+them|of\s+whom),?\s*$", re.I)


def _restore_elided_nouns(text: str, found: list[Quantity]) -> None:
    """Give "227 killed and 525 injured civilians" the noun of its coordinated partner.

    One pass: the last quantity with a unit and the first one framed by "of the" are carried
    along, so a sentence with thousands of figures costs no more than the figures.
    """
    last_with_unit: Quantity | None = None
    first_partitive: Quantity | None = None
    for i, quantity in enumerate(found):
        if quantity.unit is None:
            _restore_one(text, found, i, quantity, last_with_unit, first_partitive)
        if quantity.unit is not None:
            last_with_unit = quantity
            if first_partitive is None and _PARTITIVE.search(
                text, max(0, quantity.start - 14), quantity.start
            ):
                first_partitive = quantity


def _restore_one(
    text: str,
    found: list[Quantity],
    i: int,
    quantity: Quantity,
    last_with_unit: Quantity | None,
    first_partitive: Quantity | None,
) -> None:
    for j in (i + 1, i - 1):
        if not 0 <= j < len(found) or found[j].unit is None:
            continue
        if (
            j == i - 1
            and j > 0
            and found[j - 1].unit
            and _PART_BEFORE.search(text, max(0, found[j].start - 14), found[j].start)
        ):
            # "21 people were killed, among them five children, and 19 were injured": the
            # 19 are people; the children were a part of the 21.
            j -= 1
        other = found[j]
        gap = text[quantity.end : other.start] if j > i else text[other.end : quantity.start]
        if j > i and _PART_BEFORE.search(gap):
            continue  # "12, among them 2 children": the children are a part, not the noun
        linked = _LINKED.search(gap) or _OF_GAP.fullmatch(gap)
        if j < i and other.unit == "percent" and _APPOSED.fullmatch(gap):
            continue  # "more than half, 381,000,", "40%, or 251,000": the count beside a share
        if other.unit in TIME_UNITS and not _AND_OR_GAP.fullmatch(gap):
            continue  # "15,500 in June, the biggest one-month rise": not months
        # "3,910 institutions have been damaged by shelling since February 2022, and 402 have
        # been destroyed": a figure that is the subject of its own verb borrows the noun of
        # the clause before, however long that clause was.
        reach = 160 if j < i and _VERB_AFTER.match(text, quantity.end) else 60
        if len(gap) < reach and not _CLAUSE_BREAK.search(gap) and linked:
            quantity.unit, quantity.subject = other.unit, other.subject
            quantity.measure = other.measure
            return
    if (
        i
        and last_with_unit is not None
        and _COMPARED.search(text, max(0, quantity.start - 12), quantity.start)
    ):
        quantity.unit, quantity.subject = last_with_unit.unit, last_with_unit.subject
        quantity.measure = last_with_unit.measure
        return
    if first_partitive is not None:
        # "Of the 2,000 families, 450 returned": the sentence's subject is what is counted
        quantity.unit, quantity.subject = first_partitive.unit, first_partitive.subject
        quantity.measure = first_partitive.measure
        return
    if _CASUALTY.search(text, max(0, quantity.start - 30), min(len(text), quantity.end + 30)):
        quantity.unit = "person"  # "killed 10 and injured 39": people, unless said otherwise
