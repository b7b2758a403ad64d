"""The review workflow: the one place where a claim's status, confidence, content and
assignee change. The admin, the API and bulk actions all call these functions.

    unreviewed -> in_review -> verified | disputed | refuted | unverifiable
    any decided status -> in_review (re-open; editors only)

Every change checks the version the person saw (optimistic locking), so two people editing
the same claim never overwrite each other: the second one gets StaleClaim naming what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.db import transaction

from claims.custody.webhooks import claim_event
from claims.jobs import job_create
from claims.models import CLAIM_CONTENT_FIELDS, Claim, Confidence, Job, Review, Status
from sources.history import current_change, tracked_change

DECIDED = frozenset({Status.VERIFIED, Status.DISPUTED, Status.REFUTED, Status.UNVERIFIABLE})
NEEDS_CONFIDENCE = frozenset({Status.VERIFIED, Status.DISPUTED, Status.REFUTED})
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.UNREVIEWED: frozenset({Status.IN_REVIEW}),
    Status.IN_REVIEW: DECIDED,
    **{decided: frozenset({Status.IN_REVIEW}) for decided in DECIDED},
}
# Editing these makes the editor the claim's last content author for the four-eyes rule.
CONTENT_FIELDS = frozenset(CLAIM_CONTENT_FIELDS)
HISTORY_FIELDS = ("status", "confidence", "assignee", *sorted(CONTENT_FIELDS))


class WorkflowError(ValueError):
    """A change the workflow refuses; the message says why and what to do."""


class NotPermitted(WorkflowError):
    pass


class StaleClaim(WorkflowError):
    """The claim changed since the person loaded it."""

    def __init__(self, claim: Claim, seen_version: int, changes: list[str]) -> None:
        self.claim = claim
        self.current_version = claim.version
        self.changes = changes
        summary = "; ".join(changes) or "its review state"
        super().__init__(
            f"Claim {claim.pk} was changed by someone else since you opened it "
            f"(you saw version {seen_version}, it is now version {claim.version}): {summary}. "
            "Nothing was saved; reload the claim and apply your change again."
        )


@dataclass(frozen=True)
class Decision:
    claim: Claim
    review: Review


def _locked(claim_id: int, seen_version: int | None) -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim_id)
    if seen_version is not None and claim.version != seen_version:
        raise StaleClaim(claim, seen_version, changes_since(claim, seen_version))
    return claim


def changes_since(claim: Claim, version: int) -> list[str]:
    """What changed in `claim` after `version`, newest last, as sentences for a person."""
    rows = list(claim.history.order_by("history_date", "history_id"))
    lines: list[str] = []
    for before, after in pairwise(rows):
        if after.version <= version:
            continue
        who = after.history_user or "the engine"
        delta = after.diff_against(before, included_fields=list(HISTORY_FIELDS))
        for change in delta.changes:
            lines.append(f"{who} set {change.field} from {change.old!r} to {change.new!r}")
    return lines


def _require(actor: Any, permission: str, doing: str) -> None:
    if not actor.has_perm(f"claims.{permission}"):
        raise NotPermitted(f"{actor} may not {doing}: that needs the {permission} permission.")


def claim_transition(
    *,
    claim: Claim,
    actor: Any,
    to_status: str,
    rationale: str,
    confidence: str = "",
    seen_version: int | None = None,
    origin: str,
) -> Decision:
    """Move a claim to `to_status`, appending a Review. Returns the saved claim and review.

    Raises WorkflowError (with the reason) for a move the workflow does not allow, a missing
    rationale or confidence, the four-eyes rule, a missing permission, or a stale version.
    """
    rationale = (rationale or "").strip()
    if to_status not in Status.values:
        raise WorkflowError(f"{to_status!r} is not a status; use one of {', '.join(Status.values)}")
    if confidence and confidence not in Confidence.values:
        raise WorkflowError(
            f"{confidence!r} is not a confidence band; use one of {', '.join(Confidence.values)}"
        )
    with tracked_change(origin=origin, reason=rationale, user=actor), transaction.atomic():
        claim = _locked(claim.pk, seen_version)
        current = claim.status
        if to_status not in TRANSITIONS[current]:
            allowed = ", ".join(sorted(TRANSITIONS[current]))
            raise WorkflowError(
                f"A claim that is {current} cannot become {to_status}; from {current} it can "
                f"become: {allowed}."
            )
        reopening = current in DECIDED
        _require(actor, "reopen_claim" if reopening else "review_claim", f"move it to {to_status}")
        if not rationale:
            raise WorkflowError(f"Moving a claim to {to_status} needs a rationale: say why.")
        if to_status in NEEDS_CONFIDENCE and not confidence:
            raise WorkflowError(
                f"Marking a claim {to_status} needs a confidence band (ICD 203), "
                "from almost_no_chance to almost_certain."
            )
        if (
            to_status == Status.VERIFIED
            and settings.FOUR_EYES
            and claim.content_changed_by_id is not None
            and claim.content_changed_by_id == actor.pk
        ):
            raise WorkflowError(
                "Four-eyes rule: you were the last to change what this claim says, so someone "
                "else must verify it."
            )
        claim.status = to_status
        if confidence:
            claim.confidence = confidence
        claim.version += 1
        claim.save()
        review = Review.objects.create(
            claim=claim,
            reviewer=actor,
            from_status=current,
            to_status=to_status,
            confidence=claim.confidence if to_status in DECIDED else "",
            rationale=rationale,
            origin=origin,
        )
        # A decision moves the scores of the claims around this one; the job runs after commit.
        job_create(kind=Job.Kind.VERIFY_CLAIMS, payload={"claim_ids": [claim.pk]})
        claim_event(claim, was=current)
    return Decision(claim=claim, review=review)


def claim_edit(
    *,
    claim: Claim,
    actor: Any,
    changes: dict[str, Any],
    reason: str,
    seen_version: int | None,
    origin: str,
) -> Claim:
    """Change what a claim says. Returns the saved claim; refuses a stale version.

    Status and confidence are not edited here: they only move through claim_transition.
    """
    unknown = set(changes) - CONTENT_FIELDS
    if unknown:
        raise WorkflowError(
            f"{', '.join(sorted(unknown))} cannot be edited directly; status and confidence "
            "change through a review decision."
        )
    if not (reason or "").strip():
        raise WorkflowError("An edit needs a reason: say why the claim changes.")
    _require(actor, "change_claim", "edit claims")
    with tracked_change(origin=origin, reason=reason, user=actor), transaction.atomic():
        claim = _locked(claim.pk, seen_version)
        changed = {f: v for f, v in changes.items() if getattr(claim, f) != v}
        if not changed:
            return claim
        was = claim.status
        for field, value in changed.items():
            setattr(claim, field, value)
        claim.content_changed_by = actor
        _back_to_review(claim, actor=actor, why=f"what it says changed: {reason}", origin=origin)
        claim.version += 1
        claim.save()
        # What the claim says decides its group and relations: recompute them after commit.
        job_create(kind=Job.Kind.VERIFY_CLAIMS, payload={"claim_ids": [claim.pk]})
        claim_event(claim, was=was)
    return claim


def claims_assign(
    *,
    claims: list[Claim],
    assignee: Any,
    actor: Any,
    reason: str,
    origin: str,
) -> list[Claim]:
    """Assign claims to a person (or unassign with None); returns the saved claims."""
    if assignee is not None and assignee != actor:
        _require(actor, "assign_claim", "assign claims to someone else")
    elif not (actor.has_perm("claims.assign_claim") or actor.has_perm("claims.review_claim")):
        raise NotPermitted(f"{actor} may not take claims for review.")
    saved = []
    with tracked_change(origin=origin, reason=reason, user=actor), transaction.atomic():
        for claim in claims:
            locked = _locked(claim.pk, None)
            if locked.assignee_id == (assignee.pk if assignee else None):
                saved.append(locked)
                continue
            locked.assignee = assignee
            locked.version += 1
            locked.save()
            saved.append(locked)
    return saved


def claim_revert(
    *,
    claim: Claim,
    actor: Any,
    history_id: int,
    reason: str,
    seen_version: int | None,
    origin: str,
) -> Claim:
    """Restore what a claim said at an earlier version, recorded as a new change.

    Only the content comes back: the review status moves only through decisions.
    Returns the saved claim; raises WorkflowError like claim_edit.
    """
    old = claim.history.filter(history_id=history_id).first()
    if old is None:
        raise WorkflowError(f"Claim {claim.pk} has no version with history id {history_id}.")
    return claim_edit(
        claim=claim,
        actor=actor,
        changes={field: getattr(old, field) for field in CONTENT_FIELDS},
        reason=f"reverted to version {old.version}: {reason}",
        seen_version=seen_version,
        origin=origin,
    )


def claim_reopen_for_contradiction(*, claim: Claim, explanation: str) -> Claim:
    """Re-open a decided claim because the verification engine found a new contradiction.

    The status goes back to in_review with a Review by no one (origin "task") whose rationale
    is the contradiction's explanation. Returns the claim; one that is not decided is returned
    unchanged. Queues no verification job: the engine is the caller.
    """
    reason = f"re-opened by the engine: {explanation}"
    with tracked_change(origin="task", reason=reason), transaction.atomic():
        claim = _locked(claim.pk, None)
        if claim.status not in DECIDED:
            return claim
        current = claim.status
        claim.status = Status.IN_REVIEW
        claim.version += 1
        claim.save()
        Review.objects.create(
            claim=claim,
            reviewer=None,
            from_status=current,
            to_status=Status.IN_REVIEW,
            rationale=explanation,
            origin="task",
        )
        claim_event(claim, was=current)
    return claim


def claim_evidence_changed(*, claim_id: int, reopen: bool = True) -> Claim:
    """Record on the claim that its evidence changed (added, edited, moved or removed).

    Evidence is part of what a tool receives with a claim: the version bump gives the claim a
    new ETag and a history row, so the API's change feed carries the change too. Evidence is
    also what a decision rested on, so a decided claim goes back to review (a Review by the
    person who changed it), unless `reopen` is False: the change is part of a decision made
    in the same step, or the engine carried a quote over unchanged. Runs inside the caller's
    tracked_change, whose user, origin and reason it records. Returns the saved claim.
    """
    context = current_change()
    with transaction.atomic():
        claim = _locked(claim_id, None)
        was = claim.status
        if reopen and context is not None:
            _back_to_review(
                claim,
                actor=context.user,
                why=f"its evidence changed: {context.reason}",
                origin=context.origin,
            )
        claim.version += 1
        claim.save()
        claim_event(claim, was=was)
    return claim


def _back_to_review(claim: Claim, *, actor: Any, why: str, origin: str) -> None:
    """Move a decided claim back to in_review, appending the Review that says why.

    A decision holds for what the claim said when it was made; once what it says or the
    evidence under it changes, the decision must be made again (and, with four-eyes, by
    someone else than the person who changed it). The caller saves the claim.
    """
    if claim.status not in DECIDED:
        return
    person = actor if getattr(actor, "is_authenticated", False) else None
    Review.objects.create(
        claim=claim,
        reviewer=person,
        from_status=claim.status,
        to_status=Status.IN_REVIEW,
        rationale=f"back to review: {why}",
        origin=origin,
    )
    claim.status = Status.IN_REVIEW
