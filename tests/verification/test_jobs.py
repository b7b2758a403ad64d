"""Verification jobs: groups, contradictions and scores are written once and stay put."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from claims.models import Claim, ClaimGroup, ClaimRelation, Job, Review
from claims.selectors import claim_contradictions, claim_lineage, claims_held_as_of
from claims.verification import claims_verify
from claims.workflow import claim_transition
from tests.conftest import services_missing
from tests.verification.reports import REPORTS, children_claims, ingest_reports, make_sources

pytestmark = pytest.mark.django_db(transaction=True)


def _state() -> tuple:
    claims = tuple(
        Claim.objects.order_by("id").values_list(
            "id", "group_id", "corroborations", "machine_score", "machine_explanation", "status"
        )
    )
    relations = tuple(
        ClaimRelation.objects.order_by("claim_id", "other_id").values_list(
            "claim_id", "other_id", "kind", "explanation"
        )
    )
    return claims, relations, ClaimGroup.objects.count()


def test_ingesting_reports_queues_verification_and_groups_the_same_event():
    make_sources()
    ingest_reports()

    assert Job.objects.filter(kind=Job.Kind.VERIFY_CLAIMS, state="succeeded").count() == 3
    by_source = children_claims()
    isw, kyiv, channel = (
        by_source["Study Institute"],
        by_source["Kyiv Daily"],
        by_source["Channel Z"],
    )
    assert isw.group_id == kyiv.group_id == channel.group_id is not None
    assert [c["id"] for c in claim_contradictions(isw)] == [channel.pk]
    assert {c["id"] for c in claim_contradictions(channel)} == {isw.pk, kyiv.pk}
    assert "45 child" in claim_contradictions(channel)[0]["explanation"]
    assert isw.corroborations == 2
    assert channel.corroborations == 1
    assert isw.machine_score > channel.machine_score
    assert "2 independent sources" in isw.machine_explanation
    assert "contradicted by claim" in isw.machine_explanation


def test_the_part_is_recorded_against_the_aggregate_without_merging_their_groups():
    make_sources()
    ingest_reports()
    by_source = children_claims()
    isw, kyiv = by_source["Study Institute"], by_source["Kyiv Daily"]
    total = Claim.objects.get(unit="ukrainian")

    relation = ClaimRelation.objects.get(claim=kyiv, other=total)
    assert relation.kind == "part_of"
    assert ClaimRelation.objects.get(claim=total, other=kyiv).kind == "contains"
    assert total.group_id != kyiv.group_id
    # The report's own two figures: nothing in its text says one is part of the other.
    assert not ClaimRelation.objects.filter(claim=isw, other=total).exists()


def test_running_verification_twice_changes_nothing():
    make_sources()
    ingest_reports()
    ids = list(Claim.objects.values_list("id", flat=True))
    before = _state()
    history_rows = Claim.history.count()

    result = claims_verify(claim_ids=ids)

    assert _state() == before
    assert Claim.history.count() == history_rows
    assert result["claims_written"] == 0 and result["relations_written"] == 0


def test_verify_all_recomputes_everything_the_same_way():
    make_sources()
    ingest_reports()
    before = _state()
    ClaimRelation.objects.all().delete()

    call_command("verify_all", "--batch", "2", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert _state() == before


def test_a_new_contradiction_reopens_a_verified_claim_with_a_review(editor, checker):
    make_sources()
    ingest_reports(REPORTS[:2])
    isw = children_claims()["Study Institute"]
    claim_transition(
        claim=isw, actor=checker, to_status="in_review", rationale="look", origin="admin"
    )
    claim_transition(
        claim=isw,
        actor=checker,
        to_status="verified",
        rationale="two sources agree",
        confidence="likely",
        origin="admin",
    )
    ingest_reports(REPORTS[2:])

    isw.refresh_from_db()
    assert isw.status == "in_review"
    assert isw.confidence == "likely", "the engine never touches a person's confidence"
    review = isw.reviews.first()
    assert (review.reviewer, review.origin, review.to_status) == (None, "task", "in_review")
    assert "45 child" in review.rationale
    assert isw.history.first().origin == "task"
    # The contradiction is not new the second time: the claim stays as the reviewer leaves it.
    claims_verify(claim_ids=[isw.pk])
    assert Review.objects.filter(claim=isw, origin="task").count() == 1


def test_a_refuted_rival_no_longer_counts_against_the_claim(editor):
    make_sources()
    ingest_reports()
    by_source = children_claims()
    isw, channel = by_source["Study Institute"], by_source["Channel Z"]
    score_before = isw.machine_score
    claim_transition(
        claim=channel, actor=editor, to_status="in_review", rationale="check", origin="admin"
    )
    claim_transition(
        claim=channel,
        actor=editor,
        to_status="refuted",
        rationale="the channel corrected itself",
        confidence="very_likely",
        origin="admin",
    )
    isw.refresh_from_db()
    assert isw.machine_score > score_before
    assert "contradicted" not in isw.machine_explanation


def test_lineage_answers_what_we_held_on_a_date():
    make_sources()
    ingest_reports()
    group = children_claims()["Study Institute"].group
    series = claim_lineage(group)
    assert [p.reported.isoformat() for p in series] == ["2025-04-01", "2025-04-02", "2025-04-03"]
    # The claims were recorded today: on an earlier day we held none of them.
    assert claims_held_as_of(group=group, as_of=date(2025, 4, 2)) == []
    assert [p.value for p in claim_lineage(group, as_of=date.today())] == [39, 39, 45]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_recomputes_do_not_duplicate_groups_or_relations():
    if services_missing() or connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for concurrent transactions")
    make_sources()
    ingest_reports()
    ids = list(Claim.objects.values_list("id", flat=True))
    ClaimRelation.objects.all().delete()
    with_groups = list(Claim.objects.values_list("id", flat=True))
    errors: list[BaseException] = []

    def run() -> None:
        try:
            claims_verify(claim_ids=ids)
        except BaseException as exc:  # report it to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert len(with_groups) == len(ids)
    pairs = list(ClaimRelation.objects.values_list("claim_id", "other_id"))
    assert len(pairs) == len(set(pairs)) > 0
    isw = children_claims()["Study Institute"]
    assert Claim.objects.filter(group_id=isw.group_id).count() == 3
    assert ClaimGroup.objects.count() == Claim.objects.values("group_id").distinct().count()
