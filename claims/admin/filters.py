"""List filters of the claim list."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from claims.models import Status

OPEN = (Status.UNREVIEWED, Status.IN_REVIEW)


class QueueFilter(admin.SimpleListFilter):
    title = "queue"
    parameter_name = "queue"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        return [("mine", "My queue"), ("unassigned", "Unassigned"), ("open", "All open")]

    def queryset(self, request: Any, queryset: QuerySet) -> QuerySet:
        if self.value() == "mine":
            return queryset.filter(assignee=request.user, status__in=OPEN)
        if self.value() == "unassigned":
            return queryset.filter(assignee__isnull=True, status__in=OPEN)
        if self.value() == "open":
            return queryset.filter(status__in=OPEN)
        return queryset


class MachineScoreFilter(admin.SimpleListFilter):
    title = "machine score"
    parameter_name = "score"
    BANDS = {
        "high": (0.8, 1.01, "0.8 and above"),
        "medium": (0.5, 0.8, "0.5 to 0.8"),
        "low": (0.0, 0.5, "below 0.5"),
    }

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        return [(key, label) for key, (_, _, label) in self.BANDS.items()] + [
            ("none", "not scored")
        ]

    def queryset(self, request: Any, queryset: QuerySet) -> QuerySet:
        if self.value() == "none":
            return queryset.filter(machine_score__isnull=True)
        if self.value() in self.BANDS:
            low, high, _ = self.BANDS[self.value()]
            return queryset.filter(machine_score__gte=low, machine_score__lt=high)
        return queryset


class UnitFilter(admin.SimpleListFilter):
    """The most common units only, counted at most every few minutes: grouping a million
    claims by unit on every page view would cost more than the page itself."""

    title = "unit"
    parameter_name = "unit"
    SHOWN = 20
    CACHE_SECONDS = 600

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        from claims.models import Claim

        def top_units() -> list[str]:
            rows = (
                Claim.objects.exclude(unit="")
                .values("unit")
                .annotate(n=Count("id"))
                .order_by("-n")[: self.SHOWN]
            )
            return [row["unit"] for row in rows]

        units = cache.get_or_set("admin:claim-units", top_units, self.CACHE_SECONDS)
        return [(unit, unit) for unit in units]

    def queryset(self, request: Any, queryset: QuerySet) -> QuerySet:
        return queryset.filter(unit=self.value()) if self.value() else queryset


class SourceFilter(admin.SimpleListFilter):
    """By the source of the document a claim was extracted from. Lists the sources table
    itself (small) rather than the sources that occur among a million claims (slow)."""

    title = "source"
    parameter_name = "source"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        from sources.models import Source

        return [(str(s.pk), s.name) for s in Source.objects.order_by("name")[:200]]

    def queryset(self, request: Any, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        # By snapshot ids (a few hundred at most), so the claim table's extracted_from index
        # combines with the other filters instead of a join over a million rows.
        return queryset.filter(extracted_from__in=_snapshots(document__source_id=self.value()))


class AssigneeFilter(admin.SimpleListFilter):
    title = "assignee"
    parameter_name = "assignee"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        from django.contrib.auth import get_user_model

        people = get_user_model().objects.filter(is_staff=True, is_active=True)
        return [(str(u.pk), u.get_username()) for u in people.order_by("username")[:100]]

    def queryset(self, request: Any, queryset: QuerySet) -> QuerySet:
        return queryset.filter(assignee_id=self.value()) if self.value() else queryset


class DocumentFilter(admin.SimpleListFilter):
    """Set from a document's page ("its claims"); lists the latest documents."""

    title = "document"
    parameter_name = "document"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        from sources.models import Document

        latest = Document.objects.order_by("-id")[:30]
        return [(str(d.pk), str(d)[:60]) for d in latest]

    def queryset(self, request: Any, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        # Claims read from the document, or with evidence in one of its snapshots. Two id
        # sets, no join and no DISTINCT: with a join, counting the claims of one big report
        # among a million took two seconds.
        from claims.models import Evidence

        snapshots = _snapshots(document_id=self.value())
        cited = Evidence.objects.filter(snapshot__in=snapshots).values("claim_id")
        return queryset.filter(Q(extracted_from__in=snapshots) | Q(pk__in=cited))


class GradeFilter(admin.SimpleListFilter):
    """By the reliability grade (Admiralty A-F) of the claim's source."""

    title = "source grade"
    parameter_name = "grade"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        from sources.models import ReliabilityGrade

        return list(ReliabilityGrade.choices)

    def queryset(self, request: Any, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        return queryset.filter(
            extracted_from__in=_snapshots(document__source__reliability=self.value())
        )


def _snapshots(**lookups: Any) -> QuerySet:
    from sources.models import Snapshot

    return Snapshot.objects.filter(**lookups).values("id")


class ContradictionFilter(admin.SimpleListFilter):
    title = "contradiction"
    parameter_name = "contradicted"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Has a contradiction"), ("no", "No contradiction")]

    def queryset(self, request: Any, queryset: QuerySet) -> QuerySet:
        from claims.models import ClaimRelation

        contradicted = ClaimRelation.objects.filter(kind="contradicts").values("claim_id")
        if self.value() == "yes":
            return queryset.filter(pk__in=contradicted)
        if self.value() == "no":
            return queryset.exclude(pk__in=contradicted)
        return queryset
