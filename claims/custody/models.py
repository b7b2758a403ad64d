"""The audit ledger's tables: append-only entries and the single-row chain head."""

from __future__ import annotations

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
