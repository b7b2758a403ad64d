"""The change feed (claims/changes/): incremental sync that never skips or repeats a change.

Why not `updated_at` and a cursor: a transaction that commits late carries an older
`updated_at` than rows a consumer has already passed, so it would be skipped for good.

The feed walks the claims' history rows in `history_id` order instead. `history_id` comes from
a sequence, so it is handed out in insert order; a row is only served once nothing before it can
still appear:

* rows inserted more than API_SYNC_SETTLE_SECONDS ago are settled: any lower id still missing
  belongs to a transaction that rolled back (transactions are far shorter than that);
* after the settled ones, recent rows are served while their ids are consecutive; the first gap
  may be a transaction still in flight, so the feed stops there until it commits or settles.

Each claim appears once per page, at its latest change up to that horizon; a later change
brings it back once more. Deleted claims (history type "-") come as tombstones; for API readers,
so do claims that stopped being verified.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from claims.api.base import ApiView
from claims.api.pagination import (
    PageQuerySerializer,
    decode_cursor,
    encode_cursor,
    page_size,
)
from claims.api.permissions import sees_unpublished
from claims.api.queries import contradiction_rows, evidence_rows
from claims.api.serializers import CLAIM_FIELDS, ClaimSerializer, claim_representation
from claims.models import Claim, Status

# How many recent history ids the consecutive-id check looks at per request.
RECENT_WINDOW = 2000


def history() -> QuerySet:
    return Claim.history.model.objects.all()


def horizon(after: int) -> int:
    """The highest history_id up to which no change can still appear."""
    cutoff = timezone.now() - timedelta(seconds=settings.API_SYNC_SETTLE_SECONDS)
    settled = history().filter(history_date__lte=cutoff).aggregate(m=Max("history_id"))["m"]
    reached = max(settled or 0, after)
    recent = (
        history()
        .filter(history_id__gt=reached)
        .order_by("history_id")
        .values_list("history_id", flat=True)[:RECENT_WINDOW]
    )
    for history_id in recent:
        if history_id != reached + 1:
            break  # a gap: maybe a transaction still in flight
        reached = history_id
    return reached


def feed_rows(*, after: int, until: int, since: Any, user: Any) -> QuerySet:
    """Each claim's latest history row in (after, until], in history_id order."""
    rows = history().filter(history_id__gt=after, history_id__lte=until)
    if since is not None:
        rows = rows.filter(history_date__gte=since)
    later = history().filter(
        id=OuterRef("id"), history_id__gt=OuterRef("history_id"), history_id__lte=until
    )
    rows = rows.filter(~Exists(later))
    if not sees_unpublished(user):
        # Readers see verified claims, and a tombstone when one they could see goes away.
        was_verified = history().filter(
            id=OuterRef("id"), history_id__lt=OuterRef("history_id"), status=Status.VERIFIED
        )
        rows = rows.filter(
            Q(status=Status.VERIFIED, history_type__in=["+", "~"]) | Exists(was_verified)
        )
    return rows.order_by("history_id")


def change_item(
    row: dict[str, Any],
    evidence: list[dict[str, Any]],
    contradictions: list[dict[str, Any]],
    reader: bool,
) -> dict:
    deleted = row["history_type"] == "-"
    retracted = reader and row["status"] != Status.VERIFIED
    tombstone = deleted or retracted
    return {
        "seq": row["history_id"],
        "id": row["id"],
        "change": "tombstone" if tombstone else "upsert",
        "reason": "deleted" if deleted else "retracted" if retracted else None,
        "changed_at": row["history_date"],
        "claim": None if tombstone else claim_representation(row, evidence, contradictions),
    }


class ChangeSerializer(serializers.Serializer):
    seq = serializers.IntegerField(help_text="Position in the feed.")
    id = serializers.IntegerField(help_text="The claim's id.")
    change = serializers.ChoiceField(
        choices=["upsert", "tombstone"],
        help_text="upsert: store `claim` as is. tombstone: remove the claim with this id.",
    )
    reason = serializers.ChoiceField(
        choices=["deleted", "retracted"],
        allow_null=True,
        help_text="For a tombstone: the claim was deleted, or is no longer verified.",
    )
    changed_at = serializers.DateTimeField()
    claim = ClaimSerializer(allow_null=True)


class ChangePageSerializer(serializers.Serializer):
    next = serializers.URLField(
        help_text="Where to continue: at once while `caught_up` is false, later when true."
    )
    caught_up = serializers.BooleanField(help_text="No more changes right now.")
    results = ChangeSerializer(many=True)


class ChangeQuerySerializer(PageQuerySerializer):
    updated_since = serializers.DateTimeField(
        required=False, help_text="Start with changes made at or after this instant."
    )


class ClaimChangesView(ApiView):
    required_perms = {"GET": ["claims.view_claim"]}

    @extend_schema(
        operation_id="claims_changes",
        summary="Changes to claims since a cursor, for incremental sync",
        parameters=[ChangeQuerySerializer],
        responses={200: ChangePageSerializer},
    )
    def get(self, request: Request) -> Response:
        query = ChangeQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        since = None
        after = 0
        cursor = decode_cursor(request)
        if cursor is not None:
            if not isinstance(cursor.get("s"), int):
                raise serializers.ValidationError({"cursor": ["This is not a change cursor."]})
            after = cursor["s"]
        else:
            since = query.validated_data.get("updated_since")
        size = page_size(request)
        until = horizon(after)
        fields = [*CLAIM_FIELDS, "history_id", "history_type", "history_date"]
        feed = feed_rows(after=after, until=until, since=since, user=request.user)
        rows = list(feed.values(*fields)[: size + 1])
        caught_up = len(rows) <= size
        rows = rows[:size]
        position = until if caught_up else rows[-1]["history_id"]
        ids = [r["id"] for r in rows]
        evidence = evidence_rows(ids)
        contradictions = contradiction_rows(ids)
        reader = not sees_unpublished(request.user)
        results = [
            change_item(r, evidence.get(r["id"], []), contradictions.get(r["id"], []), reader)
            for r in rows
        ]
        base = remove_query_param(request.build_absolute_uri(), "updated_since")
        next_url = replace_query_param(base, "cursor", encode_cursor({"s": position}))
        return Response({"next": next_url, "caught_up": caught_up, "results": results})
