"""Issue 10, families 5 and 7 continued: units divided and inverted, foot and inch marks in
straight quotes, measures before a noun, and number forms quantulum3's own cases use.

Units are normalised to the names of the unit lexicon; a unit divided by another reads
"X per Y" ("kilometer per hour"), an inverse unit "inverse Y" ("inverse second")."""

from __future__ import annotations

import pytest

from .reading import exact, quantities

COMPOUND_UNITS = [
    ("The train ran at 120 km/h on the plain.", exact("120", 120, "kilometer per hour")),
    ("The probe moved at 30 m/s past the moon.", exact("30", 30, "meter per second")),
    (
        "Objects fall at 9.8 m/s2 near the ground.",
        exact("9.8", 9.8, "meter per square second"),
    ),
    (
        "The rock's density is 5.5 g/cm³ on average.",
        exact("5.5", 5.5, "gram per cubic centimeter"),
    ),
    ("The old truck uses 10 l/km in town.", exact("10", 10, "liter per kilometer")),
    ("The heater lost 3 W/min overnight.", exact("3", 3, "watt per minute")),
    (
        "Crews on the station absorb 20 J/m^2 per year.",
        exact("20", 20, "joule per square meter per year"),
    ),
    ("The link carries 40 MB/s at peak.", exact("40", 40, "megabyte per second")),
    ("Diesel sold at $5/kg in the market.", exact("$5", 5, "usd per kilogram")),
    ("Violet light oscillates at 4e14 s-1 in a vacuum.", exact("4e14", 4e14, "inverse second")),
    ("The detector recorded 5 fb−1 of collisions.", exact("5", 5, "inverse femtobarn")),
    ("The decay rate is 3 s⁻¹ at rest.", exact("3", 3, "inverse second")),
]

MARKS_AND_MEASURES = [
    ("The suspect is 5'11\" and thin.", exact("5'11\"", 71, "inch")),
    ("The guard is 6' 2\" tall.", exact("6' 2\"", 74, "inch")),
    ("The fence is 6' high.", exact("6", 6, "foot")),
    ('The shop sells 9" plates.', exact("9", 9, "inch")),
    ("She bought a twenty pound bag of rice.", exact("twenty", 20, "pound")),
    ("They filled a 40 gallon drum with water.", exact("40", 40, "gallon")),
    (
        "A kibibyte holds 1,024 bytes.",
        [exact("A kibibyte", 1, "kibibyte"), exact("1,024", 1024, "byte")],
    ),
    ("The shelter is a kilometre from the river.", exact("a kilometre", 1, "kilometer")),
    (
        "Water boils at 212° on the Fahrenheit scale.",
        exact("212", 212, "fahrenheit"),
    ),
    (
        "The boiler yields 15,000 British thermal units an hour.",
        exact("15,000", 15000, "british thermal unit per hour"),
    ),
    ("Matter at absolute zero does not move.", exact("zero", 0, "kelvin")),
]

NUMBER_FORMS = [
    ("Is three halves a fraction?", exact("three halves", 1.5, None)),
    ("They ate five quarters of the pies.", exact("five quarters", 1.25, "pie")),
    (
        "The grid is about 1/40 of the wavelength.",
        ("about 1/40", 2.5, None, None, "approximate", "percent"),
    ),
    (
        "A kibibyte is 8x2^10 bits.",
        [exact("A kibibyte", 1, "kibibyte"), exact("8x2^10", 8192, "bit")],
    ),
    ("They counted 360-ish drones.", ("360", 360, None, None, "approximate", "drone")),
    ("This nano grid has a size of 2.1 pm.", exact("2.1", 2.1, None)),
]

# What must stay as it was: a slash between figures, times of day, quotes that close.
NOT_UNITS = [
    ("The 9/11 commission met at 2 pm.", []),
    ("At 10 the shelling resumed.", []),  # a time of day, though no "am" follows
    ("He said 'about 40' people came.", [("about 40", 40, None, None, "approximate", "person")]),
]


def _as_list(expected: tuple | list) -> list:
    return expected if isinstance(expected, list) else [expected]


@pytest.mark.parametrize(("sentence", "expected"), COMPOUND_UNITS)
def test_divided_and_inverse_units(sentence: str, expected: tuple) -> None:
    assert quantities(sentence) == _as_list(expected)


@pytest.mark.parametrize(("sentence", "expected"), MARKS_AND_MEASURES)
def test_marks_and_measures(sentence: str, expected: tuple | list) -> None:
    assert quantities(sentence) == _as_list(expected)


@pytest.mark.parametrize(("sentence", "expected"), NUMBER_FORMS)
def test_number_forms_of_other_tools_cases(sentence: str, expected: tuple | list) -> None:
    assert quantities(sentence) == _as_list(expected)


@pytest.mark.parametrize(("sentence", "expected"), NOT_UNITS)
def test_what_stays_no_unit(sentence: str, expected: list) -> None:
    assert quantities(sentence) == expected
