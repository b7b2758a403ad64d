"""Bytes to the text the engine reads: plain text in any common encoding, HTML, PDF, DOCX and
Markdown. Pure: no Django, no I/O beyond the bytes given; the size limit comes in as an argument.

The real type is sniffed from the bytes first (magic numbers), and only then from the declared
Content-Type or the file name: uploads and servers both mislabel files.
"""

from __future__ import annotations

import codecs
import io
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

import charset_normalizer

from sources.docx_text import DocxTextError, docx_text

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MARKDOWN_TYPES = frozenset({"text/markdown", "text/x-markdown"})
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_EXTENSION_TYPES = {
    **dict.fromkeys((".html", ".htm"), "text/html"),
    **dict.fromkeys((".md", ".markdown"), "text/markdown"),
    **{".xhtml": "application/xhtml+xml", ".txt": "text/plain"},
    **{".pdf": PDF_TYPE, ".docx": DOCX_TYPE},
}

_GENERIC_TYPES = frozenset({"", "text/plain", "application/octet-stream", "binary/octet-stream"})

# Formats that are never documents, by their first bytes; the message names what was found.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "an ELF executable"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "a Mach-O or Java class file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc/.xls)"),
    (b"\x00asm", "a WebAssembly module"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

_BOMS = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Control characters other than tab, newline, carriage return and form feed do not occur in
# text documents; many of them mean the bytes are a binary file decoded by accident.
_BINARY_CONTROLS = frozenset(chr(c) for c in range(32) if c not in (9, 10, 12, 13))
# The 8-bit encodings of the reports this service reads, in order of preference when the
# bytes read equally well in several: Western and Central European, Cyrillic (Windows and KOI8).
_LEGACY_ENCODINGS = ("cp1252", "cp1251", "cp1250", "koi8-u", "iso8859-1")
# An archive (DOCX) is read part by part: no part may inflate past the byte limit, and all
# of them together past this many times it (XML compresses about tenfold, so a real report
# stays far below). zipfile never inflates a part past its declared size, and a part that
# inflates to more or less than declared fails its CRC: checking the declared sizes first,
# then streaming every part through in small chunks, bounds the memory a hostile file takes.
_MAX_ARCHIVE_EXPANSION = 3
# A PDF's pages' content streams together may inflate to this many times the byte limit
# (text PDFs compress about fivefold; fonts and images are not content streams).
_MAX_PDF_CONTENT_EXPANSION = 2
# An HTML page may have one element per this many bytes of the size limit (a news page has
# one per 60-100 bytes of its own size, so a page of a quarter of the limit reads whole).
_HTML_BYTES_PER_ELEMENT = 200
_MIN_HTML_ELEMENTS = 5_000
_ZIP_CHUNK = 1 << 20


class CaptureError(ValueError):
    """The input cannot be captured; the message says what was wrong and what to do."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    media_type: str


def read_document(
    raw: bytes, *, name: str = "the document", declared_type: str = "", max_bytes: int
) -> DecodedText:
    """Read the text of a document from its bytes.

    `name` is used in messages and, when it carries an extension, as a hint to the type;
    `declared_type` is a Content-Type (parameters such as charset allowed).
    Returns the text, the encoding it was decoded from ("" for PDF and DOCX) and the media type
    it was read as. Raises CaptureError for empty, oversize, binary, undecodable input and for
    documents with no extractable text.
    """
    if not raw.strip():
        raise CaptureError(f"{name} is empty: there is no text to capture.")
    if len(raw) > max_bytes:
        raise CaptureError(
            f"{name} is {len(raw):,} bytes, over the {max_bytes:,}-byte limit "
            "(MAX_DOCUMENT_BYTES): split it or raise the limit."
        )
    media_type, charset = _parse_content_type(declared_type)
    # Servers label anything they do not know as octet-stream or text/plain (Markdown too):
    # then the file name says more.
    hinted = media_type
    if media_type in _GENERIC_TYPES:
        hinted = _type_from_name(name) or media_type

    if raw[:1024].lstrip().startswith(b"%PDF-"):
        decoded = _read_pdf(raw, name=name, max_bytes=max_bytes)
    elif raw.startswith(b"PK\x03\x04"):
        decoded = _read_zip(raw, name=name, max_bytes=max_bytes)
    else:
        _refuse_binary_signature(raw, name=name)
        if hinted in (PDF_TYPE, DOCX_TYPE):
            kind = "a PDF" if hinted == PDF_TYPE else "a Word document"
            raise CaptureError(
                f"{name} is labelled as {kind} but its bytes are not one: it may be damaged, "
                "truncated at the start, or an error page; download it again."
            )
        decoded = _read_text_like(
            raw, name=name, hinted=hinted, charset=charset, max_bytes=max_bytes
        )
    if not decoded.text.strip():
        raise CaptureError(f"{name} contains only whitespace: there is no text to capture.")
    return decoded


def _parse_content_type(declared: str) -> tuple[str, str]:
    """('text/html', 'windows-1251') from 'text/html; charset="windows-1251"'."""
    media_type, _, params = declared.partition(";")
    charset = ""
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    return media_type.strip().lower(), charset


def _type_from_name(name: str) -> str:
    # Names may be URLs: the extension is on the path, before any query or fragment.
    path = name.split("?", 1)[0].split("#", 1)[0]
    stem = path.rsplit("/", 1)[-1]
    if "." not in stem:
        return ""
    return _EXTENSION_TYPES.get("." + stem.rsplit(".", 1)[-1].lower(), "")


def _refuse_binary_signature(raw: bytes, *, name: str) -> None:
    for signature, what in _BINARY_SIGNATURES:
        if raw.startswith(signature):
            raise CaptureError(
                f"{name} is {what}, not a document: capture text, HTML, PDF or DOCX."
            )
    if raw.startswith(b"RIFF") and raw[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        raise CaptureError(
            f"{name} is a media file, not a document: capture text, HTML, PDF or DOCX."
        )
    # "MZ" alone could begin a sentence; a DOS/PE header is full of zero bytes.
    if raw.startswith(b"MZ") and b"\x00" in raw[2:64]:
        raise CaptureError(
            f"{name} is a Windows executable, not a document: capture text, HTML, PDF or DOCX."
        )


# --- plain text, Markdown, HTML ----------------------------------------------------------


def _read_text_like(
    raw: bytes, *, name: str, hinted: str, charset: str, max_bytes: int
) -> DecodedText:
    head = raw[:2048].lower()
    looks_html = any(marker in head for marker in (b"<!doctype html", b"<html", b"<body"))
    if hinted in HTML_TYPES or looks_html:
        _refuse_html_bomb(raw, name=name, max_bytes=max_bytes)
        text, encoding = _decode(raw, name=name, declared_charset=charset or _meta_charset(raw))
        return DecodedText(
            _html_text(text, name=name), encoding, hinted if hinted in HTML_TYPES else "text/html"
        )
    text, encoding = _decode(raw, name=name, declared_charset=charset)
    if hinted in MARKDOWN_TYPES:
        # Markdown is read as written: the markup is plain text to the engine, and keeping it
        # keeps the offsets of evidence anchored to the stored text.
        return DecodedText(text, encoding, "text/markdown")
    return DecodedText(text, encoding, "text/plain")


def _decode(raw: bytes, *, name: str, declared_charset: str = "") -> tuple[str, str]:
    """The text and the name of the encoding it was decoded from; CaptureError if neither
    a byte-order mark, UTF-8, UTF-16 nor detection gives readable text."""
    text, encoding = _decode_by_sniffing(raw, declared_charset)
    if text is None or _looks_binary(text):
        raise CaptureError(
            f"{name} is not readable text (it looks like binary data or an unknown encoding): "
            "save it as UTF-8 text, HTML, PDF or DOCX and capture that."
        )
    return text, encoding


def _decode_by_sniffing(raw: bytes, declared_charset: str) -> tuple[str | None, str]:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError:
                return None, ""
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        try:
            return raw.decode(utf16), utf16
        except UnicodeDecodeError:
            return None, ""
    try:
        # Valid UTF-8 with any non-ASCII byte is almost never an accident, whatever a charset
        # declaration says: trust the bytes over the label.
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_legacy(raw, _codec_name(declared_charset))


def _decode_legacy(raw: bytes, declared: str) -> tuple[str | None, str]:
    """Decode 8-bit text: the candidate whose reading of the first 64 KiB looks most like
    text wins; ties go to the declared charset, then to the order of _LEGACY_ENCODINGS.

    charset-normalizer alone guesses wrong on short texts (French Latin-1 read as Mac
    Latin-2, Polish as Windows-1252), so its guess is only one candidate among the encodings
    these reports are actually written in.
    """
    sample = raw[:65536]
    candidates = [declared] if declared else []
    candidates += _LEGACY_ENCODINGS
    detected = charset_normalizer.from_bytes(sample).best()
    if detected is not None:
        candidates.append(_codec_name(detected.encoding))
    ranked: list[tuple[int, int, str]] = []
    for order, encoding in enumerate(dict.fromkeys(c for c in candidates if c)):
        try:
            # Incremental, so a multi-byte character cut at the sample's end is not an error.
            text = codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except (UnicodeDecodeError, LookupError):
            continue
        ranked.append((_implausibility(text), order, encoding))
    for _score, _order, encoding in sorted(ranked):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None, ""


def _implausibility(text: str) -> int:
    """How many words read as no language would be written: symbols inside words, letters of
    two scripts in one word, a capital after a small letter (KOI8 read as Windows-1251 and
    back), Latin words with no ASCII letter at all (Cyrillic read as Windows-1252)."""
    score = 0
    for word in text.split():
        scripts: set[str] = set()
        previous = ""
        for char in word:
            if char.isalpha():
                scripts.add(
                    unicodedata.name(char, "?").split(" ", 1)[0] if ord(char) > 127 else "LATIN"
                )
            elif ord(char) > 127 and unicodedata.category(char)[0] not in "PZ":
                score += 1
            if previous.islower() and char.isupper():
                score += 1
            previous = char
        letters = [char for char in word if char.isalpha()]
        mixed = len(scripts) > 1
        no_ascii_latin = (
            scripts == {"LATIN"} and len(letters) >= 3 and all(ord(c) > 127 for c in letters)
        )
        score += mixed or no_ascii_latin
    return score


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes look like BOM-less UTF-16, else None.

    Text in UTF-16 has zero high bytes for every ASCII space, digit and punctuation mark, so
    zeros crowd one byte position of each pair; 8-bit text has no zero bytes at all, and
    binary data scatters them over both positions.
    """
    sample = raw[:4096]
    pairs = len(sample) // 2
    if pairs < 2 or b"\x00" not in sample:
        return None
    even_zeros = sum(1 for i in range(0, pairs * 2, 2) if sample[i] == 0)
    odd_zeros = sum(1 for i in range(1, pairs * 2, 2) if sample[i] == 0)
    if odd_zeros >= pairs * 0.1 and even_zeros <= pairs * 0.01:
        return "utf-16-le"
    if even_zeros >= pairs * 0.1 and odd_zeros <= pairs * 0.01:
        return "utf-16-be"
    return None


def _codec_name(charset: str) -> str:
    if not charset:
        return ""
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return ""


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ch in _BINARY_CONTROLS)
    return controls > max(2, len(sample) // 1000)


def _meta_charset(raw: bytes) -> str:
    """The charset an HTML page declares in its first kilobytes, or ''."""
    head = raw[:4096].lower()
    at = head.find(b"charset=")
    if at < 0:
        return ""
    value = head[at + len(b"charset=") :].lstrip(b"\"' ")
    end = next((i for i, byte in enumerate(value) if byte in b"\"'; />"), len(value))
    return value[:end].decode("ascii", errors="ignore")


def _refuse_html_bomb(raw: bytes, *, name: str, max_bytes: int) -> None:
    """Refuse a page with more elements than its extraction may hold in memory.

    trafilatura builds the page's tree, and copies of it, at about 1.6 KB per element: a
    few megabytes of bare tags would take gigabytes. Counting opening tags costs nothing.
    """
    most = max(_MIN_HTML_ELEMENTS, max_bytes // _HTML_BYTES_PER_ELEMENT)
    elements = raw.count(b"<") - raw.count(b"</")
    if elements > most:
        raise CaptureError(
            f"{name} is an HTML page with about {elements:,} elements, more than the "
            f"{most:,} read at this size limit (MAX_DOCUMENT_BYTES / {_HTML_BYTES_PER_ELEMENT}):"
            " it may be an HTML bomb; save the page's text, or a PDF of it, and capture that."
        )


def _html_text(html: str, *, name: str) -> str:
    # Imported here: trafilatura pulls in lxml and friends, which plain-text reads never need.
    import trafilatura

    # favor_recall keeps short pages whole; the baseline extractor catches pages trafilatura
    # declines (no paragraph structure). Both drop scripts, styles and attributes.
    text = trafilatura.extract(
        html, favor_recall=True, include_comments=False, include_tables=True, deduplicate=False
    )
    if not text or not text.strip():
        _tree, text, _length = trafilatura.baseline(html)
    if not text or not text.strip():
        raise CaptureError(
            f"{name} is an HTML page with no readable text (it may be built by JavaScript): "
            "save the page's text, or a PDF of it, and capture that."
        )
    return text


# --- PDF and DOCX --------------------------------------------------------------------------


def _pdf_limits(max_bytes: int) -> dict[str, int]:
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


def _read_pdf(raw: bytes, *, name: str, max_bytes: int) -> DecodedText:
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
        with apply_configuration(**_pdf_limits(max_bytes)):
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


def _read_zip(raw: bytes, *, name: str, max_bytes: int) -> DecodedText:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        main = archive.getinfo("word/document.xml")
    except KeyError:
        raise CaptureError(
            f"{name} is a ZIP archive, not a Word document (.docx): capture the documents "
            "inside it one by one."
        ) from None
    except zipfile.BadZipFile as exc:
        raise CaptureError(
            f"{name} is a damaged ZIP or Word file ({exc}): download it again."
        ) from exc
    del main
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
