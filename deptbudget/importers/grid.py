"""A grid table's lines → its unit line, header and body, undoing page breaks.

A page break in the middle of a table repeats the ``单位名称：… 单位：万元`` line and the header
block; both are dropped from the body (and listed in the report). The header ends at the first
line that holds a figure, a classification code or the unit's name. A line numbering the columns
under the header (``栏次 | 1 | 2 | 3`` …) holds no figure of the budget and is dropped too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from deptbudget.importers.amounts import looks_like_amount
from deptbudget.importers.report import TableReport
from deptbudget.importers.source import SourceLine, squash
from deptbudget.model.disclosure import HeaderCell

_UNIT_NAME = re.compile(r"(?:单位名称|部门名称|编制单位|预算单位|^部门)\s*[:：]\s*(.*?)\s*(?=(?:金额)?单位\s*[:：]|$)")
_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元|千元|亿元)")
_EMPTY_NOTE = re.compile(r"空表|无数据|本表[^，。]{0,6}无|无发生额|没有.*(?:支出|收入|预算)")  # 本表本年无发生额 (广州)
_NOTE = re.compile(r"^(?:注|说明|备注)\s*[:：\d]")
MAX_HEADER_LINES = 6
_TOTAL_LABELS = {"合计", "总计"}
_COLUMN_NUMBER_WORDS = {"栏次", "栏号"}  # marks that name the line as the columns' numbers
_COLUMN_NUMBER_MARKS = {"栏次", "行次", "栏号", "序号", "*", "**", "甲", "乙", "丙", "丁", "戊", "己", "庚"}
_MIN_COLUMN_NUMBERS = 3


@dataclass
class Grid:
    unit: str | None = None
    unit_name: str | None = None
    header: list[SourceLine] = field(default_factory=list)
    body: list[SourceLine] = field(default_factory=list)
    empty_note: str = ""


def unit_line(line: SourceLine) -> tuple[str | None, str | None] | None:
    """(unit name, unit) when every filled cell of the line is 单位名称 / 单位 text."""
    names: list[str] = []
    units: list[str] = []
    filled = line.filled
    if len(filled) > 2 and _UNIT_NAME.search(filled[0][1]) and _UNIT.search(filled[-1][1]) \
            and not any(_UNIT.search(t) or looks_like_amount(t) for _, t in filled[1:-1]):
        # ``编制单位：上海市财务 | 会计综合管理事务中 | 心（…） | 单位：元``: a long name wrapped over cells
        filled = [(0, "".join(t.strip() for _, t in filled[:-1])), filled[-1]]
    for _, text in filled:
        name = _UNIT_NAME.search(text)
        unit = _UNIT.search(text)
        if name is None and unit is None:
            return None
        if name is not None and name.group(1):
            names.append(name.group(1).strip())
        if unit is not None:
            units.append(unit.group(1))
    return (names[0] if names else None), (units[0] if units else None)


def _is_total_line(line: SourceLine) -> bool:
    """A 合计 row with nothing printed but amounts (or blanks): data, though no figure shows."""
    texts = [t for _, t in line.filled]
    totals = [t for t in texts if squash(t) in _TOTAL_LABELS]
    return bool(totals) and all(squash(t) in _TOTAL_LABELS or looks_like_amount(t) for t in texts)


def is_column_numbers(line: SourceLine) -> bool:
    """``栏次 | 1 | 2 | 3 | 4`` or ``** | ** | 1 | 2 | 3``: the columns' numbers under a header — distinct
    small integers from 1 (in any order: a page's text may reorder them), and no other text than
    a 栏次 / 甲 乙 mark. No row of figures looks like that: it has a label, a code, decimals or a zero. A line
    that says 栏次 itself needs no more numbers than it has (a 收支总表 prints ``栏次 | 1 | 栏次 | 2``, one
    amount column a side)."""
    numbers: list[int] = []
    named = False
    for _, text in line.filled:
        text = squash(text)
        if text.isascii() and text.isdigit() and len(text) <= 2:
            numbers.append(int(text))
        elif text not in _COLUMN_NUMBER_MARKS:
            return False
        named = named or text in _COLUMN_NUMBER_WORDS
    least = 1 if named else _MIN_COLUMN_NUMBERS
    return (len(numbers) >= least and min(numbers) == 1 and len(set(numbers)) == len(numbers)
            and max(numbers) <= 2 * len(line.cells))


def is_data_line(line: SourceLine, unit_name: str) -> bool:
    if line.hints.get("section") == "body":
        return True
    if line.hints.get("section") == "head":
        return False
    if _is_total_line(line):
        return True
    unit = squash(unit_name) if unit_name else None
    for index, (_, text) in enumerate(line.filled):
        if looks_like_amount(text):
            return True
        if index == 0 and unit and squash(text) == unit:
            return True
    return False


_NUMBERED_ITEM = re.compile(r"^[一二三四五六七八九十]+、\S")


def _numbered_item(line: SourceLine) -> bool:
    """A row under the header that opens with ``一、…`` (``一、部门预算`` over each side of a 收支总表, no
    amount printed on it) is the first row of the body, no header label."""
    return bool(line.filled) and bool(_NUMBERED_ITEM.match(line.filled[0][1].strip()))


def _signature(line: SourceLine) -> tuple[str, ...]:
    return tuple(squash(c) for _, c in line.filled)


def _without_subsequence(text: str, label: str) -> str | None:
    """``text`` with the characters of ``label`` taken out in order (the first match of each), or
    None when ``label`` is not in it in that order."""
    out: list[str] = []
    position = 0
    for char in text:
        if position < len(label) and char == label[position]:
            position += 1
        else:
            out.append(char)
    return "".join(out) if position == len(label) else None


def _header_labels_overlaid(line: SourceLine, labels: set[str]) -> SourceLine | None:
    """A page that prints the rest of a row again at its top may print the repeated header over it:
    pdf text then mixes the two (``103.984764 项目总额``, ``财政44资6.金953858`` for 财政资金 over
    446.953858). The line with those labels taken out of its amount cells, and the cells that are a
    label alone emptied — or None when no amount cell carries a label (then a cell equal to a header
    label is a row label of the body, ``合计``)."""
    cells = list(line.cells)
    stripped = False
    for index, cell in enumerate(cells):
        for label in labels:
            rest = _without_subsequence(re.sub(r"\s+", "", cell), label)
            if rest and looks_like_amount(rest) and not looks_like_amount(cell.strip()):
                cells[index] = rest
                stripped = True
                break
    if not stripped:
        return None
    cells = ["" if re.sub(r"\s+", "", cell) in labels else cell for cell in cells]
    return SourceLine(cells, line.where, line.exact, dict(line.spans), dict(line.hints))


def _header_labels(header: list[SourceLine]) -> set[str]:
    return {label for line in header for _, cell in line.filled
            if len(label := re.sub(r"\s+", "", cell)) >= 2 and not looks_like_amount(label)
            and label not in _TOTAL_LABELS}


def _only_header_labels(line: SourceLine, labels: set[str]) -> bool:
    """A line of the header printed again after a page break, in another arrangement of its cells."""
    return len(line.filled) >= 2 and all(re.sub(r"\s+", "", cell) in labels for _, cell in line.filled)


def split_grid(lines: list[SourceLine], unit_name: str, report: TableReport) -> Grid:
    grid = Grid()
    header_signatures: set[tuple[str, ...]] = set()
    labels: set[str] = set()
    for line in lines:
        if len(line.filled) == 1 and _EMPTY_NOTE.search(line.text) and not looks_like_amount(line.text):
            grid.empty_note = re.sub(r"^(?:注|说明)\s*[:：]\s*", "", line.text)
            continue
        if is_column_numbers(line):
            report.skip(line.text, "栏次行 (column numbers under the header)", line.where)
            continue
        meta = unit_line(line)
        if meta is not None:
            if grid.body or grid.header:
                report.skip(line.text, "分页重复的单位行 (unit line repeated after a page break)", line.where)
            grid.unit_name = grid.unit_name or meta[0]
            grid.unit = grid.unit or meta[1]
            continue
        if not grid.body and (len(grid.header) >= MAX_HEADER_LINES or is_data_line(line, unit_name)
                              or grid.header and _numbered_item(line)):
            grid.body.append(line)
            continue
        if not grid.body:
            grid.header.append(line)
            header_signatures.add(_signature(line))
            continue
        labels = labels or _header_labels(grid.header)
        if _signature(line) in header_signatures or _only_header_labels(line, labels):
            report.skip(line.text, "分页重复的表头 (header repeated after a page break)", line.where)
        elif (overlaid := _header_labels_overlaid(line, labels)) is not None:
            report.note(f"分页重复的表头印在重印的行上 (repeated header printed over a reprinted row): {line.text}",
                        line.where)
            grid.body.append(overlaid)
        elif len(line.filled) == 1 and _NOTE.match(line.text):
            report.note(f"表注 (table note): {line.text}", line.where)
        else:
            grid.body.append(line)
    return grid


def header_cells(lines: list[SourceLine]) -> list[list[HeaderCell]]:
    """The printed header as cells: spans as the document gives them, else inferred — a cell
    spans the empty columns to its right that have text below it, and down over empty cells."""
    grid = [[c.strip() for c in line.cells] for line in lines]
    width = max((len(r) for r in grid), default=0)
    grid = [r + [""] * (width - len(r)) for r in grid]
    height = len(grid)
    out: list[list[HeaderCell]] = []
    for r, line in enumerate(lines):
        row: list[HeaderCell] = []
        for c, text in enumerate(grid[r]):
            if not text:
                continue
            if c in line.spans:
                rowspan, colspan = line.spans[c]
            else:
                rowspan, colspan = _inferred_span(grid, r, c, width, height)
            row.append(HeaderCell(" ".join(text.split()), r, c, rowspan, colspan))
        out.append(row)
    return out


def _inferred_span(grid: list[list[str]], r: int, c: int, width: int, height: int) -> tuple[int, int]:
    end = c
    while end + 1 < width and not grid[r][end + 1] and any(grid[rr][end + 1] for rr in range(r + 1, height)):
        end += 1
    rowspan = 1
    if end == c:
        while r + rowspan < height and not grid[r + rowspan][c]:
            rowspan += 1
    return rowspan, end - c + 1
