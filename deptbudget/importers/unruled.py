"""Tables printed without ruling lines: line up the cells of consecutive printed lines in columns.

A run of lines with two or more cells (and single-cell lines squeezed between them) is a table.
Its columns are the x-ranges where the cells of its *data* lines (those holding a figure) lie,
overlapping ranges merged, and the header labels standing over no such range (empty columns);
a table without figures takes the columns of its widest line. Every cell then goes to the column
it overlaps most, so a blank cell becomes ``""`` at its place instead of shifting the row; a
header cell over several columns keeps them as its span.
"""

from __future__ import annotations

from dataclasses import dataclass

from deptbudget.importers.amounts import looks_like_amount

Box = tuple[float, float]


@dataclass
class Aligned:
    cells: list[str]
    spans: dict[int, tuple[int, int]]


def _merged(boxes: list[Box]) -> list[Box]:
    columns: list[list[float]] = []
    for x0, x1 in sorted(boxes):
        if columns and x0 <= columns[-1][1] + 1.0:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return [(c[0], c[1]) for c in columns]


def columns_of(rows: list[tuple[list[str], list[Box]]], right_aligned: bool = False) -> list[Box]:
    """Merged x-ranges of the cells of the rows that hold a figure, plus the header labels that
    stand over no such range (a column printed empty in every row). With ``right_aligned`` (boxes
    placed by their printed position, figures right-aligned in their cells), a label over no
    figures may belong to the figures just right of it."""
    data = [i for i, (cells, _) in enumerate(rows) if any(looks_like_amount(c) for c in cells)]
    if not data:
        widest = max(rows, key=lambda row: len(row[1]))
        return _merged(widest[1]) if len(widest[1]) > 1 else []
    columns = _merged([box for i in data for box in rows[i][1]])
    header = [boxes for _, boxes in rows[: data[0]]]  # the header lines above the first row of figures
    for at in reversed(range(len(header))):  # lowest first
        boxes = header[at]
        for box in boxes:
            if any(_overlap(box, column) > 0 for column in columns):
                continue
            if right_aligned and _over_labelled_pair(box, header[at + 1:], columns):
                continue
            figures = _figures_right_of(box, boxes, columns) if right_aligned else None
            if figures is None:
                columns.append(box)
            else:
                columns[columns.index(figures)] = (box[0], figures[1])
    if right_aligned:  # a form: lines below the figures may name columns of their own (一级指标 | 二级指标 …)
        for i in range(data[0] + 1, len(rows)):
            for box in rows[i][1]:
                if i not in data and not any(_overlap(box, column) > 0 for column in columns):
                    columns.append(box)
    return sorted(columns)


def _over_labelled_pair(label: Box, lower: list[list[Box]], columns: list[Box]) -> bool:
    """A group label (收　入 over 项目 | 预算数): it stands between two columns that labels of the
    header lines below it name, so it spans them rather than being a column of its own."""
    left = max((c for c in columns if c[1] <= label[0]), default=None)
    right = min((c for c in columns if c[0] >= label[1]), default=None)
    if left is None or right is None:
        return False
    below = [box for line in lower for box in line]
    return any(_overlap(b, left) > 0 for b in below) and any(_overlap(b, right) > 0 for b in below)


def _figures_right_of(label: Box, line: list[Box], columns: list[Box]) -> Box | None:
    """The column of figures a header label stands over although they do not reach it: figures are
    right-aligned, a label centred, so in a wide column short figures end up right of their label.
    It is the next column to the right when no label of the same header line stands over it and
    it is nearer than the column to the left."""
    right = min((c for c in columns if c[0] >= label[1]), default=None)
    if right is None or any(_overlap(box, right) > 0 for box in line):
        return None
    left_end = max((c[1] for c in columns if c[1] <= label[0]), default=None)
    return right if left_end is None or right[0] - label[1] < label[0] - left_end else None


def _overlap(box: Box, column: Box) -> float:
    return min(box[1], column[1]) - max(box[0], column[0])


def align(cells: list[str], boxes: list[Box], columns: list[Box]) -> Aligned:
    """The row's cells placed in the columns; a cell over several columns spans them."""
    out = [""] * len(columns)
    spans: dict[int, tuple[int, int]] = {}
    for text, box in zip(cells, boxes, strict=True):
        covered = [i for i, column in enumerate(columns) if _overlap(box, column) > 0]
        if not covered:
            centre = (box[0] + box[1]) / 2
            covered = [min(range(len(columns)), key=lambda i: abs((columns[i][0] + columns[i][1]) / 2 - centre))]
        first = covered[0]
        while first < len(out) - 1 and out[first]:
            first += 1
        out[first] = f"{out[first]} {text}".strip() if out[first] else text
        if len(covered) > 1:
            spans[first] = (1, len(covered))
    return Aligned(out, spans)
