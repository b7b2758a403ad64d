"""Helpers shared by the per-family reading tables (issue 10)."""

from __future__ import annotations

import datetime as dt

from verifier import extract_claims


def quantities(text: str, published: dt.date | None = None) -> list[tuple]:
    """(text, value, lower, upper, qualifier, unit) of every quantitative claim, in order."""
    return [
        (c.text, c.value, c.lower, c.upper, c.qualifier, c.unit)
        for c in extract_claims(text, published=published)
        if c.kind == "quantitative"
    ]


def exact(text: str, value: float, unit: str | None) -> tuple:
    return (text, value, value, value, "exact", unit)
