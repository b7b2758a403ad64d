"""Hostile files: each refused with a message saying what is wrong, within a memory bound,
leaving no row behind (issue 14, point 5). The files are generated here, small on disk."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest

from claims.models import Claim, Job
from sources.models import Document, Snapshot, Source
from sources.readers import CaptureError
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = 1_000_000  # MAX_DOCUMENT_BYTES for these tests
# Python heap while a hostile file is read and refused: far below what inflating it would take.
PEAK_BOUND = 8 * LIMIT

CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"/>'
)


def _docx(parts: dict[str, bytes], *, lie: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        for part, data in parts.items():
            archive.writestr(part, data)
    raw = buffer.getvalue()
    if lie is None:
        return raw
    # Rewrite the part's declared size in its central directory entry to a small number.
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        info = archive.getinfo(lie)
    real = info.file_size.to_bytes(4, "little")
    return raw.replace(real, (1000).to_bytes(4, "little"))


def _zeros(size: int) -> bytes:
    return b"<w:styles>" + b" " * size + b"</w:styles>"


HOSTILE = {
    "styles.xml bomb": (
        lambda: _docx(
            {"word/document.xml": b"<w:document/>", "word/styles.xml": _zeros(50 * LIMIT)}
        ),
        "part word/styles.xml expands to",
    ),
    "document.xml bomb": (
        lambda: _docx({"word/document.xml": _zeros(30 * LIMIT)}),
        "part word/document.xml expands to",
    ),
    "many parts under the cap": (
        lambda: _docx(
            {"word/document.xml": b"<w:document/>"}
            | {f"word/media/pad{i}.xml": _zeros(LIMIT - 100) for i in range(5)}
        ),
        "parts expand to",
    ),
    "a part that lies about its size": (
        lambda: _docx(
            {"word/document.xml": b"<w:document/>", "word/styles.xml": _zeros(3 * LIMIT // 4)},
            lie="word/styles.xml",
        ),
        "damaged or disguised part word/styles.xml",
    ),
    "a zip that is no Word document": (
        lambda: _docx({"inner.zip": b"PK\x03\x04" + b"\0" * 100}),
        "not a Word document",
    ),
    "a truncated zip": (lambda: _docx({"word/document.xml": b"<w:document/>"})[:60], "damaged"),
    "an executable": (lambda: b"MZ\x90\x00" + b"\0" * 2000, "Windows executable"),
    "a truncated PDF": (lambda: b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "truncated PDF"),
    "an oversize text": (lambda: b"12 soldiers were wounded. " * (LIMIT // 20), "over the"),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_a_hostile_file_is_refused_clearly_within_bounds_and_leaves_nothing(case, settings):
    settings.MAX_DOCUMENT_BYTES = LIMIT
    make, message = HOSTILE[case]
    raw = make()
    counts = [m.objects.count() for m in (Source, Document, Snapshot, Job, Claim)]

    tracemalloc.start()
    try:
        with pytest.raises(CaptureError) as refused:
            ingest_text(raw.decode("latin-1"), name="report.docx", encoding="latin-1")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert message in str(refused.value)
    assert peak < PEAK_BOUND + 3 * len(raw), f"peak {peak:,} bytes"
    assert [m.objects.count() for m in (Source, Document, Snapshot, Job, Claim)] == counts
