"""Numerals in a sentence: where they are and what they are worth.

Candidates are digits, number words, fractions and vague counts. Local checks drop what only
looks like a number (model names, ordinals, designations, footnotes, idioms); what is left is
a ``Core``: the numeral's span, kind and value, before any qualifier, range or unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from . import money, numbers
from .lexicon import DATELINE_HEAD, words
from .nonclaims import Masker
from .qualifiers import qualifier_before
from .units import UNIT_WORDS, measure_unit

_NUMBER_WORD = "|".join(sorted(numbers.NUMBER_WORDS, key=len, reverse=True))
_VAGUE = (
    r"(?:(?:several|a\s+few|a\s+couple\s+of|many)\s+(?:dozen|hundred|thousand|million)s?"
    r"|(?:tens|hundreds)\s+of\s+(?:thousands|millions)|dozens|hundreds|thousands|millions"
    r"|billions)"
)
_COUNT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|a)"
_FRACTION = (
    rf"(?:{_COUNT_WORD}[\s\-]+)?(?:thirds?|quarters?|half)|half|{_COUNT_WORD}[\s\-]+halves"
    rf"|{_COUNT_WORD}[\s\-]+(?:fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?)"
)
_WORDS = (
    rf"(?:an?\s+(?=(?:dozen|hundred|thousand|million|billion)\b))?(?:{_NUMBER_WORD})"
    rf"(?:(?:[\s\-]+|\s+(?:and|&)\s+|,\s+)(?:{_NUMBER_WORD}|a\s+half)\b)*"
    r"(?:\s+point(?:\s+(?:zero|one|two|three|four|five|six|seven|eight|nine)\b)+)?"
)
_VULGAR = "".join(numbers.VULGAR)
# "¼", "1½", "3/4", "1 1/2": a fraction in figures; the denominators are those of measures,
# so "9/11" or "24/7" are not read as fractions.
_FIGURE_FRACTION = (
    rf"(?<![\d.,/])(?:(?:\d+\s?)?[{_VULGAR}]"
    r"|(?:\d+\s+)?\d{1,2}/(?:2|3|4|5|6|8|10|12|16|32|64|100)(?![\d/])"
    # any denominator when a share of something follows: "about 1/40 of the wavelength"
    r"|\d{1,3}/[1-9]\d{0,3}(?=\s+of\b))"
)
_HALF_SCALE = r"half\s+an?\s+(?:dozen|hundred|thousand|million|billion)"
_SCORE = r"(?:an?|one|two|three|four)\s+score(?=\s+of\b)"
_DIGITS = (
    r"(?:(?<![\w.,\-−+])[-−+](?=\d))?"  # a sign written on the figure: "-25", "−40", "+12%"
    r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+(?!\d)|\d+)(?:\.\d+)?"
)
CANDIDATE = re.compile(
    rf"(?P<vague>\b{_VAGUE}\b)|(?P<halfscale>\b{_HALF_SCALE}\b)|(?P<score>\b{_SCORE}\b)"
    rf"|(?P<frac>\b(?:{_FRACTION})\b)|(?P<word>\b{_WORDS}\b)"
    rf"|(?P<figfrac>{_FIGURE_FRACTION})|(?P<digit>(?<![\d.,]){_DIGITS})",
    re.I,
)
# A figure starts with a digit, a sign or a vulgar fraction: for those only the last two
# alternatives of CANDIDATE can match, and trying them alone is faster.
FIGURE_CANDIDATE = re.compile(rf"(?P<figfrac>{_FIGURE_FRACTION})|(?P<digit>(?<![\d.,]){_DIGITS})")
_HINT_WORDS = sorted(
    set(numbers.NUMBER_WORDS)
    | {"half", "third", "thirds", "quarter", "quarters", "dozens", "hundreds", "thousands"}
    | {"millions", "billions", "tens", "score", "fifth", "fifths", "sixth", "sixths"}
    | {"seventh", "sevenths", "eighth", "eighths", "ninth", "ninths", "tenth", "tenths"},
    key=len,
    reverse=True,
)
# Every candidate holds a digit or one of these words. The hint pattern has no IGNORECASE and
# no leading \b, so the regex engine can skip ahead on its first character: scanning with it
# and running CANDIDATE only near hints is several times faster than CANDIDATE over the text.
HINT = re.compile(
    rf"[\d{_VULGAR}]+|" + "|".join(w for word in _HINT_WORDS for w in (word, word.capitalize()))
)
DIGIT_HINT = re.compile(rf"[\d{_VULGAR}]+")
_HINT_WORD_SET = frozenset(_HINT_WORDS)
_LETTERS = re.compile(r"[a-z]+")


def lower_words(text: str) -> set[str]:
    """The set of lower-case ASCII letter runs of ``text``: a cheap test for the engine's word
    lists, which are all ASCII ("dozen”" gives "dozen", "thirty-nine" gives both words)."""
    return set(_LETTERS.findall(text.lower()))


def hints(text: str, lowered: set[str] | None = None) -> list[tuple[int, int]]:
    """The hints of ``text`` as (start, end), in order: digit runs, and the number words it
    has, where they start a word, in lower case or capitalised (longer first at one start).

    Most sentences hold no number word, and those that do hold one or two: finding the few
    words the sentence's set of words names is several times cheaper than running the
    alternation of some two hundred words (HINT) over every position.
    """
    present = _HINT_WORD_SET.intersection(lower_words(text) if lowered is None else lowered)
    spans = [m.span() for m in DIGIT_HINT.finditer(text)]
    if not present:
        return spans
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer: offsets would move
        return [m.span() for m in HINT.finditer(text)]
    for word in present:
        size = len(word)
        title = word.capitalize()
        at = low.find(word)
        while at != -1:
            if (not at or not low[at - 1].isalpha()) and text[at : at + size] in (word, title):
                spans.append((at, at + size))
            at = low.find(word, at + 1)
    spans.sort(key=lambda span: (span[0], -span[1]))
    return spans


# "a dollar", "a litre": the article counts one, but only before a unit of money or measure
# ("a ton of work", "a foot soldier" are idioms, so those units are not in the list).
ARTICLE_UNITS = frozenset(
    words(
        "dollar euro rouble ruble hryvnia dime penny litre liter gallon barrel kilogram kilo "
        "mile kilometre kilometer hectare acre"
    )
)
ARTICLE_UNIT = re.compile(
    r"(?<![\w-])an?\s+(" + "|".join(sorted(ARTICLE_UNITS, key=len, reverse=True)) + r")\b"
)
# "a kibibyte", "a kilometre": any prefixed unit name after the article
ARTICLE_ANY_UNIT = re.compile(r"(?<![\w-])[Aa]n?\s+([a-z]+)\b")


HINT_BACK = 24  # "a couple of dozen": how far before its hint a candidate may start
# Words that can open a number phrase before its hint word ("several dozen", "a third").
LEAD = re.compile(r"(?<![\w-])(?:[Aa]n?|[Ss]everal|[Aa]\s+few|[Mm]any|[Aa]\s+couple\s+of)\s+$")
HINT_AHEAD = 80
_GLUED = re.compile(r"[A-Za-zµμ²³]+")
_GLUED_SCALES = {"k", "bn", "mn", "mln", "tn", "bln"}
# A temperature just before a figure with a glued "K": that K is kelvin, not thousand.
_TEMPERATURE = re.compile(r"°\s?[CFK]\b|\bdegrees?\b|\b(?:celsius|fahrenheit|kelvin)\b", re.I)
_MODEL_TAIL = re.compile(r"\d|[‐-][A-Za-z]")  # "9K720", "2S19", "72B-3": letters then more digits
_TIMES_TEN = re.compile(r"\s?[×x*·]\s?10(?:\^|\*\*)?\s?([-−⁻]?[0-9⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})(?!\d|[.,]\d)")
_TIMES_POWER = re.compile(r"\s?[×x*·]\s?(\d{1,3})(?:\^|\*\*)([-−]?\d{1,2})(?![\d.])")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻−", "0123456789--")
_GLUED_POWER = re.compile(r"\^([23])(?!\d)")
_EXPONENT = re.compile(r"[eE]([-+−]?\d{1,3})(?!\w|\.\d)")
CURRENCY_BEFORE = money.BEFORE
CURRENCY_WINDOW = 6  # the longest sign or code with its space: "CA$ ", "USD "
_ONE_IDIOM_AFTER = re.compile(
    r"\s+(?:of|another|other|hand|side|way|which|that|who|whom|thing|point|or\s+another)\b"
    r"|[-‐‑](?:time|off|sided|way|on-one)\b",
    re.I,
)
_ONE_IDIOM_BEFORE = re.compile(r"\b(?:no|the|this|that|any|each|every|which|such)\s+$", re.I)
_FRACTION_OK_AFTER = re.compile(r"\s+(?:of|the|its|their|all)\b", re.I)
_FRACTION_BAD_BEFORE = re.compile(
    r"\b(?:the|first|second|third|last|latter|former|other)\s+$", re.I
)  # "the third of March", "the second half of 2024"
_SENTENCE_START = re.compile(r"^[\s\"“‘'(\[—–-]*$")
_PLACE_PREPOSITIONS = frozenset(
    words("in near at from to of around outside inside across into within")
)
_NOT_DESIGNATIONS = frozenset(
    words(
        "January February March April May June July August September October November December "
        "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
    )
)


# A table row pasted as text: a label of ordinary words, then its figure ("Killed312",
# "Killed: 312", "Internally displaced | 6,500,000"). Model names mix case ("MiG31") and fail.
TABLE_LABEL = re.compile(r"\s*[-•*]?\s*([A-Z]?[a-z]{3,}(?:\s+[a-z]{2,}){0,3})\s*[:|\t]?\s*")


_VERSION_AFTER_NAME = re.compile(r"\d+\.\d+(?!\d)(?!\s*(?:million|billion|thousand|%|percent))")
_WORD_ORDINAL_AFTER = re.compile(
    r"[-‐‑\s]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)\b", re.I
)
# Capitals that are currencies or scales, not names, when written before a figure.
# Capitals before a figure that make it money, not a code ("USD 5 million", "SDR 1.2 billion").
_CODES_BEFORE_FIGURES = money.WRITTEN_CODES | {"US"}


@dataclass(slots=True)
class Core:
    """A numeral's span, kind ("digit", "word", "frac", "vague") and value."""

    kind: str
    start: int
    end: int
    value: Decimal | None
    unit: str | None = None  # from a glued suffix ("47km")
    tail: int = 0  # where a glued unit's power ends ("4km^3"): read, but not part of the phrase


def read_core(
    text: str, match: re.Match[str], masked: Masker, *, partner: bool = False
) -> Core | None:
    """Read one candidate; None when it is not a claim-bearing numeral."""
    kind = match.lastgroup or ""
    start, end = match.span()
    raw = match.group()
    if kind == "digit":
        return _read_digits(text, start, end, raw, partner=partner, masked=masked)
    if masked(start, end):
        return None
    if kind == "vague":
        return Core(kind, start, end, None)
    if kind == "halfscale":
        scale = raw.split()[-1].lower()
        value = numbers.SCALES.get(scale, 12)  # "half a dozen": 6
        return Core("word", start, end, Decimal(value) / 2)
    if kind == "score":
        count = raw.split()[0].lower()
        return Core("word", start, end, Decimal(20 * numbers.SMALL.get(count, 1)))
    if kind == "figfrac":
        return _read_figure_fraction(text, start, end, raw)
    if kind == "frac":
        share = numbers.parse_fraction(raw)
        if share is not None and share > 100:
            return Core("word", start, end, share / 100)  # "three halves": 1.5, not a share
        unit = measure_unit(text, end) or _unit_word_after(text, end)
        if unit is not None and unit.unit and not _FRACTION_OK_AFTER.match(text, end):
            if raw.lower() == "third":
                return None  # "third quarter", "third-quarter earnings": an ordinal
            value = numbers.parse_fraction(raw)  # "one-half miles": half of a unit, not a share
            return Core("word", start, end, value / 100 if value is not None else None)
        if not _FRACTION_OK_AFTER.match(text, end) and qualifier_before(text, start)[0] is None:
            return None
        if _FRACTION_BAD_BEFORE.search(text, max(0, start - 12), start):
            return None
        return Core(kind, start, end, numbers.parse_fraction(raw))
    return _read_word(text, start, end, raw)


def _unit_word_after(text: str, end: int) -> object | None:
    word = _WORD_AFTER.match(text, end)
    if word and word.group(1).lower() in UNIT_WORDS:
        return measure_unit(text, end) or _HandUnit(UNIT_WORDS[word.group(1).lower()])
    return None


@dataclass(slots=True)
class _HandUnit:
    unit: str


_WORD_AFTER = re.compile(r"[ \u00a0]?([A-Za-z]+)\b")


def _read_figure_fraction(text: str, start: int, end: int, raw: str) -> Core | None:
    whole, _, part = raw.replace("\u00a0", " ").rpartition(" ")
    if part[-1] in numbers.VULGAR:
        whole, part = (whole or part[:-1]).strip(), part[-1]
        value = numbers.VULGAR[part]
    else:
        top, bottom = part.split("/")
        if int(top) >= int(bottom):
            return None  # "5/4", "3/2": a ratio or a reference, not a fraction of a measure
        value = Decimal(top) / Decimal(bottom)
    if whole:
        value += Decimal(whole)
    elif _FRACTION_OK_AFTER.match(text, end):
        return Core("frac", start, end, (value * 100).quantize(Decimal("0.01")).normalize())
    return Core("digit", start, end, value)


_AND_SPLIT = re.compile(r"(\s+(?:and|&)\s+)", re.I)
_COMMA_SPLIT = re.compile(r"(,\s+)")


def _read_word(text: str, start: int, end: int, raw: str) -> Core | None:
    # "two and three" are two numbers: "and" only joins after a scale word.
    parts = _AND_SPLIT.split(raw)
    keep = parts[0]
    for i in range(1, len(parts), 2):
        before = keep.split()[-1].lower() if keep.split() else ""
        if before in numbers.SCALES or parts[i + 1].lower().startswith("a half"):
            keep += parts[i] + parts[i + 1]
        else:
            break
    pieces = _COMMA_SPLIT.split(keep)
    keep = pieces[0]
    for i in range(1, len(pieces), 2):
        # "two million, three hundred and fifty" is one number; "three, four" are two
        last = keep.split()[-1].lower() if keep.split() else ""
        tail = numbers.parse_words(pieces[i + 1])
        if (
            last in ("thousand", "million", "billion")
            and tail is not None
            and (tail < numbers.SCALES[last])
        ):
            keep += pieces[i] + pieces[i + 1]
            continue
        break
    end = start + len(keep)
    raw = keep
    at_start = bool(_SENTENCE_START.match(text[:start])) or (
        # "NIKOPOL - Five residents": the word after a dateline opens the sentence.
        start < 90 and bool(DATELINE_HEAD.fullmatch(text, 0, start))
    )
    if raw[0].isupper() and not at_start and not raw.isupper():
        return None  # "Channel One", "Group of Seven": part of a name
    if raw.lower() == "one" and (
        _ONE_IDIOM_AFTER.match(text, end)
        or _ONE_IDIOM_BEFORE.search(text, max(0, start - 10), start)
    ):
        return None
    if _WORD_ORDINAL_AFTER.match(text, end):
        return None  # "the twenty-first session": an ordinal
    value = numbers.parse_words(raw)
    return Core("word", start, end, value) if value is not None else None


# Short words a title-case headline may leave in lower case ("Kills 14 in Attack on Town").
_HEADLINE_SMALL = frozenset(
    words("a an and as at but by for from in into of on or over per the to up via vs with")
)
HEADLINE_MAX = 200  # longer lines are prose: bounds the cost of the casing test


def is_title_case(line: str) -> bool:
    """Whether ``line`` is written in title case, as headlines are: nearly every word that is
    not a short function word starts with a capital. One capitalised word never decides it."""
    if len(line) > HEADLINE_MAX:
        return False
    big = small = 0
    for token in line.split():
        word = token.strip("\"“”‘’'()[],.:;!?—–-")
        if not word or not word[0].isalpha():
            continue
        if word[0].isupper():
            big += 1
        elif word.lower() not in _HEADLINE_SMALL:
            small += 1
    return big >= 3 and small <= big // 6


def _is_designation(text: str, start: int) -> bool:
    """Whether a capitalised word that is not the sentence's first comes right before a
    numeral: "Leopard 2 tanks", "Hill 223" name things, they do not count them. In a
    title-case headline every word is capitalised, so there the word says nothing
    ("Officials Say 10 Soldiers Died"); designation words ("Hill", "Route") are masked anyway."""
    head = text[max(0, start - 24) : start - 1]
    cut = head.rfind(" ")
    word = head[cut + 1 :]
    if len(word) > 1 and word.isalpha() and word.isupper():
        # "ISO 27001", "NGC 4414", "DC 20500": a code before a figure, unless all shouted
        return word not in _CODES_BEFORE_FIGURES and any(ch.islower() for ch in text)
    if word.isalpha() and word[:1].islower() and not word.islower():
        return True  # "iOS 17", "macOS 14", "iPhone 15": mixed case is a product name
    if not (word[:1].isupper() and word[1:].isalpha() and word[1:].islower()):
        return False
    if word in _NOT_DESIGNATIONS or cut < 1:
        return False
    if is_title_case(text):
        return False
    previous = head[:cut].rsplit(None, 1)[-1].lower() if head[:cut].strip() else ""
    if previous in _PLACE_PREPOSITIONS:
        # "in Kharkiv 12 people died": a place, then a count; but "to Ubuntu 24.04" is a
        # version: a name with a decimal right after it
        return bool(_VERSION_AFTER_NAME.match(text, start))
    return head[cut - 1].isalnum() or head[cut - 1] in ',;)”"'


def _read_digits(
    text: str, start: int, end: int, raw: str, *, partner: bool, masked: Masker
) -> Core | None:
    """Read a numeral in digits. The cheap tests of its neighbours run before the masker:
    "Su-34" or "MiG31" are rejected without looking for dates and phone numbers."""
    before = text[start - 1] if start else "\n"  # "" would be "in" every string below
    if before.isalpha() and (
        TABLE_LABEL.fullmatch(text, 0, start)
        or CURRENCY_BEFORE.search(text, max(0, start - CURRENCY_WINDOW), start)
    ):
        pass  # "Killed312": a table label glued to its figure; "USD250": a currency code
    elif before.isalpha() or before in "_/\\#№^":
        return None  # "MiG31", "Kh-101/555", "#5", the power of "m^2"
    if (
        before in "-‐‑–−"
        and start >= 2
        and text[start - 2].isalpha()
        and not (partner and start >= 3 and text[start - 3].isdigit())  # "2k-8k"
    ):
        return None  # "Su-34", "S-300", "COVID-19"
    if before in "-‐‑–" and start >= 2 and text[start - 2].isdigit() and not partner:
        return None  # the tail of a skipped head: "2022-23", "1-2" in a masked date
    if before == "." and start >= 2 and text[start - 2].isdigit():
        return None  # "1.2.3"
    if text[end : end + 1] == "/" and text[end + 1 : end + 2].isdigit():
        return None  # "9/11", "24/7", "50/50": a date, a code or a ratio, not a count
    if masked(start, end):
        return None
    if before == " " and _is_designation(text, start):
        return None  # "Leopard 2 tanks", "Hill 223": part of a name
    value = numbers.parse_digits(raw)
    if value is None:
        return None
    if raw[0] in "-−":
        value = -value  # "-25 °C", "−40": a sign written on the figure
    core = Core("digit", start, end, value)
    exponent = _EXPONENT.match(text, end) or _TIMES_TEN.match(text, end)
    if exponent:
        power = exponent.group(1).translate(_SUPERSCRIPTS)
        core.value = core.value * Decimal(10) ** int(power)
        core.end = end = exponent.end()  # "6e9", "3.1×10−4": scientific notation
    elif text[end : end + 1] in ("×", "x", "*", "·"):
        times = _TIMES_POWER.match(text, end)
        if times and int(times.group(2).translate(_SUPERSCRIPTS)) <= 64:
            base, power = int(times.group(1)), int(times.group(2).translate(_SUPERSCRIPTS))
            core.value = core.value * Decimal(base) ** power  # "8x2^10": 8,192
            core.end = end = times.end()
    glued = _GLUED.match(text, end)
    if glued:
        suffix = glued.group()
        low = suffix.lower()
        currency = CURRENCY_BEFORE.search(text, max(0, start - CURRENCY_WINDOW), start)
        if low in ("st", "nd", "rd", "th", "s"):
            return None  # ordinals ("58th"), decades ("1990s")
        if _MODEL_TAIL.match(text, glued.end()):
            return None  # "9K720", "2S19", "72B3": model names
        if suffix == "K" and not currency and _TEMPERATURE.search(text, max(0, start - 60), start):
            core.unit = "kelvin"  # "300 °C (572 °F, 573.15K)": among temperatures, a kelvin
        elif (
            suffix in _GLUED_SCALES
            or suffix in ("M", "B", "K", "BN")
            or (suffix == "T" and currency)
        ):
            core.value = value * numbers.SCALE_ABBREV[low]  # "45K", "$3.2T", "12M"
        elif suffix == "m" and ("." in raw or currency):
            core.value = value * numbers.SCALE_ABBREV["m"]
        elif suffix in UNIT_WORDS and suffix == low:
            core.unit = UNIT_WORDS[low]
            raised = _GLUED_POWER.match(text, glued.end())
            if raised and " " not in core.unit:
                core.unit = ("square " if raised.group(1) == "2" else "cubic ") + core.unit
                core.tail = raised.end()  # "4km^3"
        else:
            measured = measure_unit(text, end, glued=True)
            if measured is None or measured.unit is None:
                return None  # letters glued to a figure that name no unit: a model name
            core.unit = measured.unit  # "20mg", "5kWh", "40GHz"
        if core.unit is None:
            core.end = glued.end()  # "7.4m": the scale is part of the number phrase
    elif text.startswith(("-", "‐"), end) and end + 1 < len(text) and text[end + 1].isupper():
        return None  # "58-FZ": a law or model designation
    return core


def is_year(text: str, core: Core, raw: str) -> bool:
    return (
        core.kind == "digit"
        and len(raw) == 4
        and raw.isdigit()
        and 1800 <= int(raw) <= 2100
        and core.unit is None
    )
