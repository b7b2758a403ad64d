"""Fact keys and document context: the parts of a claim verification compares."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from verifier import extract_claims
from verifier.consistency import ClaimFacts, relate
from verifier.facts import noun_family, phase_of, role_of
from verifier.grouping import blocking_keys
from verifier.linking import GROUP_CAP, Linker
from verifier.relbench import facts_of, score

BENCH = Path(__file__).resolve().parents[1] / "verification" / "bench"


def _role(sentence: str, figure: str, *others: str) -> str | None:
    start = sentence.index(figure)
    spans = [(sentence.index(o), sentence.index(o) + len(o)) for o in others]
    return role_of(sentence, start, start + len(figure), spans)


@pytest.mark.parametrize(
    ("sentence", "figure", "others", "role"),
    [
        ("A strike killed 14 civilians and wounded 52 people.", "14", ("52",), "killed"),
        ("A strike killed 14 civilians and wounded 52 people.", "52", ("14",), "wounded"),
        ("At least 14 residents were killed and 52 were injured.", "14", ("52",), "killed"),
        ("At least 14 residents were killed and 52 were injured.", "52", ("14",), "wounded"),
        ("Russia deported 39 children to Crimea.", "39", (), "deported"),
        ("Ukraine returned 39 children to Kherson Oblast.", "39", (), "returned"),
        ("Ukraine has brought back 1,600 children.", "1,600", (), "returned"),
        ("Shelling left 3,000 homes without electricity.", "3,000", (), "without power"),
        ("Shelling cut power to nearly 3,000 homes.", "nearly 3,000", (), "without power"),
        ("Some 1.2 million households had no electricity.", "1.2 million", (), "without power"),
        ("Russia launched 50 drones, and air defenses shot down 42.", "50", ("42",), "launched"),
        ("Russia launched 50 drones, and air defenses shot down 42.", "42", ("50",), "shot down"),
        ("Air defenses downed 98 drones.", "98", (), "shot down"),
        ("About 1,500 people were evacuated from Kherson.", "1,500", (), "evacuated"),
        ("Around 300 people died in the strike.", "300", (), "killed"),
        ("Only 3,000 residents remain in Vovchansk.", "3,000", (), "population"),
        ("The ministry published 12 photographs.", "12", (), None),
        ("Five people were taken to a local hospital.", "Five", (), None),
        ("Russia took 39 children to camps.", "39", (), None),
        ("39 children were taken to camps in Crimea.", "39", (), "deported"),
        ("Nearly 2,000 homes were left without water.", "2,000", (), "without water"),
    ],
)
def test_the_role_is_what_the_sentence_says_happened_to_the_counted_thing(
    sentence, figure, others, role
):
    assert _role(sentence, figure, *others) == role


@pytest.mark.parametrize(
    ("unit", "family"),
    [
        ("civilian", "person"),
        ("resident", "person"),
        ("people", "person"),
        ("person", "person"),
        ("soldier", "soldier"),
        ("serviceman", "soldier"),
        ("troop", "soldier"),
        ("child", "child"),
        ("household", "home"),
        ("tank", "tank"),
    ],
)
def test_counted_nouns_belong_to_families(unit, family):
    assert noun_family(unit) == family


@pytest.mark.parametrize(
    ("sentence", "figure", "phase"),
    [
        ("The population fell from 17,000 to 3,000.", "17,000", "before"),
        ("The population fell from 17,000 to 3,000.", "3,000", None),
        ("Only 3,000 remain, down from 17,000 before the war.", "17,000", "before"),
        ("The number of wounded has risen to 31.", "31", "update"),
        ("Russia deported 39 children.", "39", None),
    ],
)
def test_a_change_has_a_before_figure_and_a_grown_toll_is_an_update(sentence, figure, phase):
    start = sentence.index(figure)
    assert phase_of(sentence, start, start + len(figure)) == phase


def _claim(text: str, figure: str, published: date = date(2025, 3, 4)):
    found = [c for c in extract_claims(text, published=published) if c.kind == "quantitative"]
    return next(c for c in found if figure in c.text)


def test_a_claim_inherits_the_dateline_place_recorded_as_inherited():
    text = "ORIKHIV - About 3,000 homes were left without power on February 10.\n"
    claim = _claim(text, "3,000")
    assert "Orikhiv" not in claim.places
    assert claim.inherited["places"] == ["Orikhiv"]
    assert claim.inherited["from"]["places"] == "the dateline"
    assert claim.role == "without power"


def test_a_claim_inherits_place_and_period_from_an_earlier_sentence_of_its_paragraph():
    text = (
        "Russian missiles hit Kharkiv on March 3. At least 14 residents were killed and 52 "
        "were injured in the attack.\n"
    )
    claim = _claim(text, "52")
    assert claim.places == ()
    assert claim.inherited["places"] == ["Kharkiv"]
    assert claim.inherited["time_start"] == "2025-03-03"
    assert claim.inherited["from"]["period"] == "an earlier sentence of the paragraph"
    assert claim.role == "wounded"


def test_the_headline_names_the_place_when_the_text_does_not():
    text = "Drone attack on Sumy\n\nEmergency services said 3 people were killed.\n"
    claim = _claim(text, "3")
    assert claim.inherited["places"] == ["Sumy"]
    assert claim.inherited["from"]["places"] == "the headline"


def test_of_them_is_a_part_of_the_figure_before_it_and_takes_its_noun():
    text = (
        "Russia launched 50 drones against Odesa Oblast, and air defenses shot down 42 of them.\n"
    )
    whole, part = _claim(text, "50"), _claim(text, "42")
    assert part.inherited["part_of"] == [whole.start, whole.end]
    assert (part.inherited.get("unit") or part.unit) == "drone"
    assert part.role == "shot down"


def test_including_makes_a_part_of_the_figure_before_it():
    text = "The strike on Sloviansk wounded 52 people, including 9 children, on April 14.\n"
    whole, part = _claim(text, "52"), _claim(text, "9")
    assert part.inherited["part_of"] == [whole.start, whole.end]
    assert part.role == "wounded"


def test_drones_destroyed_by_air_defence_are_shot_down():
    assert _claim("Air defence destroyed 40 drones over Kyiv Oblast.\n", "40").role == "shot down"


def test_a_back_reference_takes_the_earlier_figure_and_names_who_claimed_it():
    text = (
        "Russian officials claimed 12 Ukrainian tanks were destroyed near Pokrovsk on May 5. "
        "Ukrainian officials said 4 tanks were destroyed, far fewer than the 12 claimed by "
        "Moscow.\n"
    )
    first = _claim(text, "12")
    back = [c for c in extract_claims(text) if c.text == "12"][1]
    assert back.inherited["refers_to"] == [first.start, first.end]
    assert back.inherited["attributed_to"] == "Moscow"
    assert back.role == "destroyed"


def test_a_change_stays_one_claim_compared_by_its_two_ends():
    text = "The population of Vovchansk fell from 17,000 to 3,000 after 2022.\n"
    (change,) = [c for c in extract_claims(text) if c.kind == "quantitative"]
    assert change.phase == "change"
    assert change.inherited["change"] == {"from": 17000.0, "to": 3000.0}


def test_a_change_meets_a_before_figure_by_its_start_and_a_current_one_by_its_end():
    change = _facts(1, 3000, role="population", phase="change", change=(17000.0, 3000.0))
    now = _facts(2, 3000, role="population")
    before = _facts(3, 17000, role="population", phase="before")
    other_now = _facts(4, 17000, role="population")
    assert relate(change, now).kind == "same"
    assert relate(now, change).kind == "same"
    assert relate(change, before).kind == "same"
    assert relate(change, other_now).kind == "contradicts"


DAY = (date(2025, 3, 3), date(2025, 3, 3))


def _facts(claim_id: int, value: float, **fields) -> ClaimFacts:
    period = fields.pop("period", DAY)
    qualifier = fields.pop("qualifier", "exact")
    return ClaimFacts(
        id=claim_id,
        value=value,
        lower=value,
        upper=value,
        qualifier=qualifier,
        unit=fields.pop("unit", "civilian"),
        time_start=period[0],
        time_end=period[1],
        places=fields.pop("places", ("Kharkiv",)),
        document_id=fields.pop("document_id", claim_id),
        source_id=fields.pop("source_id", claim_id),
        **fields,
    )


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        # killed vs wounded in one attack: never related
        (_facts(1, 14, role="killed"), _facts(2, 52, role="wounded"), None),
        # deported vs returned, the same number
        (
            _facts(1, 39, role="deported", unit="child"),
            _facts(2, 39, role="returned", unit="child"),
            None,
        ),
        # different towns on one day
        (
            _facts(1, 3000, role="without power", unit="home", places=("Orikhiv",)),
            _facts(
                2, 3000, role="without power", unit="home", places=("Siversk", "Donetsk Oblast")
            ),
            None,
        ),
        # different periods
        (
            _facts(1, 7, role="killed", period=(date(2024, 12, 1), date(2024, 12, 31))),
            _facts(2, 7, role="killed", period=(date(2025, 1, 1), date(2025, 1, 31))),
            None,
        ),
        # before vs after of a change
        (
            _facts(1, 17000, role="population", phase="before"),
            _facts(2, 3000, role="population"),
            None,
        ),
        # the word outlets choose: civilians and residents are persons
        (_facts(1, 14, role="killed"), _facts(2, 14, role="killed", unit="resident"), "same"),
        (
            _facts(1, 146, role="returned", unit="soldier"),
            _facts(2, 146, role="returned", unit="serviceman"),
            "same",
        ),
        # rival figures for one fact
        (
            _facts(1, 600, role="killed", qualifier="at_least"),
            _facts(2, 300, role="killed", qualifier="approximate"),
            "contradicts",
        ),
        # a town inside its oblast: a part, not a rival
        (
            _facts(1, 18, role="killed", places=("Kramatorsk", "Donetsk Oblast")),
            _facts(2, 120, role="killed", places=("Donetsk Oblast",)),
            "part_of",
        ),
        # figures of one document: only what the text says relates
        (
            _facts(1, 14, role="killed", document_id=9),
            _facts(2, 15, role="killed", document_id=9),
            None,
        ),
        (
            _facts(1, 12, role="destroyed", document_id=9, attributed_to="Russian officials"),
            _facts(2, 4, role="destroyed", document_id=9, attributed_to="Ukrainian officials"),
            "contradicts",
        ),
        (
            _facts(
                1, 42, role="shot down", unit="drone", document_id=9, span=(90, 92), whole=(10, 12)
            ),
            _facts(2, 50, role="launched", unit="drone", document_id=9, span=(10, 12)),
            "part_of",
        ),
        # a toll that grew as victims were counted: the later, higher report agrees
        (
            _facts(1, 30, role="wounded", unit="person", published=date(2024, 9, 4)),
            _facts(2, 38, role="wounded", unit="person", published=date(2024, 9, 5)),
            "consistent",
        ),
        # ... but a lower toll reported later contradicts the first
        (
            _facts(1, 38, role="wounded", unit="person", published=date(2024, 9, 4)),
            _facts(2, 30, role="wounded", unit="person", published=date(2024, 9, 5)),
            "contradicts",
        ),
        # ... and so do the two sides' figures, whenever each was given
        (
            _facts(
                1,
                9,
                role="killed",
                unit="soldier",
                published=date(2024, 9, 21),
                attributed_to="Ukrainian Ground Forces",
            ),
            _facts(
                2,
                150,
                role="killed",
                unit="soldier",
                published=date(2024, 9, 22),
                attributed_to="the Russian Defence Ministry",
            ),
            "contradicts",
        ),
        # residential buildings are homes; high-rise buildings stay buildings
        (
            _facts(1, 1400, role="damaged", unit="home", subject="homes"),
            _facts(2, 1400, role="damaged", unit="building", subject="residential buildings"),
            "same",
        ),
        (
            _facts(1, 3, role="damaged", unit="building", subject="high-rise buildings"),
            _facts(2, 3, role="damaged", unit="house", subject="private houses"),
            None,
        ),
        # homes without power in the morning and in the evening: two moments, both true
        (
            _facts(1, 41000, role="without power", unit="subscriber", places=("Ternopil",)),
            _facts(2, 6000, role="without power", unit="household", places=("Ternopil",)),
            None,
        ),
        # a place named inside the counted phrase is the claim's place
        (
            _facts(
                1,
                40000,
                role="without power",
                unit="home",
                subject="Ternopil homes",
                places=("Ternopil",),
            ),
            _facts(
                2,
                41000,
                role="without power",
                unit="subscriber",
                places=("Ternopil",),
                qualifier="approximate",
            ),
            "consistent",
        ),
        # ships and vessels, staff and employees: one family each
        (_facts(1, 1500, unit="ship"), _facts(2, 1500, unit="vessel"), "same"),
        (_facts(1, 4500, unit="staff"), _facts(2, 4500, unit="employee"), "same"),
    ],
)
def test_claims_relate_only_when_their_fact_keys_are_compatible(a, b, kind):
    relation = relate(a, b)
    assert (relation.kind if relation else None) == kind


SINCE_2022 = date(2022, 1, 1)


def test_a_running_total_that_grew_is_consistent_and_a_lower_one_from_its_source_a_revision():
    march = _facts(
        1,
        1200,
        qualifier="more_than",
        unit="child",
        role="deported",
        source_id=5,
        period=(SINCE_2022, date(2025, 3, 1)),
    )
    april = _facts(
        2,
        1400,
        qualifier="more_than",
        unit="child",
        role="deported",
        source_id=5,
        period=(SINCE_2022, date(2025, 4, 1)),
    )
    may = _facts(
        3, 1250, unit="child", role="deported", source_id=5, period=(SINCE_2022, date(2025, 5, 1))
    )
    other = _facts(
        4, 1250, unit="child", role="deported", source_id=6, period=(SINCE_2022, date(2025, 5, 1))
    )
    grew = relate(march, april)
    assert grew.kind == "consistent" and "running total" in grew.explanation
    revision = relate(may, april)
    assert revision.kind == "revision" and "a revision to review" in revision.explanation
    assert relate(other, april).kind == "contradicts"


def test_a_contradiction_between_attributed_figures_names_the_attribution():
    russian = _facts(1, 12, unit="tank", role="destroyed", attributed_to="Russian officials")
    ukrainian = _facts(2, 4, unit="tank", role="destroyed", attributed_to="Ukrainian officials")
    relation = relate(russian, ukrainian)
    assert relation.kind == "contradicts"
    assert "according to Russian officials" in relation.explanation
    assert "according to Ukrainian officials" in relation.explanation


def test_a_claim_keeps_at_most_the_bounded_number_of_relations_the_most_similar():
    linker = Linker(blocking_keys, max_relations=5, block_cap=1000)
    for i in range(1, 41):
        linker.add(_facts(i, 14, role="killed", places=("Kharkiv", f"Place{i % 3}")))
    per_claim: dict[int, int] = {}
    for link in linker.relations():
        per_claim[link.a] = per_claim.get(link.a, 0) + 1
    assert max(per_claim.values()) <= 5
    assert max(len(g) for g in linker.groups.sets()) <= GROUP_CAP


def test_groups_never_grow_past_the_cap():
    linker = Linker(blocking_keys, max_relations=3, group_cap=10, block_cap=1000)
    for i in range(1, 101):
        linker.add(_facts(i, 14, role="killed"))
    assert max(len(g) for g in linker.groups.sets()) <= 10


@pytest.mark.parametrize("name", ["reports.json", "heldout.json"])
def test_the_verification_bench_meets_its_targets(name):
    figures = score(json.loads((BENCH / name).read_text(encoding="utf-8"))).figures
    assert figures["recall"] >= 0.9
    assert figures["precision"] >= 0.9
    assert figures["kind_accuracy"] >= 0.9
    assert figures["trap_false_rate"] <= 0.05
    assert figures["relations_per_related_pair"] <= 3


# Sets written blind (heldout2-7): (recall, precision) each reached once its misses were turned
# into general rules. Below the targets still (README); a change that loses ground fails here.
# heldout8.json is the last blind measure, kept out of this list and out of the rules.
FLOORS = {
    "heldout2.json": (0.88, 0.95),
    "heldout3.json": (0.72, 0.95),
    "heldout4.json": (0.75, 0.95),
    "heldout5.json": (0.84, 0.95),
    "heldout6.json": (0.52, 0.95),
    "heldout7.json": (0.58, 0.90),
}


@pytest.mark.parametrize("name", list(FLOORS))
def test_the_sets_written_blind_keep_what_they_reached(name):
    figures = score(json.loads((BENCH / name).read_text(encoding="utf-8"))).figures
    recall, precision = FLOORS[name]
    assert figures["recall"] >= recall
    assert figures["precision"] >= precision
    assert figures["trap_false_rate"] <= 0.05
    assert figures["relations_per_related_pair"] <= 3


def test_a_lower_running_total_from_the_same_source_is_a_revision_even_unattributed():
    # "The infrastructure ministry said ... more than 1,500 ships" and, in the ministry's next
    # statement, "1,400 vessels" with no speaker named: the source revised its own figure.
    may = _facts(
        1, 1500, qualifier="more_than", unit="ship", source_id=4,
        source_name="Ministry of Infrastructure of Ukraine",
        attributed_to="The infrastructure ministry", published=date(2024, 5, 8),
        period=(date(2023, 8, 1), date(2024, 5, 8)),
    )  # fmt: skip
    june = _facts(
        2, 1400, unit="vessel", source_id=4, source_name="Ministry of Infrastructure of Ukraine",
        published=date(2024, 6, 12), period=(date(2023, 8, 1), date(2024, 6, 12)),
    )  # fmt: skip
    assert relate(june, may).kind == "revision"


@pytest.mark.parametrize(
    ("sentence", "places", "actors"),
    [
        # platforms and organisations after "from" are no places
        ("Translated from Telegram. 30 people were injured.", (), ()),
        ("Six trucks with aid from the United Nations arrived.", (), ("United Nations",)),
        # "X and Y" names two places; "the ports of", "the towns of" introduce places
        (
            "1,200 vessels left the ports of Chornomorsk and Pivdennyi.",
            ("Chornomorsk", "Pivdennyi"), (),
        ),
        (
            "200 people died in the towns of Oleshky and Hola Prystan.",
            ("Oleshky", "Hola Prystan"), (),
        ),
        # an organisation's name keeps its "and"
        (
            "The Ministry of Defence and Veterans said 12.",
            (), ("Ministry of Defence and Veterans",),
        ),
        ("Our region hosts 68,400 displaced persons.", (), ()),
    ],
)  # fmt: skip
def test_places_are_told_from_platforms_organisations_and_lists(sentence, places, actors):
    from verifier.entities import entities

    assert entities(sentence) == (places, actors)


def test_an_administrations_post_is_about_its_own_region_or_city():
    text = (
        "Translated from Telegram. Rivne Regional Military Administration: As of 10:00, 215,000 "
        "subscribers in the region are without power.\n"
    )
    claim = _claim(text, "215,000")
    assert claim.inherited["places"] == ["Rivne region"]
    assert claim.role == "without power"
    city = "Dobropillia City Military Administration: Today 90 tonnes of food arrived.\n"
    assert _claim(city, "90").inherited["places"] == ["Dobropillia"]


@pytest.mark.parametrize(
    ("sentence", "figure", "role"),
    [
        ("More than 200,000 households remain without electricity.", "200,000", "without power"),
        ("No more than 2,500 workers remain at the plant.", "2,500", "population"),
        ("The plant now employs about 4,500 staff.", "4,500", "population"),
        ("95 of our defenders are coming home today!", "95", "returned"),
        # a participle that describes a noun is not what happened to the figure
        (
            "The death toll from flooding below the destroyed Kakhovka dam has risen to 29.",
            "29", "killed",
        ),
        ("14 people in the damaged building were killed.", "14", "killed"),
    ],
)  # fmt: skip
def test_the_role_is_the_state_after_remain_and_never_a_participle_of_another_noun(
    sentence, figure, role
):
    assert _role(sentence, figure) == role


@pytest.mark.parametrize(
    ("text", "figure", "unit"),
    [
        ("Our region hosts 68,400 internally displaced persons.", "68,400", "person"),
        ("About 300 forcibly deported children returned.", "About 300", "child"),
        ("Coordination Headquarters: 95 of our defenders are coming home today!", "95", "defender"),
    ],
)  # fmt: skip
def test_the_counted_noun_is_read_past_an_adverb_and_a_possessive(text, figure, unit):
    assert _claim(text, figure).unit == unit


def test_periods_since_an_event_and_since_last_month_run_to_publication():
    opened = _claim(
        "Since the sea corridor opened in August 2023, more than 1,200 vessels have left.",
        "1,200", published=date(2024, 2, 6),
    )  # fmt: skip
    assert (opened.time_start, opened.time_end) == ("2023-08-01", "2024-02-06")
    last = _claim(
        "More than 1,500 ships have sailed since it opened last August.", "1,500",
        published=date(2024, 5, 8),
    )  # fmt: skip
    assert (last.time_start, last.time_end) == ("2023-08-01", "2024-05-08")


def test_a_sentence_placed_elsewhere_does_not_take_the_paragraphs_place():
    text = (
        "At least 200 people died in the occupied towns of Oleshky and Hola Prystan, the "
        "commissioner said. On the government-controlled bank, 17 people died, officials said.\n"
    )
    assert "places" not in _claim(text, "17").inherited


def test_an_undated_figure_of_a_report_is_about_the_night_it_reports():
    night = _facts(
        1, 3, role="damaged", unit="building", places=("Shostka",), published=date(2025, 4, 12),
        period=(date(2025, 4, 11), date(2025, 4, 12)),
    )  # fmt: skip
    undated = _facts(
        2, 5, role="damaged", unit="block", places=("Shostka",), published=date(2025, 4, 12),
        period=(None, None),
    )  # fmt: skip
    assert relate(night, undated).kind == "contradicts"
    month_later = _facts(
        3, 5, role="damaged", unit="block", places=("Shostka",), published=date(2025, 5, 20),
        period=(None, None),
    )  # fmt: skip
    assert relate(night, month_later) is None


def test_money_has_no_role_of_the_things_it_pays_for():
    claim = _claim("The Bank approved $650 million to repair damaged homes in Ukraine.", "$650")
    assert claim.unit == "usd" and claim.role is None


@pytest.mark.parametrize(
    ("sentence", "figure", "role"),
    [
        ("The enemy attacked with 90 Shahed-type drones overnight.", "90", "launched"),
        ("37 patients have been moved to other medical facilities.", "37", "evacuated"),
        # who was helped, not how many live there
        ("WFP has helped 1.1 million people living in front-line communities.", "1.1", None),
        ("About 1,800 people are still living in the town.", "1,800", "population"),
    ],
)  # fmt: skip
def test_roles_of_attacks_transfers_and_head_counts(sentence, figure, role):
    assert _role(sentence, figure) == role


def test_a_mayors_post_is_about_the_city():
    text = "Kharkiv Mayor Ihor Terekhov: At night 17 people were injured.\n"
    assert _claim(text, "17").inherited["places"] == ["Kharkiv"]


def test_an_undated_toll_in_the_next_days_report_meets_the_dated_one():
    today = _facts(
        1, 9, role="killed", unit="serviceman", places=("Dnipropetrovsk region",),
        published=date(2025, 4, 27), period=(date(2025, 4, 27), date(2025, 4, 27)),
        attributed_to="Ground Forces", source_name="Ground Forces of the Armed Forces of Ukraine",
    )  # fmt: skip
    next_day = _facts(
        2, 50, role="killed", unit="serviceman", places=("Dnipropetrovsk region",),
        published=date(2025, 4, 28), period=(None, None), qualifier="approximate",
        attributed_to="the Russian Defence Ministry",
    )  # fmt: skip
    assert relate(today, next_day).kind == "contradicts"


def test_a_wire_filed_from_a_capital_is_about_the_place_its_sentence_names():
    text = (
        "MOSCOW, April 28 (Courier) - An Iskander strike on a training camp in the "
        "Dnipropetrovsk region killed about 50 servicemen, the Defence Ministry said.\n"
    )
    assert _claim(text, "50").places == ("Dnipropetrovsk region",)
    local = "KHARKIV, May 3 (Wire) - Russian strikes injured 17 people overnight.\n"
    assert _claim(local, "17").inherited["places"] == ["Kharkiv"]


def test_a_part_over_the_past_day_is_part_of_that_days_whole():
    part = _facts(
        1, 12, role="evacuated", unit="child", places=("Kupiansk",),
        period=(date(2025, 8, 19), date(2025, 8, 20)),
    )  # fmt: skip
    whole = _facts(
        2, 46, role="evacuated", unit="person", places=("Kupiansk",),
        period=(date(2025, 8, 20), date(2025, 8, 20)),
    )  # fmt: skip
    assert relate(part, whole).kind == "part_of"


def test_handed_over_is_a_verb_not_a_bound():
    claim = _claim("Russia handed over 15 Ukrainian civilians to Kyiv on Saturday.", "15")
    assert (claim.qualifier, claim.role) == ("exact", "returned")
    assert _claim("Over 15 people were hurt.", "15").qualifier == "more_than"


def test_a_toll_grows_by_the_victims_found_not_tenfold():
    day = (date(2025, 3, 11), date(2025, 3, 11))
    first = _facts(1, 1, role="killed", unit="serviceman", published=date(2025, 3, 11), period=day)
    grew = _facts(2, 3, role="killed", unit="serviceman", published=date(2025, 3, 12), period=day)
    rival = _facts(
        3, 11, role="killed", unit="serviceman", published=date(2025, 3, 12), period=day,
        qualifier="at_least",
    )  # fmt: skip
    assert relate(first, grew).kind == "consistent"
    assert relate(first, rival).kind == "contradicts"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("institution", "educational institutions"), ("school", "schools")),
        (("family", "families"), ("home", "homes")),
        (("traveller", "travellers"), ("person", "people")),
        (("woman", "woman"), ("passenger", "passenger")),
    ],
)
def test_words_outlets_choose_for_one_thing_compare(a, b):
    left = _facts(1, 38, role="damaged", unit=a[0], subject=a[1])
    right = _facts(2, 38, role="damaged", unit=b[0], subject=b[1])
    assert relate(left, right).kind == "same"


def test_a_landmark_is_in_the_town_of_the_post():
    text = (
        "Kherson City Military Administration: The death toll from the shelling of the Central "
        "Market has risen to four.\n"
    )
    assert "Kherson" in _claim(text, "four").inherited["places"]


def test_the_filing_date_of_a_dateline_yields_to_the_sentences_own_time():
    text = (
        "DOBROPILLIA, June 11 (Wire) - Nearly 150 children have left the town over the past "
        "seven days, officials said.\n"
    )
    claim = _claim(text, "150", published=date(2025, 6, 11))
    assert (claim.time_start, claim.time_end) == ("2025-06-04", "2025-06-11")
    since = _claim(
        "More than 600 children have been evacuated since the evacuation order of 1 June.",
        "600", published=date(2025, 6, 14),
    )  # fmt: skip
    assert (since.time_start, since.time_end) == ("2025-06-01", "2025-06-14")


def test_a_noun_is_borrowed_by_the_subject_of_the_next_clause():
    text = (
        "As of 1 March, 3,910 educational institutions have been damaged by Russian bombing and "
        "shelling since February 2022, and 402 have been destroyed completely."
    )
    assert _claim(text, "402").unit == "institution"


def test_a_total_said_so_far_runs_on_from_an_earlier_running_total():
    claim = _claim(
        "More than 70,000 families have now received payments, the ministry said on Tuesday.",
        "70,000", published=date(2025, 4, 15),
    )  # fmt: skip
    assert (claim.time_start, claim.time_end) == (None, "2025-04-15")
    since = _facts(
        1, 64200, unit="family", role="damaged", places=(), actors=("eRecovery",),
        period=(date(2023, 1, 1), date(2025, 3, 12)),
    )  # fmt: skip
    later = _facts(
        2, 70000, unit="family", role="damaged", places=(), actors=("eRecovery",),
        qualifier="more_than", period=(None, date(2025, 4, 15)),
    )  # fmt: skip
    assert relate(since, later).kind == "consistent"


def test_a_figure_naming_no_place_meets_one_that_does_on_the_same_day_if_they_agree():
    day = (date(2024, 6, 25), date(2024, 6, 25))
    moscow = _facts(1, 95, role="returned", unit="prisoner", places=("Moscow",), period=day)
    unplaced = _facts(2, 95, role="returned", unit="serviceman", places=(), period=day)
    assert relate(moscow, unplaced).kind == "same"
    assert blocking_keys(moscow) & blocking_keys(unplaced)
    # never rivals: a different count without a place may be another event
    other = _facts(3, 40, role="returned", unit="serviceman", places=(), period=day)
    assert relate(moscow, other) is None
    # nor the two sides' own returnees of one exchange
    ours = _facts(
        4, 95, role="returned", unit="defender", places=(), period=day,
        source_name="Office of the President of Ukraine",
    )  # fmt: skip
    theirs = _facts(
        5, 95, role="returned", unit="soldier", places=("Moscow",), period=day,
        attributed_to="the Russian Defence Ministry",
    )  # fmt: skip
    assert relate(ours, theirs) is None


@pytest.mark.parametrize(
    ("sentence", "figure", "phase"),
    [
        ("Two more people have died in hospital, bringing the toll to three.", "Two", "increment"),
        ("12 further bodies were found.", "12", "increment"),
        ("Ukraine will receive an additional 650 million dollars.", "650", None),
        ("12 more than last year were hurt.", "12", None),
    ],
)  # fmt: skip
def test_what_was_added_to_a_count_is_an_increment_not_the_count(sentence, figure, phase):
    start = sentence.index(figure)
    assert phase_of(sentence, start, start + len(figure)) == phase


def test_a_weekday_in_the_claims_own_sentence_dates_it():
    claim = _claim(
        "Ukraine's army said nine soldiers died in Sunday's missile strike on a training unit.",
        "nine", published=date(2025, 4, 28),
    )  # fmt: skip
    assert claim.inherited["time_start"] == "2025-04-27"


def test_an_outage_before_figure_meets_the_mornings_count():
    evening_report = _facts(
        1, 185000, role="without power", unit="home", places=("Dnipro",), phase="before",
        qualifier="approximate",
    )  # fmt: skip
    morning_post = _facts(
        2, 185000, role="without power", unit="household", places=("Dnipro",),
        qualifier="approximate",
    )  # fmt: skip
    assert relate(evening_report, morning_post).kind in ("same", "consistent")


def test_bodies_meet_soldiers_and_explosive_items_meet_explosive_objects():
    bodies = _facts(1, 909, role="returned", unit="body", subject="bodies", places=("Ukraine",))
    fallen = _facts(2, 909, role="returned", unit="defender", subject="fallen defenders",
                    places=("Ukraine",))  # fmt: skip
    assert relate(bodies, fallen).kind == "same"
    assert blocking_keys(bodies) & blocking_keys(fallen)
    items = _facts(3, 610000, role="destroyed", unit="item", subject="explosive items",
                   places=("Ukraine",), qualifier="more_than")  # fmt: skip
    objects = _facts(4, 600000, role="destroyed", unit="object", subject="explosive objects",
                     places=("Ukraine",), qualifier="more_than")  # fmt: skip
    assert relate(items, objects).kind == "consistent"
    sappers = _claim("Sappers have neutralised over 600,000 explosive objects.", "600,000")
    assert sappers.role == "destroyed"


@pytest.mark.parametrize(
    ("text", "figure", "role"),
    [
        ("About 24,000 people have left the Pokrovsk area since August.", "24,000", "evacuated"),
        ("More than 1,200 vessels have left the ports.", "1,200", None),
        ("The town had about 20,000 residents before the invasion.", "20,000", "population"),
        ("Nineteen UAVs were recorded over the town.", "Nineteen", "launched"),
        ("The unit had lost 11 servicemen killed or wounded that day.", "11", "casualties"),
        ("Moscow claimed 190 Ukrainian casualties near the town.", "190", "casualties"),
        ("The brigade lost 3 tanks and 11 servicemen killed or wounded.", "3", "destroyed"),
    ],
)  # fmt: skip
def test_roles_read_from_the_verb_and_what_is_counted(text, figure, role):
    assert _claim(text, figure, published=date(2025, 7, 9)).role == role


def test_a_part_is_counted_where_when_and_by_whom_its_whole_was():
    exchange = (
        "On June 3, 95 Ukrainian soldiers returned from Russian captivity in an exchange "
        "brokered by Turkey. Of them, 20 had been held since 2023.\n"
    )
    other = "An exchange brokered by Turkey on June 3 brought back 95 Ukrainian servicemen.\n"
    day = date(2025, 6, 4)
    whole, part = _claim(exchange, "95", day), _claim(exchange, "20", day)
    elsewhere = _claim(other, "95", day)

    # "since 2023" is how long its members were held, not when they were counted.
    assert (part.time_start, part.time_end) == ("2023-01-01", "2025-06-04")
    assert (part.inherited["time_start"], part.inherited["time_end"]) == ("2025-06-03",) * 2
    assert "is about its members" in part.inherited["from"]["period"]
    assert part.inherited["actors"] == list(whole.actors) == ["Turkey"]
    facts = [
        facts_of(c, claim_id=i, document_id=i, source_id=i, source=f"outlet {i}", grade="B",
                 published=day)
        for i, c in enumerate([part, elsewhere], start=1)
    ]  # fmt: skip
    assert relate(*facts).kind == "part_of"
