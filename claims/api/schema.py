"""OpenAPI generation: every operation documents the problem responses it can give.

drf-spectacular documents what a view's @extend_schema names; the error responses come from
the machinery around the views (authentication, permissions, throttling, preconditions), so
they are added here, by what each operation does, rather than repeated on every view.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from claims.api.problems import PROBLEM_CONTENT_TYPE


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The body field or query parameter.")
    pointer = serializers.CharField(help_text="JSON pointer into the request body.")
    detail = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(help_text="A URN naming the kind of problem; switch on it.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong and what to do, for a person.")
    errors = FieldErrorSerializer(many=True, required=False, help_text="Validation errors.")
    current_etag = serializers.CharField(required=False, help_text="412: the claim's ETag now.")
    current_version = serializers.IntegerField(required=False)


DESCRIPTIONS = {
    "304": "Not modified: the If-None-Match ETag is current.",
    "400": "Invalid parameters or body; `errors` lists each field.",
    "401": "No credentials, or an unknown or revoked API key.",
    "403": "Your role may not do this.",
    "404": "No such resource, or not one your role may see.",
    "406": "The Accept header names no media type this endpoint produces.",
    "409": "The review workflow refused the change (for example four-eyes).",
    "412": "The claim changed since you read it: the If-Match ETag is stale.",
    "413": "The request body or file is too large.",
    "415": "The request body's Content-Type is not one this endpoint takes.",
    "422": "The request is understood but cannot be carried out.",
    "428": "PATCH needs an If-Match header with the claim's ETag.",
    "429": "Too many requests for this token; see Retry-After.",
}


def problem_codes(method: str, path: str, has_query: bool, has_etag: bool) -> list[str]:
    codes = ["401", "403", "406", "429"]
    if "{" in path:
        codes.append("404")
    if has_query or method in ("POST", "PATCH", "PUT"):
        codes.append("400")
    if method in ("POST", "PATCH", "PUT"):
        codes += ["413", "415"]
    if method == "PATCH":
        codes += ["409", "412", "428"]
    if method == "POST":
        codes.append("422")
    if has_etag:
        codes.append("304")
    return codes


class ProblemAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        parameters = self._get_parameters()
        has_query = any(p.get("in") == "query" for p in parameters)
        has_etag = any(p.get("name") == "If-None-Match" for p in parameters)
        for code in problem_codes(self.method, self.path, has_query, has_etag):
            if code in responses:
                continue
            if code == "304":
                responses[code] = {"description": DESCRIPTIONS[code]}
                continue
            response = self._get_response_for_code(
                ProblemSerializer, code, [PROBLEM_CONTENT_TYPE], direction
            )
            response["description"] = DESCRIPTIONS[code]
            responses[code] = response
        return responses


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "claims.tokens.ApiTokenAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A key from `manage.py issue_token`: `Authorization: Bearer <key>`.",
        }


def _split_claim_patch(schemas: dict[str, Any]) -> None:
    """PATCH of a claim is one of three bodies, as its serializer enforces: a decision that
    needs a confidence (verified, disputed, refuted), another move, or an edit of what the
    claim says; each with a rationale and nothing else. drf-spectacular sees one serializer
    with every field optional, so the schema would promise that `{}` is accepted."""
    from claims.models import Status
    from claims.workflow import NEEDS_CONFIDENCE

    patch = schemas.get("PatchedClaimPatchRequest")
    if patch is None or "oneOf" in patch:
        return
    props = patch["properties"]
    confident = sorted(str(s) for s in NEEDS_CONFIDENCE)
    # Never back to unreviewed: the serializer refuses it, so the schema must not offer it.
    others = [str(s) for s in Status.values if s not in NEEDS_CONFIDENCE and s != Status.UNREVIEWED]
    decision = {k: props[k] for k in ("status", "confidence", "rationale")}
    schemas["ClaimDecisionRequest"] = {
        "type": "object",
        "description": "A decision that needs an ICD 203 confidence band.",
        "properties": {**decision, "status": {"type": "string", "enum": confident}},
        "required": ["status", "confidence", "rationale"],
        "additionalProperties": False,
    }
    schemas["ClaimMoveRequest"] = {
        "type": "object",
        "description": "Any other move of the review status.",
        "properties": {**decision, "status": {"type": "string", "enum": others}},
        "required": ["status", "rationale"],
        "additionalProperties": False,
    }
    schemas["ClaimEditRequest"] = {
        "type": "object",
        "description": "An edit of what the claim says: at least one content field.",
        "properties": {k: v for k, v in props.items() if k not in ("status", "confidence")},
        "required": ["rationale"],
        "minProperties": 2,
        "additionalProperties": False,
    }
    schemas["PatchedClaimPatchRequest"] = {
        "oneOf": [
            {"$ref": "#/components/schemas/ClaimDecisionRequest"},
            {"$ref": "#/components/schemas/ClaimMoveRequest"},
            {"$ref": "#/components/schemas/ClaimEditRequest"},
        ]
    }


def close_request_bodies(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the request bodies as the server enforces them."""
    _split_claim_patch(result.get("components", {}).get("schemas", {}))
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation["requestBody"]["required"] = True  # no operation takes none
    return result
