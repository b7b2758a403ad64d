"""Provenance as W3C PROV-JSON and the claim as schema.org ClaimReview."""

from __future__ import annotations

import json

import pytest
from prov.model import ProvDocument

pytestmark = pytest.mark.django_db


def test_provenance_reads_back_as_a_prov_document_with_hashes_and_reviewers(
    checker_api, claims, report, checker
):
    response = checker_api.get(f"/api/v1/claims/{claims['48'].pk}/provenance/")

    document = ProvDocument.deserialize(content=json.dumps(response.json()), format="json")
    records = {str(r.identifier): r for r in document.get_records() if r.identifier}
    snapshot = records[f"cv:snapshot/{report.snapshot.pk}"]
    attributes = {str(k): v for k, v in snapshot.attributes}
    assert attributes["cv:sha256"] == report.snapshot.sha256
    assert attributes["cv:textSha256"] == report.snapshot.text_sha256
    assert f"cv:source/{report.snapshot.document.source_id}" in records
    assert f"cv:capture/{report.snapshot.pk}" in records
    assert f"cv:person/{checker.username}" in records
    reviews = [k for k in records if k.startswith("cv:review/")]
    assert len(reviews) == 2  # started review, verified
    assert any(k.startswith("cv:extraction/") for k in records)


def test_claimreview_names_the_rating_scale_status_originator_and_sources(
    reader_api, claims, report, settings
):
    settings.REVIEWING_ORGANISATION = "Kyiv Desk"

    response = reader_api.get(f"/api/v1/claims/{claims['48'].pk}/claimreview/")

    review = response.json()
    assert response["Content-Type"] == "application/ld+json"
    assert review["@type"] == "ClaimReview"
    assert review["author"] == {"@type": "Organization", "name": "Kyiv Desk"}
    assert review["claimReviewed"] == claims["48"].statement
    rating = review["reviewRating"]
    assert (rating["ratingValue"], rating["worstRating"], rating["bestRating"]) == (6, 1, 7)
    assert rating["alternateName"] == "verified"
    assert rating["name"] == "Very likely (80-95 %)"
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["name"] in {claims["48"].attributed_to, "Test Outlet"}
    assert item["appearance"][0]["headline"] == "Test report"
    assert review["datePublished"]
