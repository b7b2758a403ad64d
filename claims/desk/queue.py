"""A person's queue: the open claims assigned to them, in the order the claim list shows."""

from __future__ import annotations

from typing import Any

from claims.models import Claim, Status

OPEN = (Status.UNREVIEWED, Status.IN_REVIEW)
# j/k and "save and next" walk at most this many claims of a queue; past it, the list.
QUEUE_WINDOW = 500


def my_queue(user: Any) -> Any:
    return Claim.objects.filter(assignee=user, status__in=OPEN).order_by("-updated_at", "-id")


def my_queue_ids(user: Any) -> list[int]:
    if not getattr(user, "pk", None):
        return []
    return list(my_queue(user).values_list("id", flat=True)[:QUEUE_WINDOW])


def next_in_my_queue(user: Any, *, after: int) -> int | None:
    """The claim to open after deciding ``after``: the first of the queue other than it (a
    decided claim has left the queue; an edited one moved to the top)."""
    return my_queue(user).exclude(pk=after).values_list("id", flat=True).first()
