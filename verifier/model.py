"""The engine's value types: what extraction returns, and the one error it raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Number = int | float

KINDS = ("quantitative", "factual", "assessment")
QUALIFIERS = ("exact", "approximate", "more_than", "at_least", "less_than", "at_most", "range")


class VerifierError(Exception):
    """The only exception the engine raises on bad input or bad arguments."""


@dataclass(frozen=True, slots=True)
class ExtractedClaim:
    """One claim found in a text, anchored by Python ``str`` offsets into that text."""

    kind: str
    start: int
    end: int
    text: str
    value: Number | None = None
    lower: Number | None = None
    upper: Number | None = None
    qualifier: str | None = None
    unit: str | None = None
    subject: str | None = None
    time_text: str | None = None
    time_start: str | None = None
    time_end: str | None = None
    sentence_start: int = 0
    sentence_end: int = 0
    attributed_to: str | None = None
    hedges: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    # Fact keys (verifier.facts) and what the claim takes from its document rather than its
    # sentence (verifier.context): kept apart so a reader sees what was written.
    role: str | None = None
    phase: str | None = None
    inherited: dict[str, Any] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the claim as a JSON-ready dict with exactly the contract's keys."""
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": self.value,
            "lower": self.lower,
            "upper": self.upper,
            "qualifier": self.qualifier,
            "unit": self.unit,
            "subject": self.subject,
            "time_text": self.time_text,
            "time_start": self.time_start,
            "time_end": self.time_end,
            "sentence_start": self.sentence_start,
            "sentence_end": self.sentence_end,
            "attributed_to": self.attributed_to,
            "hedges": list(self.hedges),
            "places": list(self.places),
            "actors": list(self.actors),
            "role": self.role,
            "phase": self.phase,
            "inherited": self.inherited,
        }
