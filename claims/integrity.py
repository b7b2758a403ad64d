"""The periodic integrity check: stored bytes, stored text and every evidence quote.

A mismatch is raised as an Alert for people to look at, never repaired silently: a snapshot
whose bytes changed on disk is evidence of tampering or corruption, not a cache to refresh.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.storage import default_storage

from claims.custody.webhooks import alert_event
from claims.jobs import job_handler
from claims.models import Alert, Evidence, Job
from sources.models import Snapshot

CHUNK = 1024 * 1024


def _alert(kind: str, message: str, snapshot_id: int, evidence_id: int | None = None) -> bool:
    """Raise an alert unless the same problem is already open; returns True when new."""
    alert, created = Alert.objects.get_or_create(
        kind=kind,
        snapshot_id=snapshot_id,
        evidence_id=evidence_id,
        resolved_at=None,
        defaults={"message": message},
    )
    if created:
        alert_event(alert)
    return created


def _file_sha256(name: str) -> str | None:
    try:
        with default_storage.open(name, "rb") as handle:
            digest = hashlib.sha256()
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def snapshots_check() -> dict[str, int]:
    """Recompute every snapshot's hashes and check every evidence quote against its text.

    Streams the bytes and walks the tables in id order, so memory stays flat. Returns counts.
    """
    checked = new_alerts = 0
    rows = Snapshot.objects.order_by("id").values_list("id", "raw", "sha256", "text_sha256")
    for snapshot_id, name, sha256, text_sha256 in rows.iterator(chunk_size=200):
        checked += 1
        actual = _file_sha256(name)
        if actual is None:
            new_alerts += _alert(
                Alert.Kind.FILE_MISSING, f"snapshot {snapshot_id}: {name} is missing", snapshot_id
            )
        elif actual != sha256:
            new_alerts += _alert(
                Alert.Kind.BYTES_CHANGED,
                f"snapshot {snapshot_id}: stored bytes hash to {actual}, recorded {sha256}",
                snapshot_id,
            )
        text = Snapshot.objects.values_list("text", flat=True).get(pk=snapshot_id)
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != text_sha256:
            new_alerts += _alert(
                Alert.Kind.TEXT_CHANGED,
                f"snapshot {snapshot_id}: its text no longer matches text_sha256",
                snapshot_id,
            )
        evidence = Evidence.objects.filter(snapshot_id=snapshot_id).values_list(
            "id", "claim_id", "start", "end", "exact"
        )
        for evidence_id, claim_id, start, end, exact in evidence.iterator(chunk_size=500):
            if text[start:end] != exact:
                new_alerts += _alert(
                    Alert.Kind.QUOTE_MISMATCH,
                    f"claim {claim_id}: the quote “{exact[:80]}” is not at {start}–{end} of "
                    f"snapshot {snapshot_id}",
                    snapshot_id,
                    evidence_id,
                )
    return {"snapshots": checked, "new_alerts": new_alerts}


@job_handler(Job.Kind.INTEGRITY_CHECK)
def integrity_check_job(job: Job) -> dict[str, Any]:
    return snapshots_check()
