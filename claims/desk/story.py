"""A figure's story: every report of the same figure (the claim's lineage), by date, with the
qualifier's bounds as an interval and contradictions marked; for the chart and its table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from claims.models import Claim
from claims.selectors import LineagePoint, _points, claim_contradictions, claim_lineage


@dataclass(frozen=True)
class StoryPoint:
    claim_id: int
    reported: str  # ISO date
    low: float | None  # None: open below ("less than 20")
    high: float | None  # None: open above ("more than 1,200")
    mid: float
    figure: str
    source: str
    status: str
    contradicts: bool
    current: bool


def _bounds(p: LineagePoint) -> tuple[float | None, float | None, float | None]:
    q = p.qualifier
    if q in ("more_than", "at_least"):
        return p.lower, None, p.lower
    if q in ("less_than", "at_most"):
        return None, p.upper, p.upper
    if q == "range" and p.lower is not None and p.upper is not None:
        return p.lower, p.upper, (p.lower + p.upper) / 2
    value = p.value if p.value is not None else (p.lower if p.lower is not None else p.upper)
    return value, value, value


def _figure(p: LineagePoint) -> str:
    def n(x: float | None) -> str:
        return "?" if x is None else f"{x:,.10g}"

    low, high, _ = _bounds(p)
    if p.qualifier in ("more_than", "at_least"):
        words = "more than" if p.qualifier == "more_than" else "at least"
        return f"{words} {n(low)} {p.unit}"
    if p.qualifier in ("less_than", "at_most"):
        words = "less than" if p.qualifier == "less_than" else "at most"
        return f"{words} {n(high)} {p.unit}"
    if p.qualifier == "range":
        return f"{n(low)}–{n(high)} {p.unit}"
    prefix = "about " if p.qualifier == "approximate" else ""
    return f"{prefix}{n(low)} {p.unit}"


def claim_story(claim: Claim) -> dict[str, Any]:
    """The chart's data: {"unit", "points": [StoryPoint as dict]} oldest first. A claim in no
    group has a story of one point; points without a date or a number are left out (and
    counted in "undated")."""
    points = claim_lineage(claim.group) if claim.group_id else []
    if not any(p.claim_id == claim.pk for p in points):
        # Not grouped yet (the verification job has not run): the claim's own report.
        own = _points([claim], as_of=None)
        points = sorted([*points, *own], key=lambda p: (p.reported or date.min, p.claim_id))
    against = {row["id"] for row in claim_contradictions(claim)}
    story, undated = [], 0
    for p in points:
        low, high, mid = _bounds(p)
        if p.reported is None or mid is None:
            undated += 1
            continue
        story.append(
            StoryPoint(
                claim_id=p.claim_id,
                reported=p.reported.isoformat(),
                low=low,
                high=high,
                mid=mid,
                figure=_figure(p),
                source=p.source,
                status=p.status,
                contradicts=p.claim_id in against,
                current=p.claim_id == claim.pk,
            ).__dict__
        )
    return {"unit": claim.unit, "points": story, "undated": undated}
