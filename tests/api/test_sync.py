"""Incremental sync through claims/changes/: no change skipped or repeated, tombstones."""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection, transaction

from claims.models import Claim
from claims.workflow import claim_edit
from sources.history import tracked_change
from tests.api.conftest import decide

# Real commits, and sequences restarted: ids left unused by an earlier test's rollback would
# be gaps the feed rightly waits on (until API_SYNC_SETTLE_SECONDS).
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)


def _drain(api: Any, url: str) -> tuple[list[dict[str, Any]], str]:
    """Follow `next` until caught up; returns the changes and where to resume later."""
    changes: list[dict[str, Any]] = []
    while True:
        page = api.get(url).json()
        changes += page["results"]
        url = page["next"]
        if page["caught_up"]:
            return changes, url


def _edit(claim: Claim, actor: Any, subject: str) -> Claim:
    return claim_edit(
        claim=claim,
        actor=actor,
        changes={"subject": subject},
        reason="sync test",
        seen_version=None,
        origin="command",
    )


def test_a_consumer_gets_every_claim_once_then_only_what_changed(editor_api, claims, editor):
    changes, resume = _drain(editor_api, "/api/v1/claims/changes/?page_size=1")
    _edit(claims["more than 3,000"], editor, "evacuees")
    later, _ = _drain(editor_api, resume)

    ids = [c["id"] for c in changes]
    assert sorted(ids) == sorted(Claim.objects.values_list("id", flat=True))
    assert len(ids) == len(set(ids))
    assert [(c["id"], c["claim"]["subject"]) for c in later] == [
        (claims["more than 3,000"].pk, "evacuees")
    ]


def test_updated_since_starts_the_feed_at_that_instant(editor_api, claims, editor):
    claim = _edit(claims["more than 3,000"], editor, "evacuees")
    since = claim.history.latest("history_id").history_date.isoformat()

    changes, _ = _drain(editor_api, f"/api/v1/claims/changes/?updated_since={quote(since)}")

    assert [c["id"] for c in changes] == [claim.pk]


def test_a_deleted_claim_comes_as_a_tombstone(editor_api, claims):
    _, resume = _drain(editor_api, "/api/v1/claims/changes/")
    claim = claims["more than 3,000"]
    with tracked_change(origin="admin", reason="duplicate"):
        Claim.objects.get(pk=claim.pk).delete()

    later, _ = _drain(editor_api, resume)

    assert [(c["id"], c["change"], c["reason"], c["claim"]) for c in later] == [
        (claim.pk, "tombstone", "deleted", None)
    ]


def test_a_reader_sees_verified_claims_and_a_tombstone_when_one_is_reopened(
    reader_api, claims, editor
):
    changes, resume = _drain(reader_api, "/api/v1/claims/changes/")
    decide(claims["48"], editor, "in_review")

    later, _ = _drain(reader_api, resume)

    assert [(c["id"], c["change"]) for c in changes] == [(claims["48"].pk, "upsert")]
    assert [(c["id"], c["change"], c["reason"]) for c in later] == [
        (claims["48"].pk, "tombstone", "retracted")
    ]


def test_the_feed_waits_at_a_gap_until_it_settles(editor_api, claims, editor, settings):
    """A missing history id may be a transaction still in flight: nothing after it is served
    until it appears or is older than API_SYNC_SETTLE_SECONDS."""
    _, resume = _drain(editor_api, "/api/v1/claims/changes/")
    _edit(claims["48"], editor, "residents a")
    _edit(claims["more than 3,000"], editor, "people b")
    Claim.history.filter(id=claims["48"].pk).latest("history_id").delete()  # the "in flight" row

    settle_wait = editor_api.get(resume).json()
    settings.API_SYNC_SETTLE_SECONDS = 0
    settled = editor_api.get(resume).json()

    assert settle_wait["results"] == [] and settle_wait["caught_up"]
    assert [c["id"] for c in settled["results"]] == [claims["more than 3,000"].pk]


@pytest.mark.services
def test_a_change_committed_late_is_neither_skipped_nor_repeated(
    editor_api, editor, django_capture_on_commit_callbacks
):
    """PostgreSQL: transaction A takes its history id first but commits after B."""
    from tests.factories import ingest_text

    ingest_text()
    first, second = Claim.objects.order_by("id")[:2]
    _, resume = _drain(editor_api, "/api/v1/claims/changes/")
    a_wrote, b_committed = threading.Event(), threading.Event()

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                _edit(first, editor, "slow")
                a_wrote.set()
                b_committed.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    a_wrote.wait(10)
    _edit(second, editor, "fast")  # B: a higher history id, committed first
    while_a_open, resume = _drain(editor_api, resume)
    b_committed.set()
    thread.join()
    after_a, _ = _drain(editor_api, resume)

    assert while_a_open == []  # B waits behind A's id instead of being passed over
    assert sorted(c["id"] for c in after_a) == sorted([first.pk, second.pk])


@pytest.mark.django_db(transaction=True)
def test_evidence_carried_to_a_new_capture_reaches_the_change_feed(editor_api, settings):
    from claims.models import Claim
    from tests.factories import ingest_text

    settings.API_SYNC_SETTLE_SECONDS = 0
    text = "Officials said 48 residents were evacuated from the village on Monday.\n"
    ingest_text(text, title="Evacuations")
    claim = Claim.objects.get(quote="48")
    first = editor_api.get("/api/v1/claims/changes/").json()
    ingest_text("Update at 18:00.\n\n" + text, title="Evacuations")

    after = editor_api.get(first["next"]).json()

    items = [r for r in after["results"] if r["id"] == claim.pk]
    assert items and len(items[0]["claim"]["evidence"]) == 2
