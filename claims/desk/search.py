"""The claim list's search: every word in any of the searched fields.

On PostgreSQL one trigram (pg_trgm) index covers all the searched fields at once, so a rare
word among a million claims is found through the index instead of six full scans (4 s). On
SQLite the same search is a scan, which stays well under a second at 100,000 claims.
"""

from __future__ import annotations

from django.db.models import QuerySet, TextField
from django.db.models.expressions import RawSQL

# What is searched, as one text; the migration indexes exactly this expression (upper-cased,
# as Django's icontains compares). Places and actors are JSON lists: their text form is fine.
SEARCH_EXPR = (
    '("claims_claim"."statement" || \' \' || "claims_claim"."quote" || \' \' || '
    '"claims_claim"."subject" || \' \' || "claims_claim"."attributed_to" || \' \' || '
    '"claims_claim"."places"::text || \' \' || "claims_claim"."actors"::text)'
)
SEARCH_FIELDS = ["statement", "quote", "subject", "places", "actors", "attributed_to"]


def search_claims(queryset: QuerySet, term: str) -> QuerySet:
    """``queryset`` narrowed to claims holding every word of ``term`` (PostgreSQL only)."""
    searchable = queryset.annotate(_desk_search=RawSQL(SEARCH_EXPR, [], output_field=TextField()))
    for word in term.split():
        searchable = searchable.filter(_desk_search__icontains=word)
    return searchable
