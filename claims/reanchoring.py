"""Carry a document's evidence over to its newer snapshot.

When a document is captured again and its text changed, each piece of evidence on the previous
snapshot is found again in the new text: exact, moved, fuzzy (within a bound), never where the
digits differ. Found quotes become evidence on the new snapshot with that outcome; a quote
that vanished is raised as a "source changed" alert on its claim, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F

from claims.custody.webhooks import alert_event
from claims.models import Alert, AnchorOutcome, Claim, Evidence
from claims.pipeline.bulk import bulk_insert, bulk_update
from claims.workflow import DECIDED, claim_evidence_changed
from sources.models import Snapshot
from verifier.anchoring import Anchor, Reanchored, reanchor

QUOTE_CONTEXT = 32


@dataclass
class CarryOver:
    outcomes: dict[str, int] = field(default_factory=dict)
    spans: set[tuple[int, int]] = field(default_factory=set)


def previous_snapshot(snapshot: Snapshot) -> Snapshot | None:
    return (
        Snapshot.objects.filter(
            document_id=snapshot.document_id, captured_at__lt=snapshot.captured_at
        )
        .order_by("-captured_at", "-id")
        .first()
    )


def evidence_carry_over(*, snapshot: Snapshot, engine: str, batch: int = 500) -> CarryOver:
    """Re-anchor the previous snapshot's evidence in `snapshot`; returns outcomes and spans.

    Runs inside tracked_change, outside any transaction: the quotes are found first (no
    lock held), then written set-based, ``batch`` evidences per short transaction. Idempotent
    (evidence is unique per span, an open alert per evidence), so a rerun after a crash
    writes only what is missing.
    """
    result = CarryOver()
    previous = previous_snapshot(snapshot)
    if previous is None:
        return result
    text = snapshot.text
    olds = list(
        Evidence.objects.filter(snapshot=previous)
        .order_by("id")
        .annotate(status=F("claim__status"))
        .values(*OLD_FIELDS)
    )
    found = []
    for old in olds:
        anchor = Anchor(
            exact=old["exact"],
            prefix=old["prefix"],
            suffix=old["suffix"],
            start=old["start"],
            end=old["end"],
        )
        spot = reanchor(anchor, text)
        result.outcomes[spot.outcome] = result.outcomes.get(spot.outcome, 0) + 1
        if spot.outcome != AnchorOutcome.ORPHANED:
            assert spot.start is not None and spot.end is not None
            result.spans.add((spot.start, spot.end))
        found.append((old, spot))
    for low in range(0, len(found), batch):
        with transaction.atomic():
            _carry_batch(snapshot, previous, found[low : low + batch], engine)
    return result


OLD_FIELDS = (
    "id",
    "claim_id",
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "stance",
    "credibility",
    "status",
)


def _carry_batch(
    snapshot: Snapshot,
    previous: Snapshot,
    found: list[tuple[dict[str, Any], Reanchored]],
    engine: str,
) -> None:
    text = snapshot.text
    orphans = [old for old, spot in found if spot.outcome == AnchorOutcome.ORPHANED]
    alerted = set(
        Alert.objects.filter(
            kind=Alert.Kind.SOURCE_CHANGED,
            snapshot=snapshot,
            resolved_at=None,
            evidence_id__in=[old["id"] for old in orphans],
        ).values_list("evidence_id", flat=True)
    )
    Alert.objects.bulk_create(
        [
            Alert(
                kind=Alert.Kind.SOURCE_CHANGED,
                snapshot=snapshot,
                evidence_id=old["id"],
                message=(
                    f"“{old['exact']}” (claim {old['claim_id']}) is no longer in the document "
                    f"as captured on {snapshot.captured_at:%Y-%m-%d %H:%M}."
                ),
            )
            for old in orphans
            if old["id"] not in alerted
        ],
        ignore_conflicts=True,
    )
    # Webhook subscribers hear of each alert this batch opened (ignore_conflicts leaves the
    # new rows without ids: read them back, the few there are).
    opened = [old["id"] for old in orphans if old["id"] not in alerted]
    if opened:
        for alert in Alert.objects.filter(
            kind=Alert.Kind.SOURCE_CHANGED,
            snapshot=snapshot,
            resolved_at=None,
            evidence_id__in=opened,
        ):
            alert_event(alert)
    carried = [(old, spot) for old, spot in found if spot.outcome != AnchorOutcome.ORPHANED]
    held = set(
        Evidence.objects.filter(
            snapshot=snapshot, claim_id__in=[old["claim_id"] for old, _ in carried]
        ).values_list("claim_id", "start", "end")
    )
    rows, seen = [], set(held)
    for old, spot in carried:
        key = (old["claim_id"], spot.start, spot.end)
        if key in seen:
            continue  # carried over by an earlier run
        seen.add(key)
        assert spot.start is not None and spot.end is not None
        rows.append(
            (
                old,
                {
                    "claim_id": old["claim_id"],
                    "start": spot.start,
                    "end": spot.end,
                    "stance": old["stance"],
                    "exact": text[spot.start : spot.end],
                    "prefix": text[max(0, spot.start - QUOTE_CONTEXT) : spot.start],
                    "suffix": text[spot.end : spot.end + QUOTE_CONTEXT],
                    "credibility": old["credibility"],
                    "anchor": spot.outcome,
                    "note": f"re-anchored from snapshot {previous.pk} ({spot.outcome})",
                },
            )
        )
    bulk_insert(
        Evidence,
        [row for _, row in rows],
        fixed={"snapshot_id": snapshot.pk, "added_by_engine": engine},
    )
    # New evidence is a change of its claim (a new version, a history row). The same quote in
    # a new copy leaves a decision standing; a changed one sends a decided claim back to
    # review, with its Review, through the workflow.
    reopen = {
        old["claim_id"]
        for old, row in rows
        if row["exact"] != old["exact"] and old["status"] in DECIDED
    }
    for claim_id in sorted(reopen):
        claim_evidence_changed(claim_id=claim_id, reopen=True)
    bumped = sorted({old["claim_id"] for old, _ in rows} - reopen)
    bulk_update(Claim, bumped, version=F("version") + 1)
