"""Writes for sources, documents and snapshots. Capture is split in two: reading bytes into
text (pure, may fail with a clear CaptureError) and storing the snapshot (in a transaction)."""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from datetime import date

import charset_normalizer
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from sources.models import Document, Snapshot, Source


class CaptureError(ValueError):
    """The input cannot be captured; the message says what was wrong and what to do."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    media_type: str


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Control characters other than tab, newline, carriage return and form feed do not occur in
# text documents; many of them mean the bytes are a binary file decoded by accident.
_BINARY_CONTROLS = {chr(c) for c in range(32) if c not in (9, 10, 12, 13)}


def decode_text(raw: bytes, *, name: str = "the document") -> DecodedText:
    """Decode the bytes of a plain-text document.

    Returns the text with the encoding it was read in: UTF-8 when the bytes are valid UTF-8,
    the encoding named by a byte-order mark, else the one charset-normalizer detects.
    Raises CaptureError for empty, oversize or binary input.
    """
    if not raw.strip():
        raise CaptureError(f"{name} is empty: there is no text to capture.")
    limit = settings.MAX_DOCUMENT_BYTES
    if len(raw) > limit:
        raise CaptureError(
            f"{name} is {len(raw):,} bytes, over the {limit:,}-byte limit "
            "(MAX_DOCUMENT_BYTES): split it or raise the limit."
        )
    text, encoding = _decode(raw)
    if text is None or _looks_binary(text):
        raise CaptureError(
            f"{name} is not a text document (it looks like binary data): capture a plain-text file."
        )
    return DecodedText(text=text, encoding=encoding, media_type="text/plain")


def _decode(raw: bytes) -> tuple[str | None, str]:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError:
                return None, ""
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        return None, ""
    return str(best), best.encoding


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch in _BINARY_CONTROLS)
    return controls > max(2, len(sample) // 1000)


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
