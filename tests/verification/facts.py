"""Shorthand for engine facts in the tables."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

from verifier.consistency import ClaimFacts

_ids = count(1)
LATE_MARCH = (date(2025, 3, 21), date(2025, 3, 31))
SINCE_2022 = (date(2022, 1, 1), date(2025, 3, 31))
KLYAZMA = {"places": ("Luhansk Oblast", "Klyazma sanatorium"), "actors": ()}


def facts(
    value: float,
    unit: str = "child",
    qualifier: str = "exact",
    period: tuple[date | None, date | None] = LATE_MARCH,
    *,
    upper: float | None = None,
    **fields: Any,
) -> ClaimFacts:
    """A quantitative claim; ``upper`` makes a range."""
    where = {k: fields.pop(k) for k in ("places", "actors") if k in fields} or KLYAZMA
    return ClaimFacts(
        id=fields.pop("id", next(_ids)),
        value=value,
        lower=value if qualifier != "at_most" and qualifier != "less_than" else None,
        upper=upper
        if upper is not None
        else (None if qualifier in ("more_than", "at_least") else value),
        qualifier=qualifier,
        unit=unit,
        subject=fields.pop("subject", unit),
        time_start=period[0],
        time_end=period[1],
        published=fields.pop("published", date(2025, 4, 1)),
        places=tuple(where.get("places", ())),
        actors=tuple(where.get("actors", ())),
        **fields,
    )
