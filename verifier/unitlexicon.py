"""The unit lexicon: every unit pint's registry defines, with its prefixes, symbols and plurals.

The names come from pint's own definition file (``default_en.txt`` of the pinned Pint
package), read as text once, on first use: the engine never imports pint itself (its registry
takes a second to build and is not needed to *read* units). Without pint installed, only the
hand list in units.py is known.

A written unit maps to a normalised name: pint's canonical name with spaces ("kilowatt hour",
"square mile", "milligram"), except where news usage reads better: degrees Celsius is
"celsius", a metric tonne is "ton".
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache, lru_cache
from pathlib import Path

from .lexicon import words

# The canonical names that read better another way in a claim record.
_RENAMED = {
    "degree_Celsius": "celsius", "degree_Fahrenheit": "fahrenheit", "degree_Rankine": "rankine",
    "degree_Reaumur": "reaumur", "metric_ton": "ton", "liter": "liter", "UK_pint": "pint",
    "US_liquid_gallon": "gallon", "international_foot": "foot", "international_inch": "inch",
    "international_mile": "mile", "international_yard": "yard", "avoirdupois_pound": "pound",
    "avoirdupois_ounce": "ounce", "nautical_mile": "nautical mile", "astronomical_unit": "au",
}  # fmt: skip
# Prefixes that combine with unit *names* ("kilowatt") and those that combine with symbols
# ("kW"). Rare prefixes are left out: "Ym" or "zeptogram" never occur in reports, and every
# combination is a chance to misread an ordinary word.
_NAME_PREFIXES = frozenset(
    words(
        "pico nano micro milli centi deci hecto kilo mega giga tera peta deca deka femto "
        "kibi mebi gibi tebi"
    )
)
_SYMBOL_PREFIXES = {
    "f": "femto", "p": "pico", "n": "nano", "µ": "micro", "μ": "micro", "m": "milli",
    "c": "centi", "k": "kilo", "M": "mega", "G": "giga", "T": "tera", "P": "peta",
    "Ki": "kibi", "Mi": "mebi", "Gi": "gibi", "Ti": "tebi",
}  # fmt: skip
# Names and symbols in pint that are ordinary English words or abbreviations in reports.
_NOT_UNITS = frozenset(
    words(
        "a at in are am pm pi bit mil pt st gr dr ct cd ly au no do go me us th nd rd mo tex "
        "thm quad point line mark gross force standard light ton_force section rod pole perch "
        "link chain span hand cup stone drop shot franklin bag barn pica didot cicero tog clo "
        "dram percent ppm E e g0 G0 c0 h s d t l B C F K N T V W J A S H P M"
    )
)
_DEFINITION = re.compile(r"^\s*([A-Za-z_µμΩ°][\w°µμΩ-]*)\s*=\s*(.*)$")


def _pint_definitions() -> Path | None:
    spec = importlib.util.find_spec("pint")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "default_en.txt"
    return path if path.is_file() else None


def _plurals(name: str) -> list[str]:
    if "_" in name:
        head, _, last = name.rpartition("_")
        return [f"{head}_{p}" for p in _plurals(last)]
    if name.endswith("foot"):
        return [name[:-4] + "feet"]
    if name.endswith("y") and not name.endswith(("ay", "ey")):
        return [name[:-1] + "ies"]
    if name.endswith(("s", "x", "ch", "sh")):
        return [name + "es"]
    if name.endswith("inch"):
        return [name + "es"]
    return [name + "s"]


def _display(canonical: str) -> str:
    return _RENAMED.get(canonical, canonical).replace("_", " ").lower()


@cache
def lexicon() -> tuple[dict[str, str], dict[str, str]]:
    """Return (names, symbols): lower-case written names and case-sensitive symbols, each
    mapped to the normalised unit. Built once from pint's definition file."""
    path = _pint_definitions()
    names: dict[str, str] = {}
    symbols: dict[str, str] = {}
    if path is None:
        return names, symbols
    units: list[tuple[str, list[str], list[str]]] = []  # canonical, names, symbols
    prefixes: dict[str, list[str]] = {}
    skipping = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("@"):
            # @context and @system blocks hold conversions and unit lists, not definitions
            skipping = line.startswith(("@context", "@system", "@defaults"))
            if line.startswith("@end"):
                skipping = False
            continue
        if skipping or line.startswith("["):
            continue
        match = _DEFINITION.match(line)
        if not match:
            continue
        head, rest = match.groups()
        parts = [p.strip() for p in rest.split("=")]
        extra = [p for p in parts[1:] if p and p != "_"]
        if head.endswith("-"):
            prefixes[head[:-1]] = [p.rstrip("-") for p in extra]
            continue
        symbol = extra[:1]
        aliases = extra[1:]
        units.append((head, [head, *aliases], symbol + [a for a in aliases if not a.islower()]))
    prefixed: list[tuple[str, str]] = []
    for canonical, written, written_symbols in units:
        display = _display(canonical)
        for name in written:
            low = name.lower()
            if low in _NOT_UNITS or not low.replace("_", "").isalpha():
                continue
            for form in (low, *_plurals(low)):
                names.setdefault(form.replace("_", " "), display)
                for prefix in _NAME_PREFIXES:
                    names.setdefault(
                        (prefix + form).replace("_", " "), _display(prefix + canonical)
                    )
        for symbol in written_symbols:
            if "_" in symbol:
                symbols.setdefault(symbol.replace("_", " "), display)  # "sq mi", "cu ft"
                continue
            # a free-standing "l" or "W" is filtered at lookup; "ml", "GW" are fine
            symbols.setdefault(symbol, display)
            for prefix, prefix_name in _SYMBOL_PREFIXES.items():
                prefixed.append((prefix + symbol, _display(prefix_name + canonical)))
    # A unit's own symbol wins over a prefixed one written the same way: "Pa" is the pascal,
    # not a peta-annum; "cd" the candela, not a centiday.
    for symbol, display in prefixed:
        symbols.setdefault(symbol, display)
    return names, symbols


# Where report usage reads a symbol otherwise than pint: "1500b" is bits, not barns; "-10C" is
# a temperature, not a charge in coulombs.
_SYMBOL_OVERRIDES = {
    "b": "bit", "kb": "kilobit", "Kb": "kilobit", "Mb": "megabit", "Gb": "gigabit",
    "Tb": "terabit", "C": "celsius", "F": "fahrenheit",
}  # fmt: skip


@cache
def prefixed_names() -> frozenset[str]:
    """Unit names of one word made with a prefix ("kilometre", "kibibyte", "milligram"): an
    article before one counts one of it ("a kibibyte"), as it does not before "a ton"."""
    names, _ = lexicon()
    return frozenset(
        name
        for name in names
        if " " not in name
        and any(name.startswith(p) and len(name) > len(p) + 2 for p in _NAME_PREFIXES)
    )


@cache
def pair_starts() -> frozenset[str]:
    """First words, lower case, of the units written in two words ("square", "sq", "cubic")."""
    names, symbols = lexicon()
    return frozenset(key.split()[0].lower() for key in (*names, *symbols) if " " in key)


@lru_cache(maxsize=8192)
def unit_name(word: str, *, glued: bool = False) -> str | None:
    """The normalised unit ``word`` names, or None.

    ``glued`` is for a suffix written onto the figure ("20mg", "5kWh"): there a short symbol
    is safe; a free-standing word must be a unit name ("milligrams") or a symbol of two or
    more characters that is not an English word ("mg", "GHz", "kWh").
    """
    names, symbols = lexicon()
    unit = _SYMBOL_OVERRIDES.get(word) if glued or len(word) > 1 else None
    if unit is not None:
        return unit
    unit = symbols.get(word)
    if (
        unit is not None
        and (
            (glued and word not in _SCALE_LETTERS)
            or (len(word) > 1 and word not in _NOT_UNITS and word.lower() not in _ENGLISH_LOWER)
        )
        and not (glued and word in _GLUED_WORDS)
    ):
        return unit
    low = word.lower()
    if len(low) > 1 and low not in _NOT_UNITS and low not in _ENGLISH_LOWER:
        unit = names.get(low) or _EXTRA.get(low)
        if unit is not None:
            return unit
    power = _POWER.fullmatch(word)
    if power:
        base = unit_name(power.group(1), glued=True)
        if base is not None and " " not in base:
            return ("square " if power.group(2) in ("2", "²") else "cubic ") + base
    return None


# Glued after a figure these are scales ("45K", "$12M", "3B", "$3.2T"), never kelvin or tesla.
_SCALE_LETTERS = frozenset(words("K M B T k"))
_GLUED_WORDS = frozenset(words("a at am pm an s"))  # "5a" is a house number, "1990s" a decade
_POWER = re.compile(r"([A-Za-zµμ]{1,3})\^?([23²³])")
_EXTRA = {"lbs": "pound", "hrs": "hour", "mins": "minute", "secs": "second", "sq": "square"}


# Lower-case symbols that would misread prose when written apart from the figure.
_ENGLISH_LOWER = frozenset(words("in at am an as is it on or by be he we me my so to up ha"))
