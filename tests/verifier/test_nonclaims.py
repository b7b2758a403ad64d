"""Number-like tokens that are not claims never produce quantitative claims."""

from __future__ import annotations

import pytest

from verifier import extract_claims

NOT_CLAIMS = [
    "Ukrainian officials reported the strike on March 30.",
    "The report covered events of 5 April 2024 in detail.",
    "The offensive began in 2023 and resumed in March 2025.",
    "The ceasefire was announced on 2025-03-30 by the mediators.",
    "Shelling started at 14:30 local time and ended at 6 p.m. sharp.",
    "Elements of the 58th Combined Arms Army moved east.",
    "The 1st Guards Tank Army and the 3rd Army Corps regrouped.",
    "Russian forces used Su-34 jets and T-72B3 tanks against the town.",
    "The Kh-101 cruise missile and the S-300 system were spotted by the crew.",
    "MiG-31K interceptors escorted the bombers over the sea.",
    "The governor confirmed the attack on the village.[26]",
    "Prosecutors cited the relevant clause.[3, 4]",
    "The second wave came on the fifth day.",
    "The court invoked Article 58 of the criminal code.",
    "The Duma passed Federal Law No. 273-FZ without debate.",
    "Residents may call the hotline at +380 44 123 4567 for help.",
    "The office moved to 12 Khreshchatyk Street in Kyiv.",
    "The unit fired 152mm shells at the positions.",
    "Putin spoke to the Group of Seven envoys on Channel One.",
    "Russia once again shelled the city, one of the largest in the region.",
    "No one was hurt in the one-time incident.",
    "The factory was built in the 1990s near the river.",
    "Russian forces have advanced near Siversk over the past 24 hours.",
    "Case No. 12345 was closed by the court in Moscow.",
    "COVID-19 spread through the camp quickly.",
]


@pytest.mark.parametrize("sentence", NOT_CLAIMS)
def test_it_emits_no_quantity_for_non_claims(sentence: str) -> None:
    assert [c.text for c in extract_claims(sentence) if c.kind == "quantitative"] == []


def test_a_number_next_to_a_date_is_still_read() -> None:
    claims = [
        c for c in extract_claims("On March 30 100 soldiers deserted.") if c.kind == "quantitative"
    ]
    assert [(c.text, c.value) for c in claims] == [("100", 100)]


def test_a_year_with_a_qualifier_is_a_count() -> None:
    claims = extract_claims("Authorities evacuated over 2000 residents.")
    assert [(c.text, c.lower) for c in claims] == [("over 2000", 2000)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Russian forces shelled Hill 223 near the river.",
        "The train left at 0800 hours from the depot.",
        "See https://example.org/report/2025/123 for the full text.",
        "Write to press.office2@example.org for details.",
        "The shells were 155-mm rounds from the depot.",
        "The base lies at 47.5°N near the coast.",
        "Part 2 of the statute was amended.",
    ],
)
def test_references_and_designations_are_not_claims(sentence: str) -> None:
    assert [c.text for c in extract_claims(sentence) if c.kind == "quantitative"] == []


@pytest.mark.parametrize(
    ("sentence", "texts"),
    [
        ("They used the Leopard 2 in combat near the town.", []),
        ("In Kharkiv 12 people died overnight.", ["12"]),
        ("The 2022-23 season saw 10-20 strikes.", ["10-20"]),
        ("The offensive started on the third of March.", []),
        ("Gen. Petrov and Dr. Ivanova counted 40 graves.", ["40"]),
    ],
)
def test_names_years_and_ordinals_next_to_numbers(sentence: str, texts: list[str]) -> None:
    assert [c.text for c in extract_claims(sentence) if c.kind == "quantitative"] == texts


@pytest.mark.parametrize(
    "sentence",
    [
        "Moscow's goals include (1) seizing the region and (2) breaking the army.",
        "The council approved the motion 5-4 after a long debate.",
        "1. Russian forces attacked near the town.",
    ],
)
def test_enumerators_and_scores_are_not_claims(sentence: str) -> None:
    assert [c.text for c in extract_claims(sentence) if c.kind == "quantitative"] == []
