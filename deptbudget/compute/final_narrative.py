"""The narrative of a final-accounts disclosure: the context its template paragraphs are filled from.

Every amount is the displayed 万元 figure of the tables (each 元 sum rounded half-up on its own), and every
share, 执行率 and change is computed from displayed figures, as a reader recomputes it from the document
(``PhaseAmounts`` for budget against actual). The paragraphs themselves are template data
(``templates/mof-final-9.narrative.yaml``); this module gives them figures, lists and the department's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from deptbudget.catalog import Catalog
from deptbudget.model.budget import ExpenditureKind
from deptbudget.model.final_accounts import PhaseAmounts
from deptbudget.model.final_actuals import FISCAL_FUNDS, ZERO, ActualLine, FinalAccounts, FinalFund, OtherSpending
from deptbudget.model.money import format_amount, format_percent, round_half_up, wan

PERSONNEL_ECO = ("301", "303")  # 人员经费: 工资福利支出, 对个人和家庭的补助
OPERATING_ECO = ("302", "310")  # 公用经费: 商品和服务支出, 资本性支出


def money(yuan: Decimal) -> str:
    """元 → the displayed 万元 text (half up, thousands separated)."""
    return format_amount(wan(yuan))


def share(part: Decimal, whole: Decimal) -> str:
    """The share of ``part`` in ``whole``, from their displayed 万元 figures, as 12.34%."""
    shown = wan(whole)
    return format_percent(round_half_up(wan(part) / shown * 100)) if shown else "0.00%"


def displayed(phases: PhaseAmounts) -> PhaseAmounts:
    """Phase amounts in 元 → their displayed 万元 figures (执行率 and differences then as the reader computes them)."""
    return PhaseAmounts(*(None if v is None else wan(v) for v in (phases.initial, phases.adjusted, phases.actual)))


@dataclass(frozen=True)
class Versus:
    """A measure's budget and actual as the text states them."""

    initial: str
    adjusted: str
    actual: str
    rate: str  # 执行率 (决算数 ÷ 全年预算数)
    difference: str  # |决算数 − 全年预算数|
    direction: str  # 增加 / 减少 / 持平
    adjusted_differs: bool
    reason: str = ""

    @property
    def rate_words(self) -> str:
        return f"完成全年预算的{self.rate}" if self.rate else "年初未安排预算"


def versus(phases: PhaseAmounts, reason: str = "") -> Versus:
    shown = displayed(phases)
    diff = shown.difference or ZERO
    rate = shown.execution_rate
    return Versus(format_amount(shown.initial or ZERO), format_amount(shown.adjusted or ZERO),
                  format_amount(shown.actual or ZERO), "" if rate is None else format_percent(rate),
                  format_amount(abs(diff)), "增加" if diff > 0 else "减少" if diff < 0 else "持平",
                  shown.adjusted != shown.initial, reason)


def _sum_phases(lines: list[ActualLine]) -> PhaseAmounts:
    return PhaseAmounts(sum((x.initial for x in lines), ZERO), sum((x.adjusted for x in lines), ZERO),
                        sum((x.actual for x in lines), ZERO))


def func_label(catalog: Catalog, code: str) -> str:
    """科学技术支出（类）科学技术管理事务（款）行政运行（项）, as 决算 narratives name a 项."""
    parts = [(code[:3], "类"), (code[:5], "款"), (code, "项")]
    return "".join(f"{catalog.name('exp_func', c)}（{level}）" for c, level in parts)


def items_by_func(accounts: FinalAccounts, catalog: Catalog, fund: FinalFund | None) -> list[dict[str, Any]]:
    """Per 功能分类 项 (of one fund, or all): label, budget against actual, and the stated reason."""
    lines = [x for x in accounts.lines if fund is None or x.fund is fund]
    out = []
    for code in sorted({x.func for x in lines}):
        own = [x for x in lines if x.func == code]
        out.append({"code": code, "label": func_label(catalog, code),
                    "v": versus(_sum_phases(own), accounts.reasons.get(code, ""))})
    return out


def _eco_names(catalog: Catalog, lines: list[ActualLine], prefixes: tuple[str, ...]) -> str:
    codes = sorted({x.eco for x in lines if x.eco and x.eco.startswith(prefixes) and x.actual})
    return "、".join(catalog.name("dep_bgt_eco", c) for c in codes)


def final_narrative_context(accounts: FinalAccounts, catalog: Catalog) -> dict[str, Any]:
    year = accounts.fiscal_year
    budget = accounts.budget
    income = accounts.income
    income_total = sum(income.values(), ZERO)
    start, end = accounts.balance_start(), accounts.balance_end()
    brought = start + accounts.used_surplus()  # 总计's income side: 年初结转和结余 and 使用非财政拨款结余
    spent = accounts.spent()
    basic = [x for x in accounts.lines if x.kind is ExpenditureKind.BASIC]
    project = [x for x in accounts.lines if x.kind is ExpenditureKind.PROJECT]
    fiscal_income = sum((income[f] for f in FISCAL_FUNDS), ZERO)
    fiscal_start = sum((accounts.balance_start(f) for f in FISCAL_FUNDS), ZERO)
    fiscal_end = sum((accounts.balance_end(f) for f in FISCAL_FUNDS), ZERO)
    fiscal_lines = [x for x in accounts.lines if x.fund.is_fiscal]
    general = [x for x in accounts.lines if x.fund is FinalFund.GENERAL_BUDGET]
    general_basic = [x for x in general if x.kind is ExpenditureKind.BASIC]
    personnel = [x for x in general_basic if (x.eco or "").startswith(PERSONNEL_ECO)]
    operating = [x for x in general_basic if x not in personnel]
    budget_total = sum((x.amount for x in budget.lines), ZERO)
    income_parts = [{"label": fund.label.replace("财政拨款", "财政拨款收入") if fund.is_fiscal else fund.label,
                     "amount": money(income[fund]), "share": share(income[fund], income_total)}
                    for fund in FinalFund if income[fund]]
    fiscal_income_parts = [{"label": fund.label, "amount": money(income[fund])}
                           for fund in FinalFund if fund.is_fiscal and income[fund]]
    tp = accounts.three_public
    classes = sorted({x.func[:3] for x in general})
    procurement = accounts.procurement
    assets = accounts.assets
    return {
        "year": year,
        "unit": accounts.unit,
        "n": accounts.narrative,
        "fictional": accounts.fictional,
        "budget_name": f"{year}年{accounts.unit.name}部门预算",
        "total": money(income_total + brought),
        "overall": versus(PhaseAmounts(budget_total, None, income_total + brought), accounts.narrative.overall),
        "income_total": money(income_total),
        "income_parts": income_parts,
        "start": money(start), "end": money(end), "has_start": bool(wan(start)), "has_end": bool(wan(end)),
        "spent": money(spent),
        "basic": money(_sum(basic)), "basic_share": share(_sum(basic), spent),
        "other_spending": [{"label": kind.label, "amount": money(amount), "share": share(amount, spent)}
                           for kind in OtherSpending if (amount := _sum([x for x in accounts.lines
                                                                         if x.kind is kind]))],
        "project": money(_sum(project)), "project_share": share(_sum(project), spent),
        "fiscal_total": money(fiscal_income + fiscal_start),
        "fiscal_income": money(fiscal_income), "fiscal_income_parts": fiscal_income_parts,
        "fiscal_start": money(fiscal_start), "fiscal_end": money(fiscal_end),
        "fiscal_spent": money(_sum(fiscal_lines)),
        "fiscal_versus": versus(_sum_phases(fiscal_lines)),
        "general": versus(_sum_phases(general)), "general_share": share(_sum(general), spent),
        "general_classes": [{"name": catalog.name("exp_func", c),
                             "amount": money(_sum([x for x in general if x.func.startswith(c)])),
                             "share": share(_sum([x for x in general if x.func.startswith(c)]), _sum(general))}
                            for c in classes],
        "general_items": items_by_func(accounts, catalog, FinalFund.GENERAL_BUDGET),
        "general_basic": money(_sum(general_basic)),
        "personnel": money(_sum(personnel)), "personnel_items": _eco_names(catalog, personnel, PERSONNEL_ECO),
        "operating": money(_sum(operating)), "operating_items": _eco_names(catalog, operating, OPERATING_ECO),
        "tp": {key: versus(tp.phases(key)) for key in ("total", "overseas", "vehicles", "vehicle_purchase",
                                                       "vehicle_operation", "reception")},
        "tp_detail": tp,
        "tp_reasons": tp.reasons,
        "admin": versus(accounts.admin_operating, accounts.narrative.admin_operating_reason),
        "procurement": {"total": money(procurement.total), "goods": money(procurement.goods),
                        "works": money(procurement.works), "services": money(procurement.services),
                        "sme": money(procurement.sme), "sme_share": share(procurement.sme, procurement.total),
                        "micro": money(procurement.micro), "micro_share": share(procurement.micro, procurement.sme),
                        "any": bool(procurement.total)},
        "assets": assets,
        "func_explanations": [{"name": catalog.name("exp_func", code) if catalog.find("exp_func", code) else code,
                               "text": text} for code, text in budget.narrative.func_explanations.items()],
    }


def _sum(lines: list[ActualLine]) -> Decimal:
    return sum((x.actual for x in lines), ZERO)
