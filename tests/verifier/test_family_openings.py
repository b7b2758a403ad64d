"""Issue 10, families 1 and 2: numbers that open a sentence or a line, title-case headlines,
labels glued to numbers in tables pasted as text, captions with no verb, em dashes."""

from __future__ import annotations

import pytest

from .reading import exact, quantities

OPENINGS = [
    ("500 soldiers were killed.", [exact("500", 500, "soldier")]),
    ("2 million people lost power overnight.", [exact("2 million", 2000000, "person")]),
    ("12 ambulances reached the hospital by noon.", [exact("12", 12, "ambulance")]),
    ("1,450 residents were moved to Dnipro.", [exact("1,450", 1450, "resident")]),
    ("3.7 million children need aid, UNICEF said.", [exact("3.7 million", 3700000, "child")]),
    ("“40 homes were hit,” the mayor wrote.", [exact("40", 40, "home")]),
    ("- 85 drones were shot down", [exact("85", 85, "drone")]),
    ("• 17 schools closed in the district", [exact("17", 17, "school")]),
    ("18 million AFFECTED POPULATION", [exact("18 million", 18000000, "population")]),
    ("249 CIVILIAN DEATHS", [exact("249", 249, "death")]),
    ("Ten villages were left without water.", [exact("Ten", 10, "village")]),
]

HEADLINES = [
    ("Officials Say 10 Soldiers Died in Border Clash", [exact("10", 10, "soldier")]),
    ("City Frees 12 Prisoners After Talks", [exact("12", 12, "prisoner")]),
    ("5 Thousand Families Evacuated From Kherson", [exact("5 Thousand", 5000, "family")]),
    ("Russia Launches 90 Drones at Kyiv Overnight", [exact("90", 90, "drone")]),
    ("Flooding Forces 3,000 Residents From Homes", [exact("3,000", 3000, "resident")]),
    ("UN Says 40 Percent of Hospitals Damaged", [exact("40", 40, "percent")]),
    ("Strike On Market Kills 14 Civilians", [exact("14", 14, "civilian")]),
    ("Kyiv Gets 25 New Buses From Donors", [exact("25", 25, "bus")]),
]

# A capitalised word before a number in ordinary prose still names a thing.
DESIGNATIONS = [
    "Russian forces shelled Hill 223 near the river.",
    "Ukraine asked for more Leopard 2 tanks from its partners.",
    "The convoy moved along Highway 20 toward the front.",
    "Troops of Brigade 155 rotated out of the town.",
    "The Soldiers Of Hill 223 Were Honoured",
]

TABLES = [
    ("Killed312", [exact("312", 312, "killed")]),
    ("Wounded1,020", [exact("1,020", 1020, "wounded")]),
    ("Killed: 312", [exact("312", 312, "killed")]),
    ("Wounded\t1,020", [exact("1,020", 1020, "wounded")]),
    ("Casualties 4,300 (est.)", [exact("4,300", 4300, "casualty")]),
    ("Internally displaced | 6,500,000", [exact("6,500,000", 6500000, "displaced")]),
    ("Refugees: 1.2 million", [exact("1.2 million", 1200000, "refugee")]),
]

CAPTIONS = [
    (
        "2,300 evacuees at a transit centre in Zaporizhzhia, 2023",
        [exact("2,300", 2300, "evacuee")],
    ),
    ("400 volunteers outside the station in Lviv, March 2022", [exact("400", 400, "volunteer")]),
    (
        "The toll rose sharply—approximately 40 people died.",
        [("approximately 40", 40, None, None, "approximate", "person")],
    ),
    (
        "Shelling resumed—more than 60 shells hit the town.",
        [("more than 60", 60, 60, None, "more_than", "shell")],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), OPENINGS + HEADLINES)
def test_a_number_that_opens_a_line_or_sits_in_a_headline_is_read(
    sentence: str, expected: list[tuple]
) -> None:
    assert quantities(sentence) == expected


@pytest.mark.parametrize("sentence", DESIGNATIONS)
def test_a_designation_in_prose_is_still_a_name(sentence: str) -> None:
    assert quantities(sentence) == []


@pytest.mark.parametrize(("line", "expected"), TABLES + CAPTIONS)
def test_table_labels_captions_and_dashes_give_their_figure(
    line: str, expected: list[tuple]
) -> None:
    assert quantities(line) == expected
