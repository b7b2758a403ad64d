"""Issue 12, what a set of reports written blind showed (heldout2.json, 3 December): the
shapes of wire copy and of regional administrations' Telegram posts, each a general rule.

Each case is a small set of our own short reports in the relbench format, run through the
engine as the service runs it (extraction with document context, fact keys, linking): the
annotated pairs must be related with their kind, the traps never.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from verifier import extract_claims
from verifier.entities import entities
from verifier.relbench import score


def _doc(id_: str, published: str, text: str, source: str | None = None) -> dict[str, Any]:
    return {"id": id_, "source": source or id_, "grade": "C", "published": published,
            "text": text + "\n"}  # fmt: skip


CASES = {
    "a Telegram post opens with its place as a sentence": (
        [
            _doc(
                "sumy-tg",
                "2025-05-06",
                "Sumy. At night the enemy attacked the city with "
                "drones. 3 people were injured. All services are working.",
            ),
            _doc(
                "sumy-ws",
                "2025-05-06",
                "SUMY, Ukraine, May 6 (Wire) - Three residents were "
                "injured in a Russian drone attack on Sumy overnight, the governor said.",
            ),
            _doc(
                "konotop-tg",
                "2025-05-06",
                "Konotop. The enemy shelled the community at night. 3 people were injured.",
            ),
        ],
        [("sumy-tg:3 people", "sumy-ws:Three", "same")],
        [("konotop-tg:3 people", "sumy-tg:3 people"), ("konotop-tg:3 people", "sumy-ws:Three")],
    ),
    "a dateline's date is the filing day; the weekday in the sentence is the strike's": (
        [
            # 8 May 2025 was a Thursday, 10 May a Saturday.
            _doc(
                "cher-tg",
                "2025-05-08",
                "Chernihiv. This evening a Russian missile hit the "
                "city centre. 9 people were killed.",
            ),
            _doc(
                "cher-ws",
                "2025-05-10",
                "CHERNIHIV, Ukraine, May 10 (Wire) - The death toll "
                "from Thursday's Russian missile strike on Chernihiv has risen to 12, the "
                "regional governor said.",
            ),
        ],
        [("cher-ws:12", "cher-tg:9 people", "consistent")],
        [],
    ),
    "a party does not contradict itself: its later figure updates, or revises, the earlier": (
        [
            _doc(
                "lym-mw",
                "2025-03-02",
                "Twelve servicemen were killed when a Ukrainian "
                "missile struck a depot near Lyman on March 1, the Russian Defence Ministry "
                "said.",
                "Moscow Wire",
            ),
            _doc(
                "lym-ws",
                "2025-03-04",
                "LYMAN - Russia's Defense Ministry said on Monday that "
                "20 of its soldiers died in the March 1 strike on a depot near the town.",
                "Wire",
            ),
            _doc(
                "lym-kd",
                "2025-03-03",
                "Ukraine's General Staff said the March 1 strike near "
                "Lyman killed about 90 Russian servicemen.",
                "Kyiv Daily",
            ),
        ],
        [
            ("lym-ws:20", "lym-mw:Twelve", "consistent"),
            ("lym-kd:about 90", "lym-mw:Twelve", "contradicts"),
            ("lym-kd:about 90", "lym-ws:20", "contradicts"),
        ],
        [],
    ),
    "the two sides of one exchange are two counts": (
        [
            _doc(
                "pow-ws",
                "2025-09-10",
                "Russia and Ukraine exchanged prisoners on September "
                "10. Moscow said 84 Russian servicemen returned, while Kyiv said 84 Ukrainian "
                "soldiers came home.",
                "Wire",
            ),
            _doc(
                "pow-hq",
                "2025-09-10",
                "The Coordination Headquarters said 84 Ukrainian "
                "soldiers returned home from Russian captivity on September 10.",
                "HQ",
            ),
        ],
        [("pow-hq:84", "pow-ws:84 Ukrainian", "same")],
        [("pow-hq:84", "pow-ws:84 Russian"), ("pow-ws:84 Russian", "pow-ws:84 Ukrainian")],
    ),
    "a name never runs on into the date after it": (
        [
            _doc(
                "vuh-mw",
                "2025-10-04",
                "Russian troops destroyed 7 Ukrainian tanks near "
                "Vuhledar on October 3, the Russian Defence Ministry said.",
                "Moscow Wire",
            ),
            _doc(
                "vuh-ff",
                "2025-10-04",
                "Moscow claims its forces knocked out seven Ukrainian "
                "tanks near Vuhledar on October 3.",
                "Front Facts",
            ),
            _doc(
                "sel-mw",
                "2025-10-04",
                "Russian troops destroyed 7 Ukrainian tanks near "
                "Selydove on October 3, the Russian Defence Ministry said.",
                "Moscow Wire",
            ),
        ],
        [("vuh-mw:7", "vuh-ff:seven", "same")],
        [("sel-mw:7", "vuh-mw:7"), ("sel-mw:7", "vuh-ff:seven")],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_reports_in_the_shapes_desks_receive_relate_as_a_careful_reader_does(name):
    documents, relations, traps = CASES[name]
    data = {
        "documents": documents,
        "relations": [{"a": a, "b": b, "kind": kind} for a, b, kind in relations],
        "traps": [{"a": a, "b": b, "why": name} for a, b in traps],
    }
    outcome = score(data)
    assert outcome.missed == [] and outcome.wrong_kind == [], (outcome.missed, outcome.wrong_kind)
    assert outcome.traps == [] and outcome.false == [], (outcome.traps, outcome.false)


@pytest.mark.parametrize(
    ("sentence", "places"),
    [
        ("Strikes hit a depot near Tokmak on November 1, officials said.", ("Tokmak",)),
        ("Russian forces attacked near Huliaipole on July 14.", ("Huliaipole",)),
        ("The toll from Friday's Russian strike rose to 18.", ()),
    ],
)
def test_a_date_or_a_possessive_weekday_is_no_part_of_a_place(sentence, places):
    assert entities(sentence)[0] == places


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NIKOPOL - Five residents of the city were wounded.", [("Five", 5, "resident")]),
        ("KHARKIV, Ukraine, March 3 (Wire) - Twelve people were hurt.", [("Twelve", 12, "person")]),
        ("Channel One reported the strike.", []),
    ],
)
def test_a_number_word_after_a_dateline_opens_its_sentence(text, expected):
    found = [(c.text, c.value, c.unit) for c in extract_claims(text) if c.kind == "quantitative"]
    assert found == expected


def test_every_figure_of_a_list_takes_the_list_verb():
    text = "27 apartment buildings, 9 private houses and a kindergarten were damaged."
    roles = [c.role for c in extract_claims(text) if c.kind == "quantitative"]
    assert roles == ["damaged", "damaged"]


def test_the_dateline_is_no_part_of_the_speaker():
    text = "TOKMAK - Russia's Defence Ministry said on Tuesday that 41 of its soldiers died."
    (claim,) = [c for c in extract_claims(text) if c.kind == "quantitative"]
    assert claim.attributed_to == "Russia's Defence Ministry"


def _quantitative(text: str, published: str = "2025-02-14") -> list[Any]:
    when = date.fromisoformat(published)
    return [c for c in extract_claims(text, published=when) if c.kind == "quantitative"]


def test_a_breakdown_after_a_colon_is_parts_of_the_figure_before_it_each_in_its_own_town():
    text = "Over the past day, the Russians killed 6 residents of Donetsk region: 3 in Selydove "
    text += "and 3 in Kurakhove."
    whole, first, second = _quantitative(text)
    assert [first.inherited.get("part_of"), second.inherited.get("part_of")] == [
        [whole.start, whole.end]
    ] * 2
    assert (first.places, second.places) == (("Selydove",), ("Kurakhove",))
    assert first.inherited["unit"] == second.inherited["unit"] == "resident"


def test_a_place_after_the_figure_keeps_its_region_in_apposition():
    (claim,) = _quantitative("Russian strikes killed 18 civilians in Kramatorsk, Donetsk Oblast.")
    assert claim.places == ("Kramatorsk", "Donetsk Oblast")


def test_a_street_from_an_earlier_sentence_still_takes_the_town_of_the_post():
    text = "Melitopol. At night a gas cylinder exploded in a dormitory on Hetmanska Street. Two "
    text += "people were killed."
    (claim,) = _quantitative(text)
    assert claim.inherited["places"] == ["Hetmanska Street", "Melitopol"]


@pytest.mark.parametrize(
    ("text", "needle", "phase"),
    [
        ("A woman died in hospital, bringing the number of people killed to seven.", "seven",
         "update"),
        ("The town, where the pre-war population was some 20,000, is empty.", "some 20,000",
         "before"),
        ("The town had about 20,000 residents before the full-scale invasion.", "about 20,000",
         "before"),
        ("Only 3,000 residents remain, down from 17,000 before the war.", "3,000", None),
        ("It has fallen from about 27,000 before the full-scale invasion to fewer than 2,000.",
         "fewer than 2,000", None),
    ],
)  # fmt: skip
def test_the_phase_of_a_figure_comes_from_its_own_words(text, needle, phase):
    (claim,) = [c for c in _quantitative(text) if c.text == needle]
    assert claim.phase == phase


def test_the_time_between_a_changes_two_ends_dates_only_its_from_figure():
    text = "In Sloviansk, the population has fallen from about 106,000 before February 2022 to "
    text += "an estimated 40,000."
    before, now = _quantitative(text)
    assert before.time_text == "before February 2022" and now.time_text is None
    assert before.places == now.places == ("Sloviansk",)


@pytest.mark.parametrize(
    ("text", "unit", "role"),
    [
        ("Nine other people were hurt, and about a dozen cottages were destroyed.", "person",
         "wounded"),
        ("Drones hit Okhtyrka, knocking out power to some 9,000 households.", "household",
         "without power"),
        ("Police exhumed 23 bodies from a forest grave.", "body", "killed"),
    ],
)  # fmt: skip
def test_the_counted_noun_and_role_of_outside_wordings(text, unit, role):
    claim = _quantitative(text)[0]
    assert (claim.unit, claim.role) == (unit, role)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the figure after a part marker is the part; the noun is not the whole's
        ("In total, 21 people were killed, among them five children, and 19 were injured.",
         [("21", "person"), ("five", "child"), ("19", "person")]),
        ("- Injured: 12, among them 2 children", [("12", "injured"), ("2", "child")]),
    ],
)  # fmt: skip
def test_a_part_after_among_them_lends_no_noun_to_its_neighbours(text, expected):
    assert [(c.text, c.unit) for c in _quantitative(text)] == expected


def test_since_the_full_scale_invasion_in_february_2022_is_one_start():
    text = "Since the start of the full-scale invasion in February 2022, Russian strikes have "
    text += "damaged 1,214 residential buildings in the region."
    (claim,) = _quantitative(text, "2024-06-10")
    assert (claim.time_start, claim.time_end) == ("2022-02-24", "2024-06-10")


def test_overnight_and_a_weekday_are_one_strike_not_a_count_over_a_longer_period():
    data = {
        "documents": [
            # 14 January 2025 was a Tuesday.
            _doc("pv-tg", "2025-01-14", "Pavlohrad. At night the aggressor struck the city "
                 "with missiles. Two people were killed and 14 were injured."),
            _doc("pv-wire", "2025-01-15", "PAVLOHRAD, Ukraine, Jan 15 (Wire) - The number of "
                 "people injured in Tuesday's missile attack on Pavlohrad has risen to 17, the "
                 "governor said. Three people had been killed."),
        ],
        "relations": [
            # the next day's higher death toll of one strike: the dead were counted since
            {"a": "pv-wire:Three", "b": "pv-tg:Two", "kind": "consistent"},
            {"a": "pv-wire:17", "b": "pv-tg:14", "kind": "consistent"},
        ],
        "traps": [{"a": "pv-wire:17", "b": "pv-tg:Two", "why": "wounded vs killed"}],
    }  # fmt: skip
    outcome = score(data)
    assert outcome.missed == outcome.wrong_kind == outcome.traps == outcome.false == []


def test_a_region_is_not_its_city_but_holds_it():
    data = {
        "documents": [
            _doc("krem", "2025-02-01", "In Kremenchuk, Poltava Oblast, a Russian drone strike "
                 "killed four workers overnight on February 1."),
            _doc("polt", "2025-02-01", "POLTAVA - A Russian missile killed four residents in "
                 "Poltava overnight on February 1."),
            _doc("zhy-tg", "2025-07-21", "Zhytomyr region. At night Shaheds attacked. 12 "
                 "residents were injured."),
            _doc("zhy-ws", "2025-07-21", "A Russian drone attack on the city of Zhytomyr "
                 "overnight wounded 12 people, the governor said."),
        ],
        "relations": [{"a": "zhy-ws:12", "b": "zhy-tg:12", "kind": "same"}],
        "traps": [{"a": "krem:four", "b": "polt:four", "why": "a town of the region"}],
    }  # fmt: skip
    outcome = score(data)
    assert outcome.missed == outcome.wrong_kind == outcome.traps == outcome.false == []


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Drone attack leaves about 40,000 Ternopil homes without power\n\nDrones hit a "
         "substation in Ternopil.\n", ["Ternopil"]),
        ("The army lost 40 Leopard tanks in the spring.", None),
    ],
)  # fmt: skip
def test_a_name_before_the_counted_noun_is_a_place_only_where_the_report_says_so(text, places):
    claim = _quantitative(text)[0]
    assert claim.inherited.get("places") == places
