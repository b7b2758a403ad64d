from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from warcio.archiveiterator import ArchiveIterator

from sources.history import tracked_change
from sources.models import Snapshot
from sources.readers import DecodedText
from sources.services import snapshot_create, snapshot_store_bytes
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)


def read_warc(path):
    with open(path, "rb") as handle:
        return [
            (r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
            for r in ArchiveIterator(handle)
        ]


def test_a_document_exports_as_a_warc_with_its_bytes_and_headers(tmp_path):
    upload = ingest_text().snapshot
    page = b"<html><body><p>Officials counted 12 wounded soldiers.</p></body></html>"
    snapshot_store_bytes(page)
    with tracked_change(origin="command", reason="test"):
        fetched, _ = snapshot_create(
            document=upload.document,
            raw=page,
            decoded=DecodedText("Officials counted 12 wounded soldiers.", "utf-8", "text/html"),
            method=Snapshot.Method.FETCH,
            final_url="https://news.example.org/article",
            http_status=200,
            http_headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"abc"'},
        )
    out = tmp_path / "report.warc.gz"

    call_command("export_warc", str(upload.document_id), str(out))

    records = read_warc(out)
    assert [r[0] for r in records] == ["warcinfo", "resource", "response"]
    _, headers, _, body = records[1]
    assert hashlib.sha256(body).hexdigest() == upload.sha256
    assert headers.get_header("WARC-Payload-Digest") == f"sha256:{upload.sha256}"
    _, headers, http, body = records[2]
    assert body == page
    assert headers.get_header("WARC-Target-URI") == "https://news.example.org/article"
    assert http.get_statuscode() == "200" and http.get_header("ETag") == '"abc"'
    captured = datetime.strptime(headers.get_header("WARC-Date"), "%Y-%m-%dT%H:%M:%SZ")
    assert captured.replace(tzinfo=UTC).date() == fetched.captured_at.date()
    assert not (tmp_path / "report.warc.gz.partial").exists()


def test_exporting_an_unknown_document_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No document 999"):
        call_command("export_warc", "999", str(tmp_path / "x.warc.gz"))
