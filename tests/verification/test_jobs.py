"""Verification jobs: groups, contradictions and scores are written once and stay put."""

from __future__ import annotations

import threading
from datetime import date
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from claims.jobs import job_run
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


def _queued_verifications() -> list[Job]:
    """The three reports extracted with their verification jobs left queued, as on a busy
    worker where extractions run ahead of verification."""
    make_sources()
    # One extraction job a report (no extraction take-over), so that each queues its own
    # verification: the take-over of verification jobs is what these tests are about.
    with mock.patch("claims.jobs.job_dispatch"), override_settings(JOB_EXTRACT_MERGE_CHARS=0):
        ingest_reports()
        for job in Job.objects.filter(kind=Job.Kind.EXTRACT_CLAIMS).order_by("id"):
            job_run(job_id=job.pk, heartbeat_thread=False)
    jobs = list(Job.objects.filter(kind=Job.Kind.VERIFY_CLAIMS).order_by("id"))
    assert len(jobs) == 3 and {j.state for j in jobs} == {"queued"}
    return jobs


def test_a_verification_job_takes_over_the_queued_ones_and_verifies_their_claims_once():
    first, second, third = _queued_verifications()
    all_ids = sorted(i for j in (first, second, third) for i in j.payload["claim_ids"])

    assert job_run(job_id=first.pk, heartbeat_thread=False) == "succeeded"

    first.refresh_from_db()
    assert first.payload["claim_ids"] == all_ids
    assert first.payload["took_over"] == [second.pk, third.pk]
    assert first.result["claims"] == len(all_ids) and first.result["took_over"] == 2
    for job in (second, third):
        job.refresh_from_db()
        assert job.state == "succeeded" and job.progress == 1.0
        assert job.result["merged_into"] == first.pk
        assert job.result["claims"] == len(job.payload["claim_ids"])
    # The claims of all three reports were compared with each other and scored.
    by_source = children_claims()
    isw, kyiv, channel = (by_source[s] for s in ("Study Institute", "Kyiv Daily", "Channel Z"))
    assert isw.group_id == kyiv.group_id == channel.group_id is not None
    assert isw.corroborations == 2
    assert {c["id"] for c in claim_contradictions(channel)} == {isw.pk, kyiv.pk}
    # The late messages of the jobs taken over find them ended and write nothing.
    before, history_rows = _state(), Claim.history.count()
    assert job_run(job_id=second.pk, heartbeat_thread=False) == "nothing to do: already succeeded"
    assert _state() == before and Claim.history.count() == history_rows


def test_the_merged_job_reaches_what_one_job_a_document_reaches():
    jobs = _queued_verifications()
    for job in jobs:
        # One job a document, in order (the merging turned off).
        with override_settings(JOB_VERIFY_MERGE_CLAIMS=0):
            job_run(job_id=job.pk, heartbeat_thread=False)
    one_by_one = _state()[0]
    assert all("took_over" not in Job.objects.get(pk=j.pk).payload for j in jobs)

    ids = [i for j in jobs for i in j.payload["claim_ids"]]
    Claim.objects.filter(id__in=ids).update(machine_score=None, machine_explanation="")
    claims_verify(claim_ids=ids)

    # Scores, corroborations and explanations are the same (group ids may be numbered anew).
    def scores(state: tuple) -> list[tuple]:
        return [(pk, corr, score, text, status) for pk, _, corr, score, text, status in state]

    assert scores(_state()[0]) == scores(one_by_one)


def test_a_take_over_stays_within_its_claim_limit_and_leaves_the_rest_queued(settings):
    first, second, third = _queued_verifications()
    own, theirs = len(first.payload["claim_ids"]), len(second.payload["claim_ids"])
    settings.JOB_VERIFY_MERGE_CLAIMS = own + theirs  # room for the second job, not the third

    job_run(job_id=first.pk, heartbeat_thread=False)

    first.refresh_from_db()
    assert first.payload["took_over"] == [second.pk]
    assert Job.objects.get(pk=second.pk).result["merged_into"] == first.pk
    assert Job.objects.get(pk=third.pk).state == "queued"
    assert job_run(job_id=third.pk, heartbeat_thread=False) == "succeeded"
    assert "took_over" not in Job.objects.get(pk=third.pk).payload


def test_a_resumed_verification_takes_nothing_over():
    first, second, third = _queued_verifications()
    # A run that committed its first batch and stopped: its checkpoint counts into its ids.
    Job.objects.filter(pk=first.pk).update(checkpoint={"next": 1, "totals": {}})

    job_run(job_id=first.pk, heartbeat_thread=False)

    first.refresh_from_db()
    assert "took_over" not in first.payload
    assert Job.objects.get(pk=second.pk).state == Job.State.QUEUED
    assert Job.objects.get(pk=third.pk).state == Job.State.QUEUED
