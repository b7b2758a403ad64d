"""This sentence gives these quantity claims: number forms, qualifiers, ranges, units."""

from __future__ import annotations

import pytest

from verifier import extract_claims


def quantities(text: str) -> list[tuple]:
    return [
        (c.text, c.value, c.lower, c.upper, c.qualifier, c.unit)
        for c in extract_claims(text)
        if c.kind == "quantitative"
    ]


NUMBER_FORMS = [
    (
        "Officials counted 19 546 displaced residents.",
        ("19 546", 19546, 19546, 19546, "exact", "resident"),
    ),
    ("The camp housed 1,200 evacuees.", ("1,200", 1200, 1200, 1200, "exact", "evacuee")),
    (
        "The fund spent 1.2 million rubles.",
        ("1.2 million", 1200000, 1200000, 1200000, "exact", "rub"),
    ),
    ("The company lost 7.4m dollars.", ("7.4m", 7400000, 7400000, 7400000, "exact", "usd")),
    (
        "Volunteers sent 19.5 thousand parcels.",
        ("19.5 thousand", 19500, 19500, 19500, "exact", "parcel"),
    ),
    ("Thirty-nine soldiers surrendered.", ("Thirty-nine", 39, 39, 39, "exact", "soldier")),
    ("The convoy carried a dozen wounded fighters.", ("a dozen", 12, 12, 12, "exact", "fighter")),
    ("Two-thirds of the residents fled.", ("Two-thirds", 66.67, 66.67, 66.67, "exact", "percent")),
    ("Half of the bridges collapsed.", ("Half", 50, 50, 50, "exact", "percent")),
    (
        "One hundred and twenty volunteers came.",
        ("One hundred and twenty", 120, 120, 120, "exact", "volunteer"),
    ),
    ("The raid took one and a half hours.", ("one and a half", 1.5, 1.5, 1.5, "exact", "hour")),
    ("Inflation reached 61.9% in the region.", ("61.9%", 61.9, 61.9, 61.9, "exact", "percent")),
    ("Support fell to 40 per cent last year.", ("40", 40, 40, 40, "exact", "percent")),
    ("Turnout was 55 percent.", ("55", 55, 55, 55, "exact", "percent")),
    (
        "The ministry paid $66,450 to a contractor.",
        ("$66,450", 66450, 66450, 66450, "exact", "usd"),
    ),
    (
        "The court imposed a fine of five million rubles.",
        ("five million", 5000000, 5000000, 5000000, "exact", "rub"),
    ),
    (
        "Donors pledged $2.5 billion in aid.",
        ("$2.5 billion", 2500000000, 2500000000, 2500000000, "exact", "usd"),
    ),
    ("The grant was worth €300,000.", ("€300,000", 300000, 300000, 300000, "exact", "eur")),
    ("The village lies 47km from the border.", ("47", 47, 47, 47, "exact", "kilometer")),
    ("The depot is 12 kilometres away.", ("12", 12, 12, 12, "exact", "kilometer")),
    (
        "Guards fired 300 artillery rounds per day.",
        ("300", 300, 300, 300, "exact", "round per day"),
    ),
    ("The unit lost 12 tanks and 30 T-72B3 tanks.", ("12", 12, 12, 12, "exact", "tank")),
    ("Officers detained 14 POWs at the checkpoint.", ("14", 14, 14, 14, "exact", "pow")),
    ("The brigade has 500 personnel in reserve.", ("500", 500, 500, 500, "exact", "personnel")),
]


@pytest.mark.parametrize(("sentence", "expected"), NUMBER_FORMS)
def test_it_reads_every_number_form(sentence: str, expected: tuple) -> None:
    assert quantities(sentence)[0] == expected


VAGUE = [
    ("Dozens of civilians were evacuated.", "Dozens", "civilian"),
    ("Hundreds of homes burned.", "Hundreds", "home"),
    ("Thousands of residents left the city.", "Thousands", "resident"),
    ("Tens of thousands of people lost power.", "Tens of thousands", "person"),
    ("Several dozen saboteurs crossed the border.", "Several dozen", "saboteur"),
    ("A few hundred convicts joined the unit.", "A few hundred", "convict"),
]


@pytest.mark.parametrize(("sentence", "phrase", "unit"), VAGUE)
def test_vague_counts_are_approximate_with_no_value(sentence: str, phrase: str, unit: str) -> None:
    assert quantities(sentence) == [(phrase, None, None, None, "approximate", unit)]


QUALIFIERS = [
    ("Russia deported over 1,200 children.", "over 1,200", 1200, 1200, None, "more_than"),
    ("Officials counted more than 80 bodies.", "more than 80", 80, 80, None, "more_than"),
    ("Upwards of 300 families applied.", "Upwards of 300", 300, 300, None, "more_than"),
    ("At least 20 torture sites were found.", "At least 20", 20, 20, None, "at_least"),
    ("Recruits as young as 16 were seen.", "as young as 16", 16, 16, None, "at_least"),
    ("As many as 50 vehicles burned.", "As many as 50", 50, None, 50, "at_most"),
    ("Strikes hit up to six villages.", "up to six", 6, None, 6, "at_most"),
    ("No more than ten observers were admitted.", "No more than ten", 10, None, 10, "at_most"),
    ("Troops dug in within 15 kilometers of the river.", "within 15", 15, None, 15, "at_most"),
    ("Fewer than 100 residents remained.", "Fewer than 100", 100, None, 100, "less_than"),
    ("The blast injured less than 40 workers.", "less than 40", 40, None, 40, "less_than"),
    ("The strike killed under 30 people.", "under 30", 30, None, 30, "less_than"),
    ("About 16 drones were shot down.", "About 16", 16, None, None, "approximate"),
    ("Approximately 400 soldiers took part.", "Approximately 400", 400, None, None, "approximate"),
    ("Around 70 buses left the city.", "Around 70", 70, None, None, "approximate"),
    ("Nearly 2,000 homes lost heating.", "Nearly 2,000", 2000, None, None, "approximate"),
    ("Almost 20 thousand people fled.", "Almost 20 thousand", 20000, None, None, "approximate"),
    (
        "An estimated 80,000 troops deployed.",
        "An estimated 80,000",
        80000,
        None,
        None,
        "approximate",
    ),
    ("Some 150 prisoners were exchanged.", "Some 150", 150, None, None, "approximate"),
    ("More than half of the schools closed.", "More than half", 50, 50, None, "more_than"),
]


@pytest.mark.parametrize(("sentence", "phrase", "value", "lower", "upper", "qualifier"), QUALIFIERS)
def test_a_qualifier_before_the_number_sets_its_bounds(
    sentence: str, phrase: str, value: float, lower: float, upper: float, qualifier: str
) -> None:
    text, v, lo, hi, q, _unit = quantities(sentence)[0]
    assert (text, v, lo, hi, q) == (phrase, value, lower, upper, qualifier)


POST_QUALIFIERS = [
    ("Small groups of 10 soldiers or fewer attacked.", "10", "at_most", 10, None, 10),
    ("The brigade lost 12 tanks or more.", "12", "at_least", 12, 12, None),
    ("The battalion has five or more mortars.", "five", "at_least", 5, 5, None),
    ("The siege lasted 30 days or so.", "30", "approximate", 30, None, None),
]


@pytest.mark.parametrize(
    ("sentence", "phrase", "qualifier", "value", "lower", "upper"), POST_QUALIFIERS
)
def test_a_qualifier_after_the_noun_changes_only_the_qualifier(
    sentence: str, phrase: str, qualifier: str, value: int, lower: int | None, upper: int | None
) -> None:
    text, v, lo, hi, q, _unit = quantities(sentence)[0]
    assert (text, q, v, lo, hi) == (phrase, qualifier, value, lower, upper)


RANGES = [
    ("Russian forces fired 10-20 missiles.", "10-20", 10, 20, "missile"),
    ("Russian forces fired 10–20 drones.", "10–20", 10, 20, "drone"),
    ("Officials said 10 to 20 people were detained.", "10 to 20", 10, 20, "person"),
    ("Between 10 and 20 drones struck the city.", "Between 10 and 20", 10, 20, "drone"),
    ("The unit lost two or three tanks.", "two or three", 2, 3, "tank"),
    ("The fund raised 1.2 to 1.5 million dollars.", "1.2 to 1.5 million", 1200000, 1500000, "usd"),
    ("Prices rose 5-10% in a month.", "5-10%", 5, 10, "percent"),
]


@pytest.mark.parametrize(("sentence", "phrase", "lower", "upper", "unit"), RANGES)
def test_ranges_give_lower_and_upper_and_no_value(
    sentence: str, phrase: str, lower: int, upper: int, unit: str
) -> None:
    assert quantities(sentence)[0] == (phrase, None, lower, upper, "range", unit)


SUBJECTS = [
    ("Officials moved 39 Ukrainian children to a camp.", "Ukrainian children", "child"),
    ("Russia deported over 1,200 Ukrainians since 2022.", "Ukrainians", "ukrainian"),
    ("The deportees were taken over 700 kilometers away.", "kilometers", "kilometer"),
    ("The authorities opened 67 branches of the movement.", "branches", "branch"),
    # An acronym ending in S is a name, not a plural; the noun after it is the head.
    ("Strikes destroyed four HIMARS launchers near the river.", "HIMARS launchers", "launcher"),
    ("Ukraine received 40 HIMARS from its partners.", "HIMARS", "himars"),
    ("Exchanges returned 25 POWs to Ukraine.", "POWs", "pow"),
    ("Investigators found at least 20 torture centers.", "torture centers", "center"),
    ("The raid killed one individual and wounded others.", "individual", "individual"),
    ("Soldiers took up to six individuals hostage.", "individuals", "individual"),
    ("Russian forces launched 147 Shahed and decoy drones.", "Shahed and decoy drones", "drone"),
    (
        "The strikes caused 12 civilian casualties per month.",
        "civilian casualties",
        "casualty per month",
    ),
    ("A three-stage crackdown followed.", "stage", "stage"),
    ("Artillery stopped a five-hour-long assault.", "hour", "hour"),
    ("Police detained a 15-year-old boy.", "year", "year"),
]


@pytest.mark.parametrize(("sentence", "subject", "unit"), SUBJECTS)
def test_the_subject_is_the_counted_noun_phrase_as_written(
    sentence: str, subject: str, unit: str
) -> None:
    claim = next(c for c in extract_claims(sentence) if c.kind == "quantitative")
    assert (claim.subject, claim.unit) == (subject, unit)


ELIDED = [
    ("The shelling left 227 killed and 525 injured civilians.", ["civilian", "civilian"]),
    ("Ukrainian forces downed 45 of the 50 drones.", ["drone", "drone"]),
    ("The strike killed one person and injured 14 others.", ["person", "person"]),
    ("Children as young as six attend the classes.", ["year"]),
    ("The camp holds children aged 6-17.", ["year"]),
]


@pytest.mark.parametrize(("sentence", "units"), ELIDED)
def test_an_elided_noun_is_restored_from_the_sentence(sentence: str, units: list[str]) -> None:
    assert [q[5] for q in quantities(sentence)] == units


def test_quantities_come_one_per_number_phrase_in_order_of_appearance() -> None:
    text = "Russian forces launched 85 drones and three missiles; Ukraine downed 60 drones."
    assert [q[0] for q in quantities(text)] == ["85", "three", "60"]


def test_a_duration_after_over_is_a_time_span_not_a_lower_bound() -> None:
    assert quantities("The convoy travelled over two days.")[0][4] == "exact"
    assert quantities("The siege lasted for over two years.")[0][4] == "more_than"


def test_a_qualifier_of_the_next_number_does_not_bound_this_one() -> None:
    text = "Officials counted 39 children and over 1,200 adults, and 5 buses or more than 10 cars."
    assert [q[4] for q in quantities(text)] == ["exact", "more_than", "exact", "more_than"]


MORE_UNITS = [
    ("Ukraine received 50 F-16s from partners.", "f-16"),
    ("Germany sent 300 Leopard 2 tanks.", "tank"),
    ("Drones flew at 150 km/h over the city.", "kilometer per hour"),
    ("Strikes killed 10 and injured 39 in the city.", "person"),
    ("Of the 92 children, 40 were returned.", "child"),
    ("Russia fired 4 Kh-59/69 cruise missiles.", "missile"),
]


@pytest.mark.parametrize(("sentence", "unit"), MORE_UNITS)
def test_models_speeds_and_casualties_get_a_unit(sentence: str, unit: str) -> None:
    assert quantities(sentence)[-1][5] == unit


def test_a_number_inside_a_time_expression_is_not_a_claim() -> None:
    text = "Russian forces launched 90 drones overnight on March 1 to 2 and two weeks ago."
    assert [q[0] for q in quantities(text)] == ["90"]


@pytest.mark.parametrize(
    ("sentence", "phrase", "qualifier"),
    [
        ("The battalion recruited 50-plus volunteers.", "50", "at_least"),
        ("Officials counted 100+ craters.", "100+", "at_least"),
        ("The unit lost ~40 vehicles.", "~40", "approximate"),
    ],
)
def test_plus_signs_and_tildes_are_qualifiers(sentence: str, phrase: str, qualifier: str) -> None:
    assert quantities(sentence)[0][0] == phrase
    assert quantities(sentence)[0][4] == qualifier


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Russia recruited 30,000 soldiers in January (up from 25,000 in December).",
         [("30,000", "soldier"), ("25,000", "soldier")]),
        ("He was sentenced to 12 and a half years in a colony.", [("12 and a half", "year")]),
        ("Police detained a 72-year-old woman and her two grandchildren.",
         [("72", "year"), ("two", "grandchild")]),
        ("The drills involved about 2,500 servicemen and over 300 pieces of equipment.",
         [("about 2,500", "serviceman"), ("over 300", "piece")]),
    ],
)  # fmt: skip
def test_comparisons_halves_and_irregular_plurals(sentence: str, expected: list) -> None:
    assert [(q[0], q[5]) for q in quantities(sentence)] == expected
