"""A Disclosure table as ReportLab flowables: its caption lines and the ruled table itself,
printed from the shared grid (``deptbudget.render.grid``)."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.platypus import Flowable, Spacer
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle as RLTableStyle

from deptbudget.model.disclosure import CellKind, Disclosure, RowKind, Table
from deptbudget.render.grid import GridCell, TableGrid, table_grid
from deptbudget.render.pdf_styles import BODY_FONT, CELL_PAD, cell_style, para, styles
from deptbudget.render.pdf_tagging import TableTags
from deptbudget.render.pdf_widths import column_widths

GRID_COLOUR = colors.black
HEADER_FILL = colors.HexColor("#EDEDED")
TOTAL_FILL = colors.HexColor("#F6F6F6")


def _grid_content(c: GridCell, size: float) -> Any:
    if c.header:
        return para(c.text, cell_style(size, TA_CENTER), bold=True, words=True)
    if c.kind == CellKind.AMOUNT and c.colspan == 1:
        return para(c.text, cell_style(size, TA_RIGHT), bold=True) if c.bold else c.text
    if c.kind == CellKind.CODE and not c.bold:
        return c.text
    return para(c.text, cell_style(size, TA_LEFT, c.indent * size), bold=c.bold, words=True)


def _grid_style(grid: TableGrid, size: float) -> list[tuple[Any, ...]]:
    """Rules, spans, alignment and shading. Header merges are real spans (the header never
    splits); body merges are drawn as a cell with no rule across it, so that ReportLab can still
    break the table between any two rows."""
    last_header = grid.header_rows - 1
    cmds: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), BODY_FONT),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.25),
        ("BOX", (0, 0), (-1, -1), 0.6, GRID_COLOUR),
        ("LINEBEFORE", (1, 0), (-1, -1), 0.5, GRID_COLOUR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if grid.header_rows:
        cmds.append(("INNERGRID", (0, 0), (-1, last_header), 0.5, GRID_COLOUR))
        cmds.append(("BACKGROUND", (0, 0), (-1, last_header), HEADER_FILL))
        cmds.append(("LINEBELOW", (0, last_header), (-1, last_header), 0.6, GRID_COLOUR))
    for r, c0, c1 in _body_rules(grid):
        cmds.append(("LINEABOVE", (c0, r), (c1, r), 0.5, GRID_COLOUR))
    for c in grid.cells:
        if c.header and (c.rowspan > 1 or c.colspan > 1):
            cmds.append(("SPAN", (c.col, c.row), (c.col + c.colspan - 1, c.row + c.rowspan - 1)))
        elif c.colspan > 1:
            cmds.append(("SPAN", (c.col, c.row), (c.col + c.colspan - 1, c.row)))
        if not c.header and c.kind == CellKind.AMOUNT:
            cmds.append(("ALIGN", (c.col, c.row), (c.col, c.row), "RIGHT"))
        if not c.header and c.rowspan > 1:
            cmds.append(("VALIGN", (c.col, c.row), (c.col, c.row), "TOP"))
    for r, kind in enumerate(grid.row_kinds):
        if kind in (RowKind.TOTAL, RowKind.HEADING):
            cmds.append(("BACKGROUND", (0, r), (-1, r), TOTAL_FILL))
    return cmds


def _body_rules(grid: TableGrid) -> list[tuple[int, int, int]]:
    """(row, first col, last col) of the rules above body rows, leaving out the columns where a
    merged or continued cell goes on from the row above."""
    open_cells: set[tuple[int, int]] = set()
    for c in grid.body_cells():
        for r in range(c.row + 1, c.row + c.rowspan):
            open_cells.update((r, col) for col in range(c.col, c.col + c.colspan))
        if c.continued:
            open_cells.update((c.row, col) for col in range(c.col, c.col + c.colspan))
    rules: list[tuple[int, int, int]] = []
    for r in range(grid.header_rows + 1, grid.nrows):
        start = None
        for col in range(grid.ncols + 1):
            ruled = col < grid.ncols and (r, col) not in open_cells
            if ruled and start is None:
                start = col
            elif not ruled and start is not None:
                rules.append((r, start, col - 1))
                start = None
    return rules


def form_headers(grid: TableGrid) -> dict[tuple[int, int], str]:
    """The header cells of a form table (表14/表15) for the tagged PDF: its labels (bold cells: 项目名称 …, the
    group labels 部门总体资金情况（万元）/ 年度绩效指标) head their rows, the 一级指标 / 二级指标 / 指标内容 /
    指标值 row heads the columns of the indicators below it."""
    out: dict[tuple[int, int], str] = {}
    for c in grid.body_cells():
        if c.bold:
            column = grid.row_kinds[c.row] is RowKind.HEADING and c.rowspan == 1
            out[(c.row, c.col)] = "Column" if column else "Row"
    return out


def table_flowable(t: Table, available: float) -> RLTable:
    """The ReportLab table: merged header rows repeated on every page it spans."""
    grid = table_grid(t, split_lines=True)
    widths, size = column_widths(grid, available)
    data: list[list[Any]] = [[""] * grid.ncols for _ in range(grid.nrows)]
    for c in grid.cells:
        data[c.row][c.col] = _grid_content(c, size)
    table = RLTable(
        data,
        colWidths=widths,
        repeatRows=grid.header_rows,
        splitByRow=1,
        splitInRow=0,
        hAlign="CENTER",
        renderCB=TableTags(grid.header_rows, form_headers(grid) if t.layout == "form" else None),  # TR/TH/TD
    )
    table.setStyle(RLTableStyle(_grid_style(grid, size)))
    return table


def table_caption(t: Table, d: Disclosure, available: float) -> list[Flowable]:
    """表N, the title, the subtitle and the 单位名称 / 单位 line above a table."""
    st = styles()
    out: list[Flowable] = [para(f"表{t.number}", st.table_no), para(t.title, st.table_title, bold=True)]
    if t.subtitle:
        out.append(para(t.subtitle, st.table_sub))
    unit_name = t.unit_name or d.unit_name
    line = RLTable(
        [[para(f"单位名称：{unit_name}", st.unit_left), para(f"单位：{t.unit}", st.unit_right)]],
        colWidths=[available * 0.7, available * 0.3],
    )
    padding = [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]
    line.setStyle(RLTableStyle([("FONTNAME", (0, 0), (-1, -1), BODY_FONT), *padding]))
    out.append(line)
    out.append(Spacer(1, 3))
    return out
