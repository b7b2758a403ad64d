"""Every operation x every role: anonymous, an API-reader token, a fact-checker, an editor."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "reader", "checker", "editor")
V, U = "{verified}", "{unreviewed}"  # a verified claim, an unreviewed one

# (method, path, body, expected status for anonymous, reader, checker, editor)
MATRIX = [
    ("get", "/api/v1/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/claims/", None, (401, 200, 200, 200)),
    ("get", f"/api/v1/claims/{V}/", None, (401, 200, 200, 200)),
    ("get", f"/api/v1/claims/{U}/", None, (401, 404, 200, 200)),
    ("get", f"/api/v1/claims/{V}/history/", None, (401, 403, 200, 200)),
    ("get", f"/api/v1/claims/{U}/history/", None, (401, 403, 200, 200)),
    ("get", f"/api/v1/claims/{V}/evidence/", None, (401, 200, 200, 200)),
    ("get", f"/api/v1/claims/{V}/provenance/", None, (401, 403, 200, 200)),
    ("get", f"/api/v1/claims/{U}/provenance/", None, (401, 403, 200, 200)),
    ("get", f"/api/v1/claims/{V}/claimreview/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/claims/changes/", None, (401, 200, 200, 200)),
    ("patch", f"/api/v1/claims/{U}/", "decision", (401, 403, 200, 200)),
    ("patch", f"/api/v1/claims/{U}/", "edit", (401, 403, 200, 200)),
    ("get", "/api/v1/sources/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/sources/{source}/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/documents/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/documents/{document}/", None, (401, 200, 200, 200)),
    ("post", "/api/v1/documents/", "text", (401, 403, 403, 202)),
    ("get", "/api/v1/jobs/{job}/", None, (401, 403, 200, 200)),
    ("get", "/api/v1/export/?format=jsonl", None, (401, 200, 200, 200)),
    ("get", "/api/v1/export/?format=csv", None, (401, 200, 200, 200)),
    ("get", "/api/v1/schema/", None, (200, 200, 200, 200)),
    ("get", "/api/v1/docs/", None, (200, 200, 200, 200)),
]
BODIES: dict[str, dict[str, Any]] = {
    "decision": {"status": "in_review", "rationale": "taking it"},
    "edit": {"subject": "evacuated people", "rationale": "clearer subject"},
    "text": {"text": "On Monday 12 shelters opened.", "source": "Matrix", "title": "Matrix"},
}


@pytest.fixture
def clients(anonymous, reader_api, checker_api, editor_api) -> dict[str, APIClient]:
    return {
        "anonymous": anonymous,
        "reader": reader_api,
        "checker": checker_api,
        "editor": editor_api,
    }


@pytest.mark.parametrize(
    ("method", "path", "body", "role", "expected"),
    [
        pytest.param(m, p, b, role, codes[i], id=f"{m} {p} {b or ''} as {role}")
        for m, p, b, codes in MATRIX
        for i, role in enumerate(ROLES)
    ],
)
def test_each_role_gets_what_its_permissions_allow(
    clients, claims, report, editor_api, method, path, body, role, expected
):
    ids = {
        "verified": claims["48"].pk,
        "unreviewed": claims["more than 3,000"].pk,
        "source": report.snapshot.document.source_id,
        "document": report.snapshot.document_id,
        "job": report.job.pk,
    }
    url = path.format(**ids)
    headers = {}
    if method == "patch":
        headers["HTTP_IF_MATCH"] = editor_api.get(url)["ETag"]

    response = getattr(clients[role], method)(url, BODIES.get(body), format="json", **headers)

    assert response.status_code == expected, response.content[:300]
    if expected >= 400:
        assert response["Content-Type"] == "application/problem+json"
