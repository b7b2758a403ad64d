"""Bulk export (export/?format=jsonl|csv): every verified claim with its provenance fields.

Streams in batches walked by id (keyset, never OFFSET), so memory stays bounded and the
millionth row costs what the first does. Each batch is two queries: claims joined to their
snapshot, document and source (named columns only, never the snapshot text), then evidence.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import orjson
from django.db.models import F
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request

from claims.api.base import ApiView
from claims.api.queries import evidence_rows
from claims.api.serializers import evidence_representation
from claims.models import CLAIM_CONTENT_FIELDS, Claim, Status

BATCH = 1000
PROVENANCE = {
    "snapshot_sha256": F("extracted_from__sha256"),
    "snapshot_text_sha256": F("extracted_from__text_sha256"),
    "snapshot_captured_at": F("extracted_from__captured_at"),
    "snapshot_capture_method": F("extracted_from__capture_method"),
    "document": F("extracted_from__document_id"),
    "document_title": F("extracted_from__document__title"),
    "document_url": F("extracted_from__document__url"),
    "document_published_at": F("extracted_from__document__published_at"),
    "source": F("extracted_from__document__source__name"),
    "source_reliability": F("extracted_from__document__source__reliability"),
}
COLUMNS = [
    "id",
    *CLAIM_CONTENT_FIELDS,
    "status",
    "confidence",
    "machine_score",
    "version",
    "updated_at",
    "extracted_from",
    "span_start",
    "span_end",
    "engine_version",
    *PROVENANCE,
]
MEDIA_TYPES = {"jsonl": "application/jsonl", "csv": "text/csv; charset=utf-8"}


def verified_batches() -> Iterator[list[dict[str, Any]]]:
    """Verified claims with their provenance columns, BATCH at a time, by id."""
    last = 0
    while True:
        rows = list(
            Claim.objects.filter(status=Status.VERIFIED, id__gt=last)
            .annotate(**PROVENANCE)
            .order_by("id")
            .values(*COLUMNS)[:BATCH]
        )
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def jsonl_lines() -> Iterator[bytes]:
    for rows in verified_batches():
        evidence = evidence_rows([row["id"] for row in rows])
        for row in rows:
            row["evidence"] = [evidence_representation(e) for e in evidence.get(row["id"], [])]
            yield orjson.dumps(row, option=orjson.OPT_UTC_Z) + b"\n"


class _Line:
    """A file-like object whose write() hands the line back, for csv.writer."""

    def write(self, value: str) -> str:
        return value


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): a
# captured statement or an actor name is untrusted text. OWASP's advice: prefix a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def csv_lines() -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow([*COLUMNS, "evidence_count"])
    for rows in verified_batches():
        evidence = evidence_rows([row["id"] for row in rows])
        for row in rows:
            cells = [_cell(row[c]) for c in COLUMNS]
            yield writer.writerow([*cells, len(evidence.get(row["id"], []))])


class FirstRenderer(BaseContentNegotiation):
    """The export answers in the format asked by `format`, whatever Accept says; errors
    are problem JSON."""

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: list[Any], format_suffix: Any = None):
        return renderers[0], renderers[0].media_type


class ExportQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=list(MEDIA_TYPES), default="jsonl")


class ExportView(ApiView):
    required_perms = {"GET": ["claims.view_claim"]}
    content_negotiation_class = FirstRenderer

    @extend_schema(
        operation_id="export",
        summary="Every verified claim with its provenance, as JSON Lines or CSV",
        parameters=[
            OpenApiParameter("format", str, enum=list(MEDIA_TYPES), default="jsonl"),
        ],
        responses={
            (200, "application/jsonl"): OpenApiResponse(
                OpenApiTypes.STR, description="One JSON object per claim and line."
            ),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="A header row."),
        },
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        # A plain dict: an empty `format=` is a wrong value, not a missing one (the enum holds).
        query = ExportQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        kind = query.validated_data["format"]
        lines = jsonl_lines() if kind == "jsonl" else csv_lines()
        response = StreamingHttpResponse(lines, content_type=MEDIA_TYPES[kind])
        response["Content-Disposition"] = f'attachment; filename="verified-claims.{kind}"'
        return response
