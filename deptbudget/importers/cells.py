"""Printed lines → the cells of a row, column by column, and the table's bookkeeping of them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from deptbudget.catalog import Catalog
from deptbudget.importers.amounts import amount_cell, looks_like_amount
from deptbudget.importers.report import CellProblem, TableReport
from deptbudget.importers.source import SourceLine, squash, unwrap
from deptbudget.model.disclosure import Cell, CellKind, Column, Row, RowKind
from deptbudget.template import TableSpec

_NEW_MARK = re.compile(r"（新增）$")
TOTAL_WORDS = ("合计", "总计")


def text_cell(text: str, exact: bool, kind: CellKind = CellKind.TEXT) -> Cell:
    return Cell(text=text.strip() if exact else unwrap(text), kind=kind)


def line_cells(line: SourceLine, columns: Sequence[Column], report: TableReport,
               positions: Sequence[int | None] | None = None) -> dict[str, Cell]:
    """Cells by column: the printed cell at the column's position (``positions``, by default the
    i-th printed cell for the i-th column). Text in no column's position is reported."""
    where = list(range(len(columns))) if positions is None else list(positions)
    cells: dict[str, Cell] = {}
    for column, index in zip(columns, where, strict=True):
        printed = line.cell(index) if index is not None else ""
        if column.kind is CellKind.AMOUNT:
            cells[column.key] = amount_cell(printed)
        else:
            cells[column.key] = text_cell(printed, line.exact, column.kind)
    used = {i for i in where if i is not None}
    for i, text in line.filled:
        if i not in used:
            report.extra(i, text, line.where)
    return cells


def project_key(name: str) -> str:
    """A project's key from its printed name: no spaces, full-width brackets, no （新增） mark —
    so 表13 ``粤港澳大湾区无人机大赛经费 (新增)`` and 表15 ``…经费（新增）`` agree."""
    return _NEW_MARK.sub("", squash(unwrap(name)))


def is_total_label(text: str) -> bool:
    """``合计`` / ``总计``, also spaced out as printed (``合 计``)."""
    text = squash(text)
    return any(word in text for word in TOTAL_WORDS)


@dataclass
class RowSink:
    """Collects a table's rows, keeping keys unique and counting into the table report."""

    report: TableReport
    rows: list[Row] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)

    def add(self, row: Row, line: SourceLine, keyed: bool = True) -> Row:
        """Add a row; a key the document states (our own HTML's ``data-key``) wins."""
        if line.hints.get("key"):
            row.key, keyed = line.hints["key"], True
        key, n = row.key, 2
        while key in self.keys:
            key, n = f"{row.key}#{n}", n + 1
        if key != row.key:
            self.report.note(f"行键重复，改为 {key} (duplicate row key)", line.where)
        row.key = key
        self.keys.add(key)
        self.rows.append(row)
        self.report.rows_read += 1
        if not keyed:
            self.report.unkeyed_rows += 1
        for column, cell in row.cells.items():
            if cell.kind is CellKind.AMOUNT and not cell.is_blank:
                self.report.amount_cells += 1
                if cell.parse_error:
                    self.report.problems.append(CellProblem(key, column, cell.text, cell.parse_error, line.where,
                                                            cell.value is None))
        return row


@dataclass
class RowContext:
    """What a row builder needs besides the lines."""

    columns: list[Column]
    catalog: Catalog
    unit_name: str
    report: TableReport
    spec: TableSpec | None = None  # the template table being read
    positions: list[int | None] | None = None  # printed column of each column (None: by position)
    fiscal_year: int = 0

    def cells(self, line: SourceLine) -> dict[str, Cell]:
        return line_cells(line, self.columns, self.report, self.positions)


def is_unit_label(text: str, unit_name: str) -> bool:
    return bool(unit_name) and squash(text) == squash(unit_name)


def merge_wrapped(lines: list[SourceLine], is_label: object, report: TableReport) -> list[SourceLine]:
    """Undo rows wrapped onto the next line in text laid out from a page: a line with no figure
    and one fragment of text continues the line above (unless the fragment is a known label)."""
    out: list[SourceLine] = []
    for line in lines:
        filled = line.filled
        fragment = (not line.exact and out and len(filled) == 1 and not looks_like_amount(filled[0][1])
                    and not (callable(is_label) and is_label(filled[0][1])))
        if fragment:
            index, text = filled[0]
            previous = out[-1]
            if previous.cell(index).strip():
                cells = list(previous.cells)
                cells[index] = unwrap(cells[index] + " " + text)
                out[-1] = SourceLine(cells, previous.where, previous.exact, previous.spans, previous.hints)
                report.note(f"续行并入上一行 (wrapped row joined): {text}", line.where)
                continue
        out.append(line)
    return out


def row(key: str, cells: dict[str, Cell], kind: RowKind = RowKind.DATA, level: int = 0,
        parent: str | None = None) -> Row:
    return Row(key=key, cells=cells, kind=kind, level=level, parent=parent)
