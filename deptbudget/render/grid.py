"""A Disclosure table placed on a grid of printed cells: the layout-independent part of every renderer.

Pure: no ReportLab, no python-docx. The PDF and DOCX renderers print ``table_grid`` cell for cell
(the same cells, header spans, form fields and merged 指标 runs); the HTML and XLSX renderers
share the printed header (``header_rows``), the amount test (``is_amount_cell``) and the row
indentation (``indent_column``). Widths, fonts and styles stay with each renderer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from deptbudget.model.disclosure import Cell, CellKind, Column, HeaderCell, Row, RowKind, Table
from deptbudget.render.form_grid import FormLayout, Placed, layout_for, place_form

# --------------------------------------------------------------------------- cells


def is_amount_cell(cell: Cell, column: Column | None) -> bool:
    """An amount cell: the cell says so, or it sits in an amount column."""
    return cell.kind is CellKind.AMOUNT or (column is not None and column.kind is CellKind.AMOUNT)


def looks_numeric(text: str) -> bool:
    """Printed like a number ("1,234.50", "-3"): digits once separators and signs are dropped."""
    return text.replace(",", "").replace(".", "").replace("-", "").strip().isdigit()


# --------------------------------------------------------------------------- header


def header_rows(table: Table) -> list[list[HeaderCell]]:
    """The header as printed: ``table.header`` sorted by column, else one row of column labels
    (grid tables only; a form table without header has none)."""
    if table.header:
        return [sorted(header_row, key=lambda c: c.col) for header_row in table.header]
    return _label_header(table)


def _label_header(table: Table) -> list[list[HeaderCell]]:
    if table.layout == "form" or not table.columns:
        return []
    return [[HeaderCell(text=c.label, row=0, col=i) for i, c in enumerate(table.columns)]]


# --------------------------------------------------------------------------- indentation


def indent_column(row_cells: dict[str, Cell], columns: list[Column]) -> str | None:
    """The column whose text a row's level indents (HTML, XLSX): the label of the last amount
    block — the last non-blank text column seen before an amount column (so in a two-sided
    收支总表 row, the 支出 side), else the first non-blank text column."""
    label: str | None = None
    first: str | None = None
    chosen: str | None = None
    for column in columns:
        if column.kind is CellKind.AMOUNT:
            chosen = label or chosen
            label = None
        elif column.kind is CellKind.TEXT:
            cell = row_cells.get(column.key)
            if cell is not None and cell.text.strip():
                label = column.key
                first = first or column.key
    return chosen or first


def hierarchy_column(t: Table) -> int | None:
    """The column that shows the row hierarchy on the grid (PDF, DOCX): the rightmost text
    column that is not the unit."""
    for j in range(len(t.columns) - 1, -1, -1):
        column = t.columns[j]
        if column.kind == CellKind.TEXT and column.key != "unit":
            return j
    return None


def base_level(t: Table) -> int:
    """The level printed flush left: the smallest non-zero level (0 marks blank/footer rows)."""
    return min((row.level for row in t.rows if row.level > 0), default=1)


# --------------------------------------------------------------------------- the grid


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
    """The printed header on the grid: ``t.header`` (merged multi-row, in the order given) or one
    row of column labels. Form tables (表14/表15) have none unless the template gives one."""
    lines = t.header if t.header else _label_header(t)
    return [
        GridCell(h.row, h.col, h.text, h.rowspan, h.colspan, header=True, bold=True) for line in lines for h in line
    ]


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
        if kind == CellKind.AMOUNT and cell.value is None and cell.text and not looks_numeric(cell.text):
            kind = CellKind.TEXT
        indent = max(row.level - base, 0) if j == indent_col and row.kind != RowKind.TOTAL else 0
        out.append(GridCell(r, j, cell.text, kind=kind, bold=bold, indent=indent))
    return out


def _official_form_grid(t: Table, layout: FormLayout, split_lines: bool) -> TableGrid:
    """A form table in its official layout (``deptbudget.render.form_grid``). With ``split_lines`` (PDF) a
    long text — a field alone on its row, an indicator's 指标内容 such as 测算明细 — becomes one grid row per
    line, so that a page break can fall between lines; the cells beside it span those rows."""
    placed, kinds = place_form(t, layout)
    by_row: dict[int, list[Placed]] = {}
    for p in placed:
        by_row.setdefault(p.row, []).append(p)
    split: dict[int, tuple[Placed, list[str]]] = {}
    for r, kind in enumerate(kinds):
        cells = sorted(by_row.get(r, []), key=lambda p: p.col)
        if not split_lines or not cells:
            continue
        if kind is RowKind.FIELD and len(cells) == 2 and cells[0].col == 0:
            target = cells[1]
        elif kind is RowKind.DATA:
            target = next((p for p in cells if p.col == 3), cells[-1])
        else:
            continue
        lines = [line for line in target.text.split("\n") if line.strip()]
        if len(lines) > 1:
            split[r] = (target, lines)
    heights = [len(split[r][1]) if r in split else 1 for r in range(len(kinds))]
    starts = [sum(heights[:r]) for r in range(len(kinds))]
    grid = TableGrid(layout.columns, 0)
    for r, kind in enumerate(kinds):
        grid.row_kinds.extend([kind] * heights[r])
        target, lines = split.get(r, (None, []))
        for p in by_row.get(r, []):
            if p is target:
                grid.cells.extend(GridCell(starts[r] + i, p.col, line, colspan=p.colspan, kind=p.kind,
                                           continued=i > 0) for i, line in enumerate(lines))
                continue
            rowspan = sum(heights[r:r + p.rowspan])
            grid.cells.append(GridCell(starts[r], p.col, p.text, rowspan, p.colspan, p.kind, bold=p.bold))
    merge_runs(grid, columns=(1, 2))
    return grid


def table_grid(t: Table, split_lines: bool = False) -> TableGrid:
    """Place the table on a grid. With ``split_lines`` (PDF), a form field whose value has
    several lines becomes one grid row per line: the label spans them, the lines after the
    first are ``continued``. A form table with an official layout is placed in it."""
    layout = layout_for(t)
    if layout is not None:
        return _official_form_grid(t, layout, split_lines)
    head = header_cells(t)
    header_height = max((c.row + c.rowspan for c in head), default=0)
    grid = TableGrid(len(t.columns), header_height, list(head), [None] * header_height)
    indent_col, base = hierarchy_column(t), base_level(t)
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
        merge_runs(grid, columns=(0, 1))
    return grid


def _field_lines(row: Row) -> list[str]:
    if row.kind != RowKind.FIELD or "label" not in row.cells:
        return []
    return [line for line in row.cell("value").text.split("\n") if line.strip()]


def merge_runs(grid: TableGrid, columns: Sequence[int]) -> None:
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
