"""Issue 10, what text written by others showed after the ten families were built: PDF text
wrapped inside sentences, day ranges with the month once, "N out of M", an aside between a
figure and its noun, designations after a common noun, scales inside compounds, a glued K
among temperatures and the tonne's "t"."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from verifier import extract_claims
from verifier.extract import BLOCK, iter_claims

from .reading import exact, quantities

PUBLISHED = dt.date(2024, 9, 1)

WRAPPED = [
    (
        "Officials said 1,200 people were\nevacuated from the town and 300\nhomes were damaged.",
        [exact("1,200", 1200, "person"), exact("300", 300, "home")],
    ),
    (
        "Officials said 1,200 people were\r\nevacuated and 300\r\nhomes were damaged.",
        [exact("1,200", 1200, "person"), exact("300", 300, "home")],
    ),
    ("The strike wounded 14\ncivilians in the centre.", [exact("14", 14, "civilian")]),
    # A heading, a list or a new paragraph starts with a capital or a digit: kept apart.
    ("Shelling in Kherson\n14 people were wounded.", [exact("14", 14, "person")]),
    ("Losses\n- 40 tanks\n- 12 aircraft", [exact("40", 40, "tank"), exact("12", 12, "aircraft")]),
]

DAY_RANGES = [
    ("Fighting killed 40 people between 5 and 8 August 2024.", "2024-08-05", "2024-08-08"),
    ("Fighting killed 40 people from 5 to 8 August.", "2024-08-05", "2024-08-08"),
    ("Strikes on 1-2 March 2024 killed 40 people.", "2024-03-01", "2024-03-02"),
    ("Between 3 and 9 June, 40 people were evacuated.", "2024-06-03", "2024-06-09"),
]

COUNTED_ACROSS = [
    (
        "Air defences shot down 28 out of 31 drones launched overnight.",
        [exact("28", 28, "drone"), exact("31", 31, "drone")],
    ),
    (
        "Defences downed 28 of 31 missiles.",
        [exact("28", 28, "missile"), exact("31", 31, "missile")],
    ),
    (
        "The drought left 12 million (30%) people in need of food aid.",
        [exact("12 million", 12000000, "person"), exact("30%", 30, "percent")],
    ),
    ("They counted 4,300 (est.) homes damaged.", [exact("4,300", 4300, "home")]),
    ("The army lost between 5 and 8 tanks.", [("between 5 and 8", None, 5, 8, "range", "tank")]),
]

DESIGNATIONS = [
    "Operators restarted reactors 1 and 6 at the plant.",
    "Power units 3 and 4 were shut down.",
    "Patients with type 2 diabetes need insulin.",
    "A category 4 storm hit the coast.",
    "Articles 5 and 6 of the treaty apply.",
]

STILL_COUNTED = [
    ("Troops took Hill 223 and 30 prisoners.", [exact("30", 30, "prisoner")]),
    ("The plant has 6 reactors.", [exact("6", 6, "reactor")]),
    ("The depot lost 30 units of armour.", [exact("30", 30, "unit")]),
]

MEASURES = [
    ("A 1.2-billion-year-old rock was found.", [exact("1.2-billion", 1200000000, "year")]),
    ("They signed a $5-billion deal.", [exact("$5-billion", 5000000000, "usd")]),
    (
        "It cost 10-12 million dollars.",
        [("10-12 million", None, 10000000, 12000000, "range", "usd")],
    ),
    (
        "At normal operating temperatures of 300 °C (572 °F, 573.15K), zircaloy is inert.",
        [
            exact("300", 300, "celsius"),
            exact("572", 572, "fahrenheit"),
            exact("573.15", 573.15, "kelvin"),
        ],
    ),
    ("Salaries rose to 45K a year.", [exact("45K", 45000, None)]),
    ("The mill produced 278,000 t of flour in 2023.", [exact("278,000", 278000, "ton")]),
    # The IMF's unit of account, written SDR: an amount, not a code and a bare "billion".
    (
        "The IMF approved SDR 1.2 billion for Ukraine.",
        [exact("SDR 1.2 billion", 1200000000, "xdr")],
    ),
    ("The loan is XDR 900 million.", [exact("XDR 900 million", 900000000, "xdr")]),
    ("Thousand Oaks is a city.", []),
]

SHARES = [
    ("Strikes damaged 30% of homes in the city.", "% of homes"),
    ("Some 45 percent of the schools closed.", "percent of schools"),
    ("Turnout was 40%.", "%"),
    ("About 30% of them fled.", "%"),
]


@pytest.mark.parametrize(("text", "expected"), WRAPPED)
def test_a_sentence_wrapped_across_lines_reads_whole(text, expected):
    assert quantities(text) == expected


def test_a_wrapped_figure_keeps_its_offsets_and_the_text_as_written():
    text = "Officials said 1,200 people were\nevacuated from the town."
    (claim,) = extract_claims(text)

    assert text[claim.start : claim.end] == claim.text == "1,200"
    assert claim.role == "evacuated"
    assert (claim.sentence_start, claim.sentence_end) == (0, len(text))  # one sentence


def test_a_stream_is_never_cut_inside_a_wrapped_sentence():
    # The first block ends in the middle of a wrapped sentence: read piece by piece, the
    # claims are those of the whole text.
    filler = "Calm day. " * ((BLOCK - 40) // 10)
    text = filler + "Officials said 1,200 people were\nevacuated and 300\nhomes were damaged.\n"
    assert len(filler) < BLOCK < len(text)

    streamed = [c.to_dict() for c in iter_claims(io.StringIO(text))]

    assert streamed == [c.to_dict() for c in extract_claims(text)]
    assert [(c["text"], c["unit"]) for c in streamed] == [("1,200", "person"), ("300", "home")]


def test_a_wrap_at_the_very_end_of_a_block_waits_for_the_next_line():
    # The first block ends right after "were\n": whether that break is a wrap depends on the
    # line after it, which is not read yet, so the stream must not be cut there.
    head = "Officials said 1,200 people were\n"
    filler = "Calm day. " * ((BLOCK - len(head)) // 10)
    filler += " " * (BLOCK - len(head) - len(filler))
    text = filler + head + "evacuated from the town.\n"
    assert text.index(head) + len(head) == BLOCK

    streamed = [(c.text, c.unit, c.role) for c in iter_claims(io.StringIO(text))]

    assert streamed == [("1,200", "person", "evacuated")]


@pytest.mark.parametrize(("text", "start", "end"), DAY_RANGES)
def test_a_day_range_with_the_month_once_is_one_period_and_no_figure(text, start, end):
    (claim,) = [c for c in extract_claims(text, published=PUBLISHED) if c.kind == "quantitative"]

    assert (claim.text, claim.time_start, claim.time_end) == ("40", start, end)


@pytest.mark.parametrize(("text", "expected"), COUNTED_ACROSS)
def test_the_counted_noun_reaches_across_out_of_and_an_aside(text, expected):
    assert quantities(text) == expected


@pytest.mark.parametrize("text", DESIGNATIONS)
def test_a_designation_after_a_common_noun_is_no_quantity(text):
    assert quantities(text) == []


@pytest.mark.parametrize(("text", "expected"), STILL_COUNTED)
def test_a_figure_after_a_designation_or_before_its_noun_is_still_counted(text, expected):
    assert quantities(text) == expected


@pytest.mark.parametrize(("text", "expected"), MEASURES)
def test_scales_in_compounds_kelvin_and_tonnes(text, expected):
    assert quantities(text) == expected


@pytest.mark.parametrize(("text", "subject"), SHARES)
def test_a_share_keeps_what_it_is_a_share_of(text, subject):
    (claim,) = [c for c in extract_claims(text) if c.kind == "quantitative"]

    assert (claim.unit, claim.subject) == ("percent", subject)
