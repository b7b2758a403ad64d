"""The verification bench through the service: ingest an annotated set, score what is stored.

``ingest_set(data)`` ingests every document of a verifier.relbench set (sources with their
grades, publication dates) through ``document_ingest``, so extraction and verification run as
jobs exactly as for any report; ``stored_found(data)`` reads back the stored claims and
relations for ``verifier.relbench.evaluate``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from claims.models import Claim, ClaimRelation
from claims.services import document_ingest
from sources.history import tracked_change
from sources.models import Source
from verifier.relbench import Found

TITLE_PREFIX = "bench set: "


def ingest_set(data: dict[str, Any]) -> None:
    """Ingest the set's documents in publication order (one source per outlet)."""
    with tracked_change(origin="command", reason="verification bench set"):
        for document in data["documents"]:
            Source.objects.get_or_create(
                name=document["source"], defaults={"reliability": document.get("grade", "F")}
            )
    for document in sorted(data["documents"], key=lambda d: (d["published"], d["id"])):
        document_ingest(
            raw=document["text"].encode("utf-8"),
            name=f"{document['id']}.txt",
            source_name=document["source"],
            title=f"{TITLE_PREFIX}{document['id']}",
            published=date.fromisoformat(document["published"]),
            method="paste",
            origin="command",
        )


def stored_found(data: dict[str, Any]) -> Found:
    """The stored claims and relations of the set's documents."""
    titles = [f"{TITLE_PREFIX}{d['id']}" for d in data["documents"]]
    claims = list(
        Claim.objects.filter(
            kind="quantitative", extracted_from__document__title__in=titles
        ).values_list("id", "extracted_from__document__title", "span_start", "span_end", "quote")
    )
    found_claims = [
        (pk, title.removeprefix(TITLE_PREFIX), (start, end), quote)
        for pk, title, start, end, quote in claims
    ]
    ids = [c[0] for c in found_claims]
    relations = {
        (a, b): kind
        for a, b, kind in ClaimRelation.objects.filter(
            claim_id__in=ids, other_id__in=ids
        ).values_list("claim_id", "other_id", "kind")
    }
    sizes: dict[int, int] = {}
    for group_id in Claim.objects.filter(id__in=ids).values_list("group_id", flat=True):
        if group_id is not None:
            sizes[group_id] = sizes.get(group_id, 0) + 1
    return Found(found_claims, relations, max(sizes.values(), default=0))
