"""Whatever the input: no exception, offsets that point at the text, the same output twice."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from verifier import extract_claims, iter_claims

REPORTISH = st.lists(
    st.sampled_from(
        [
            "Russian forces launched 85 drones", " over 1,200 ", "two-thirds of", "[26]",
            " on March 30", "Su-34", "\u00a0", "–", "“Klyazma”", "Ukraineʼs", "\n", ". ",
            "between 10 and 20", "within 15km", "$66,450", "61.9%", "thirty-nine", "Oblast",
            "ISW assesses that", "reportedly", " since 2022", "\r\n", "dozens of",
        ]
    )
    | st.text(max_size=12),
    max_size=30,
).map("".join)  # fmt: skip


def check_offsets(text: str) -> None:
    for claim in extract_claims(text):
        assert 0 <= claim.start < claim.end <= len(text)
        assert text[claim.start : claim.end] == claim.text
        assert claim.sentence_start <= claim.start < claim.end <= claim.sentence_end
        assert claim.kind in ("quantitative", "factual", "assessment")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_unicode_input_gives_valid_offsets(text: str) -> None:
    check_offsets(text)


@settings(max_examples=300, deadline=None)
@given(REPORTISH)
def test_report_like_input_gives_valid_offsets(text: str) -> None:
    check_offsets(text)


@settings(max_examples=100, deadline=None)
@given(REPORTISH)
def test_extraction_is_deterministic(text: str) -> None:
    first = [c.to_dict() for c in extract_claims(text)]
    assert [c.to_dict() for c in extract_claims(text)] == first


@settings(max_examples=100, deadline=None)
@given(REPORTISH)
def test_streaming_gives_the_same_claims_as_a_whole_text_run(text: str) -> None:
    streamed = [c.to_dict() for c in iter_claims(io.StringIO(text, newline=""))]
    assert streamed == [c.to_dict() for c in extract_claims(text)]


def test_streaming_in_small_blocks_keeps_offsets_and_claims(monkeypatch) -> None:
    from verifier import extract

    text = (
        "Russian forces launched 85 drones on March 2.\r\nUkraine downed over 1,200 drones "
        "since 2022.\r\n\r\nISW assesses that Russia will likely attack again.\n" * 5
    )
    monkeypatch.setattr(extract, "BLOCK", 7)
    streamed = [c.to_dict() for c in iter_claims(io.StringIO(text, newline=""))]
    assert streamed == [c.to_dict() for c in extract_claims(text)]
    assert all(text[c["start"] : c["end"]] == c["text"] for c in streamed)
