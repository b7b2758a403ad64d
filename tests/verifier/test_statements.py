"""Sentences without numbers become factual claims or assessments."""

from __future__ import annotations

import pytest

from verifier import extract_claims

KINDS = [
    ("The federal health agency runs the Sosnovka sanatorium near Moscow.", "factual"),
    ("Occupation authorities opened a cadet school in occupied Melitopol.", "factual"),
    ("ISW assesses that Russian forces will continue attacks near Pokrovsk.", "assessment"),
    ("The pattern is suggesting that Moscow wants to erase Ukrainian identity.", "assessment"),
    ("Russian forces will likely intensify operations in the area.", "assessment"),
]


@pytest.mark.parametrize(("sentence", "kind"), KINDS)
def test_a_sentence_without_numbers_is_a_fact_or_an_assessment(sentence: str, kind: str) -> None:
    claims = extract_claims(sentence)
    assert [(c.kind, c.start, c.end, c.qualifier) for c in claims] == [
        (kind, 0, len(sentence), None)
    ]


@pytest.mark.parametrize("text", ["Key Takeaways:", "Why now?", "See below.", "|"])
def test_headings_questions_and_fragments_are_not_claims(text: str) -> None:
    assert extract_claims(text) == []


def test_a_sentence_with_numbers_gets_no_factual_claim() -> None:
    claims = extract_claims("The federal agency runs 12 sanatoriums near Moscow.")
    assert [c.kind for c in claims] == ["quantitative"]


def test_sentences_are_split_at_footnotes_quotes_and_list_items() -> None:
    text = (
        "Officials moved 39 children to the “Zorka” camp.[4] Key Takeaways: - The agency runs "
        "the camp near Moscow. - Dr. Ivanov heads the camp in Tver Oblast."
    )
    spans = [text[c.sentence_start : c.sentence_end] for c in extract_claims(text)]
    assert spans == [
        "Officials moved 39 children to the “Zorka” camp.[4]",
        "The agency runs the camp near Moscow.",
        "Dr. Ivanov heads the camp in Tver Oblast.",
    ]
