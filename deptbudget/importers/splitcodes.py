"""Classification codes printed over 类 / 款 / 项 columns, joined into one code column.

Many localities print a 科目编码 as two or three columns headed ``类 | 款 | 项`` (or ``类 | 款``
for 经济分类): ``201 | 08 | 01`` is 2010801. A tree prints each level only where it changes — a
row ``201``, then ``  | 08``, then ``  |   | 01`` — so a part left blank is the one printed on a
row above. The columns become one code column headed by the label above ``类`` (``科目编码``),
before the columns are matched to the template: the rows then read like a table with one code
column, and no part of a code is ever taken for an amount.
"""

from __future__ import annotations

from dataclasses import dataclass

from deptbudget.importers.source import SourceLine, squash

_LEVELS = ("类", "款", "项")
CODE_LABEL = "科目编码"  # the joined column's label where nothing is printed above 类 款 项


@dataclass(frozen=True)
class CodeGroup:
    """Printed columns ``start`` … ``start + width - 1`` hold the levels of one code."""

    start: int
    width: int


def code_groups(header: list[SourceLine]) -> list[CodeGroup]:
    """Runs of adjacent header cells ``类 款 [项]`` on one header line, left to right."""
    groups: list[CodeGroup] = []
    for line in header:
        cells = [squash(c) for c in line.cells]
        col = 0
        while col < len(cells):
            width = 0
            while col + width < len(cells) and width < len(_LEVELS) and cells[col + width] == _LEVELS[width]:
                width += 1
            if width >= 2:
                groups.append(CodeGroup(col, width))
                col += width
            else:
                col += 1
        if groups:
            return groups
    return groups


class _CodeState:
    """The parts printed last at each level of one code group."""

    def __init__(self, width: int) -> None:
        self.parts = [""] * width

    def code(self, printed: list[str]) -> str:
        deepest = -1
        for level, part in enumerate(printed):
            part = part.replace(" ", "")
            if not (part.isascii() and part.isdigit()):
                continue
            self.parts[level] = part
            self.parts[level + 1:] = [""] * (len(self.parts) - level - 1)
            deepest = level
        if deepest < 0:
            return ""
        return "".join(self.parts[: deepest + 1])


def _value(state: _CodeState, printed: list[str]) -> str:
    """The code a row's printed parts make, or the text printed there when it holds no code (``合计``)."""
    return state.code(printed) or " ".join(t.strip() for t in printed if t.strip())


def _joined(cells: list[str], groups: list[CodeGroup], values: list[str]) -> list[str]:
    out: list[str] = []
    col = 0
    for group, value in zip(groups, values, strict=True):
        out.extend(cells[col:group.start])
        out.append(value)
        col = group.start + group.width
    out.extend(cells[col:])
    return out


def _spans(line: SourceLine, groups: list[CodeGroup]) -> dict[int, tuple[int, int]]:
    """The line's merged cells after the joins: indices shift left, a span over a group shrinks."""
    def new_index(col: int) -> int:
        shift = 0
        for group in groups:
            if col >= group.start + group.width:
                shift += group.width - 1
            elif col > group.start:
                shift += col - group.start
        return col - shift

    spans: dict[int, tuple[int, int]] = {}
    for col, (rowspan, colspan) in line.spans.items():
        start, end = new_index(col), new_index(col + colspan - 1)
        spans[start] = (rowspan, max(1, end - start + 1))
    return spans


def join_code_columns(header: list[SourceLine], body: list[SourceLine]) -> tuple[list[SourceLine], list[SourceLine]]:
    """Header and body with each ``类 款 [项]`` group of columns joined into one code column: the
    header keeps the label above the group (the ``类 款 项`` cells themselves are dropped; ``科目编码``
    where nothing is printed above them), a body
    row the full code its printed parts make with the parts printed on the rows above."""
    groups = code_groups(header)
    if not groups:
        return header, body
    new_header = []
    labelled = [False] * len(groups)
    for line in header:
        values = []
        for index, group in enumerate(groups):
            texts = [t for t in line.cells[group.start:group.start + group.width] if t.strip()]
            is_levels = [squash(t) for t in texts] == list(_LEVELS[:len(texts)]) and len(texts) >= 2
            if is_levels:
                values.append("" if labelled[index] else CODE_LABEL)
            else:
                values.append(texts[0] if texts else "")
            labelled[index] = labelled[index] or bool(texts) and not is_levels
        new_header.append(SourceLine(_joined(line.cells, groups, values), line.where, line.exact,
                                     _spans(line, groups), line.hints))
    states = [_CodeState(g.width) for g in groups]
    new_body = []
    for line in body:
        cells = line.cells + [""] * max(0, groups[-1].start + groups[-1].width - len(line.cells))
        values = [_value(state, cells[g.start:g.start + g.width]) for g, state in zip(groups, states, strict=True)]
        new_body.append(SourceLine(_joined(cells, groups, values), line.where, line.exact,
                                   _spans(line, groups), line.hints))
    return new_header, new_body
