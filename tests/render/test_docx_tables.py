"""The one-pass Word table rows (render.docx_tables) are the XML python-docx writes cell by cell: the same
elements, attributes and order for text, runs, alignment, indents, shading, header rows and merges — checked
against python-docx itself on hand-made grids and on every table of the sample disclosure."""

from __future__ import annotations

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from lxml import etree

from deptbudget.model.disclosure import CellKind, RowKind
from deptbudget.render.docx_render import HEADER_FILL, TABLE_TEXT_ID, _row_fill, setup_styles
from deptbudget.render.docx_tables import append_rows, twips
from deptbudget.render.grid import GridCell, TableGrid, table_grid
from tests.render.test_pdf import sample_disclosure


def _python_docx_rows(grid: TableGrid, widths: list[float], size: float) -> list[bytes]:
    """The rows as python-docx writes them: a plain table, each cell filled, shaded, centred, then merged."""
    doc = Document()
    setup_styles(doc)
    table = doc.add_table(rows=grid.nrows, cols=grid.ncols)
    cells = table._cells
    for c in grid.cells:
        paragraph = cells[c.row * grid.ncols + c.col].paragraphs[0]
        paragraph._p.style = TABLE_TEXT_ID
        for i, line in enumerate(c.text.split("\n")):
            if i:
                paragraph = cells[c.row * grid.ncols + c.col].add_paragraph()
                paragraph._p.style = TABLE_TEXT_ID
            run = paragraph.add_run(line)
            run.font.size = Pt(size)
            if c.bold:
                run.bold = True
            if c.header:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif c.kind == CellKind.AMOUNT and c.colspan == 1:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if c.indent:
                paragraph.paragraph_format.left_indent = Pt(size * c.indent)
    for r, row in enumerate(table.rows):
        if r < grid.header_rows:
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            row._tr.get_or_add_trPr().append(header)
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        fill = HEADER_FILL if r < grid.header_rows else _row_fill(grid.row_kinds[r])
        for i in range(grid.ncols):
            cell = cells[r * grid.ncols + i]
            cell.width = Emu(int(widths[i] * 12700))
            if fill:
                shd = OxmlElement("w:shd")
                shd.set(qn("w:val"), "clear")
                shd.set(qn("w:color"), "auto")
                shd.set(qn("w:fill"), fill)
                cell._tc.get_or_add_tcPr().append(shd)
    for tc in table._tbl.iter_tcs():
        v = OxmlElement("w:vAlign")
        v.set(qn("w:val"), "center")
        tc.get_or_add_tcPr().append(v)
    for c in grid.cells:
        if c.rowspan > 1 or c.colspan > 1:
            cells[c.row * grid.ncols + c.col].merge(
                cells[(c.row + c.rowspan - 1) * grid.ncols + c.col + c.colspan - 1])
    return [etree.tostring(tr) for tr in table._tbl.tr_lst]


def _one_pass_rows(grid: TableGrid, widths: list[float], size: float) -> list[bytes]:
    doc = Document()
    table = doc.add_table(rows=0, cols=grid.ncols)
    fills = [HEADER_FILL if r < grid.header_rows else _row_fill(grid.row_kinds[r]) for r in range(grid.nrows)]
    append_rows(table._tbl, grid, [twips(w) for w in widths], size, TABLE_TEXT_ID, fills)
    return [etree.tostring(tr) for tr in table._tbl.tr_lst]


HAND_MADE = TableGrid(4, 2, [
    GridCell(0, 0, "项 目", rowspan=2, header=True, bold=True),
    GridCell(0, 1, "本年收入", colspan=3, header=True, bold=True),
    GridCell(1, 1, "小计", header=True, bold=True),
    GridCell(1, 2, " 财政\n拨款 ", header=True, bold=True),
    GridCell(1, 3, "其他\t收入 & <事业>", header=True, bold=True),
    GridCell(2, 0, "合计", bold=True),
    GridCell(2, 1, "1,234.50", kind=CellKind.AMOUNT, bold=True),
    GridCell(2, 2, "", kind=CellKind.AMOUNT),
    GridCell(3, 0, "行政运行", indent=2),
    GridCell(3, 1, "产出指标", rowspan=2, colspan=2),
    GridCell(3, 3, "12.00", kind=CellKind.AMOUNT),
    GridCell(4, 0, "一般行政管理事务", indent=1),
    GridCell(4, 2, "covered text moves to the span"),
], [None, None, RowKind.TOTAL, RowKind.DATA, RowKind.DATA])


def test_hand_made_grid_as_python_docx_writes_it() -> None:
    widths = [100.0, 60.5, 0.0, 47.3]  # a zero width: python-docx then does not add it to a span's width
    assert _one_pass_rows(HAND_MADE, widths, 9) == _python_docx_rows(HAND_MADE, widths, 9)
    assert _one_pass_rows(HAND_MADE, widths, 7.5) == _python_docx_rows(HAND_MADE, widths, 7.5)


@pytest.mark.parametrize("index", range(len(sample_disclosure().tables)))
def test_sample_tables_as_python_docx_writes_them(index: int) -> None:
    grid = table_grid(sample_disclosure().tables[index])
    widths = [40.0 + 7 * i for i in range(grid.ncols)]
    assert _one_pass_rows(grid, widths, 8.5) == _python_docx_rows(grid, widths, 8.5)
