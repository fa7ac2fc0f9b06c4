"""The actuals of a final-accounts source (部门决算): what a department spent, on the budget it closes.

A final-accounts source names the ``Budget`` it closes; each spending line here is one line of that budget
(or a line declared new), carrying its three phases — 年初预算数 (from the budget, never typed twice),
全年预算数 (the adjusted budget, typed only where it differs) and 决算数 (the actual). Amounts are ``Decimal``
in 元, as in the budget; every subtotal, 执行率 and difference is computed (``PhaseAmounts``).

The income side of a 决算 is per fund (``FinalFund``: the income rows of the Ministry of Finance's 收入支出决算总表).
Income is not typed per 功能分类: the income of a fund for one 项 is what it spent there plus the balance it
carries into next year, less the balance it brought in (本年收入 = 本年支出 + 年末结转和结余 − 年初结转和结余).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from deptbudget.model.budget import (
    Assets,
    Budget,
    ExpenditureKind,
    FundSource,
    SourceRef,
    ThreePublic,
    ThreePublicNotes,
    Unit,
)
from deptbudget.model.final_accounts import PhaseAmounts

ZERO = Decimal(0)


class FinalFund(StrEnum):
    """The funds of a 决算's income, keyed as the income rows of ``mof-final-9``'s 收入支出决算总表."""

    GENERAL_BUDGET = "general_budget"  # 一般公共预算财政拨款
    GOV_FUND = "gov_fund"  # 政府性基金预算财政拨款
    STATE_CAPITAL = "state_capital"  # 国有资本经营预算财政拨款
    SUPERIOR_SUBSIDY = "superior_subsidy"  # 上级补助收入
    OPERATING = "operating"  # 事业收入
    BUSINESS = "business"  # 经营收入
    AFFILIATED = "affiliated"  # 附属单位上缴收入
    OTHER = "other"  # 其他收入

    @property
    def label(self) -> str:
        return FINAL_FUND_LABELS[self]

    @property
    def is_fiscal(self) -> bool:
        """财政拨款: the three budgets' appropriations."""
        return self in FISCAL_FUNDS


FINAL_FUND_LABELS: dict[FinalFund, str] = {
    FinalFund.GENERAL_BUDGET: "一般公共预算财政拨款",
    FinalFund.GOV_FUND: "政府性基金预算财政拨款",
    FinalFund.STATE_CAPITAL: "国有资本经营预算财政拨款",
    FinalFund.SUPERIOR_SUBSIDY: "上级补助收入",
    FinalFund.OPERATING: "事业收入",
    FinalFund.BUSINESS: "经营收入",
    FinalFund.AFFILIATED: "附属单位上缴收入",
    FinalFund.OTHER: "其他收入",
}
FISCAL_FUNDS = frozenset({FinalFund.GENERAL_BUDGET, FinalFund.GOV_FUND, FinalFund.STATE_CAPITAL})


class OtherSpending(StrEnum):
    """Spending of a 决算 that is neither 基本支出 nor 项目支出 (columns of ``mof-final-9``'s 支出决算表). Not
    财政拨款: each is paid from a unit's own income (经营收入, 事业收入 …)."""

    SUPERIOR_PAYMENT = "superior_payment"  # 上缴上级支出
    BUSINESS_SPENDING = "business_spending"  # 经营支出
    SUBSIDIARY = "subsidiary"  # 对附属单位补助支出

    @property
    def label(self) -> str:
        return {"superior_payment": "上缴上级支出", "business_spending": "经营支出",
                "subsidiary": "对附属单位补助支出"}[self.value]

    @property
    def default_fund(self) -> FinalFund:
        return FinalFund.BUSINESS if self is OtherSpending.BUSINESS_SPENDING else FinalFund.OPERATING

# A budget line's fund source → the 决算 fund its spending is reported under (财政专户管理资金 is 事业收入 in a
# 决算; spending budgeted from 上年结转 or 事业基金 is reported under the fund it was appropriated from, by default
# 一般公共预算财政拨款 — an actual line may name its fund).
BUDGET_FUND_TO_FINAL: dict[FundSource, FinalFund] = {
    FundSource.GENERAL_FUNDS: FinalFund.GENERAL_BUDGET,
    FundSource.SPECIAL_FUNDS: FinalFund.GENERAL_BUDGET,
    FundSource.INVESTMENT: FinalFund.GENERAL_BUDGET,
    FundSource.GOV_FUND: FinalFund.GOV_FUND,
    FundSource.STATE_CAPITAL: FinalFund.STATE_CAPITAL,
    FundSource.SPECIAL_ACCOUNT: FinalFund.OPERATING,
    FundSource.OPERATING: FinalFund.OPERATING,
    FundSource.BUSINESS: FinalFund.BUSINESS,
    FundSource.OTHER: FinalFund.OTHER,
    FundSource.SUPERIOR_SUBSIDY: FinalFund.SUPERIOR_SUBSIDY,
    FundSource.AFFILIATED: FinalFund.AFFILIATED,
    FundSource.CAREER_FUND: FinalFund.OPERATING,
    FundSource.CARRYOVER: FinalFund.GENERAL_BUDGET,
}


@dataclass(frozen=True)
class ActualLine:
    """One spending line of the year in its three phases (元): 基本支出, 项目支出, or other spending (上缴上级支出,
    经营支出, 对附属单位补助支出), which no budget line closes."""

    kind: ExpenditureKind | OtherSpending
    func: str  # 7-digit 功能分类 项
    eco: str | None  # 5-digit 经济分类 款 (may be absent on project lines, as in the budget)
    fund: FinalFund
    initial: Decimal  # 年初预算数: the budget's lines of this key (0 for a line declared new)
    adjusted: Decimal  # 全年预算数
    actual: Decimal  # 决算数
    pro_code: str | None = None
    pro_name: str = ""
    new: bool = False  # not in the budget (declared `new: true`)
    budget_refs: tuple[str, ...] = ()  # the budget lines it closes (their source paths)
    ref: SourceRef = field(default_factory=lambda: SourceRef("?"))

    @property
    def phases(self) -> PhaseAmounts:
        return PhaseAmounts(self.initial, self.adjusted, self.actual)


@dataclass(frozen=True)
class Balance:
    """年初 / 年末结转和结余 of one fund for one 功能分类 项 (元); for a fund other than 财政拨款, also the
    非财政拨款结余 used in the year (使用非财政拨款结余) and the surplus distributed (结余分配)."""

    func: str
    fund: FinalFund
    start: Decimal = ZERO
    end: Decimal = ZERO
    ref: SourceRef = field(default_factory=lambda: SourceRef("?"))
    used_surplus: Decimal = ZERO  # 使用非财政拨款结余 (brought in, as 年初结转和结余)
    distribution: Decimal = ZERO  # 结余分配 (carried out, as 年末结转和结余)


@dataclass(frozen=True)
class ThreePublicPhases:
    """三公经费: the budget (年初), the adjusted budget (全年) and the actual (决算), with the stated reasons."""

    initial: ThreePublic
    adjusted: ThreePublic
    actual: ThreePublic
    reasons: ThreePublicNotes = field(default_factory=ThreePublicNotes)
    overall_reason: str = ""
    # 决算 details the narrative states: trips and people abroad, vehicles bought and held, receptions and guests
    trips: int = 0
    travellers: int = 0
    vehicles_bought: int = 0
    vehicles_held: int = 0
    receptions: int = 0
    guests: int = 0

    def phases(self, key: str) -> PhaseAmounts:
        """``key``: total, overseas, reception, vehicles, vehicle_purchase, vehicle_operation."""
        return PhaseAmounts(getattr(self.initial, key), getattr(self.adjusted, key), getattr(self.actual, key))


@dataclass(frozen=True)
class ProcurementActual:
    """政府采购 actual (元): contracts by kind, and those awarded to small and medium enterprises."""

    goods: Decimal = ZERO
    works: Decimal = ZERO
    services: Decimal = ZERO
    sme: Decimal = ZERO  # 授予中小企业合同金额
    micro: Decimal = ZERO  # 其中授予小微企业合同金额

    @property
    def total(self) -> Decimal:
        return self.goods + self.works + self.services


@dataclass(frozen=True)
class FinalNarrative:
    """What the figures cannot say (the department's own words)."""

    overall: str = ""  # 收入支出决算总体情况: why income and spending differ from the budget
    admin_operating_reason: str = ""
    procurement_note: str = ""
    performance: tuple[str, ...] = ()  # 预算绩效管理情况 paragraphs
    assets_note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "performance", tuple(self.performance))


@dataclass(frozen=True)
class FinalAccounts:
    """One department's final accounts for one fiscal year, closing ``budget``."""

    fiscal_year: int
    unit: Unit
    budget: Budget
    budget_path: str
    lines: tuple[ActualLine, ...]
    balances: tuple[Balance, ...] = ()
    three_public: ThreePublicPhases = field(
        default_factory=lambda: ThreePublicPhases(ThreePublic(), ThreePublic(), ThreePublic()))
    admin_operating: PhaseAmounts = field(default_factory=PhaseAmounts)
    procurement: ProcurementActual = field(default_factory=ProcurementActual)
    assets: Assets = field(default_factory=Assets)
    reasons: dict[str, str] = field(default_factory=dict)  # 功能分类 项 → reason for its difference
    narrative: FinalNarrative = field(default_factory=FinalNarrative)
    fictional: bool = False  # a worked example with invented figures (虚构示例)
    template: str = "mof-final-9"
    source_path: str | None = None
    as_of: date | None = None

    def __post_init__(self) -> None:  # sequences kept as tuples, as the budget's
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "balances", tuple(self.balances))

    def spent(self, fund: FinalFund | None = None, func_prefix: str = "") -> Decimal:
        """决算数 of the lines of ``fund`` (every fund when None) under a 功能分类 prefix."""
        return sum((line.actual for line in self.lines if (fund is None or line.fund is fund)
                    and line.func.startswith(func_prefix)), ZERO)

    def balance_start(self, fund: FinalFund | None = None) -> Decimal:
        return sum((b.start for b in self.balances if fund is None or b.fund is fund), ZERO)

    def balance_end(self, fund: FinalFund | None = None) -> Decimal:
        return sum((b.end for b in self.balances if fund is None or b.fund is fund), ZERO)

    def used_surplus(self, fund: FinalFund | None = None) -> Decimal:
        """使用非财政拨款结余."""
        return sum((b.used_surplus for b in self.balances if fund is None or b.fund is fund), ZERO)

    def distribution(self, fund: FinalFund | None = None) -> Decimal:
        """结余分配."""
        return sum((b.distribution for b in self.balances if fund is None or b.fund is fund), ZERO)

    def income_of(self, fund: FinalFund, func_prefix: str = "") -> Decimal:
        """本年收入 of ``fund`` (under a 功能分类 prefix): spending + 结余分配 + 年末结转和结余 − 年初结转和结余
        − 使用非财政拨款结余 (the 总表 balances: 收入 + 使用非财政拨款结余 + 年初 = 支出 + 结余分配 + 年末)."""
        own = [b for b in self.balances if b.fund is fund and b.func.startswith(func_prefix)]
        return (self.spent(fund, func_prefix) + sum((b.end + b.distribution for b in own), ZERO)
                - sum((b.start + b.used_surplus for b in own), ZERO))

    @property
    def income(self) -> dict[FinalFund, Decimal]:
        """本年收入 by fund, every fund."""
        return {fund: self.income_of(fund) for fund in FinalFund}
