"""Disclosure → PDF, laid out like the published 部门预算 document (ReportLab).

A4, Chinese: cover, contents with page numbers, the eight narrative parts (with charts where
they belong), then the 附表 — each table on its own page(s) with its number and title, the
单位名称 / 单位：万元 line and its printed multi-row header, repeated on every page the table
spans; wide tables on landscape pages; "第 N 页" in the footer. The CJK font (WenQuanYi Micro
Hei, TrueType outlines) is embedded as subsets. See ``docs/pdf-renderer.md`` for why ReportLab.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle as RLTableStyle

from deptbudget.model.disclosure import CellKind, Disclosure, Part, Row, RowKind, Table
from deptbudget.render.files import atomic_output
from deptbudget.render.fonts import truetype_cjk_font

FONT = "DeptbudgetCJK"
CHART_DPI = 150
PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN = {"left": 25 * mm, "right": 25 * mm, "top": 22 * mm, "bottom": 22 * mm}
LANDSCAPE_MARGIN = {"left": 15 * mm, "right": 15 * mm, "top": 15 * mm, "bottom": 18 * mm}
GRID_COLOUR = colors.black
HEADER_FILL = colors.HexColor("#EDEDED")
TOTAL_FILL = colors.HexColor("#F6F6F6")
CELL_PAD = 3.0


# --------------------------------------------------------------------------- fonts, styles


@lru_cache(maxsize=1)
def register_font() -> str:
    """Register the embeddable CJK TrueType font with ReportLab; returns its name."""
    font = truetype_cjk_font()
    pdfmetrics.registerFont(TTFont(FONT, str(font.path), subfontIndex=font.index))
    return FONT


def _style(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=FONT, fontSize=size, leading=leading, wordWrap="CJK", **kw)


@dataclass(frozen=True)
class Styles:
    cover_title: ParagraphStyle = field(default_factory=lambda: _style("cover", 30, 46, alignment=TA_CENTER))
    cover_sub: ParagraphStyle = field(default_factory=lambda: _style("cover_sub", 16, 28, alignment=TA_CENTER))
    part: ParagraphStyle = field(
        default_factory=lambda: _style(
            "part", 17, 26, alignment=TA_CENTER, spaceBefore=6, spaceAfter=14, keepWithNext=1
        )
    )
    section: ParagraphStyle = field(
        default_factory=lambda: _style(
            "section", 13.5, 24, firstLineIndent=27, spaceBefore=6, spaceAfter=2, keepWithNext=1
        )
    )
    body: ParagraphStyle = field(
        default_factory=lambda: _style("body", 12, 22, firstLineIndent=24, alignment=TA_JUSTIFY, spaceAfter=2)
    )
    caption: ParagraphStyle = field(
        default_factory=lambda: _style("caption", 10.5, 16, alignment=TA_CENTER, spaceBefore=4, spaceAfter=10)
    )
    table_no: ParagraphStyle = field(default_factory=lambda: _style("table_no", 10.5, 14))
    table_title: ParagraphStyle = field(
        default_factory=lambda: _style("table_title", 16, 24, alignment=TA_CENTER, spaceAfter=2)
    )
    table_sub: ParagraphStyle = field(
        default_factory=lambda: _style("table_sub", 11, 16, alignment=TA_CENTER, spaceAfter=2)
    )
    unit_left: ParagraphStyle = field(default_factory=lambda: _style("unit_l", 10, 14))
    unit_right: ParagraphStyle = field(default_factory=lambda: _style("unit_r", 10, 14, alignment=TA_RIGHT))
    note: ParagraphStyle = field(default_factory=lambda: _style("note", 10, 15, spaceBefore=4))


@lru_cache(maxsize=1)
def styles() -> Styles:
    register_font()
    return Styles()


def _cell_style(size: float, align: int = TA_LEFT, indent: float = 0) -> ParagraphStyle:
    return _cached_cell_style(round(size, 1), align, round(indent, 1))


@lru_cache(maxsize=256)
def _cached_cell_style(size: float, align: int, indent: float) -> ParagraphStyle:
    return _style(f"cell-{size}-{align}-{indent}", size, size * 1.25, alignment=align, leftIndent=indent)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


class BoldParagraph(Paragraph):
    """A paragraph drawn with fill+stroke text (render mode 2): a synthetic bold for a CJK font
    that has no bold face."""

    stroke_width = 0.35

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setLineWidth(self.stroke_width * self.style.fontSize / 10)
        canv.setStrokeColor(self.style.textColor)
        canv._code.append("2 Tr")
        super().draw()
        canv._code.append("0 Tr")
        canv.restoreState()


def para(text: str, style: ParagraphStyle, bold: bool = False) -> Paragraph:
    cls = BoldParagraph if bold else Paragraph
    return cls(_escape(text), style)


# --------------------------------------------------------------------------- table grid (pure)


@dataclass(frozen=True)
class GridCell:
    """One placed cell of a printed table (header or body) with its merge span.

    ``continued`` marks a cell that is the continuation of the cell above (a multi-line form
    field printed one line per grid row so that a page break can fall between lines)."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    kind: CellKind = CellKind.TEXT
    header: bool = False
    bold: bool = False
    indent: int = 0  # indentation steps of the row's level, for the name column
    continued: bool = False


@dataclass
class TableGrid:
    """A Disclosure table placed on a grid: header rows first, then the body rows.

    Shared by the PDF and DOCX renderers so that both print the same cells and merges:
    the printed header with its spans; form fields (label + value across the other columns);
    headings across the full width; in form tables, runs of the same 一级/二级指标 merged
    down the column, as printed."""

    ncols: int
    header_rows: int
    cells: list[GridCell] = field(default_factory=list)
    row_kinds: list[RowKind | None] = field(default_factory=list)  # None: header rows, empty note

    @property
    def nrows(self) -> int:
        return len(self.row_kinds)

    def header_cells(self) -> list[GridCell]:
        return [c for c in self.cells if c.header]

    def body_cells(self) -> list[GridCell]:
        return [c for c in self.cells if not c.header]


def header_cells(t: Table) -> list[GridCell]:
    """The printed header: ``t.header`` (merged multi-row) or one row of column labels.
    Form tables (表14/表15) have none unless the template gives one."""
    if t.header:
        return [
            GridCell(h.row, h.col, h.text, h.rowspan, h.colspan, header=True, bold=True)
            for line in t.header
            for h in line
        ]
    if t.layout == "form":
        return []
    return [GridCell(0, i, c.label, header=True, bold=True) for i, c in enumerate(t.columns)]


def _indent_column(t: Table) -> int | None:
    """The column that shows the row hierarchy: the rightmost text column that is not the unit."""
    for j in range(len(t.columns) - 1, -1, -1):
        column = t.columns[j]
        if column.kind == CellKind.TEXT and column.key != "unit":
            return j
    return None


def _base_level(t: Table) -> int:
    """The level printed flush left: the smallest non-zero level (0 marks blank/footer rows)."""
    return min((row.level for row in t.rows if row.level > 0), default=1)


def _row_cells(t: Table, row: Row, r: int, indent_col: int | None, base: int) -> list[GridCell]:
    n = len(t.columns)
    keys = {c.key for c in t.columns}
    bold = row.kind in (RowKind.TOTAL, RowKind.SUBTOTAL, RowKind.HEADING)
    if row.kind == RowKind.HEADING and "label" in row.cells and "label" not in keys:
        return [GridCell(r, 0, row.cells["label"].text, colspan=n, bold=True)]
    if row.kind == RowKind.FIELD and "label" in row.cells and "label" not in keys:
        value = row.cell("value")
        return [GridCell(r, 0, row.cells["label"].text, bold=True), GridCell(r, 1, value.text, colspan=max(n - 1, 1))]
    out: list[GridCell] = []
    for j, column in enumerate(t.columns):
        cell = row.cell(column.key)
        kind = column.kind if cell.kind == CellKind.TEXT else cell.kind
        if kind == CellKind.AMOUNT and cell.value is None and cell.text and not _looks_numeric(cell.text):
            kind = CellKind.TEXT
        indent = max(row.level - base, 0) if j == indent_col and row.kind != RowKind.TOTAL else 0
        out.append(GridCell(r, j, cell.text, kind=kind, bold=bold, indent=indent))
    return out


def _looks_numeric(text: str) -> bool:
    return text.replace(",", "").replace(".", "").replace("-", "").strip().isdigit()


def table_grid(t: Table, split_lines: bool = False) -> TableGrid:
    """Place the table on a grid. With ``split_lines`` (PDF), a form field whose value has
    several lines becomes one grid row per line: the label spans them, the lines after the
    first are ``continued``."""
    head = header_cells(t)
    header_rows = max((c.row + c.rowspan for c in head), default=0)
    grid = TableGrid(len(t.columns), header_rows, list(head), [None] * header_rows)
    indent_col, base = _indent_column(t), _base_level(t)
    for row in t.rows:
        placed = _row_cells(t, row, grid.nrows, indent_col, base)
        lines = _field_lines(row) if split_lines else []
        if len(lines) < 2:
            grid.cells.extend(placed)
            grid.row_kinds.append(row.kind)
            continue
        label, value = placed
        grid.cells.append(GridCell(label.row, 0, label.text, rowspan=len(lines), bold=True))
        for i, line in enumerate(lines):
            grid.cells.append(GridCell(grid.nrows, value.col, line, colspan=value.colspan, continued=i > 0))
            grid.row_kinds.append(row.kind)
    if not t.rows:
        note = t.empty_note or "本表无数据。"
        grid.cells.append(GridCell(grid.nrows, 0, note, colspan=len(t.columns)))
        grid.row_kinds.append(None)
    if t.layout == "form":
        _merge_runs(grid, columns=(0, 1))
    return grid


def _field_lines(row: Row) -> list[str]:
    if row.kind != RowKind.FIELD or "label" not in row.cells:
        return []
    return [line for line in row.cell("value").text.split("\n") if line.strip()]


def _merge_runs(grid: TableGrid, columns: Sequence[int]) -> None:
    """Merge down each of ``columns`` the runs of equal, non-blank single cells in data rows
    (in form tables: 产出指标 / 数量指标 printed once for the rows they head). A run in a later
    column never crosses a boundary of a run in an earlier one."""
    by_pos = {(c.row, c.col): c for c in grid.cells if not c.header and c.colspan == 1 and c.rowspan == 1}
    boundaries: set[int] = set()
    for col in columns:
        run: list[GridCell] = []
        for r in range(grid.header_rows, grid.nrows + 1):
            cell = by_pos.get((r, col)) if r < grid.nrows and grid.row_kinds[r] == RowKind.DATA else None
            if run and (cell is None or cell.text != run[0].text or r in boundaries or not cell.text.strip()):
                _apply_run(grid, run)
                boundaries.add(run[0].row)
                boundaries.add(run[-1].row + 1)
                run = []
            if cell is not None and cell.text.strip():
                run.append(cell)


def _apply_run(grid: TableGrid, run: list[GridCell]) -> None:
    if len(run) < 2:
        return
    first = run[0]
    index = grid.cells.index(first)
    grid.cells[index] = GridCell(
        first.row, first.col, first.text, len(run), 1, first.kind, False, first.bold, first.indent
    )
    gone = {id(c) for c in run[1:]}
    grid.cells[:] = [c for c in grid.cells if id(c) not in gone]


# --------------------------------------------------------------------------- column widths

FONT_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5)


def _text_width(text: str, size: float) -> float:
    return max((pdfmetrics.stringWidth(line, FONT, size) for line in text.split("\n")), default=0.0)


def _column_bounds(grid: TableGrid, size: float) -> list[list[float]]:
    """Three widths of every column, each at least the one before: the minimum (amounts and
    codes unwrapped, text keeping its longest run of digits/Latin letters, header labels at two
    characters a line), the body's natural width (text on one line, up to 30 characters), and
    that with the header labels on lines of up to six or seven characters. Only single-column
    cells count; merged cells wrap within the columns they span."""
    pad = 2 * CELL_PAD
    minimum = [2.5 * size + pad] * grid.ncols
    body = list(minimum)
    full = list(minimum)
    for c in grid.cells:
        if c.colspan != 1:
            continue
        width = _text_width(c.text, size) + c.indent * size
        if c.header:
            minimum[c.col] = max(minimum[c.col], min(width, 2.2 * size) + pad)
            full[c.col] = max(full[c.col], min(width, 6.5 * size) + pad)
            continue
        if c.kind in (CellKind.AMOUNT, CellKind.CODE):
            low, high = width, width * 1.15
        else:
            token = _longest_token(c.text, size) + c.indent * size
            low, high = min(max(token, 4 * size), 14 * size, width), min(width, 30 * size)
        minimum[c.col] = max(minimum[c.col], low + pad)
        body[c.col] = max(body[c.col], high + pad)
    body = [max(b, m) for b, m in zip(body, minimum, strict=True)]
    full = [max(f, b) for f, b in zip(full, body, strict=True)]
    return [minimum, body, full]


def _longest_token(text: str, size: float) -> float:
    """Width of the longest run that should not wrap: digits, Latin letters and punctuation."""
    tokens = re.findall(r"[0-9A-Za-z.,:;%/()\-—~]+", text)
    return max((pdfmetrics.stringWidth(tok, FONT, size) for tok in tokens), default=0.0)


def column_widths(grid: TableGrid, available: float) -> tuple[list[float], float]:
    """Column widths filling ``available`` and the font size (9 pt, smaller for a wide table)
    at which every column gets at least its minimum."""
    for size in FONT_SIZES:
        bounds = _column_bounds(grid, size)
        if sum(bounds[0]) <= available:
            return _fill(bounds, available), size
    minimum = _column_bounds(grid, FONT_SIZES[-1])[0]
    return [w * available / sum(minimum) for w in minimum], FONT_SIZES[-1]


def _fill(bounds: list[list[float]], available: float) -> list[float]:
    """Grow from the minimum towards each next target in turn, sharing what room is left in
    proportion to what each column still wants; spread any room left at the end."""
    widths = bounds[0]
    for target in bounds[1:]:
        want = sum(target) - sum(widths)
        room = available - sum(widths)
        if want > room:
            share = room / want
            return [w + (t - w) * share for w, t in zip(widths, target, strict=True)]
        widths = target
    return [w * available / sum(widths) for w in widths]


# --------------------------------------------------------------------------- table flowables


def _grid_content(c: GridCell, size: float) -> Any:
    if c.header:
        return para(c.text, _cell_style(size, TA_CENTER), bold=True)
    if c.kind == CellKind.AMOUNT and c.colspan == 1:
        return para(c.text, _cell_style(size, TA_RIGHT), bold=True) if c.bold else c.text
    if c.kind == CellKind.CODE and not c.bold:
        return c.text
    return para(c.text, _cell_style(size, TA_LEFT, c.indent * size), bold=c.bold)


def _grid_style(grid: TableGrid, size: float) -> list[tuple[Any, ...]]:
    """Rules, spans, alignment and shading. Header merges are real spans (the header never
    splits); body merges are drawn as a cell with no rule across it, so that ReportLab can still
    break the table between any two rows."""
    last_header = grid.header_rows - 1
    cmds: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
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
    line.setStyle(RLTableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *padding]))
    out.append(line)
    out.append(Spacer(1, 3))
    return out


# --------------------------------------------------------------------------- document template


@dataclass(frozen=True)
class _Heading:
    """A heading for the contents (when ``in_contents``) and the PDF outline."""

    level: int
    text: str
    key: str
    in_contents: bool = True


class _Marker(Flowable):
    """Zero-size flowable: records where a heading landed (page number, bookmark)."""

    def __init__(self, heading: _Heading) -> None:
        super().__init__()
        self.heading = heading
        self.keepWithNext = True  # lands on the page of the heading that follows it

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0.0, 0.0

    def draw(self) -> None:
        pass


class _DocTemplate(BaseDocTemplate):
    """Page templates: cover / front (no footer), portrait / landscape (numbered body pages)."""

    def __init__(self, target: str | io.BufferedIOBase, d: Disclosure) -> None:
        super().__init__(
            target,
            pagesize=PORTRAIT,
            title=d.title,
            author=d.unit_name,
            subject=f"{d.fiscal_year}年{d.kind}",
            creator="deptbudget",
            lang="zh-CN",
            initialFontName=FONT,
            leftMargin=MARGIN["left"],
            rightMargin=MARGIN["right"],
            topMargin=MARGIN["top"],
            bottomMargin=MARGIN["bottom"],
        )
        self.body_start: int | None = None
        self.page_of: dict[str, int] = {}
        self.addPageTemplates(
            [
                _page_template("cover", PORTRAIT, MARGIN, None),
                _page_template("front", PORTRAIT, MARGIN, None),
                _page_template("portrait", PORTRAIT, MARGIN, self._footer),
                _page_template("landscape", LANDSCAPE, LANDSCAPE_MARGIN, self._footer),
            ]
        )

    def body_page(self) -> int:
        return self.page - (self.body_start or self.page) + 1

    def _footer(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        if self.body_start is None:
            self.body_start = self.page
        canv.saveState()
        canv.setFont(FONT, 10)
        canv.drawCentredString(canv._pagesize[0] / 2, 10 * mm, f"第 {self.body_page()} 页")
        canv.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802
        if isinstance(flowable, _Marker):
            heading = flowable.heading
            self.canv.bookmarkPage(heading.key)
            self.canv.addOutlineEntry(heading.text, heading.key, level=heading.level, closed=True)
            self.page_of[heading.key] = self.body_page()


def _page_template(
    name: str, size: tuple[float, float], margin: dict[str, float], on_page: Callable[..., None] | None
) -> PageTemplate:
    frame = Frame(
        margin["left"],
        margin["bottom"],
        size[0] - margin["left"] - margin["right"],
        size[1] - margin["top"] - margin["bottom"],
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=f"{name}-frame",
    )
    if on_page is None:
        return PageTemplate(id=name, frames=[frame], pagesize=size)
    return PageTemplate(id=name, frames=[frame], pagesize=size, onPage=on_page)


def frame_width(orientation: str) -> float:
    if orientation == "landscape":
        return LANDSCAPE[0] - LANDSCAPE_MARGIN["left"] - LANDSCAPE_MARGIN["right"]
    return PORTRAIT[0] - MARGIN["left"] - MARGIN["right"]


def frame_height(orientation: str) -> float:
    if orientation == "landscape":
        return LANDSCAPE[1] - LANDSCAPE_MARGIN["top"] - LANDSCAPE_MARGIN["bottom"]
    return PORTRAIT[1] - MARGIN["top"] - MARGIN["bottom"]


# --------------------------------------------------------------------------- contents

CONTENTS_TITLE_HEIGHT = 64.0
CONTENTS_LINE = {0: (13.0, 27.0, 0.0), 1: (11.0, 20.0, 24.0)}  # level → (size, line height, indent)
PAGE_NO_WIDTH = 28.0


class _ContentsPage(Flowable):
    """One page of the contents. Entry titles and dot leaders are drawn now; the page numbers,
    known only when the whole document is laid out, go into a form XObject filled at the end
    (one layout pass instead of ReportLab's usual two)."""

    def __init__(self, form: str, entries: Sequence[_Heading], title: str | None) -> None:
        super().__init__()
        self.form = form
        self.entries = list(entries)
        self.title = title

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = availWidth, availHeight
        return availWidth, availHeight

    def positions(self) -> list[tuple[_Heading, float]]:
        y = self.height - (CONTENTS_TITLE_HEIGHT if self.title else 0.0)
        out: list[tuple[_Heading, float]] = []
        for heading in self.entries:
            _, line, _ = CONTENTS_LINE[min(heading.level, 1)]
            y -= line
            out.append((heading, y + line * 0.3))
        return out

    def draw(self) -> None:
        canv = self.canv
        if self.title:
            canv.setFont(FONT, 20)
            canv.drawCentredString(self.width / 2, self.height - 30, self.title)
        for heading, y in self.positions():
            size, line, indent = CONTENTS_LINE[min(heading.level, 1)]
            canv.setFont(FONT, size)
            canv.drawString(indent, y, heading.text)
            start = indent + pdfmetrics.stringWidth(heading.text, FONT, size) + 6
            dot = pdfmetrics.stringWidth(" .", FONT, size)
            count = int((self.width - PAGE_NO_WIDTH - start) / dot)
            if count > 0:
                canv.drawRightString(self.width - PAGE_NO_WIDTH, y, " ." * count)
            canv.linkRect("", heading.key, (indent, y - 4, self.width, y + size), relative=1)
        canv.doForm(self.form)

    def fill(self, canv: Canvas, page_of: dict[str, int]) -> None:
        """Draw the page numbers into this page's form (after the document is laid out)."""
        canv.beginForm(self.form)
        for heading, y in self.positions():
            size, _, _ = CONTENTS_LINE[min(heading.level, 1)]
            canv.setFont(FONT, size)
            canv.drawRightString(self.width, y, str(page_of.get(heading.key, "")))
        canv.endForm()


def contents_pages(entries: Sequence[_Heading]) -> list[_ContentsPage]:
    """Split the contents entries over as many pages as they need."""
    pages: list[_ContentsPage] = []
    room = frame_height("portrait") - CONTENTS_TITLE_HEIGHT
    chunk: list[_Heading] = []
    for heading in entries:
        line = CONTENTS_LINE[min(heading.level, 1)][1]
        if room < line and chunk:
            pages.append(_ContentsPage(f"contents{len(pages)}", chunk, None if pages else "目  录"))
            chunk, room = [], frame_height("portrait")
        chunk.append(heading)
        room -= line
    pages.append(_ContentsPage(f"contents{len(pages)}", chunk, None if pages else "目  录"))
    return pages


# --------------------------------------------------------------------------- story


def cover_lines(d: Disclosure) -> list[str]:
    """The cover title, broken after the year: "2020 年" / "罗湖区科技创新局部门预算"."""
    year = str(d.fiscal_year)
    title = d.title.strip()
    if title.startswith(year) and "年" in title[: len(year) + 3]:
        cut = title.index("年") + 1
        return [title[:cut], title[cut:].strip()]
    return [title]


def cover_story(d: Disclosure) -> list[Flowable]:
    st = styles()
    height, width = frame_height("portrait"), frame_width("portrait")
    story: list[Flowable] = [Spacer(1, height * 0.25)]
    for line in cover_lines(d):
        size = min(st.cover_title.fontSize, width / max(len(line), 1))
        style = ParagraphStyle(f"cover-{size:.1f}", parent=st.cover_title, fontSize=size, leading=size * 1.6)
        story.append(para(line, style, bold=True))
    story.append(Spacer(1, height * 0.38))
    story.append(para(d.unit_name, st.cover_sub))
    if d.meta.get("published"):
        story.append(para(d.meta["published"], st.cover_sub))
    return story


def part_story(part: Part, charts: Sequence[ChartImage]) -> list[Flowable]:
    st = styles()
    key = f"part{part.number}"
    story: list[Flowable] = [_Marker(_Heading(0, part.title, key)), para(part.title, st.part, bold=True)]
    for section in part.sections:
        if section.heading:
            story.append(para(section.heading, st.section, bold=True))
        story.extend(para(text, st.body) for text in section.paragraphs)
    for chart in charts:
        story.append(chart.flowables())
    return story


@dataclass(frozen=True)
class ChartImage:
    """A rendered chart placed in the document: figure number, title and PNG."""

    number: int
    title: str
    png: bytes
    aspect: float  # height / width

    def flowables(self) -> Flowable:
        width = min(frame_width("portrait"), 150 * mm)
        image = Image(io.BytesIO(self.png), width=width, height=width * self.aspect)
        return KeepTogether([Spacer(1, 6), image, para(f"图{self.number}  {self.title}", styles().caption)])


def chart_images(d: Disclosure) -> dict[int, list[ChartImage]]:
    """Charts computed from the Disclosure, rendered as PNG, grouped by the part they illustrate."""
    from deptbudget.render import charts  # matplotlib is imported only when charts are drawn

    out: dict[int, list[ChartImage]] = {}
    for number, chart in enumerate(charts.chart_data(d), start=1):
        png = charts.render_png(chart, CHART_DPI, title=False)
        image = ChartImage(number, chart.title, png, chart.height / chart.width)
        out.setdefault(chart.part, []).append(image)
    return out


def _instance_name(t: Table) -> str:
    for row in t.rows:
        label = row.cell("label").text
        if "项目名称" in label and row.cell("value").text:
            return row.cell("value").text
    return t.subtitle if t.instance is None else t.instance


def tables_story(d: Disclosure) -> list[Flowable]:
    """The 附表: each table from a new page; 表15 (one per project) listed once in the contents,
    each project in the PDF outline."""
    story: list[Flowable] = []
    seen: set[str] = set()
    for i, t in enumerate(d.tables):
        markers = [_Heading(0, "附表", "tables")] if i == 0 else []
        if t.id not in seen:
            seen.add(t.id)
            markers.append(_Heading(1, f"{t.number}. {t.title}", f"table-{t.id}"))
        if t.instance:
            markers.append(_Heading(2, _instance_name(t), f"table-{t.id}-{i}", in_contents=False))
        story.extend(table_story(t, d, markers))
    return story


def body_story(d: Disclosure, charts: bool) -> list[Flowable]:
    images = chart_images(d) if charts else {}
    story: list[Flowable] = [NextPageTemplate("portrait"), PageBreak()]
    numbers = {p.number for p in d.parts}
    for part in d.parts:
        story.extend(part_story(part, images.get(part.number, [])))
    for number in sorted(set(images) - numbers):
        story.extend(image.flowables() for image in images[number])
    story.extend(tables_story(d))
    return story


def _headings(story: Sequence[Flowable]) -> list[_Heading]:
    return [f.heading for f in story if isinstance(f, _Marker) and f.heading.in_contents]


def table_story(t: Table, d: Disclosure, markers: Sequence[_Heading] = ()) -> list[Flowable]:
    orientation = "landscape" if t.landscape else "portrait"
    available = frame_width(orientation)
    story: list[Flowable] = [NextPageTemplate(orientation), PageBreak()]
    story.extend(_Marker(h) for h in markers)
    story.extend(table_caption(t, d, available))
    story.append(table_flowable(t, available))
    if t.empty and t.rows and t.empty_note:
        story.append(para(f"注：{t.empty_note}", styles().note))
    return story


# --------------------------------------------------------------------------- entry points


def render_pdf(d: Disclosure, target: str | io.BufferedIOBase, charts: bool = True) -> int:
    """Lay out and write the PDF to ``target`` (a path or binary file); returns the page count."""
    register_font()
    body = body_story(d, charts)
    contents = contents_pages(_headings(body))
    story: list[Flowable] = [NextPageTemplate("front"), *cover_story(d)]
    for page in contents:
        story.extend([PageBreak(), page])
    story.extend(body)
    doc = _DocTemplate(target, d)
    doc._doSave = 0  # save ourselves, once the contents' page numbers are known
    doc.build(story)
    for page in contents:
        page.fill(doc.canv, doc.page_of)
    doc.canv.showOutline()
    doc.canv.save()
    return doc.canv.getPageNumber() - 1


def write_pdf(d: Disclosure, path: str | os.PathLike[str], charts: bool = True) -> Path:
    """Write the Disclosure as PDF to ``path`` atomically."""
    with atomic_output(path) as tmp:
        render_pdf(d, str(tmp), charts)
    return Path(path)


def pdf_bytes(d: Disclosure, charts: bool = True) -> bytes:
    buffer = io.BytesIO()
    render_pdf(d, buffer, charts)
    return buffer.getvalue()
