"""Form tables (绩效目标表) on the grid in their official layout (``form_layouts.yaml``).

表14 / 表15 are stored as field rows (label, value), a heading row and indicator rows (``docs/
disclosure-conventions.md``). Printed, the official forms put several fields on one row (项目名称 |
… | 项目单位 | …), group the funds under 部门总体资金情况（万元）, and print the 年度绩效指标 block with
its own header row 一级指标 / 二级指标 / 指标内容 / 指标值 and merged 一级指标 cells. ``form_grid``
places a form table so; every renderer prints the same grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from deptbudget.model.disclosure import Cell, CellKind, Row, RowKind, Table

LAYOUTS = Path(__file__).with_name("form_layouts.yaml")


@dataclass(frozen=True)
class FormLayout:
    name: str
    match: tuple[str, ...]
    columns: int
    rows: tuple[Any, ...]


@cache
def form_layouts() -> tuple[FormLayout, ...]:
    data = yaml.safe_load(LAYOUTS.read_text(encoding="utf-8")) or {}
    return tuple(FormLayout(name, tuple(spec["match"]), int(spec["columns"]), tuple(spec["rows"]))
                 for name, spec in data.items())


def _fields(t: Table) -> dict[str, Row]:
    return {row.key: row for row in t.rows if row.kind is RowKind.FIELD and "label" in row.cells}


def layout_for(t: Table) -> FormLayout | None:
    """The official layout of a form table: the first whose ``match`` keys are all fields of the table."""
    if t.layout != "form":
        return None
    keys = set(_fields(t))
    return next((layout for layout in form_layouts() if set(layout.match) <= keys), None)


@dataclass(frozen=True)
class Placed:
    """A cell of a form grid (before it becomes a GridCell): position, span, text and role."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    bold: bool = False
    kind: CellKind = CellKind.TEXT
    line_kind: RowKind = RowKind.FIELD


def _value_kind(cell: Cell) -> CellKind:
    return CellKind.AMOUNT if cell.kind is CellKind.AMOUNT and cell.value is not None else CellKind.TEXT


def _field_line(rows: list[Row], r: int, width: int) -> list[Placed]:
    """Fields side by side: label, value, label, value …; the first value takes the spare columns."""
    spare = width - 2 * len(rows)
    out: list[Placed] = []
    col = 0
    for i, row in enumerate(rows):
        value = row.cell("value")
        span = 1 + (spare if i == 0 else 0)
        out.append(Placed(r, col, row.cells["label"].text, bold=True))
        out.append(Placed(r, col + 1, value.text, colspan=span, kind=_value_kind(value)))
        col += 1 + span
    return out


def place_form(t: Table, layout: FormLayout) -> tuple[list[Placed], list[RowKind]]:
    """The form's cells on a grid of ``layout.columns`` columns and the kind of each grid row."""
    width = layout.columns
    fields = _fields(t)
    used: set[str] = set()
    cells: list[Placed] = []
    kinds: list[RowKind] = []

    def line(keys: list[str]) -> None:
        rows = [fields[k] for k in keys if k in fields]
        if rows:
            used.update(row.key for row in rows)
            cells.extend(_field_line(rows, len(kinds), width))
            kinds.append(RowKind.FIELD)

    def leftovers() -> None:
        for key in [k for k in fields if k not in used and k not in _named(layout)]:
            line([key])

    for entry in layout.rows:
        if entry == "indicators":
            leftovers()
            _indicators(t, width, cells, kinds)
        elif isinstance(entry, dict):
            group = [fields[k] for k in entry.get("fields", []) if k in fields]
            if group:
                top = len(kinds)
                cells.append(Placed(top, 0, str(entry["group"]), rowspan=len(group), bold=True))
                for row in group:
                    used.add(row.key)
                    cells.extend(Placed(c.row, c.col + 1, c.text, c.rowspan, c.colspan, c.bold, c.kind)
                                 for c in _field_line([row], len(kinds), width - 1))
                    kinds.append(RowKind.FIELD)
        else:
            line([str(k) for k in entry])
    leftovers()
    return cells, kinds


def _named(layout: FormLayout) -> set[str]:
    out: set[str] = set()
    for entry in layout.rows:
        if isinstance(entry, dict):
            out.update(entry.get("fields", []))
        elif isinstance(entry, list):
            out.update(entry)
    return out


def _indicators(t: Table, width: int, cells: list[Placed], kinds: list[RowKind]) -> None:
    heading = next((row for row in t.rows if row.kind is RowKind.HEADING), None)
    data = [row for row in t.rows if row.kind is RowKind.DATA]
    if heading is None and not data:
        return
    top = len(kinds)
    label = heading.cells["label"].text if heading is not None and "label" in heading.cells else "年度绩效指标"
    cells.append(Placed(top, 0, label, rowspan=1 + len(data), bold=True))
    names = [c.label for c in t.columns] or ["一级指标", "二级指标", "指标内容", "指标值"]
    name_span = width - 4
    header = [(1, names[0], 1), (2, names[1], 1), (3, names[2], name_span), (3 + name_span, names[-1], 1)]
    cells.extend(Placed(top, col, text, colspan=span, bold=True, line_kind=RowKind.HEADING)
                 for col, text, span in header)
    kinds.append(RowKind.HEADING)
    keys = [c.key for c in t.columns] or ["level1", "level2", "name", "target"]
    for row in data:
        r = len(kinds)
        cells.append(Placed(r, 1, row.cell(keys[0]).text, line_kind=RowKind.DATA))
        cells.append(Placed(r, 2, row.cell(keys[1]).text, line_kind=RowKind.DATA))
        cells.append(Placed(r, 3, row.cell(keys[2]).text, colspan=name_span, line_kind=RowKind.DATA))
        cells.append(Placed(r, 3 + name_span, row.cell(keys[-1]).text, line_kind=RowKind.DATA))
        kinds.append(RowKind.DATA)
