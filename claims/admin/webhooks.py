"""Webhook subscriptions and their deliveries in the admin: every attempt's answer shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from claims.custody.models import WebhookDelivery, WebhookSubscription
from claims.custody.webhooks import delivery_retry


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    """Tools subscribe over the API (POST /api/v1/webhooks/); here they are seen and, by
    whoever may delete them, ended."""

    list_display = ["url", "events", "owner", "token", "active", "created_at"]
    list_filter = ["active"]
    readonly_fields = ["owner", "token", "url", "events", "active", "created_at"]
    exclude = ["secret"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The outbox of events: read-only; a dead-lettered delivery can be sent again."""

    list_display = [
        "message_id",
        "event",
        "subscription",
        "state",
        "attempts",
        "last_status",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["state", "event"]
    search_fields = ["message_id", "last_error", "last_response"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    # Sending again changes no record: it repeats an event, under its id, that the receiver
    # dedupes; whoever sees the outbox may do it.
    @admin.action(description="Send again now (attempts reset)", permissions=["view"])
    def send_again(self, request: Any, queryset: Any) -> None:
        sent = [delivery_retry(delivery=d) for d in queryset]
        self.message_user(request, f"{len(sent)} delivery(ies) sent again.")
