"""Writes for sources, documents and snapshots. Capture is split in two: reading bytes into
text (sources.readers, may fail with a clear CaptureError) and storing the snapshot (in a
transaction)."""

from __future__ import annotations

import difflib
import hashlib
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from sources.models import Document, Snapshot, Source
from sources.readers import CaptureError, DecodedText, read_document  # noqa: F401 (re-export)


def decode_document(raw: bytes, *, name: str, declared_type: str = "") -> DecodedText:
    """The text the engine reads from these bytes, within the configured size limit.

    Raises CaptureError saying what is wrong (empty, oversize, binary, unreadable).
    """
    return read_document(
        raw, name=name, declared_type=declared_type, max_bytes=settings.MAX_DOCUMENT_BYTES
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot_store_bytes(raw: bytes) -> str:
    """Write the bytes to storage under their hash; returns the storage name.

    Content-addressed, so writing the same bytes twice is harmless. Called before the
    database transaction: no file I/O happens while the transaction holds its locks.
    """
    digest = sha256_hex(raw)
    name = f"snapshots/{digest[:2]}/{digest}"
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(raw))
        if saved != name:  # another process wrote it first; keep one copy
            default_storage.delete(saved)
    return name


def text_diff_summary(old: str, new: str) -> str:
    """A one-line account of how a document's text changed between two captures."""
    if old == new:
        return "text unchanged (only the bytes differ)"
    added = removed = 0
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    return f"{added} line(s) added, {removed} removed; {len(old):,} -> {len(new):,} characters"


def source_get_or_create(*, name: str) -> Source:
    source, _ = Source.objects.get_or_create(name=name)
    return source


def document_find_or_create(
    *,
    source: Source,
    title: str,
    url: str = "",
    published_at: date | None = None,
    sha256: str,
) -> Document:
    """The document these bytes belong to: by URL, else by the bytes already captured from the
    same source, else by title; a new one when none matches."""
    documents = Document.objects.filter(source=source)
    if url:
        found = documents.filter(url=url).first()
    else:
        found = documents.filter(snapshots__sha256=sha256).first()
        found = found or documents.filter(title=title, url="").first()
    if found is not None:
        return found
    return Document.objects.create(source=source, title=title, url=url, published_at=published_at)


def snapshot_create(
    *,
    document: Document,
    raw: bytes,
    decoded: DecodedText,
    method: str,
    user: object = None,
    final_url: str = "",
    http_status: int | None = None,
    http_headers: dict[str, str] | None = None,
) -> tuple[Snapshot, bool]:
    """Store a snapshot of `raw` for `document`; returns (snapshot, created).

    The same bytes for the same document are stored once: a second call returns the first
    snapshot with created=False.
    """
    digest = sha256_hex(raw)
    existing = Snapshot.objects.filter(document=document, sha256=digest).first()
    if existing is not None:
        return existing, False
    previous = document.snapshots.order_by("-captured_at", "-id").first()
    snapshot = Snapshot(
        document=document,
        size=len(raw),
        media_type=decoded.media_type,
        encoding=decoded.encoding,
        sha256=digest,
        captured_at=timezone.now(),
        capture_method=method,
        captured_by=user if getattr(user, "is_authenticated", False) else None,
        final_url=final_url,
        http_status=http_status,
        http_headers=http_headers or {},
        text=decoded.text,
        text_sha256=sha256_hex(decoded.text.encode("utf-8")),
        diff_summary=text_diff_summary(previous.text, decoded.text) if previous else "",
    )
    snapshot.raw.name = f"snapshots/{digest[:2]}/{digest}"
    try:
        with transaction.atomic():
            snapshot.save()
    except IntegrityError:
        # A concurrent capture of the same bytes won the race; theirs is ours.
        return Snapshot.objects.get(document=document, sha256=digest), False
    return snapshot, True
