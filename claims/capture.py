"""Capture by URL: a person asks, a job fetches safely, the extraction follows.

The request is recorded at once (the document and a Job, in one transaction); the fetch runs
in the job, outside any transaction, through sources.fetching's guarded client.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.jobs import job_create, job_handler
from claims.models import Job
from claims.pipeline.limits import refuse_unworkable
from sources.citations import cited_source_name
from sources.fetching import fetch_url
from sources.history import tracked_change
from sources.models import Document, Snapshot, Source
from sources.readers import CaptureError
from sources.services import decode_document, snapshot_create, snapshot_store_bytes


def url_capture_request(
    *,
    url: str,
    origin: str,
    user: Any = None,
    source_name: str = "",
    title: str = "",
    published: date | None = None,
) -> Job:
    """Record the document for `url` (reusing it when known) and queue its capture.

    Returns the Job. Raises CaptureError for a URL that is not http(s) at all; every other
    refusal (private address, size, type, time) is found by the fetch and recorded on the Job.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CaptureError(f"{url!r} is not an http(s) URL: give the full address, with https://.")
    reason = f"capture requested for {url}"
    with tracked_change(origin=origin, reason=reason, user=user), transaction.atomic():
        document = Document.objects.filter(url=url).first()
        if document is None:
            source, _ = Source.objects.get_or_create(name=source_name or cited_source_name(url))
            document = Document.objects.create(
                source=source, title=title or url[:500], url=url, published_at=published
            )
        return job_create(
            kind=Job.Kind.CAPTURE_URL, payload={"document_id": document.pk, "url": url}
        )


def _fetch_settings() -> dict[str, Any]:
    return {
        "max_bytes": settings.MAX_DOCUMENT_BYTES,
        "timeout": settings.FETCH_TIMEOUT_SECONDS,
        "max_redirects": settings.FETCH_MAX_REDIRECTS,
        "allow_loopback_ports": frozenset(settings.FETCH_ALLOW_LOOPBACK_PORTS),
    }


@job_handler(Job.Kind.CAPTURE_URL, atomic=False)
def capture_url_job(job: Job) -> dict[str, Any]:
    """Fetch the URL, store a snapshot when the bytes are new, queue their extraction.

    Refusals and unreadable content raise CaptureError, which fails the Job with its message.
    """
    document = Document.objects.get(pk=job.payload["document_id"])
    fetched = fetch_url(job.payload["url"], **_fetch_settings())
    decoded = decode_document(
        fetched.raw,
        name=fetched.final_url,
        declared_type=fetched.headers.get("Content-Type", ""),
    )
    # A page no job could extract in time fails its capture here, before anything is stored.
    refuse_unworkable(chars=len(decoded.text), name=fetched.final_url)
    snapshot_store_bytes(fetched.raw)
    who = job.requested_by
    reason = f"captured {fetched.final_url} (job {job.pk})"
    with tracked_change(origin="task", reason=reason), transaction.atomic():
        snapshot, created = snapshot_create(
            document=document,
            raw=fetched.raw,
            decoded=decoded,
            method=Snapshot.Method.FETCH,
            user=who,
            final_url=fetched.final_url,
            http_status=fetched.status,
            http_headers=fetched.headers,
        )
        document.last_fetched_at = timezone.now()
        document.save(update_fields=["last_fetched_at", "updated_at"])
        if created:
            job_create(kind=Job.Kind.EXTRACT_CLAIMS, snapshot=snapshot)
    return {
        "snapshot": snapshot.pk,
        "created": created,
        "final_url": fetched.final_url,
        "status": fetched.status,
        "bytes": len(fetched.raw),
        "diff": snapshot.diff_summary,
    }


@job_handler(Job.Kind.REFETCH)
def refetch_due_job(job: Job) -> dict[str, Any]:
    """Queue a capture of every URL document whose re-fetch interval has passed."""
    now = timezone.now()
    due = []
    scheduled = Document.objects.exclude(url="").filter(refetch_every_hours__isnull=False)
    for document in scheduled.only("id", "url", "refetch_every_hours", "last_fetched_at"):
        interval = timedelta(hours=document.refetch_every_hours)
        if document.last_fetched_at is None or document.last_fetched_at + interval <= now:
            due.append(document)
    with tracked_change(origin="task", reason=f"scheduled re-fetch (job {job.pk})"):
        for document in due:
            job_create(
                kind=Job.Kind.CAPTURE_URL,
                payload={"document_id": document.pk, "url": document.url},
            )
    return {"queued": len(due)}
