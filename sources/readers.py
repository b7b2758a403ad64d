"""Bytes to the text the engine reads: plain text in any common encoding, HTML, PDF, DOCX and
Markdown. Pure: no Django, no I/O beyond the bytes given; the size limit comes in as an argument.

The real type is sniffed from the bytes first (magic numbers), and only then from the declared
Content-Type or the file name: uploads and servers both mislabel files.
"""

from __future__ import annotations

import codecs
import unicodedata

import charset_normalizer

from sources.archive_text import read_zip
from sources.captured import DOCX_TYPE, PDF_TYPE, CaptureError, DecodedText
from sources.pdf_text import read_pdf

__all__ = ["DOCX_TYPE", "PDF_TYPE", "CaptureError", "DecodedText", "read_document"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MARKDOWN_TYPES = frozenset({"text/markdown", "text/x-markdown"})

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
# An HTML page may have one element per this many bytes of the size limit (a news page has
# one per 60-100 bytes of its own size, so a page of a quarter of the limit reads whole).
_HTML_BYTES_PER_ELEMENT = 200
_MIN_HTML_ELEMENTS = 5_000


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
        decoded = read_pdf(raw, name=name, max_bytes=max_bytes)
    elif raw.startswith(b"PK\x03\x04"):
        decoded = read_zip(raw, name=name, max_bytes=max_bytes)
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
