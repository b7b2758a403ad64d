"""Reading numerals: digits with separators and scales, number words, fractions.

Values are computed with ``Decimal`` so that "7.4 million" is exactly 7400000 and not
7400000.000000001, then handed out as ``int`` when integral.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .model import Number

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "lakh": 100_000, "crore": 10_000_000,
}  # fmt: skip
# Plural scales after a figure: "12 lakhs", "3 crores".
SCALE_PLURALS = {"lakhs": "lakh", "crores": "crore"}
# Abbreviated scales written after digits: "7.4m", "$2bn", "19.5k", "5 mln".
SCALE_ABBREV = {
    "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "b": 1_000_000_000,
    "bn": 1_000_000_000, "bln": 1_000_000_000, "t": 1_000_000_000_000,
    "tn": 1_000_000_000_000,
}  # fmt: skip
FRACTIONS = {
    "half": Decimal(50), "third": Decimal(100) / 3, "quarter": Decimal(25),
    "fifth": Decimal(20), "sixth": Decimal(100) / 6, "seventh": Decimal(100) / 7,
    "eighth": Decimal("12.5"), "ninth": Decimal(100) / 9, "tenth": Decimal(10),
}  # fmt: skip
# Vulgar fraction characters: "¼ cup", "1½ hours".
VULGAR = {
    "¼": Decimal("0.25"), "½": Decimal("0.5"), "¾": Decimal("0.75"), "⅓": Decimal(1) / 3,
    "⅔": Decimal(2) / 3, "⅕": Decimal("0.2"), "⅖": Decimal("0.4"), "⅗": Decimal("0.6"),
    "⅘": Decimal("0.8"), "⅙": Decimal(1) / 6, "⅚": Decimal(5) / 6, "⅛": Decimal("0.125"),
    "⅜": Decimal("0.375"), "⅝": Decimal("0.625"), "⅞": Decimal("0.875"), "⅐": Decimal(1) / 7,
    "⅑": Decimal(1) / 9, "⅒": Decimal("0.1"),
}  # fmt: skip
_DIGIT_WORDS = {w: Decimal(v) for w, v in SMALL.items() if v < 10}

NUMBER_WORDS = tuple(SMALL) + tuple(SCALES) + ("dozen",)
_WORD_BREAKS = re.compile(r"[\s\-\u2010\u2011,]+")
_FRACTION_BREAKS = re.compile(r"[\s\-]+")
_SEPARATORS = re.compile(r"[,\s\u00a0\u202f\u2009']")


def to_number(value: Decimal) -> Number:
    """Return ``value`` as an int when it is integral, else as a float (thirds and sixths
    rounded to 2 places, as percentages of them are written: 66.67)."""
    if value == value.to_integral_value():
        return int(value)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -8:
        return float(round(value, 2)) if abs(value) >= 1 else float(value)
    return float(value)


def parse_digits(text: str) -> Decimal | None:
    """Read "1,200", "19 546", "61.9" or "-25"; return None when it is not a plain numeral.
    The sign is left to the caller: the value returned is the magnitude."""
    try:
        if text.isdigit():
            return Decimal(text)  # no sign and no separator: most figures
        return Decimal(_SEPARATORS.sub("", text.lstrip("-−+")))
    except InvalidOperation:
        return None


def parse_words(text: str) -> Decimal | None:
    """Read "thirty-nine", "a dozen", "one hundred and twenty", "two and a half million"."""
    words = _WORD_BREAKS.split(text.lower().strip())
    total = Decimal(0)
    current = Decimal(0)
    seen = False
    i = 0
    while i < len(words):
        word = words[i]
        if word == "point" and seen and i + 1 < len(words):
            digits = words[i + 1 :]
            if not all(d in _DIGIT_WORDS for d in digits):
                return None
            decimals = "".join(str(_DIGIT_WORDS[d]) for d in digits)
            return total + current + Decimal("0." + decimals)  # "one hundred point five"
        if word in ("a", "an") and i == 0:
            current = Decimal(1)
        elif word in ("and", "&") and words[i + 1 : i + 3] == ["a", "half"]:
            current += Decimal("0.5")
            i += 2
            seen = True
        elif word in ("and", "&"):
            pass
        elif word in SMALL:
            current += SMALL[word]
            seen = True
        elif word == "dozen":
            current = (current or 1) * 12
            seen = True
        elif word in SCALES and i == 0:
            # "billion" alone is no number ("SDR 1.2 billion" with the figure unread, "Thousand
            # Oaks"): a scale counts only after a figure or "a" ("a billion", "two hundred").
            return None
        elif word == "hundred":
            current = (current or 1) * 100
            seen = True
        elif word in SCALES:
            total += (current or 1) * SCALES[word]
            current = Decimal(0)
            seen = True
        else:
            return None
        i += 1
    return total + current if seen else None


def parse_fraction(text: str) -> Decimal | None:
    """Read "half", "two-thirds", "a quarter", "one eighth" as a percentage (half -> 50)."""
    words = _FRACTION_BREAKS.split(text.lower().strip())
    head = words[-1]
    base = FRACTIONS.get(head.removesuffix("s")) if head != "halves" else FRACTIONS["half"]
    if base is None:
        return None
    count = Decimal(1)
    if len(words) > 1 and words[0] in SMALL:
        count = Decimal(SMALL[words[0]])
    return (base * count).quantize(Decimal("0.01")).normalize()
