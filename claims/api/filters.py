"""The claim list's query parameters: validated by a serializer, applied to a queryset.

The same filters apply to current claims and, with `as_of`, to the historical rows that say
what each claim was on that date (the historical model has the same field names).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from rest_framework import serializers

from claims.api.pagination import ORDERINGS
from claims.models import Claim, ClaimKind, Confidence, Evidence, Status

BANDS = list(Confidence.values)  # lowest first


# Ids are 64-bit (BigAutoField): a larger number names nothing, and must not reach the database.
MAX_ID = 2**63 - 1


class ClaimFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    kind = serializers.ChoiceField(choices=ClaimKind.choices, required=False)
    confidence_min = serializers.ChoiceField(
        choices=Confidence.choices,
        required=False,
        help_text="Claims whose confidence band is this one or higher.",
    )
    machine_score_min = serializers.FloatField(
        required=False, min_value=0, max_value=1, help_text="Machine score at least this."
    )
    source = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Source id: extracted from it or evidenced by it.",
    )
    document = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Document id: extracted from it or evidenced by it.",
    )
    unit = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Exact unit: child."
    )
    place = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="A place name the claim mentions (contains).",
    )
    actor = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="An actor the claim mentions (contains).",
    )
    time_from = serializers.DateField(
        required=False, help_text="Claims whose time range overlaps [time_from, time_to]."
    )
    time_to = serializers.DateField(required=False)
    updated_since = serializers.DateTimeField(
        required=False,
        help_text="Changed at or after this instant. To keep in sync, use claims/changes/.",
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Text in the statement, quote, subject or attribution (case-insensitive).",
    )
    ordering = serializers.ChoiceField(choices=list(ORDERINGS), default="-updated_at")
    as_of = serializers.DateField(
        required=False, help_text="The claims as they stood at the end of this day (UTC)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("time_from"), attrs.get("time_to")
        if start and end and start > end:
            raise serializers.ValidationError({"time_to": ["time_to is before time_from."]})
        return attrs


def end_of_day(day: Any) -> datetime:
    """The first instant after `day` in UTC: `as_of` includes everything on that day."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def filter_claims(queryset: QuerySet, params: dict[str, Any]) -> QuerySet:
    """Apply validated filters; `queryset` holds Claim or HistoricalClaim rows."""
    exact = {
        "status": "status",
        "kind": "kind",
        "unit": "unit",
        "machine_score_min": "machine_score__gte",
        "updated_since": "updated_at__gte",
    }
    for param, lookup in exact.items():
        if param in params:
            queryset = queryset.filter(**{lookup: params[param]})
    if "confidence_min" in params:
        queryset = queryset.filter(confidence__in=BANDS[BANDS.index(params["confidence_min"]) :])
    if "place" in params:
        queryset = queryset.filter(places__icontains=params["place"])
    if "actor" in params:
        queryset = queryset.filter(actors__icontains=params["actor"])
    if "source" in params:
        queryset = queryset.filter(_extracted_or_evidenced("document__source_id", params["source"]))
    if "document" in params:
        queryset = queryset.filter(_extracted_or_evidenced("document_id", params["document"]))
    if "time_from" in params:
        start = params["time_from"]
        queryset = queryset.filter(
            Q(time_end__gte=start) | Q(time_end__isnull=True, time_start__gte=start)
        )
    if "time_to" in params:
        queryset = queryset.filter(time_start__lte=params["time_to"])
    if "q" in params:
        text = params["q"]
        queryset = queryset.filter(
            Q(statement__icontains=text)
            | Q(quote__icontains=text)
            | Q(subject__icontains=text)
            | Q(attributed_to__icontains=text)
        )
    return queryset


def _extracted_or_evidenced(snapshot_lookup: str, value: int) -> Q:
    evidenced = Evidence.objects.filter(
        claim_id=OuterRef("id"), **{f"snapshot__{snapshot_lookup}": value}
    )
    return Q(**{f"extracted_from__{snapshot_lookup}": value}) | Q(Exists(evidenced))


def claims_as_of(day: Any) -> QuerySet:
    """Each claim's last historical row up to the end of `day`, without deleted claims."""
    cutoff = end_of_day(day)
    History = Claim.history.model
    later = History.objects.filter(
        id=OuterRef("id"), history_date__lt=cutoff, history_id__gt=OuterRef("history_id")
    )
    return (
        History.objects.filter(history_date__lt=cutoff)
        .exclude(history_type="-")
        .filter(~Exists(later))
    )
