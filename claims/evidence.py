"""Writes of evidence by people: add, edit, move to another claim, remove.

Evidence is what a claim's decision rests on, so every such write is also a change of its
claim (claims.workflow.claim_evidence_changed): a history row, a new version and ETag, an
entry in the change feed, and a decided claim back in review. A move changes both claims.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from claims.models import Evidence
from claims.workflow import NotPermitted, WorkflowError, claim_evidence_changed
from sources.history import tracked_change


def _require(actor: Any, permission: str, doing: str) -> None:
    if not actor.has_perm(f"claims.{permission}"):
        raise NotPermitted(f"{actor} may not {doing}: that needs the {permission} permission.")


def evidence_save(
    *, evidence: Evidence, actor: Any, reason: str, origin: str, reopen: bool = True
) -> Evidence:
    """Save a new or edited evidence row and record the change on its claim (both claims
    when it moved). `reopen=False` only when the change is part of a decision made in the
    same step. Returns the saved evidence; raises WorkflowError without a reason or the
    permission."""
    if not (reason or "").strip():
        raise WorkflowError("A change of evidence needs a reason: say why.")
    adding = evidence.pk is None
    _require(actor, "add_evidence" if adding else "change_evidence", "change evidence")
    with tracked_change(origin=origin, reason=reason, user=actor), transaction.atomic():
        claim_ids = {evidence.claim_id}
        if not adding:
            before = Evidence.objects.select_for_update().filter(pk=evidence.pk).first()
            if before is not None:
                claim_ids.add(before.claim_id)
        if adding and getattr(actor, "is_authenticated", False):
            evidence.added_by = actor
        evidence._change_reason = reason
        evidence.save()
        for claim_id in sorted(claim_ids):
            claim_evidence_changed(claim_id=claim_id, reopen=reopen)
    return evidence


def evidence_delete(*, evidence: Evidence, actor: Any, reason: str, origin: str) -> None:
    """Remove an evidence row, recorded in its history and on its claim."""
    if not (reason or "").strip():
        raise WorkflowError("Removing evidence needs a reason: say why.")
    _require(actor, "delete_evidence", "remove evidence")
    with tracked_change(origin=origin, reason=reason, user=actor), transaction.atomic():
        claim_id = evidence.claim_id
        evidence._change_reason = reason
        evidence.delete()
        claim_evidence_changed(claim_id=claim_id)
