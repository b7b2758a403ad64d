"""The blocking-key table: where a claim's candidates are found without scanning claims.

Every verified claim is filed under its blocking keys (verifier.grouping.blocking_keys) in
ClaimBlockingKey, with its document. Relations are stored across documents only (within one
document only what the text says: an explicit part, rival speakers), so a claim's candidates
are, per key:

* the ``CANDIDATE_CAP`` newest claims of *other* documents, newest document first: two
  bounded ranges of the (key, document, claim) index, below and above the claim's document,
  and one for claims without a document. A long report's own claims never take those slots;
* of its own document, only the claims within ``WINDOW`` claims of it in reading order
  (claim ids follow the text): rival figures sit side by side, and a report of 50,000 claims
  must not compare each with every other under one key.

On PostgreSQL all keys of a batch are one query (a LATERAL join, one bounded index scan per
range); ``EXPLAIN`` in ``manage.py bench_verify`` and the tests show it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from claims.models import Claim, ClaimBlockingKey, ClaimRelation
from claims.verification.facts import StoredClaim
from verifier.consistency import ClaimFacts
from verifier.grouping import blocking_keys
from verifier.linking import CANDIDATE_CAP

Place = tuple[str, int | None]  # (key, document id)


def claim_keys(facts: ClaimFacts) -> set[str]:
    """The keys a claim is filed under, cut to the table's column size."""
    return {key[:200] for key in blocking_keys(facts)}


def keys_write(stored: Mapping[int, StoredClaim], keys: Mapping[int, set[str]]) -> int:
    """File the claims under their current keys and document (and no other); returns rows
    written."""
    wanted = {(pk, key, stored[pk].document_id) for pk, ks in keys.items() for key in ks}
    existing = {
        (claim_id, key, document_id): pk
        for pk, claim_id, key, document_id in ClaimBlockingKey.objects.filter(
            claim_id__in=list(keys)
        ).values_list("id", "claim_id", "key", "document_id")
    }
    stale = [pk for row, pk in existing.items() if row not in wanted]
    if stale:
        ClaimBlockingKey.objects.filter(pk__in=stale).delete()
    fresh = sorted(wanted - set(existing), key=lambda r: (r[0], r[1]))
    # Derived index rows (no history): one pipelined INSERT per row is a tenth of what
    # bulk_create spends building model instances. A concurrent run filing the same row is
    # no error (the unique (key, claim) constraint).
    table = ClaimBlockingKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (claim_id, key, document_id) VALUES (%s, %s, %s) "
            "ON CONFLICT DO NOTHING",
            fresh,
        )
    return len(stale) + len(fresh)


def candidate_sql(table: str) -> str:
    """The PostgreSQL query for the candidates of many (key, document, low, high) rows."""
    other = (
        f"SELECT b.claim_id, false AS own FROM {table} b WHERE b.key = q.key AND {{cond}} "
        "ORDER BY b.document_id DESC, b.claim_id DESC LIMIT %s"
    )
    return (
        "SELECT q.key, q.doc, c.claim_id, c.own FROM unnest(%s::varchar[], %s::bigint[], "
        "%s::bigint[], %s::bigint[]) AS q(key, doc, low, high) CROSS JOIN LATERAL ("
        f"({other.format(cond='b.document_id < q.doc')}) UNION ALL "
        f"({other.format(cond='b.document_id > COALESCE(q.doc, 0)')}) UNION ALL "
        # Ordered as the index is (DESC puts NULLs first), so this range is read backwards
        # too instead of being sorted: benchmark and hand-made claims have no document.
        f"(SELECT b.claim_id, false FROM {table} b WHERE b.key = q.key "
        "AND b.document_id IS NULL ORDER BY b.document_id DESC, b.claim_id DESC LIMIT %s) "
        "UNION ALL "
        f"(SELECT b.claim_id, true FROM {table} b WHERE b.key = q.key "
        "AND b.document_id = q.doc AND b.claim_id BETWEEN q.low AND q.high)"
        ") c"
    )


@dataclass(slots=True)
class Candidates:
    """Under one key, for one document: claims of other documents, and its own in range."""

    others: list[int] = field(default_factory=list)
    own: list[int] = field(default_factory=list)


def candidate_ids(
    wanted: Mapping[Place, tuple[int, int]], *, cap: int = CANDIDATE_CAP
) -> dict[Place, Candidates]:
    """Per (key, document): the ``cap`` newest claims of other documents under the key, and
    the document's own claims under it with ids in the given (low, high) range."""
    found: dict[Place, Candidates] = {place: Candidates() for place in wanted}
    if not wanted:
        return found
    ordered = sorted(wanted, key=lambda p: (p[0], p[1] or 0))
    if connection.vendor == "postgresql":
        params = [
            [k for k, _ in ordered],
            [d for _, d in ordered],
            [wanted[p][0] for p in ordered],
            [wanted[p][1] for p in ordered],
            cap,
            cap,
            cap,
        ]
        with connection.cursor() as cursor:
            cursor.execute(candidate_sql(ClaimBlockingKey._meta.db_table), params)
            for key, document_id, claim_id, own in cursor.fetchall():
                place = found[(key, document_id)]
                (place.own if own else place.others).append(claim_id)
        return _capped(found, cap)
    # Elsewhere (SQLite) one statement per (key, document), the same four ranges; raw SQL,
    # since building ORM queries cost 5 ms each, more than the index reads.
    sql = _sqlite_sql(ClaimBlockingKey._meta.db_table)
    with connection.cursor() as cursor:
        for key, document_id in ordered:
            low, high = wanted[(key, document_id)]
            doc = document_id or 0
            cursor.execute(sql, [key, doc, cap, key, doc, cap, key, cap, key, doc, low, high])
            place = found[(key, document_id)]
            for claim_id, own in cursor.fetchall():
                (place.own if own else place.others).append(claim_id)
    return _capped(found, cap)


def _capped(found: dict[Place, Candidates], cap: int) -> dict[Place, Candidates]:
    # Each range gave its newest ``cap``; of all of them together the newest ``cap`` count.
    for place in found.values():
        if len(place.others) > cap:
            place.others = sorted(place.others, reverse=True)[:cap]
    return found


def _sqlite_sql(table: str) -> str:
    other = (
        f"SELECT * FROM (SELECT claim_id, 0 FROM {table} WHERE key = %s AND {{cond}} "
        "ORDER BY document_id DESC, claim_id DESC LIMIT %s)"
    )
    return (
        f"{other.format(cond='document_id < %s')} UNION ALL "
        f"{other.format(cond='document_id > %s')} UNION ALL "
        f"SELECT * FROM (SELECT claim_id, 0 FROM {table} WHERE key = %s AND document_id IS NULL "
        "ORDER BY document_id DESC, claim_id DESC LIMIT %s) UNION ALL "
        f"SELECT claim_id, 1 FROM {table} WHERE key = %s AND document_id = %s "
        "AND claim_id BETWEEN %s AND %s"
    )


def whole_ids(stored: Mapping[int, StoredClaim]) -> dict[int, int]:
    """claim id -> the id of the claim its "of them" points to (same snapshot, that span)."""
    wanted = {
        (s.snapshot_id, s.facts.whole): pk
        for pk, s in stored.items()
        if s.facts.whole is not None and s.snapshot_id is not None
    }
    if not wanted:
        return {}
    spans = Q()
    for snapshot_id, (start, end) in wanted:
        spans |= Q(extracted_from_id=snapshot_id, span_start=start, span_end=end)
    found: dict[int, int] = {}
    for pk, snapshot_id, start, end in (
        Claim.objects.filter(spans)
        .order_by("id")
        .values_list("id", "extracted_from_id", "span_start", "span_end")
    ):
        part = wanted.get((snapshot_id, (start, end)))
        if part is not None:
            found.setdefault(part, pk)
    return found


def partner_ids(claim_ids: Iterable[int]) -> dict[int, set[int]]:
    """claim id -> the claims it is stored as related to now."""
    partners: dict[int, set[int]] = {}
    for a, b in ClaimRelation.objects.filter(claim_id__in=list(claim_ids)).values_list(
        "claim_id", "other_id"
    ):
        partners.setdefault(a, set()).add(b)
    return partners
