"""Which printed column holds which template column.

By position, as the template lists them — unless the printed header names exactly the template's
columns less some it does not print (``_without_absent``), or disagrees from its first columns on,
or the rows are wider than the template: then each template column is looked up by
its label among the printed header's lowest labels (``小计`` named with the group above it, so
``财政预算拨款`` / ``小计`` is ``财政预算拨款小计``). Position wins otherwise because extracted
headers are often garbled while the rows are not (the seed's 表4).
"""

from __future__ import annotations

from deptbudget.importers.source import SourceLine, label_key
from deptbudget.model.disclosure import Column, HeaderCell

_SUBTOTAL = {"小计", "合计"}


def printed_labels(header: list[list[HeaderCell]], width: int) -> list[str]:
    """The label of every printed column: its lowest header cell, a 小计 with its group's name."""
    labels = [""] * width
    groups = [""] * width
    for header_row in header:
        for cell in header_row:
            for col in range(cell.col, min(cell.col + cell.colspan, width)):
                if labels[col]:
                    groups[col] = labels[col]
                labels[col] = label_key(cell.text)
    return [groups[c] + labels[c] if labels[c] in _SUBTOTAL and groups[c] else labels[c] for c in range(width)]


def _data_width(body: list[SourceLine]) -> int:
    return max((line.filled[-1][0] + 1 for line in body if line.filled), default=0)


def _row_numbers(body: list[SourceLine]) -> bool:
    """The rows open with their number in a column of its own (``1 | 合计 | …``, ``2 | 234 | …``): a 序号
    column, numbered from 1 upwards. Lines without a first cell (a name wrapped onto the next line) do not
    count."""
    firsts = [line.filled[0][1].strip() for line in body if line.filled and line.filled[0][0] == 0
              and len(line.filled) > 2]
    if len(firsts) < 2 or not all(first.isdigit() for first in firsts):
        return False
    numbers = [int(first) for first in firsts]
    # 1, 2, 3 … — or with gaps where a numbered row's cells wrapped onto two lines (3 其中：… over its amounts)
    return numbers[0] == 1 and all(a < b for a, b in zip(numbers, numbers[1:], strict=False))


def _same(label: str, wanted: str) -> bool:
    """Labels agree: equal, or one holds the other (``预算数`` / ``2025年预算数``)."""
    return bool(label) and (label == wanted or label in wanted or wanted in label)


def _by_label(columns: list[Column], labels: list[str]) -> list[int | None]:
    """Each column at the first unused printed column with its label (exact before partial); a
    column with no printed label keeps its own position when that is free."""
    positions: list[int | None] = []
    used: set[int] = set()
    for column in columns:
        wanted = label_key(column.label)
        found = next((i for i, label in enumerate(labels) if label == wanted and i not in used), None)
        if found is None:
            found = next((i for i, label in enumerate(labels) if _same(label, wanted) and i not in used), None)
        if found is not None:
            used.add(found)
        positions.append(found)
    for index, position in enumerate(positions):
        if position is None and index < len(labels) and index not in used:
            positions[index] = index
            used.add(index)
    return positions


def _without_absent(columns: list[Column], labels: list[str], width: int) -> list[int | None] | None:
    """A table printed narrower than its template because it lacks some of its columns (a 2025年预算数
    column that some documents of a family print and others not): header and rows as wide, each
    printed label exactly a template column's, in the template's order, and the template columns
    found nowhere as many as the printed table is narrower. Else None (by position)."""
    if not 0 < width < len(columns) or len(labels) != width or not all(labels):
        return None  # header and rows of another width: a garbled header, read by position
    exact = [labels.index(label_key(c.label)) if label_key(c.label) in labels else None for c in columns]
    found = [p for p in exact if p is not None]
    if found != list(range(width)) or len(columns) - len(found) != len(columns) - width:
        return None
    return exact


def column_positions(columns: list[Column], header: list[list[HeaderCell]],
                     body: list[SourceLine]) -> list[int | None]:
    positional: list[int | None] = list(range(len(columns)))
    width = max(_data_width(body), max((c.col + c.colspan for r in header for c in r), default=0))
    labels = printed_labels(header, width)
    if _data_width(body) == len(columns) + 1 and _row_numbers(body):
        return [i + 1 for i in positional if i is not None]  # a 序号 column first, which the template lacks
    if not any(labels):
        return positional
    head_agrees = all(i >= len(labels) or not labels[i] or _same(labels[i], label_key(c.label))
                      for i, c in enumerate(columns[:2]))
    if head_agrees and _data_width(body) <= len(columns):
        return _without_absent(columns, labels, _data_width(body)) or positional
    by_label = _by_label(columns, labels)
    found = sum(p is not None for p in by_label)
    return by_label if found >= max(2, len(columns) // 2) else positional
