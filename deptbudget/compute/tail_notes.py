"""尾差: where a generated table's printed parts and its printed total differ after rounding.

With every figure correctly rounded on its own, Σ printed parts may differ from the printed total by
a few cents. Official practice prints the figures as they are and puts a note under the table; this
module finds the tables that need it, from the relations the table's structure states:

- a row and the rows under it (``Row.parent``; codes of 功能分类 by prefix on a 收支总表's spending side),
- a total row and the top-level rows of its table (a tree's 类, a list's items),
- a 收支总表's income items and their footers (``income_tree`` of the template),
- the columns of one row that add up (the template's ``rules.row_sums``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from deptbudget.model.disclosure import CellKind, Row, RowKind, Table
from deptbudget.template import TableSpec, Template, income_tree

Sum = tuple[Decimal, list[Decimal]]  # (printed total, printed parts)


def _value(row: Row, column: str) -> Decimal | None:
    cell = row.cells.get(column)
    if cell is None or cell.kind is not CellKind.AMOUNT:
        return None
    return cell.value if cell.value is not None else Decimal(0)


def _column_sums(columns: list[str], total: Row, parts: list[Row]) -> Iterator[Sum]:
    for column in columns:
        printed = _value(total, column)
        values = [_value(part, column) for part in parts]
        if printed is not None and parts and all(v is not None for v in values):
            yield printed, [v for v in values if v is not None]


def _side_keys(row: Row) -> dict[str, str]:
    """``income=fiscal;exp=201`` → {"income": "fiscal", "exp": "201"}."""
    out = {}
    for piece in row.key.split(";"):
        name, _, value = piece.partition("=")
        out[name] = value
    return out


def _code_parent(code: str, codes: set[str]) -> str | None:
    for cut in range(len(code) - 1, 0, -1):
        if code[:cut] in codes:
            return code[:cut]
    return None


def _two_sided_sums(table: Table, spec: TableSpec) -> Iterator[Sum]:
    keyed = [(row, _side_keys(row)) for row in table.rows]
    exp_rows = {keys["exp"]: row for row, keys in keyed if keys.get("exp", "").isdigit()}
    codes = set(exp_rows)
    children: dict[str | None, list[Row]] = {}
    for code, row in exp_rows.items():
        children.setdefault(_code_parent(code, codes), []).append(row)
    totals = [row for row, keys in keyed if keys.get("exp") == "total"]
    for parent, kids in children.items():
        whole = exp_rows.get(parent) if parent else (totals[0] if totals else None)
        if whole is not None:
            yield from _column_sums(["exp_amount"], whole, kids)
    income_rows = {keys["income"]: row for row, keys in keyed if keys.get("income")}
    for key, kid_keys in income_tree(spec):
        kids = [income_rows[k] for k in kid_keys if k in income_rows]
        if key in income_rows and len(kids) == len(kid_keys):
            yield from _column_sums(["income_amount"], income_rows[key], kids)


def _grid_sums(table: Table, amount_columns: list[str]) -> Iterator[Sum]:
    by_key = {row.key: row for row in table.rows}
    children: dict[str, list[Row]] = {}
    for row in table.rows:
        if row.parent and row.parent in by_key:
            children.setdefault(row.parent, []).append(row)
    for parent, kids in children.items():
        yield from _column_sums(amount_columns, by_key[parent], kids)
    totals = [row for row in table.rows if row.kind is RowKind.TOTAL]
    tops = [row for row in table.rows if row.kind in (RowKind.DATA, RowKind.SUBTOTAL) and not row.parent]
    levels = {row.level for row in tops}
    if len(totals) == 1 and levels:
        top_level = min(levels)
        yield from _column_sums(amount_columns, totals[0], [row for row in tops if row.level == top_level])


def _row_sums(table: Table, template: Template) -> Iterator[Sum]:
    sums = (template.rules.options.get("row_sums") or {}).get(table.id) or []
    for row in table.rows:
        for total_key, part_keys in sums:
            printed = _value(row, total_key)
            parts = [_value(row, key) for key in part_keys if key in row.cells]
            if printed is not None and parts and all(p is not None for p in parts):
                yield printed, [p for p in parts if p is not None]


def has_tail_difference(table: Table, template: Template) -> bool:
    """Whether any printed total of ``table`` differs from the sum of its printed parts."""
    spec = template.find_table(table.id)
    if spec is None or table.layout != "grid":
        return False
    sums: Iterable[Sum]
    if spec.income or spec.footer:
        sums = _two_sided_sums(table, spec)
    else:
        sums = _grid_sums(table, [c.key for c in table.columns if c.kind is CellKind.AMOUNT])
    return any(total != sum(parts, Decimal(0)) for total, parts in (*sums, *_row_sums(table, template)))


def add_tail_notes(tables: list[Table], template: Template) -> None:
    """Put the template's 尾差 note under every table whose printed parts and total differ."""
    if template.rounding.method != "correct":
        return
    for table in tables:
        if has_tail_difference(table, template):
            table.notes.append(template.rounding.tail_note)
