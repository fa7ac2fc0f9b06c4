"""XLSX workbooks (openpyxl): every sheet, row by row, as lines of cells.

A number is shown as its cell format shows it (``#,##0.00`` → ``17,144.13``), converted from the
stored double through its shortest decimal representation, so the printed text and the exact
value are what Excel displays. A merged range's text sits in its first cell and its extent is
kept as the cell's span. A sheet whose first line is no table title takes its name as title
(``表1 收支预算总表`` / ``部门收支总表``).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from deptbudget.importers.errors import CorruptDocumentError, EmptyDocumentError
from deptbudget.importers.numbering import split_number
from deptbudget.importers.recover import recover
from deptbudget.importers.report import ImportReport
from deptbudget.importers.source import Location, SourceLine
from deptbudget.importers.titles import ends_like_table_title
from deptbudget.model.disclosure import Disclosure

_DECIMALS = re.compile(r"0\.(0+)")


def format_number(value: float | int | Decimal, number_format: str) -> str:
    """The number as Excel shows it under ``number_format`` (the common formats)."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    fmt = number_format.split(";")[0]
    decimals = _DECIMALS.search(fmt)
    if decimals is not None:
        exact = exact.quantize(Decimal(1).scaleb(-len(decimals.group(1))))
    elif "0" in fmt and fmt != "General":
        exact = exact.quantize(Decimal(1))
    text = f"{exact:,f}" if "," in fmt else f"{exact:f}"
    if "%" in fmt:
        text = f"{exact * 100:f}%"
    return text


def cell_text(value: Any, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        return format_number(value, number_format or "General")
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _spans(ws: Any) -> tuple[dict[tuple[int, int], tuple[int, int]], set[tuple[int, int]]]:
    """Merged ranges: (row, col) of a first cell → (rowspan, colspan); the cells they cover."""
    first: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for merged in ws.merged_cells.ranges:
        first[(merged.min_row, merged.min_col)] = (merged.max_row - merged.min_row + 1,
                                                   merged.max_col - merged.min_col + 1)
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    covered.add((r, c))
    return first, covered


def sheet_lines(ws: Any) -> list[SourceLine]:
    first, covered = _spans(ws)
    lines: list[SourceLine] = []
    for r, row in enumerate(ws.iter_rows(), 1):
        cells: list[str] = []
        spans: dict[int, tuple[int, int]] = {}
        for c, cell in enumerate(row, 1):
            cells.append("" if (r, c) in covered else cell_text(cell.value, cell.number_format))
            if (r, c) in first:
                spans[c - 1] = first[(r, c)]
        while cells and not cells[-1].strip():
            cells.pop()
        lines.append(SourceLine(cells, Location(sheet=ws.title, row=r), exact=True, spans=spans))
    return _with_title(ws.title, lines)


def _with_title(name: str, lines: list[SourceLine]) -> list[SourceLine]:
    """A sheet that starts with no title gets its name as one, when the name looks like a title."""
    filled = [line for line in lines if not line.is_blank]
    if not filled or not ends_like_table_title(name):
        return lines
    head = filled[0].text
    if ends_like_table_title(head) or (split_number(head) is not None and len(filled[0].filled) == 1):
        return lines
    title = SourceLine([name], Location(sheet=name, row=0), exact=True, hints={"role": "table_title"})
    return [title, *lines]


def workbook_lines(path: str | Path) -> list[SourceLine]:
    from openpyxl import load_workbook

    from deptbudget.importers.merged_cells import borders_of_merged_cells_skipped

    try:
        # From an open file, not the name: openpyxl refuses a name not ending .xlsx/.xlsm, and the
        # format was already told by the content (an XLSX saved as ``x.pdf`` is still read).
        with open(path, "rb") as stream, borders_of_merged_cells_skipped():  # borders are never read
            workbook = load_workbook(stream, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise CorruptDocumentError(path, f"{type(exc).__name__}: {exc}") from None
    try:
        lines: list[SourceLine] = []
        for ws in workbook.worksheets:
            lines.extend(sheet_lines(ws))
        return lines
    finally:
        workbook.close()


def read_xlsx(path: str | Path) -> tuple[Disclosure, ImportReport]:
    lines = workbook_lines(path)
    if all(line.is_blank for line in lines):
        raise EmptyDocumentError(path)
    return recover(lines, str(path), "xlsx")
