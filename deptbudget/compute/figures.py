"""The figures the narrative states, computed from the budget with their provenance.

Amounts are displayed 万元 values from the same ledger as the tables, so the text agrees
with the tables. A change is the difference of the two displayed amounts and a growth rate is
computed from the displayed amounts too, so that a reader can check both from the document.
"""

from __future__ import annotations

from decimal import Decimal

from deptbudget.compute.ledger import Amount, Ledger, single
from deptbudget.compute.tables import three_public_amounts
from deptbudget.model.budget import Budget, ExpenditureKind, LineItem
from deptbudget.model.disclosure import Figure
from deptbudget.model.figures_vocabulary import figures_vocabulary
from deptbudget.model.money import format_amount, format_percent, round_half_up

PERSONNEL_ECO = "301"  # 工资福利支出
TRANSFERS_ECO = "303"  # 对个人和家庭的补助


def _money(key: str, amount: Amount) -> Figure:
    return Figure(key, amount.display, format_amount(amount.display), "万元", amount.sources)


def _add_change(figures: dict[str, Figure], key: str, this: Amount, last: Amount, pct: bool) -> None:
    """Figures ``key.last_year``, ``key.change`` (signed) and, if asked, ``key.change_pct``."""
    figures[f"{key}.last_year"] = _money(f"{key}.last_year", last)
    change = this.display - last.display
    sources = this.sources + last.sources
    figures[f"{key}.change"] = Figure(f"{key}.change", change, format_amount(abs(change)), "万元", sources)
    if pct and last.display:
        # From the displayed amounts, as a reader recomputes it from the document.
        rate = round_half_up(change / last.display * 100)
        figures[f"{key}.change_pct"] = Figure(f"{key}.change_pct", rate, format_percent(abs(rate)), "%", sources)


def _stem(key: str) -> str:
    """What the change figures of ``key`` are keyed by (``income`` for ``income.total``), per the vocabulary."""
    return figures_vocabulary().figure(key).change_stem


def basic_split(budget: Budget) -> dict[str, list[LineItem]]:
    """基本支出 split into 人员 (301), 对个人和家庭 (303) and 公用 (the rest)."""
    basic = [line for line in budget.lines if line.kind is ExpenditureKind.BASIC]
    personnel = [line for line in basic if (line.dep_bgt_eco_code or "").startswith(PERSONNEL_ECO)]
    transfers = [line for line in basic if (line.dep_bgt_eco_code or "").startswith(TRANSFERS_ECO)]
    operating = [line for line in basic if line not in personnel and line not in transfers]
    return {"personnel": personnel, "operating": operating, "transfers": transfers}


def compute_figures(budget: Budget, ledger: Ledger, fiscal_funds: frozenset) -> dict[str, Figure]:
    figures: dict[str, Figure] = {}

    def put(key: str, amount: Amount) -> None:
        figures[key] = _money(key, amount)

    total = ledger.sum(budget.lines)
    income_sources = tuple(f"income.{k.value}" for k, v in budget.income.items() if v)
    income_total = Amount(total.display, total.exact, income_sources)
    put("income.total", income_total)
    fiscal = ledger.sum(line for line in budget.lines if line.fund_source in fiscal_funds)
    put("income.fiscal", Amount(fiscal.display, fiscal.exact,
                                tuple(s for s in income_sources if s.split(".")[1] in {f.value for f in fiscal_funds})))
    for source in budget.income:
        amount = ledger.sum(line for line in budget.lines if line.fund_source is source)
        put(f"income.{source.value}", Amount(amount.display, amount.exact, (f"income.{source.value}",)))
    put("expenditure.total", total)
    put("expenditure.basic", ledger.sum(budget.basic_lines))
    put("expenditure.project", ledger.sum(budget.project_lines))
    split = basic_split(budget)
    for key, lines in split.items():
        put(f"expenditure.{key}", ledger.sum(lines))
    if budget.last_year is not None:
        _add_change(figures, _stem("income.total"), income_total,
                    single(budget.last_year.income_total, "last_year.income_total"), pct=True)
        _add_change(figures, _stem("expenditure.total"), total,
                    single(budget.last_year.expenditure_total, "last_year.expenditure_total"), pct=True)
    for group in budget.groups:
        codes = {p.pro_code for p in budget.projects if p.group == group.name}
        put(f"group.{group.name}", ledger.sum(line for line in budget.project_lines if line.pro_code in codes))
    if budget.procurement:
        put("procurement.amount", single(sum((i.amount for i in budget.procurement), Decimal(0)), "procurement"))
        put("procurement.annual", single(sum((i.annual_amount for i in budget.procurement), Decimal(0)),
                                         "procurement"))
    three = three_public_amounts(budget, ledger.method)
    for key, amount in three["this"].items():
        put(f"three_public.{key}", amount)
        if "last" in three:
            _add_change(figures, _stem(f"three_public.{key}"), amount, three["last"][key], pct=False)
    if budget.admin_operating is not None:
        admin = single(budget.admin_operating, "admin_operating")
    else:
        admin = ledger.sum(split["operating"])
    put("admin_operating.total", admin)
    if budget.last_year is not None and budget.last_year.admin_operating is not None:
        _add_change(figures, _stem("admin_operating.total"), admin,
                    single(budget.last_year.admin_operating, "last_year.admin_operating"), pct=True)
    return figures
