"""Preservation: a document's snapshots as a WARC file (ISO 28500), readable by archive tools."""

from __future__ import annotations

import io
from typing import BinaryIO

from django.core.files.storage import default_storage
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sources.models import Document, Snapshot

REASONS = {200: "OK", 203: "Non-Authoritative Information", 206: "Partial Content"}


def _target_uri(snapshot: Snapshot) -> str:
    return snapshot.final_url or snapshot.document.url or f"urn:sha256:{snapshot.sha256}"


def document_warc_write(document: Document, out: BinaryIO) -> int:
    """Write every snapshot of `document` to `out` as a gzipped WARC; returns the record count.

    Fetched snapshots become `response` records with their original HTTP status and headers;
    uploads, pastes and seeds become `resource` records. Each carries the capture time and the
    sha256 of its bytes.
    """
    writer = WARCWriter(out, gzip=True)
    info = writer.create_warcinfo_record(
        f"document-{document.pk}.warc.gz",
        {
            "software": "claim-verifier",
            "format": "WARC File Format 1.1",
            "description": f"{document.source}: {document.title}",
        },
    )
    writer.write_record(info)
    records = 1
    for snapshot in document.snapshots.order_by("captured_at", "id"):
        with default_storage.open(snapshot.raw.name, "rb") as handle:
            raw = handle.read()
        warc_headers = {
            "WARC-Date": snapshot.captured_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "WARC-Payload-Digest": f"sha256:{snapshot.sha256}",
        }
        if snapshot.capture_method == Snapshot.Method.FETCH and snapshot.http_status:
            status = snapshot.http_status
            http_headers = StatusAndHeaders(
                f"{status} {REASONS.get(status, 'OK')}",
                list(snapshot.http_headers.items()),
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                _target_uri(snapshot),
                "response",
                payload=io.BytesIO(raw),
                http_headers=http_headers,
                warc_headers_dict=warc_headers,
            )
        else:
            record = writer.create_warc_record(
                _target_uri(snapshot),
                "resource",
                payload=io.BytesIO(raw),
                length=len(raw),
                warc_content_type=snapshot.media_type,
                warc_headers_dict=warc_headers,
            )
        writer.write_record(record)
        records += 1
    return records
