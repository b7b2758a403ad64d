"""Claim endpoints: list, detail and PATCH, history, evidence, provenance and ClaimReview."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from claims.api.base import ApiView
from claims.api.claimreview import claim_review
from claims.api.etags import if_match_tags, list_etag, none_match
from claims.api.filters import ClaimFilterSerializer, claims_as_of, end_of_day, filter_claims
from claims.api.pagination import PageQuerySerializer, keyset_page
from claims.api.permissions import sees_unpublished
from claims.api.problems import PreconditionFailed, PreconditionRequired
from claims.api.queries import (
    claim_row,
    contradicted,
    contradiction_rows,
    evidence_rows,
    visible_claims,
)
from claims.api.renderers import JSONLDRenderer, ORJSONRenderer
from claims.api.serializers import (
    CLAIM_FIELDS,
    ClaimPageSerializer,
    ClaimPatchSerializer,
    ClaimSerializer,
    EvidenceSerializer,
    claim_representation,
    evidence_representation,
)
from claims.models import Claim, Status
from claims.provenance import claim_provenance
from claims.roles import DESK
from claims.workflow import HISTORY_FIELDS, claim_edit, claim_transition

READ = {"GET": ["claims.view_claim"]}
# Every version with its reasons and reviewers, and the PROV graph of the decisions, are the
# desk's record (claims.roles.CAPABILITIES), not part of what is published to readers.
DESK_READ = {"GET": [DESK]}
ETAG_HEADER = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="An ETag you hold: 304 Not Modified when it is still current.",
)


def _visible_claim(request: Request, pk: int) -> Claim:
    claim = visible_claims(request.user).filter(pk=pk).first()
    if claim is None:
        raise Http404(f"There is no claim {pk} you can see.")
    return claim


def _with_etag(data: Any, etag: str, request: Request, status: int = 200) -> Response:
    if request.method in ("GET", "HEAD") and none_match(request, etag):
        return Response(status=304, headers={"ETag": etag})
    return Response(data, status=status, headers={"ETag": etag})


class ClaimListView(ApiView):
    required_perms = READ

    @extend_schema(
        operation_id="claims_list",
        summary="Claims, filtered, in a stable cursor-paged order",
        description=(
            "API readers see verified claims only. Pages are cursor-based: follow `next`. "
            "With `as_of`, each claim is shown as it stood at the end of that day."
        ),
        parameters=[
            ClaimFilterSerializer,
            PageQuerySerializer,
            ETAG_HEADER,
        ],
        responses={200: ClaimPageSerializer},
    )
    def get(self, request: Request) -> Response:
        query = ClaimFilterSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = query.validated_data
        cutoff = None
        if "as_of" in params:
            cutoff = end_of_day(params["as_of"])
            claims = claims_as_of(params["as_of"])
            if not sees_unpublished(request.user):
                claims = claims.filter(status=Status.VERIFIED)
        else:
            claims = visible_claims(request.user)
        claims = filter_claims(claims, params).annotate(contradicted=contradicted())
        page = keyset_page(
            claims.values(*CLAIM_FIELDS, "contradicted"), request, params["ordering"]
        )
        ids = [row["id"] for row in page.items]
        evidence = evidence_rows(ids, before=cutoff)
        # Most pages hold no contradicted claim: then this costs no query at all.
        contradictions = contradiction_rows(
            [row["id"] for row in page.items if row["contradicted"]]
        )
        results = [
            claim_representation(
                row, evidence.get(row["id"], []), contradictions.get(row["id"], [])
            )
            for row in page.items
        ]
        etag = list_etag([r["etag"] for r in results], page.next_url or "")
        return _with_etag({"next": page.next_url, "results": results}, etag, request)


class ClaimDetailView(ApiView):
    required_perms = {**READ, "PATCH": ["claims.review_claim", "claims.change_claim"]}

    def _current(self, request: Request, pk: int) -> dict[str, Any]:
        row = claim_row(visible_claims(request.user), pk)
        if row is None:
            raise Http404(f"There is no claim {pk} you can see.")
        return claim_representation(
            row, evidence_rows([pk]).get(pk, []), contradiction_rows([pk]).get(pk, [])
        )

    @extend_schema(
        operation_id="claims_retrieve",
        summary="One claim with its evidence; its ETag is the one PATCH needs",
        parameters=[ETAG_HEADER],
        responses={200: ClaimSerializer},
    )
    def get(self, request: Request, pk: int) -> Response:
        data = self._current(request, pk)
        return _with_etag(data, data["etag"], request)

    @extend_schema(
        operation_id="claims_partial_update",
        summary="Decide on a claim (status, confidence, rationale) or edit what it says",
        description=(
            "Needs `If-Match` with the claim's current ETag: 428 without it, 412 when the claim "
            "changed since. A decision goes through the review workflow (rationale, a confidence "
            "band for verified/disputed/refuted, four-eyes): 409 when the workflow refuses it."
        ),
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="The claim's ETag, from GET.",
            )
        ],
        request=ClaimPatchSerializer,
        responses={200: ClaimSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        tags = if_match_tags(request)
        if not tags or tags == ["*"]:
            raise PreconditionRequired()
        current = self._current(request, pk)
        # A malformed body is a 400 whatever the ETag: check it before the precondition.
        body = ClaimPatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if current["etag"] not in tags:
            raise PreconditionFailed(
                f"Claim {pk} changed since you read it: its ETag is now {current['etag']}. "
                "GET it again, check the change still makes sense, and resend.",
                current_etag=current["etag"],
            )
        changes = dict(body.validated_data)
        rationale = changes.pop("rationale")
        claim = Claim.objects.get(pk=pk)
        if "status" in changes:
            claim_transition(
                claim=claim,
                actor=request.user,
                to_status=changes["status"],
                confidence=changes.get("confidence", ""),
                rationale=rationale,
                seen_version=current["version"],
                origin="api",
            )
        else:
            claim_edit(
                claim=claim,
                actor=request.user,
                changes=changes,
                reason=rationale,
                seen_version=current["version"],
                origin="api",
            )
        data = self._current(request, pk)
        return Response(data, headers={"ETag": data["etag"]})


class ClaimVersionSerializer(serializers.Serializer):
    history_id = serializers.IntegerField(help_text="Increases with every change.")
    version = serializers.IntegerField()
    change = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    changed_at = serializers.DateTimeField(source="history_date")
    changed_by = serializers.CharField(
        source="history_user.username", allow_null=True, help_text="Null: the engine or a job."
    )
    origin = serializers.CharField(help_text="admin, api, task, seed or command.")
    reason = serializers.CharField(source="history_change_reason", allow_null=True)
    changed_fields = serializers.ListField(child=serializers.CharField())
    state = serializers.DictField(help_text="The tracked fields as they were in this version.")


CHANGE_NAMES = {"+": "created", "~": "changed", "-": "deleted"}


class ClaimHistoryView(ApiView):
    required_perms = DESK_READ

    @extend_schema(
        operation_id="claims_history",
        summary="Every version of a claim: who changed it, from where and why",
        responses={200: ClaimVersionSerializer(many=True)},
    )
    def get(self, request: Request, pk: int) -> Response:
        claim = _visible_claim(request, pk)
        versions = list(claim.history.select_related("history_user").order_by("history_id"))
        previous: dict[str, Any] | None = None
        for version in versions:
            state = {
                field: getattr(version, f"{field}_id" if field == "assignee" else field)
                for field in HISTORY_FIELDS
            }
            version.change = CHANGE_NAMES.get(version.history_type, version.history_type)
            version.state = state
            version.changed_fields = (
                sorted(f for f in state if state[f] != previous[f]) if previous else []
            )
            previous = state
        return Response(ClaimVersionSerializer(versions, many=True).data)


class ClaimEvidenceView(ApiView):
    required_perms = READ

    @extend_schema(
        operation_id="claims_evidence",
        summary="The evidence anchoring a claim to snapshot text",
        responses={200: EvidenceSerializer(many=True)},
    )
    def get(self, request: Request, pk: int) -> Response:
        claim = _visible_claim(request, pk)
        return Response([evidence_representation(e) for e in evidence_rows([claim.pk])[claim.pk]])


class ClaimProvenanceView(ApiView):
    required_perms = DESK_READ

    @extend_schema(
        operation_id="claims_provenance",
        summary="The claim's provenance as W3C PROV-JSON",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="A PROV-JSON document.")},
    )
    def get(self, request: Request, pk: int) -> Response:
        document = claim_provenance(_visible_claim(request, pk))
        return Response(json.loads(document.serialize(format="json")))


class ClaimReviewView(ApiView):
    required_perms = READ
    renderer_classes = [JSONLDRenderer, ORJSONRenderer]

    @extend_schema(
        operation_id="claims_claimreview",
        summary="The claim as schema.org ClaimReview JSON-LD",
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="A ClaimReview document.")
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(claim_review(_visible_claim(request, pk), request))
