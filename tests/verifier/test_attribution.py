"""Who the text says made a claim, the hedges that soften it, and where and who it names."""

from __future__ import annotations

import pytest

from verifier import extract_claims

ATTRIBUTIONS = [
    ("Russian-controlled Donbas-based media sources reported on March 30 that 39 children left.",
     "Russian-controlled Donbas-based media sources"),
    ("According to the UN, 12,000 civilians have been killed.", "the UN"),
    ("The regional governor stated that 400 teachers arrived.", "The regional governor"),
    ("Occupation head Ivan Petrenko also claimed that 90 children attend the camp.",
     "Occupation head Ivan Petrenko"),
    ("The Kremlin moved 20 children to Belarus, Ukrainian officials said.", "Ukrainian officials"),
    ("The security service doubled down and claimed that six people were taken.",
     "The security service"),
    ("Russian forces seized 3 villages near the river.", None),
    # The reporting clause need not end the sentence: what follows it is the source's too.
    ("Over 3,900 schools have been damaged, UNICEF said, adding that many pupils study online.",
     "UNICEF"),
    ("Russia handed over 15 civilians to Kyiv, commissioner Tatyana Moskalkova said, while nine "
     "residents were returned to Russia.", "commissioner Tatyana Moskalkova"),
    ("The plant has fuel for 10 days, the operator said on Tuesday, noting the last line was cut.",
     "the operator"),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "source"), ATTRIBUTIONS)
def test_attribution_is_kept_as_written(sentence: str, source: str | None) -> None:
    assert extract_claims(sentence)[0].attributed_to == source


HEDGES = [
    ("Russia has reportedly deported 50 children.", ["reportedly"]),
    ("The unit allegedly lost 30 tanks.", ["allegedly"]),
    ("A milblogger claimed that 40 drones fell.", ["claimed"]),
    ("Engineers rebuilt 12 bridges.", []),
    ("Between 10 and 20 drones struck the city on May 3.", []),
    ("The garrison may have lost 200 men by May 30.", ["may"]),
]


@pytest.mark.parametrize(("sentence", "hedges"), HEDGES)
def test_hedging_words_are_listed(sentence: str, hedges: list[str]) -> None:
    assert extract_claims(sentence)[0].to_dict()["hedges"] == hedges


def test_places_include_oblasts_and_places_after_prepositions() -> None:
    text = "Officials moved 39 children from occupied Rubizhne, Luhansk Oblast to Moscow."
    claim = extract_claims(text)[0]
    assert {"Rubizhne", "Luhansk Oblast", "Moscow"} <= set(claim.places)


def test_actors_include_quoted_organisations_and_acronyms() -> None:
    text = "The “Helping Ours” Foundation and the FMBA moved 39 children to a sanatorium."
    claim = extract_claims(text)[0]
    assert {"“Helping Ours” Foundation", "FMBA"} <= set(claim.actors)


def test_a_relative_clause_is_dropped_from_the_source() -> None:
    text = "The channel “Zorya,” which is close to the ministry, reported that 40 soldiers fled."
    assert extract_claims(text)[0].attributed_to == "The channel “Zorya”"


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        ("Troops advanced 3 kilometers west of Novoivanivka.", "Novoivanivka"),
        ("Officials moved 12 children to the Tver region.", "Tver region"),
        ("Drones struck 4 depots in Ukraine’s south.", "Ukraine"),
    ],
)
def test_places_follow_directions_articles_and_possessives(sentence: str, place: str) -> None:
    assert place in extract_claims(sentence)[0].places


def test_footage_that_indicates_an_advance_is_a_fact_not_an_assessment() -> None:
    text = "Geolocated footage published on March 1 indicates that troops advanced near Avdiivka."
    assert extract_claims(text)[0].kind == "factual"
