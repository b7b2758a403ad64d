"""The text of a Word document (DOCX, a ZIP archive): every part is size-checked and streamed
through before anything is parsed, and only word/document.xml is read (sources/docx_text.py)."""

from __future__ import annotations

import io
import zipfile
import zlib

from sources.captured import DOCX_TYPE, CaptureError, DecodedText
from sources.docx_text import DocxTextError, docx_text

# An archive (DOCX) is read part by part: no part may inflate past the byte limit, and all
# of them together past this many times it (XML compresses about tenfold, so a real report
# stays far below). zipfile never inflates a part past its declared size, and a part that
# inflates to more or less than declared fails its CRC: checking the declared sizes first,
# then streaming every part through in small chunks, bounds the memory a hostile file takes.
_MAX_ARCHIVE_EXPANSION = 3
_ZIP_CHUNK = 1 << 20


def read_zip(raw: bytes, *, name: str, max_bytes: int) -> DecodedText:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        archive.getinfo("word/document.xml")  # KeyError: a ZIP that is no Word document
    except KeyError:
        raise CaptureError(
            f"{name} is a ZIP archive, not a Word document (.docx): capture the documents "
            "inside it one by one."
        ) from None
    except zipfile.BadZipFile as exc:
        raise CaptureError(
            f"{name} is a damaged ZIP or Word file ({exc}): download it again."
        ) from exc
    _check_archive_parts(archive, name=name, max_bytes=max_bytes)
    return _read_docx(archive, name=name, max_bytes=max_bytes)


def _check_archive_parts(archive: zipfile.ZipFile, *, name: str, max_bytes: int) -> None:
    """Refuse an archive any part of which would inflate past `max_bytes` (or all of them
    past _MAX_ARCHIVE_EXPANSION times it), streaming each part to check it really holds
    what its header says. Raises CaptureError naming the part."""
    parts = archive.infolist()
    for part in parts:
        if part.file_size > max_bytes:
            raise CaptureError(
                f"{name} is an archive whose part {part.filename} expands to "
                f"{part.file_size:,} bytes, over the {max_bytes:,}-byte limit "
                "(MAX_DOCUMENT_BYTES): it may be a zip bomb; save a plain copy and capture that."
            )
    total = sum(part.file_size for part in parts)
    if total > max_bytes * _MAX_ARCHIVE_EXPANSION:
        raise CaptureError(
            f"{name} is an archive whose parts expand to {total:,} bytes together, over "
            f"{_MAX_ARCHIVE_EXPANSION} × the {max_bytes:,}-byte limit (MAX_DOCUMENT_BYTES): "
            "split the document."
        )
    for part in parts:
        try:
            with archive.open(part) as stream:
                while stream.read(_ZIP_CHUNK):
                    pass
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
            raise CaptureError(
                f"{name} has a damaged or disguised part {part.filename} ({exc}): "
                "download it again."
            ) from exc


def _read_docx(archive: zipfile.ZipFile, *, name: str, max_bytes: int) -> DecodedText:
    try:
        with archive.open("word/document.xml") as part:
            text = docx_text(part, max_chars=max_bytes)
    except DocxTextError as exc:
        raise CaptureError(
            f"{name} is a damaged or hostile Word document: {exc}. Open and save it again, "
            "or export a PDF."
        ) from exc
    if not text.strip():
        raise CaptureError(
            f"{name} is a Word document with no text (it may hold only images): "
            "provide a text version."
        )
    return DecodedText(text, "", DOCX_TYPE)
