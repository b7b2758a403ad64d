"""Issue 10, families 3 and 4: signs and comparators, and ranges in every form.

Each qualifier maps to bounds as DESIGN.md says: more_than / at_least give lower, less_than /
at_most give upper, a range gives both and no value, "±" is a range around its centre."""

from __future__ import annotations

import pytest

from .reading import exact, quantities

SIGNS = [
    ("Temperatures fell to -25 °C overnight.", [exact("-25", -25, "celsius")]),
    ("Night frost reached −40 degrees Celsius.", [exact("−40", -40, "celsius")]),
    (
        "The fund reported a loss of ($12.50) per share.",
        [exact("($12.50)", -12.5, "usd per share")],
    ),
    ("The account stood at $-3.75 at closing.", [exact("$-3.75", -3.75, "usd")]),
    ("Water froze at minus 5 degrees Celsius.", [exact("minus 5", -5, "celsius")]),
    ("Growth was negative 3 percent in the quarter.", [exact("negative 3", -3, "percent")]),
    ("Output changed by -0.4% in May.", [exact("-0.4%", -0.4, "percent")]),
    ("Exports rose +12% on the year.", [exact("+12%", 12, "percent")]),
]

COMPARATORS = [
    (
        "Doses of less than or equal to 40 mg were given.",
        ("less than or equal to 40", 40, None, 40, "at_most", "milligram"),
    ),
    (
        "The rule applies to no fewer than 30 workers.",
        ("no fewer than 30", 30, 30, None, "at_least", "worker"),
    ),
    ("Families with 3 children or more qualify.", ("3", 3, 3, None, "at_least", "child")),
    ("Groups of 10 people or less may gather.", ("10", 10, None, 10, "at_most", "person")),
    (
        "Losses are exceeding 100 tanks a month.",
        ("exceeding 100", 100, 100, None, "more_than", "tank per month"),
    ),
    ("Sales are surpassing 200 units.", ("surpassing 200", 200, 200, None, "more_than", "unit")),
    (
        "Upwards of 500 protesters gathered.",
        ("Upwards of 500", 500, 500, None, "more_than", "protester"),
    ),
    (
        "Turnout was greater than or equal to 60 percent.",
        ("greater than or equal to 60", 60, 60, None, "at_least", "percent"),
    ),
    ("The error rate stays <5% in tests.", ("<5%", 5, None, 5, "less_than", "percent")),
    ("The virus killed >100 birds.", (">100", 100, 100, None, "more_than", "bird")),
    ("Children ≤ 10 years old ride free.", ("≤ 10", 10, None, 10, "at_most", "year")),
    ("Adults ≥ 18 years may vote.", ("≥ 18", 18, 18, None, "at_least", "year")),
    ("Keep the load <= 3 tonnes.", ("<= 3", 3, None, 3, "at_most", "ton")),
    ("Pick a score >= 7 points.", (">= 7", 7, 7, None, "at_least", "point")),
    ("The crowd was ~300 people.", ("~300", 300, None, None, "approximate", "person")),
    ("Readings were 5 ± 2 millisieverts.", ("5 ± 2", None, 3, 7, "range", "millisievert")),
    ("The poll found 48% ± 3%.", ("48% ± 3%", None, 45, 51, "range", "percent")),
    (
        "More than 2,000 homes were damaged.",
        ("More than 2,000", 2000, 2000, None, "more_than", "home"),
    ),
]

RANGES = [
    (
        "Patients got 30 mg to 45 mg of the drug.",
        ("30 mg to 45", None, 30, 45, "range", "milligram"),
    ),
    (
        "Prices rose 15 percent to 25 percent.",
        ("15 percent to 25", None, 15, 25, "range", "percent"),
    ),
    (
        "Coal sold at $300 per tonne to $500 per tonne.",
        ("$300 per tonne to $500", None, 300, 500, "range", "usd per ton"),
    ),
    ("Crews dug 5- to 10-meter trenches.", ("5- to 10", None, 5, 10, "range", "meter")),
    ("Rents rose from 10 to 20 percent.", ("from 10 to 20", None, 10, 20, "range", "percent")),
    (
        "The camp held 300 through 400 people.",
        ("300 through 400", None, 300, 400, "range", "person"),
    ),
    ("Salaries were 2k-8k dollars a month.", ("2k-8k", None, 2000, 8000, "range", "usd per month")),
    ("The shelters house 20~30 families.", ("20~30", None, 20, 30, "range", "family")),
    (
        "Values greater than 50 and smaller than 90 were kept.",
        ("greater than 50 and smaller than 90", None, 50, 90, "range", None),
    ),
    (
        "Between 10 and 20 drones struck the city.",
        ("Between 10 and 20", None, 10, 20, "range", "drone"),
    ),
    (
        "Officials said 1.2 to 1.5 million people fled.",
        ("1.2 to 1.5 million", None, 1200000, 1500000, "range", "person"),
    ),
    ("The strikes killed 10–15 civilians.", ("10–15", None, 10, 15, "range", "civilian")),
    (
        "Temperatures ranged from -5 to 10 degrees Celsius.",
        ("from -5 to 10", None, -5, 10, "range", "celsius"),
    ),
    ("Each drone costs $20,000-$50,000.", ("$20,000-$50,000", None, 20000, 50000, "range", "usd")),
    ("Convoys of 40 to 60 trucks crossed daily.", ("40 to 60", None, 40, 60, "range", "truck")),
    (
        "The team walked 3 km to 5 km a day.",
        ("3 km to 5", None, 3, 5, "range", "kilometer per day"),
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), SIGNS)
def test_signs_make_a_figure_negative(sentence: str, expected: list[tuple]) -> None:
    assert quantities(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), COMPARATORS)
def test_comparators_set_the_bounds(sentence: str, expected: tuple) -> None:
    assert quantities(sentence) == [expected]


@pytest.mark.parametrize(("sentence", "expected"), RANGES)
def test_every_form_of_range_is_one_claim_with_two_bounds(sentence: str, expected: tuple) -> None:
    assert quantities(sentence) == [expected]
