"""Word documents (python-docx): paragraphs and tables in body order, as lines of cells.

Paragraph styles say what a paragraph is: ``Title`` the document title (consecutive title
paragraphs joined), ``Heading 1`` a part (第…部分) or the start of the 附表, ``Heading 2``+ a
section heading or a table title. A tab inside a paragraph separates cells (the unit line
``单位名称：…⇥单位：万元``). A merged table cell's text sits in its first grid cell; the cells it
covers are empty and its extent is kept as the span. Rows marked to repeat as header are header.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from deptbudget.importers.errors import CorruptDocumentError, EmptyDocumentError
from deptbudget.importers.recover import recover
from deptbudget.importers.report import ImportReport
from deptbudget.importers.segment import part_title
from deptbudget.importers.source import Location, SourceLine, is_cover_line, join_wrapped
from deptbudget.model.disclosure import Disclosure


def _role(style: str, text: str) -> str:
    if style == "Title":
        return "title"
    if style == "Heading 1":
        line = SourceLine([text], Location())
        return "part" if part_title(line) else "break"
    if style.startswith("Heading"):
        return "heading"
    return "paragraph"


def paragraph_line(paragraph: Any, index: int) -> SourceLine | None:
    text = paragraph.text.strip()
    if not text:
        return None
    style = paragraph.style.name if paragraph.style is not None else ""
    cells = [c.strip() for c in text.split("\t")] if "\t" in text else [text]
    role = _role(style, text)
    hints = {"role": role} if len(cells) == 1 else {}
    return SourceLine(cells, Location(line=index), exact=True, hints=hints)


def _is_header_row(row: Any) -> bool:
    props = row._tr.trPr
    return props is not None and any(child.tag.endswith("tblHeader") for child in props)


def table_lines(table: Any, index: int) -> list[SourceLine]:
    """Rows of a Word table with merged cells laid out as the other readers do."""
    grid = [[cell._tc for cell in row.cells] for row in table.rows]
    texts = [[cell.text.strip() for cell in row.cells] for row in table.rows]
    headers = [_is_header_row(row) for row in table.rows]
    marked = any(headers)
    lines: list[SourceLine] = []
    for r, row in enumerate(grid):
        cells: list[str] = []
        spans: dict[int, tuple[int, int]] = {}
        for c, tc in enumerate(row):
            covered = (c > 0 and row[c - 1] is tc) or (r > 0 and c < len(grid[r - 1]) and grid[r - 1][c] is tc)
            cells.append("" if covered else texts[r][c])
            if not covered:
                colspan = 1
                while c + colspan < len(row) and row[c + colspan] is tc:
                    colspan += 1
                rowspan = 1
                while r + rowspan < len(grid) and c < len(grid[r + rowspan]) and grid[r + rowspan][c] is tc:
                    rowspan += 1
                if rowspan > 1 or colspan > 1:
                    spans[c] = (rowspan, colspan)
        hints = {"section": "head" if headers[r] else "body"} if marked else {}
        lines.append(SourceLine(cells, Location(line=index, row=r + 1), exact=True, spans=spans, hints=hints))
    return lines


def _join_titles(lines: list[SourceLine]) -> list[SourceLine]:
    """Consecutive title paragraphs are one title; what precedes the 目录 on the cover is cover."""
    out: list[SourceLine] = []
    for line in lines:
        if line.hints.get("role") == "title" and out and out[-1].hints.get("role") == "title":
            out[-1] = SourceLine([join_wrapped(out[-1].text, line.text)], out[-1].where, True, hints={"role": "title"})
        else:
            out.append(line)
    titles = [i for i, line in enumerate(out) if line.hints.get("role") == "title"]
    if not titles:
        return out
    for i in range(titles[0] + 1, len(out)):
        if out[i].hints.get("role") != "paragraph" or not is_cover_line(out[i]):
            break
        out[i] = SourceLine(out[i].cells, out[i].where, True, hints={"role": "cover"})
    return out


def document_lines(path: str | Path) -> list[SourceLine]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptDocumentError(path, f"{type(exc).__name__}: {exc}") from None
    lines: list[SourceLine] = []
    for index, element in enumerate(document.element.body.iterchildren(), 1):
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            line = paragraph_line(Paragraph(element, document), index)
            if line is not None:
                lines.append(line)
        elif tag == "tbl":
            lines.extend(table_lines(Table(element, document), index))
    return _join_titles(lines)


def read_docx(path: str | Path) -> tuple[Disclosure, ImportReport]:
    lines = document_lines(path)
    if not lines:
        raise EmptyDocumentError(path)
    return recover(lines, str(path), "docx")
