"""Carry a document's evidence over to its newer snapshot.

When a document is captured again and its text changed, each piece of evidence on the previous
snapshot is found again in the new text: exact, moved, fuzzy (within a bound), never where the
digits differ. Found quotes become evidence on the new snapshot with that outcome; a quote
that vanished is raised as a "source changed" alert on its claim, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from claims.models import Alert, AnchorOutcome, Evidence
from claims.workflow import claim_evidence_changed
from sources.models import Snapshot
from verifier.anchoring import Anchor, reanchor

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


def evidence_carry_over(*, snapshot: Snapshot, engine: str) -> CarryOver:
    """Re-anchor the previous snapshot's evidence in `snapshot`; returns outcomes and spans.

    Runs inside tracked_change and a transaction; idempotent (evidence is unique per span).
    """
    result = CarryOver()
    previous = previous_snapshot(snapshot)
    if previous is None:
        return result
    text = snapshot.text
    for old in Evidence.objects.filter(snapshot=previous).select_related("claim"):
        anchor = Anchor(
            exact=old.exact, prefix=old.prefix, suffix=old.suffix, start=old.start, end=old.end
        )
        found = reanchor(anchor, text)
        result.outcomes[found.outcome] = result.outcomes.get(found.outcome, 0) + 1
        if found.outcome == AnchorOutcome.ORPHANED:
            Alert.objects.get_or_create(
                kind=Alert.Kind.SOURCE_CHANGED,
                snapshot=snapshot,
                evidence=old,
                resolved_at=None,
                defaults={
                    "message": (
                        f"“{old.exact}” (claim {old.claim_id}) is no longer in the document "
                        f"as captured on {snapshot.captured_at:%Y-%m-%d %H:%M}."
                    )
                },
            )
            continue
        assert found.start is not None and found.end is not None
        result.spans.add((found.start, found.end))
        _, created = Evidence.objects.get_or_create(
            claim=old.claim,
            snapshot=snapshot,
            start=found.start,
            end=found.end,
            defaults={
                "stance": old.stance,
                "exact": text[found.start : found.end],
                "prefix": text[max(0, found.start - QUOTE_CONTEXT) : found.start],
                "suffix": text[found.end : found.end + QUOTE_CONTEXT],
                "credibility": old.credibility,
                "anchor": found.outcome,
                "added_by_engine": engine,
                "note": f"re-anchored from snapshot {previous.pk} ({found.outcome})",
            },
        )
        if created:
            # The same quote in a new copy leaves the decision standing; a changed one does not.
            changed = text[found.start : found.end] != old.exact
            claim_evidence_changed(claim_id=old.claim_id, reopen=changed)
    return result
