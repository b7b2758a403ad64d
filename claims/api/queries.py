"""Reads the claim endpoints share: claims as values() rows with their evidence rows.

A page costs two queries whatever its size: the claims, then all their evidence (with the
snapshot's hash and document id joined in, never the snapshot's text).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet

from claims.api.permissions import sees_unpublished
from claims.api.serializers import CLAIM_FIELDS, EVIDENCE_FIELDS
from claims.models import Claim, ClaimRelation, Evidence, Status


def visible_claims(user: Any) -> QuerySet[Claim]:
    """The claims `user` may read: API readers see only verified ones."""
    queryset = Claim.objects.all()
    if not sees_unpublished(user):
        queryset = queryset.filter(status=Status.VERIFIED)
    return queryset


def evidence_rows(
    claim_ids: list[int], *, before: datetime | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Evidence rows by claim id, in text order; `before` keeps what existed then."""
    queryset = Evidence.objects.filter(claim_id__in=claim_ids)
    if before is not None:
        queryset = queryset.filter(created_at__lt=before)
    rows = (
        queryset.annotate(
            snapshot_sha256=F("snapshot__sha256"), document_id=F("snapshot__document_id")
        )
        .order_by("claim_id", "start", "id")
        .values(*EVIDENCE_FIELDS)
    )
    by_claim: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_claim[row["claim_id"]].append(row)
    return by_claim


def contradicted() -> Exists:
    """An annotation: does the engine know a claim contradicting this one?"""
    return Exists(
        ClaimRelation.objects.filter(claim_id=OuterRef("pk"), kind=ClaimRelation.Kind.CONTRADICTS)
    )


def contradiction_rows(claim_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The engine's contradictions by claim id (current, one query for a whole page)."""
    if not claim_ids:
        return {}
    rows = (
        ClaimRelation.objects.filter(claim_id__in=claim_ids, kind=ClaimRelation.Kind.CONTRADICTS)
        .order_by("claim_id", "other_id")
        .values("claim_id", "other_id", "explanation")
    )
    by_claim: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_claim[row["claim_id"]].append(row)
    return by_claim


def claim_row(queryset: QuerySet, claim_id: int) -> dict[str, Any] | None:
    return queryset.filter(id=claim_id).values(*CLAIM_FIELDS).first()
