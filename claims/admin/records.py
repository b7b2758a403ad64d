"""Evidence, the decision log and jobs in the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from claims.models import Evidence, Job, Review
from sources.admin_base import TrackedAdmin


@admin.register(Evidence)
class EvidenceAdmin(TrackedAdmin):
    list_display = ["id", "claim", "stance", "exact", "credibility", "snapshot"]
    list_filter = ["stance", "credibility"]
    search_fields = ["exact", "note", "claim__statement"]
    list_select_related = ["claim", "snapshot"]
    raw_id_fields = ["claim", "snapshot"]
    readonly_fields = ["added_by", "added_by_engine"]


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


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "state", "attempts", "snapshot", "created_at", "finished_at"]
    list_filter = ["kind", "state", "origin"]
    search_fields = ["last_error"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
