"""The text of a Word document (.docx), read by streaming its main part.

python-docx loads every XML part of the package (styles, numbering, headers...) into a full
tree: a 1 MB file whose styles.xml inflates to 1 GiB took gigabytes. Only
word/document.xml holds the text, so it alone is parsed here, event by event, and each
element is dropped as soon as its text is taken: memory follows one paragraph, not the file.

The text is what python-docx gives (tests/sources/test_readers.py compares the two):
body paragraphs and table rows in reading order, one per line; a row is its cells joined by
tabs, a cell its paragraphs joined by newlines, a merged cell repeated for each grid column
and row it covers; runs directly in a paragraph or in its hyperlinks count, with tabs, line
breaks and non-breaking hyphens as characters.

Pure: no Django; the part comes in as a stream and the limit as an argument.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RUN_TEXT = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
_BODY = f"{W}body"
_TABLE_CELL_PATH = (f"{W}body", f"{W}tbl", f"{W}tr", f"{W}tc")


class DocxTextError(ValueError):
    """The part is not readable XML or its text would pass the limit; says which."""


@dataclass
class _Cell:
    paragraphs: list[str] = field(default_factory=list)
    span: int = 1
    continues: bool = False  # w:vMerge="continue": the text is the cell above's


@dataclass
class _Row:
    cells: list[_Cell] = field(default_factory=list)
    grid_before: int = 0


class _Text:
    """The blocks read so far, refusing once their length passes `max_chars`."""

    def __init__(self, max_chars: int) -> None:
        self.blocks: list[str] = []
        self.chars = 0
        self.max_chars = max_chars

    def add(self, block: str) -> None:
        self.chars += len(block) + 1
        if self.chars > self.max_chars:
            # Merged cells repeat their text per grid column and row, so the text can grow
            # past the part's own size: bounded here, as everything else is.
            raise DocxTextError(
                f"its text passes {self.max_chars:,} characters (MAX_DOCUMENT_BYTES)"
            )
        self.blocks.append(block)


def docx_text(part: IO[bytes], *, max_chars: int) -> str:
    """The text of word/document.xml read from `part`. Raises DocxTextError."""
    parser = etree.iterparse(
        part,
        events=("start", "end"),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,  # libxml2's default limits: nesting depth, text node size
        remove_comments=True,
        remove_pis=True,
    )
    text = _Text(max_chars)
    path: list[str] = []
    paragraphs: list[list[str]] = []  # pieces of each open paragraph, innermost last
    row: _Row | None = None
    cell: _Cell | None = None
    above: dict[int, str] = {}  # the current table's cell texts by grid column
    try:
        for event, element in parser:
            tag = element.tag
            if not isinstance(tag, str):  # an entity reference left unresolved
                continue
            if event == "start":
                if not path and element.getroottree().docinfo.doctype:
                    raise DocxTextError(_DTD)
                path.append(tag)
                if tag == f"{W}p":
                    paragraphs.append([])
                elif tuple(path[-4:]) == _TABLE_CELL_PATH:
                    cell = _Cell()
                elif tuple(path[-3:]) == _TABLE_CELL_PATH[:3]:
                    row = _Row()
                elif tuple(path[-2:]) == _TABLE_CELL_PATH[:2]:
                    above = {}
                continue
            path.pop()
            parent = path[-1] if path else ""
            if parent == f"{W}r" and paragraphs and _run_of_paragraph(path):
                if tag == f"{W}t":
                    paragraphs[-1].append(element.text or "")
                elif tag == f"{W}br":
                    kind = element.get(f"{W}type", "textWrapping")
                    paragraphs[-1].append("\n" if kind == "textWrapping" else "")
                elif tag in _RUN_TEXT:
                    paragraphs[-1].append(_RUN_TEXT[tag])
            elif tag == f"{W}p":
                paragraph = "".join(paragraphs.pop())
                if parent == _BODY:
                    text.add(paragraph)
                elif cell is not None and tuple(path[-4:]) == _TABLE_CELL_PATH:
                    cell.paragraphs.append(paragraph)
            elif cell is not None and tuple(path[-5:]) == (*_TABLE_CELL_PATH, f"{W}tcPr"):
                if tag == f"{W}gridSpan":
                    cell.span = max(1, int(element.get(f"{W}val", "1")))
                elif tag == f"{W}vMerge":
                    cell.continues = element.get(f"{W}val", "continue") == "continue"
            elif row is not None and tuple(path[-4:]) == (*_TABLE_CELL_PATH[:3], f"{W}trPr"):
                if tag == f"{W}gridBefore":
                    row.grid_before = max(0, int(element.get(f"{W}val", "0")))
            elif cell is not None and tag == f"{W}tc" and tuple(path[-3:]) == _TABLE_CELL_PATH[:3]:
                assert row is not None
                row.cells.append(cell)
                cell = None
            elif row is not None and tag == f"{W}tr" and tuple(path[-2:]) == _TABLE_CELL_PATH[:2]:
                text.add(_row_text(row, above, text.max_chars))
                row = None
            # Done with it: drop the element and the siblings before it, so the tree held
            # in memory is only the path from the root to where the parser is.
            element.clear(keep_tail=False)
            holder = element.getparent()
            if holder is not None:
                while element.getprevious() is not None:
                    del holder[0]
    except DocxTextError:
        raise
    except etree.XMLSyntaxError as exc:
        raise DocxTextError(_xml_refusal(str(exc))) from exc
    except ValueError as exc:  # a span or grid offset that is not a number
        raise DocxTextError(f"its main part has a malformed table ({exc})") from exc
    return "\n".join(text.blocks).strip("\n")


_DTD = "its main part declares a DTD (<!DOCTYPE>), which Word never writes and XML bombs use"


def _xml_refusal(error: str) -> str:
    """What libxml2's refusal means, in words."""
    if "amplification" in error or "entity" in error.lower():
        return f"{_DTD} (libxml2: {error})"
    if "Excessive depth" in error:
        return f"its main part nests elements past libxml2's depth limit ({error})"
    return f"its main part is not readable XML ({error})"


def _run_of_paragraph(path: list[str]) -> bool:
    """Whether the run at the end of `path` is a paragraph's own, or in one of its links
    (what python-docx reads: runs in tracked changes, fields or text boxes are not)."""
    if len(path) >= 2 and path[-2] == f"{W}p":
        return True
    return len(path) >= 3 and path[-2] == f"{W}hyperlink" and path[-3] == f"{W}p"


def _row_text(row: _Row, above: dict[int, str], max_chars: int) -> str:
    cells: list[str] = []
    column = row.grid_before
    for cell in row.cells:
        value = above.get(column, "") if cell.continues else "\n".join(cell.paragraphs)
        if cell.span * (len(value) + 1) > max_chars:
            raise DocxTextError(f"a table cell spans {cell.span:,} columns")
        cells.extend([value] * cell.span)
        above[column] = value
        column += cell.span
    return "\t".join(cells)
