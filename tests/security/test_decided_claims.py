"""A decision holds for what the claim said: any later change sends it back to review
(issue 14, points 2 and 3)."""

from __future__ import annotations

import pytest

from claims.evidence import evidence_delete, evidence_save
from claims.models import Claim, Evidence, Review
from claims.workflow import WorkflowError, claim_transition
from tests.factories import edit_claim, ingest_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def claims() -> list[Claim]:
    ingest_text()
    return list(Claim.objects.filter(kind="quantitative").order_by("span_start"))


def verify(claim: Claim, actor) -> Claim:
    for status, confidence in (("in_review", ""), ("verified", "very_likely")):
        claim_transition(
            claim=claim,
            actor=actor,
            to_status=status,
            confidence=confidence,
            rationale="checked against the source",
            origin="admin",
        )
    claim.refresh_from_db()
    return claim


def test_editing_a_verified_claim_sends_it_back_to_review(claims, checker, second_checker):
    claim = verify(claims[0], checker)

    edit_claim(claim, checker, value=999999, statement="rewritten", reason="typo")

    claim.refresh_from_db()
    assert (claim.status, claim.value, claim.version) == ("in_review", 999999, 4)
    back = Review.objects.filter(claim=claim).first()
    assert (back.from_status, back.to_status, back.reviewer) == ("verified", "in_review", checker)
    assert "typo" in back.rationale
    latest = claim.history.first()
    assert (latest.status, latest.value, latest.history_user) == ("in_review", 999999, checker)
    # Four-eyes again: the person who changed it cannot verify it, someone else can.
    with pytest.raises(WorkflowError, match="Four-eyes"):
        claim_transition(
            claim=claim,
            actor=checker,
            to_status="verified",
            confidence="likely",
            rationale="fine",
            origin="admin",
        )
    claim_transition(
        claim=claim,
        actor=second_checker,
        to_status="verified",
        confidence="likely",
        rationale="fine",
        origin="admin",
    )


def test_an_edit_of_an_undecided_claim_logs_no_decision(claims, checker):
    claim = claims[0]
    edit_claim(claim, checker, unit="resident", reason="clearer")
    assert not Review.objects.filter(claim=claim).exists()


def test_evidence_added_to_a_verified_claim_sends_it_back_to_review(claims, checker, editor):
    claim = verify(claims[0], checker)
    model = claim.evidence.get()

    evidence_save(
        evidence=Evidence(
            claim=claim,
            snapshot=model.snapshot,
            exact=model.snapshot.text[0:5],
            start=0,
            end=5,
            stance="context",
        ),
        actor=editor,
        reason="a second reading",
        origin="admin",
    )

    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("in_review", 4)
    assert claim.history.first().history_user == editor


def test_evidence_moved_to_another_claim_is_a_change_of_both(claims, checker, editor):
    first, second = verify(claims[0], checker), verify(claims[1], checker)
    evidence = first.evidence.get()

    evidence.claim = second
    evidence_save(evidence=evidence, actor=editor, reason="belongs there", origin="admin")

    for claim, version in ((first, 4), (second, 4)):
        claim.refresh_from_db()
        assert (claim.status, claim.version) == ("in_review", version)
        row = claim.history.first()
        assert (row.history_user, row.history_change_reason) == (editor, "belongs there")


def test_evidence_removed_leaves_a_trace_on_its_claim(claims, checker, editor):
    claim = verify(claims[0], checker)
    before = claim.history.count()

    evidence_delete(
        evidence=claim.evidence.get(), actor=editor, reason="wrong span", origin="admin"
    )

    claim.refresh_from_db()
    assert claim.history.count() == before + 1
    assert (claim.status, claim.version) == ("in_review", 4)
    assert claim.history.first().history_change_reason == "wrong span"


def test_a_fact_checker_cannot_remove_evidence(claims, checker):
    with pytest.raises(WorkflowError, match="delete_evidence"):
        evidence_delete(
            evidence=claims[0].evidence.get(), actor=checker, reason="x", origin="admin"
        )
    assert claims[0].evidence.exists()


def test_evidence_removed_in_the_admin_reaches_the_change_feed(
    client, claims, checker, editor, settings
):
    from rest_framework.test import APIClient

    settings.API_SYNC_SETTLE_SECONDS = 0
    claim = verify(claims[0], checker)
    api = APIClient()
    api.force_authenticate(editor)
    feed = api.get("/api/v1/claims/changes/").json()
    evidence = claim.evidence.get()
    client.force_login(editor)

    response = client.post(
        f"/admin/claims/evidence/{evidence.pk}/delete/", {"post": "yes"}, follow=True
    )

    assert response.status_code == 200
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    claim.refresh_from_db()
    assert claim.status == "in_review"
    later = api.get(feed["next"]).json()
    assert [(c["id"], c["claim"]["version"]) for c in later["results"]] == [(claim.pk, 4)]


def test_evidence_edited_in_the_admin_form_sends_its_claim_back(client, claims, checker, editor):
    claim = verify(claims[0], checker)
    evidence = claim.evidence.get()
    client.force_login(editor)

    response = client.post(
        f"/admin/claims/evidence/{evidence.pk}/change/",
        {
            "claim": claim.pk,
            "snapshot": evidence.snapshot_id,
            "stance": "contradicts",
            "exact": evidence.exact,
            "prefix": evidence.prefix,
            "suffix": evidence.suffix,
            "start": evidence.start,
            "end": evidence.end,
            "credibility": evidence.credibility or "",
            "anchor": evidence.anchor,
            "note": "",
            "change_reason": "stance was wrong",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    claim.refresh_from_db()
    assert claim.status == "in_review"
