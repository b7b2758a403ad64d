"""The OpenAPI schema and the docs: open to anyone, served offline, true to the responses."""

from __future__ import annotations

import json
import os

import pytest

from claims.tokens import issue_token

pytestmark = pytest.mark.django_db

OPENAPI_JSON = "application/vnd.oai.openapi+json"


def _schema(client) -> dict:
    return json.loads(client.get("/api/v1/schema/", HTTP_ACCEPT=OPENAPI_JSON).content)


def test_the_schema_is_open_and_documents_every_endpoint_with_its_problems(anonymous):
    schema = _schema(anonymous)

    paths = schema["paths"]
    assert {
        "/api/v1/claims/",
        "/api/v1/claims/{id}/",
        "/api/v1/claims/changes/",
        "/api/v1/claims/{id}/history/",
        "/api/v1/claims/{id}/evidence/",
        "/api/v1/claims/{id}/provenance/",
        "/api/v1/claims/{id}/claimreview/",
        "/api/v1/sources/",
        "/api/v1/documents/",
        "/api/v1/jobs/{id}/",
        "/api/v1/export/",
    } <= set(paths)
    patch = paths["/api/v1/claims/{id}/"]["patch"]["responses"]
    assert {"200", "400", "401", "403", "404", "409", "412", "413", "415", "428", "429"} <= set(
        patch
    )
    assert "application/problem+json" in patch["412"]["content"]
    assert "304" in paths["/api/v1/claims/"]["get"]["responses"]
    claim = schema["components"]["schemas"]["Claim"]["properties"]
    assert claim["value"]["nullable"] is True and claim["time_start"]["nullable"] is True


def test_swagger_ui_is_served_from_the_project_without_a_cdn(anonymous):
    page = anonymous.get("/api/v1/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_a_claim_as_served_has_exactly_the_documented_fields(editor_api, anonymous, claims):
    schema = _schema(anonymous)["components"]["schemas"]

    claim = editor_api.get(f"/api/v1/claims/{claims['48'].pk}/").json()

    assert set(claim) == set(schema["Claim"]["properties"])
    assert set(claim["evidence"][0]) == set(schema["Evidence"]["properties"])


def test_throttling_answers_429_with_retry_after(reader_api, claims, settings):
    settings.API_THROTTLE_RATE = "2/minute"
    from django.core.cache import cache

    cache.clear()
    codes = [reader_api.get("/api/v1/claims/").status_code for _ in range(3)]
    throttled = reader_api.get("/api/v1/claims/")

    assert codes == [200, 200, 429]
    assert int(throttled["Retry-After"]) > 0
    assert throttled.json()["status"] == 429


def test_an_unknown_api_url_is_a_problem_404(editor_api):
    response = editor_api.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_errors_and_no_schema_violations(claims, editor, settings):
    """Generated requests for every operation with an editor's token: ~30 s at 60 examples."""
    import schemathesis
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import settings as hypothesis_settings
    from schemathesis import checks

    from config.wsgi import application

    settings.API_THROTTLE_RATE = ""
    _, key = issue_token("schemathesis", "editor")
    auth = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    run_checks = [
        checks.not_a_server_error,
        checks.response_schema_conformance,
        checks.status_code_conformance,
        checks.content_type_conformance,
        checks.response_headers_conformance,
    ]
    examples = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "60"))
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case) -> None:
            try:
                case.call_and_validate(headers=auth, checks=run_checks)
            except Exception as exc:  # collect every finding, not just the first
                failures.append(f"{case.operation.label}: {str(exc)[:600]}")

        exercise()

    assert failures == [], "\n\n".join(dict.fromkeys(failures))
