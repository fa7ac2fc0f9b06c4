"""Plausibility (warnings): large changes without a reason, growing 三公经费, a large 预算准备金."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from deptbudget.model.disclosure import Disclosure, Part
from deptbudget.model.figures_vocabulary import NarrativeFigure, figures_vocabulary
from deptbudget.model.narrative_reading import normalize
from deptbudget.model.narrative_text import Mention
from deptbudget.rules._common import (
    ZERO,
    amount,
    by_role,
    data_rows,
    fmt,
    fmt_pct,
    label,
    mention_finding,
    mentions,
    row_text,
    total_of,
    unit_row,
)
from deptbudget.rules.registry import Finding, RuleContext, rule
from deptbudget.template import Role

_HUNDRED = Decimal(100)


def _rate(items: list[Mention], figure: NarrativeFigure) -> tuple[Mention, Decimal] | None:
    """The year-on-year rate of a figure as stated, else computed from the stated change and amount."""
    pct = next((m for m in items if m.key == f"{figure.change_stem}.change_pct"), None)
    change = next((m for m in items if m.key == f"{figure.change_stem}.change"), None)
    this = next((m for m in items if m.key == figure.key), None)
    if pct is not None:
        return pct, pct.value
    if change is not None and this is not None and this.value - change.value > 0:
        return change, (change.value / (this.value - change.value) * _HUNDRED).quantize(Decimal("0.01"))
    return None


def _explained(part: Part | None, markers: list[str], after: str = "") -> bool:
    """The part gives a reason: a sentence with a marker (原因, 主要是 …) and some words after it."""
    if part is None:
        return False
    text = normalize(part.text, digits_apart=False)
    if after and after in text:
        text = text[text.index(after):]
    return _gives_reason(text, markers)


def _gives_reason(text: str, markers: list[str]) -> bool:
    """The text has a marker (原因, 主要是 …) followed by a reason of some words."""
    for marker in markers:
        start = text.find(marker)
        while start >= 0:
            rest = text[start + len(marker):].lstrip("：:，,")
            sentence = rest.split("。")[0]
            if len(sentence) >= 6:
                return True
            start = text.find(marker, start + 1)
    return False


@rule("PLAUS-YOY-UNEXPLAINED", "warning", "plausibility", "收支比上年变动超过阈值（模板 thresholds.yoy_change_pct）而"
                                                          "说明中未给出原因",
      Finding("收支比上年变动 35.20%，超过 20%，但未说明原因", "第二部分", "第1段", "income.change_pct", "≤ 20%",
              "35.20%"))
def yoy_unexplained(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    items = mentions(disclosure, ctx)
    limit = ctx.settings.threshold("yoy_change_pct", "20")
    markers = list(ctx.settings.option("explanation_markers", ["原因", "主要是", "由于"]))
    vocabulary = figures_vocabulary()
    for key in ("income.total", "expenditure.total"):
        found = _rate(items, vocabulary.figure(key))
        if found is None or abs(found[1]) <= limit:
            continue
        m, rate = found
        if not _explained(disclosure.part(m.part), markers, after=m.sentence[:10]):
            yield mention_finding(m, f"比上年变动 {fmt_pct(rate)}，超过 {fmt_pct(limit)}，但未说明原因", limit, rate,
                                  pct=True)


@rule("PLAUS-ADMIN-OPERATING", "warning", "plausibility", "机关运行经费比上年变动超过阈值而未说明原因",
      Finding("机关运行经费比上年变动 25.00%，超过 20.00%，但未说明原因", "第七部分", "第1段",
              "admin_operating.change_pct",
              "≤ 20.00%", "25.00%"))
def admin_operating(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    items = mentions(disclosure, ctx)
    limit = ctx.settings.threshold("admin_operating_change_pct", "20")
    figure = figures_vocabulary().figure("admin_operating.total")
    found = _rate(items, figure)
    if found is None or abs(found[1]) <= limit:
        return
    m, rate = found
    markers = list(ctx.settings.option("explanation_markers", ["原因", "主要是", "由于"]))
    if not _explained(disclosure.part(m.part), markers, after=figure.label):
        message = f"{figure.label}比上年变动 {fmt_pct(rate)}，超过 {fmt_pct(limit)}，但未说明原因"
        yield mention_finding(m, message, limit, rate, pct=True)


@rule("PLAUS-THREE-PUBLIC-GROWTH", "warning", "plausibility", "“三公”经费及各项比上年增长（超过模板 thresholds.three_p"
                                                              "ublic_growth_pct）而说明中未给出原因",
      Finding("公务接待费比上年增长 20.00%", "表12", "2020", "公务接待费", "≤ 10.50", "12.60"))
def three_public_growth(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    t12 = by_role(disclosure, ctx, Role.THREE_PUBLIC)
    if t12 is None:
        return
    rows = {row.key if row.key.isdigit() else row_text(row, "year"): row for row in t12.rows}
    this, last = rows.get(str(disclosure.fiscal_year)), rows.get(str(disclosure.fiscal_year - 1))
    if this is None or last is None:
        return
    limit = ctx.settings.threshold("three_public_growth_pct", "0")
    vocabulary = figures_vocabulary()
    explained = _reasoned_figures(disclosure, ctx)
    total = vocabulary.figure("three_public.total")
    # each item (a subtotal such as 公务用车购置及运行维护费 grows only where an item does); the total's growth is
    # explained by its own sentence or by a reason for each item that grows
    grown: list[tuple[NarrativeFigure, Decimal, Decimal]] = []
    for figure in (total, *vocabulary.leaves(total.key)):
        now, before = amount(this, figure.item), amount(last, figure.item)
        if now is not None and before is not None and now > before:
            grown.append((figure, now, before))
    items = [figure for figure, _, _ in grown if figure is not total]
    if items and all(figure.key in explained for figure in items):
        explained.add(total.key)
    for figure, now, before in grown:
        rate = (now - before) / before * _HUNDRED if before else None
        if (rate is not None and rate <= limit) or figure.key in explained:
            continue
        shown = f"增长 {fmt_pct(rate)}" if rate is not None else f"由 0 增加到 {fmt(now)}"
        column = t12.column(figure.item)
        yield Finding(f"{figure.label}比上年{shown}", label(t12), str(disclosure.fiscal_year),
                      column.label if column is not None else figure.label, f"≤ {fmt(before)}", fmt(now))


def _reasoned_figures(disclosure: Disclosure, ctx: RuleContext) -> set[str]:
    """The figures whose amount or change the text states in a sentence that gives a reason (主要是 …)."""
    markers = list(ctx.settings.option("explanation_markers", ["原因", "主要是", "由于"]))
    return {m.key.removesuffix(".change").removesuffix(".change_pct") for m in mentions(disclosure, ctx)
            if _gives_reason(normalize(m.sentence, digits_apart=False), markers)}


@rule("PLAUS-RESERVE-SHARE", "warning", "plausibility", "预算准备金占项目支出的比例不超过阈值（模板 thresholds.reserve"
                                                        "_share_pct）",
      Finding("预算准备金占项目支出的 5.00%，超过 3.00%", "表13", "预算准备金", "合计", "≤ 3.00%", "5.00%"))
def reserve_share(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    t3, t13 = by_role(disclosure, ctx, Role.EXPENDITURE), by_role(disclosure, ctx, Role.PERFORMANCE_PROJECTS)
    if t3 is None or t13 is None or not t3.rows:
        return
    project = amount(unit_row(t3), "project")
    if not project:
        return
    names = list(ctx.settings.option("reserve_names", ["预算准备金"]))
    rows = [row for row in data_rows(t13) if any(n in row_text(row, "name") for n in names)]
    reserve, _ = total_of(amount(row, "total") for row in rows)
    if not rows or reserve <= ZERO:
        return
    share = reserve / project * _HUNDRED
    limit = ctx.settings.threshold("reserve_share_pct", "3")
    if share > limit:
        yield Finding(f"预算准备金占项目支出的 {fmt_pct(share)}，超过 {fmt_pct(limit)}", label(t13),
                      row_text(rows[0], "name"), "合计", f"≤ {fmt_pct(limit)}", fmt_pct(share))

