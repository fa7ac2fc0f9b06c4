"""Rules of final accounts (部门决算): the actual figures against the budget they close.

A 决算 states each item's budget beside its actual figure — in its tables (年初预算数 / 全年预算数 / 决算数 columns,
``model.final_accounts``) and in its text ("年初预算为5717.32万元，支出决算为5757.63万元，完成年初预算的100.71%。决算数
大于预算数的主要原因是…", ``model.narrative_phases``). These rules check what the Ministry of Finance's 决算公开 asks of
them: a difference from the budget beyond the locality's threshold is explained, 三公 spending above its budget is
flagged, and a printed 执行率 is the rate of the figures it is printed with.

The threshold is template data (``rules: thresholds: final_difference_pct``). No national figure exists: 财预〔2016〕
143号 asks for the reasons of differences between 决算数 and 预算数 without a size; 10% is our default (mof-final-9),
which a locality's template replaces with its own.

The 总表 balance (收入合计 + 年初结转和结余 (+ 使用非财政拨款结余) = 支出合计 + 结余分配 + 年末结转和结余) is
checked by the footing rules on the footer rows of the 收入支出决算总表: SUM-INCOME (收入总计 = 本年收入合计 + 使用非
财政拨款结余 + 年初结转和结余), SUM-EXPENDITURE-FOOTER (支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余) and
SUM-INCOME-EXPENDITURE (收入总计 = 支出总计).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from deptbudget.model.disclosure import Disclosure, Row, Table
from deptbudget.model.figures_vocabulary import NarrativeFigure, figures_vocabulary
from deptbudget.model.final_accounts import Phase, is_final_accounts, phase_key
from deptbudget.model.narrative_phases import BUDGET, EXECUTION_RATE, budget_columns, rate_phase, stated_phase
from deptbudget.model.narrative_reading import NUMBER, Paragraph, paragraphs, parse_number, sentence_span
from deptbudget.rules._common import amount, by_role, data_rows, fmt, fmt_pct, label, row_text
from deptbudget.rules.registry import Finding, RuleContext, Severity, rule
from deptbudget.template import Role

DEFAULT_DIFFERENCE_PCT = "10"  # the default of thresholds.final_difference_pct (see the module docstring)
_EXPLANATION_MARKERS = ["原因", "主要是", "由于", "因为"]

# "年初预算为5717.32万元，支出决算为5757.63万元", "支出预算为76.43万元，2024年度支出决算为46.21万元"
_PAIR = re.compile(rf"(?P<phase>年初|全年|调整后?的?)?预算(?:数)?(?:为|是)?(?P<budget>{NUMBER})万元[，,]"
                   rf"[^，,。；;]{{0,16}}?决算(?:数)?(?:为|是)?(?P<actual>{NUMBER})万元")
_THREE_PUBLIC_ITEMS = ("total", "overseas", "vehicles", "vehicle_purchase", "vehicle_operation", "reception",
                       "conference", "training", "all_total")
_PERCENT = Decimal(100)


@dataclass(frozen=True)
class StatedPair:
    """An item's budget and actual figure stated side by side in a paragraph."""

    paragraph: Paragraph
    budget_text: str
    actual_text: str
    phase: str  # the key prefix of the budget: initial_, adjusted_ or budget_ (phase not said)
    start: int  # where the pair starts in the paragraph
    end: int

    @property
    def budget(self) -> Decimal:
        return parse_number(self.budget_text) or Decimal(0)

    @property
    def actual(self) -> Decimal:
        return parse_number(self.actual_text) or Decimal(0)

    @property
    def item(self) -> str:
        """What the figures are of: the words before the pair in its paragraph (an item's title "1.一般公共服务（类）
        信访事务（款）行政运行（项）。"), else the start of its sentence."""
        before = self.paragraph.text[:self.start]
        words = re.sub(r"^\s*\d+[.．、]\s*", "", before).rstrip("。，,：: ")
        return (words or self.paragraph.text[:20])[-50:]

    @property
    def page_note(self) -> str:
        return f"（第 {self.paragraph.page} 页）" if self.paragraph.page else ""


def stated_pairs(disclosure: Disclosure, ctx: RuleContext) -> list[StatedPair]:
    """Every budget-and-actual pair the text states, in reading order."""

    def read() -> list[StatedPair]:
        out = []
        for paragraph in paragraphs(disclosure, ctx):
            for match in _PAIR.finditer(paragraph.text):
                word = match["phase"] or ""
                phase = Phase.INITIAL.prefix if word == "年初" else Phase.ADJUSTED.prefix if word else BUDGET
                out.append(StatedPair(paragraph, match["budget"], match["actual"], phase, match.start(), match.end()))
        return out

    return ctx.remember("final.pairs", read)


def _explained(text: str, markers: list[str]) -> bool:
    return any(marker in text for marker in markers)


def _difference_pct(budget: Decimal, actual: Decimal) -> Decimal | None:
    """|决算数 − 预算数| ÷ 预算数 in percent; None for a zero budget (any spending is then a difference)."""
    if not budget:
        return None
    return (abs(actual - budget) / budget * _PERCENT).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@rule("FA-DIFFERENCE-REASON", "warning", "plausibility",
      "决算：决算数与预算数（全年预算数，否则年初预算数）相差超过阈值（模板 thresholds.final_difference_pct，"
      "默认 10%）的项目，说明中应给出原因",
      Finding("决算数与预算数相差 30.00%，超过 10.00%，但说明中未给出原因：信访业务（项）预算 2,325.72 万元，决算 "
              "1,628.00 万元（第 22 页）", "第三部分", "（三）财政拨款支出决算具体情况 第5段", "信访业务（项）",
              "≤ 10.00%",
              "30.00%"))
def difference_reason(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    if not is_final_accounts(disclosure):
        return
    limit = ctx.settings.threshold("final_difference_pct", DEFAULT_DIFFERENCE_PCT)
    markers = list(ctx.settings.option("explanation_markers", _EXPLANATION_MARKERS))
    pairs = stated_pairs(disclosure, ctx)
    for index, pair in enumerate(pairs):
        difference = _difference_pct(pair.budget, pair.actual)
        if (difference is None and not pair.actual) or (difference is not None and difference <= limit):
            continue
        following = [p for p in pairs[index + 1:] if p.paragraph is pair.paragraph]
        end = following[0].start if following else len(pair.paragraph.text)
        if _explained(pair.paragraph.text[pair.end:end], markers):
            continue
        shown = fmt_pct(difference) if difference is not None else "预算为 0"
        yield Finding(f"决算数与预算数相差 {shown}，超过 {fmt_pct(limit)}，但说明中未给出原因：{pair.item} 预算 "
                      f"{fmt(pair.budget)} 万元，决算 {fmt(pair.actual)} 万元{pair.page_note}",
                      pair.paragraph.part_label, pair.paragraph.row, pair.item, f"≤ {fmt_pct(limit)}", shown)
    yield from _table_differences(disclosure, ctx, limit, markers)


def _phase_budget(row: Row, key: str) -> tuple[Decimal | None, str]:
    """A row's budget of measure ``key``: its 全年预算数, else its 年初预算数, with the phase's name."""
    for phase in (Phase.ADJUSTED, Phase.INITIAL):
        value = amount(row, phase_key(key, phase))
        if value is not None:
            return value, phase.value
    return None, ""


def _table_differences(disclosure: Disclosure, ctx: RuleContext, limit: Decimal,
                       markers: list[str]) -> Iterator[Finding]:
    """A 功能分类 项 of the 一般公共预算财政拨款支出决算表 printed with its budget (年初预算数 / 全年预算数 columns)
    whose 决算数 differs beyond the threshold: some paragraph of the text names it and gives a reason."""
    table = by_role(disclosure, ctx, Role.GENERAL_BUDGET_EXPENDITURE)
    if table is None or table.column(phase_key("total", Phase.ADJUSTED)) is None \
            and table.column(phase_key("total", Phase.INITIAL)) is None:
        return
    texts = [p.text for p in paragraphs(disclosure, ctx)]
    for row in data_rows(table):
        code, name = row_text(row, "code"), row_text(row, "name")
        if len(code) != 7 or not name:
            continue  # the 项 of the 功能分类 (the text explains items, its 类 and 款 add them up)
        budget, phase = _phase_budget(row, "total")
        actual = amount(row, "total")
        if budget is None or actual is None:
            continue
        difference = _difference_pct(budget, actual)
        if (difference is None and not actual) or (difference is not None and difference <= limit):
            continue
        if any(name in text and _explained(text, markers) for text in texts):
            continue
        shown = fmt_pct(difference) if difference is not None else f"{phase}为 0"
        yield Finding(f"{label(table)} {code} {name} 决算数与{phase}相差 {shown}，超过 {fmt_pct(limit)}，但说明中未给出"
                      f"原因：{phase} {fmt(budget)}，决算数 {fmt(actual)}", label(table), code, "决算数",
                      f"≤ {fmt_pct(limit)}", shown)


@rule("FA-THREE-PUBLIC-OVER", "warning", "plausibility",
      "决算：“三公”经费及各项（会议费、培训费）决算数超过预算数（全年预算数，否则年初预算数）",
      Finding("表7 公务接待费 决算数 6.00 超过全年预算数 5.00", "表7", "2024", "决算数公务接待费", "≤ 5.00", "6.00"))
def three_public_over(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    if not is_final_accounts(disclosure):
        return
    table = by_role(disclosure, ctx, Role.THREE_PUBLIC)
    if table is None:
        return
    names = {f.item: f.label for f in figures_vocabulary().figures if f.key.startswith("three_public.")}
    for row in data_rows(table):
        for item in _THREE_PUBLIC_ITEMS:
            budget, phase = _phase_budget(row, item)
            actual = amount(row, item)
            if budget is None or actual is None or actual <= budget:
                continue
            column = table.column(item)
            name = names.get(item, column.label if column is not None else item)
            yield Finding(f"{label(table)} {name} 决算数 {fmt(actual)} 超过{phase} {fmt(budget)}", label(table),
                          row.key, column.label if column is not None else item, f"≤ {fmt(budget)}", fmt(actual))


def _places(printed: str) -> int:
    return len(printed.rsplit(".", 1)[1]) if "." in printed else 0


def _rate_agrees(actual: Decimal, budget: Decimal, printed: str, actual_text: str = "", budget_text: str = "") -> bool:
    """The printed rate is actual ÷ budget at the places it is printed with, rounded or cut — or within what the
    two amounts allow as printed (each ± half a unit of its last digit: "4.7万元" may be 4.66 … 4.74)."""
    places = Decimal(1).scaleb(-_places(printed))
    value = Decimal(printed)
    exact = actual / budget * _PERCENT
    if value in (exact.quantize(places, rounding=ROUND_HALF_UP), exact.quantize(places, rounding=ROUND_DOWN)):
        return True
    half_actual = Decimal(5).scaleb(-_places(actual_text) - 1) if actual_text else Decimal(0)
    half_budget = Decimal(5).scaleb(-_places(budget_text) - 1) if budget_text else Decimal(0)
    if budget <= half_budget:
        return False
    low = (actual - half_actual) / (budget + half_budget) * _PERCENT
    high = (actual + half_actual) / (budget - half_budget) * _PERCENT
    return low.quantize(places, rounding=ROUND_DOWN) <= value <= high.quantize(places, rounding=ROUND_HALF_UP)


def _three_public_row(table: Table, year: int) -> Row | None:
    rows = data_rows(table)
    return next((r for r in rows if r.key == str(year)), rows[0] if len(rows) == 1 else None)


@rule("FA-EXECUTION-RATE", "error", "accuracy",
      "决算：说明所述执行率（完成预算的 %）= 决算数 ÷ 预算数，按同句所述金额，句中未述预算时按“三公”经费表",
      Finding("执行率与所述金额不符（5,757.63 ÷ 5,717.32 = 100.71%）：“年初预算为5717.32万元，支出决算为5757.63万元，"
              "完成年初预算的101.71%。”", "第三部分", "第2段", "执行率", "100.71%", "101.71%"))
def execution_rate(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    if not is_final_accounts(disclosure):
        return
    pairs = stated_pairs(disclosure, ctx)
    table = by_role(disclosure, ctx, Role.THREE_PUBLIC)
    row = _three_public_row(table, disclosure.fiscal_year) if table is not None else None
    items = [(f, re.compile(f.statement_pattern)) for f in figures_vocabulary().figures
             if f.key.startswith("three_public.")]
    for paragraph in paragraphs(disclosure, ctx):
        own = [p for p in pairs if p.paragraph is paragraph]
        previous = 0
        for match in EXECUTION_RATE.finditer(paragraph.text):
            printed = match["num"] or match["num2"]
            start, _ = sentence_span(paragraph.text, match.start(), whole=False)
            before = [p for p in own if max(start, previous) <= p.start < match.start()]
            stretch = paragraph.text[max(start, previous):match.start()]
            previous = match.end()
            texts = ("", "")
            if before:
                pair = before[-1]
                if BUDGET not in (pair.phase, rate_phase(match)) and pair.phase != rate_phase(match):
                    continue  # "年初预算为…完成全年预算的…%": a rate of a budget the sentence does not state
                actual, budget, texts = pair.actual, pair.budget, (pair.actual_text, pair.budget_text)
            else:  # "因公出国（境）费支出决算为4.69万元，完成预算的15.63%": the budget is the 三公 table's
                found = _stated_three_public(stretch, items, row, rate_phase(match))
                if found is None:
                    continue
                actual, budget, texts = found[0], found[1], (found[2], "")
            if not budget or _rate_agrees(actual, budget, printed, *texts):
                continue
            expected = (actual / budget * _PERCENT).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            page = f"（第 {paragraph.page} 页）" if paragraph.page else ""
            sentence = paragraph.text[start:paragraph.text.find("。", match.end()) + 1 or None]
            yield Finding(f"执行率与所述金额不符（{fmt(actual)} ÷ {fmt(budget)} = {fmt_pct(expected)}）{page}："
                          f"“{sentence}”", paragraph.part_label, paragraph.row, "执行率", fmt_pct(expected),
                          f"{printed}%", Severity.ERROR)


def _stated_three_public(stretch: str, items: list[tuple[NarrativeFigure, re.Pattern[str]]], row: Row | None,
                         phase: str) -> tuple[Decimal, Decimal, str] | None:
    """The actual figure a stretch of text states for a 三公 item it names, the item's budget in the table, and the
    actual figure as printed. None where the one amount is stated as a budget ("公务接待费预算为5万元")."""
    if row is None:
        return None
    named = [(m.start(), figure) for figure, pattern in items for m in pattern.finditer(stretch)]
    amounts = list(re.finditer(rf"(?P<num>{NUMBER})万元", stretch))
    if not named or len(amounts) != 1 or stated_phase(stretch[:amounts[0].start()]):
        return None
    figure = max(named, key=lambda found: found[0])[1]
    actual = parse_number(amounts[0]["num"])
    budgets = [amount(row, prefix + figure.item) for prefix in budget_columns(phase)]
    budget = next((b for b in budgets if b is not None), None)
    if actual is None or budget is None:
        return None
    return actual, budget, amounts[0]["num"]
