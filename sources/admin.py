from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from sources.admin_base import TrackedAdmin
from sources.models import Citation, Document, Snapshot, Source


@admin.register(Source)
class SourceAdmin(TrackedAdmin):
    list_display = ["name", "kind", "reliability", "homepage"]
    list_filter = ["kind", "reliability"]
    search_fields = ["name", "notes"]


@admin.register(Document)
class DocumentAdmin(TrackedAdmin):
    list_display = ["title", "source", "published_at", "language", "url", "last_fetched_at"]
    list_filter = ["source", "language", "published_at", ("url", admin.EmptyFieldListFilter)]
    actions = ["capture_now"]
    search_fields = ["title", "url", "author"]
    autocomplete_fields = ["source"]
    date_hierarchy = "published_at"

    @admin.action(description="Capture the selected documents' URLs now", permissions=["add"])
    def capture_now(self, request: Any, queryset: Any) -> None:
        # The claims app owns the capture pipeline (it extracts claims after the fetch).
        from claims.capture import url_capture_request

        for document in queryset.exclude(url=""):
            job = url_capture_request(url=document.url, origin="admin", user=request.user)
            job.refresh_from_db()
            level = messages.ERROR if job.state == job.State.FAILED else messages.SUCCESS
            note = f": {job.last_error}" if job.last_error else ""
            self.message_user(
                request, f"{document.url}: capture job {job.pk} {job.state}{note}", level
            )


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
        "diff_summary",
        "text_view",
    ]

    @admin.display(description="sha256")
    def short_hash(self, obj: Snapshot) -> str:
        return obj.sha256[:16]

    @admin.display(description="Text the engine read (claim spans highlighted)")
    def text_view(self, obj: Snapshot) -> str:
        # Every piece goes through format_html / escape: captured text is untrusted input.
        text = obj.text
        pieces: list[str] = []
        cursor = 0
        spans = obj.evidence.order_by("start", "end").values_list("start", "end", "claim_id")
        for start, end, claim_id in spans:
            if start < cursor or end > len(text):
                continue  # overlapping or stale spans are shown on their claim's page instead
            pieces.append(escape(text[cursor:start]))
            pieces.append(
                format_html(
                    '<a href="{}"><mark title="claim {}">{}</mark></a>',
                    reverse("admin:claims_claim_change", args=[claim_id]),
                    claim_id,
                    text[start:end],
                )
            )
            cursor = end
        pieces.append(escape(text[cursor:]))
        return format_html(
            '<pre style="white-space: pre-wrap">{}</pre>', mark_safe("".join(pieces))
        )

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    """Read-only: citations are read from the reports' endnotes."""

    list_display = ["snapshot", "number", "url", "cited_document"]
    search_fields = ["url", "snapshot__document__title"]
    list_select_related = ["snapshot__document", "cited_document"]
    readonly_fields = ["snapshot", "number", "url", "cited_document"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
