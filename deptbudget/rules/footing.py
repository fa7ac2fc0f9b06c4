"""Footing inside a table: every total is the sum of its parts, at every level, rounding-aware."""

# The lambdas given to compare() build a finding only on a mismatch and are called at once.
# ruff: noqa: B023

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from deptbudget.model.disclosure import PANEL_TOTAL, Disclosure, Row, Table
from deptbudget.rules._common import (
    Node,
    amount,
    children,
    column_label,
    compare,
    data_rows,
    exp_key,
    field_amount,
    fmt,
    income_key,
    is_t15,
    is_two_sided,
    label,
    merged,
    row_name,
    row_text,
    t15_where,
    table_option,
    total_of,
    total_row,
    tree_nodes,
    two_sided_tables,
)
from deptbudget.rules.registry import Finding, RuleContext, rule
from deptbudget.template import income_tree, states_spending_total

_LEVEL_NAMES = {1: "类", 2: "款", 3: "项"}


def _tables(disclosure: Disclosure, ctx: RuleContext, option: str) -> Iterator[tuple[Table, Any]]:
    """The tables an option of the template's ``rules:`` names (by table id or by role) with their setting."""
    for table in disclosure.tables:
        setting = table_option(ctx, option, table)
        if setting is not None:
            yield table, setting


def _foot_columns(ctx: RuleContext, table: Table, columns: list[str], parts: list[Row], total: Row, where: str,
                  message: Callable[[str], str]) -> list[Finding]:
    """Σ ``parts`` = ``total`` in every column; the columns that differ alike reported once (``merged``)."""
    found_here: list[Finding] = []
    for column in columns:
        expected, count = total_of(amount(part, column) for part in parts)
        found = compare(ctx, expected, amount(total, column), count, lambda: Finding(
            message(column), label(table), where, column_label(table, column)))
        if found:
            found_here.append(found)
    return merged(found_here)


def _sub_items(table: Table, nodes: list[Node], node: Node, kids: list[Node]) -> list[Row]:
    """Rows printed with a code below the tree's levels (经济分类 ``3010201`` 津贴补贴, ``3010202`` 改革性补贴)
    standing for a 款 of ``node`` that is not printed itself (30102): they count in its place."""
    in_tree = {id(n.row) for n in nodes}
    printed = {kid.code for kid in kids}
    width = len(node.code) + 2
    out = []
    for row in table.rows:
        code = row_text(row, "code") if "code" in row.cells else row.key
        if id(row) not in in_tree and code.isdigit() and len(code) > width and code.startswith(node.code) \
                and code[:width] not in printed:
            out.append(row)
    return out


def _tree_levels(disclosure: Disclosure, ctx: RuleContext, option: str, kind: str) -> Iterator[Finding]:
    """Every 类 (款) of the trees the template lists under ``option`` is the sum of its 款 (项)."""
    for table, columns in _tables(disclosure, ctx, option):
        nodes = tree_nodes(table, ctx)
        deepest = max((node.level for node in nodes), default=0)
        for index, node in enumerate(nodes):
            kids = children(nodes, index)
            parts = [kid.row for kid in kids] + _sub_items(table, nodes, node, kids)
            if not parts and node.level == deepest:
                continue  # a leaf; a 类 or 款 printed without its breakdown sums to nothing below
            lower = _LEVEL_NAMES[node.level + 1]
            yield from _foot_columns(ctx, table, columns, parts, node.row, node.code, lambda c: (
                f"{label(table)} {kind}{_LEVEL_NAMES[node.level]} {node.code} {node.name} 的“{column_label(table, c)}”"
                f"不等于其下各{lower}之和"))


@rule("SUM-FUNC-LEVEL", "error", "accuracy", "功能分类各级相加：类 = Σ款，款 = Σ项（表1、表6、表7–表9）",
      Finding("表7 功能分类类 208 社会保障和就业支出 的“基本支出”不等于其下各款之和（相差 0.01，在 3 个四舍五入数的误"
              "差范围内）",
              "表7", "20805", "基本支出", "100.71", "100.70"))
def func_levels(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    return _tree_levels(disclosure, ctx, "func_trees", "功能分类")


@rule("SUM-ECO-LEVEL", "error", "accuracy", "经济分类各级相加：类 = Σ款（表4）",
      Finding("表4 经济分类类 301 工资福利支出 的“总计”不等于其下各款之和（相差 0.01，在 9 个四舍五入数的误差范围内）",
              "表4", "301", "总计", "619.36", "619.37"))
def eco_levels(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    return _tree_levels(disclosure, ctx, "eco_trees", "经济分类")


def _tree_totals(disclosure: Disclosure, ctx: RuleContext, option: str,
                 printed: Callable[[Table], object]) -> Iterator[Finding]:
    """The total row of every printed tree the template lists under ``option`` is the sum of its 类."""
    for table, columns in _tables(disclosure, ctx, option):
        if not printed(table):
            continue
        nodes = [node.row for node in tree_nodes(table, ctx) if node.level == 1]
        if is_two_sided(table):
            rows = [row for row in table.rows if exp_key(row) == "total"][:1]
        else:
            rows = [r for r in [total_row(table)] if r is not None]
        for row in rows:
            name = row_text(row, "exp_item") or "合计"
            yield from _foot_columns(ctx, table, columns, nodes, row, name, lambda c: (
                f"{label(table)} {name}的“{column_label(table, c)}”不等于各类之和"))


@rule("SUM-FUNC-TOTAL", "error", "accuracy", "支出合计 = 各功能分类类之和（表1、表6 本年支出合计，表7–表9 合计行）",
      Finding("表1 本年支出合计的“2020 年预算数”不等于各类之和（相差 0.01，在 5 个四舍五入数的误差范围内）",
              "表1", "本年支出合计", "2020 年预算数", "17,144.12", "17,144.13"))
def func_total(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    return _tree_totals(disclosure, ctx, "func_trees", lambda table: not table.empty)


@rule("SUM-ECO-TOTAL", "error", "accuracy", "基本支出合计 = 各经济分类类之和（人员 + 公用 + 对个人和家庭的补助 + …，表"
                                            "4）",
      Finding("表4 合计的“总计”不等于各类之和（相差 0.01，在 3 个四舍五入数的误差范围内）",
              "表4", "合计", "总计", "718.84", "718.83"))
def eco_total(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    return _tree_totals(disclosure, ctx, "eco_trees", data_rows)


@rule("SUM-ROW-COLUMNS", "error", "accuracy", "同一行中合计列 = 各组成列之和（合计 = 基本 + 项目；总计 = 各资金来源 …"
                                              "）",
      Finding("表7 206 的“支出总计”不等于 基本支出 + 项目支出（相差 0.01，在 2 个四舍五入数的误差范围内）",
              "表7", "206", "支出总计", "16,633.83", "16,633.82"))
def row_columns(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table, sums in _tables(disclosure, ctx, "row_sums"):
        for row in table.rows:
            for total_key, part_keys in sums:
                if total_key not in row.cells:
                    continue
                cells = row.cells
                total, count = total_of(cells[key].value for key in part_keys if key in cells)
                found = compare(ctx, total, cells[total_key].value, count, lambda: Finding(
                    f"{label(table)} {row_name(table, row, ctx)} 的“{column_label(table, total_key)}”不等于 "
                    + " + ".join(column_label(table, key) for key in part_keys if key in row.cells),
                    label(table), row_name(table, row, ctx), column_label(table, total_key)))
                if found:
                    yield found


@rule("SUM-ROW-SUBSET", "error", "accuracy", "“其中”列不大于所属的列（如政府采购 ≤ 支出总计，面向中小企业 ≤ 政府采购）",
      Finding("表3 罗湖区科技创新局 的“2020 面向中小企业政府采购项目”大于“2020 政府采购项目”",
              "表3", "罗湖区科技创新局", "2020 面向中小企业政府采购项目", "≤ 180.00", "200.00"))
def row_subsets(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table, pairs in _tables(disclosure, ctx, "row_subsets"):
        for row in table.rows:
            for part_key, whole_key in pairs:
                part, whole = amount(row, part_key), amount(row, whole_key)
                if part is not None and whole is not None and part > whole:
                    yield Finding(f"{label(table)} {row_name(table, row, ctx)} 的“{column_label(table, part_key)}”大于"
                                  f"“{column_label(table, whole_key)}”", label(table), row_name(table, row, ctx),
                                  column_label(table, part_key), f"≤ {fmt(whole)}", fmt(part))


@rule("SUM-FORM-FIELDS", "error", "accuracy", "绩效目标表中资金总额 = 各组成部分（表14 基本 + 项目 + 其他；表15 财政拨"
                                              "款 + 其他资金）",
      Finding("表15 产业转型升级资金 / 资金总额（万元） 不等于 其中：财政拨款 + 其他资金", "表15",
              "产业转型升级资金 / 资金总额（万元）", "资金总额（万元）", "13,800.00", "13,900.00"))
def form_fields(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table, sums in _tables(disclosure, ctx, "form_sums"):
        for total_key, part_keys in sums:
            if table.row(total_key) is None:
                continue
            rows = [table.row(key) for key in part_keys if table.row(key) is not None]
            total, count = total_of(field_amount(table, row.key) for row in rows if row is not None)
            names = " + ".join(row_text(row, "label") or row.key for row in rows if row is not None)
            where = row_text(table.row(total_key), "label") or total_key  # type: ignore[arg-type]
            row_label = t15_where(table, where) if is_t15(table, ctx) else where
            found = compare(ctx, total, field_amount(table, total_key), count, lambda: Finding(
                f"{label(table)} {row_label} 不等于 {names}", label(table), row_label, where))
            if found:
                yield found


@rule("SUM-LIST-TOTAL", "error", "accuracy", "按项目列示的表中合计行 = 各行之和（表5、表10）",
      Finding("表5 合计的“合计”不等于各行之和", "表5", "合计", "合计", "16,425.30", "16,525.30"))
def list_totals(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table, total_key in _tables(disclosure, ctx, "list_totals"):
        total = table.row(total_key) or total_row(table)
        if total is None:
            continue
        rows = [row for row in data_rows(table) if row is not total]
        for column in table.columns:
            if column.kind != "amount" or column.key not in total.cells:
                continue
            expected, count = total_of(amount(row, column.key) for row in rows)
            found = compare(ctx, expected, amount(total, column.key), count, lambda: Finding(
                f"{label(table)} 合计的“{column.label}”不等于各行之和", label(table), "合计", column.label))
            if found:
                yield found


def _income_rows(table: Table) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for row in table.rows:
        key = income_key(row)
        if key and key not in out:
            out[key] = row
    return out


def _unprinted(row: Row) -> bool:
    cell = row.cells.get("income_amount")
    return cell is not None and not cell.text.strip()


def _stated(rows: dict[str, Row], tree: dict[str, list[str]], key: str) -> Decimal | None:
    """An income item's amount; for a subtotal printed blank, the sum of its items."""
    row = rows[key]
    if not _unprinted(row) or key not in tree:
        return amount(row, "income_amount")
    return total_of(_stated(rows, tree, part) for part in tree[key] if part in rows)[0]


@rule("SUM-INCOME", "error", "accuracy", "收入方各级相加：财政拨款 = Σ 各类拨款，本年收入合计 = Σ 各项收入，收入总计 ="
                                         " 本年 + 上年结转 …（表1、表6）",
      Finding("表1 收入“一般公共预算拨款”不等于 一般性经费拨款 + 财政专项资金拨款 + 政府投资项目拨款", "表1",
              "一般公共预算拨款", "2020 年预算数", "17,144.13", "17,244.13"))
def income_side(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table, spec in two_sided_tables(disclosure, ctx):
        rows = _income_rows(table)
        items = {item.key for item in spec.income}  # 财政拨款 …, not the footer's 合计 and 总计
        tree = {key: parts for key, parts in income_tree(spec) if key in items}
        for total_key, part_keys in income_tree(spec):
            total = rows.get(total_key)
            if total is None or total_key in tree and _unprinted(total):
                continue  # an item's subtotal printed blank (a heading over its items) states nothing
            parts = [rows[key] for key in part_keys if key in rows]
            expected, count = total_of(_stated(rows, tree, key) for key in part_keys if key in rows)
            names = " + ".join(row_text(row, "income_item") for row in parts)
            name = row_text(total, "income_item") or total_key
            found = compare(ctx, expected, amount(total, "income_amount"), count, lambda: Finding(
                f"{label(table)} 收入“{name}”不等于 {names}", label(table), name,
                column_label(table, "income_amount")))
            if found:
                yield found


@rule("SUM-INCOME-EXPENDITURE", "error", "accuracy", "收支平衡：收入总计 = 支出总计（表1、表6）",
      Finding("表1 收入总计不等于支出总计", "表1", "收入总计", "2020 年预算数", "17,144.13", "17,100.00"))
def balance(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table, spec in two_sided_tables(disclosure, ctx):
        if not spec.footer:
            continue
        last = spec.footer[-1]
        row = table.row(last.key) or next((r for r in table.rows if income_key(r) == last.income.measure.word), None)
        if row is None:
            continue
        found = compare(ctx, amount(row, "exp_amount"), amount(row, "income_amount"), 0, lambda: Finding(
            f"{label(table)} 收入总计不等于支出总计", label(table), row_text(row, "income_item") or "收入总计",
            column_label(table, "income_amount")))
        if found:
            yield found


@rule("SUM-EXPENDITURE-FOOTER", "error", "accuracy",
      "支出方总计 = 本年支出合计 + 结余分配 + 年末结转和结余 …（决算收支总表，支出方总计另列时）",
      Finding("表1 支出“总计”不等于 本年支出合计 + 结余分配 + 年末结转和结余", "表1", "总计", "金额", "22,066.59",
              "22,066.95"))
def expenditure_footer(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    """Where the last footer row's spending side is a measure of its own (a 决算's 总计 = 本年支出合计 + 结余分配 +
    年末结转和结余), it is the sum of the spending sides of the footer rows above it, in every spending amount
    column (合计 and each fund's). A budget's 支出总计 is the spending total itself: nothing to add up."""
    for table, spec in two_sided_tables(disclosure, ctx):
        if len(spec.footer) < 2 or states_spending_total(spec.footer[-1].expenditure.measure):
            continue
        last = table.row(spec.footer[-1].key)
        parts = [table.row(f.key) for f in spec.footer[:-1] if f.expenditure.measure.has_amount]
        if last is None:
            continue
        rows = [row for row in parts if row is not None]
        names = " + ".join(row_text(row, "exp_item") for row in rows)
        name = row_text(last, "exp_item") or "总计"
        columns = [c.key for c in table.columns
                   if c.key.startswith("exp_") and c.kind == "amount" and c.key in last.cells]
        yield from _foot_columns(ctx, table, columns, rows, last, name,
                                 lambda c: f"{label(table)} 支出“{name}”不等于 {names}")


@rule("SUM-PANEL-TOTAL", "error", "accuracy",
      "分栏印制的经济分类表各栏合计 = 所属各类之和（人员经费合计 = 301 + 303，公用经费合计 = 302 + 310 …）",
      Finding("表6 人员经费合计的“决算数”不等于 301 + 303", "表6", "人员经费合计", "决算数", "7,967.72", "7,967.27"))
def panel_totals(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    """A table printed in panels (rows keyed ``subtotal:<label>``, see importers/panels.py) closes panels with totals
    of their own: each is the sum of the 类 read since the previous one; a last panel without a total of its own
    counts for the total before it (公用经费合计 printed under 302 … covers 310 资本性支出 in the panel beside)."""
    for table in disclosure.tables:
        totals = [index for index, row in enumerate(table.rows) if row.key.startswith(PANEL_TOTAL)]
        if not totals:
            continue
        classes = {id(node.row) for node in tree_nodes(table, ctx) if node.level == 1}
        bounds = [-1, *totals]
        for number, index in enumerate(totals):
            end = len(table.rows) if number == len(totals) - 1 else index
            parts = [row for row in table.rows[bounds[number] + 1:end] if id(row) in classes]
            total = table.rows[index]
            name = total.key[len(PANEL_TOTAL):]
            codes = " + ".join(row_text(row, "code") or row.key for row in parts)
            columns = [c.key for c in table.columns if c.kind == "amount" and c.key in total.cells]
            yield from _foot_columns(ctx, table, columns, parts, total, name, lambda c: (
                f"{label(table)} {name}的“{column_label(table, c)}”不等于 {codes}"))
