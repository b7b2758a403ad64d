"""Writes for the claim pipeline: ingest a document and queue the extraction of its claims.

The extraction itself (batched, checkpointed) is claims/pipeline/extraction.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from claims.jobs import job_create
from claims.models import Job
from claims.pipeline.limits import refuse_unworkable
from sources.history import tracked_change
from sources.models import Snapshot
from sources.services import (
    decode_document,
    document_find_or_create,
    sha256_hex,
    snapshot_create,
    snapshot_store_bytes,
    source_get_or_create,
)


@dataclass(frozen=True)
class IngestResult:
    snapshot: Snapshot
    job: Job | None
    created: bool


def document_ingest(
    *,
    raw: bytes,
    name: str,
    source_name: str,
    title: str,
    url: str = "",
    published: date | None = None,
    method: str,
    origin: str,
    user: Any = None,
) -> IngestResult:
    """Capture `raw` as a snapshot of its document and queue the extraction of its claims.

    Returns created=False, with nothing written, when these bytes were captured before.
    Raises sources.services.CaptureError when the bytes cannot be read as a document, and
    its subclass WorkTooLarge when no job could extract and verify it in time.
    """
    decoded = decode_document(raw, name=name)
    refuse_unworkable(chars=len(decoded.text), name=name)
    snapshot_store_bytes(raw)  # file I/O stays outside the transaction
    with (
        tracked_change(origin=origin, reason=f"ingested {name}", user=user),
        transaction.atomic(),
    ):
        source = source_get_or_create(name=source_name)
        document = document_find_or_create(
            source=source,
            title=title,
            url=url,
            published_at=published,
            sha256=sha256_hex(raw),
        )
        snapshot, created = snapshot_create(
            document=document, raw=raw, decoded=decoded, method=method, user=user
        )
        if not created:
            return IngestResult(snapshot=snapshot, job=None, created=False)
        job = job_create(kind=Job.Kind.EXTRACT_CLAIMS, snapshot=snapshot)
    return IngestResult(snapshot=snapshot, job=job, created=True)
