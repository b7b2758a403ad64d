"""The blocking-key table: where a claim's candidates are found without scanning claims.

Every verified claim is filed under its blocking keys (verifier.grouping.blocking_keys) in
ClaimBlockingKey. A claim's candidates are, per key, the ``CANDIDATE_CAP`` newest claims under
it, read through the table's unique (key, claim) index backwards: a bounded index range scan
per key whatever the number of claims (``EXPLAIN`` in ``manage.py bench_verify`` shows it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import connection

from claims.models import Claim, ClaimBlockingKey, ClaimRelation
from verifier.consistency import ClaimFacts
from verifier.grouping import blocking_keys

CANDIDATE_CAP = 50  # newest claims per key


def claim_keys(facts: ClaimFacts) -> set[str]:
    """The keys a claim is filed under, cut to the table's column size."""
    return {key[:200] for key in blocking_keys(facts)}


def keys_write(facts: Mapping[int, ClaimFacts]) -> int:
    """File the claims under their current keys (and no other); returns rows written."""
    wanted = {(claim_id, key) for claim_id, f in facts.items() for key in claim_keys(f)}
    existing = set(
        ClaimBlockingKey.objects.filter(claim_id__in=list(facts)).values_list("claim_id", "key")
    )
    stale = existing - wanted
    for claim_id, key in stale:
        ClaimBlockingKey.objects.filter(claim_id=claim_id, key=key).delete()
    fresh = sorted(wanted - existing)
    # Derived index rows (no history): bulk writes are right here.
    ClaimBlockingKey.objects.bulk_create(
        [ClaimBlockingKey(claim_id=c, key=k) for c, k in fresh],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return len(stale) + len(fresh)


def candidate_ids(keys: Iterable[str], *, cap: int = CANDIDATE_CAP) -> dict[str, list[int]]:
    """Per key, the ids of the ``cap`` newest claims filed under it.

    On PostgreSQL one query for all keys: a LATERAL join runs the bounded backward index scan
    per key. Elsewhere one such query per key.
    """
    found: dict[str, list[int]] = {}
    ordered = sorted(set(keys))
    if connection.vendor == "postgresql" and ordered:
        table = ClaimBlockingKey._meta.db_table
        sql = (
            f"SELECT k.key, c.claim_id FROM unnest(%s::varchar[]) AS k(key) "
            f"CROSS JOIN LATERAL (SELECT b.claim_id FROM {table} b WHERE b.key = k.key "
            f"ORDER BY b.claim_id DESC LIMIT %s) c"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [ordered, cap])
            for key, claim_id in cursor.fetchall():
                found.setdefault(key, []).append(claim_id)
        return found
    for key in ordered:
        found[key] = list(
            ClaimBlockingKey.objects.filter(key=key)
            .order_by("-claim_id")
            .values_list("claim_id", flat=True)[:cap]
        )
    return found


def whole_ids(facts: Mapping[int, ClaimFacts], claims: Mapping[int, Claim]) -> dict[int, int]:
    """claim id -> the id of the claim its "of them" points to (same snapshot, that span)."""
    found: dict[int, int] = {}
    for claim_id, f in facts.items():
        claim = claims.get(claim_id)
        if f.whole is None or claim is None or claim.extracted_from_id is None:
            continue
        whole = (
            Claim.objects.filter(
                extracted_from_id=claim.extracted_from_id,
                span_start=f.whole[0],
                span_end=f.whole[1],
            )
            .values_list("id", flat=True)
            .first()
        )
        if whole is not None:
            found[claim_id] = whole
    return found


def partner_ids(claim_ids: Iterable[int]) -> dict[int, set[int]]:
    """claim id -> the claims it is stored as related to now."""
    partners: dict[int, set[int]] = {}
    for a, b in ClaimRelation.objects.filter(claim_id__in=list(claim_ids)).values_list(
        "claim_id", "other_id"
    ):
        partners.setdefault(a, set()).add(b)
    return partners
