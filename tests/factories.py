"""Test data, written through the same services the product uses."""

from __future__ import annotations

from datetime import date
from typing import Any

from claims.services import IngestResult, document_ingest
from sources.history import tracked_change
from sources.models import Source

REPORT = (
    "Local authorities reported on June 3 that 48 residents were evacuated from the "
    "village in early June 2025. Officials have moved more than 3,000 people since 2023.\n"
)


def make_source(name: str = "Test Outlet", **fields: Any) -> Source:
    with tracked_change(origin="command", reason="test setup"):
        return Source.objects.create(name=name, **fields)


def ingest_text(
    text: str = REPORT,
    *,
    name: str = "report.txt",
    source: str = "Test Outlet",
    title: str = "Test report",
    published: date | None = date(2025, 6, 5),
    user: Any = None,
    origin: str = "command",
    encoding: str = "utf-8",
) -> IngestResult:
    return document_ingest(
        raw=text.encode(encoding),
        name=name,
        source_name=source,
        title=title,
        published=published,
        method="upload",
        origin=origin,
        user=user,
    )


def edit_claim(
    claim: Any, actor: Any, *, reason: str, origin: str = "admin", **changes: Any
) -> Any:
    """Change what a claim says, as a person who saw its current version would."""
    from claims.workflow import claim_edit

    return claim_edit(
        claim=claim,
        actor=actor,
        changes=changes,
        reason=reason,
        seen_version=claim.version,
        origin=origin,
    )
