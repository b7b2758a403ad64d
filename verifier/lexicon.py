"""A tiny helper for the word lists that the rule modules keep."""

from __future__ import annotations


def words(text: str) -> tuple[str, ...]:
    """Return the whitespace-separated words of ``text``: long lists stay readable as prose."""
    return tuple(text.split())
