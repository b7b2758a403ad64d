from __future__ import annotations

import pytest

from claims.models import Claim, Review
from claims.workflow import (
    NotPermitted,
    StaleClaim,
    WorkflowError,
    claim_edit,
    claim_transition,
    claims_assign,
)
from tests.factories import edit_claim, ingest_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def claim() -> Claim:
    ingest_text()
    return Claim.objects.filter(kind="quantitative").order_by("span_start").first()


def move(claim, actor, to_status, rationale="checked against the source", **kw):
    return claim_transition(
        claim=claim, actor=actor, to_status=to_status, rationale=rationale, origin="admin", **kw
    )


def test_a_claim_is_reviewed_then_verified_with_a_logged_decision(claim, checker):
    move(claim, checker, "in_review")
    decision = move(claim, checker, "verified", confidence="very_likely")

    claim.refresh_from_db()
    assert (claim.status, claim.confidence, claim.version) == ("verified", "very_likely", 3)
    review = decision.review
    assert (review.from_status, review.to_status, review.reviewer) == (
        "in_review",
        "verified",
        checker,
    )
    assert Review.objects.filter(claim=claim).count() == 2
    latest = claim.history.first()
    assert (latest.history_user, latest.origin) == (checker, "admin")
    assert latest.history_change_reason == "checked against the source"


@pytest.mark.parametrize(
    ("start", "target", "message"),
    [
        ("unreviewed", "verified", "cannot become verified"),
        ("in_review", "unreviewed", "cannot become unreviewed"),
        ("in_review", "nonsense", "is not a status"),
    ],
)
def test_moves_outside_the_workflow_are_refused_with_the_allowed_ones(
    claim, checker, start, target, message
):
    if start == "in_review":
        move(claim, checker, "in_review")
    with pytest.raises(WorkflowError, match=message):
        move(claim, checker, target, confidence="likely")
    claim.refresh_from_db()
    assert claim.status == start


def test_a_decision_needs_a_rationale_and_a_confidence(claim, checker):
    move(claim, checker, "in_review")
    with pytest.raises(WorkflowError, match="needs a rationale"):
        move(claim, checker, "refuted", rationale="  ", confidence="unlikely")
    with pytest.raises(WorkflowError, match="needs a confidence band"):
        move(claim, checker, "disputed")
    with pytest.raises(WorkflowError, match="not a confidence band"):
        move(claim, checker, "verified", confidence="pretty_sure")
    move(claim, checker, "unverifiable")  # no confidence needed
    assert list(Review.objects.filter(claim=claim).values_list("to_status", flat=True)) == [
        "unverifiable",
        "in_review",
    ]


def test_only_editors_reopen_a_decided_claim(claim, checker, editor):
    move(claim, checker, "in_review")
    move(claim, checker, "refuted", confidence="unlikely")
    with pytest.raises(NotPermitted, match="reopen_claim"):
        move(claim, checker, "in_review", rationale="new evidence")
    move(claim, editor, "in_review", rationale="new evidence arrived")
    claim.refresh_from_db()
    assert claim.status == "in_review"


def test_an_api_reader_cannot_review(claim, reader):
    with pytest.raises(NotPermitted):
        move(claim, reader, "in_review")


def test_four_eyes_the_last_content_author_cannot_verify(claim, checker, second_checker):
    edit_claim(claim, checker, reason="they are villagers", unit="villager")
    move(claim, checker, "in_review")
    with pytest.raises(WorkflowError, match="Four-eyes"):
        move(claim, checker, "verified", confidence="likely")
    move(claim, second_checker, "verified", confidence="likely")


def test_four_eyes_can_be_turned_off(claim, checker, settings):
    settings.FOUR_EYES = False
    edit_claim(claim, checker, reason="they are villagers", unit="villager")
    move(claim, checker, "in_review")
    move(claim, checker, "verified", confidence="likely")


def test_a_stale_edit_is_refused_and_says_what_changed_meanwhile(claim, checker, second_checker):
    seen = claim.version
    claim_edit(
        claim=claim,
        actor=checker,
        changes={"subject": "village residents"},
        reason="fuller subject",
        seen_version=seen,
        origin="admin",
    )
    with pytest.raises(StaleClaim) as refused:
        claim_edit(
            claim=claim,
            actor=second_checker,
            changes={"unit": "person"},
            reason="my edit",
            seen_version=seen,
            origin="admin",
        )
    assert "fatima set subject" in str(refused.value)
    assert "Nothing was saved" in str(refused.value)
    claim.refresh_from_db()
    assert (claim.subject, claim.unit) == ("village residents", claim.unit)
    assert claim.unit != "person"


def test_a_stale_decision_is_refused(claim, checker, second_checker):
    seen = claim.version
    move(claim, checker, "in_review", seen_version=seen)
    with pytest.raises(StaleClaim):
        move(claim, second_checker, "in_review", seen_version=seen)
    assert Review.objects.filter(claim=claim).count() == 1


def test_status_cannot_be_edited_around_the_workflow(claim, editor):
    with pytest.raises(WorkflowError, match="review decision"):
        claim_edit(
            claim=claim,
            actor=editor,
            changes={"status": "verified"},
            reason="shortcut",
            seen_version=None,
            origin="api",
        )


def test_assignment_to_others_needs_the_assign_permission(claim, checker, editor):
    with pytest.raises(NotPermitted):
        claims_assign(
            claims=[claim], assignee=editor, actor=checker, reason="yours", origin="admin"
        )
    claims_assign(claims=[claim], assignee=checker, actor=checker, reason="mine", origin="admin")
    claims_assign(claims=[claim], assignee=checker, actor=editor, reason="again", origin="admin")
    claim.refresh_from_db()
    assert claim.assignee == checker
    assert claim.history.first().history_change_reason == "mine"
