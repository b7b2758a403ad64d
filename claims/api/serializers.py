"""What the claim endpoints read and write.

Output: reading a page of claims is the hot path, so it is built from `values()` rows by
`claim_representation` (plain dicts, rendered by orjson) instead of DRF serializer instances,
which cost several times the query itself. The serializers below describe the same shape for
the OpenAPI schema; a test checks that both agree field by field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework import serializers

from claims.api.etags import claim_etag
from claims.models import (
    CLAIM_CONTENT_FIELDS,
    Claim,
    ClaimKind,
    Confidence,
    Evidence,
    Qualifier,
    Status,
)
from claims.workflow import CONTENT_FIELDS, NEEDS_CONFIDENCE

CLAIM_FIELDS = (
    "id",
    *CLAIM_CONTENT_FIELDS,
    "status",
    "confidence",
    "machine_score",
    "machine_explanation",
    "corroborations",
    "group",
    "extracted_from",
    "engine_version",
    "version",
    "created_at",
    "updated_at",
)
EVIDENCE_FIELDS = (
    "id",
    "claim_id",
    "snapshot_id",
    "snapshot_sha256",
    "document_id",
    "stance",
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "credibility",
    "anchor",
    "added_by_engine",
    "note",
    "created_at",
    "updated_at",
)
CONFIDENCE_LABELS = dict(Confidence.choices)


class _Row:
    """Attribute access over a values() row, for the ETag helper."""

    __slots__ = ("pk", "updated_at", "version")

    def __init__(self, row: dict[str, Any]) -> None:
        self.pk = row["id"]
        self.version = row.get("version")
        self.updated_at = row["updated_at"]


def evidence_representation(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "claim": row["claim_id"],
        "snapshot": row["snapshot_id"],
        "snapshot_sha256": row["snapshot_sha256"],
        "document": row["document_id"],
        "stance": row["stance"],
        "selectors": [
            {
                "type": "TextQuoteSelector",
                "exact": row["exact"],
                "prefix": row["prefix"],
                "suffix": row["suffix"],
            },
            {"type": "TextPositionSelector", "start": row["start"], "end": row["end"]},
        ],
        "credibility": row["credibility"],
        "anchor": row["anchor"],
        "added_by_engine": row["added_by_engine"],
        "note": row["note"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def claim_tag(row: dict[str, Any], evidence: Iterable[dict[str, Any]]) -> str:
    return claim_etag(_Row(row), [_Row(e) for e in evidence])


def claim_representation(
    row: dict[str, Any],
    evidence: list[dict[str, Any]],
    contradictions: list[dict[str, Any]],
) -> dict[str, Any]:
    """A claim as the API shows it, from a values(*CLAIM_FIELDS) row, its evidence rows and
    the contradiction rows of `contradiction_rows`."""
    data = {field: row[field] for field in CLAIM_FIELDS}
    data["confidence_label"] = CONFIDENCE_LABELS.get(row["confidence"])
    data["etag"] = claim_tag(row, evidence)
    data["contradictions"] = [
        {"id": c["other_id"], "explanation": c["explanation"]} for c in contradictions
    ]
    data["evidence"] = [evidence_representation(e) for e in evidence]
    return data


# --- Schema-describing serializers (and a cross-check in the tests) -----------------------


class SelectorSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["TextQuoteSelector", "TextPositionSelector"])
    exact = serializers.CharField(required=False, help_text="TextQuoteSelector only.")
    prefix = serializers.CharField(required=False, allow_blank=True)
    suffix = serializers.CharField(required=False, allow_blank=True)
    start = serializers.IntegerField(required=False, help_text="TextPositionSelector only.")
    end = serializers.IntegerField(required=False)


class EvidenceSerializer(serializers.ModelSerializer):
    snapshot_sha256 = serializers.CharField(source="snapshot.sha256", read_only=True)
    document = serializers.IntegerField(source="snapshot.document_id", read_only=True)
    selectors = SelectorSerializer(
        many=True,
        read_only=True,
        help_text="W3C Web Annotation selectors over the snapshot's text (Python str offsets).",
    )

    class Meta:
        model = Evidence
        fields = [
            "id",
            "claim",
            "snapshot",
            "snapshot_sha256",
            "document",
            "stance",
            "selectors",
            "credibility",
            "anchor",
            "added_by_engine",
            "note",
            "created_at",
            "updated_at",
        ]


class ContradictionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The contradicting claim.")
    explanation = serializers.CharField()


class ClaimSerializer(serializers.ModelSerializer):
    places = serializers.ListField(child=serializers.CharField())
    actors = serializers.ListField(child=serializers.CharField())
    hedges = serializers.ListField(child=serializers.CharField())
    confidence_label = serializers.CharField(
        allow_null=True, help_text="The ICD 203 band with its probability range."
    )
    etag = serializers.CharField(help_text="Send it as If-Match to PATCH this claim.")
    contradictions = ContradictionSerializer(
        many=True, read_only=True, help_text="Claims the engine found contradicting this one."
    )
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = [*CLAIM_FIELDS, "confidence_label", "etag", "contradictions", "evidence"]
        extra_kwargs = {
            "extracted_from": {"help_text": "The snapshot the engine extracted it from."}
        }


class ClaimPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page; null on the last.")
    results = ClaimSerializer(many=True)


# --- PATCH ---------------------------------------------------------------------------------


class ClaimPatchSerializer(serializers.Serializer):
    """A decision (status, confidence, rationale) or an edit (content fields, rationale)."""

    # A decision moves a claim forward: never back to unreviewed, so the schema's enum leaves
    # it out and a client is told why.
    status = serializers.ChoiceField(
        choices=[c for c in Status.choices if c[0] != Status.UNREVIEWED],
        required=False,
        error_messages={
            "invalid_choice": '"{input}" is not a decision: a claim cannot be moved back to '
            "unreviewed; send in_review, verified, disputed, refuted or unverifiable."
        },
    )
    confidence = serializers.ChoiceField(choices=Confidence.choices, required=False)
    rationale = serializers.CharField(
        max_length=5000, help_text="Why: recorded in the decision log and the claim's history."
    )
    kind = serializers.ChoiceField(choices=ClaimKind.choices, required=False)
    statement = serializers.CharField(required=False, max_length=10000)
    quote = serializers.CharField(required=False, max_length=10000)
    value = serializers.FloatField(required=False, allow_null=True)
    lower = serializers.FloatField(required=False, allow_null=True)
    upper = serializers.FloatField(required=False, allow_null=True)
    qualifier = serializers.ChoiceField(choices=Qualifier.choices, required=False, allow_blank=True)
    unit = serializers.CharField(required=False, allow_blank=True, max_length=100)
    subject = serializers.CharField(required=False, allow_blank=True, max_length=300)
    time_text = serializers.CharField(required=False, allow_blank=True, max_length=200)
    time_start = serializers.DateField(required=False, allow_null=True)
    time_end = serializers.DateField(required=False, allow_null=True)
    places = serializers.ListField(child=serializers.CharField(max_length=300), required=False)
    actors = serializers.ListField(child=serializers.CharField(max_length=300), required=False)
    hedges = serializers.ListField(child=serializers.CharField(max_length=300), required=False)
    attributed_to = serializers.CharField(required=False, allow_blank=True, max_length=300)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: ["This field does not exist or cannot be changed."] for name in unknown}
            )
        edits = {k for k in attrs if k in CONTENT_FIELDS}
        status = attrs.get("status")
        if status is None and "confidence" in attrs:
            raise serializers.ValidationError(
                {"confidence": ["Confidence changes with a decision: send a status too."]}
            )
        if status is not None and edits:
            raise serializers.ValidationError(
                {"status": ["Send a decision and an edit of what the claim says separately."]}
            )
        if status is None and not edits:
            raise serializers.ValidationError(
                {"non_field_errors": ["Nothing to change: send a status or content fields."]}
            )
        if status in NEEDS_CONFIDENCE and not attrs.get("confidence"):
            raise serializers.ValidationError(
                {"confidence": [f"Marking a claim {status} needs a confidence band (ICD 203)."]}
            )
        if not attrs["rationale"].strip():
            raise serializers.ValidationError({"rationale": ["Say why."]})
        return attrs
