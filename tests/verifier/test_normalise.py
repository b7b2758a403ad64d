"""Hidden characters change what a page shows, never what the engine reads (issue 14, 6)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier import extract_claims, iter_claims
from verifier.normalise import reveal, strip_hidden

HIDDEN = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u202c",
          "\u2066", "\u2069", "\u200e", "\u200f"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "quote", "value", "unit"),
    [
        ("Officials said 12\u200b00 people were evacuated.", "12\u200b00", 1200, "person"),
        ("Over 1,\u2060200 Ukrainians were deported since 2022.", "Over 1,\u2060200", 1200, None),
        ("Officials said \u202e93\u202c children were deported.", "93", 93, "child"),
        ("The strike killed \u200f14\u200f civilians on Monday.", "14", 14, "civilian"),
        ("\ufeffRescuers counted 48 damaged homes.", "48", 48, "home"),
    ],
)
def test_a_hidden_character_neither_splits_nor_turns_a_number(text, quote, value, unit):
    claims = [c for c in extract_claims(text) if c.kind == "quantitative"]

    assert len(claims) == 1
    claim = claims[0]
    assert (claim.text, claim.value) == (quote, value)
    assert text[claim.start : claim.end] == claim.text
    if unit:
        assert claim.unit == unit


def test_the_streamed_reader_maps_offsets_the_same_way():
    text = "Intro line.\nOfficials said 12\u200b00 people were evacuated.\n" * 3
    streamed = list(iter_claims(io.StringIO(text)))
    assert [(c.start, c.end, c.value) for c in streamed] == [
        (c.start, c.end, c.value) for c in extract_claims(text)
    ]
    assert all(text[c.start : c.end] == c.text for c in streamed)


@pytest.mark.parametrize("streamed", [False, True])
@pytest.mark.parametrize("mark", ["\u200b", "\u202e", "\u00ad"])
def test_what_a_claim_inherits_points_at_the_other_figure_in_the_text_as_given(mark, streamed):
    plain = (
        "Russian strikes wounded 52 people in Kharkiv on March 3. Of them, 9 were children. "
        "Russian officials claimed 12 drones were shot down. Ukraine disputed the 12 claimed "
        "by Moscow."
    )
    text = mark + plain.replace("52", f"5{mark}2").replace("Of them", f"Of{mark} them")
    text = text.replace("disputed", f"dis{mark}puted")

    found = list(iter_claims(io.StringIO(text))) if streamed else extract_claims(text)

    wounded, part, claimed, again = found
    assert part.inherited["part_of"] == [wounded.start, wounded.end]
    assert again.inherited["refers_to"] == [claimed.start, claimed.end]
    assert strip_hidden(text[wounded.start : wounded.end]).text == "52"


SENTENCES = st.sampled_from(
    [
        "Officials said 1,200 people were evacuated on Monday. ",
        "Russian forces launched 85 drones overnight. ",
        "Between 10 and 20 homes lost power in early June 2025. ",
        "ISW assesses that the offensive will likely stall. ",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(SENTENCES, min_size=1, max_size=4).map("".join), st.data())
def test_hidden_characters_anywhere_give_the_same_claims_at_exact_offsets(plain, data):
    positions = data.draw(st.lists(st.integers(0, len(plain)), max_size=8))
    marks = data.draw(st.lists(st.sampled_from(HIDDEN), min_size=len(positions)))
    text = plain
    for pos, mark in sorted(zip(positions, marks, strict=False), reverse=True):
        text = text[:pos] + mark + text[pos:]

    expected = [(c.kind, c.value, c.lower, c.upper, c.unit) for c in extract_claims(plain)]
    got = extract_claims(text)

    assert [(c.kind, c.value, c.lower, c.upper, c.unit) for c in got] == expected
    for claim, clean in zip(got, extract_claims(plain), strict=True):
        assert text[claim.start : claim.end] == claim.text
        # A sentence-long claim may keep a space next to a hidden character at its edge.
        assert strip_hidden(claim.text).text.strip() == clean.text.strip()


def test_reveal_spells_out_each_hidden_character():
    assert reveal("said \u202e93\u202c children") == "said ⟨RLO⟩93⟨PDF⟩ children"
    assert reveal("12\u200b00") == "12⟨ZWSP⟩00"
    assert reveal("plain 1,200") == "plain 1,200"
