"""Three short reports about one event: two agree, the third gives a rival figure."""

from __future__ import annotations

from datetime import date
from typing import Any

from claims.models import Claim
from sources.history import tracked_change
from sources.models import Source
from tests.factories import ingest_text

AGREEING_ISW = (
    "Russian-controlled media reported that 39 children from occupied Rubizhne and Kreminna "
    "were taken to the Klyazma sanatorium near Moscow in late March 2025. Russia has deported "
    "over 1,200 Ukrainians from Luhansk Oblast to the Klyazma sanatorium since 2022.\n"
)
AGREEING_OMBUDSMAN = (
    "Ukraine's Ombudsman said that 39 children from Rubizhne and Kreminna were sent to the "
    "Klyazma sanatorium in late March 2025.\n"
)
CONTRADICTING_CHANNEL = (
    "A pro-Russian Telegram channel claimed that 45 children from Rubizhne were taken to the "
    "Klyazma sanatorium in late March 2025.\n"
)
REPORTS = [
    # (source, grade, text, published)
    ("Study Institute", "B", AGREEING_ISW, date(2025, 4, 1)),
    ("Kyiv Daily", "C", AGREEING_OMBUDSMAN, date(2025, 4, 2)),
    ("Channel Z", "E", CONTRADICTING_CHANNEL, date(2025, 4, 3)),
]


def make_sources() -> None:
    with tracked_change(origin="command", reason="test setup"):
        for name, grade, _, _ in REPORTS:
            Source.objects.create(name=name, reliability=grade)


def ingest_reports(reports: list[tuple[str, str, str, date]] = REPORTS) -> list[Any]:
    """Ingest the reports (all three by default); returns the IngestResults in order."""
    return [
        ingest_text(text, name=f"{name}.txt", source=name, title=name, published=published)
        for name, _, text, published in reports
    ]


def children_claims() -> dict[str, Claim]:
    """The "children" claim of each report, by source name."""
    claims = Claim.objects.filter(unit="child").select_related("extracted_from__document__source")
    return {c.extracted_from.document.source.name: c for c in claims}
