"""Disclosure → XLSX workbook (XlsxWriter): a 说明 sheet, then one sheet per table.

Each table sheet: the title (merged, bold, centred), the subtitle when there is one, the line
单位名称 / 单位：万元, the merged header exactly as ``Table.header`` gives it, then the rows.
Amounts are numbers formatted ``#,##0.00``: the exact Decimal rounded half-up to 2 places, and
converted to float only at the write call, since XLSX stores IEEE doubles. Blank amounts are
blank cells; codes and names are text. The header is frozen and repeated on printed pages.

The workbook is written to a temporary file in the target's folder and renamed into place, so
a failure never leaves a half-written file.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from deptbudget.model.disclosure import Cell, CellKind, Column, Disclosure, HeaderCell, Row, RowKind, Table
from deptbudget.model.money import round_half_up
from deptbudget.render.corrections import LEAD as CORRECTIONS_LEAD
from deptbudget.render.corrections import TITLE as CORRECTIONS_TITLE
from deptbudget.render.corrections import correction_lines
from deptbudget.render.files import atomic_output
from deptbudget.render.form_grid import layout_for
from deptbudget.render.grid import header_rows, indent_column, is_amount_cell, table_grid
from deptbudget.render.html import instance_label
from deptbudget.render.reproducible import document_date, normalize_zip

AMOUNT_FORMAT = "#,##0.00"
INFO_SHEET = "说明"
MAX_SHEET_NAME = 31
_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

_BORDER = {"border": 1, "valign": "vcenter"}
_ROLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"},
    "subtitle": {"align": "center", "valign": "vcenter"},
    "unit_left": {"align": "left", "valign": "vcenter"},
    "unit_right": {"align": "right", "valign": "vcenter"},
    "header": {**_BORDER, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#EEF1F5"},
    "text": {**_BORDER, "align": "left", "text_wrap": True},
    "code": {**_BORDER, "align": "left"},
    "amount": {**_BORDER, "align": "right", "num_format": AMOUNT_FORMAT},
    "amount_text": {**_BORDER, "align": "right"},
    "form_amount": {**_BORDER, "align": "left", "num_format": AMOUNT_FORMAT},  # a form's value cell
    "label": {**_BORDER, "bold": True, "align": "left", "text_wrap": True, "bg_color": "#F7F8FA"},
    "heading": {**_BORDER, "bold": True, "align": "left", "text_wrap": True, "bg_color": "#EEF1F5"},
    "note": {**_BORDER, "align": "center", "italic": True, "font_color": "#666666"},
    "table_note": {"align": "left", "valign": "top", "text_wrap": True},
    "info_key": {"bold": True, "align": "left", "valign": "top"},
    "info_value": {"align": "left", "valign": "top", "text_wrap": True},
    "link": {"font_color": "blue", "underline": 1},
}


FONT_NAME = "宋体"  # the CJK face of official tables (SimSun); Excel substitutes its own 宋体 where needed
FONT_SIZE = 10


class _Formats:
    """Formats are created once per workbook and shared (XlsxWriter keeps every one created); every one in
    the CJK font :data:`FONT_NAME`, never Excel's default Calibri."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._cache: dict[tuple[str, bool, int], Format] = {}

    def __call__(self, role: str, bold: bool = False, indent: int = 0) -> Format:
        key = (role, bold, indent)
        fmt = self._cache.get(key)
        if fmt is None:
            props = {"font_name": FONT_NAME, "font_size": FONT_SIZE, **_ROLES[role]}
            if bold:
                props["bold"] = True
            if indent:
                props["indent"] = indent
            fmt = self._cache[key] = self._workbook.add_format(props)
        return fmt


# --- names and layout ---------------------------------------------------------------------------


def _clean_sheet_name(name: str) -> str:
    name = _INVALID_SHEET_CHARS.sub("", name).strip().strip("'").strip()
    return name[:MAX_SHEET_NAME].rstrip().rstrip("'") or "表"


def sheet_names(tables: list[Table]) -> list[str]:
    """One valid, unique sheet name per table ("表1 收支预算总表", "表15-2 项目支出绩效目标表"):
    at most 31 characters, none of []:*?/\\, unique ignoring case, never "说明"."""
    counts: dict[str, int] = {}
    for table in tables:
        counts[table.number] = counts.get(table.number, 0) + 1
    seen: dict[str, int] = {}
    used = {INFO_SHEET.lower()}
    names: list[str] = []
    for table in tables:
        seen[table.number] = seen.get(table.number, 0) + 1
        repeated = counts[table.number] > 1 or table.instance is not None
        number = f"{table.number}-{seen[table.number]}" if repeated else table.number
        base = _clean_sheet_name(f"表{number} {table.title}")
        name, n = base, 2
        while name.lower() in used:
            suffix = f"~{n}"
            name, n = base[: MAX_SHEET_NAME - len(suffix)] + suffix, n + 1
        used.add(name.lower())
        names.append(name)
    return names


@dataclass(frozen=True)
class SheetLayout:
    """Row positions (0-based) of a table's sheet."""

    ncols: int
    title_row: int
    subtitle_row: int | None
    unit_row: int
    header_row: int  # first header row
    header_height: int  # number of header rows (0 when none)
    body_row: int  # first body row


def normalized_header(table: Table) -> list[HeaderCell]:
    """Header cells with positions made 0-based relative to the header's top-left."""
    cells = [c for header_row in header_rows(table) for c in header_row]
    if not cells:
        return []
    row0 = min(c.row for c in cells)
    col0 = min(c.col for c in cells)
    return [HeaderCell(c.text, c.row - row0, c.col - col0, c.rowspan, c.colspan) for c in cells]


def sheet_layout(table: Table, header: list[HeaderCell] | None = None) -> SheetLayout:
    header = normalized_header(table) if header is None else header
    height = max((c.row + c.rowspan for c in header), default=0)
    width = max((c.col + c.colspan for c in header), default=0)
    subtitle_row = 1 if table.subtitle else None
    unit_row = 2 if table.subtitle else 1
    return SheetLayout(
        ncols=max(len(table.columns), width, 1),
        title_row=0,
        subtitle_row=subtitle_row,
        unit_row=unit_row,
        header_row=unit_row + 1,
        header_height=height,
        body_row=unit_row + 1 + height,
    )


def table_heading(table: Table) -> str:
    return f"表{table.number} {table.title}"


# --- widths -------------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Width in Excel character units of the longest line: CJK and full-width count 2.

    (chars + UTF-8 bytes) // 2 gives 1 for ASCII and 2 for the 3-byte CJK range, cheaply.
    """
    if "\n" in text:
        return max(display_width(line) for line in text.split("\n"))
    return (len(text) + len(text.encode("utf-8"))) // 2


def _column_widths(table: Table, header: list[HeaderCell], ncols: int) -> list[float]:
    widths = [0.0] * ncols
    for h in header:
        if h.colspan == 1 and h.col < ncols:
            widths[h.col] = max(widths[h.col], min(display_width(h.text), 16))
    grid_rows = [r for r in table.rows if not (table.layout == "form" and r.kind in _FORM_KINDS)]
    for i, column in enumerate(table.columns):
        amount = column.kind is CellKind.AMOUNT
        best = 12 if amount else 8
        for row in grid_rows:
            cell = row.cells.get(column.key)
            if cell is not None and cell.text:
                width = len(cell.text) + 2 if amount else display_width(cell.text) + 2 * max(row.level - 1, 0)
                best = max(best, width)
        widths[i] = max(widths[i], best)
    if table.layout == "form" and table.rows:
        labels = [r.cells["label"].text for r in table.rows if r.kind is RowKind.FIELD and "label" in r.cells]
        widths[0] = max([widths[0], *(display_width(t) + 2 for t in labels)])
    return [min(max(w + 1, 6), 48) for w in widths]


def _merged_height(text: str, width: float) -> float | None:
    """Row height for wrapped text in a merged cell (Excel does not fit merged rows itself)."""
    lines = sum(max(1, math.ceil(display_width(line) / max(width - 1, 1))) for line in text.split("\n"))
    return None if lines <= 1 else min(15.0 * lines + 3, 409.0)


# --- writing cells ------------------------------------------------------------------------------

_FORM_KINDS = (RowKind.FIELD, RowKind.HEADING)


def excel_number(value: Any) -> float:
    """The one place a Decimal becomes a float: rounded half-up to 2 places first."""
    return float(round_half_up(value, 2))


def _write_cell(
    ws: Worksheet, fmts: _Formats, r: int, c: int, cell: Cell, column: Column | None, bold: bool, indent: int
) -> None:
    if is_amount_cell(cell, column):
        if cell.is_blank:  # shown blank (a zero printed blank, or no figure): a blank cell
            ws.write_blank(r, c, None, fmts("amount", bold))
        elif cell.value is not None:
            ws.write_number(r, c, excel_number(cell.value), fmts("amount", bold))
        else:  # printed but not an amount (an importer's parse_error)
            ws.write_string(r, c, cell.text, fmts("amount_text", bold))
        return
    code = cell.kind is CellKind.CODE or (column is not None and column.kind is CellKind.CODE)
    fmt = fmts("code" if code else "text", bold, 0 if code else indent)
    if cell.text:
        ws.write_string(r, c, cell.text, fmt)
    else:
        ws.write_blank(r, c, None, fmt)


def _value_role(cell: Cell) -> str:
    if cell.kind is not CellKind.AMOUNT:
        return "text"
    return "form_amount" if cell.value is not None or cell.is_blank else "amount_text"


def _write_merged(
    ws: Worksheet, fmts: _Formats, r: int, c0: int, c1: int, cell: Cell, role: str, bold: bool = False
) -> None:
    """Write ``cell`` over columns c0..c1 of row r; role "value" takes the format from the cell."""
    if role == "value":
        role = _value_role(cell)
    fmt = fmts(role, bold)
    if c1 > c0:
        ws.merge_range(r, c0, r, c1, "", fmt)
    if role == "form_amount" and not cell.is_blank and cell.value is not None:
        ws.write_number(r, c0, excel_number(cell.value), fmt)
    elif cell.text:
        ws.write_string(r, c0, cell.text, fmt)
    else:
        ws.write_blank(r, c0, None, fmt)


def _write_form_row(ws: Worksheet, fmts: _Formats, r: int, row: Row, ncols: int, widths: list[float]) -> None:
    label = row.cells.get("label", Cell())
    if row.kind is RowKind.HEADING:
        _write_merged(ws, fmts, r, 0, ncols - 1, label, "heading")
        return
    value = row.cells.get("value", Cell())
    if ncols == 1:
        _write_merged(ws, fmts, r, 0, 0, Cell(text=f"{label.text}：{value.text}"), "text")
        return
    _write_merged(ws, fmts, r, 0, 0, label, "label")
    _write_merged(ws, fmts, r, 1, ncols - 1, value, "value")
    height = _merged_height(value.text, sum(widths[1:ncols]))
    if height is not None:
        ws.set_row(r, height)


def _write_grid_row(ws: Worksheet, fmts: _Formats, r: int, row: Row, columns: list[Column]) -> None:
    bold = row.kind is RowKind.TOTAL or row.kind is RowKind.HEADING
    indented = indent_column(row.cells, columns) if row.level > 1 else None
    for c, column in enumerate(columns):
        cell = row.cells.get(column.key)
        indent = (row.level - 1) if column.key == indented else 0
        _write_cell(ws, fmts, r, c, cell if cell is not None else Cell(), column, bold, indent)


# --- sheets -------------------------------------------------------------------------------------


def _write_top(ws: Worksheet, fmts: _Formats, table: Table, layout: SheetLayout, unit_name: str) -> None:
    last = layout.ncols - 1
    _write_merged(ws, fmts, layout.title_row, 0, last, Cell(text=table_heading(table)), "title")
    ws.set_row(layout.title_row, 26)
    if layout.subtitle_row is not None:
        _write_merged(ws, fmts, layout.subtitle_row, 0, last, Cell(text=table.subtitle), "subtitle")
    left = f"单位名称：{table.unit_name or unit_name}"
    right = f"单位：{table.unit}" if table.unit else ""
    if last == 0:
        ws.write_string(layout.unit_row, 0, f"{left}  {right}".rstrip(), fmts("unit_left"))
        return
    ws.write_string(layout.unit_row, 0, left, fmts("unit_left"))
    if right:
        ws.write_string(layout.unit_row, last, right, fmts("unit_right"))


def _write_header(ws: Worksheet, fmts: _Formats, header: list[HeaderCell], top: int) -> None:
    fmt = fmts("header")
    for h in header:
        r, c = top + h.row, h.col
        if h.rowspan > 1 or h.colspan > 1:
            ws.merge_range(r, c, r + h.rowspan - 1, c + h.colspan - 1, "", fmt)
        ws.write_string(r, c, h.text, fmt)


def _setup_print(ws: Worksheet, table: Table, layout: SheetLayout) -> None:
    ws.set_paper(9)  # A4
    if table.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.repeat_rows(layout.title_row, layout.body_row - 1)  # print titles: the title, unit line and header
    if layout.header_height:
        ws.freeze_panes(layout.body_row, 0)


def _form_widths(ncols: int) -> list[float]:
    """Official form columns: labels, 一级指标, 二级指标, 指标内容 (over the spare columns), 指标值."""
    spare = ncols - 4
    return [16.0, 12.0, 14.0] + [max(44.0 / max(spare, 1), 12.0)] * spare + [18.0]


def _write_official_form(ws: Worksheet, fmts: _Formats, table: Table, unit_name: str) -> None:
    """A form table (表14/表15) in its official layout, the grid every format prints; a long text is
    split over rows (one a line), so that no row comes near Excel's 409 pt limit."""
    grid = table_grid(table, split_lines=True)
    layout = replace(sheet_layout(table, []), ncols=grid.ncols)
    widths = _form_widths(grid.ncols)
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    _write_top(ws, fmts, table, layout, unit_name)
    top = layout.body_row
    heights: dict[int, float] = {}
    for cell in grid.cells:
        r, c = top + cell.row, cell.col
        role = "label" if cell.bold else ("form_amount" if cell.kind is CellKind.AMOUNT else "text")
        value = Cell(text=cell.text, kind=cell.kind,
                     value=_amount_value(cell.text) if cell.kind is CellKind.AMOUNT else None)
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_range(r, c, r + cell.rowspan - 1, c + cell.colspan - 1, "", fmts(role))
        _write_merged(ws, fmts, r, c, c, value, role)
        if cell.rowspan == 1:
            height = _merged_height(cell.text, sum(widths[c:c + cell.colspan]))
            if height is not None:
                heights[r] = max(heights.get(r, 0.0), height)
    for r, height in heights.items():
        ws.set_row(r, height)
    r = top + grid.nrows
    for note in table.notes:
        _write_merged(ws, fmts, r, 0, grid.ncols - 1, Cell(text=note), "table_note")
        r += 1
    _setup_print(ws, table, layout)


def _amount_value(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except ArithmeticError:
        return None


def _write_table_sheet(ws: Worksheet, fmts: _Formats, table: Table, unit_name: str) -> None:
    if layout_for(table) is not None:
        _write_official_form(ws, fmts, table, unit_name)
        return
    header = normalized_header(table)
    layout = sheet_layout(table, header)
    widths = _column_widths(table, header, layout.ncols)
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    _write_top(ws, fmts, table, layout, unit_name)
    _write_header(ws, fmts, header, layout.header_row)
    r = layout.body_row
    form = table.layout == "form"
    for row in table.rows:
        if form and row.kind in _FORM_KINDS:
            _write_form_row(ws, fmts, r, row, layout.ncols, widths)
        else:
            _write_grid_row(ws, fmts, r, row, table.columns)
        r += 1
    if table.empty:
        _write_merged(ws, fmts, r, 0, layout.ncols - 1, Cell(text=table.empty_note or "本表无数据。"), "note")
        r += 1
    for note in table.notes:
        _write_merged(ws, fmts, r, 0, layout.ncols - 1, Cell(text=note), "table_note")
        r += 1
    _setup_print(ws, table, layout)


def _sheet_ref(name: str) -> str:
    return "internal:'{}'!A1".format(name.replace("'", "''"))


def _write_info_sheet(ws: Worksheet, fmts: _Formats, d: Disclosure, names: list[str]) -> None:
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 48)
    ws.set_column(2, 2, 34)
    ws.merge_range(0, 0, 0, 2, d.title, fmts("title"))
    ws.set_row(0, 26)
    units = sorted({t.unit for t in d.tables if t.unit}) or ["万元"]
    info: list[tuple[str, str | int]] = [  # what a reader needs; no internals (source path, template, catalog)
        ("单位名称", d.unit_name),
        ("预算年度", d.fiscal_year),
        ("文件类型", d.kind),
        ("金额单位", "、".join(units)),
    ]
    r = 2
    for key, value in info:
        ws.write_string(r, 0, key, fmts("info_key"))
        if isinstance(value, int):
            ws.write_number(r, 1, value, fmts("info_value"))
        else:
            ws.write_string(r, 1, value, fmts("info_value"))
        r += 1
    r += 1
    for c, text in enumerate(("序号", "附表", "工作表")):
        ws.write_string(r, c, text, fmts("header"))
    for table, name in zip(d.tables, names, strict=True):
        r += 1
        title = table.title if table.instance is None else f"{table.title}（{instance_label(table)}）"
        if table.number.isdigit():
            ws.write_number(r, 0, int(table.number), fmts("code"))
        else:
            ws.write_string(r, 0, table.number, fmts("code"))
        ws.write_string(r, 1, title, fmts("text"))
        ws.write_url(r, 2, _sheet_ref(name), fmts("link"), string=name)
    lines = correction_lines(d)
    if lines:
        r += 2
        ws.write_string(r, 0, CORRECTIONS_TITLE, fmts("info_key"))
        for text in [CORRECTIONS_LEAD, *lines]:
            r += 1
            ws.merge_range(r, 0, r, 2, text, fmts("table_note"))
            height = _merged_height(text, 14 + 48 + 34)
            if height:
                ws.set_row(r, height)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _build(workbook: Workbook, d: Disclosure) -> None:
    workbook.set_properties({"title": d.title, "subject": d.kind, "company": d.unit_name, "author": d.unit_name,
                             "comments": "deptbudget", "created": document_date(d).replace(tzinfo=None)})
    fmts = _Formats(workbook)
    names = sheet_names(d.tables)
    _write_info_sheet(workbook.add_worksheet(INFO_SHEET), fmts, d, names)
    for table, name in zip(d.tables, names, strict=True):
        _write_table_sheet(workbook.add_worksheet(name), fmts, table, d.unit_name)


def write_xlsx(d: Disclosure, path: str | os.PathLike[str]) -> Path:
    """Write the workbook to ``path`` (atomically: temporary file, then rename)."""
    options = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
               "default_format_properties": {"font_name": FONT_NAME, "font_size": FONT_SIZE}}
    with atomic_output(path, suffix=".tmp.xlsx") as tmp:
        workbook = xlsxwriter.Workbook(str(tmp), options)
        _build(workbook, d)
        workbook.close()
        normalize_zip(tmp, document_date(d))
    return Path(path)
