"""Text nobody on the team wrote: quantulum3's own test cases, scored against the engine.

quantulum3 ships its test sentences with the quantities it expects (``tests/quantities.json``
and ``tests/quantities.ambiguity.json`` of its English language pack). They are read from the
installed package at run time (requirements/bench.txt), never copied into the project.

How a case is scored (the conventions are quantulum3's; where ours differ, the rule says so):

* *found*: a claim of the engine overlaps the expected surface in the sentence;
* *value right*: the claim's value equals the expected value (a range "8- to 16-meter",
  which quantulum3 gives as 12 ± 4, is right when its lower and upper are 8 and 16), the
  same amount in the engine's unit counting too: "two thirds of" is 66.67 percent here and
  0.667 there, "a dozen eggs" 12 eggs here and 1 dozen there;
* *unit right*: the claim's unit names the expected unit once both are written the same way
  (British spellings as American, "degree Celsius" as "celsius", currencies as their ISO
  code, "percentage" as "percent", spaces ignored: "electronvolt" is "electron volt", and a
  cubic centimetre is a millilitre); quantulum3's "dimensionless" is right for a counted noun
  or no unit, and a rate ("count per week") for any noun per that period.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import money
from .unitlexicon import unit_name

_FILES = ("quantities.json", "quantities.ambiguity.json")
# quantulum3's names for the units our lexicon names differently.
_THEIR_NAMES = {
    "percentage": "percent", "pound sterling": "gbp", "pound-mass": "pound", "tonne": "ton",
    "degree celsius": "celsius", "degree fahrenheit": "fahrenheit",
    "minute of arc": "arcminute", "second of arc": "arcsecond",
}  # fmt: skip
# The same unit exactly, under another name (as a whole unit, not inside a compound).
_SAME_AS = {"cubic centimeter": "milliliter"}


def cases_path() -> Path | None:
    """The directory of quantulum3's English test cases, or None when it is not installed."""
    spec = importlib.util.find_spec("quantulum3")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "_lang" / "en_US" / "tests"
    return path if all((path / name).is_file() for name in _FILES) else None


def load_cases(path: Path) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for name in _FILES:
        cases.extend(json.loads((path / name).read_text(encoding="utf-8")))
    return cases


def _american(name: str) -> str:
    name = re.sub(r"(?<=[a-z])tre\b", "ter", name.lower())  # metre, litre, centimetre
    return name


def their_unit(name: str) -> str:
    """quantulum3's unit name written as the engine writes units."""
    low = name.lower()
    if low in _THEIR_NAMES:
        return _THEIR_NAMES[low]
    parts = [p.strip() for p in low.split(" per ")]
    out = []
    for part in parts:
        part = _THEIR_NAMES.get(part, part) if part not in _SAME_AS else part
        part = money.NAMES.get(part, part)
        out.append(_american(part))
    whole = " per ".join(out)
    return _SAME_AS.get(whole, whole)


def _same_unit(expected: str, unit: str | None) -> bool:
    ours = (unit or "").lower()
    if expected == "dimensionless":
        return not ours or unit_name(ours) is None or ours in ("dozen", "gross")
    if expected in _COUNT_UNITS:
        return not ours or unit_name(ours) is None  # "a dozen eggs": eggs are counted
    want = their_unit(expected)
    if want.startswith("count per "):
        return ours.endswith(" per " + want[len("count per ") :])
    if ours.replace(" ", "") == want.replace(" ", ""):
        return True  # "electron volt" is quantulum3's "electronvolt"
    # "inverse second" is "1 / second" in our lexicon's words; "dozen" counts a noun
    return ours.replace("1 / ", "inverse ") == want


# quantulum3 counts in these units what the engine counts as the noun itself.
_COUNT_UNITS = {"dozen": 12, "baker's dozen": 13, "gross": 144}


def _same_value(expected: dict[str, Any], claim: dict[str, Any]) -> bool:
    value = float(expected["value"])
    spread = float(expected.get("uncertainty") or 0)
    if spread and claim.get("lower") is not None and claim.get("upper") is not None:
        return _close(claim["lower"], value - spread) and _close(claim["upper"], value + spread)
    got = claim.get("value")
    if got is None:
        return False
    if _close(got, value):
        return True
    if expected["unit"] in _COUNT_UNITS:
        return _close(got, value * _COUNT_UNITS[expected["unit"]])  # "a dozen eggs": 12 eggs
    if expected["unit"] == "dimensionless" and claim.get("unit") == "percent":
        # "two thirds of the cake": 66.67 percent here, 0.667 there; the engine rounds a
        # share to two decimals of a percent
        return abs(float(got) / 100 - value) <= 0.00005 + 1e-9
    return False


def _close(a: float, b: float) -> bool:
    return abs(float(a) - b) <= 1e-6 * max(1.0, abs(b))


@dataclass
class Figures:
    expected: int = 0
    found: int = 0
    value_right: int = 0
    unit_right: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def share(self, part: int) -> float:
        return part / self.expected if self.expected else 0.0


def score(
    cases: Iterable[dict[str, Any]], extract: Callable[[str], list[dict[str, Any]]]
) -> Figures:
    """Score ``extract`` (text -> claim dicts) on quantulum3's cases."""
    figures = Figures()
    for case in cases:
        text = case["req"]
        claims = [c for c in extract(text) if c.get("kind") == "quantitative"]
        cursor = 0
        for expected in case["res"]:
            figures.expected += 1
            surface = expected["surface"]
            at = text.find(surface, cursor)
            if at < 0:
                at = text.find(surface)
            if at >= 0:
                cursor = at + len(surface)
            lo, hi = (at, at + len(surface)) if at >= 0 else (-1, -1)
            near = [c for c in claims if c["start"] < hi and lo < c["end"]]
            claim = next((c for c in near if _same_value(expected, c)), near[0] if near else None)
            verdict = {"text": text, "surface": surface, "value": expected["value"],
                       "unit": expected["unit"]}  # fmt: skip
            if claim is None:
                figures.misses.append({**verdict, "miss": "not found"})
                continue
            figures.found += 1
            value_ok = _same_value(expected, claim)
            unit_ok = _same_unit(expected["unit"], claim.get("unit"))
            figures.value_right += value_ok
            figures.unit_right += unit_ok
            if not (value_ok and unit_ok):
                wrong = " ".join(w for w, ok in (("value", value_ok), ("unit", unit_ok)) if not ok)
                got = [claim.get(k) for k in ("text", "value", "lower", "upper", "unit")]
                figures.misses.append({**verdict, "miss": wrong, "got": got})
    return figures
