from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.html import format_html

from sources.admin_base import TrackedAdmin
from sources.models import Document, Snapshot, Source


@admin.register(Source)
class SourceAdmin(TrackedAdmin):
    list_display = ["name", "kind", "reliability", "homepage"]
    list_filter = ["kind", "reliability"]
    search_fields = ["name", "notes"]


@admin.register(Document)
class DocumentAdmin(TrackedAdmin):
    list_display = ["title", "source", "published_at", "language", "url"]
    list_filter = ["source", "language", "published_at"]
    search_fields = ["title", "url", "author"]
    autocomplete_fields = ["source"]
    date_hierarchy = "published_at"


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    """Read-only: snapshots are immutable once written."""

    list_display = ["id", "document", "captured_at", "capture_method", "media_type", "short_hash"]
    list_filter = ["capture_method", "media_type", "captured_at"]
    search_fields = ["document__title", "sha256", "final_url"]
    list_select_related = ["document"]
    exclude = ["text"]
    readonly_fields = [
        "document",
        "raw",
        "size",
        "media_type",
        "encoding",
        "sha256",
        "captured_at",
        "capture_method",
        "captured_by",
        "final_url",
        "http_status",
        "http_headers",
        "text_sha256",
        "text_view",
    ]

    @admin.display(description="sha256")
    def short_hash(self, obj: Snapshot) -> str:
        return obj.sha256[:16]

    @admin.display(description="Text the engine read")
    def text_view(self, obj: Snapshot) -> str:
        # format_html escapes the captured text: it is untrusted input.
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', obj.text)

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
