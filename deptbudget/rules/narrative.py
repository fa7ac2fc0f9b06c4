"""The narrative against the tables: every amount and rate the text states is recomputed.

The text is read by ``deptbudget.model.narrative_text`` (not ``Disclosure.figures``), so a number
changed in a paragraph is caught wherever it stands.
"""

# The lambdas given to compare() build a finding only on a mismatch and are called at once.
# ruff: noqa: B023

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from deptbudget.model.disclosure import Disclosure, Row
from deptbudget.model.figures_vocabulary import figures_vocabulary
from deptbudget.model.final_accounts import Phase, is_final_accounts, phase_key
from deptbudget.model.narrative_phases import budget_columns, unphased
from deptbudget.model.narrative_text import Mention
from deptbudget.rules._common import (
    CENT,
    ZERO,
    amount,
    by_role,
    compare,
    data_rows,
    fmt,
    fmt_pct,
    label,
    mention_finding,
    mentions,
    project_name,
    row_text,
    total_of,
    total_row,
    tree_nodes,
    two_sided,
    unit_row,
)
from deptbudget.rules.registry import Finding, RuleContext, Severity, rule
from deptbudget.template import Role

_BASIC_SPLIT = tuple(f.key for f in figures_vocabulary().children("expenditure.basic"))
_PERSONNEL, _TRANSFERS = "301", "303"


def _unit_row(disclosure: Disclosure, ctx: RuleContext, role: Role) -> tuple[Row | None, str]:
    """The unit's own row of the table with ``role``: keyed ``unit``, else the total row, else the first row
    unless that is a classification row. Only a table in 万元 is compared with a text in 万元."""
    table = by_role(disclosure, ctx, role)
    if table is None or table.unit != "万元":
        return None, ""
    row = unit_row(table)
    if row is not None and row is table.rows[0] and row.key != "unit" and row_text(row, "code"):
        row = None
    return row, label(table)


def _scope_rows(disclosure: Disclosure, ctx: RuleContext, role: Role) -> tuple[list[Row], str]:
    """The rows of the table with ``role`` a department figure may be read from: the total row (本部门) and
    the unit's own row (本级) when they differ — a text does not always say which of the two it states."""
    row, where = _unit_row(disclosure, ctx, role)
    if row is None:
        return [], where
    table = by_role(disclosure, ctx, role)
    total = total_row(table) if table is not None else None
    rows = [total, row] if total is not None and total is not row else [row]
    return rows, where


def _t4_classes(disclosure: Disclosure, ctx: RuleContext) -> dict[str, list[Decimal | None]] | None:
    t4 = by_role(disclosure, ctx, Role.BASIC_EXPENDITURE)
    if t4 is None or not t4.rows or t4.unit != "万元":
        return None
    out: dict[str, list[Decimal | None]] = {"expenditure.personnel": [], "expenditure.transfers": [],
                                             "expenditure.operating": []}
    for node in tree_nodes(t4, ctx):
        if node.level != 1:
            continue
        key = {_PERSONNEL: "expenditure.personnel", _TRANSFERS: "expenditure.transfers"}.get(
            node.code, "expenditure.operating")
        out[key].append(amount(node.row, "total"))
    return out


_Stated = tuple[Decimal | None, int, str]  # (value, number of rounded addends, where)


def _table_values(disclosure: Disclosure, key: str, ctx: RuleContext) -> list[_Stated]:
    """The table figures a narrative key may state, the first the one a mismatch is reported against."""
    if key.startswith("income."):
        name = key.split(".", 1)[1]
        t1 = by_role(disclosure, ctx, Role.SUMMARY)
        t1_key = "all" if name == "total" else name
        if t1 is not None and t1.unit == "万元":
            income = two_sided(t1, "income", ctx)
            if t1_key in income:
                return [(amount(income[t1_key], "income_amount"), 0, label(t1))]
        rows, where = _scope_rows(disclosure, ctx, Role.INCOME)
        column = "total" if name == "total" else name
        return [(amount(row, column), 0, where) for row in rows if column in row.cells]
    if key in ("expenditure.total", "expenditure.basic", "expenditure.project"):
        rows, where = _scope_rows(disclosure, ctx, Role.EXPENDITURE)
        column = key.split(".", 1)[1]
        return [(amount(row, column), 0, where) for row in rows if column in row.cells]
    if key in _BASIC_SPLIT:
        classes = _t4_classes(disclosure, ctx)
        if classes is None:
            return []
        value, count = total_of(classes[key])
        t4 = by_role(disclosure, ctx, Role.BASIC_EXPENDITURE)
        return [(value, count if count > 1 else 0, label(t4) if t4 is not None else "")]
    return []


@rule("NAR-TABLE-AMOUNTS", "error", "consistency", "说明中的收入、支出及其构成金额与表1–表4 一致",
      Finding("正文所述金额与表4 不一致：“其中：人员支出619.37万元、…”", "第二部分", "第2段",
              "expenditure.transfers", "43.79", "43.80"))
def table_amounts(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    cache: dict[str, list[_Stated]] = {}
    for m in mentions(disclosure, ctx):
        if not (m.key.startswith("income.") or m.key.startswith("expenditure.")) or ".change" in m.key \
                or m.unit != "万元":
            continue
        if m.key not in cache:
            cache[m.key] = [found for found in _table_values(disclosure, m.key, ctx) if found[0] is not None]
        found = cache[m.key]
        if not found or any(_agrees(value, m) for value, _, _ in found):
            continue
        value, addends, where = found[0]
        result = compare(ctx, value, m.value, addends, lambda: Finding(""))
        if result is not None:
            yield mention_finding(m, f"正文所述金额与{where}不一致", value, m.value, result.severity)


def _t12_row(disclosure: Disclosure, ctx: RuleContext, year: int) -> Row | None:
    t12 = by_role(disclosure, ctx, Role.THREE_PUBLIC)
    if t12 is None:
        return None
    for row in t12.rows:
        if row.key == str(year) or row_text(row, "year") == str(year):
            return row
    return None


@rule("NAR-THREE-PUBLIC", "error", "consistency", "第五部分“三公”经费各项金额及增减与表12 一致",
      Finding("正文所述金额与表12 不一致：“2.公务接待费。2020年预算数9.50万元，比2019年减少1.00万元。”", "第五部分",
              "第3段", "three_public.reception", "9.50", "9.05"))
def three_public(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    t12 = by_role(disclosure, ctx, Role.THREE_PUBLIC)
    if t12 is None:
        return
    where = label(t12)
    this = _t12_row(disclosure, ctx, disclosure.fiscal_year)
    last = _t12_row(disclosure, ctx, disclosure.fiscal_year - 1)
    if this is None and last is None:
        return  # no row by year (another family's layout, or rows not read): nothing to compare the text with
    for m in mentions(disclosure, ctx):
        if not m.key.startswith("three_public.") or m.unit != "万元":
            continue
        item = m.key.split(".")[1]
        if m.key.endswith(".change"):
            if t12.column("year") is None:
                continue  # a table of the budget year alone (no 年度 column): the change is not in it
            if this is None or last is None:
                yield mention_finding(m, f"正文给出了与上年的比较，{where} 缺少上年或本年的数据行", None, m.value)
                continue
            now, before = amount(this, item), amount(last, item)
            if now is None or before is None:
                continue
            result = compare(ctx, now - before, m.value, 2, lambda: Finding(""))
            if result is not None:
                yield mention_finding(m, f"正文所述增减额与{where} 两年之差不一致", now - before, m.value,
                                      result.severity)
        elif m.key.count(".") == 1:
            if this is None:
                yield mention_finding(m, f"{where} 缺少 {disclosure.fiscal_year} 年数据行", None, m.value)
                continue
            base, prefix = unphased(m.key)
            if prefix:  # a 决算's budget figure ("预算为76.43万元"): against the table's column of that phase
                found = [v for p in budget_columns(prefix) if (v := amount(this, p + base.split(".")[1])) is not None]
                if found and not any(_agrees(v, m) for v in found):
                    yield mention_finding(m, f"正文所述预算数与{where} 不一致", found[0], m.value)
                continue
            value = amount(this, item)
            # a 决算数 the text does not call one may be the budget beside it: agreeing with either phase is the table's
            phases = [amount(this, phase_key(item, phase)) for phase in Phase] if is_final_accounts(disclosure) else []
            if value is not None and not _agrees(value, m) and not any(v is not None and _agrees(v, m) for v in phases):
                yield mention_finding(m, f"正文所述金额与{where} 不一致", value, m.value)


@rule("NAR-PROCUREMENT", "error", "consistency", "第四部分政府采购实际指标、一年采购指标与表11 合计一致",
      Finding("正文所述金额与表11 合计不一致：“…实际指标180.00万元，一年采购指标180.00万元。”", "第四部分", "第1段",
              "procurement.amount", "180.00", "108.00"))
def procurement(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    t11 = by_role(disclosure, ctx, Role.PROCUREMENT)
    if t11 is None:
        return
    rows = [row for row in data_rows(t11) if row.key != "total"]
    for m in mentions(disclosure, ctx):
        column = {"procurement.amount": "amount", "procurement.annual": "annual_amount"}.get(m.key)
        if column is None:
            continue
        value, _ = total_of(amount(row, column) for row in rows)
        if value != m.value:
            yield mention_finding(m, f"正文所述金额与{label(t11)} 合计不一致", value, m.value)


def _near(items: list[Mention], key: str, target: Mention) -> Mention | None:
    """The mention of ``key`` that goes with ``target``: same paragraph (before it) first, else the first one."""
    same = [m for m in items if m.key == key and (m.part, m.section, m.paragraph) == (
        target.part, target.section, target.paragraph)]
    before = [m for m in same if items.index(m) < items.index(target)]
    if before:
        return before[-1]
    if same:
        return same[0]
    return next((m for m in items if m.key == key), None)


# the figure a change or growth rate is of: income.change → income.total
_MAIN = {f.change_stem: f.key for f in figures_vocabulary().figures}


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _agrees(value: Decimal | None, m: Mention) -> bool:
    """The table's figure is the one the text states: equal, or equal at the places the text prints it with
    (a table printing 万元 to the yuan, 32,852.048900, stated in the text as 32852.05万元)."""
    if value is None or value == m.value:
        return value is not None
    return bool(m.text) and _as_printed(value, m.text.replace(",", "")) == m.value


def _as_printed(value: Decimal, printed: str) -> Decimal:
    """``value`` rounded to the decimal places of the number as printed ("40.6" → one place)."""
    places = len(printed.rsplit(".", 1)[1]) if "." in printed else 0
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@rule("NAR-GROWTH-RATE", "error", "accuracy", "增长率由所述两个金额重新计算（增减额 ÷ 上年数），方向（增长/下降）与增"
                                              "减额一致",
      Finding("增长率与所述金额不符（2.67 ÷ 53.00 = 5.04%）：“…比2019年增加2.67万元，增长5.06%。”", "第七部分", "第1段",
              "admin_operating.change_pct", "5.04%", "5.06%"))
def growth_rate(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    items = mentions(disclosure, ctx)
    half = ctx.settings.half_step
    for m in items:
        if not m.key.endswith(".change_pct"):
            continue
        base = m.key[: -len(".change_pct")]
        change = _near(items, f"{base}.change", m)
        this = _near(items, _MAIN.get(base, base), m)
        if change is None or this is None:
            continue
        last = this.value - change.value
        if last <= 0:
            continue
        expected = _round(change.value / last * 100)
        if m.value == expected or m.value == _as_printed(change.value / last * 100, m.text):
            continue  # a rate printed to fewer places (下降40.6%) is right when it is the rate rounded so
        if change.value and m.value and (m.value > 0) != (change.value > 0):
            yield mention_finding(m, "增长率的方向（增长/下降）与增减额不一致", expected, m.value, pct=True)
            continue
        size = abs(change.value)
        low = _round((size - half) / (last + half) * 100) if size > half else ZERO
        high = _round((size + half) / (last - half) * 100)
        severity = Severity.NOTE if low <= abs(m.value) <= high else None
        why = f"{fmt(size)} ÷ {fmt(last)} = {fmt_pct(abs(expected))}"
        yield mention_finding(m, f"增长率与所述金额不符（{why}）", expected, m.value, severity, pct=True)


@rule("NAR-COMPOSITION", "error", "accuracy", "说明中的构成相加：人员 + 公用 + 对个人和家庭 + 项目 = 支出合计，人员 + "
                                              "公用 + 对个人和家庭 = 基本支出",
      Finding("所列各项支出之和与所述支出合计不一致：“…其中：人员支出619.37万元、公用支出55.67万元、…”", "第二部分",
              "第2段", "expenditure.total", "17,144.14", "17,144.13", Severity.NOTE))
def composition(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    items = mentions(disclosure, ctx)
    paragraphs: dict[tuple[int, int, int], dict[str, Mention]] = {}
    for m in items:
        if m.key.startswith("expenditure.") and ".change" not in m.key:
            paragraphs.setdefault((m.part, m.section, m.paragraph), {}).setdefault(m.key, m)
    row3, where3 = _unit_row(disclosure, ctx, Role.EXPENDITURE)
    basic_table = amount(row3, "basic")
    checked_basic = False
    for found in paragraphs.values():
        split = [found[k] for k in _BASIC_SPLIT if k in found]
        total = found.get("expenditure.total")
        if total is not None and len(split) == 3 and "expenditure.project" in found:
            parts = [*split, found["expenditure.project"]]
            result = compare(ctx, sum((p.value for p in parts), ZERO), total.value, len(parts), lambda: Finding(""))
            if result is not None:
                yield mention_finding(total, "所列各项支出之和与所述支出合计不一致", sum((p.value for p in parts),
                                                                                         ZERO),
                                      total.value, result.severity)
        if len(split) == 3 and not checked_basic:
            checked_basic = True
            basic = found.get("expenditure.basic")
            stated = basic.value if basic is not None else basic_table
            where = "所述基本支出" if basic is not None else f"{where3} 基本支出"
            result = compare(ctx, sum((p.value for p in split), ZERO), stated, 3, lambda: Finding(""))
            if result is not None:
                yield mention_finding(split[0], f"人员、公用、对个人和家庭的补助支出之和与{where}不一致",
                                      sum((p.value for p in split), ZERO), stated, result.severity)


@rule("NAR-GROUPS", "error", "consistency", "第三部分（四）所列项目类别之和 = 项目支出；与项目同名的类别金额 = 表13 该"
                                            "项目",
      Finding("所列项目类别合计与项目支出不一致", "第三部分", "第5段", "group.*", "16,425.30", "16,525.30"))
def groups(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    items = [m for m in mentions(disclosure, ctx) if m.key.startswith("group.")]
    if not items:
        return
    stated = next((m for m in mentions(disclosure, ctx) if m.key == "expenditure.project" and m.part == 3), None)
    row3, where3 = _unit_row(disclosure, ctx, Role.EXPENDITURE)
    expected = stated.value if stated is not None else amount(row3, "project")
    total = sum((m.value for m in items), ZERO)
    if expected is not None:
        result = compare(ctx, expected, total, len(items), lambda: Finding(""))
        if result is not None:
            yield Finding(f"第三部分所列各类项目支出之和与{'所述' if stated else where3 + ' '}项目支出不一致（共 "
                          f"{len(items)} 类）",
                          "第三部分", items[0].where, "group.*", fmt(expected), fmt(total), result.severity)
    t13 = by_role(disclosure, ctx, Role.PERFORMANCE_PROJECTS)
    if t13 is None:
        return
    projects = {project_name(row_text(row, "name")): row for row in data_rows(t13)}
    for m in items:
        row = projects.get(project_name(m.key[len("group."):]))
        value = amount(row, "total")
        if row is not None and value is not None and value != m.value:
            yield mention_finding(m, f"与项目同名的类别金额与{label(t13)} 该项目不一致", value, m.value)


@rule("NAR-REPEAT", "error", "consistency", "正文中同一事项在不同位置所述金额一致",
      Finding("同一事项前后所述金额不一致：“（一）人员支出691.37万元，…”", "第三部分", "第2段", "expenditure.personnel",
              "619.37", "691.37"))
def repeat(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    first: dict[str, Mention] = {}
    for m in mentions(disclosure, ctx):
        seen = first.setdefault(m.key, m)
        if seen is not m and seen.value != m.value:
            yield mention_finding(m, f"同一事项前后所述金额不一致（{seen.where}：{seen.text or seen.value}）",
                                  seen.value,
                                  m.value, pct=m.unit == "%")


@rule("NAR-FIGURES", "error", "consistency", "文件数据中的说明数字（figures）与正文所述一致",
      Finding("figures 中的数字与正文不一致", "第二部分", "第1段", "income.total", "17,144.13", "17,145.13"))
def figures(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    if not disclosure.figures:
        return
    stated: dict[str, Mention] = {}
    for m in mentions(disclosure, ctx):
        stated.setdefault(m.key, m)
    for key, figure in disclosure.figures.items():
        m = stated.get(key)
        if m is not None and figure.value != m.value and not (m.text == "" and figure.value == 0):
            yield mention_finding(m, "文件数据中的说明数字（figures）与正文不一致", figure.value, m.value,
                                  pct=m.unit == "%")
