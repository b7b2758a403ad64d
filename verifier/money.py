"""Money: currency signs, ISO 4217 codes and currency names, normalised to the lower-case code.

A sign may stand before the figure ("$40", "$ 40 million", "US$", "C$500", "USD250") or after
it ("25 €", "300元", "250 USD", "12 MUSD", "40 USD million"); a name follows it ("dollars",
"Swiss francs", "hryvnias"). "$" alone is the US dollar, "¥" the yen.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .lexicon import words

# ISO 4217 codes a report may write in capitals; "RMB" is the yuan's everyday code.
ISO_CODES = frozenset(
    words(
        "USD EUR GBP JPY CNY INR RUB UAH CHF CAD AUD NZD PLN TRY BRL MXN KRW SEK NOK DKK CZK "
        "HUF RON ILS AED SAR ZAR NGN KZT GEL BYN MDL HKD SGD EGP PKR BDT IDR THB VND ARS CLP "
        "COP PEN KES ETB GHS QAR KWD IRR IQD SYP AZN AMD UZS XDR"
    )
)
# The IMF's special drawing right is written SDR far more often than its code XDR.
_CODE_ALIASES = {"RMB": "cny", "SDR": "xdr", "SDRs": "xdr"}
SIGNS = {
    "$": "usd", "US$": "usd", "C$": "cad", "CA$": "cad", "A$": "aud", "AU$": "aud",
    "NZ$": "nzd", "HK$": "hkd", "S$": "sgd", "R$": "brl", "€": "eur", "£": "gbp", "¥": "jpy",
    "₹": "inr", "₽": "rub", "₴": "uah", "元": "cny", "₩": "krw", "₺": "try", "₪": "ils",
    "₦": "ngn", "₸": "kzt", "Rs": "inr", "Rs.": "inr", "zł": "pln",
}  # fmt: skip
# Currency names written after the figure, lower case.
NAMES = {
    "dollar": "usd", "dollars": "usd", "euro": "eur", "euros": "eur", "ruble": "rub",
    "rubles": "rub", "rouble": "rub", "roubles": "rub", "hryvnia": "uah", "hryvnias": "uah",
    "hryvnas": "uah", "hryvnya": "uah", "hryvnyas": "uah", "yen": "jpy", "yuan": "cny",
    "renminbi": "cny", "rupee": "inr", "rupees": "inr", "sterling": "gbp", "zloty": "pln",
    "zlotys": "pln", "zlotych": "pln", "shekel": "ils", "shekels": "ils", "naira": "ngn",
    "tenge": "kzt", "lari": "gel", "forint": "huf", "forints": "huf", "koruna": "czk",
    "dirham": "aed", "dirhams": "aed", "riyal": "sar", "riyals": "sar", "lira": "try",
    "liras": "try", "rand": "zar", "manat": "azn", "dram": "amd",
    "usd": "usd", "eur": "eur", "gbp": "gbp", "rub": "rub", "uah": "uah", "€": "eur",
    "£": "gbp", "₽": "rub", "₴": "uah", "$": "usd", "us$": "usd",
}  # fmt: skip
_PAIRS = {
    "swiss franc": "chf", "us dollar": "usd", "u.s. dollar": "usd", "canadian dollar": "cad",
    "australian dollar": "aud", "hong kong dollar": "hkd", "new zealand dollar": "nzd",
    "pound sterling": "gbp", "british pound": "gbp", "japanese yen": "jpy",
    "chinese yuan": "cny", "indian rupee": "inr", "russian ruble": "rub",
    "russian rouble": "rub", "ukrainian hryvnia": "uah", "turkish lira": "try",
    "polish zloty": "pln", "israeli shekel": "ils",
}  # fmt: skip
PAIR_STARTS = frozenset(pair.split()[0] for pair in _PAIRS)
# Every code a report may write before or after a figure ("SDR 1.2 billion", "250 USD").
WRITTEN_CODES = ISO_CODES | frozenset(_CODE_ALIASES)
_CODE_RE = "|".join(sorted(WRITTEN_CODES, key=len, reverse=True))
_SIGN_RE = "|".join(re.escape(s) for s in sorted(SIGNS, key=len, reverse=True))
# Anchored at the figure: the sign or code right before it, with at most one space.
BEFORE = re.compile(rf"(?:(?<![A-Za-z])(?:{_CODE_RE})|(?<![A-Za-z])(?:{_SIGN_RE}))[ \u00a0]?$")
_SCALES = {
    "k": 1_000, "m": 1_000_000, "mm": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000,
    "million": 1_000_000, "billion": 1_000_000_000, "thousand": 1_000, "mln": 1_000_000,
    "trillion": 1_000_000_000_000,
}  # fmt: skip
_AFTER = re.compile(
    rf"[ \u00a0]?(?:(€|元|₽|₴|£|¥|₹|\$)|(k|M|MM|mn|bn)?({_CODE_RE})(?![A-Za-z]))"
    r"(?:\s+(million|billion|trillion|thousand|mln|bn|mn)\b)?"
)
_AFTER_FIRST = frozenset(
    "€元₽₴£¥₹$kMmb" + "".join(code[0] for code in ISO_CODES | set(_CODE_ALIASES))
)
_PAIR = re.compile(
    r"\s+(" + "|".join(p.replace(" ", r"\s+").replace(".", r"\.") for p in _PAIRS) + r")s?\b",
    re.I,
)
_CENTS = re.compile(r"\s+(?:and\s+)?(\d{1,2})\s+(?:cents?|pence|kopecks?|kopiykas?)\b", re.I)


def code_before(sign: str) -> str:
    """The ISO code, lower case, of a sign or code found by BEFORE ("US$ " -> "usd")."""
    sign = sign.strip()
    if sign in SIGNS:
        return SIGNS[sign]
    return _CODE_ALIASES.get(sign, sign.lower())


def after(text: str, pos: int) -> tuple[str, Decimal, int] | None:
    """A sign or code written after the figure: (code, multiplier, end), or None.

    "25 €", "300元", "250 USD", "12 MUSD" (a million dollars), "40 USD million".
    """
    head = text[pos : pos + 2]
    first = head[1:2] if head[:1] in (" ", "\u00a0") else head[:1]
    if first not in _AFTER_FIRST:
        return None  # the common case: no sign and no code after the figure
    match = _AFTER.match(text, pos)
    if match is None:
        return None
    if match.group(1):
        code = SIGNS[match.group(1)]
        factor = Decimal(1)
    else:
        code = _CODE_ALIASES.get(match.group(3), match.group(3).lower())
        factor = Decimal(_SCALES[match.group(2).lower()]) if match.group(2) else Decimal(1)
    if match.group(4):
        factor *= _SCALES[match.group(4).lower()]
    return code, factor, match.end()


def name_pair(text: str, pos: int) -> tuple[str, str, int] | None:
    """A currency named in two words after the figure ("Swiss francs"): (code, as written,
    end), or None."""
    match = _PAIR.match(text, pos)
    if match is None:
        return None
    key = " ".join(match.group(1).lower().split())
    return _PAIRS[key], match.group(1) + ("s" if match.group().endswith("s") else ""), match.end()


def cents(text: str, pos: int) -> tuple[Decimal, int] | None:
    """The cents of a compound amount ("5 dollars 20 cents"): (fraction, end), or None."""
    match = _CENTS.match(text, pos)
    if match is None:
        return None
    return Decimal(match.group(1)) / 100, match.end()
