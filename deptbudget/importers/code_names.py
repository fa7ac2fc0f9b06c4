"""A generic table's label column printing a classification code and its name in one cell (``[206]科学技术支出``,
``[2010101]行政运行``, ``2010101 行政运行``, ``30101-基本工资``, ``201  一般公共服务支出``): split into the row's code
(a ``code`` column, the key of the row) and its name, as a table read with a template holds them — so that the
catalog rules judge the pair and roll-ups key the row by its code."""

from __future__ import annotations

from deptbudget.importers.cells import is_total_label
from deptbudget.importers.codes import leading_code
from deptbudget.model.disclosure import Cell, CellKind, Column, Row, RowKind

CODE_LENGTHS = (3, 5, 7)  # 类 款 项 (支出功能分类), 类 款 (经济分类): a [2026]年 or a 4-digit number is no code
MIN_CODED = 2  # rows at least, and more than half of the column's labels, printed with a code


def _split(text: str) -> tuple[str, str] | None:
    found = leading_code(text)
    return found if found is not None and len(found[0]) in CODE_LENGTHS and found[1] else None


def coded_column(columns: list[Column], rows: list[Row]) -> Column | None:
    """The first text column whose labels mostly print a code before the name, in a table with no code column."""
    if any(c.key == "code" or c.kind is CellKind.CODE for c in columns):
        return None
    for column in columns:
        if column.kind is not CellKind.TEXT:
            continue
        labels = [text for r in rows if r.kind is not RowKind.TOTAL
                  if (text := r.cells[column.key].text.strip() if column.key in r.cells else "")
                  and not is_total_label(text)]
        coded = sum(1 for text in labels if _split(text) is not None)
        if coded >= MIN_CODED and coded * 2 > len(labels):
            return column
    return None


def split_code_names(columns: list[Column], rows: list[Row]) -> list[Column]:
    """The columns with a ``code`` column before the label column that prints codes in its names (the column
    keyed ``name`` where no other is); each such row keyed by its code, its name cell the name alone, changed in
    place. Unchanged when no column prints codes so."""
    column = coded_column(columns, rows)
    if column is None:
        return columns
    name_key = "name" if column.key == "name" or all(c.key != "name" for c in columns) else column.key
    out: list[Column] = []
    for each in columns:
        if each is column:
            out += [Column("code", f"{column.label}（编码）", CellKind.CODE), Column(name_key, column.label, each.kind)]
        else:
            out.append(each)
    taken = {r.key for r in rows}
    for r in rows:
        cell = r.cells.pop(column.key, Cell())
        found = _split(cell.text.strip())
        if found is None:
            r.cells["code"] = Cell(text="", kind=CellKind.CODE)
            r.cells[name_key] = cell
            if r.kind is RowKind.DATA and is_total_label(cell.text) and "total" not in taken:
                r.key, r.kind = "total", RowKind.TOTAL  # 合计 in the label column, as generic rows key it
                taken.add("total")
            continue
        code, name = found
        r.cells["code"] = Cell(text=code, kind=CellKind.CODE)
        r.cells[name_key] = Cell(text=name, kind=cell.kind)
        if r.kind is RowKind.DATA and code not in taken:
            taken.discard(r.key)
            r.key = code
            taken.add(code)
    return out
