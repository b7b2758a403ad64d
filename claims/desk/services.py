"""Writes of the review desk: one-step decisions (single and bulk) and saved filters.

The rules stay in claims.workflow; this module only composes its moves the way a desk works.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from claims.models import Claim, Status
from claims.workflow import DECIDED, Decision, WorkflowError, claim_transition


def claim_decide(
    *,
    claim: Claim,
    actor: Any,
    to_status: str,
    rationale: str,
    confidence: str = "",
    seen_version: int | None = None,
    origin: str,
) -> list[Decision]:
    """Decide a claim in one step. Returns the moves made, in order (one or two Reviews).

    An unreviewed claim is first moved to in_review, in the same transaction and by the same
    person, so the log shows that the review started and when; if the
    decision is refused, neither move is kept. Raises WorkflowError like claim_transition.
    """
    rationale = (rationale or "").strip()
    if to_status in Status.values and not rationale:
        raise WorkflowError(
            f"Marking a claim {Status(to_status).label.lower()} needs a rationale: say why."
        )
    with transaction.atomic():
        current = Claim.objects.filter(pk=claim.pk).values_list("status", flat=True).first()
        moves = []
        if current == Status.UNREVIEWED and to_status in DECIDED:
            started = claim_transition(
                claim=claim,
                actor=actor,
                to_status=Status.IN_REVIEW,
                # The rationale is recorded once, on the decision; the start says why it
                # happened, so the log and the history do not repeat the text.
                rationale=f"review started to mark it {Status(to_status).label.lower()}",
                seen_version=seen_version,
                origin=origin,
            )
            moves.append(started)
            seen_version = started.claim.version
        moves.append(
            claim_transition(
                claim=claim,
                actor=actor,
                to_status=to_status,
                rationale=rationale,
                confidence=confidence,
                seen_version=seen_version,
                origin=origin,
            )
        )
    return moves


@dataclass
class BulkOutcome:
    decided: list[Claim] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)  # claim id -> why


def claims_decide(
    *,
    claims: list[Claim],
    actor: Any,
    to_status: str,
    rationale: str,
    confidence: str = "",
    origin: str,
) -> BulkOutcome:
    """The same one-step decision on each claim; each claim is its own transaction, so one
    refusal (four-eyes, a decided claim, a missing permission) keeps none of its moves and
    does not stop the others. Returns what was decided and, for the rest, why not."""
    outcome = BulkOutcome()
    for claim in claims:
        try:
            moves = claim_decide(
                claim=claim,
                actor=actor,
                to_status=to_status,
                rationale=rationale,
                confidence=confidence,
                origin=origin,
            )
        except WorkflowError as exc:
            outcome.refused[claim.pk] = str(exc)
        else:
            outcome.decided.append(moves[-1].claim)
    return outcome


# Characters of context kept with an anchor (W3C TextQuoteSelector prefix and suffix).
ANCHOR_CONTEXT = 32


def evidence_attach(
    *,
    claim: Claim,
    snapshot: Any,
    start: int,
    end: int,
    exact: str,
    stance: str,
    credibility: int | None,
    note: str,
    actor: Any,
    origin: str,
) -> Any:
    """Attach the span [start, end) of ``snapshot`` as evidence for ``claim``. Returns the
    Evidence.

    The offsets come from a selection in the browser; they are checked against the
    snapshot's text, which is what the evidence will point to forever: a span whose text is
    not ``exact`` is refused (WorkflowError saying what the snapshot holds there), nothing is
    written. Needs the add_evidence permission (editors and fact-checkers).
    """
    from claims.models import Credibility, Evidence, Stance
    from claims.workflow import NotPermitted, claim_evidence_changed
    from sources.history import tracked_change

    if not actor.has_perm("claims.add_evidence"):
        raise NotPermitted(f"{actor} may not add evidence: that needs the add_evidence permission.")
    text = snapshot.text
    if not (0 <= start < end <= len(text)):
        raise WorkflowError(
            f"Characters {start}–{end} are outside snapshot {snapshot.pk}, which holds "
            f"{len(text):,} characters. Select the text again."
        )
    if not exact.strip():
        raise WorkflowError("Select the words that support or contradict the claim first.")
    found = text[start:end]
    if found != exact:
        raise WorkflowError(
            f"The selection does not match snapshot {snapshot.pk} at characters {start}–{end}: "
            f"you sent “{exact[:80]}”, the snapshot holds “{found[:80]}” there. Nothing was "
            "saved; select the text again on the captured page."
        )
    if stance not in Stance.values:
        raise WorkflowError(f"{stance!r} is not a stance; use one of {', '.join(Stance.values)}.")
    reason = f"evidence added from a selection in snapshot {snapshot.pk}"
    with tracked_change(origin=origin, reason=reason, user=actor), transaction.atomic():
        evidence = Evidence.objects.create(
            claim=claim,
            snapshot=snapshot,
            stance=stance,
            exact=found,
            prefix=text[max(0, start - ANCHOR_CONTEXT) : start],
            suffix=text[end : end + ANCHOR_CONTEXT],
            start=start,
            end=end,
            credibility=credibility or Credibility.CANNOT_BE_JUDGED,
            note=note,
            added_by=actor,
        )
        claim_evidence_changed(claim_id=claim.pk)
    return evidence
