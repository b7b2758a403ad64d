"""The schema is the contract (issue 14, point 8): what it allows is served, what it forbids
is refused, and no request is a 500."""

from __future__ import annotations

import pytest

from tests.api.conftest import signed_in
from tests.api.test_schema import _schema

pytestmark = pytest.mark.django_db

HUGE = 10**30  # beyond any 64-bit id


@pytest.fixture
def api(editor, claims):
    return signed_in(editor)


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/claims/{HUGE}/",
        f"/api/v1/claims/{HUGE}/history/",
        f"/api/v1/claims/{HUGE}/evidence/",
        f"/api/v1/claims/{HUGE}/lineage/",
        f"/api/v1/sources/{HUGE}/",
        f"/api/v1/documents/{HUGE}/",
        f"/api/v1/jobs/{HUGE}/",
    ],
)
def test_an_id_beyond_the_integer_range_is_not_found(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "query",
    [f"document={HUGE}", f"source={HUGE}", "page_size=0", "page_size=501", "cursor=0",
     "cursor=", "status=", "ordering=", "as_of="],
)  # fmt: skip
def test_values_the_schema_forbids_are_a_400_naming_the_parameter(api, query):
    response = api.get(f"/api/v1/claims/?{query}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == query.split("=")[0]


def test_an_empty_export_format_is_refused_as_the_enum_says(api):
    response = api.get("/api/v1/export/?format=")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "format"


def test_the_schema_states_the_bounds_and_the_precondition(api):
    schema = _schema(api)
    listing = {p["name"]: p for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}
    assert listing["page_size"]["schema"]["minimum"] == 1
    assert listing["page_size"]["schema"]["maximum"] == 500
    assert listing["cursor"]["schema"]["pattern"].startswith("^eyJ")
    assert listing["document"]["schema"]["maximum"] == 2**63 - 1
    patch = schema["paths"]["/api/v1/claims/{id}/"]["patch"]
    if_match = next(p for p in patch["parameters"] if p["name"] == "If-Match")
    assert if_match["required"] is True
    assert {"412", "428"} <= set(patch["responses"])
    assert patch["requestBody"]["required"] is True
