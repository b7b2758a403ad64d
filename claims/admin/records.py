"""Evidence, the decision log and alerts in the admin (jobs: claims/admin/jobs.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils import timezone

from claims.admin.forms import EvidenceForm
from claims.evidence import evidence_delete, evidence_save
from claims.models import Alert, Evidence, Review
from sources.admin_base import TrackedAdmin


@admin.register(Evidence)
class EvidenceAdmin(TrackedAdmin):
    list_display = ["id", "claim", "stance", "exact", "credibility", "snapshot"]
    list_filter = ["stance", "credibility"]
    search_fields = ["exact", "note", "claim__statement"]
    list_select_related = ["claim", "snapshot"]
    raw_id_fields = ["claim", "snapshot"]
    readonly_fields = ["added_by", "added_by_engine"]
    form = EvidenceForm  # the quote must match the snapshot at its offsets

    # Through the evidence services: every add, edit, move or removal is also a change of
    # its claim (history, version, change feed, a decided claim back to review).
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        evidence_save(
            evidence=obj,
            actor=request.user,
            reason=form.cleaned_data["change_reason"],
            origin="admin",
        )

    def delete_model(self, request: Any, obj: Any) -> None:
        evidence_delete(
            evidence=obj,
            actor=request.user,
            reason=f"deleted in the admin by {request.user}",
            origin="admin",
        )

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for evidence in queryset:
            self.delete_model(request, evidence)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """The decision log is append-only: readable here, written by the workflow service."""

    list_display = ["claim", "reviewer", "from_status", "to_status", "confidence", "created_at"]
    list_filter = ["to_status", "confidence", "created_at"]
    search_fields = ["rationale", "claim__statement"]
    list_select_related = ["claim", "reviewer"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    """What the integrity and re-fetch jobs found; people resolve them, nothing else does."""

    list_display = ["created_at", "kind", "message", "snapshot", "resolved_at"]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["message"]
    list_select_related = ["snapshot__document"]
    readonly_fields = ["kind", "snapshot", "evidence", "message", "created_at", "resolved_at"]
    actions = ["resolve"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    @admin.action(description="Mark the selected alerts resolved", permissions=["change"])
    def resolve(self, request: Any, queryset: Any) -> None:
        # Alert is not a history-tracked model; the admin log records who resolved it.
        for alert in queryset.filter(resolved_at__isnull=True):
            alert.resolved_at = timezone.now()
            alert.save(update_fields=["resolved_at"])
            self.log_change(request, alert, "resolved")
