"""Tables pasted as text: a figure in a row takes what it counts from its column's header.

"| Donetsk | 1,204 | 3,410 |" under "| Region | Killed | Injured |" is 1,204 killed and
3,410 injured; read row by row, the figures have no noun at all. Rows are lines whose cells are
separated by "|" or tabs; the header is the nearest line above in the same run of rows whose
cells hold no digits. What a figure takes is recorded as inherited, with the header named, as
document context records what it lends (context.py).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .facts import role_term
from .model import ExtractedClaim
from .units import singular

_SEPARATOR_ROW = re.compile(r"[\s|:+\-–—=]*")
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
MAX_ROWS_UP = 200  # how far above a row its header may be, in lines


def with_column_labels(text: str, claims: list[ExtractedClaim]) -> list[ExtractedClaim]:
    """``claims`` with each unit-less figure of a table row given its column's header."""
    headers: dict[int, tuple[str, list[str]] | None] = {}
    out = claims
    for i, claim in enumerate(claims):
        if claim.kind != "quantitative" or claim.unit or "unit" in claim.inherited:
            continue
        line_start = text.rfind("\n", 0, claim.start) + 1
        line_end = text.find("\n", claim.end)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        delimiter = _delimiter(line)
        if delimiter is None:
            continue
        if line_start not in headers:
            headers[line_start] = _header_above(text, line_start, delimiter)
        header = headers[line_start]
        if header is None or header[0] != delimiter:
            continue
        cells = header[1]
        if line.count(delimiter) != len(cells) - 1:
            continue  # another table, or a line of prose with bars in it
        column = line.count(delimiter, 0, claim.start - line_start)
        label = cells[column].strip()
        words = _WORD.findall(label)
        if not words:
            continue
        head = words[-1]
        unit = head.lower() if head.lower().endswith("ed") else singular(head)
        inherited = {
            **claim.inherited,
            "unit": unit,
            "subject": label,
            "from": {**claim.inherited.get("from", {}), "unit": f"the column header {label!r}"},
        }
        if out is claims:
            out = list(claims)
        out[i] = replace(claim, inherited=inherited, role=claim.role or role_term(label))
    return out


def _delimiter(line: str) -> str | None:
    if line.count("|") >= 2:
        return "|"
    if "\t" in line:
        return "\t"
    return None


def _header_above(text: str, line_start: int, delimiter: str) -> tuple[str, list[str]] | None:
    """The nearest line above ``line_start``, in the same run of table rows, whose cells are
    all words: (its delimiter, its cells)."""
    end = line_start - 1
    for _ in range(MAX_ROWS_UP):
        if end < 0:
            return None
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].rstrip("\r")
        if _delimiter(line) != delimiter:
            return None  # the run of rows ended without a header
        if not _SEPARATOR_ROW.fullmatch(line) and not any(ch.isdigit() for ch in line):
            cells = line.split(delimiter)
            if sum(1 for cell in cells if cell.strip()) >= 2:
                return delimiter, cells
        end = start - 1
    return None
