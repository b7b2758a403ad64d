"""read_document: the bytes people upload or servers send, and the text the engine gets."""

from __future__ import annotations

import codecs
import io
import random
import struct
import zipfile
import zlib

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from sources.readers import CaptureError, DecodedText, read_document

LIMIT = 5 * 1024 * 1024
UKRAINIAN = (
    "Російські сили депортували 39 українських дітей до Московської області "
    "наприкінці березня 2025 року, повідомив омбудсман."
)
FRENCH = (
    "Le rapport précise que plus de 1 200 élèves ont été évacués à côté de la frontière, "
    "où l'école était déjà fermée."
)

POLISH = (
    "Według raportu ponad 1200 Ukraińców zostało wywiezionych; żadne źródło tego nie potwierdziło."
)
RUSSIAN = (
    "По данным доклада, более 1200 украинцев были вывезены с 2022 года; проверить это невозможно."
)


def read(raw: bytes, **kwargs: object) -> DecodedText:
    return read_document(raw, max_bytes=kwargs.pop("max_bytes", LIMIT), **kwargs)  # type: ignore[arg-type]


# --- documents made here, so no binary fixture has to be trusted -----------------------------


def text_pdf(*lines: str) -> bytes:
    """A minimal valid one-page PDF showing `lines` in Helvetica."""
    shown = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 720 Td {shown} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(out)


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf("Secret figures: 39 children."))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def word_document(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_of(**files: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100
PE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"
    + b"\x00" * 50
    + b"\x40\x00\x00\x00PE\x00\x00"
    + (b"\x00" * 64)
)


# --- plain text in the encodings people actually send ----------------------------------------


@pytest.mark.parametrize(
    ("raw", "text", "encodings"),
    [
        pytest.param(UKRAINIAN.encode("utf-8"), UKRAINIAN, {"utf-8"}, id="utf-8"),
        pytest.param(
            codecs.BOM_UTF8 + UKRAINIAN.encode("utf-8"), UKRAINIAN, {"utf-8-sig"}, id="utf-8-bom"
        ),
        pytest.param(
            codecs.BOM_UTF16_LE + UKRAINIAN.encode("utf-16-le"),
            UKRAINIAN,
            {"utf-16"},
            id="utf-16-le-bom",
        ),
        pytest.param(
            codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), FRENCH, {"utf-16"}, id="utf-16-be-bom"
        ),
        pytest.param(UKRAINIAN.encode("utf-16-le"), UKRAINIAN, {"utf-16-le"}, id="utf-16-le"),
        pytest.param(FRENCH.encode("utf-16-be"), FRENCH, {"utf-16-be"}, id="utf-16-be"),
        pytest.param(UKRAINIAN.encode("cp1251"), UKRAINIAN, {"cp1251"}, id="windows-1251"),
        pytest.param(POLISH.encode("cp1250"), POLISH, {"cp1250"}, id="windows-1250"),
        pytest.param(RUSSIAN.encode("koi8-r"), RUSSIAN, {"koi8-u", "koi8-r"}, id="koi8-r"),
        # Latin-1 and Windows-1252 agree on every letter of this text: either name is right.
        pytest.param(FRENCH.encode("latin-1"), FRENCH, {"cp1252", "iso8859-1"}, id="latin-1"),
    ],
)
def test_it_decodes_plain_text_in_any_common_encoding(
    raw: bytes, text: str, encodings: set[str]
) -> None:
    decoded = read(raw, name="report.txt")
    assert decoded.text == text
    assert decoded.encoding in encodings
    assert decoded.media_type == "text/plain"


def test_it_takes_a_declared_charset_when_the_bytes_agree_with_it() -> None:
    decoded = read(FRENCH.encode("latin-1"), declared_type="text/plain; charset=ISO-8859-1")
    assert decoded.text == FRENCH
    assert decoded.encoding == "iso8859-1"


@pytest.mark.parametrize(
    ("name", "declared_type"),
    [
        ("notes.md", ""),
        ("notes", "text/markdown; charset=utf-8"),
        ("x", "text/x-markdown"),
        # Servers often send Markdown as text/plain: the URL's extension says more.
        ("https://example.org/notes.md?raw=1", "text/plain; charset=utf-8"),
    ],
)
def test_it_keeps_markdown_as_written(name: str, declared_type: str) -> None:
    markdown = "# Deportations\n\n* **39** children, per the [ombudsman](https://example.org).\n"
    decoded = read(markdown.encode(), name=name, declared_type=declared_type)
    assert decoded == DecodedText(markdown, "utf-8", "text/markdown")


# --- HTML ----------------------------------------------------------------------------------


def page(body: str, *, head: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head>{head}<title>Report</title></head><body>{body}</body></html>"
    )


def test_it_reads_utf8_html_whose_meta_tag_claims_windows_1251() -> None:
    html = page(f"<p>{UKRAINIAN}</p>", head='<meta charset="windows-1251">')
    decoded = read(html.encode("utf-8"), declared_type="text/html")
    assert UKRAINIAN in decoded.text
    assert decoded.encoding == "utf-8"
    assert decoded.media_type == "text/html"


def test_it_reads_windows_1251_html_whose_meta_tag_claims_utf8() -> None:
    html = page(
        f"<p>{UKRAINIAN}</p>",
        head='<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
    )
    decoded = read(html.encode("cp1251"), name="page.html")
    assert UKRAINIAN in decoded.text
    assert decoded.encoding == "cp1251"


def test_it_reads_html_without_any_charset_declaration() -> None:
    decoded = read(page(f"<p>{UKRAINIAN}</p>").encode("cp1251"))
    assert UKRAINIAN in decoded.text
    assert decoded.media_type == "text/html"


def test_it_keeps_html_paragraphs_and_drops_scripts_styles_and_huge_attributes() -> None:
    html = page(
        '<div data-blob="' + "A" * 2_000_000 + '"></div>'
        "<script>var leaked = 'SCRIPT-TEXT';</script>"
        "<article><h1>Daily report</h1>"
        "<p>First, 39 children were deported in late March 2025.</p>"
        "<p>Second, over 1,200 Ukrainians since 2022.</p></article>",
        head="<style>.x { content: 'STYLE-TEXT' }</style>",
    )
    text = read(html.encode(), declared_type="text/html").text
    lines = text.splitlines()
    assert "First, 39 children were deported in late March 2025." in lines
    assert "Second, over 1,200 Ukrainians since 2022." in lines
    assert lines.index("First, 39 children were deported in late March 2025.") < lines.index(
        "Second, over 1,200 Ukrainians since 2022."
    )
    assert "SCRIPT-TEXT" not in text
    assert "STYLE-TEXT" not in text
    assert "AAAA" not in text


def test_it_refuses_an_html_page_with_only_a_script() -> None:
    with pytest.raises(CaptureError, match="HTML page with no readable text"):
        read(page("<script>document.write('hello')</script>").encode(), name="app.html")


# --- PDF and DOCX ----------------------------------------------------------------------------


def test_it_reads_the_text_of_a_pdf() -> None:
    decoded = read(text_pdf("39 children were deported.", "Over 1,200 since 2022."))
    assert "39 children were deported." in decoded.text
    assert "Over 1,200 since 2022." in decoded.text
    assert decoded.media_type == "application/pdf"


def test_it_trusts_pdf_bytes_over_a_declared_html_type() -> None:
    decoded = read(text_pdf("Figures."), name="report.html", declared_type="text/html")
    assert decoded.media_type == "application/pdf"


def test_it_reads_a_pdf_encrypted_only_against_editing() -> None:
    assert "39 children" in read(encrypted_pdf(user_password="")).text


def test_it_refuses_a_password_protected_pdf() -> None:
    with pytest.raises(CaptureError, match=r"encrypted PDF: .* provide an unencrypted copy"):
        read(encrypted_pdf(user_password="secret"), name="secret.pdf")


def test_it_refuses_a_truncated_pdf() -> None:
    whole = text_pdf("39 children were deported.")
    with pytest.raises(CaptureError, match="truncated PDF"):
        read(whole[: len(whole) // 2], name="cut.pdf")


def test_it_refuses_a_damaged_pdf() -> None:
    with pytest.raises(CaptureError, match="damaged PDF"):
        read(b"%PDF-1.4\n" + b"garbage " * 50 + b"\n%%EOF\n", name="broken.pdf")


def test_it_refuses_a_pdf_without_text() -> None:
    with pytest.raises(CaptureError, match=r"PDF with no extractable text .* OCR"):
        read(text_pdf(), name="scan.pdf")


def test_it_reads_docx_paragraphs_and_tables_in_order() -> None:
    raw = word_document(
        "39 children were deported.", "Over 1,200 since 2022.", table=[["Oblast", "Children"]]
    )
    decoded = read(raw, name="report.docx")
    assert decoded.text == "39 children were deported.\nOver 1,200 since 2022.\nOblast\tChildren"
    assert decoded.media_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_it_refuses_a_docx_without_text() -> None:
    with pytest.raises(CaptureError, match="Word document with no text"):
        read(word_document(), name="blank.docx")


# --- what is refused, and the message says why ---------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kwargs", "message"),
    [
        pytest.param(b"", {}, "is empty", id="empty"),
        pytest.param(b"  \n\t\r\n ", {}, "is empty", id="whitespace"),
        pytest.param(
            codecs.BOM_UTF16_LE + "   \n".encode("utf-16-le"), {}, "only whitespace", id="utf16-ws"
        ),
        pytest.param(
            b"x" * 11, {"max_bytes": 10}, "11 bytes, over the 10-byte limit", id="oversize"
        ),
        pytest.param(ELF, {}, "ELF executable", id="elf"),
        pytest.param(PE, {"name": "setup.exe"}, "setup.exe is a Windows executable", id="pe"),
        pytest.param(png(), {"declared_type": "text/plain"}, "PNG image", id="png"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF", {}, "JPEG image", id="jpeg"),
        pytest.param(zip_of(**{"a.txt": "hello"}), {}, "ZIP archive, not a Word", id="zip"),
        pytest.param(random.Random(7).randbytes(4096), {}, "not readable text", id="random-bytes"),
        pytest.param(
            b"plain words", {"declared_type": "application/pdf"}, "labelled as a PDF", id="fake-pdf"
        ),
    ],
)
def test_it_refuses_what_is_not_a_document_and_says_why(
    raw: bytes, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(CaptureError, match=message):
        read(raw, **kwargs)


def test_its_errors_are_value_errors_the_callers_already_catch() -> None:
    assert issubclass(CaptureError, ValueError)


def _python_docx_text(raw: bytes) -> str:
    """The text as python-docx reads it (what this service read before it streamed)."""
    from docx.table import Table

    blocks: list[str] = []
    for block in docx.Document(io.BytesIO(raw)).iter_inner_content():
        if isinstance(block, Table):
            blocks.extend("\t".join(cell.text for cell in row.cells) for row in block.rows)
        else:
            blocks.append(block.text)
    return "\n".join(blocks).strip("\n")


def test_the_streamed_docx_text_is_python_docxs() -> None:
    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml

    document = docx.Document()
    first = document.add_paragraph("39 children\twere deported")
    first.add_run().add_break()
    first.add_run("to Moscow Oblast").add_break(WD_BREAK.PAGE)
    first.add_run("in March.")
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    linked = document.add_paragraph("Source: ")
    linked._p.append(
        parse_xml(
            f'<w:hyperlink {ns}><w:r><w:t xml:space="preserve">the ombudsman</w:t></w:r>'
            "<w:r><w:noBreakHyphen/><w:t>s notice</w:t></w:r></w:hyperlink>"
        )
    )
    linked._p.append(parse_xml(f"<w:ins {ns}><w:r><w:t>tracked, not read</w:t></w:r></w:ins>"))
    grid = document.add_table(rows=3, cols=3)
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"r{r}c{c}"
    grid.cell(0, 0).merge(grid.cell(0, 1))  # across
    grid.cell(1, 2).merge(grid.cell(2, 2))  # down
    grid.cell(2, 0).add_table(rows=1, cols=1).cell(0, 0).text = "nested, not read"
    grid.cell(2, 0).add_paragraph("second line")
    document.add_paragraph("Over 1,200 since 2022.")
    out = io.BytesIO()
    document.save(out)
    raw = out.getvalue()

    text = read(raw, name="report.docx").text

    assert text == _python_docx_text(raw)
    assert "r0c0\nr0c1\tr0c0\nr0c1\tr0c2" in text and "nested" not in text
