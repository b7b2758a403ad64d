"""The text of a PDF, read under resource limits set from the document byte limit, so a
hostile file (a decompression bomb, a page of millions of operators) is refused with a message
rather than taking the server's memory."""

from __future__ import annotations

import io
from typing import Any

from sources.captured import PDF_TYPE, CaptureError, DecodedText

# A PDF's pages' content streams together may inflate to this many times the byte limit
# (text PDFs compress about fivefold; fonts and images are not content streams).
_MAX_PDF_CONTENT_EXPANSION = 2


def pdf_limits(max_bytes: int) -> dict[str, int]:
    """pypdf's resource limits for one document: no stream may inflate, nor any image
    buffer grow, past the document limit itself (pypdf's defaults allow 75 MB each)."""
    return {
        "maximum_declared_stream_length": max_bytes,
        "array_based_stream_maximum_output_length": max_bytes,
        "zlib_maximum_output_length": max_bytes,
        "lzw_maximum_output_length": max_bytes,
        "run_length_maximum_output_length": max_bytes,
        "brotli_maximum_output_length": max_bytes,
        "jbig2_maximum_output_length": max_bytes,
        "image_maximum_buffer_size": max_bytes,
        "stream_decoding_work_maximum_length": 2 * max_bytes,
        # Parsed operators cost about 70 bytes each: a tenth of the byte limit keeps one
        # content stream's parse near the size of the limit (2,000,000 at 20 MB, pypdf's own).
        "stream_parsing_work_maximum_count": max(10_000, max_bytes // 10),
        "xmp_maximum_input_length": min(5_000_000, max_bytes),
        "xform_maximum_invocations_per_extraction": 500,
    }


def read_pdf(raw: bytes, *, name: str, max_bytes: int) -> DecodedText:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    # pypdf recovers what it can from a cut-off file, which would silently drop the pages
    # after the cut: a PDF must end with its end-of-file marker.
    if b"%%EOF" not in raw[-2048:]:
        raise CaptureError(
            f"{name} is a truncated PDF (its end-of-file marker is missing): download it again."
        )
    pages: list[str] = []
    try:
        with apply_configuration(**pdf_limits(max_bytes)):
            reader = PdfReader(io.BytesIO(raw))
            if reader.is_encrypted and not _pdf_opens_without_password(reader):
                raise CaptureError(
                    f"{name} is an encrypted PDF: its text cannot be read without the "
                    "password; provide an unencrypted copy."
                )
            # Every page's content stream stays decoded in pypdf's object cache, and every
            # page's text in memory: both are bounded for the whole document.
            content = chars = 0
            for number, page in enumerate(reader.pages, 1):
                content += _pdf_content_bytes(page)
                if content > max_bytes * _MAX_PDF_CONTENT_EXPANSION:
                    raise CaptureError(
                        f"{name} is a PDF whose pages' content inflates past "
                        f"{_MAX_PDF_CONTENT_EXPANSION} × the {max_bytes:,}-byte limit "
                        f"(MAX_DOCUMENT_BYTES) by page {number}: it may be a decompression "
                        "bomb; split the document or export its text."
                    )
                pages.append(page.extract_text() or "")
                chars += len(pages[-1])
                if chars > max_bytes:
                    raise CaptureError(
                        f"{name} is a PDF whose text passes {max_bytes:,} characters by page "
                        f"{number} (MAX_DOCUMENT_BYTES): split the document."
                    )
    except CaptureError:
        raise
    except LimitReachedError as exc:
        raise CaptureError(
            f"{name} is a PDF past the resource limits for a {max_bytes:,}-byte document "
            f"(MAX_DOCUMENT_BYTES; {exc}): it may be a decompression bomb; export a fresh "
            "copy or its text."
        ) from exc
    # pypdf raises many kinds of error on hostile or damaged input (PdfReadError, but also
    # KeyError, IndexError, struct.error...): every one of them means the file is unreadable.
    except Exception as exc:
        raise CaptureError(
            f"{name} is a damaged PDF that cannot be read ({exc}): download it again or "
            "export a fresh copy."
        ) from exc
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text:
        raise CaptureError(
            f"{name} is a PDF with no extractable text (probably scanned images): "
            "run OCR on it or provide a text version."
        )
    return DecodedText(text, "", PDF_TYPE)


def _pdf_content_bytes(page: Any) -> int:
    """The decoded size of a page's content streams (pypdf caches what it decodes)."""
    contents = page.get("/Contents")
    if contents is None:
        return 0
    contents = contents.get_object()
    streams = contents if isinstance(contents, list) else [contents]
    return sum(len(stream.get_object().get_data()) for stream in streams)


def _pdf_opens_without_password(reader: object) -> bool:
    """Many PDFs are encrypted only against editing, with an empty user password."""
    from pypdf.errors import DependencyError, PdfReadError

    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except (PdfReadError, DependencyError, NotImplementedError, ValueError):
        # DependencyError: AES encryption and no `cryptography` package to undo it.
        return False
