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

    An unreviewed claim is first moved to in_review, in the same transaction and with the
    same person and rationale, so the log shows that the review started and when; if the
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
                rationale=f"review started to mark it {Status(to_status).label.lower()}: "
                f"{rationale}",
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
