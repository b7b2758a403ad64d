"""Pairs of claims and how they relate, in our own words: the engine must agree."""

from __future__ import annotations

from datetime import date

import pytest

from tests.verification.facts import SINCE_2022, facts
from verifier.consistency import INVERSE, ClaimFacts, relate

MARCH_30 = (date(2025, 3, 30), date(2025, 3, 30))
APRIL = (date(2025, 4, 1), date(2025, 4, 30))
AS_OF_APRIL = (None, date(2025, 4, 30))
SINCE_2022_APRIL = (date(2022, 1, 1), date(2025, 4, 30))
ELSEWHERE = {"places": ("Kherson Oblast", "Skadovsk"), "actors": ()}

PAIRS: list[tuple[str, ClaimFacts, ClaimFacts, str | None]] = [
    # same: the figure restated, by another outlet or on a day inside the period
    ("ISW and the media it cites: 39 children", facts(39), facts(39), "same"),
    ("39 in late March, 39 reported on March 30", facts(39), facts(39, period=MARCH_30), "same"),
    (
        "over 1,200 twice",
        facts(1200, "ukrainian", "more_than", SINCE_2022),
        facts(1200, "ukrainian", "more_than", SINCE_2022),
        "same",
    ),
    # consistent: different words, compatible numbers
    ("about 40 and 39", facts(40, qualifier="approximate"), facts(39), "consistent"),
    (
        "over 1,200 since 2022 and 1,250 as of April 2025",
        facts(1200, "ukrainian", "more_than", SINCE_2022),
        facts(1250, "ukrainian", period=AS_OF_APRIL),
        "consistent",
    ),
    (
        "over 1,200 in March, over 1,250 in a later update",
        facts(1200, "ukrainian", "more_than", SINCE_2022),
        facts(1250, "ukrainian", "more_than", SINCE_2022_APRIL),
        "consistent",
    ),
    (
        "a running total grows: 1,200 then 1,250 since 2022",
        facts(1200, "ukrainian", period=SINCE_2022),
        facts(1250, "ukrainian", period=SINCE_2022_APRIL),
        "consistent",
    ),
    (
        "between 30 and 50 includes 39",
        facts(30, qualifier="range", upper=50),
        facts(39),
        "consistent",
    ),
    ("at least 39 and 45", facts(39, qualifier="at_least"), facts(45), "consistent"),
    # part of: a smaller count in a shorter period inside a longer one
    (
        "39 children in late March inside over 1,200 Ukrainians since 2022",
        facts(39),
        facts(1200, "ukrainian", "more_than", SINCE_2022),
        "part_of",
    ),
    (
        "39 children in late March inside 300 children since 2022",
        facts(39),
        facts(300, period=SINCE_2022),
        "part_of",
    ),
    (
        "1,200 Ukrainians since 2022 contain 39 children",
        facts(1200, "ukrainian", "more_than", SINCE_2022),
        facts(39),
        "contains",
    ),
    # contradicts: rival figures for one event and period
    ("39 children and 45 children in late March", facts(39), facts(45), "contradicts"),
    ("fewer than 30 and exactly 39", facts(30, qualifier="less_than"), facts(39), "contradicts"),
    ("a day's count above the period's", facts(45, period=MARCH_30), facts(39), "contradicts"),
    (
        "within 15 km and over 700 km",
        facts(15, "kilometer", "at_most", (None, None)),
        facts(700, "kilometer", "more_than", (None, None)),
        "contradicts",
    ),
    # unrelated: another place, another period, another thing counted
    ("same count, another place", facts(39), facts(45, **ELSEWHERE), None),
    ("same place, a later month", facts(39), facts(45, period=APRIL), None),
    ("children and kilometres", facts(39), facts(39, "kilometer"), None),
    ("children and drones", facts(39), facts(39, "drone"), None),
    (
        "only the country in common",
        facts(39, places=("Ukraine",)),
        facts(45, places=("Ukraine", "Russia")),
        None,
    ),
    (
        "periods that only overlap",
        facts(39, period=(date(2025, 3, 1), date(2025, 3, 25))),
        facts(90, period=(date(2025, 3, 20), date(2025, 4, 10))),
        None,
    ),
    (
        "shares of different things: 30 % of homes, 45 % of schools",
        facts(30, "percent", subject="% of homes"),
        facts(45, "percent", subject="% of schools"),
        None,
    ),
    (
        "shares of one thing: 30 % and 45 % of the houses",
        facts(30, "percent", subject="% of homes"),
        facts(45, "percent", subject="percent of the houses"),
        "contradicts",
    ),
    (
        "the same amount in two currencies",
        facts(1.2e9, "xdr", subject="SDR"),
        facts(1.6e9, "usd", subject="$"),
        None,
    ),
    (
        "a part larger than a wider unit's total",
        facts(2000),
        facts(1200, "ukrainian", "at_most", SINCE_2022),
        None,
    ),
]


@pytest.mark.parametrize(("a", "b", "expected"), [p[1:] for p in PAIRS], ids=[p[0] for p in PAIRS])
def test_the_engine_relates_the_pair_as_the_team_expects(a, b, expected):
    relation = relate(a, b)
    assert (relation.kind if relation else None) == expected
    back = relate(b, a)
    assert (back.kind if back else None) == (INVERSE[expected] if expected else None)
    if relation is not None:
        assert relation.explanation


def test_a_contradiction_explains_both_figures_and_the_period():
    relation = relate(facts(39, source_name="ISW"), facts(45, source_name="Channel Z"))
    assert "39 child" in relation.explanation
    assert "45 child" in relation.explanation
    assert "Channel Z" in relation.explanation
    assert "2025-03-21 to 2025-03-31" in relation.explanation


def test_syndicated_factual_sentences_are_the_same_claim():
    a = ClaimFacts(id=1, kind="factual", statement="Russia opened a new camp in Crimea.[12]")
    b = ClaimFacts(id=2, kind="factual", statement="Russia opened a new camp in Crimea.")
    c = ClaimFacts(id=3, kind="factual", statement="Russia closed a camp in Crimea.")
    assert relate(a, b).kind == "same"
    assert relate(a, c) is None


def test_a_groups_label_names_a_place_once_when_the_claim_repeats_it():
    from claims.verification.services import _group_key
    from verifier.consistency import ClaimFacts

    facts = ClaimFacts(
        id=1, value=53000, unit="person", subject="people", places=("Pokrovsk", "Pokrovsk")
    )

    _, label = _group_key(facts)

    assert label.count("Pokrovsk") == 1
