"""What a number counts or measures: the unit and the counted noun phrase after it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import money
from .lexicon import words
from .unitlexicon import pair_starts, unit_name

# Written unit -> normalised unit. Keys are lower case.
UNIT_WORDS = {
    "km": "kilometer", "kms": "kilometer", "kilometer": "kilometer", "kilometers": "kilometer",
    "kilometre": "kilometer", "kilometres": "kilometer", "m": "meter", "meter": "meter",
    "meters": "meter", "metre": "meter", "metres": "meter", "mi": "mile", "mile": "mile",
    "miles": "mile", "ha": "hectare", "hectare": "hectare", "hectares": "hectare",
    "km2": "square kilometer", "km²": "square kilometer", "kg": "kilogram",
    "kilogram": "kilogram", "kilograms": "kilogram", "ton": "ton", "tons": "ton",
    "tonne": "ton", "tonnes": "ton", "cm": "centimeter", "h": "hour",
    "kph": "kilometer per hour", "mph": "mile per hour", "hr": "hour", "hrs": "hour",
    "min": "minute", "mins": "minute", "sec": "second", "secs": "second", "yr": "year",
    "yrs": "year",
    "%": "percent", "percent": "percent", "pct": "percent", "pc": "percent",
    **money.NAMES,
}  # fmt: skip
DISTANCE_UNITS = frozenset({"kilometer", "meter", "mile", "centimeter"})
TIME_UNITS = frozenset(
    {"second", "minute", "hour", "day", "night", "week", "month", "year", "decade", "century"}
)
IRREGULAR_PLURALS = {
    "children": "child", "people": "person", "men": "man", "women": "woman", "persons": "person",
    "feet": "foot", "teeth": "tooth", "mice": "mouse", "lives": "life", "wives": "wife",
    "knives": "knife", "halves": "half", "criteria": "criterion", "phenomena": "phenomenon",
    "media": "media", "data": "data", "centres": "center", "centre": "center",
    "series": "series", "buses": "bus", "gases": "gas", "lenses": "lens", "species": "species",
    "headquarters": "headquarters",
}  # fmt: skip
# Nouns that count without a plural -s ("500 personnel", "40 aircraft").
MASS_NOUNS = frozenset(
    words(
        "personnel equipment staff police military aircraft artillery ammunition infantry "
        "livestock "
        "cattle sheep fish deer "
    )
)
# Words that end a noun phrase: function words, auxiliaries and frequent verbs.
STOP_WORDS = frozenset(
    words(
        "a an the this that these those of in on at to from for with by into onto near over under "
        "across through toward towards around about within without between among along against "
        "during since until before after behind beyond inside outside per via than as and or but "
        "nor so yet if while when where whereas because although though who whom whose which what "
        "is are was were be been being am has have had having do does did will would shall should "
        "can could may might must not no its their his her our my your them they he she we it i "
        "also each every all both either neither such only just still even already more most less "
        "fewer least other another same there here then now who's including included include "
        "includes remain remains remained live lives lived died die dies reportedly allegedly out "
        "off up down away back again per cent percent others "
    )
)
_TOKEN = re.compile(r"\s*[”\"’']?\s*([^\W\d_][\w’'ʼ]*(?:-[\w’'ʼ]+)*)")
# Model names inside a noun phrase: "T-72B3", "Kh-59/69", "Leopard 2".
_MODEL = re.compile(r"\s*(?:[A-Za-z]+[-‐]?\w*\d[\w/-]*|[A-Z][a-z]+\s+\d+[A-Z\d]*)(?![\w’'])")
_CAPITALS = re.compile(r"\s+[A-Z]{4,}\b")  # "1.2 million REFUGEES" in a line of capitals
_SHOUTED = re.compile(r"\s+[A-Z]{3,}\s+[A-Z]{3,}\b(?![a-z])")
_OF = re.compile(
    r"\s+of\s+(?:the\s+|these\s+|those\s+|its\s+|their\s+|all\s+|our\s+|his\s+|her\s+)?",
    re.I,
)
_RATE = re.compile(
    r"(?:/\s*(h|hr|hour|day|d)\b|\s+(?:per|a|an|each|every)\s+(second|minute|hour|day|night"
    r"|week|month|year)\b(?!\s+(?:earlier|ago|before|later|after|previously|prior)\b)"
    r"|\s+(daily|nightly|weekly|monthly|yearly|annually)"
    r"|\s+per\s+(?!cent\b)([^\W\d_]+)|\s+an?\s+([^\W\d_]+))",
    re.I,
)
# "$5 a litre", "$80 a barrel": units that "a" makes a rate of, besides the periods of time.
_ARTICLE_RATE_UNITS = frozenset(
    words("litre liter gallon barrel kilogram kilo kg pound ton tonne head piece unit person share")
)
_RATE_ADVERB = {
    "daily": "day", "nightly": "night", "weekly": "week", "monthly": "month",
    "yearly": "year", "annually": "year",
}  # fmt: skip


@dataclass(slots=True)
class UnitMatch:
    """The unit found after a number, where its noun phrase ends, and how it was found."""

    unit: str | None
    subject: str | None
    end: int
    pronoun: bool = False  # "of them", "of whom": the noun is elsewhere


_NEXT_WORD = re.compile(r"\s+([A-Za-z.]+)")


def _next_word_in(text: str, pos: int, starts: frozenset[str]) -> bool:
    word = _NEXT_WORD.match(text, pos)
    return word is not None and word.group(1).lower() in starts


def singular(word: str) -> str:
    """Return the singular, lower-case form of an English noun ("casualties" -> "casualty")."""
    if len(word) > 1 and word.isupper():
        return word.lower()  # an acronym is its own singular: "HIMARS", "ATACMS", "MLRS"
    w = word.lower().replace("’", "'")
    if w in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[w]
    if w in UNIT_WORDS:
        return UNIT_WORDS[w]
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("men") and not w.endswith(("omen", "amen")):
        return w[:-3] + "man"  # "servicemen", "gunmen"
    if w.endswith("children"):
        return w[:-3]  # "grandchildren"
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes", "zes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("tre") and w not in ("theatre",):
        w = w[:-3] + "ter"
    return w


def looks_plural(word: str) -> bool:
    """Return whether ``word`` reads as a plural noun ("children", "Ukrainians", "POWs")."""
    if len(word) > 1 and word.isupper():
        return False  # "HIMARS", "ATACMS": the S is part of the name; "POWs" keeps a small s
    w = word.lower()
    if w in IRREGULAR_PLURALS:
        return True
    if len(w) > 4 and w.endswith("men") and not w.endswith(("omen", "amen")):
        return True  # "servicemen", "gunmen"
    if w.endswith("children"):
        return True
    if w in _SINGULAR_IN_S:
        return False  # "two gas pipelines": "gas" qualifies the noun counted after it
    return len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ous"))


# Singular nouns that end in "s" like a plural and often stand before the noun they qualify
# ("gas pipelines", "news outlets", "canvas bags", "atlas pages").
_SINGULAR_IN_S = frozenset(words("gas news lens canvas atlas chaos"))


_PARTICIPLE_NEXT = re.compile(r"\s+(?:[a-z]+(?:ed|en)|built|held|hit|left|lost|found|made)\s+[a-z]")


def _is_adverb(word: str) -> bool:
    return len(word) > 4 and word.endswith("ly") and word not in ("family", "ally", "italy")


def rate(text: str, pos: int, unit: str) -> tuple[str, int]:
    """Return ``unit`` made a rate by what follows ("per day", "/h", "per tonne"), and where
    the rate ends."""
    return _rate(text, pos, unit)


# A unit divided by a unit: "km/s2", "kg/cm³", "l/km", "W/min", "J/m^2".
_SLASH_UNIT = re.compile(r"[ \u00a0]?/[ \u00a0]?([A-Za-zµμΩ]{1,6})(?:\^?([23²³]))?(?![\w/])")
_DENOMINATOR_LETTERS = {"s": "second", "h": "hour", "d": "day", "m": "meter", "g": "gram"}
# "s-1", "fb−1", "s⁻¹": an inverse unit
_INVERSE = re.compile(r"(?:\^?[-−⁻]1|⁻¹)(?![\w.,])")
_INVERSE_UNIT = re.compile(r"[ \u00a0]?([A-Za-zµμ]{1,4})(?:\^?[-−⁻]1|⁻¹)(?![\w.,])")


def symbol_unit(word: str) -> str | None:
    """The unit a symbol names where the grammar says it is one (in "W/min", "s-1", after a
    slash): single letters are safe there."""
    low = word.lower()
    hand = UNIT_WORDS.get(low)
    if hand is not None and hand not in money.NAMES.values() and hand != "percent":
        return hand
    return _DENOMINATOR_LETTERS.get(word) or unit_name(word, glued=True)


def _powered(unit: str, power: str | None) -> str:
    if not power or " " in unit:
        return unit
    return ("square " if power in ("2", "²") else "cubic ") + unit


def _rate(text: str, pos: int, unit: str) -> tuple[str, int]:
    match = _RATE.match(text, pos)
    if not match:
        slash = _SLASH_UNIT.match(text, pos) if "/" in text[pos : pos + 3] else None
        per = symbol_unit(slash.group(1)) if slash else None
        if slash is None or per is None:
            return unit, pos
        # "20 J/m^2 per year": a rate of a rate
        return _rate(text, slash.end(), f"{unit} per {_powered(per, slash.group(2))}")
    if match.group(1):
        period = {"h": "hour", "hr": "hour", "d": "day"}.get(match.group(1).lower(), "hour")
    elif match.group(4) or match.group(5):
        noun = match.group(4) or match.group(5)
        period = UNIT_WORDS.get(noun.lower()) or unit_name(noun) or singular(noun)
        if match.group(5) and noun.lower() not in _ARTICLE_RATE_UNITS:
            return unit, pos  # "a" before an ordinary noun starts a new phrase
    else:
        period = match.group(2) or _RATE_ADVERB[match.group(3).lower()]
    return f"{unit} per {period.lower()}", match.end()


def unit_after(text: str, pos: int, *, singular_count: bool, vague: bool) -> UnitMatch:
    """Find the counted noun phrase that starts at ``pos``.

    Returns the normalised unit (None when the noun is elided, as in "227 killed and ..."),
    the noun phrase as written and where it ends.
    """
    if (text[pos + 1 : pos + 2].isupper() and _SHOUTED.match(text, pos)) or (
        text[pos + 1 : pos + 2].isupper()
        and _CAPITALS.match(text, pos)
        and not any(ch.islower() for ch in text[pos : pos + 60])
    ):
        # "249 CIVILIAN DEATHS": a line in capitals reads as if in lower case; a lone acronym
        # ("40 HIMARS") keeps its capitals.
        low = text[: pos + 80].lower()
        found = unit_after(low, pos, singular_count=singular_count, vague=vague)
        return UnitMatch(
            found.unit, text[pos : found.end].strip() or None, found.end, found.pronoun
        )
    measured = measure_unit(text, pos)
    if measured is not None:
        return measured
    pair = money.name_pair(text, pos) if _next_word_in(text, pos, money.PAIR_STARTS) else None
    if pair is not None:
        return _finish(text, pair[2] - len(pair[1]), pair[2], pair[0])  # "1,200 Swiss francs"
    of = _OF.match(text, pos)
    if of:
        follow = _TOKEN.match(text, of.end())
        if follow and follow.group(1).lower() in ("them", "whom", "which", "those", "us"):
            return UnitMatch(None, None, pos, pronoun=True)
        pos = of.end()
    tokens: list[tuple[int, int, str]] = []
    cursor = pos
    head: tuple[int, int, str] | None = None
    model: re.Match[str] | None = None
    for _ in range(6):
        found_model = _MODEL.match(text, cursor)
        if found_model:
            model = found_model
            cursor = model.end()  # "five T-72B3 tanks": skip the model name, keep the noun
            continue
        match = _TOKEN.match(text, cursor)
        if not match:
            break
        word = match.group(1)
        if word.endswith(("s'", "s’")):
            word = word[:-1]  # "two weeks' notice": the weeks are counted
        elif word.endswith(("'", "’")):
            word = word[:-1]  # "he said '40 people' died": a closing quote
        lower = word.lower()
        if lower in ("and", "or") and tokens and head is None and not singular_count:
            cursor = match.end()  # "147 Shahed and decoy drones": one coordinated noun phrase
            continue
        if lower in STOP_WORDS:
            break
        if _is_adverb(lower) and not (not tokens and _PARTICIPLE_NEXT.match(text, match.end())):
            break  # "68,400 internally displaced persons": an adverb of the participle goes on
        cursor = match.end()
        if not tokens and lower in UNIT_WORDS:
            return _finish(text, match.start(1), match.end(1), UNIT_WORDS[lower])
        if not tokens and lower in _MEASURE_ADJECTIVES and _noun_follows(text, match.end()):
            # "a twenty pound bag", "a 40 gallon drum": the measure, not the thing counted
            return _finish(text, match.start(1), match.end(1), _MEASURE_ADJECTIVES[lower])
        if not tokens and lower in _POWER_WORDS:
            nxt = _TOKEN.match(text, cursor)
            base = UNIT_WORDS.get(nxt.group(1).lower()) if nxt else None
            if base is not None and " " not in base:
                # "30 square metres", "40 cubic meters": the power of the unit named next
                kind = "square" if lower in ("square", "sq") else "cubic"
                return _finish(text, match.start(1), nxt.end(1), f"{kind} {base}")
        tokens.append((match.start(1), match.end(1), word))
        if looks_plural(word) and not lower.endswith(("'s", "’s")):
            head = tokens[-1]
            break
    if head is None and tokens:
        last = tokens[-1]
        if (
            singular_count
            or vague
            or last[2].lower() in MASS_NOUNS
            or singular(last[2]) in TIME_UNITS
            or (len(last[2]) > 1 and last[2].isupper())  # "four HIMARS": the system counted
        ) or (not last[2].lower().endswith("ed") and len(tokens) > 1):
            head = last
    if head is None and not tokens and model is not None:
        # "50 F-16s": the model is what is counted
        name = model.group().strip()
        return _finish(
            text, model.end() - len(name), model.end(), re.sub(r"(?<=\d)s$", "", name).lower()
        )
    if head is None:
        return UnitMatch(None, None, pos)
    if head[2].lower().endswith("ed") and head[2].lower() not in ("armed",):
        return UnitMatch(None, None, pos)
    if (
        len(tokens) > 1
        and tokens[0][2].lower().endswith("ed")
        and tokens[1][2].lower() in _PLACE_ADVERBS
    ):
        return UnitMatch(None, None, pos)  # "450 returned home": a verb, the noun is elided
    return _finish(text, tokens[0][0], head[1], singular(head[2]))


def _finish(text: str, start: int, end: int, unit: str) -> UnitMatch:
    unit, _ = _rate(text, end, unit)
    return UnitMatch(unit, text[start:end], end)


def _straight_mark(text: str, pos: int) -> UnitMatch | None:
    """A straight quote right after a figure as a foot or inch mark ("6' fence", "9\" plates"),
    unless it closes a quotation ("he said 'about 40'") or starts a word ("the 1990's")."""
    mark = text[pos]
    if text[pos + 1 : pos + 2].isalpha():
        return None
    if mark == '"':
        if text.count('"', 0, pos) % 2:
            return None  # an odd number before it: it closes a quotation
        return _finish(text, pos, pos + 1, "inch")
    opened = _OPENING_QUOTE.findall(text, 0, pos)
    if opened and len(opened) > len(_CLOSING_QUOTE.findall(text, 0, pos)):
        return None
    return _finish(text, pos, pos + 1, "foot")


_OPENING_QUOTE = re.compile(r"(?:^|(?<=[\s(\[]))'(?=\S)")
_CLOSING_QUOTE = re.compile(r"(?<=[^\s\d])'(?=[\s.,;:!?)\]]|$)")


_DEGREES = re.compile(
    r"\s*(?:[°º˚]\s?|degrees?\s+)(C|F|K|Celsius|Fahrenheit|Kelvin|centigrade)\b"
    r"|\s*[°º˚](?![\d′'\s]*[NSEW]\b)",  # a bare ° is an angle, not a compass bearing
    re.I,
)
_MARKS = re.compile(r"[ \u00a0]?([′″])")  # primes: 6′ is six feet, 9″ nine inches
_MARK_UNITS = {"′": "foot", "″": "inch"}
_INCH = re.compile(
    r"[ \u00a0](in)(?=\.?\s*$|[.,;)]|\s+(?:thick|long|wide|tall|high|deep|across|diameter|of)\b)"
)
_POWER_WORD = re.compile(r"[ \u00a0]?(square|sq|cubic|cu)\.?(?=\s)", re.I)
_RAISED = re.compile(r"(?:\^([23])|\s(squared|cubed)\b)", re.I)
_SCALE_NAMES = {"c": "celsius", "f": "fahrenheit", "k": "kelvin", "centigrade": "celsius"}
# A unit symbol or name right after the figure: "mg", "kWh", "µg", "km2", "m²", "sq mi".
_UNIT_TOKEN = re.compile(r"[ \u00a0]?([A-Za-zµμΩ][A-Za-zµμΩ²³]*(?:\^?[23](?![\d,.]))?)(?![\w-])")
_SECOND_TOKEN = re.compile(r"[ \u00a0]+([A-Za-z]+)\b")


_DEGREE_SIGNS = frozenset("°º˚")
_POWER_WORDS = frozenset(("square", "sq", "cubic", "cu"))


# "−273.15° on the Celsius scale": the scale named after a bare degree sign
_SCALE_NAMED = re.compile(r"\s+(?:on\s+the\s+)?(Celsius|Fahrenheit|Kelvin|centigrade)\b", re.I)


def _degrees(text: str, pos: int) -> UnitMatch | None:
    degrees = _DEGREES.match(text, pos)
    if not degrees:
        return None
    scale = degrees.group(1)
    if not scale:
        named = _SCALE_NAMED.match(text, degrees.end())
        scale = named.group(1) if named else None
    unit = _SCALE_NAMES.get(scale.lower(), scale.lower()) if scale else "degree"
    lead = len(degrees.group()) - len(degrees.group().lstrip())
    return _finish(text, degrees.start() + lead, degrees.end(), unit)


def measure_unit(text: str, pos: int, *, glued: bool = False) -> UnitMatch | None:
    """A unit of measurement written right after a figure, from the unit lexicon (pint's
    registry): degrees with their scale, symbols ("20 mg caffeine", "30 kWh yesterday"),
    names of one or two words ("cubic feet", "square miles"), with a rate after it
    ("km/h", "per month"). None when what follows is not a unit."""
    # Cheap tests on the next characters first: most figures are followed by a plain noun.
    head = text[pos : pos + 2]
    mark = head[1:2] if head[:1] in (" ", "\u00a0") else head[:1]
    if mark in _DEGREE_SIGNS:
        return _degrees(text, pos)
    if mark in _MARK_UNITS:
        found = _MARKS.match(text, pos)
        if found:
            return _finish(text, found.start(1), found.end(1), _MARK_UNITS[found.group(1)])
    if head[:1] in ("'", '"'):
        return _straight_mark(text, pos)
    if not (mark.isalpha() or mark in "µμΩ"):
        return None
    ahead = text[pos : pos + 9]
    if "1" in ahead or "¹" in ahead:
        inverse = _INVERSE_UNIT.match(text, pos)
        base = symbol_unit(inverse.group(1)) if inverse else None
        if inverse and base is not None and (not glued or inverse.start(1) == pos):
            return _finish(text, inverse.start(1), inverse.end(), f"inverse {base}")
    token = _UNIT_TOKEN.match(text, pos)
    if token is None or (glued and token.start(1) != pos):
        return None
    word = token.group(1)
    low = word.lower()
    if low in ("degree", "degrees"):
        return _degrees(text, pos)
    if text.startswith("/", token.end()) or text.startswith(" / ", token.end()):
        over = _SLASH_UNIT.match(text, token.end())
        base = symbol_unit(word) if over and symbol_unit(over.group(1)) else None
        if base is not None:
            return _finish(text, token.start(1), token.end(1), base)  # "-1e-3 W/min"
    if low == "in":
        inch = _INCH.match(text, pos)
        return _finish(text, inch.start(1), inch.end(1), "inch") if inch else None
    if low in _POWER_WORDS:
        power = _POWER_WORD.match(text, pos)
        base = measure_unit(text, power.end(1)) if power else None
        if power and base is not None and base.unit and " " not in base.unit:
            kind = "square" if power.group(1).lower() in ("square", "sq") else "cubic"
            return _finish(text, power.start(1), base.end, f"{kind} {base.unit}")
    if text.startswith(("^", " squared", " cubed"), token.end()):
        raised = _RAISED.match(text, token.end())
        base = UNIT_WORDS.get(low) or unit_name(word, glued=True)
        if raised and base is not None and " " not in base:
            kind = (
                "square"
                if (raised.group(1) or raised.group(2)).lower() in ("2", "squared")
                else "cubic"
            )
            return _finish(text, token.start(1), raised.end(), f"{kind} {base}")
    if low not in pair_starts():
        return _single(text, pos, token, word, low, glued)
    second = _SECOND_TOKEN.match(text, token.end())
    if second:
        pair = f"{word} {second.group(1)}"
        unit = unit_name(pair)
        if unit is not None:
            return _finish(text, token.start(1), second.end(1), unit)
        third = _SECOND_TOKEN.match(text, second.end())
        if third:  # "British thermal units"
            unit = unit_name(f"{pair} {third.group(1)}")
            if unit is not None:
                return _finish(text, token.start(1), third.end(1), unit)
    return _single(text, pos, token, word, low, glued)


def _single(
    text: str, pos: int, token: re.Match[str], word: str, low: str, glued: bool
) -> UnitMatch | None:
    """The unit one written word names, or None."""
    hand = UNIT_WORDS.get(low)
    if hand is not None:
        if hand in _CALLER_UNITS or hand in TIME_UNITS or hand in _COUNTABLE:
            return None  # currencies, "percent", "hours": read by the caller
        return _finish(text, token.start(1), token.end(1), hand)  # "km", "km2", "kg"
    if word in _SPACED_LETTERS and not _LETTER_AFTER.match(text, token.end()):
        return _finish(text, token.start(1), token.end(1), _SPACED_LETTERS[word])  # "200 L"
    unit = unit_name(word, glued=glued or token.start(1) == pos)
    if unit is None or (word[:1].isupper() and word.isalpha() and len(word) > 3 and not glued):
        return None  # "Kharkiv", "Minutes": a capitalised word is a name, not a unit
    if (unit in TIME_UNITS or unit in _COUNTABLE) and not glued:
        return None  # "two weeks", "three days": counted like any noun, read by the caller
    return _finish(text, token.start(1), token.end(1), unit)


# Units written in the singular before a noun, as measures of it.
_MEASURE_ADJECTIVES = {
    "pound": "pound", "acre": "acre", "barrel": "barrel", "gallon": "gallon", "litre": "liter",
    "liter": "liter", "tonne": "ton",
}  # fmt: skip


def _noun_follows(text: str, pos: int) -> bool:
    word = _TOKEN.match(text, pos)
    return word is not None and word.group(1).lower() not in STOP_WORDS


# Words after a verb that say where, not what: "450 returned home", "12 were found alive".
_PLACE_ADVERBS = frozenset(
    words("home abroad alive safely there here back inside overseas unharmed unhurt dead")
)
_CALLER_UNITS = frozenset((*money.NAMES.values(), "percent"))
# Single capitals that stand for a unit when written apart from the figure and followed by no
# word: "200 L of water", "cooled to 4 K."
_SPACED_LETTERS = {"L": "liter", "K": "kelvin", "C": "celsius", "F": "fahrenheit", "t": "ton"}
_LETTER_AFTER = re.compile(r"[\w'’-]")
# Units that are ordinary counted nouns in reports: the noun reader handles them.
_COUNTABLE = frozenset(("ton", "mile", "meter", "hectare", "acre", "barrel", "gallon", "pound"))
