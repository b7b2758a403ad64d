"""Issue 10, families 8 and 9: what is counted, and the time expression that governs it.

The unit is what the sentence counts, never a nearby time word; an elided noun comes back from
its coordinated phrase or the sentence's subject. The governing time is chosen by clause and
distance, and relative phrases are resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from verifier import extract_claims

PUBLISHED = dt.date(2025, 3, 31)  # a Monday

COUNTED = [
    ("Two years after 300 civilians fled, the town was empty.", "300", "civilian"),
    ("The strike killed 227 and injured 525 civilians.", "227", "civilian"),
    ("Officials reported 227 killed and 525 injured civilians.", "227", "civilian"),
    ("Of the 2,000 families, 450 returned home.", "450", "family"),
    ("Among the 120 detainees, 40 were released on bail.", "40", "detainee"),
    ("Out of 85 drones, 60 were shot down.", "60", "drone"),
    ("Ukraine shot down 12 of 15 Shahed drones.", "12", "drone"),
    ("Three months later, 40 soldiers deserted.", "40", "soldier"),
    ("In the 24 hours since, 18 ambulances arrived.", "18", "ambulance"),
    ("Troops destroyed 14 tanks, 30 armoured vehicles and 6 guns.", "30", "vehicle"),
    ("The agency counted 6.7 million refugees in Europe.", "6.7 million", "refugee"),
    ("Within a week, 5,000 people had registered.", "5,000", "person"),
    ("The brigade lost 11 servicemen over 2 days.", "11", "serviceman"),
    ("Of the 300 evacuees, 120 were taken to Lviv.", "120", "evacuee"),
    ("Some 40 percent of the 900 schools were damaged.", "900", "school"),
    # the noun of the sentence before, for a figure that opens its sentence with its verb
    ("Russian strikes killed 12 civilians in Kharkiv. Another 40 were injured.", "40", "civilian"),
    (
        "The UN counts 6.2 million Ukrainian refugees abroad. 3.7 million have fled inside the "
        "country.",
        "3.7 million",
        "refugee",
    ),
    ("Shelling killed 3 soldiers near Bakhmut. 5 were wounded.", "5", "soldier"),
]

# A new paragraph, or a figure that does not open its sentence, takes no noun from before.
NOT_ACROSS = [
    ("Shelling killed 3 soldiers.\n\nAnother 5 were injured.", "5", "person"),
    ("The convoy carried 40 tonnes of aid. Officials said 12 were trucks.", "12", None),
]

TIMES = [
    # the time of the claim's own clause, though another clause's is nearer
    (
        "In 2022, the city had 40,000 residents; by 2024 it had fewer than 3,000.",
        "40,000",
        "In 2022",
        "2022-01-01",
        "2022-12-31",
    ),
    (
        "In 2022 some 40,000 people lived there, while by 2024 only 3,000 remained.",
        "3,000",
        "by 2024",
        None,
        "2024-12-31",
    ),
    (
        "On March 3 officials said that 40 people had died since February 24.",
        "40",
        "since February 24",
        "2025-02-24",
        "2025-03-31",
    ),
    ("As of May 2023, 300 families had left.", "300", "As of May 2023", None, "2023-05-31"),
    ("As of June 1, 120 schools had reopened.", "120", "As of June 1", None, "2024-06-01"),
    ("The plan adds 500 shelters by 2030.", "500", "by 2030", None, "2030-12-31"),
    (
        "Strikes killed 30 civilians over the past week.",
        "30",
        "over the past week",
        "2025-03-24",
        "2025-03-31",
    ),
    (
        "Air defence downed 48 drones in the last 24 hours.",
        "48",
        "in the last 24 hours",
        "2025-03-30",
        "2025-03-31",
    ),
    (
        "Over 12,000 civilians have been killed since the start of the full-scale invasion.",
        "Over 12,000",
        "since the start of the full-scale invasion",
        "2022-02-24",
        "2025-03-31",
    ),
    ("Volunteers have delivered 90 generators so far.", "90", "so far", None, "2025-03-31"),
    ("Donors have pledged $2 billion to date.", "$2 billion", "to date", None, "2025-03-31"),
    ("Police recently detained 14 suspects.", "14", "recently", None, None),
    ("Shelling on june 3 damaged 25 homes.", "25", "on june 3", "2024-06-03", "2024-06-03"),
    (
        "As at 23 March, 2,865 civilian casualties were recorded.",
        "2,865",
        "As at 23 March",
        None,
        "2025-03-23",
    ),
    (
        "From 24 February to 16 March, OHCHR recorded 2,032 civilian casualties.",
        "2,032",
        "From 24 February to 16 March",
        "2025-02-24",
        "2025-03-16",
    ),
    (
        "In 2022, 300 people fled; in 2023, 500 returned.",
        "500",
        "in 2023",
        "2023-01-01",
        "2023-12-31",
    ),
    (
        "The ministry said on Friday that 17 drones were downed on Thursday.",
        "17",
        "on Thursday",
        "2025-03-27",
        "2025-03-27",
    ),
    (
        "Fighting in January 2024 displaced 4,000 people, the report of May 2024 said.",
        "4,000",
        "in January 2024",
        "2024-01-01",
        "2024-01-31",
    ),
    (
        "In the first quarter of 2025, exports fell by 12 percent.",
        "12",
        "In the first quarter of 2025",
        "2025-01-01",
        "2025-03-31",
    ),
    (
        "Since January, 1,100 children have returned.",
        "1,100",
        "Since January",
        "2025-01-01",
        "2025-03-31",
    ),
]


def claim(sentence: str, text: str) -> object:
    found = [c for c in extract_claims(sentence, published=PUBLISHED) if c.kind == "quantitative"]
    return next(c for c in found if c.text == text)


@pytest.mark.parametrize(("sentence", "text", "unit"), COUNTED)
def test_the_unit_is_what_the_sentence_counts(sentence: str, text: str, unit: str) -> None:
    assert claim(sentence, text).unit == unit


@pytest.mark.parametrize(("sentence", "text", "unit"), NOT_ACROSS)
def test_no_noun_crosses_a_paragraph_or_a_clause(sentence: str, text: str, unit: str) -> None:
    assert claim(sentence, text).unit == unit


@pytest.mark.parametrize(("sentence", "text", "time", "start", "end"), TIMES)
def test_the_governing_time_is_chosen_and_resolved(
    sentence: str, text: str, time: str, start: str | None, end: str | None
) -> None:
    found = claim(sentence, text)
    assert (found.time_text, found.time_start, found.time_end) == (time, start, end)
