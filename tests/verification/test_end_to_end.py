"""Three reports through a real Celery worker over Redis, on PostgreSQL: groups,
contradictions and scores come out of the verification jobs."""

from __future__ import annotations

import time

import pytest

from claims.models import Claim, Job
from claims.selectors import claim_contradictions
from tests.claims.test_worker import wait_for_job, worker  # noqa: F401 (the fixture)
from tests.verification.reports import children_claims, ingest_reports, make_sources

pytestmark = [pytest.mark.services, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_for_verification(seconds: float = 90) -> list[Job]:
    """The verification jobs once every stored claim was in one that ended (small reports'
    extractions may be taken over by one job, which queues one verification for them all)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        jobs = list(Job.objects.filter(kind=Job.Kind.VERIFY_CLAIMS).order_by("id"))
        covered = {i for j in jobs for i in j.payload.get("claim_ids", [])}
        claims = set(Claim.objects.values_list("pk", flat=True))
        ended = all(j.state in ("succeeded", "failed") for j in jobs)
        if jobs and ended and claims <= covered:
            return jobs
        time.sleep(0.25)
    raise AssertionError(f"verification jobs not done after {seconds}s: {jobs}")


def test_three_reports_give_one_group_one_contradiction_and_ranked_scores(worker):  # noqa: F811
    make_sources()

    for result in ingest_reports():
        extraction = wait_for_job(result.job.pk)
        assert extraction.state == Job.State.SUCCEEDED, extraction.last_error
    jobs = _wait_for_verification()

    assert all(j.state == Job.State.SUCCEEDED for j in jobs), [j.last_error for j in jobs]
    by_source = children_claims()
    isw, kyiv, channel = (by_source[n] for n in ("Study Institute", "Kyiv Daily", "Channel Z"))
    assert isw.group_id == kyiv.group_id == channel.group_id is not None
    assert isw.corroborations == kyiv.corroborations == 2
    assert channel.corroborations == 1
    assert [c["id"] for c in claim_contradictions(kyiv)] == [channel.pk]
    assert {c["id"] for c in claim_contradictions(channel)} == {isw.pk, kyiv.pk}
    assert min(isw.machine_score, kyiv.machine_score) > channel.machine_score
    assert "graded E" in channel.machine_explanation
    aggregate = Claim.objects.get(unit="ukrainian")
    assert aggregate.group_id != isw.group_id
    assert kyiv.relations.get(other=aggregate).kind == "part_of"
    assert worker.poll() is None, "the worker must keep running"
