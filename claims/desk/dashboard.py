"""What the desk dashboard (the admin index) shows, read cheaply.

The queue and status counts group the open claims by person and status through the
(assignee, status) and status indexes, and are kept for a minute in the cache: on a million
claims a grouping costs a few hundred milliseconds, too much for every page view, and a
minute-old count is what a desk needs to share out work. The page says when it counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from claims.desk.queue import OPEN
from claims.models import Alert, Claim, Job, Review, Status

COUNTS_SECONDS = 60
DAYS = 30


@dataclass(frozen=True)
class QueueRow:
    person: str
    assignee_id: int | None
    unreviewed: int
    in_review: int

    @property
    def total(self) -> int:
        return self.unreviewed + self.in_review


@dataclass(frozen=True)
class DayCount:
    day: date
    decisions: int


def _counts() -> dict[str, Any]:
    rows = (
        Claim.objects.filter(status__in=OPEN)
        .values("assignee_id", "assignee__username", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    queues: dict[int | None, dict[str, Any]] = {}
    for row in rows:
        entry = queues.setdefault(
            row["assignee_id"],
            {
                "person": row["assignee__username"] or "unassigned",
                Status.UNREVIEWED: 0,
                Status.IN_REVIEW: 0,
            },
        )
        entry[row["status"]] = row["n"]
    statuses = dict(
        Claim.objects.values("status").annotate(n=Count("id")).order_by().values_list("status", "n")
    )
    return {"queues": queues, "statuses": statuses, "counted_at": timezone.now()}


def desk_counts() -> dict[str, Any]:
    """Open claims per person and status, and all claims per status (at most a minute old)."""
    counts = cache.get_or_set("desk:counts", _counts, COUNTS_SECONDS)
    rows = [
        QueueRow(
            person=entry["person"],
            assignee_id=assignee_id,
            unreviewed=entry[Status.UNREVIEWED],
            in_review=entry[Status.IN_REVIEW],
        )
        for assignee_id, entry in counts["queues"].items()
    ]
    rows.sort(key=lambda r: (r.assignee_id is None, -r.total, r.person))
    statuses = [(s, label, counts["statuses"].get(s, 0)) for s, label in Status.choices]
    return {"queues": rows, "statuses": statuses, "counted_at": counts["counted_at"]}


def decisions_per_day(*, today: date | None = None) -> list[DayCount]:
    """Decisions (moves to a decided status) per day for the last 30 days, oldest first,
    days without any included."""
    today = today or timezone.localdate()
    first = today - timedelta(days=DAYS - 1)
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    counted = dict(
        Review.objects.filter(created_at__gte=since)
        .exclude(to_status__in=OPEN)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("day", "n")
    )
    return [
        DayCount(first + timedelta(days=i), counted.get(first + timedelta(days=i), 0))
        for i in range(DAYS)
    ]


def open_alerts(limit: int = 8) -> tuple[int, list[Alert]]:
    alerts = Alert.objects.filter(resolved_at__isnull=True)
    latest = list(alerts.select_related("snapshot__document").order_by("-created_at")[:limit])
    return alerts.count(), latest


def recent_ingests(limit: int = 8) -> list[Job]:
    """The latest extraction and capture jobs, with their document."""
    kinds = [Job.Kind.EXTRACT_CLAIMS, Job.Kind.CAPTURE_URL]
    return list(
        Job.objects.filter(kind__in=kinds)
        .select_related("snapshot__document__source")
        .defer("snapshot__text", "snapshot__http_headers", "snapshot__diff_summary")
        .order_by("-created_at", "-id")[:limit]
    )
