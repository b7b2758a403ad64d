"""Issue 10, what text written by others showed on 6 December 2026 (not kept in the project):
UN and OCHA briefing lines (a threshold given by a verb, "has surpassed 10,200"; a sentence
ended by an ellipsis character; a count set beside a share, "more than half, 381,000,", that
is not a percentage) and financial wire copy (an ordinal "third quarter" read as a third;
"fell 4 percent to $2.98 billion" and "$286 million or 36 cents per share" read as ranges;
"a year earlier" read as a rate; "36 cents a share") and weather and science text (every
figure in millimetres taken for a calibre, so "26,461 mm of rain" gave nothing; "the 7.1
magnitude quake struck central Mexico" measured in "mexico") and tables pasted as text (row
figures under a header row of "Killed", "Injured", "Refugees" had no noun), and wire headlines
in title case or the present tense ("3 Killed, 12 Hurt In Kyiv Drone Attack"); regional
administrations' posts ("two gas pipelines" counted gas; "square metres" of roofing were square
kilometres and "cubic metres" metres)."""

from __future__ import annotations

import pytest

from verifier import extract_claims
from verifier.extract import iter_claims

from .reading import quantities

THRESHOLD_VERBS = [
    ("The number of civilians killed has surpassed 10,200.", "surpassed 10,200", "more_than"),
    ("The number of refugees exceeded 6,000 in May.", "exceeded 6,000", "more_than"),
    ("Losses topped 40 tanks a week.", "topped 40", "more_than"),
    ("The toll now exceeds 300 people.", "exceeds 300", "more_than"),
    ("Daily launches did not exceed 90 drones.", "did not exceed 90", "at_most"),
]


@pytest.mark.parametrize(("text", "surface", "qualifier"), THRESHOLD_VERBS)
def test_a_verb_that_sets_a_threshold_bounds_the_figure(text, surface, qualifier):
    (claim,) = (c for c in extract_claims(text) if c.kind == "quantitative")
    assert (claim.text, claim.qualifier) == (surface, qualifier)
    if qualifier == "more_than":
        assert (claim.lower, claim.upper) == (claim.value, None)
    else:
        assert (claim.lower, claim.upper) == (None, claim.value)


def test_a_verb_with_an_object_between_it_and_the_figure_sets_no_threshold():
    (claim,) = quantities("Demand exceeded supply by 40 percent.")
    assert claim[4] == "exact"


def test_an_ellipsis_character_ends_a_sentence():
    text = "Those injured rose to over 19,300… More than 14.6 million people require assistance."
    first, second = (c for c in extract_claims(text) if c.kind == "quantitative")

    assert second.sentence_start == text.index("More")
    assert first.role == "wounded"
    assert second.role != "wounded"  # the injured of the sentence before are not these people


def test_an_ellipsis_before_lower_case_goes_on_in_the_same_sentence():
    text = "Officials counted… some 40 homes damaged."
    (claim,) = extract_claims(text)
    assert claim.sentence_start == 0


COUNT_BESIDE_A_SHARE = [
    (
        "Some 628,000 households remain without electricity – more than half, 381,000, "
        "located in Donetska oblast.",
        "381,000",
        None,
    ),
    ("Of 628,000 households, 40%, or 251,000, were hit.", "251,000", "household"),
]


@pytest.mark.parametrize(("text", "surface", "unit"), COUNT_BESIDE_A_SHARE)
def test_a_count_set_beside_a_share_is_not_a_percentage(text, surface, unit):
    (claim,) = (c for c in extract_claims(text) if c.text == surface)
    assert (claim.unit or claim.inherited.get("unit")) == unit


def test_a_list_of_shares_still_shares_its_unit():
    units = [q[5] for q in quantities("Rates were 5 percent, 7, and 9.")]
    assert units == ["percent", "percent", "percent"]


FINANCIAL_WIRE = [
    (
        "Third quarter net earnings were $293 million, or 36 cents a share.",
        [("$293 million", 293000000, "usd"), ("36", 36, "cent per share")],
    ),
    ("Third-quarter revenue rose 1 percent.", [("1", 1, "percent")]),
    (
        "Overall revenue fell 4 percent to $2.98 billion.",
        [("4", 4, "percent"), ("$2.98 billion", 2980000000, "usd")],
    ),
    (
        "It reported net earnings of USD286 million or 36 cents per share.",
        [("USD286 million", 286000000, "usd"), ("36", 36, "cent per share")],
    ),
    (
        "Profit rose to 365 million euros from 359.4 million euros a year earlier.",
        [("365 million", 365000000, "eur"), ("359.4 million", 359400000, "eur")],
    ),
    # still one range, and still a fraction or a rate where the text says so
    (
        "It expected $1.2 billion to $1.3 billion.",
        [("$1.2 billion to $1.3 billion", None, "usd")],
    ),
    ("Margins fell from 18.4 to 19.4 percent.", [("from 18.4 to 19.4", None, "percent")]),
    ("A third of homes were hit.", [("A third", 33.33, "percent")]),
    ("They earn $500 a month.", [("$500", 500, "usd per month")]),
]


@pytest.mark.parametrize(("text", "expected"), FINANCIAL_WIRE)
def test_financial_wire_figures_keep_their_own_measures(text, expected):
    assert [(q[0], q[1], q[5]) for q in quantities(text)] == expected


MILLIMETRES = [
    ("Cherrapunji had 26,461 mm of rain in a year.", [("26,461", 26461, "millimeter")]),
    ("In July, 9,300 mm fell.", [("9,300", 9300, "millimeter")]),
    ("The crack was 3 mm wide.", [("3", 3, "millimeter")]),
    (
        "The rainfall is less than 1 mm (0.01 in).",
        [("less than 1", 1, "millimeter"), ("0.01", 0.01, "inch")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), MILLIMETRES)
def test_a_length_in_millimetres_is_a_quantity(text, expected):
    assert [(q[0], q[1], q[5]) for q in quantities(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "They fired 155 mm shells.",
        "The 120mm mortar fired.",
        "Troops got 155mm M795 shells.",
        "They used 7.62x39mm ammunition.",
        "A 9 mm pistol was found.",
    ],
)
def test_a_calibre_in_an_equipment_name_is_still_no_quantity(text):
    assert quantities(text) == []


MAGNITUDES = [
    "At least 230 people were killed after the 7.1 magnitude quake struck central Mexico.",
    "The magnitude 7.6 quake flattened villages.",
    "Officials reported a magnitude 6 aftershock.",
    "A 5.9 magnitude earthquake hit the coast.",
    "The quake had a magnitude of 5.9.",
    "It was measured at 6.1-magnitude.",
]


@pytest.mark.parametrize("text", MAGNITUDES)
def test_a_reading_on_the_earthquake_scale_is_a_magnitude(text):
    assert quantities(text)[-1][5] == "magnitude"


def test_an_order_of_magnitude_is_no_reading():
    assert quantities("An order of magnitude 10 times larger.")[0][5] != "magnitude"


PIPE_TABLE = (
    "Casualties by region\n"
    "| Region | Killed | Injured | Displaced |\n"
    "|---|---|---|---|\n"
    "| Donetsk | 1,204 | 3,410 | 120,000 |\n"
    "| Kharkiv | 612 | 1,977 | 85,500 |\n"
)
TAB_TABLE = "Country\tRefugees\tShare\nPoland\t1,600,000\t28%\nGermany\t1,100,000\t19%\n"


def _read_table(text):
    return [
        (c.text, c.unit or c.inherited.get("unit"), c.role)
        for c in extract_claims(text)
        if c.kind == "quantitative"
    ]


def test_a_row_figure_counts_what_its_column_header_names():
    assert _read_table(PIPE_TABLE) == [
        ("1,204", "killed", "killed"),
        ("3,410", "injured", "wounded"),
        ("120,000", "displaced", "displaced"),
        ("612", "killed", "killed"),
        ("1,977", "injured", "wounded"),
        ("85,500", "displaced", "displaced"),
    ]
    (first, *_) = extract_claims(PIPE_TABLE)
    assert first.inherited["from"]["unit"] == "the column header 'Killed'"


def test_a_tab_separated_table_and_its_shares():
    assert _read_table(TAB_TABLE) == [
        ("1,600,000", "refugee", "displaced"),
        ("28%", "percent", None),
        ("1,100,000", "refugee", "displaced"),
        ("19%", "percent", None),
    ]


def test_a_row_of_another_shape_takes_no_header():
    text = PIPE_TABLE + "Revenue growth | 4.486B | 5.441B\n"
    assert _read_table(text)[-2:] == [("4.486B", None, None), ("5.441B", None, None)]


def test_a_streamed_table_reads_as_the_whole_text_does():
    streamed = [(c.text, c.inherited.get("unit"), c.role) for c in iter_claims([PIPE_TABLE])]
    assert streamed == [(t, u, r) for t, u, r in _read_table(PIPE_TABLE)]


HEADLINES = [
    "Breaking: 3 Killed, 12 Hurt In Kyiv Drone Attack",
    "Drone attack kills 3, injures 12 in Kyiv",
    "3 killed, 12 hurt in Kyiv drone attack",
]


@pytest.mark.parametrize("text", HEADLINES)
def test_a_headline_toll_counts_people(text):
    read = [(c.text, c.unit or c.inherited.get("unit"), c.role) for c in extract_claims(text)]
    assert read == [("3", "person", "killed"), ("12", "person", "wounded")]


COUNTED_NOUNS = [
    ("Two gas pipelines were damaged.", "pipeline"),
    ("Three news outlets closed.", "outlet"),
    ("Some 5,000 square metres of roofing were damaged.", "square meter"),
    ("They built 30 square meters of shelter.", "square meter"),
    ("The tank holds 40 cubic metres.", "cubic meter"),
    ("It covers 12 sq km.", "square kilometer"),
    ("They pumped 5 cubic feet.", "cubic foot"),
    ("It holds 40 litres of gas.", "liter"),
]


@pytest.mark.parametrize(("text", "unit"), COUNTED_NOUNS)
def test_the_counted_noun_and_the_powered_unit(text, unit):
    assert quantities(text)[0][5] == unit
