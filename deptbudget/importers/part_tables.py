"""A table printed inside a narrative part without a title of its own, recognised by its header.

深圳 prints its 重点项目 in 第七部分 as ``二级预算单位名称 | 一级项目名称 | 预算数（万元） | 绩效目标``
followed by one row per project: no ``…表`` title opens it. A line of several cells, none an amount, one
naming an amount column (预算数, 金额, 万元…), followed by lines of as many cells with an amount in that
column, is such a table; the lines after the header that keep its width (a row, or the rest of a row
wrapped onto the next page with its amount column empty) are its rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from deptbudget.importers.amounts import looks_like_amount
from deptbudget.importers.source import SourceLine, squash

_AMOUNT_LABEL = re.compile(r"预算数|决算数|金额|万元|[（(]元[)）]")
_MIN_HEADER_CELLS = 3
_LOOKAHEAD = 6  # lines looked at for the first row (blank lines and page artefacts in between)


def amount_columns(header: SourceLine) -> list[int]:
    """The columns of a header row that name amounts; none unless the line reads as a header (three
    cells or more, none of them a figure)."""
    filled = header.filled
    if len(filled) < _MIN_HEADER_CELLS or any(looks_like_amount(text) for _, text in filled):
        return []
    return [col for col, text in filled if _AMOUNT_LABEL.search(squash(text))]


def is_row(line: SourceLine, width: int, columns: list[int]) -> bool:
    """A row under a header of ``width`` cells: an amount in one of its amount columns."""
    return len(line.cells) == width and any(looks_like_amount(line.cell(col)) for col in columns)


def is_row_rest(line: SourceLine, width: int, columns: list[int]) -> bool:
    """The rest of a row wrapped onto the next line or page: as wide, its amount columns empty."""
    return len(line.cells) == width and bool(line.filled) and not any(line.cell(col).strip() for col in columns)


def join_rest(row: SourceLine, rest: SourceLine) -> SourceLine:
    """A row with the rest of its cells (wrapped onto the next page) appended, each to its own cell."""
    cells = [(row.cell(col) + rest.cell(col)).strip() for col in range(max(len(row.cells), len(rest.cells)))]
    return replace(row, cells=cells)


def header_at(lines: list[SourceLine], i: int, passed: Callable[[SourceLine], bool]) -> list[int]:
    """The amount columns when line ``i`` is the header of a table whose first row follows (lines
    ``passed`` — blank, page artefacts — in between); else none."""
    columns = amount_columns(lines[i])
    if not columns:
        return []
    for j in range(i + 1, min(i + 1 + _LOOKAHEAD, len(lines))):
        if lines[j].is_blank or passed(lines[j]):
            continue
        return columns if is_row(lines[j], len(lines[i].cells), columns) else []
    return []
