"""Across tables: a figure that appears in two tables is the same in both.

The simple equalities ("figure A in table X equals figure B in table Y") are rows of equalities.yaml,
each a rule with its own id, all run by ``check_equality``; the rules below that need more (a condition
on the funds, a match by 功能分类 code or by project, names) are code.
"""

# The lambdas given to compare() build a finding only on a mismatch and are called at once.
# ruff: noqa: B023

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from deptbudget.model.disclosure import Disclosure, Row, Table
from deptbudget.rules._common import (
    ZERO,
    amount,
    by_role,
    column_label,
    compare,
    data_rows,
    field_amount,
    field_text,
    fmt,
    label,
    norm_name,
    project_name,
    row_text,
    t15_name,
    t15_tables,
    t15_where,
    total_of,
    total_row,
    tree_nodes,
    two_sided,
    unit_row,
)
from deptbudget.rules.equalities import Comparison, Equality, Side, load_equalities
from deptbudget.rules.registry import Check, Finding, RuleContext, rule
from deptbudget.template import Role


def _select(table: Table, selector: str, ctx: RuleContext) -> Row | None:
    """The row a selector of the equalities table names (``deptbudget/rules/equalities.yaml``)."""
    if selector == "unit":
        return unit_row(table)
    if selector == "total":
        return total_row(table)
    kind, _, key = selector.partition(":")
    if kind == "key":
        return table.row(key)
    return two_sided(table, kind, ctx).get(key)


def _figure(table: Table, side: Side, ctx: RuleContext) -> tuple[Row | None, Decimal | None, int]:
    """The row, the amount and how many printed figures make it (a sum of ``rows`` counts each)."""
    if side.is_sum:
        total, count = total_of(amount(row, side.column) for row in data_rows(table) if row.key != "total")
        return None, total, count
    row = _select(table, side.row, ctx)
    return row, amount(row, side.column), 1


def _where(row: Row | None) -> str:
    if row is None:
        return ""
    return row_text(row, "income_item") or row_text(row, "exp_item") or row_text(row, "label") or \
        row_text(row, "unit") or row_text(row, "name") or row.key


def _texts(comparison: Comparison, a: Table, b: Table, row_b: Row | None) -> dict[str, str]:
    texts = {"left_table": label(a), "right_table": label(b), "left_column": column_label(a, comparison.left.column),
             "right_column": column_label(b, comparison.right.column), "where": _where(row_b),
             "label": "", "unit": "", "item": ""}
    if row_b is not None:
        texts.update(label=row_text(row_b, "label").rstrip(":：") or row_b.key, unit=row_text(row_b, "unit"),
                     item=row_text(row_b, "income_item"))
    texts["what"] = comparison.what.format_map(texts)
    return texts


def compare_figures(comparison: Comparison, disclosure: Disclosure, ctx: RuleContext) -> Finding | None:
    """One comparison of the equalities table: the right figure must equal the left one (rounding-aware)."""
    a = by_role(disclosure, ctx, Role(comparison.left.table))
    b = by_role(disclosure, ctx, Role(comparison.right.table))
    if a is None or b is None:
        return None
    _, expected, left_count = _figure(a, comparison.left, ctx)
    row_b, actual, right_count = _figure(b, comparison.right, ctx)
    addends = comparison.addends
    if addends == "rows":
        addends = left_count if comparison.left.is_sum else right_count

    def finding() -> Finding:
        texts = _texts(comparison, a, b, row_b)
        return Finding(comparison.message.format_map(texts), label(b), comparison.at.format_map(texts),
                       comparison.column.format_map(texts))

    return compare(ctx, expected, actual, int(addends), finding)


def check_equality(equality: Equality, disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    """The one check of every row of the equalities table."""
    if equality.templates is not None and ctx.settings.template not in equality.templates:
        return
    if equality.when_option is not None and not ctx.settings.option(equality.when_option, False):
        return
    for comparison in equality.comparisons:
        yield from _found(compare_figures(comparison, disclosure, ctx))


def _equality_check(equality: Equality) -> Check:
    def check(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
        return check_equality(equality, disclosure, ctx)

    check.__qualname__ = f"check_equality[{equality.id}]"
    return check


_EQUALITIES = {equality.id: equality for equality in load_equalities()}
_PLACED: set[str] = set()


def register_equalities(*ids: str) -> None:
    """Register rows of the equalities table as rules here, in this module's rule order (which is the order
    of ``check`` output and docs/rules.md); with no ids, every row not registered yet, in file order."""
    for rule_id in ids or [i for i in _EQUALITIES if i not in _PLACED]:
        equality = _EQUALITIES[rule_id]
        rule(equality.id, equality.severity.value, equality.category.value, equality.description,
             equality.example)(_equality_check(equality))
        _PLACED.add(rule_id)


def _found(*findings: Finding | None) -> Iterator[Finding]:
    for finding in findings:
        if finding is not None:
            yield finding


register_equalities("XT-T1-T2", "XT-T1-T3")


_FISCAL_INCOME = frozenset({"fiscal", "general_budget", "general_funds", "special_funds", "investment", "gov_fund",
                            "state_capital", "special_account"})
_TOTAL_INCOME = frozenset({"all", "this_year", "this_year_and_carryover", "total"})


def _non_fiscal_zero(t1: Table, ctx: RuleContext) -> bool:
    """The 收支总表 has no income but 财政拨款: every other income line it prints — known (事业收入, 上年结转 …)
    or read under its own label (``?事业收入资金``) — is zero; totals (合计, 总计) aside."""
    for key, row in two_sided(t1, "income", ctx).items():
        if key in _FISCAL_INCOME or key in _TOTAL_INCOME or ("合计" in key or "总计" in key):
            continue
        if (amount(row, "income_amount") or ZERO) != 0:
            return False
    return True


@rule("XT-T1-T6", "error", "consistency", "只有财政拨款时，表1 与表6 的收入各项和各功能分类支出一致",
      Finding("表6 206 与表1“2020 年预算数”不一致", "表6", "206", "2020 年预算数", "16,633.82", "16,633.28"))
def t1_t6(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    t1, t6 = by_role(disclosure, ctx, Role.SUMMARY), by_role(disclosure, ctx, Role.FISCAL_SUMMARY)
    if t1 is None or t6 is None or not _non_fiscal_zero(t1, ctx):
        return
    in1, in6 = two_sided(t1, "income", ctx), two_sided(t6, "income", ctx)
    for key in ("general_budget", "general_funds", "special_funds", "investment", "gov_fund", "special_account"):
        if key in in1 and key in in6:
            yield from _found(compare_figures(Comparison(
                Side(Role.SUMMARY, f"income:{key}", "income_amount"),
                Side(Role.FISCAL_SUMMARY, f"income:{key}", "income_amount"),
                what="收入“{item}”"), disclosure, ctx))
    yield from _same_tree(ctx, t1, "exp_amount", t6, "exp_amount")


def _tree_amounts(table: Table, column: str, ctx: RuleContext) -> dict[str, tuple[Row, Decimal | None]]:
    return {node.code: (node.row, amount(node.row, column)) for node in tree_nodes(table, ctx)}


def _same_tree(ctx: RuleContext, a: Table, col_a: str, b: Table, col_b: str,
               extra: list[tuple[Table, str]] | None = None) -> Iterator[Finding]:
    """Every 功能分类 code of two tables (b reported) has the same amount; codes missing on one side count 0.
    Only the levels both sides print are compared (a 收支总表 may list 类 only, a 支出表 类/款/项), and
    nothing where a side has no tree at all (its rows were not read)."""
    left = _tree_amounts(a, col_a, ctx)
    others = [_tree_amounts(t, c, ctx) for t, c in extra or []]
    right = _tree_amounts(b, col_b, ctx)
    if not right or not (left or any(others)):
        return
    shared = {len(c) for c in right} & ({len(c) for c in left} | {len(c) for o in others for c in o})
    for code in sorted(set(left) | set(right) | {c for o in others for c in o}):
        if len(code) not in shared:
            continue
        expected = (left.get(code, (None, ZERO))[1] or ZERO) + sum(
            ((o.get(code, (None, ZERO))[1] or ZERO) for o in others), ZERO)
        actual = right[code][1] if code in right else ZERO
        if actual is None:
            continue
        sources = "、".join([label(a)] + [label(t) for t, _ in extra or []])
        missing = "" if code in right else f"（{label(b)}中没有该科目）"
        if code in right and code not in left and not any(code in o for o in others):
            missing = f"（{sources}中没有该科目）"
        found = compare(ctx, expected, actual, 0, lambda: Finding(
            f"{label(b)} 功能分类 {code} 的金额与{sources}不一致{missing}", label(b), code, column_label(b, col_b)))
        if found:
            yield found


def _foots(table: Table, ctx: RuleContext) -> bool:
    """The total row of a 功能分类 支出表 has 合计 = 基本支出 + 项目支出 (within rounding), or does not print them."""
    row = total_row(table)
    total, basic, project = amount(row, "total"), amount(row, "basic"), amount(row, "project")
    if total is None or (basic is None and project is None):
        return True
    return abs(total - (basic or ZERO) - (project or ZERO)) <= ctx.tolerance(2)


@rule("XT-T6-T7", "error", "consistency", "表6 财政拨款支出按功能分类 = 表7 + 表8 + 表9（无财政专户拨款时）",
      Finding("表6 20604 的金额与表7、表8、表9不一致", "表6", "20604", "2020 年预算数", "15,567.80", "15,576.80"))
def t6_t7(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    t6, t7 = by_role(disclosure, ctx, Role.FISCAL_SUMMARY), by_role(disclosure, ctx, Role.GENERAL_BUDGET_EXPENDITURE)
    if t6 is None or t7 is None:
        return
    income = two_sided(t6, "income", ctx)
    if (amount(income.get("special_account"), "income_amount") or ZERO) != 0:
        return
    extra = [(t, "total") for t in _fund_tables(disclosure, ctx)]
    if not all(_foots(t, ctx) for t in (t7, *(t for t, _ in extra))):
        return  # a 支出表 whose 合计 is not 基本 + 项目 was misread or is wrong itself: its own rules say so
    yield from _same_tree(ctx, t7, "total", t6, "exp_amount", extra)
    if "general_budget" in income:
        general = Comparison(Side(Role.GENERAL_BUDGET_EXPENDITURE, "total", "total"),
                             Side(Role.FISCAL_SUMMARY, "income:general_budget", "income_amount"),
                             what="一般公共预算拨款")
        yield from _found(compare_figures(general, disclosure, ctx))


register_equalities("XT-T3-T4-BASIC")


def _fund_tables(disclosure: Disclosure, ctx: RuleContext) -> list[Table]:
    """The 政府性基金 and 国有资本经营 expenditure tables the document has."""
    return [t for t in (by_role(disclosure, ctx, Role.GOV_FUND), by_role(disclosure, ctx, Role.STATE_CAPITAL))
            if t is not None]


def _general_budget_only(disclosure: Disclosure, ctx: RuleContext) -> bool:
    row = unit_row(by_role(disclosure, ctx, Role.INCOME))
    if row is None:
        return False
    total, general = amount(row, "total"), amount(row, "general_budget")
    gov = amount(row, "gov_fund") or ZERO
    return total is not None and general is not None and total == general + gov


@rule("XT-T3-T7", "error", "consistency", "资金全部为财政预算拨款时，表3 支出总计、基本支出、项目支出 = 表7 + 表8 + 表"
                                          "9",
      Finding("表7 项目支出 与表3“项目支出”不一致", "表7", "罗湖区科技创新局", "项目支出", "16,425.30", "16,452.30"))
def t3_t7(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    t3, t7 = by_role(disclosure, ctx, Role.EXPENDITURE), by_role(disclosure, ctx, Role.GENERAL_BUDGET_EXPENDITURE)
    if t3 is None or t7 is None or not _general_budget_only(disclosure, ctx):
        return
    row3 = unit_row(t3)
    funds = _fund_tables(disclosure, ctx)
    others = [total_row(t) for t in funds]
    names = f"{label(t7)}–{label(funds[-1])}" if funds else label(t7)
    for key in ("total", "basic", "project"):
        expected = amount(row3, key)
        actual = amount(total_row(t7), key)
        if expected is None or actual is None:
            continue
        actual += sum(((amount(r, key) or ZERO) for r in others), ZERO)
        yield from _found(compare(ctx, expected, actual, 0, lambda: Finding(
            f"{names} {column_label(t7, key)}合计与{label(t3)} 不一致", label(t7), "合计", column_label(t7, key))))


register_equalities("XT-T7-T4-BASIC")


def _t5_by_project(t5: Table) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for row in data_rows(t5):
        if row.key == "total":
            continue
        code = row.key.split(":", 1)[0]
        out.setdefault(code, []).append(row)
    return out


register_equalities("XT-T5-T3")


@rule("XT-T5-T7", "error", "consistency", "表5 各项目的一般公共预算拨款按功能分类汇总 = 表7 该科目的项目支出",
      Finding("表7 2060499 的项目支出与表5 该科目各项目之和不一致", "表7", "2060499", "项目支出", "15,567.80",
              "15,576.80"))
def t5_t7(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    t5, t7 = by_role(disclosure, ctx, Role.PROJECTS), by_role(disclosure, ctx, Role.GENERAL_BUDGET_EXPENDITURE)
    if t5 is None or t7 is None:
        return
    by_code: dict[str, list[Decimal | None]] = {}
    for row in data_rows(t5):
        code = row_text(row, "code")
        if row.key != "total" and code:
            by_code.setdefault(code, []).append(amount(row, "general_budget"))
    for node in tree_nodes(t7, ctx):
        if node.level != 3:
            continue
        expected, _ = total_of(by_code.pop(node.code, []))
        yield from _found(compare(ctx, expected, amount(node.row, "project"), 0, lambda: Finding(
            f"{label(t7)} {node.code} 的项目支出与{label(t5)} 该科目各项目之和不一致", label(t7), node.code,
            column_label(t7, "project"))))
    for code, values in by_code.items():
        total, _ = total_of(values)
        if total:
            yield Finding(f"{label(t5)} 中有功能分类 {code} 的项目支出，{label(t7)} 中没有该科目", label(t5), code,
                          "科目编码",
                          fmt(total), None)


def _t13_rows(t13: Table) -> list[Row]:
    return [row for row in data_rows(t13) if row.key != "total"]


register_equalities("XT-T13-T3")


def _t13_index(t13: Table) -> tuple[dict[str, Row], dict[str, Row]]:
    by_code = {row.key: row for row in _t13_rows(t13)}
    by_name = {project_name(row_text(row, "name")): row for row in _t13_rows(t13)}
    return by_code, by_name


@rule("XT-T13-T5", "error", "consistency", "表13 各项目金额 = 表5 该项目各行之和，项目名称一致",
      Finding("表13 自主创新经费 与表5 该项目金额不一致", "表13", "自主创新经费", "合计", "150.00", "105.00"))
def t13_t5(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    t5, t13 = by_role(disclosure, ctx, Role.PROJECTS), by_role(disclosure, ctx, Role.PERFORMANCE_PROJECTS)
    if t5 is None or t13 is None:
        return
    by_project = _t5_by_project(t5)
    names = {project_name(row_text(rows[0], "name")): code for code, rows in by_project.items()}
    for row in _t13_rows(t13):
        code = row.key if row.key in by_project else names.get(project_name(row_text(row, "name")))
        if code is None:
            yield Finding(f"{label(t13)} 项目“{row_text(row, 'name')}”在{label(t5)} 中没有", label(t13),
                          row_text(row, "name"),
                          "项目名称", None, None)
            continue
        printed = row_text(by_project[code][0], "name")
        if printed and project_name(printed) != project_name(row_text(row, "name")):
            yield Finding(f"{label(t5)} 项目名称与{label(t13)} 同一项目不一致", label(t5), printed,
                          column_label(t5, "name"),
                          row_text(row, "name"), printed)
        expected, count = total_of(amount(r, "total") for r in by_project[code])
        yield from _found(compare(ctx, expected, amount(row, "total"), 0, lambda: Finding(
            f"{label(t13)} {row_text(row, 'name')} 与{label(t5)} 该项目金额不一致", label(t13), row_text(row, "name"),
            column_label(t13, "total"))))


register_equalities("XT-T11-T3", "XT-T14-TOTALS")


def match_t15(disclosure: Disclosure, ctx: RuleContext) -> list[tuple[Table, Row | None]]:
    """Each 项目支出绩效目标表 with its 绩效管理项目 row: by project code, else by project name."""
    t13 = by_role(disclosure, ctx, Role.PERFORMANCE_PROJECTS)
    by_code, by_name = _t13_index(t13) if t13 is not None else ({}, {})
    out = []
    for table in t15_tables(disclosure, ctx):
        row = by_code.get(table.instance or "") or by_name.get(project_name(t15_name(table)))
        out.append((table, row))
    return out


@rule("XT-T15-T13", "error", "consistency", "表15 各项目资金总额与表13 该项目合计一致（按项目编码或名称对应）",
      Finding("表15 自主创新经费 / 资金总额（万元） 与表13 不一致", "表15", "自主创新经费 / 资金总额（万元）",
              "资金总额（万元）", "150.00", "105.00"))
def t15_t13(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    t13 = by_role(disclosure, ctx, Role.PERFORMANCE_PROJECTS)
    if t13 is None:
        return
    for table, row in match_t15(disclosure, ctx):
        if row is None:
            continue
        field = table.row("total")
        where = row_text(field, "label") if field is not None else "资金总额"
        yield from _found(compare(ctx, amount(row, "total"), field_amount(table, "total"), 0, lambda: Finding(
            f"{label(table)} {t15_where(table, where)} 与{label(t13)} 不一致", label(table), t15_where(table, where),
            where)))


@rule("XT-T15-T13-NAME", "error", "consistency", "表15 项目名称与表13 同一项目的名称一致",
      Finding("表15 项目名称与表13 不一致", "表15", "LHKCJ2020-06 / 项目名称", "项目名称", "自主创新经费",
              "自主创新费"))
def t15_t13_name(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    t13 = by_role(disclosure, ctx, Role.PERFORMANCE_PROJECTS)
    if t13 is None:
        return
    by_code, _ = _t13_index(t13)
    for table in t15_tables(disclosure, ctx):
        row = by_code.get(table.instance or "")
        if row is None:
            continue
        expected, actual = row_text(row, "name"), field_text(table, "pro_name")
        if norm_name(expected) != norm_name(actual):
            yield Finding(f"{label(table)} 项目名称与{label(t13)} 不一致", label(table),
                          f"{table.instance} / 项目名称", "项目名称", expected, actual)


# The column that names the unit, by table role; the listed tables name it on every row.
_UNIT_CELLS = {Role.INCOME: "unit", Role.EXPENDITURE: "unit", Role.BASIC_EXPENDITURE: "name", Role.PROJECTS: "name",
               Role.GENERAL_BUDGET_EXPENDITURE: "unit", Role.GOV_FUND: "unit", Role.STATE_CAPITAL: "unit",
               Role.TRANSFERS: "name", Role.THREE_PUBLIC: "unit", Role.PERFORMANCE_PROJECTS: "unit"}
_UNIT_EVERY_ROW = (Role.THREE_PUBLIC, Role.PERFORMANCE_PROJECTS)
_TOTAL_NAMES = ("合计", "总计")  # printed in the unit column of the total row: no unit's name


@rule("XT-UNIT-NAME", "error", "consistency", "各表中的预算单位名称与文件的单位名称一致",
      Finding("表3 预算单位名称与文件单位不一致", "表3", "unit", "预算单位", "罗湖区科技创新局", "罗湖区科技局"))
def unit_names(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    unit = norm_name(disclosure.unit_name)
    if not unit:
        return
    for table in disclosure.tables:
        role = ctx.settings.role_of(table.id)
        column = _UNIT_CELLS.get(role) if role is not None else None
        rows: list[Row] = []
        if column is not None:
            rows = [row for row in table.rows if row.key in ("unit", "total") or role in _UNIT_EVERY_ROW]
        elif table.layout == "form":
            column = "value"
            rows = [row for row in table.rows if row.key == "unit"]
        for row in rows:
            text = row_text(row, column or "")
            if text and norm_name(text) not in (unit, *_TOTAL_NAMES):
                yield Finding(f"{label(table)} 预算单位名称与文件单位不一致", label(table),
                              row_text(row, "name") if role is Role.PERFORMANCE_PROJECTS else row.key,
                              column_label(table, column or "") if column != "value" else row_text(row, "label"),
                              disclosure.unit_name, text)


register_equalities()  # rows added to the table after these: in file order, after the rules above
