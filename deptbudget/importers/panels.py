"""Tables printed in panels side by side: the rows of one list laid out in two or three blocks of the same
columns across the page (a 基本支出决算表: 人员经费 | 公用经费, each 科目编码 | 科目名称 | 决算数). Unfolded,
they are one list: the first panel's lines, then the second's, and so on, each as wide as the template's
columns."""

from __future__ import annotations

from deptbudget.importers.amounts import looks_like_amount
from deptbudget.importers.source import SourceLine, squash
from deptbudget.model.disclosure import PANEL_TOTAL, HeaderCell, Row, RowKind


def panel_count(header: list[list[HeaderCell]], body: list[SourceLine], width: int) -> int:
    """How many panels of ``width`` columns the table prints: the printed columns are a multiple of ``width``
    and the header's lowest row repeats the first panel's labels in each. 1 when it is not so."""
    if width <= 0 or not header:
        return 1
    printed = max([len(line.cells) for line in body] + [c.col + c.colspan for row in header for c in row] + [0])
    count = -(-printed // width)
    if count < 2:
        return 1
    labels = {cell.col: cell.text for cell in header[-1] if cell.colspan == 1}
    first = [labels.get(col, "") for col in range(width)]
    for panel in range(1, count):
        again = [labels.get(panel * width + col, "") for col in range(width)]
        if any(first) and again != first:
            return 1
    return count


def _slice(line: SourceLine, start: int, width: int) -> list[str]:
    cells = line.cells[start:start + width]
    return cells + [""] * (width - len(cells))


def _is_amount_only(cells: list[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(looks_like_amount(c) for c in filled) and not cells[0].strip()


def unfold(header: list[list[HeaderCell]], body: list[SourceLine], width: int,
           count: int) -> tuple[list[list[HeaderCell]], list[SourceLine]]:
    """The first panel's header, and the body's lines panel after panel. A panel's closing line whose amount
    is printed under the next panel's columns (``公用经费合计 | | 2,266.65`` spread over the page) takes that
    amount back into its own last column; an empty slice is no line."""
    heads = [[cell for cell in row if cell.col < width] for row in header]
    panels: list[list[SourceLine]] = [[] for _ in range(count)]
    for line in body:
        slices = [_slice(line, panel * width, width) for panel in range(count)]
        for panel in range(1, count):
            if _is_amount_only(slices[panel]) and slices[panel - 1][0].strip() \
                    and not slices[panel - 1][-1].strip():
                slices[panel - 1][-1] = next(c for c in reversed(slices[panel]) if c.strip())
                slices[panel] = [""] * width
        for panel, cells in enumerate(slices):
            if any(c.strip() for c in cells):
                panels[panel].append(SourceLine(cells, line.where, line.exact, {}, dict(line.hints)))
    return heads, [line for lines in panels for line in lines]


def panel_totals(rows: list[Row]) -> list[Row]:
    """Where each panel closes with a total of its own (人员经费合计, 公用经费合计), none of them is the table's
    total: each is kept as a subtotal keyed by its label (``subtotal:人员经费合计``). A single total stays."""
    totals = [row for row in rows if row.kind is RowKind.TOTAL]
    if len(totals) < 2:
        return rows
    for row in totals:
        label = next((cell.text for cell in row.cells.values() if cell.text and not looks_like_amount(cell.text)), "")
        row.key, row.kind = f"{PANEL_TOTAL}{squash(label) or row.key}", RowKind.SUBTOTAL
    return rows
