"""API tokens in the admin: see who uses the API and when, and revoke keys.

Keys are issued with `manage.py issue_token`, which prints the key once; the admin never sees
a key, only its first characters, so it cannot add tokens.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet

from claims.models import ApiToken
from claims.tokens import revoke_token


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        # Keep revoked tokens: their name and last use stay on record.
        return False

    @admin.action(description="Revoke selected API tokens", permissions=["change"])
    def revoke(self, request: Any, queryset: QuerySet[ApiToken]) -> None:
        tokens = [revoke_token(token) for token in queryset]
        self.message_user(
            request,
            f"Revoked {len(tokens)} API token(s); they are refused from now on.",
            messages.SUCCESS,
        )
