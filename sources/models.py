"""Where claims come from: the originator (Source), one report (Document) and one captured,
immutable copy of its bytes (Snapshot)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sources.history import RecordedQuerySet, tracked_history


class ReliabilityGrade(models.TextChoices):
    """Admiralty code, source reliability."""

    A = "A", "A: completely reliable"
    B = "B", "B: usually reliable"
    C = "C", "C: fairly reliable"
    D = "D", "D: not usually reliable"
    E = "E", "E: unreliable"
    F = "F", "F: reliability cannot be judged"


class Source(models.Model):
    class Kind(models.TextChoices):
        ANALYTICAL = "analytical", "Analytical outlet"
        MEDIA = "media", "News media"
        GOVERNMENT = "government", "Government or ministry"
        MILITARY = "military", "Military"
        NGO = "ngo", "NGO or international body"
        SOCIAL = "social", "Social media channel"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    homepage = models.URLField(blank=True)
    reliability = models.CharField(
        max_length=1, choices=ReliabilityGrade.choices, default=ReliabilityGrade.F
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = tracked_history()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Document(models.Model):
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=500)
    url = models.URLField(max_length=2000, blank=True)
    published_at = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, default="en")
    author = models.CharField(max_length=300, blank=True)
    # Re-fetching: a URL document is captured again every this many hours (empty: never).
    refetch_every_hours = models.PositiveIntegerField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = tracked_history()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["url"])]

    def __str__(self) -> str:
        return self.title


class SnapshotImmutableError(RuntimeError):
    """Raised on any attempt to change a snapshot after it was written."""


class SnapshotQuerySet(RecordedQuerySet):
    def update(self, **kwargs: object) -> int:
        raise SnapshotImmutableError("snapshots are immutable; capture a new snapshot instead")


def snapshot_upload_to(instance: Snapshot, filename: str) -> str:
    # Content-addressed: the path is the hash, so the same bytes are one file.
    return f"snapshots/{instance.sha256[:2]}/{instance.sha256}"


class Snapshot(models.Model):
    """One captured copy of a document. Written once; the database refuses any update."""

    class Method(models.TextChoices):
        UPLOAD = "upload", "Upload"
        PASTE = "paste", "Paste"
        FETCH = "fetch", "Fetch"
        SEED = "seed", "Seed"

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="snapshots")
    raw = models.FileField(upload_to=snapshot_upload_to, max_length=300)
    size = models.PositiveBigIntegerField()
    media_type = models.CharField(max_length=200)
    encoding = models.CharField(
        max_length=40, blank=True, help_text="Character encoding the text was decoded from."
    )
    sha256 = models.CharField(max_length=64, db_index=True)
    captured_at = models.DateTimeField()
    capture_method = models.CharField(max_length=10, choices=Method.choices)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    final_url = models.URLField(max_length=2000, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    http_headers = models.JSONField(default=dict, blank=True)
    text = models.TextField(help_text="The text the engine read, decoded from the raw bytes.")
    text_sha256 = models.CharField(max_length=64)
    diff_summary = models.TextField(
        blank=True, help_text="How this text differs from the document's previous snapshot."
    )

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-captured_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "sha256"], name="snapshot_unique_bytes_per_document"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} @ {self.captured_at:%Y-%m-%d %H:%M} ({self.sha256[:12]})"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise SnapshotImmutableError("snapshots are immutable; capture a new snapshot instead")
        super().save(*args, **kwargs)


class Citation(models.Model):
    """A source a report cites: footnote marker number -> URL, read from its endnotes.

    The cited URL becomes a Document of its own source, not fetched until someone asks.
    """

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="citations")
    number = models.PositiveIntegerField()
    url = models.URLField(max_length=2000)
    cited_document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="cited_by")

    class Meta:
        ordering = ["snapshot_id", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "number", "url"], name="citation_unique_per_snapshot"
            )
        ]

    def __str__(self) -> str:
        return f"[{self.number}] {self.url}"
