"""Footnote markers in report bodies and the endnotes that list their sources."""

from __future__ import annotations

import pytest

from verifier.citations import (
    Endnote,
    FootnoteMarker,
    citations_for_span,
    is_footnote_marker,
    parse_citations,
)

REPORT = (
    "Occupation officials opened a new cadet camp near Skadovsk.[4] About 60 teenagers attended "
    "the first session, according to the camp's channel.[5][6] Instructors included veterans "
    "of the 2022 campaign [2022 archive].[7, 8]\n"
    "The camp plans to host 400 children by summer.[9-11]\n"
    "\n"
    "Endnotes\n"
    "[4] https://t.me/skadovsk_news/812\n"
    "[5] https://t.me/cadet_camp/15 ; https://vk.example/wall-1_2?from=feed.\n"
    "[6] Channel post, https://a.example/x, archived at https://a.example/x.\n"
    "[7] https://b.example/report\n"
    "[8] https://en.example.org/wiki/Camp_(Kherson)).\n"
    "[9] Interview with a parent, 12 May 2024.\n"
    "[10] https://c.example/one\n"
    "[11] https://c.example/two\n"
)


def numbers_of(text: str) -> list[int]:
    return [marker.number for marker in parse_citations(text).markers]


@pytest.mark.parametrize(
    ("body", "numbers"),
    [
        ("The convoy left at dawn.[3]", [3]),
        ("The convoy left at dawn. [3]", []),
        ("The convoy left at dawn,[3] then stopped.", [3]),
        ("The convoy left at dawn[3].", [3]),
        ("Two convoys left.[3][4]", [3, 4]),
        ("Two convoys left.[3, 4]", [3, 4]),
        ("Three convoys left.[3-5]", [3, 4, 5]),
        ("Three convoys left.[3–5]", [3, 4, 5]),
        ("Mixed.[2, 5-7]", [2, 5, 6, 7]),
        ("The mayor wrote [sic] that schools reopened.[a]", []),
        ("Figures from the census [2021] were used.", []),
        ("Figures from the census[2021] were used.", []),
        ("A five-digit bracket.[12345]", []),
    ],
)
def test_it_finds_markers_attached_to_the_text_in_a_body_without_endnotes(body, numbers):
    assert numbers_of(body) == numbers


def test_a_range_marker_gives_each_number_the_brackets_span():
    text = "Three convoys left.[3-5]"

    markers = parse_citations(text).markers

    assert markers == tuple(FootnoteMarker(n, 19, 24) for n in (3, 4, 5))


def test_a_spaced_bracket_is_a_marker_when_its_endnote_exists():
    text = "The convoy left at dawn. [3]\n\nSources:\n[3] https://x.example/convoy\n"

    assert numbers_of(text) == [3]


def test_a_year_is_a_marker_only_when_an_endnote_has_that_number():
    text = "Cited twice.[2021]\n\nNotes\n[2021] https://y.example/z\n"

    assert numbers_of(text) == [2021]


def test_it_reads_an_endnotes_section_under_a_heading():
    citations = parse_citations(REPORT)

    assert REPORT[citations.body_end :].startswith("Endnotes")
    assert sorted(citations.endnotes) == [4, 5, 6, 7, 8, 9, 10, 11]
    assert citations.endnotes[4] == Endnote(
        number=4,
        urls=("https://t.me/skadovsk_news/812",),
        start=REPORT.index("[4] https"),
        end=REPORT.index("[4] https") + len("[4] https://t.me/skadovsk_news/812"),
        text="https://t.me/skadovsk_news/812",
    )


@pytest.mark.parametrize(
    ("number", "urls"),
    [
        (5, ("https://t.me/cadet_camp/15", "https://vk.example/wall-1_2?from=feed")),
        (6, ("https://a.example/x",)),
        (8, ("https://en.example.org/wiki/Camp_(Kherson)",)),
        (9, ()),
    ],
)
def test_endnote_urls_lose_trailing_punctuation_and_duplicates(number, urls):
    assert parse_citations(REPORT).endnotes[number].urls == urls


def test_markers_are_read_from_the_body_only():
    numbers = numbers_of(REPORT)

    assert numbers == [4, 5, 6, 7, 8, 9, 10, 11]
    assert all(m.start < parse_citations(REPORT).body_end for m in parse_citations(REPORT).markers)


@pytest.mark.parametrize(
    "notes",
    [
        "[1] https://x.example/a\n[2] https://y.example/b; https://y.example/c\n",
        "1. https://x.example/a\n2. https://y.example/b; https://y.example/c\n",
        "Sources\n1. https://x.example/a\n2. https://y.example/b; https://y.example/c\n",
        "SOURCES:\n[1] https://x.example/a\n[2] https://y.example/b;\n https://y.example/c\n",
    ],
    ids=["bracketed, no heading", "numbered, no heading", "sources heading", "wrapped entry"],
)
def test_it_reads_endnotes_in_each_common_layout(notes):
    text = "A body sentence.[1] Another one.[2]\n\n" + notes

    citations = parse_citations(text)

    assert citations.body_end == len("A body sentence.[1] Another one.[2]\n\n")
    assert citations.endnotes[2].urls == ("https://y.example/b", "https://y.example/c")
    assert [m.number for m in citations.markers] == [1, 2]


def test_a_numbered_list_in_the_body_is_not_an_endnotes_section():
    text = "Key points:\n1. Convoys left at dawn.\n2. Schools stayed closed.\n"

    citations = parse_citations(text)

    assert (citations.endnotes, citations.body_end) == ({}, len(text))


def test_a_body_without_endnotes_ends_at_the_end_of_the_text():
    text = "Nothing here is cited. 300 people gathered."

    assert parse_citations(text) == parse_citations(text)
    assert parse_citations(text).body_end == len(text)
    assert parse_citations(text).markers == ()


@pytest.mark.parametrize(
    ("quote", "numbers"),
    [
        ("60 teenagers", [5, 6]),
        ("a new cadet camp", [4]),
        ("veterans", [7, 8]),
        ("400 children", [9, 10, 11]),
    ],
)
def test_a_claim_gets_the_footnotes_of_its_sentence(quote, numbers):
    citations = parse_citations(REPORT)
    start = REPORT.index(quote)

    assert citations_for_span(citations, REPORT, start, start + len(quote)) == numbers


def test_a_claim_in_a_sentence_followed_by_two_markers_gets_both():
    text = "Officials reported 39 buses on Tuesday.[3][4] Nobody confirmed it.[5]"
    start = text.index("39 buses")

    assert citations_for_span(parse_citations(text), text, start, start + 8) == [3, 4]


def test_markers_after_a_space_following_the_final_stop_still_belong_to_the_sentence():
    text = "Officials reported 39 buses. [3]\n\n[3] https://x.example/buses\n"
    start = text.index("39 buses")

    assert citations_for_span(parse_citations(text), text, start, start + 8) == [3]


def test_an_uncited_sentence_gets_no_footnotes_from_its_neighbours():
    text = "Uncited claim of 12 tanks. Cited claim of 14 tanks.[2] Another 16 tanks."
    citations = parse_citations(text)

    for quote, numbers in [("12 tanks", []), ("14 tanks", [2]), ("16 tanks", [])]:
        start = text.index(quote)
        assert citations_for_span(citations, text, start, start + len(quote)) == numbers


def test_an_abbreviation_does_not_end_the_sentence():
    text = "Gen. Petrov said 30 soldiers deserted.[7]"
    start = text.index("Gen.")

    assert citations_for_span(parse_citations(text), text, start, start + 4) == [7]


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("[4]", True),
        ("4]", True),
        ("[5][6]", True),
        ("[9-11]", True),
        ("Skadovsk.[4]", False),
        ("60", False),
        ("2022 archive", False),
    ],
)
def test_it_tells_a_footnote_marker_from_a_claim(fragment, expected):
    start = REPORT.index(fragment)

    assert is_footnote_marker(REPORT, start, start + len(fragment)) is expected


def test_the_number_of_an_endnote_counts_as_a_marker():
    start = REPORT.index("[10] https") + 1

    assert is_footnote_marker(REPORT, start, start + 2)
