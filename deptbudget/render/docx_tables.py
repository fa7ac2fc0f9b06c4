"""The rows of a Word table written as WordprocessingML in one pass from the printed grid.

python-docx builds a table cell by cell through its element classes: every paragraph, run, width,
shading and merge is an XPath query or a schema-ordered child lookup, and ``Cell.merge`` walks the
grid again for each span — ≈ 70 % of the DOCX's time for the example's 33 tables. Here the ``<w:tr>``
elements are written as text and parsed once per table. The XML is the same python-docx writes for
``add_table`` + ``_fill_cell`` + ``merge`` (same elements, attributes and order; the renderer's tests
and the output digest compare it byte for byte): a span keeps its top-left ``<w:tc>`` with
``w:gridSpan`` and the summed width, the rows below it get a ``<w:vMerge/>`` continuation cell, and the
text of a cell that a span covers is appended to the span's first cell, as python-docx's merge moves it.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from docx.oxml.parser import parse_xml
from docx.oxml.simpletypes import ST_HpsMeasure, ST_SignedTwipsMeasure
from docx.shared import Emu, Pt

from deptbudget.model.disclosure import CellKind
from deptbudget.render.grid import GridCell, TableGrid

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEADER_ROW_PR = '<w:trPr><w:tblHeader w:val="true"/><w:cantSplit/></w:trPr>'
EMPTY_PARAGRAPH = "<w:p/>"


def twips(points: float) -> int:
    """A width in points as python-docx writes it (EMU truncated, then rounded to twips)."""
    return Emu(int(points * 12700)).twips


def _run_content(line: str) -> str:
    """A line as run content, as python-docx's ``Run.text`` writes it: ``<w:t>`` for text (space-preserving
    when it starts or ends with white space), ``<w:tab/>`` for a tab, ``<w:br/>`` for a carriage return."""
    out: list[str] = []
    text: list[str] = []

    def flush() -> None:
        chunk = "".join(text)
        if chunk:
            space = ' xml:space="preserve"' if len(chunk.strip()) < len(chunk) else ""
            out.append(f"<w:t{space}>{escape(chunk)}</w:t>")
        text.clear()

    for char in line:
        if char == "\t":
            flush()
            out.append("<w:tab/>")
        elif char in "\r\n":
            flush()
            out.append("<w:br/>")
        else:
            text.append(char)
    flush()
    return "".join(out)


def cell_paragraphs(c: GridCell, size: float, style_id: str) -> list[str]:
    """The cell's text, one paragraph per line, in the table text style at ``size`` points."""
    jc = ""
    if c.header:
        jc = '<w:jc w:val="center"/>'
    elif c.kind == CellKind.AMOUNT and c.colspan == 1:
        jc = '<w:jc w:val="right"/>'
    ind = f'<w:ind w:left="{ST_SignedTwipsMeasure.convert_to_xml(Pt(size * c.indent))}"/>' if c.indent else ""
    ppr = f'<w:pPr><w:pStyle w:val="{escape(style_id, {chr(34): "&quot;"})}"/>{ind}{jc}</w:pPr>'
    rpr = f'<w:rPr>{"<w:b/>" if c.bold else ""}<w:sz w:val="{ST_HpsMeasure.convert_to_xml(Pt(size))}"/></w:rPr>'
    return [f"<w:p>{ppr}<w:r>{rpr}{_run_content(line)}</w:r></w:p>" for line in c.text.split("\n")]


def rows_xml(grid: TableGrid, widths: Sequence[int], size: float, style_id: str,
             fills: Sequence[str | None]) -> str:
    """The ``<w:tr>`` elements of the table (``widths`` in twips per grid column, ``fills`` the shading of each
    row or None), in a ``<w:tbl>`` wrapper that declares the namespace."""
    origin: dict[tuple[int, int], GridCell] = {}
    covered: dict[tuple[int, int], GridCell] = {}  # a position inside a span (not its first cell) → the span
    for c in grid.cells:
        if (c.row, c.col) in covered:
            continue
        origin.setdefault((c.row, c.col), c)
        if c.rowspan > 1 or c.colspan > 1:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    if (r, k) != (c.row, c.col):
                        covered.setdefault((r, k), c)
    content: dict[int, list[str]] = {}  # id of a span's first cell → its paragraphs
    for c in grid.cells:
        span = covered.get((c.row, c.col))
        if span is not None and span is not c:
            content.setdefault(id(span), cell_paragraphs(span, size, style_id)).extend(
                cell_paragraphs(c, size, style_id))
    out = [f'<w:tbl xmlns:w="{W_NS}">']
    for r in range(grid.nrows):
        out.append("<w:tr>")
        if r < grid.header_rows:
            out.append(HEADER_ROW_PR)
        shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fills[r]}"/>' if fills[r] else ""
        col = 0
        while col < grid.ncols:
            here = (r, col)
            span = covered.get(here)
            if span is not None and span.col != col:
                col += 1  # swallowed into the tc to its left (a horizontal span)
                continue
            first = span if span is not None else origin.get(here)
            colspan = first.colspan if first is not None and (first.rowspan > 1 or first.colspan > 1) else 1
            width = widths[col]
            for k in range(col + 1, col + colspan):
                if width and widths[k]:
                    width += widths[k]
            tcpr = [f'<w:tcW w:type="dxa" w:w="{width}"/>']
            if colspan > 1:
                tcpr.append(f'<w:gridSpan w:val="{colspan}"/>')
            if first is not None and first.rowspan > 1:
                tcpr.append('<w:vMerge w:val="restart"/>' if span is None else "<w:vMerge/>")
            tcpr.append(shade)
            tcpr.append('<w:vAlign w:val="center"/>')
            if span is not None:
                body = EMPTY_PARAGRAPH
            elif first is not None:
                body = "".join(content.get(id(first)) or cell_paragraphs(first, size, style_id))
            else:
                body = EMPTY_PARAGRAPH
            out.append(f'<w:tc><w:tcPr>{"".join(tcpr)}</w:tcPr>{body}</w:tc>')
            col += colspan
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def append_rows(tbl: object, grid: TableGrid, widths: Sequence[int], size: float, style_id: str,
                fills: Sequence[str | None]) -> None:
    """Append the grid's rows to the ``<w:tbl>`` element ``tbl`` (one parse for the whole table)."""
    wrapper = parse_xml(rows_xml(grid, widths, size, style_id, fills))
    for tr in list(wrapper):
        tbl.append(tr)  # type: ignore[attr-defined]
