"""Claims, the evidence anchoring them to snapshot text, review decisions, and jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sources.history import RecordedQuerySet, tracked_history
from sources.models import Snapshot


class ClaimKind(models.TextChoices):
    QUANTITATIVE = "quantitative", "Quantitative"
    FACTUAL = "factual", "Factual"
    ASSESSMENT = "assessment", "Assessment"


class Qualifier(models.TextChoices):
    EXACT = "exact", "exact"
    APPROXIMATE = "approximate", "approximately"
    MORE_THAN = "more_than", "more than"
    AT_LEAST = "at_least", "at least"
    LESS_THAN = "less_than", "less than"
    AT_MOST = "at_most", "at most"
    RANGE = "range", "range"


class Status(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    IN_REVIEW = "in_review", "In review"
    VERIFIED = "verified", "Verified"
    DISPUTED = "disputed", "Disputed"
    REFUTED = "refuted", "Refuted"
    UNVERIFIABLE = "unverifiable", "Unverifiable"


class Confidence(models.TextChoices):
    """Estimative probability bands of ICD 203."""

    ALMOST_NO_CHANCE = "almost_no_chance", "Almost no chance (1-5 %)"
    VERY_UNLIKELY = "very_unlikely", "Very unlikely (5-20 %)"
    UNLIKELY = "unlikely", "Unlikely (20-45 %)"
    ROUGHLY_EVEN = "roughly_even", "Roughly even chance (45-55 %)"
    LIKELY = "likely", "Likely (55-80 %)"
    VERY_LIKELY = "very_likely", "Very likely (80-95 %)"
    ALMOST_CERTAIN = "almost_certain", "Almost certain (95-99 %)"


class Claim(models.Model):
    kind = models.CharField(max_length=20, choices=ClaimKind.choices)
    statement = models.TextField(help_text="The sentence that carries the claim.")
    quote = models.TextField(help_text="The exact characters the claim was read from.")
    value = models.FloatField(null=True, blank=True)
    lower = models.FloatField(null=True, blank=True)
    upper = models.FloatField(null=True, blank=True)
    qualifier = models.CharField(max_length=20, choices=Qualifier.choices, blank=True)
    unit = models.CharField(max_length=100, blank=True, db_index=True)
    subject = models.CharField(max_length=300, blank=True)
    time_text = models.CharField(max_length=200, blank=True)
    time_start = models.DateField(null=True, blank=True)
    time_end = models.DateField(null=True, blank=True)
    places = models.JSONField(default=list, blank=True)
    actors = models.JSONField(default=list, blank=True)
    attributed_to = models.CharField(max_length=300, blank=True)
    hedges = models.JSONField(default=list, blank=True)
    # Fact keys (verifier.facts): what happened to the counted thing ("killed", "deported",
    # "without power"), and "before" for the earlier figure of a change, "update" for a toll
    # that grew. Verification compares claims only within one role and phase.
    role = models.CharField(max_length=40, blank=True)
    phase = models.CharField(max_length=10, blank=True)
    # What the claim takes from its document rather than its own sentence (the dateline, the
    # headline, the paragraph's earlier sentences, the figure "of them" points to), with where
    # each part came from under "from": kept apart from what the sentence says.
    inherited = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.UNREVIEWED, db_index=True
    )
    confidence = models.CharField(max_length=20, choices=Confidence.choices, blank=True)
    machine_score = models.FloatField(null=True, blank=True)
    machine_explanation = models.TextField(blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    # Where the engine found it; a second extraction run of the same snapshot finds the same
    # span and the unique constraint below turns it into a no-op.
    extracted_from = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    engine_version = models.CharField(max_length=40, blank=True)
    # Verification (filled by the verification job): the claim's group, how many independent
    # sources support it, and the machine score with its explanation (above).
    group = models.ForeignKey(
        "ClaimGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )
    corroborations = models.PositiveIntegerField(default=0)
    # The report's footnotes on the claim's sentence: "ISW says, citing <url>".
    citations = models.ManyToManyField("sources.Citation", blank=True, related_name="claims")
    # The last person who changed what the claim says (not its review status); the four-eyes
    # rule keeps them from verifying it. Null when only the engine wrote it.
    content_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Bumped by every change; a stale version is refused."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = tracked_history()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            # The API's list of verified claims, newest first, paged by (updated_at, id).
            models.Index(fields=["status", "-updated_at", "-id"], name="claim_status_updated"),
            # The claim list, newest first, unfiltered or with a filter the planner combines.
            models.Index(fields=["-updated_at", "-id"], name="claim_updated"),
            # The desk's common pairs: "unreviewed casualties", "my open claims".
            models.Index(fields=["unit", "status"], name="claim_unit_status"),
            models.Index(fields=["assignee", "status"], name="claim_assignee_status"),
        ]
        permissions = [
            ("review_claim", "Can start review and decide a claim's status"),
            ("reopen_claim", "Can re-open a decided claim"),
            ("assign_claim", "Can assign claims to people"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["extracted_from", "span_start", "span_end", "kind"],
                name="claim_unique_extracted_span",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.quote[:60]}"


# What a claim says, as opposed to its review state, in the order people read it. The
# workflow, the API and the export all take their field lists from here.
CLAIM_CONTENT_FIELDS = (
    "kind",
    "statement",
    "quote",
    "value",
    "lower",
    "upper",
    "qualifier",
    "unit",
    "subject",
    "time_text",
    "time_start",
    "time_end",
    "places",
    "actors",
    "attributed_to",
    "hedges",
    "role",
    "phase",
    "inherited",
)


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    CONTEXT = "context", "Context"


class Credibility(models.IntegerChoices):
    """Admiralty code, information credibility."""

    CONFIRMED = 1, "1: confirmed by other sources"
    PROBABLY_TRUE = 2, "2: probably true"
    POSSIBLY_TRUE = 3, "3: possibly true"
    DOUBTFUL = 4, "4: doubtful"
    IMPROBABLE = 5, "5: improbable"
    CANNOT_BE_JUDGED = 6, "6: truth cannot be judged"


class AnchorOutcome(models.TextChoices):
    """How the quote was found again when its document was captured anew."""

    EXACT = "exact", "Exact"
    MOVED = "moved", "Moved"
    FUZZY = "fuzzy", "Fuzzy"
    ORPHANED = "orphaned", "Orphaned"


class Evidence(models.Model):
    """A claim anchored to a span of a snapshot's text (W3C Web Annotation selectors)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=12, choices=Stance.choices, default=Stance.SUPPORTS)
    # TextQuoteSelector
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    # TextPositionSelector, in Python str indices of snapshot.text
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    credibility = models.PositiveSmallIntegerField(
        choices=Credibility.choices, default=Credibility.CANNOT_BE_JUDGED
    )
    anchor = models.CharField(
        max_length=10, choices=AnchorOutcome.choices, default=AnchorOutcome.EXACT
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    added_by_engine = models.CharField(
        max_length=40, blank=True, help_text="Engine version, when the engine added it."
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = tracked_history()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["claim_id", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "snapshot", "start", "end"], name="evidence_unique_span"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="evidence_span_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.exact[:60]}"

    @property
    def selectors(self) -> list[dict[str, object]]:
        return [
            {
                "type": "TextQuoteSelector",
                "exact": self.exact,
                "prefix": self.prefix,
                "suffix": self.suffix,
            },
            {"type": "TextPositionSelector", "start": self.start, "end": self.end},
        ]


class Review(models.Model):
    """Append-only log of review decisions."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    confidence = models.CharField(max_length=20, choices=Confidence.choices, blank=True)
    rationale = models.TextField()
    origin = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status} on claim {self.claim_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise RuntimeError("review decisions are append-only; record a new decision")
        super().save(*args, **kwargs)


class Job(models.Model):
    """The record of a background job: the outbox. Redis only rings the bell."""

    class Kind(models.TextChoices):
        EXTRACT_CLAIMS = "extract_claims", "Extract claims from a snapshot"
        VERIFY_CLAIMS = "verify_claims", "Group, compare and score claims"
        CAPTURE_URL = "capture_url", "Capture a URL"
        INTEGRITY_CHECK = "integrity_check", "Check snapshot hashes and evidence quotes"
        REFETCH = "refetch", "Re-fetch URL documents that are due"
        DELIVER_WEBHOOK = "deliver_webhook", "Deliver a webhook event"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40, choices=Kind.choices)
    snapshot = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    payload = models.JSONField(
        default=dict, blank=True, help_text="The job's arguments (ids), when not a snapshot."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    origin = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # Progress people can see (claims.pipeline.progress writes it, batch by batch).
    progress = models.FloatField(default=0.0, help_text="Share of the work done, 0 to 1.")
    claims_so_far = models.PositiveIntegerField(
        default=0, help_text="Claims stored (extraction) or recomputed (verification) so far."
    )
    estimated_end_at = models.DateTimeField(null=True, blank=True)
    # Where a rerun resumes: written in the same transaction as the batch it follows.
    checkpoint = models.JSONField(default=dict, blank=True)
    # The run that holds the lease; a heartbeat renews it while that run works.
    lease_owner = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)


class ClaimGroup(models.Model):
    """Claims that state the same fact, across documents (filled by the verification job)."""

    key = models.CharField(
        max_length=200, db_index=True, help_text="Blocking key: unit, place and period."
    )
    label = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.label or f"group {self.pk}"


class ClaimRelation(models.Model):
    """How two claims bear on each other, with the engine's explanation."""

    class Kind(models.TextChoices):
        SAME = "same", "Same claim"
        CONSISTENT = "consistent", "Consistent"
        PART_OF = "part_of", "Part of"
        CONTAINS = "contains", "Contains (the other is a part)"
        CONTRADICTS = "contradicts", "Contradicts"
        REVISION = "revision", "Revision to review (a source lowered its running total)"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations")
    other = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    explanation = models.TextField()
    # How alike the two claims are (verifier.linking.similarity): a claim keeps only its most
    # similar relations, and the claim page lists them in this order.
    similarity = models.FloatField(default=0.0)
    engine_version = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim_id", "kind", "other_id"]
        # "Has a contradiction": the claims with one, without reading every relation.
        indexes = [models.Index(fields=["kind", "claim"], name="relation_kind_claim")]
        constraints = [
            models.UniqueConstraint(fields=["claim", "other"], name="claim_relation_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.kind} {self.other_id}"


class ClaimBlockingKey(models.Model):
    """The verification index: a claim filed under each of its blocking keys
    (verifier.grouping.blocking_keys). Candidates for a new claim are the newest claims under
    its keys, read through the (key, claim) index: no scan of the claim table. Derived data,
    rewritten by every verification of the claim, so it keeps no history."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="blocking_keys")
    key = models.CharField(max_length=200)
    # The claim's document, copied here so candidates from other documents are one index
    # range per key (relations are cross-document): a long report's own claims would
    # otherwise fill the slots under its keys. The (key, document, claim) index serves it.
    document = models.ForeignKey(
        "sources.Document", null=True, blank=True, on_delete=models.CASCADE,
        related_name="+", db_index=False,
    )  # fmt: skip

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "claim"], name="claim_blocking_key_unique")
        ]
        indexes = [
            models.Index(fields=["key", "document", "claim"], name="blocking_key_document_claim")
        ]

    def __str__(self) -> str:
        return f"{self.key} -> {self.claim_id}"


class ApiToken(models.Model):
    """A tool's key for the REST API. Only a hash of the key is stored."""

    name = models.CharField(max_length=100, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    prefix = models.CharField(max_length=8, help_text="First characters, to recognise a key.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Alert(models.Model):
    """Something an integrity or re-fetch job found wrong; never fixed silently."""

    class Kind(models.TextChoices):
        BYTES_CHANGED = "bytes_changed", "Stored bytes no longer match their sha256"
        TEXT_CHANGED = "text_changed", "Stored text no longer matches its sha256"
        QUOTE_MISMATCH = "quote_mismatch", "Evidence quote not found at its position"
        SOURCE_CHANGED = "source_changed", "Quote vanished from the live page"
        FILE_MISSING = "file_missing", "Stored bytes are missing"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    snapshot = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # One open alert per problem: a periodic check run again does not pile up rows. Two
        # partial constraints, because NULLs are distinct in a unique index (and SQLite cannot
        # say otherwise).
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "snapshot", "evidence"],
                condition=models.Q(resolved_at__isnull=True, evidence__isnull=False),
                name="alert_one_open_per_evidence",
            ),
            models.UniqueConstraint(
                fields=["kind", "snapshot"],
                condition=models.Q(resolved_at__isnull=True, evidence__isnull=True),
                name="alert_one_open_per_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message[:60]}"


from claims.custody.models import (  # noqa: E402, F401  (custody's models, registered here)
    LedgerColumns,
    LedgerEntry,
    LedgerHead,
    WebhookDelivery,
    WebhookSubscription,
)
from claims.desk.models import SavedFilter  # noqa: E402, F401  (the desk's model, registered here)
