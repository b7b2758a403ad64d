"""The audit ledger's tables: append-only entries and the single-row chain head."""

from __future__ import annotations

from django.conf import settings
from django.db import models

GENESIS = "0" * 64


class LedgerEntry(models.Model):
    """One recorded row, in commit order. `entry_hash` covers every other field, and
    `prev_hash` is the previous entry's `entry_hash`: changing, inserting or removing an entry
    breaks the chain after it; changing the recorded row breaks `content_sha256`."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"

    # Assigned under the chain-head lock (not by a sequence), so seq order is commit order
    # and has no gaps.
    seq = models.PositiveBigIntegerField(primary_key=True)
    recorded_at = models.DateTimeField()
    record = models.CharField(
        max_length=100, help_text="The recorded table, as app.model (claims.historicalclaim)."
    )
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=8, choices=Action.choices)
    content_sha256 = models.CharField(max_length=64)
    # Which columns content_sha256 covers (LedgerColumns): a column a later migration adds
    # does not change what an earlier entry vouches for.
    columns = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        app_label = "claims"
        ordering = ["seq"]
        verbose_name_plural = "ledger entries"
        indexes = [models.Index(fields=["record", "object_id"], name="ledger_record_object")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.record} {self.object_id}"


class LedgerColumns(models.Model):
    """The columns of a recorded table that an entry's content digest covers, by the
    SHA-256 of their names."""

    digest = models.CharField(max_length=64, primary_key=True)
    record = models.CharField(max_length=100)
    names = models.JSONField()

    class Meta:
        app_label = "claims"
        verbose_name_plural = "ledger columns"

    def __str__(self) -> str:
        return f"{self.record}: {len(self.names)} columns"


class LedgerHead(models.Model):
    """The chain's last entry. Writers lock this one row (SELECT ... FOR UPDATE) while they
    append, so two transactions never chain onto the same entry."""

    seq = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default=GENESIS)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "claims"

    def __str__(self) -> str:
        return f"ledger head #{self.seq}"


class WebhookEvent(models.TextChoices):
    CLAIM_VERIFIED = "claim.verified", "A claim was verified"
    CLAIM_CHANGED = "claim.changed", "A claim changed (what it says, or its status)"
    CLAIM_TOMBSTONED = "claim.tombstoned", "A claim was deleted or is no longer verified"
    ALERT_OPENED = "alert.opened", "An integrity or re-fetch check opened an alert"


class WebhookSubscription(models.Model):
    """A tool's (or a person's) endpoint for events, signed per Standard Webhooks."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks"
    )
    token = models.ForeignKey(
        "claims.ApiToken",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhooks",
        help_text="The API token that subscribed, if a tool did.",
    )
    url = models.URLField(max_length=2000)
    events = models.JSONField(help_text='Event types, e.g. ["claim.verified"].')
    # The Standard Webhooks secret (whsec_ + base64): the receiver needs it to check
    # signatures, so it is kept, and shown once when the subscription is made.
    secret = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "claims"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.url} ({', '.join(self.events)})"


class WebhookDelivery(models.Model):
    """One event for one subscription: the outbox row its delivery jobs work through."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        DEAD = "dead", "Dead-lettered"

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    # webhook-id: the same on every attempt, so receivers drop a repeat.
    message_id = models.CharField(max_length=40, unique=True)
    payload = models.JSONField()
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response = models.TextField(blank=True, help_text="The start of the last answer.")
    last_error = models.TextField(blank=True)
    job = models.ForeignKey(
        "claims.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "claims"
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhook_due")]

    def __str__(self) -> str:
        return f"{self.event} {self.message_id} ({self.state})"
