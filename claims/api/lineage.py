"""A claim's metric lineage: the same figure reported day after day, as held on a date."""

from __future__ import annotations

from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from claims.api.base import ApiView
from claims.api.permissions import sees_unpublished
from claims.api.views import READ, _visible_claim
from claims.models import Status
from claims.selectors import claim_lineage


class LineagePointSerializer(serializers.Serializer):
    claim = serializers.IntegerField(source="claim_id")
    reported = serializers.DateField(allow_null=True, help_text="Publication date of its report.")
    value = serializers.FloatField(allow_null=True)
    lower = serializers.FloatField(allow_null=True)
    upper = serializers.FloatField(allow_null=True)
    qualifier = serializers.CharField()
    unit = serializers.CharField()
    period = serializers.CharField(help_text="The time the figure covers, as written.")
    source = serializers.CharField()
    status = serializers.CharField()


class LineageSerializer(serializers.Serializer):
    group = serializers.IntegerField(allow_null=True)
    as_of = serializers.DateField(allow_null=True)
    points = LineagePointSerializer(many=True, help_text="Oldest first; the last is held.")


class ClaimLineageView(ApiView):
    required_perms = READ

    @extend_schema(
        operation_id="claims_lineage",
        summary="The series this claim belongs to, optionally as held on a date",
        parameters=[
            OpenApiParameter(
                "as_of", date, description="YYYY-MM-DD: what was held at the end of that day."
            )
        ],
        responses={200: LineageSerializer},
    )
    def get(self, request: Request, pk: int) -> Response:
        claim = _visible_claim(request, pk)
        raw = request.query_params.get("as_of")
        try:
            as_of = date.fromisoformat(raw) if raw is not None else None  # "" is no date
        except ValueError:
            raise serializers.ValidationError({"as_of": ["Use a date: YYYY-MM-DD."]}) from None
        points = claim_lineage(claim.group, as_of=as_of) if claim.group_id else []
        if not sees_unpublished(request.user):
            points = [p for p in points if p.status == Status.VERIFIED]
        return Response(
            LineageSerializer({"group": claim.group_id, "as_of": as_of, "points": points}).data
        )
