"""Errors as RFC 9457 problem details (application/problem+json).

Every error the API returns has `type` (a stable URN a client can switch on), `title`, `status`
and `detail` (a sentence for a person); validation errors add `errors`, one entry per field
with a JSON pointer into the request body or the query parameter's name.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from claims.workflow import NotPermitted, StaleClaim, WorkflowError

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:claim-verifier:problem:"


class Problem(exceptions.APIException):
    """An API error with its own problem type; subclasses set status, slug and title."""

    slug = "error"
    title = "Error"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.default_detail)
        self.extra = extra


class PreconditionRequired(Problem):
    status_code = 428
    slug = "precondition-required"
    title = "If-Match required"
    default_detail = (
        "Send the claim's ETag in an If-Match header (GET the claim to read it), so a change "
        "made by someone else since you read it is not overwritten."
    )


class PreconditionFailed(Problem):
    status_code = 412
    slug = "precondition-failed"
    title = "The claim changed since you read it"
    default_detail = "The If-Match ETag is not the claim's current one; GET it again."


class Conflict(Problem):
    status_code = 409
    slug = "conflict"
    title = "The workflow refused the change"


class PayloadTooLarge(Problem):
    status_code = 413
    slug = "payload-too-large"
    title = "Request body too large"


class Unprocessable(Problem):
    status_code = 422
    slug = "unprocessable"
    title = "The request cannot be carried out"


# DRF's own exceptions, by class: (slug, title).
_DRF_TYPES: list[tuple[type[exceptions.APIException], str, str]] = [
    (exceptions.ValidationError, "invalid-request", "Invalid request"),
    (exceptions.ParseError, "malformed-request", "Malformed request body"),
    (exceptions.NotAuthenticated, "not-authenticated", "Authentication required"),
    (exceptions.AuthenticationFailed, "authentication-failed", "Authentication failed"),
    (exceptions.PermissionDenied, "forbidden", "Not allowed"),
    (exceptions.NotFound, "not-found", "Not found"),
    (exceptions.MethodNotAllowed, "method-not-allowed", "Method not allowed"),
    (exceptions.NotAcceptable, "not-acceptable", "Not acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported-media-type", "Unsupported media type"),
    (exceptions.Throttled, "too-many-requests", "Too many requests"),
]


def problem_response(
    *,
    status_code: int,
    slug: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body = {
        "type": TYPE_PREFIX + slug,
        "title": title,
        "status": status_code,
        "detail": detail,
        **extra,
    }
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def field_errors(detail: Any, path: str = "") -> list[dict[str, str]]:
    """Flatten DRF's nested error structure into RFC 9457 `errors` entries."""
    if isinstance(detail, dict):
        return [e for key, value in detail.items() for e in field_errors(value, f"{path}/{key}")]
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            field = path.lstrip("/").split("/")[0] or "non_field_errors"
            return [{"field": field, "pointer": path or "/", "detail": str(m)} for m in detail]
        return [e for i, item in enumerate(detail) for e in field_errors(item, f"{path}/{i}")]
    return [
        {
            "field": path.lstrip("/") or "non_field_errors",
            "pointer": path or "/",
            "detail": str(detail),
        }
    ]


def _from_drf(exc: exceptions.APIException) -> Response:
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if isinstance(exc, Problem):
        return problem_response(
            status_code=exc.status_code,
            slug=exc.slug,
            title=exc.title,
            detail=str(exc.detail),
            headers=headers,
            **exc.extra,
        )
    slug, title = "error", "Error"
    for cls, cls_slug, cls_title in _DRF_TYPES:
        if isinstance(exc, cls):
            slug, title = cls_slug, cls_title
            break
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        headers["Retry-After"] = str(wait)
        return problem_response(
            status_code=429,
            slug=slug,
            title=title,
            headers=headers,
            detail=f"Too many requests for this token; try again in {wait} seconds.",
        )
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
        return problem_response(
            status_code=400,
            slug=slug,
            title=title,
            headers=headers,
            errors=errors,
            detail=f"Some values are not valid ({fields}); see errors.",
        )
    return problem_response(
        status_code=exc.status_code,
        slug=slug,
        title=title,
        detail=str(exc.detail),
        headers=headers,
    )


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error the views raise, as problem details."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, DjangoPermissionDenied | NotPermitted):
        exc = exceptions.PermissionDenied(str(exc) or "You may not do this.")
    elif isinstance(exc, StaleClaim):
        exc = PreconditionFailed(str(exc), current_version=exc.current_version)
    elif isinstance(exc, WorkflowError):
        exc = Conflict(str(exc))
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(request_too_large())
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: Django's 500 handler (api_server_error below) answers
    set_rollback()
    return _from_drf(exc)


def request_too_large() -> str:
    """What to say when a request body is past DATA_UPLOAD_MAX_MEMORY_SIZE (a paste)."""
    most = settings.MAX_DOCUMENT_BYTES
    return (
        f"The request is larger than the {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes this "
        f"service accepts (DATA_UPLOAD_MAX_MEMORY_SIZE): text over the {most:,}-byte limit "
        "(MAX_DOCUMENT_BYTES) cannot be captured; split it into parts."
    )


def _plain_problem(status_code: int, slug: str, title: str, detail: str) -> JsonResponse:
    body = {"type": TYPE_PREFIX + slug, "title": title, "status": status_code, "detail": detail}
    return JsonResponse(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Django's 404 for URLs under /api/ that match no endpoint."""
    return _plain_problem(
        status.HTTP_404_NOT_FOUND,
        "not-found",
        "Not found",
        f"There is no API endpoint at {request.path}; see /api/v1/docs/.",
    )


def api_server_error(request: HttpRequest) -> JsonResponse:
    return _plain_problem(
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        "server-error",
        "Server error",
        "Something went wrong on our side; it was logged. Try again later.",
    )
