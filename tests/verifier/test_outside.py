"""Scoring quantulum3's own test cases: what counts as found, a right value, a right unit."""

from __future__ import annotations

from verifier.outside import score, their_unit


def _claim(start: int, end: int, value: float | None, unit: str | None, **more) -> dict:
    return {"kind": "quantitative", "start": start, "end": end, "value": value, "unit": unit,
            **more}  # fmt: skip


def test_their_unit_names_are_written_as_ours() -> None:
    assert their_unit("kilometre per hour") == "kilometer per hour"
    assert their_unit("pound sterling") == "gbp"
    assert their_unit("degree Celsius") == "celsius"
    assert their_unit("cubic centimetre") == "milliliter"
    assert their_unit("kilogram per cubic centimetre") == "kilogram per cubic centimeter"


def test_found_value_and_unit_are_counted_apart() -> None:
    cases = [
        {"req": "two meters of cotton for £2,000", "res": [
            {"value": 2, "unit": "metre", "surface": "two meters"},
            {"value": 2000, "unit": "pound sterling", "surface": "£2,000"},
        ]},
        {"req": "I bought a dozen eggs", "res": [
            {"value": 1, "unit": "dozen", "surface": "a dozen"},
        ]},
        {"req": "two thirds of the cake", "res": [
            {"value": 0.6666666666666666, "unit": "dimensionless", "surface": "two thirds"},
        ]},
        {"req": "an 8- to 16-meter telescope", "res": [
            {"value": 12, "unit": "metre", "surface": "8- to 16-meter", "uncertainty": 4},
        ]},
        {"req": "nothing here but 1979", "res": [
            {"value": 1979, "unit": "dimensionless", "surface": "1979"},
        ]},
    ]  # fmt: skip
    answers = {
        "two meters of cotton for £2,000": [_claim(0, 3, 2, "meter"), _claim(25, 31, 2000, "usd")],
        "I bought a dozen eggs": [_claim(9, 16, 12, "egg")],
        "two thirds of the cake": [_claim(0, 10, 66.67, "percent")],
        "an 8- to 16-meter telescope": [_claim(3, 17, None, "meter", lower=8, upper=16)],
        "nothing here but 1979": [],
    }
    figures = score(cases, lambda text: answers[text])
    assert figures.expected == 6
    assert figures.found == 5  # the year is not read
    assert figures.value_right == 5
    assert figures.unit_right == 4  # "usd" is not the pound sterling
    assert [m["surface"] for m in figures.misses] == ["£2,000", "1979"]
