"""The Budget: one department's budget for one fiscal year, at the finest grain.

Amounts are ``Decimal`` in 元. Amounts sit only on leaves (line items at 7-digit 功能分类 项 and
5-digit 经济分类 款); every subtotal is derived in ``deptbudget.compute``.

The model is immutable: frozen data classes whose sequences are tuples. A changed budget is a
new value (``dataclasses.replace``). Each line item, project and procurement item carries the
``SourceRef`` it was read from, which is how the ledger and the provenance of every figure know it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import TypeVar

from deptbudget.model.disclosure import Acknowledgement, Correction

T = TypeVar("T")


class FundSource(StrEnum):
    """资金来源. Values are the keys used in budget sources."""

    GENERAL_FUNDS = "general_funds"  # 一般公共预算拨款 — 一般性经费拨款
    SPECIAL_FUNDS = "special_funds"  # 一般公共预算拨款 — 财政专项资金拨款
    INVESTMENT = "investment"  # 一般公共预算拨款 — 政府投资项目拨款
    GOV_FUND = "gov_fund"  # 政府性基金预算拨款
    STATE_CAPITAL = "state_capital"  # 国有资本经营预算拨款
    SPECIAL_ACCOUNT = "special_account"  # 财政专户拨款
    OPERATING = "operating"  # 事业收入
    BUSINESS = "business"  # 事业单位经营收入
    OTHER = "other"  # 其他收入
    SUPERIOR_SUBSIDY = "superior_subsidy"  # 上级补助收入
    AFFILIATED = "affiliated"  # 附属单位上缴收入
    CAREER_FUND = "career_fund"  # 用事业基金弥补收支差额
    CARRYOVER = "carryover"  # 上年结余、结转

    @property
    def label(self) -> str:
        return FUND_SOURCE_LABELS[self]

    @property
    def is_general_budget(self) -> bool:
        return self in GENERAL_BUDGET_SOURCES

    @property
    def is_fiscal(self) -> bool:
        """财政拨款 (appropriated by the finance bureau)."""
        return self in FISCAL_SOURCES


FUND_SOURCE_LABELS: dict[FundSource, str] = {
    FundSource.GENERAL_FUNDS: "一般性经费拨款",
    FundSource.SPECIAL_FUNDS: "财政专项资金拨款",
    FundSource.INVESTMENT: "政府投资项目拨款",
    FundSource.GOV_FUND: "政府性基金预算拨款",
    FundSource.STATE_CAPITAL: "国有资本经营预算拨款",
    FundSource.SPECIAL_ACCOUNT: "财政专户拨款",
    FundSource.OPERATING: "事业收入",
    FundSource.BUSINESS: "事业单位经营收入",
    FundSource.OTHER: "其他收入",
    FundSource.SUPERIOR_SUBSIDY: "上级补助收入",
    FundSource.AFFILIATED: "附属单位上缴收入",
    FundSource.CAREER_FUND: "用事业基金弥补收支差额",
    FundSource.CARRYOVER: "上年结余、结转",
}
GENERAL_BUDGET_SOURCES = frozenset({FundSource.GENERAL_FUNDS, FundSource.SPECIAL_FUNDS, FundSource.INVESTMENT})
FISCAL_SOURCES = GENERAL_BUDGET_SOURCES | {
    FundSource.GOV_FUND,
    FundSource.STATE_CAPITAL,
    FundSource.SPECIAL_ACCOUNT,
}


def _tuples(obj: object, *names: str) -> None:
    """Sequences given to a frozen model class are kept as tuples, so that nothing can change them."""
    for name in names:
        value = getattr(obj, name)
        if not isinstance(value, tuple):
            object.__setattr__(obj, name, tuple(value))


class ExpenditureKind(StrEnum):
    BASIC = "basic"  # 基本支出
    PROJECT = "project"  # 项目支出


def under_path(table: Mapping[str, T], path: str) -> T | None:
    """The entry of a field path's longest prefix in ``table`` (``projects[2].lines[0]`` →
    ``projects[2].lines[0]``, ``projects[2].lines``, ``projects[2]``, ``projects``), else ``None``."""
    probe = path
    while probe:
        if probe in table:
            return table[probe]
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    return None


# the template a budget is laid out by when its source names none (templates/shenzhen-15.yaml)
DEFAULT_TEMPLATE = "shenzhen-15"


@dataclass(frozen=True)
class SourceRef:
    """Where a fact came from in the budget source: a field path such as ``basic[3]`` or
    ``projects[2].lines[0]`` (unique within a budget), with the file and its line when known.

    Two references are the same when their paths are: the same field read from a YAML file, an
    XLSX entry workbook or a web document is the same fact."""

    path: str
    line: int | None = field(default=None, compare=False)
    file: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path} (第{self.line}行)"


@dataclass(frozen=True)
class LineItem:
    """One leaf of the ledger."""

    kind: ExpenditureKind
    exp_func_code: str  # 7-digit 项
    dep_bgt_eco_code: str | None  # 5-digit 款; may be absent on project lines
    fund_source: FundSource
    amount: Decimal  # 元
    pro_code: str | None = None
    gov_bgt_eco_code: str | None = None
    note: str | None = None
    ref: SourceRef = field(default_factory=lambda: SourceRef("?"))


@dataclass(frozen=True)
class Staffing:
    authorized_kind: str = "行政编制"
    authorized: int = 0  # 编制数
    actual: int = 0  # 实有在编人数
    retired: int = 0  # 退休人数
    employees: int = 0  # 从基本支出工资福利列支的雇员（含老工勤）


@dataclass(frozen=True)
class Vehicles:
    total: int = 0  # 实有车辆
    authorized: int = 0  # 定编车辆
    reform_done: bool = True  # 已实行公务用车改革


@dataclass(frozen=True)
class Unit:
    name: str
    agency_code: str | None = None
    dept_code: str | None = None
    mof_div_code: str | None = None
    head: str | None = None  # 负责人
    preparer: str | None = None  # 填报人
    phone: str | None = None
    functions: str = ""  # 主要职能 (narrative part 1)
    functions_detail: tuple[str, ...] = ()  # 职能概述 (表14)
    staffing: Staffing = field(default_factory=Staffing)
    vehicles: Vehicles = field(default_factory=Vehicles)
    work_goals: tuple[str, ...] = ()  # 主要工作目标 paragraphs

    def __post_init__(self) -> None:
        _tuples(self, "functions_detail", "work_goals")


@dataclass(frozen=True)
class Indicator:
    """A 三级 performance indicator: the text as written, and its parsed target."""

    level1: str  # 产出指标 / 效益指标 / 满意度指标 / 成本指标
    level2: str  # 数量指标 / 质量指标 / 时效指标 / 成本指标 / 经济效益指标 / …
    name: str  # 指标内容
    target: str = ""  # 目标值 as written, e.g. "≥95%", "约 350 家", "有所提升"
    direction: str | None = None  # ≥ ≤ = 约 > < or 定性
    value: Decimal | None = None
    unit: str | None = None
    weight: Decimal | None = None
    group: str | None = None  # e.g. "产出指标一" in 表14


@dataclass(frozen=True)
class CalcItem:
    """One line of a 测算明细: label, amount in 元, optionally quantity × unit price."""

    label: str
    amount: Decimal
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Calculation:
    """测算明细: the printed text, and structured items where the text gives them."""

    text: str = ""
    items: tuple[CalcItem, ...] = ()

    def __post_init__(self) -> None:
        _tuples(self, "items")


@dataclass(frozen=True)
class Project:
    pro_code: str
    pro_name: str
    group: str  # narrative group, e.g. 产业转型升级资金 / 创新驱动与产业服务
    lines: tuple[LineItem, ...]
    contact: str | None = None
    phone: str | None = None
    start: date | None = None
    end: date | None = None
    goals: tuple[str, ...] = ()  # 项目绩效目标
    purpose: str = ""  # 用途
    calculation: Calculation = field(default_factory=Calculation)
    timeliness: str = ""  # 工作时效 text
    indicators: tuple[Indicator, ...] = ()
    is_new: bool = False  # (新增)
    performance_managed: bool = True  # listed in 表13
    superior_transfer: bool = False  # 上级专项转移支付 (表10)
    ref: SourceRef = field(default_factory=lambda: SourceRef("?"))

    def __post_init__(self) -> None:
        _tuples(self, "lines", "goals", "indicators")

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    def amount_by(self, predicate) -> Decimal:  # type: ignore[no-untyped-def]
        return sum((line.amount for line in self.lines if predicate(line)), Decimal(0))


@dataclass(frozen=True)
class ProjectGroup:
    """A narrative group of projects (第三部分 项目支出 具体包括 …)."""

    name: str
    description: str = ""  # 主要用于 …


@dataclass(frozen=True)
class ProcurementItem:
    """政府采购项目."""

    pro_code: str | None
    name: str  # 采购项目
    category: str  # 采购品目
    amount: Decimal  # 实际指标 (元)
    annual_amount: Decimal  # 一年采购指标 (元)
    service_years: int | None = None
    demand_time: str = ""  # 需求时间
    note: str = ""
    for_sme: bool = False  # 面向中小企业
    for_micro: bool = False  # 面向小型、微型企业
    ref: SourceRef = field(default_factory=lambda: SourceRef("?"))


@dataclass(frozen=True)
class ThreePublic:
    """三公经费 (元)."""

    overseas: Decimal = Decimal(0)  # 因公出国（境）费
    reception: Decimal = Decimal(0)  # 公务接待费
    vehicle_purchase: Decimal = Decimal(0)  # 公务用车购置费
    vehicle_operation: Decimal = Decimal(0)  # 公务用车运行维护费

    @property
    def vehicles(self) -> Decimal:
        return self.vehicle_purchase + self.vehicle_operation

    @property
    def total(self) -> Decimal:
        return self.overseas + self.reception + self.vehicles


@dataclass(frozen=True)
class ThreePublicNotes:
    """三公 explanations for the narrative (第五部分)."""

    overseas: str = ""
    reception: str = ""
    vehicles: str = ""


@dataclass(frozen=True)
class LastYear:
    """Figures of the previous year, for year-on-year comparisons (元)."""

    income_total: Decimal
    expenditure_total: Decimal
    three_public: ThreePublic = field(default_factory=ThreePublic)
    admin_operating: Decimal | None = None  # 机关运行经费


@dataclass(frozen=True)
class VehicleCounts:
    leader: int = 0  # 领导干部用车
    general: int = 0  # 一般公务用车
    law_enforcement: int = 0  # 一般执法执勤用车
    special: int = 0  # 特种专业技术用车
    other: int = 0  # 其他用车

    @property
    def total(self) -> int:
        return self.leader + self.general + self.law_enforcement + self.special + self.other


@dataclass(frozen=True)
class Assets:
    """国有资产占有使用情况."""

    as_of: date | None = None
    vehicles: VehicleCounts = field(default_factory=VehicleCounts)
    general_equipment_over_50: int = 0  # 单价 50 万元以上通用设备 台（套）
    special_equipment_over_100: int = 0  # 单价 100 万元以上专用设备
    planned_vehicles: VehicleCounts = field(default_factory=VehicleCounts)
    planned_general_equipment_over_50: int = 0
    planned_special_equipment_over_100: int = 0


@dataclass(frozen=True)
class Narrative:
    """Department-specific text that the narrative template cannot derive from figures."""

    change_reason: str = ""  # 预算收支增加（减少）主要原因说明
    personnel_note: str = "主要是在职人员工资福利支出"
    operating_note: str = ""
    transfers_note: str = ""
    procurement_note: str = ""
    three_public: ThreePublicNotes = field(default_factory=ThreePublicNotes)
    admin_operating_reason: str = ""
    other_notes: tuple[str, ...] = ()  # 第七部分 三、其他
    func_explanations: dict[str, str] = field(default_factory=dict)  # 名词解释 支出功能分类 code → text
    performance_note: str = ""  # 第六部分 override (else the template's standard text)

    def __post_init__(self) -> None:
        _tuples(self, "other_notes")


@dataclass(frozen=True)
class DepartmentTargets:
    """部门整体支出绩效目标 (表14)."""

    goals: tuple[str, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    other_notes: str = "无。"

    def __post_init__(self) -> None:
        _tuples(self, "goals", "indicators")


@dataclass(frozen=True)
class Budget:
    fiscal_year: int
    unit: Unit
    income: dict[FundSource, Decimal]  # 元, as entered
    lines: tuple[LineItem, ...]  # basic lines and every project's lines
    projects: tuple[Project, ...] = ()
    groups: tuple[ProjectGroup, ...] = ()
    procurement: tuple[ProcurementItem, ...] = ()
    three_public: ThreePublic = field(default_factory=ThreePublic)
    admin_operating: Decimal | None = None  # 机关运行经费 (元); derived when None
    last_year: LastYear | None = None
    assets: Assets = field(default_factory=Assets)
    narrative: Narrative = field(default_factory=Narrative)
    department_targets: DepartmentTargets = field(default_factory=DepartmentTargets)
    acknowledged: tuple[Acknowledgement, ...] = ()  # 已说明的警告
    corrections: tuple[Correction, ...] = ()  # 更正说明: what the source changes from the published document
    template: str = DEFAULT_TEMPLATE
    source_path: str | None = None
    income_ref: SourceRef = field(default_factory=lambda: SourceRef("income"))  # where ``income`` is written

    def __post_init__(self) -> None:
        _tuples(self, "lines", "projects", "groups", "procurement", "acknowledged", "corrections")

    @property
    def basic_lines(self) -> list[LineItem]:
        return [line for line in self.lines if line.kind is ExpenditureKind.BASIC]

    @property
    def project_lines(self) -> list[LineItem]:
        return [line for line in self.lines if line.kind is ExpenditureKind.PROJECT]

    @cached_property
    def refs(self) -> dict[str, SourceRef]:
        """The source reference of each line item, project and procurement item, by its path."""
        refs = {self.income_ref.path: self.income_ref}
        for item in (*self.lines, *self.projects, *self.procurement):
            refs[item.ref.path] = item.ref
        return refs

    def source_ref(self, path: str) -> SourceRef | None:
        """Where a provenance path (``projects[2].lines[0]``, ``projects[0].indicators[1]``) was written:
        the reference of its longest known prefix, naming file and line when the source has them."""
        return under_path(self.refs, path)

    def project(self, pro_code: str) -> Project:
        for project in self.projects:
            if project.pro_code == pro_code:
                return project
        raise KeyError(pro_code)
