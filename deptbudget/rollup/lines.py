"""A document's budget lines: every amount its classified tables print, one plain row each, for the roll-ups.

A line is one amount of one row of one table: the 功能分类 rows (类 / 款 / 项) of its spending tables and of the
expenditure side of its 收支总表 (where the rows carry their codes), the 经济分类
rows (类 / 款) of its 基本支出 tables, the items of its “三公”经费 table and its 机关运行经费 (a column of the
“三公” table where printed, else the figure its narrative states). Each keeps what it is (the table's role, the
code kind, code, name and level, the column's key — ``total``, ``basic``, ``project``, ``general_budget`` …) and
its amount in 元 (exact, two decimals), whatever unit the table prints. Which table a roll-up reads is the
roll-up's choice (``deptbudget.rollup.measures``); the lines keep them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pyarrow as pa

from deptbudget.model.disclosure import CellKind, Disclosure, Row, RowKind, Table
from deptbudget.model.money import CENT, YUAN_PER_WAN
from deptbudget.template import Role

FUNC = "func"  # 支出功能分类科目
ECON = "econ"  # 部门预算支出经济分类科目
GOV_ECON = "gov_econ"  # 政府预算支出经济分类科目
THREE_PUBLIC = "three_public"  # “三公”经费
ADMIN_OPERATING = "admin_operating"  # 机关运行经费
NARRATIVE = "narrative"  # the table role of a figure the narrative states

CODE_KINDS = {FUNC: "支出功能分类", ECON: "部门预算支出经济分类", GOV_ECON: "政府预算支出经济分类",
              THREE_PUBLIC: "“三公”经费", ADMIN_OPERATING: "机关运行经费"}
YUAN_PER = {"元": Decimal(1), "千元": Decimal(1000), "万元": YUAN_PER_WAN, "亿元": Decimal(100_000_000)}
AMOUNT = pa.decimal128(18, 2)  # 元, never a float

LINES_SCHEMA = pa.schema([
    ("path", pa.string()), ("locality", pa.string()), ("year", pa.string()), ("entity", pa.string()),
    ("kind", pa.string()), ("table_role", pa.string()), ("table", pa.string()), ("code_kind", pa.string()),
    ("code", pa.string()), ("name", pa.string()), ("level", pa.int8()), ("column", pa.string()),
    ("amount", AMOUNT),
])

_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_LEVELS = {3: 1, 5: 2, 7: 3}
_CLASSIFIED_ROLES = {Role.EXPENDITURE, Role.GENERAL_BUDGET_EXPENDITURE, Role.GOV_FUND, Role.STATE_CAPITAL,
                     Role.BASIC_EXPENDITURE, Role.GENERAL_BUDGET_BASIC, Role.INCOME, Role.OTHER}
_SUMMARY_EXPENDITURE = "exp_amount"  # a 收支总表's expenditure side (rows keyed ``income=…;exp=CODE``)
_THREE_PUBLIC_COLUMNS = ("total", "overseas", "reception", "vehicles", "vehicle_purchase", "vehicle_operation")
_ADMIN_COLUMN = "admin_cost"


def yuan(value: Decimal, unit: str) -> Decimal | None:
    """An amount printed in ``unit`` as 元 to the 分; None for a unit that is not money."""
    factor = YUAN_PER.get(unit.strip())
    return None if factor is None else (value * factor).quantize(CENT, ROUND_HALF_UP)


def code_kind(code: str) -> str | None:
    """What a printed code classifies: 2xx 功能分类, 3xx 部门预算经济分类, 5xx 政府预算经济分类 (1xx, 收入, left
    out)."""
    if not _CODE.match(code):
        return None
    return {"2": FUNC, "3": ECON, "5": GOV_ECON}.get(code[0])


def _row_code(row: Row) -> str:
    if _CODE.match(row.key):
        return row.key
    return row.cell("code").text.strip()


def _row_name(row: Row) -> str:
    for key in ("name", "func_name", "item"):
        text = row.cell(key).text.strip()
        if text:
            return text
    return ""


def _amounts(table: Table, row: Row, columns: tuple[str, ...] | None = None) -> Iterator[tuple[str, Decimal]]:
    for column in table.columns:
        if column.kind is not CellKind.AMOUNT or (columns is not None and column.key not in columns):
            continue
        cell = row.cells.get(column.key)
        if cell is None or cell.value is None or cell.parse_error or not cell.value:
            continue
        amount = yuan(cell.value, table.unit)
        if amount is not None:
            yield column.key, amount


def _classified(table: Table, role: Role) -> Iterator[dict[str, Any]]:
    for row in table.rows:
        if row.kind in (RowKind.TOTAL, RowKind.HEADING, RowKind.FIELD):
            continue
        code = _row_code(row)
        kind = code_kind(code)
        if kind is None:
            continue
        for column, amount in _amounts(table, row):
            yield {"table_role": role.value, "table": table.number, "code_kind": kind, "code": code,
                   "name": _row_name(row), "level": _LEVELS[len(code)], "column": column, "amount": amount}


def _summary(table: Table) -> Iterator[dict[str, Any]]:
    """The expenditure side of a 收支总表 (all funds), where its rows carry their 功能分类 codes (``exp=CODE``)."""
    if _SUMMARY_EXPENDITURE not in {column.key for column in table.columns}:
        return
    for row in table.rows:
        if row.kind in (RowKind.TOTAL, RowKind.HEADING, RowKind.FIELD):
            continue
        code = next((part[4:] for part in row.key.split(";") if part.startswith("exp=")), "")
        if code_kind(code) != FUNC:
            continue
        for column, amount in _amounts(table, row, (_SUMMARY_EXPENDITURE,)):
            yield {"table_role": Role.SUMMARY.value, "table": table.number, "code_kind": FUNC, "code": code,
                   "name": row.cell("exp_item").text.strip(), "level": _LEVELS[len(code)], "column": column,
                   "amount": amount}


def _year_row(table: Table, year: int) -> Row | None:
    """The row of the fiscal year in a “三公” table (rows by year), or its only row."""
    for row in table.rows:
        if row.key == str(year) or row.cell("year").text.strip().startswith(str(year)):
            return row
    data = [row for row in table.rows if row.kind is not RowKind.FIELD]
    return data[0] if len(data) == 1 else None


def _three_public(table: Table, year: int) -> Iterator[dict[str, Any]]:
    row = _year_row(table, year)
    if row is None:
        return
    labels = {column.key: column.label for column in table.columns}
    for column, amount in _amounts(table, row, (*_THREE_PUBLIC_COLUMNS, _ADMIN_COLUMN)):
        kind = ADMIN_OPERATING if column == _ADMIN_COLUMN else THREE_PUBLIC
        yield {"table_role": Role.THREE_PUBLIC.value, "table": table.number, "code_kind": kind, "code": column,
               "name": labels.get(column, ""), "level": 1, "column": "total", "amount": amount}


def _narrative_admin_operating(disclosure: Disclosure) -> Iterator[dict[str, Any]]:
    from deptbudget.model.narrative_text import extract_figures

    figure = disclosure.figures.get("admin_operating.total") or extract_figures(disclosure.parts).get(
        "admin_operating.total")
    if figure is None:
        return
    amount = yuan(figure.value, figure.unit)
    if amount:
        yield {"table_role": NARRATIVE, "table": "", "code_kind": ADMIN_OPERATING, "code": ADMIN_OPERATING,
               "name": "机关运行经费", "level": 1, "column": "total", "amount": amount}


def disclosure_lines(disclosure: Disclosure, document: dict[str, Any]) -> list[dict[str, Any]]:
    """The lines of a disclosure, each with the document's ``path, locality, year, entity, kind`` (the
    audit's document row: what the manifest or the file name says, else what the document says)."""
    from deptbudget.review.structure import table_roles  # the template's roles, else the printed titles'

    roles = table_roles(disclosure)
    found: list[dict[str, Any]] = []
    for table in disclosure.tables:
        role = roles.get(table.id)
        if role is Role.THREE_PUBLIC:
            found.extend(_three_public(table, disclosure.fiscal_year))
        elif role is Role.SUMMARY:
            found.extend(_summary(table))
        elif role in _CLASSIFIED_ROLES or role is None:
            found.extend(_classified(table, role or Role.OTHER))
    if not any(line["code_kind"] == ADMIN_OPERATING for line in found):
        found.extend(_narrative_admin_operating(disclosure))
    common = {"path": document["path"], "locality": document.get("locality") or "",
              "year": document.get("year") or str(disclosure.fiscal_year or ""),
              "entity": document.get("entity") or disclosure.unit_name,
              "kind": document.get("kind") or disclosure.kind}
    return [{**common, **line} for line in found]


def lines_table(lines: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pydict({name: [line.get(name) for line in lines] for name in LINES_SCHEMA.names},
                                schema=LINES_SCHEMA)
