"""Safe updates: If-Match with the claim's ETag, decisions through the review workflow."""

from __future__ import annotations

import pytest

from claims.models import Claim, Review
from claims.workflow import claim_edit

pytestmark = pytest.mark.django_db


def _etag(api, claim: Claim) -> str:
    return api.get(f"/api/v1/claims/{claim.pk}/")["ETag"]


def test_a_decision_needs_if_match_428_without_it(checker_api, claims):
    claim = claims["more than 3,000"]

    response = checker_api.patch(
        f"/api/v1/claims/{claim.pk}/", {"status": "in_review", "rationale": "mine"}, format="json"
    )

    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert Claim.objects.get(pk=claim.pk).status == "unreviewed"


def test_a_stale_etag_is_refused_with_412_and_the_current_one(checker_api, claims, editor):
    claim = claims["more than 3,000"]
    seen = _etag(checker_api, claim)
    claim_edit(
        claim=claim,
        actor=editor,
        changes={"subject": "evacuees"},
        reason="meanwhile",
        seen_version=None,
        origin="admin",
    )

    response = checker_api.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"status": "in_review", "rationale": "mine"},
        format="json",
        HTTP_IF_MATCH=seen,
    )

    assert response.status_code == 412
    assert response.json()["current_etag"] == _etag(checker_api, claim)
    assert Claim.objects.get(pk=claim.pk).status == "unreviewed"


def test_a_decision_goes_through_the_workflow_and_answers_with_the_new_etag(checker_api, claims):
    claim = claims["more than 3,000"]
    url = f"/api/v1/claims/{claim.pk}/"
    started = checker_api.patch(
        url,
        {"status": "in_review", "rationale": "taking it"},
        format="json",
        HTTP_IF_MATCH=_etag(checker_api, claim),
    )

    verified = checker_api.patch(
        url,
        {"status": "verified", "confidence": "likely", "rationale": "matches the ministry"},
        format="json",
        HTTP_IF_MATCH=started["ETag"],
    )

    assert verified.status_code == 200
    assert verified.json()["status"] == "verified"
    assert verified.json()["confidence"] == "likely"
    assert verified["ETag"] == verified.json()["etag"] != started["ETag"]
    review = Review.objects.filter(claim=claim).latest("id")
    assert (review.to_status, review.rationale, review.origin) == (
        "verified",
        "matches the ministry",
        "api",
    )
    last = claim.history.latest("history_id")
    assert (last.origin, last.history_change_reason) == ("api", "matches the ministry")


def test_verifying_without_a_confidence_band_is_a_400_naming_it(checker_api, claims):
    claim = claims["more than 3,000"]

    response = checker_api.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"status": "verified", "rationale": "sure"},
        format="json",
        HTTP_IF_MATCH=_etag(checker_api, claim),
    )

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["confidence"]


def test_a_move_the_workflow_forbids_is_a_409_with_its_reason(checker_api, claims):
    claim = claims["more than 3,000"]  # unreviewed: it must go to review first

    response = checker_api.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"status": "refuted", "confidence": "unlikely", "rationale": "wrong"},
        format="json",
        HTTP_IF_MATCH=_etag(checker_api, claim),
    )

    assert response.status_code == 409
    assert "cannot become refuted" in response.json()["detail"]


def test_four_eyes_keeps_the_last_editor_from_verifying(checker_api, claims):
    claim = claims["more than 3,000"]
    url = f"/api/v1/claims/{claim.pk}/"
    edited = checker_api.patch(
        url,
        {"subject": "evacuees", "rationale": "clearer"},
        format="json",
        HTTP_IF_MATCH=_etag(checker_api, claim),
    )
    started = checker_api.patch(
        url,
        {"status": "in_review", "rationale": "go"},
        format="json",
        HTTP_IF_MATCH=edited["ETag"],
    )

    response = checker_api.patch(
        url,
        {"status": "verified", "confidence": "likely", "rationale": "ok"},
        format="json",
        HTTP_IF_MATCH=started["ETag"],
    )

    assert edited.status_code == 200 and edited.json()["subject"] == "evacuees"
    assert response.status_code == 409
    assert "Four-eyes" in response.json()["detail"]


def test_reopening_is_for_editors_only(checker_api, editor_api, claims):
    claim = claims["48"]  # verified
    body = {"status": "in_review", "rationale": "new evidence"}

    refused = checker_api.patch(
        f"/api/v1/claims/{claim.pk}/", body, format="json", HTTP_IF_MATCH=_etag(checker_api, claim)
    )
    reopened = editor_api.patch(
        f"/api/v1/claims/{claim.pk}/", body, format="json", HTTP_IF_MATCH=_etag(editor_api, claim)
    )

    assert refused.status_code == 403
    assert reopened.status_code == 200 and reopened.json()["status"] == "in_review"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "in_review"}, "rationale"),
        ({"rationale": "why"}, "non_field_errors"),
        ({"status": "in_review", "subject": "x", "rationale": "why"}, "status"),
        ({"confidence": "likely", "rationale": "why"}, "confidence"),
        ({"version": 9, "rationale": "why"}, "version"),
        ({"status": "unreviewed", "rationale": "why"}, "status"),
    ],
)
def test_a_malformed_patch_is_a_400_naming_the_field(checker_api, claims, body, field):
    claim = claims["more than 3,000"]

    response = checker_api.patch(
        f"/api/v1/claims/{claim.pk}/", body, format="json", HTTP_IF_MATCH=_etag(checker_api, claim)
    )

    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["errors"]}


def test_a_patch_that_is_not_json_is_a_415(checker_api, claims):
    claim = claims["more than 3,000"]

    response = checker_api.patch(
        f"/api/v1/claims/{claim.pk}/",
        "status=in_review",
        content_type="text/plain",
        HTTP_IF_MATCH=_etag(checker_api, claim),
    )

    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"


def test_a_patch_body_over_the_limit_is_a_413(checker_api, claims, settings):
    settings.API_MAX_BODY_BYTES = 100
    claim = claims["more than 3,000"]

    response = checker_api.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"subject": "x" * 200, "rationale": "long"},
        format="json",
        HTTP_IF_MATCH=_etag(checker_api, claim),
    )

    assert response.status_code == 413
