"""The page a finding is on: an imported table and its rows know the page they were read on
(``importers.source.Location``); a finding on them ends its message with it, "（第 12 页）", so that a
person reading the printed document goes straight there. Generated documents have no pages: their
findings are unchanged. The ``check --json`` record keeps its keys: the page is part of the message."""

from __future__ import annotations

from dataclasses import dataclass, field

from deptbudget.model.disclosure import Disclosure, Row, RowKind, Table

# the cells whose text a finding's row may be (besides the row key): codes, names and labels
_ROW_CELLS = ("code", "name", "unit", "income_item", "exp_item", "label", "year", "func_name", "value")


@dataclass
class TablePages:
    """The page of a table's title and of each of its rows, by the names a finding may give the row."""

    page: int | None
    rows: dict[str, int] = field(default_factory=dict)


def _names(row: Row) -> list[str]:
    names = [row.key]
    for part in row.key.split(";"):  # a 收支总表 row: income=…;exp=…
        names.append(part.partition("=")[2])
    for key in _ROW_CELLS:
        cell = row.cells.get(key)
        if cell is not None and cell.text.strip():
            names.append(cell.text.strip())
            names.append(cell.text.strip().rstrip(":："))
    if row.key == "total" or row.kind is RowKind.TOTAL:
        names.extend(("合计", "总计"))
    return [name for name in names if name]


def _label(table: Table) -> str:
    return f"表{table.number or table.id.lstrip('T')}"


def page_index(disclosure: Disclosure) -> dict[str, TablePages]:
    """Table label (表7) → the page of its title and of each row (by key, code, name or label); empty for a
    document without pages. A table printed once per project (表15) is found by its project row."""
    index: dict[str, TablePages] = {}
    for table in disclosure.tables:
        if table.page is None and not any(row.page is not None for row in table.rows):
            continue
        entry = index.setdefault(_label(table), TablePages(table.page))
        for row in table.rows:
            if row.page is None:
                continue
            for name in _names(row):
                entry.rows.setdefault(name, row.page)
            if table.instance:
                entry.rows.setdefault(table.instance, row.page)
    return index


def finding_page(index: dict[str, TablePages], table: str | None, row: str | None) -> int | None:
    """The page of a finding's table and row: the row's page where the row is known, else the table's."""
    entry = index.get(table or "")
    if entry is None:
        return None
    if row:
        for name in (row, *row.split(" / ")):
            if name.strip() in entry.rows:
                return entry.rows[name.strip()]
    return entry.page


def page_suffix(page: int) -> str:
    """How a message quotes the page: "（第 12 页）"."""
    return f"（第 {page} 页）"
