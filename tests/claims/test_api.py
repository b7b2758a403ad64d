from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api(editor) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return client


def test_anonymous_requests_are_refused():
    response = APIClient().get("/api/v1/claims/")
    assert response.status_code == 401


def test_a_tool_pulls_claims_with_their_evidence_selectors(api):
    snapshot = ingest_text().snapshot

    response = api.get("/api/v1/claims/")

    assert response.status_code == 200
    claims = response.json()["results"]
    quantities = {c["quote"]: c for c in claims if c["kind"] == "quantitative"}
    assert quantities["48"]["value"] == 48
    assert quantities["more than 3,000"]["qualifier"] == "more_than"
    quote, position = quantities["48"]["evidence"][0]["selectors"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == "48"
    assert snapshot.text[position["start"] : position["end"]] == "48"
    assert quantities["48"]["evidence"][0]["snapshot_sha256"] == snapshot.sha256


def test_a_tool_follows_a_job_and_a_document_to_its_snapshots(api):
    result = ingest_text()

    job = api.get(f"/api/v1/jobs/{result.job.pk}/").json()
    document = api.get(f"/api/v1/documents/{result.snapshot.document_id}/").json()

    assert job["state"] == "succeeded" and job["attempts"] == 1
    assert document["snapshots"][0]["sha256"] == result.snapshot.sha256
    assert api.get("/api/v1/").status_code == 200
