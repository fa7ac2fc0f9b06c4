"""Helpers shared by the rules: locating tables and cells, formatting, rounding-aware comparison."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from deptbudget.model.disclosure import Disclosure, Row, RowKind, Table
from deptbudget.model.narrative_text import Mention, find_mentions
from deptbudget.rules.registry import Finding, RuleContext, Severity
from deptbudget.template import Role, TableSpec

T = TypeVar("T")
ZERO = Decimal(0)
CENT = Decimal("0.01")
_NAME_WS = re.compile(r"\s+")
_NEW_SUFFIX = re.compile(r"[(（]新增[)）]$")
PART_NAMES = {1: "第一部分", 2: "第二部分", 3: "第三部分", 4: "第四部分", 5: "第五部分", 6: "第六部分",
              7: "第七部分", 8: "第八部分"}


def fmt(value: Decimal | None) -> str | None:
    """An amount as a table shows it: 17,144.13."""
    if value is None:
        return None
    return f"{value.quantize(CENT):,.2f}"


def fmt_pct(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(CENT)}%"


def role_of(table: Table, ctx: RuleContext | None) -> Role | None:
    """What the table is (its template spec's ``role``); None without a context or for a table no spec describes."""
    return ctx.settings.role_of(table.id) if ctx is not None else None


def by_role(disclosure: Disclosure, ctx: RuleContext, role: Role) -> Table | None:
    """The document's (first) table of this role: rules name tables by role, never by a locality's number."""
    tables = tables_by_role(disclosure, ctx, role)
    return tables[0] if tables else None


def tables_by_role(disclosure: Disclosure, ctx: RuleContext, role: Role) -> list[Table]:
    index: dict[Role, list[Table]] = ctx.remember("roles", lambda: _role_index(disclosure, ctx))
    return index.get(role, [])


def _role_index(disclosure: Disclosure, ctx: RuleContext) -> dict[Role, list[Table]]:
    index: dict[Role, list[Table]] = {}
    for table in disclosure.tables:
        role = ctx.settings.role_of(table.id)
        if role is not None:
            index.setdefault(role, []).append(table)
    return index


def table_option(ctx: RuleContext, option: str, table: Table, default: Any = None) -> Any:
    """A per-table setting of the template's ``rules:`` (``row_sums``, ``empty_table_subjects`` …), keyed by
    the table's id or by its role (a role key holds for every template that has a table of that role)."""
    values = ctx.settings.option(option, {}) or {}
    if table.id in values:
        return values[table.id]
    role = ctx.settings.role_of(table.id)
    return values.get(role.value, default) if role is not None else default


def label(table: Table) -> str:
    return f"表{table.number or table.id.lstrip('T')}"


def table_label(table_id: str) -> str:
    return f"表{table_id.lstrip('T')}"


def column_label(table: Table, key: str) -> str:
    column = table.column(key)
    return column.label if column is not None else key


def amount(row: Row | None, column: str) -> Decimal | None:
    """The parsed amount of a cell; None when absent or unparseable (a format rule reports that)."""
    if row is None:
        return None
    cell = row.cells.get(column)
    if cell is None:
        return None
    return cell.value


def norm_name(text: str) -> str:
    """A name compared loosely: whitespace removed, parentheses full-width."""
    return _NAME_WS.sub("", text).replace("(", "（").replace(")", "）")


def project_name(text: str) -> str:
    """A project name without the 表13/表15 marker "（新增）"."""
    return _NEW_SUFFIX.sub("", norm_name(text))


def row_text(row: Row, column: str) -> str:
    cell = row.cells.get(column)
    return cell.text.strip() if cell is not None else ""


def data_rows(table: Table) -> list[Row]:
    return [row for row in table.rows if row.kind in (RowKind.DATA, RowKind.SUBTOTAL)]


def total_row(table: Table) -> Row | None:
    row = table.row("total")
    if row is not None:
        return row
    for row in table.rows:
        if row.kind is RowKind.TOTAL:
            return row
    return None


def unit_row(table: Table | None) -> Row | None:
    """The row of a 收入/支出总表 that holds the document's figures: the unit row, else the total row (a
    table by 功能分类), else the first row."""
    if table is None:
        return None
    return table.row("unit") or total_row(table) or (table.rows[0] if table.rows else None)


def field_row(table: Table, key: str) -> Row | None:
    return table.row(key)


def field_amount(table: Table, key: str) -> Decimal | None:
    return amount(table.row(key), "value")


def field_text(table: Table, key: str) -> str:
    row = table.row(key)
    return row_text(row, "value") if row is not None else ""


def two_sided(table: Table, side: str, ctx: RuleContext | None = None) -> dict[str, Row]:
    """收支总表 rows by the key of one side: ``side`` "income" → {"fiscal": row, …}, "exp" → {"201": row}."""
    return per_table(ctx, f"two_sided:{side}", table, lambda t: _two_sided(t, side))


def _two_sided(table: Table, side: str) -> dict[str, Row]:
    out: dict[str, Row] = {}
    for row in table.rows:
        parts = dict(part.split("=", 1) for part in row.key.split(";") if "=" in part)
        key = parts.get(side, "")
        if key and key not in out:
            out[key] = row
    return out


def two_sided_tables(disclosure: Disclosure, ctx: RuleContext) -> Iterator[tuple[Table, TableSpec]]:
    """The 收支总表 of a disclosure (built ``two_sided`` in the template) with their template specs."""
    for table in disclosure.tables:
        spec = ctx.settings.tables.get(table.id)
        if spec is not None and spec.builder == "two_sided":
            yield table, spec


def income_key(row: Row) -> str:
    for part in row.key.split(";"):
        if part.startswith("income="):
            return part[7:]
    return ""


def exp_key(row: Row) -> str:
    for part in row.key.split(";"):
        if part.startswith("exp="):
            return part[4:]
    return ""


def within(difference: Decimal, tolerance: Decimal) -> bool:
    return abs(difference) <= tolerance


def compare(
    ctx: RuleContext, expected: Decimal | None, actual: Decimal | None, addends: int, make: Callable[[], Finding]
) -> Finding | None:
    """Rounding-aware comparison: equal → nothing; within ``addends`` × half a step → a note; beyond → error.

    ``addends`` is the number of rounded figures behind ``expected`` (0: the same figure printed twice,
    which must agree exactly). ``make`` builds the finding's location and message, only when needed.
    """
    if expected is None or actual is None or expected == actual:
        return None
    finding = make()
    difference = actual - expected
    severity = Severity.NOTE if addends and within(difference, ctx.tolerance(addends)) else None
    message = finding.message
    if severity is Severity.NOTE:
        message += f"（相差 {fmt(abs(difference))}，在 {addends} 个四舍五入数的误差范围内）"
    else:
        message += f"（相差 {fmt(abs(difference))}）"
    return Finding(message, finding.table, finding.row, finding.column, fmt(expected), fmt(actual), severity)


def total_of(values: Iterable[Decimal | None]) -> tuple[Decimal, int]:
    """Σ of the parseable values and how many were summed."""
    total, count = ZERO, 0
    for value in values:
        if value is not None:
            total += value
            count += 1
    return total, count


@dataclass(frozen=True)
class Node:
    """A row of a classification tree (功能分类 or 经济分类) in a table."""

    code: str
    level: int  # 1 类, 2 款, 3 项
    row: Row
    name: str


FUNC_LEVELS = {3: 1, 5: 2, 7: 3}
ECO_LEVELS = {3: 1, 5: 2}


def per_table(ctx: RuleContext | None, name: str, table: Table, compute: Callable[[Table], T]) -> T:
    """``compute(table)`` once per table and rule run (rules share it through the context memo)."""
    if ctx is None:
        return compute(table)
    return ctx.remember(f"{name}:{id(table)}", lambda: compute(table))  # type: ignore[no-any-return]


def tree_nodes(table: Table, ctx: RuleContext | None = None) -> list[Node]:
    """The classification rows of a table, in printed order (收支总表 right side, 经济分类 and 功能分类 trees)."""
    eco = role_of(table, ctx) in _ECO_ROLES
    return per_table(ctx, "tree", table, lambda t: _tree_nodes(t, eco))


def is_two_sided(table: Table) -> bool:
    """A 收支总表 as read or built: income items beside the functional tree of spending."""
    return table.column("exp_item") is not None and table.column("income_item") is not None


_ECO_ROLES = (Role.BASIC_EXPENDITURE, Role.GENERAL_BUDGET_BASIC)


_PRINTED_CODE = re.compile(r"^\s*[\[【［]\s*(\d{3,7})\s*[\]】］]\s*|^\s*(\d{3,7})\s*[-－—]\s*")


def printed_name(name: str, code: str) -> str:
    """A classification name without the row's own code printed in front of it (广州 ``[2010301]行政运行``,
    北京 ``30101-基本工资``): the code is the row's, the name is what follows."""
    match = _PRINTED_CODE.match(name)
    return name[match.end():] if match and (match[1] or match[2]) == code else name


def _tree_nodes(table: Table, eco: bool) -> list[Node]:
    nodes: list[Node] = []
    if is_two_sided(table):
        for row in table.rows:
            code = exp_key(row)
            if code.isdigit() and len(code) in FUNC_LEVELS:
                nodes.append(Node(code, FUNC_LEVELS[len(code)], row, printed_name(row_text(row, "exp_item"), code)))
        return nodes
    levels = ECO_LEVELS if eco else FUNC_LEVELS
    name_column = "name"
    for row in table.rows:
        code = row_text(row, "code") if "code" in row.cells else row.key
        if code.isdigit() and len(code) in levels:
            nodes.append(Node(code, levels[len(code)], row, printed_name(row_text(row, name_column), code)))
    return nodes


def children(nodes: list[Node], index: int) -> list[Node]:
    """The rows printed under ``nodes[index]`` one level down (until the next row at its level or above)."""
    level = nodes[index].level
    out: list[Node] = []
    for node in nodes[index + 1:]:
        if node.level <= level:
            break
        if node.level == level + 1:
            out.append(node)
    return out


def mentions(disclosure: Disclosure, ctx: RuleContext) -> list[Mention]:
    """The figures the text states. Group names known from ``Disclosure.figures`` (generated documents)
    settle a name glued to its amount; an imported document's text is read on its own."""
    names = [key[len("group."):] for key in disclosure.figures if key.startswith("group.")]
    final = "决算" in disclosure.kind  # a 决算's figures are keyed by phase (model/narrative_phases.py)
    return ctx.remember("mentions", lambda: find_mentions(disclosure.parts, names, final))


def mention_finding(m: Mention, message: str, expected: Decimal | None, actual: Decimal | None,
                    severity: Severity | None = None, pct: bool = False) -> Finding:
    show = fmt_pct if pct else fmt
    return Finding(f"{message}：“{m.sentence}”", PART_NAMES.get(m.part, f"第{m.part}部分"), m.where, m.key,
                   show(expected), show(actual), severity)


def t15_tables(disclosure: Disclosure, ctx: RuleContext) -> list[Table]:
    """The 项目支出绩效目标表 of a document, one per project."""
    return tables_by_role(disclosure, ctx, Role.PROJECT_TARGETS)


def is_t15(table: Table, ctx: RuleContext | None) -> bool:
    return role_of(table, ctx) is Role.PROJECT_TARGETS


def t15_name(table: Table) -> str:
    return field_text(table, "pro_name") or (table.instance or "")


def t15_where(table: Table, what: str) -> str:
    return f"{t15_name(table)} / {what}"


def iter_amount_cells(disclosure: Disclosure) -> Iterator[tuple[Table, Row, str]]:
    for table in disclosure.tables:
        for row in table.rows:
            for key, cell in row.cells.items():
                if cell.value is not None or cell.parse_error is not None:
                    yield table, row, key


def row_name(table: Table, row: Row, ctx: RuleContext | None = None) -> str:
    """How a person finds the row: its code, else its label."""
    role = role_of(table, ctx)
    if is_two_sided(table):
        return exp_key(row) or row_text(row, "income_item") or row.key
    if table.layout == "form":
        return row_text(row, "label").rstrip(":：") or row.key
    if role is Role.PERFORMANCE_PROJECTS:
        return row_text(row, "name") or row.key
    if role is Role.THREE_PUBLIC:
        return row.key
    if role in (Role.INCOME, Role.EXPENDITURE) and "unit" in row.cells:
        return row_text(row, "unit") or row.key
    code = row_text(row, "code") if "code" in row.cells else ""
    if code:
        return code
    if row.key == "total":
        return "合计"
    return row.key


def merged(findings: list[Finding]) -> list[Finding]:
    """Findings of one row that differ only by column (the same figures in copied columns, such as 总计 and
    财政预算拨款小计 of a single-fund table) reported once, naming the other columns."""
    groups: dict[tuple[str | None, str | None, Severity | None], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.expected, finding.actual, finding.severity), []).append(finding)
    out = []
    for same in groups.values():
        first = same[0]
        if len(same) > 1:
            others = "、".join(f"“{f.column}”" for f in same[1:])
            first = Finding(f"{first.message}；{others}同", first.table, first.row, first.column, first.expected,
                            first.actual, first.severity, first.rule)
        out.append(first)
    return out
