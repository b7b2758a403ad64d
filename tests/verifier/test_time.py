"""The time expression governing a claim, as written and resolved with the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from verifier import extract_claims

PUBLISHED = dt.date(2025, 3, 31)

TIMES = [
    (
        "Russia has deported over 1,200 children since 2022.",
        "since 2022",
        "2022-01-01",
        "2025-03-31",
    ),
    (
        "Officials moved 39 children in late March 2025.",
        "in late March 2025",
        "2025-03-21",
        "2025-03-31",
    ),
    (
        "Officials moved 40 children in early March 2025.",
        "in early March 2025",
        "2025-03-01",
        "2025-03-10",
    ),
    (
        "Officials moved 41 children in mid-March 2025.",
        "in mid-March 2025",
        "2025-03-11",
        "2025-03-20",
    ),
    ("Guards detained 12 men on March 30.", "on March 30", "2025-03-30", "2025-03-30"),
    ("Guards detained 12 men on 3 March 2024.", "on 3 March 2024", "2024-03-03", "2024-03-03"),
    ("As of March 1, 300 families had left.", "As of March 1", None, "2025-03-01"),
    ("Volunteers have evacuated 500 people so far.", "so far", None, "2025-03-31"),
    ("Donors have sent 90 ambulances to date.", "to date", None, "2025-03-31"),
    (
        "Strikes killed 15 civilians in the last month.",
        "in the last month",
        "2025-03-01",
        "2025-03-31",
    ),
    (
        "Strikes killed 16 civilians in the past three days.",
        "in the past three days",
        "2025-03-28",
        "2025-03-31",
    ),
    ("Strikes killed 17 civilians in 2024.", "in 2024", "2024-01-01", "2024-12-31"),
    (
        "Strikes killed 18 civilians between March 1 and 5.",
        "between March 1 and 5",
        "2025-03-01",
        "2025-03-05",
    ),
    ("Ninety children currently attend the camp.", "currently", "2025-03-31", "2025-03-31"),
    ("The army lost 300 tanks last year.", "last year", "2024-01-01", "2024-12-31"),
    (
        "The army lost 30 tanks since the full-scale invasion.",
        "since the full-scale invasion",
        "2022-02-24",
        "2025-03-31",
    ),
    # The same start, in the words other outlets use for it.
    (
        "More than 3,900 schools have been damaged since the full-scale war began.",
        "since the full-scale war began",
        "2022-02-24",
        "2025-03-31",
    ),
    (
        "Some 1,400 bridges were destroyed since the beginning of the full-scale war.",
        "since the beginning of the full-scale war",
        "2022-02-24",
        "2025-03-31",
    ),
    (
        "At least 600 children were killed since the start of Russia's full-scale invasion.",
        "since the start of Russia's full-scale invasion",
        "2022-02-24",
        "2025-03-31",
    ),
    (
        "Over 10,000 civilians were killed since the full-scale invasion of Ukraine started.",
        "since the full-scale invasion of Ukraine started",
        "2022-02-24",
        "2025-03-31",
    ),
    (
        "Deminers cleared 90 fields since the outbreak of the full-scale Russian aggression.",
        "since the outbreak of the full-scale Russian aggression",
        "2022-02-24",
        "2025-03-31",
    ),
    (
        "The army lost 20 tanks from January to March 2025.",
        "from January to March 2025",
        "2025-01-01",
        "2025-03-31",
    ),
    ("Shelling damaged 40 homes on December 30.", "on December 30", "2024-12-30", "2024-12-30"),
    # A yearless start of a period that runs to the publication is before the publication.
    (
        "Since April 20, air defences shot down 600 drones.",
        "Since April 20",
        "2024-04-20",
        "2025-03-31",
    ),
    ("Since April, 1,300 people have left.", "Since April", "2024-04-01", "2025-03-31"),
    ("Since April 2024, 40 shelters have opened.", "Since April 2024", "2024-04-01", "2025-03-31"),
]


@pytest.mark.parametrize(("sentence", "time_text", "start", "end"), TIMES)
def test_the_governing_time_is_resolved_to_iso_bounds(
    sentence: str, time_text: str, start: str | None, end: str
) -> None:
    claim = next(
        c for c in extract_claims(sentence, published=PUBLISHED) if c.kind == "quantitative"
    )
    assert (claim.time_text, claim.time_start, claim.time_end) == (time_text, start, end)


def test_the_claims_own_time_wins_over_the_date_of_the_statement() -> None:
    text = "Officials reported on March 30 that 39 children were moved in late March 2025."
    claim = extract_claims(text, published=PUBLISHED)[0]
    assert claim.time_text == "in late March 2025"


def test_the_date_of_the_statement_is_used_when_it_is_the_only_time() -> None:
    text = "Media sources reported on March 30 that 39 children travelled to Moscow."
    assert extract_claims(text, published=PUBLISHED)[0].time_text == "on March 30"


def test_distances_and_ages_take_no_time() -> None:
    text = "On March 2, troops advanced within 7km of the town and detained a 15-year-old."
    assert [c.time_text for c in extract_claims(text, published=PUBLISHED)] == [None, None]


def test_a_date_without_year_and_without_publication_date_is_not_resolved() -> None:
    claim = extract_claims("Guards detained 12 men on March 30.")[0]
    assert (claim.time_text, claim.time_start, claim.time_end) == ("on March 30", None, None)
