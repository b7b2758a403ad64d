"""Re-anchoring evidence quotes when a document is captured again with changed text."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.anchoring import Anchor, make_anchor, reanchor
from verifier.model import VerifierError

REPORT = (
    "Local officials said that 214 residents of Nova Kakhovka were moved to camps in Crimea "
    "during February 2024. The regional governor claimed that “all evacuees returned home.” "
    "A volunteer group counted 1,350 people still missing near the river crossing.\n"
    "Satellite images show at least 12 new trenches within 8 kilometers of the dam."
)


def anchor_for(text: str, quote: str, occurrence: int = 0) -> Anchor:
    starts = [m.start() for m in re.finditer(re.escape(quote), text)]
    start = starts[occurrence]
    return make_anchor(text, start, start + len(quote))


# (case, quote, new text, outcome, text found in the new text or None)
CASES = [
    (
        "unchanged",
        "214 residents of Nova Kakhovka",
        REPORT,
        "exact",
        "214 residents of Nova Kakhovka",
    ),
    (
        "moved by an inserted paragraph",
        "1,350 people still missing",
        "Editor's note: this report was updated on March 3.\n\n" + REPORT,
        "moved",
        "1,350 people still missing",
    ),
    (
        "straight quotes replacing curly ones",
        "claimed that “all evacuees returned home.”",
        REPORT.replace("“", '"').replace("”", '"'),
        "fuzzy",
        'claimed that "all evacuees returned home."',
    ),
    (
        "a no-break space inside the quote",
        "within 8 kilometers of the dam",
        REPORT.replace("8 kilometers", "8\u00a0kilometers"),
        "fuzzy",
        "within 8\u00a0kilometers of the dam",
    ),
    (
        "a line break re-wrapped into a space",
        "crossing.\nSatellite images show",
        REPORT.replace("crossing.\nSatellite", "crossing. Satellite"),
        "fuzzy",
        "crossing. Satellite images show",
    ),
    (
        "a word changed inside a longer quote",
        "A volunteer group counted 1,350 people still missing near the river crossing",
        REPORT.replace("volunteer group counted", "volunteer group reported"),
        "fuzzy",
        "A volunteer group reported 1,350 people still missing near the river crossing",
    ),
    (
        "a word changed and the paragraph moved",
        "Local officials said that 214 residents of Nova Kakhovka were moved",
        "Update.\n\n" + REPORT.replace("officials said", "officials stated"),
        "fuzzy",
        "Local officials stated that 214 residents of Nova Kakhovka were moved",
    ),
    (
        "digits swapped",
        "214 residents of Nova Kakhovka",
        REPORT.replace("214", "241"),
        "orphaned",
        None,
    ),
    (
        "a thousands figure changed",
        "counted 1,350 people still missing",
        REPORT.replace("1,350", "1,359"),
        "orphaned",
        None,
    ),
    (
        "a distance changed by one",
        "within 8 kilometers of the dam",
        REPORT.replace("within 8 kilometers", "within 9 kilometers"),
        "orphaned",
        None,
    ),
    (
        "a digit prepended to the figure",
        "214 residents",
        REPORT.replace("that 214", "that 1214"),
        "orphaned",
        None,
    ),
    (
        "the quoted sentence deleted",
        "The regional governor claimed that “all evacuees returned home.”",
        REPORT.replace("The regional governor claimed that “all evacuees returned home.” ", ""),
        "orphaned",
        None,
    ),
]


@pytest.mark.parametrize(
    ("quote", "new_text", "outcome", "found"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_it_reanchors_a_quote_in_the_new_text(quote, new_text, outcome, found):
    result = reanchor(anchor_for(REPORT, quote), new_text)

    assert result.outcome == outcome
    assert result.exact == found
    if found is None:
        assert (result.start, result.end, result.score) == (None, None, 0.0)
    else:
        assert new_text[result.start : result.end] == found


def test_it_keeps_the_same_occurrence_of_a_duplicated_quote_by_its_context():
    old = (
        "In Kherson, 40 buses left on Monday. Officials denied it.\n"
        "In Melitopol, 40 buses left on Monday. Witnesses confirmed it."
    )
    new = "Summary added.\n" + old.replace("In Kherson", "In the city of Kherson")
    anchor = anchor_for(old, "40 buses left on Monday", occurrence=1)

    result = reanchor(anchor, new)

    assert result.outcome == "moved"
    assert new[: result.start].endswith("In Melitopol, ")


def test_it_prefers_the_occurrence_nearest_the_old_position_when_context_ties():
    old = "x 5 drones. y\n" * 3
    anchor = anchor_for(old, "5 drones.", occurrence=2)

    result = reanchor(anchor, old)

    assert (result.outcome, result.start) == ("exact", anchor.start)


@pytest.mark.parametrize("changed", ["139", "2,39", "39.5", "39,000"])
def test_a_quote_is_not_found_inside_a_larger_number(changed):
    old = "They counted 39 children at the station."
    quote_end = anchor_for(old, "at the station")
    figure = anchor_for(old, "39")

    new = old.replace("39", changed)

    assert reanchor(anchor_for(old, "39 children"), new).outcome == "orphaned"
    assert reanchor(figure, new).outcome == "orphaned"
    assert reanchor(quote_end, new).outcome in {"exact", "moved"}


def test_a_fuzzy_match_scores_below_one_and_exact_matches_score_one():
    anchor = anchor_for(REPORT, "claimed that “all evacuees returned home.”")

    assert reanchor(anchor, REPORT).score == 1.0
    fuzzy = reanchor(anchor, REPORT.replace("“", '"'))
    assert 0.9 < fuzzy.score < 1.0


def test_max_fuzz_zero_accepts_only_typographic_changes():
    anchor = anchor_for(REPORT, "A volunteer group counted 1,350 people")
    new = REPORT.replace("group counted", "group tallied")

    assert reanchor(anchor, new, max_fuzz=0.0).outcome == "orphaned"
    assert reanchor(anchor, new).outcome == "fuzzy"


def test_an_anchor_records_quote_context_and_position():
    anchor = make_anchor("abcdefghij", 4, 6, context=3)

    assert anchor == Anchor(exact="ef", prefix="bcd", suffix="ghi", start=4, end=6)


@pytest.mark.parametrize(("start", "end"), [(3, 3), (-1, 2), (5, 99), (6, 4)])
def test_it_refuses_an_empty_or_out_of_range_span(start, end):
    with pytest.raises(VerifierError):
        make_anchor("some report text", start, end)


def test_it_refuses_a_max_fuzz_outside_zero_to_one():
    with pytest.raises(VerifierError):
        reanchor(make_anchor(REPORT, 0, 5), REPORT, max_fuzz=1.0)


def test_it_reanchors_hundreds_of_quotes_in_a_megabyte_quickly():
    paragraphs = [
        f"Report {n}: observers counted {n * 7 % 9973} vehicles near checkpoint {n % 97} "
        f"and {n * 13 % 887} people waiting, according to the district office in sector {n}."
        for n in range(8000)
    ]
    text = "\n".join(paragraphs)
    assert len(text) > 1_000_000
    anchors = [make_anchor(text, s, s + 60) for s in range(1000, len(text) - 100, 3500)]
    new = "Preface added later.\n" + text.replace("district office", "district bureau")

    began = time.perf_counter()
    results = [reanchor(anchor, new) for anchor in anchors]
    elapsed = time.perf_counter() - began

    assert len(anchors) >= 280
    assert {r.outcome for r in results} <= {"moved", "fuzzy"}
    assert elapsed < 30


SAMPLE_ALPHABET = "ab c1 2,.“”\u00a0\n" + "xyz39"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=SAMPLE_ALPHABET, min_size=1, max_size=200), data=st.data())
def test_an_unchanged_text_always_reanchors_exactly_in_place(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))

    result = reanchor(make_anchor(text, start, end), text)

    assert (result.outcome, result.start, result.end) == ("exact", start, end)


def digits(text: str) -> str:
    return "".join(re.findall(r"\d", text))


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=SAMPLE_ALPHABET, min_size=1, max_size=200),
    edit=st.text(alphabet=SAMPLE_ALPHABET, max_size=6),
    data=st.data(),
)
def test_a_reanchored_span_is_valid_and_keeps_the_quotes_digits(text, edit, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    cut = data.draw(st.integers(0, len(text)))
    removed = data.draw(st.integers(0, 6))
    new_text = text[:cut] + edit + text[cut + removed :]

    result = reanchor(make_anchor(text, start, end), new_text)

    if result.outcome == "orphaned":
        assert result.start is None
    else:
        assert 0 <= result.start < result.end <= len(new_text)
        assert new_text[result.start : result.end] == result.exact
        assert digits(result.exact) == digits(text[start:end])


def test_a_figure_at_the_end_of_the_text_is_not_found_inside_a_longer_number():
    old = "The camp held 39"
    anchor = anchor_for(old, "39")

    assert reanchor(anchor, old + "0").outcome == "orphaned"
    assert reanchor(anchor, old + ".").outcome == "exact"
