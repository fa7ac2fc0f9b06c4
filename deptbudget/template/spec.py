"""Typed, frozen descriptions of a template: its tables, footers, narrative parts, rule settings
and the importer's words for its forms. ``loader.load_template`` builds them from the data files in
``deptbudget/templates/``; compute, importers, rules and review read only these."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from deptbudget.model.disclosure import CellKind, HeaderCell
from deptbudget.template.header import HeaderSpec, layout_header


class TemplateError(Exception):
    """A template that does not exist or is malformed."""


class Builder(StrEnum):
    """How a table's rows are made from the budget (``deptbudget/compute/tables.py``) and read back
    from a printed table (``deptbudget/importers/rows.py``, ``importers/forms.py``)."""

    TWO_SIDED = "two_sided"  # 收支总表: income items | functional tree of spending, footer rows
    UNIT_ROWS = "unit_rows"  # one row per unit
    ECO_TREE = "eco_tree"  # 经济分类 类 → 款
    FUNC_TREE = "func_tree"  # 功能分类 类 → 款 → 项
    PROJECT_LINES = "project_lines"  # projects × functional 项
    PROCUREMENT = "procurement"  # 政府采购 items
    THREE_PUBLIC = "three_public"  # “三公”经费 by year
    PERFORMANCE_PROJECTS = "performance_projects"  # performance-managed projects
    DEPARTMENT_TARGETS = "department_targets"  # form: 部门整体支出绩效目标
    PROJECT_TARGETS = "project_targets"  # form, one per project: 项目支出绩效目标


class Role(StrEnum):
    """What a table is, whatever a locality numbers or titles it: rules find their tables by role, and a
    locality's required list (``Template.required``) names roles. A closed set (docs/templates.md)."""

    SUMMARY = "summary"  # 收支总表
    INCOME = "income"  # 收入总表
    EXPENDITURE = "expenditure"  # 支出总表
    BASIC_EXPENDITURE = "basic_expenditure"  # 基本支出表 (经济分类, every fund)
    PROJECTS = "projects"  # 项目支出表
    FISCAL_SUMMARY = "fiscal_summary"  # 财政拨款收支总表
    GENERAL_BUDGET_EXPENDITURE = "general_budget_expenditure"  # 一般公共预算支出表 (功能分类)
    GENERAL_BUDGET_BASIC = "general_budget_basic"  # 一般公共预算基本支出表 (经济分类)
    GOV_FUND = "gov_fund"  # 政府性基金预算支出表
    STATE_CAPITAL = "state_capital"  # 国有资本经营预算支出表
    TRANSFERS = "transfers"  # 上级专项转移支付支出表
    PROCUREMENT = "procurement"  # 政府采购预算表
    THREE_PUBLIC = "three_public"  # “三公”经费支出表
    PERFORMANCE_PROJECTS = "performance_projects"  # 绩效管理项目情况表
    DEPARTMENT_TARGETS = "department_targets"  # 部门整体支出绩效目标表
    PROJECT_TARGETS = "project_targets"  # 项目支出绩效目标表 (one per project)
    OTHER = "other"  # a table no rule reads (机关运行经费表, 政府购买服务表 …)

    @property
    def label(self) -> str:
        """The table's usual name (财预〔2016〕143号 where it names one), for a table no template describes."""
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.SUMMARY: "部门收支总表", Role.INCOME: "部门收入总表", Role.EXPENDITURE: "部门支出总表",
    Role.BASIC_EXPENDITURE: "基本支出预算表", Role.PROJECTS: "项目支出预算表", Role.FISCAL_SUMMARY: "财政拨款收支总表",
    Role.GENERAL_BUDGET_EXPENDITURE: "一般公共预算支出表", Role.GENERAL_BUDGET_BASIC: "一般公共预算基本支出表",
    Role.GOV_FUND: "政府性基金预算支出表", Role.STATE_CAPITAL: "国有资本经营预算支出表",
    Role.TRANSFERS: "上级专项转移支付支出表", Role.PROCUREMENT: "政府采购预算表",
    Role.THREE_PUBLIC: "一般公共预算“三公”经费支出表", Role.PERFORMANCE_PROJECTS: "绩效管理项目情况表",
    Role.DEPARTMENT_TARGETS: "部门整体支出绩效目标表", Role.PROJECT_TARGETS: "项目支出绩效目标表", Role.OTHER: "其他表",
}


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    kind: CellKind = CellKind.AMOUNT
    filter: dict[str, Any] | None = None  # line-item filter (amount columns over lines)
    income: str | None = None
    procurement: str | None = None  # all / sme / micro: a 政府采购 total


class MeasureKind(StrEnum):
    """What one side of a 收支总表 footer row states."""

    ALL = "all"  # income from every fund source
    NONE = "none"  # a printed label with no amount
    BLANK = "blank"  # nothing printed on this side
    TOTAL = "total"  # the spending total of the table
    THIS_YEAR = "this_year"  # the income of the table's `this_year` funds
    THIS_YEAR_AND_CARRYOVER = "this_year_and_carryover"
    FUNDS = "funds"  # income of one fund source or fund group, named by the word itself


@dataclass(frozen=True)
class Measure:
    """A footer measure word (``all``, ``none``, ``this_year``, ``carryover`` …), typed; ``word`` is
    kept as written because row keys are built from it (``income=this_year;exp=total``)."""

    word: str
    kind: MeasureKind

    @classmethod
    def parse(cls, word: str) -> Measure:
        try:
            kind = MeasureKind(word)
        except ValueError:
            kind = MeasureKind.FUNDS
        if kind is MeasureKind.FUNDS and not word:
            raise ValueError("空的合计行口径 (empty footer measure)")
        return cls(word, kind)

    @property
    def has_amount(self) -> bool:
        return self.kind not in (MeasureKind.NONE, MeasureKind.BLANK)


@dataclass(frozen=True)
class FooterSide:
    label: str
    measure: Measure


@dataclass(frozen=True)
class FooterRow:
    """One footer row of a 收支总表: income side, spending side, and whether it is a total row."""

    income: FooterSide
    expenditure: FooterSide
    total: bool = False

    @property
    def key(self) -> str:
        return f"income={self.income.measure.word};exp={self.expenditure.measure.word}"


@dataclass(frozen=True)
class IncomeItem:
    """One income line of a 收支总表 (``一、财政预算拨款``) and the funds it sums."""

    key: str
    label: str
    income: str
    level: int = 0


@dataclass(frozen=True)
class FormSpec:
    """The fields of a form table (绩效目标表) as printed: field key → labels, which hold amounts,
    group labels (read and dropped)."""

    fields: dict[str, tuple[str, ...]]
    amounts: frozenset[str]
    groups: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorWords:
    """Words of the indicator part of a form: headings, header cells, 一级/二级 levels."""

    headings: tuple[str, ...]
    header_cells: tuple[str, ...]
    level1: tuple[str, ...]
    level2: dict[str, str]  # 二级 label → its 一级
    text_rows: dict[str, str]  # 二级 label → row key
    target_starts: tuple[str, ...]
    # header cells of a value column printed before the year's (实施周期指标值 | 年度指标值): rows carry both
    period_headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    id: str
    number: str
    title: str
    builder: Builder
    role: Role | None = None  # what the table is (rules find tables by role); None: no rule reads it
    printed_title: str = ""
    aliases: tuple[str, ...] = ()  # other printed names of the table (the importer matches them)
    unit: str = ""  # display unit; the template's amount_unit when empty
    columns: tuple[ColumnSpec, ...] = ()
    header: tuple[tuple[HeaderSpec, ...], ...] = ()  # printed header rows
    lines: dict[str, Any] = field(default_factory=dict)  # line-item filter of the whole table
    layout: str = "grid"
    landscape: bool = False
    empty_note: str = ""
    source: str = "lines"  # unit_rows: the row's sources are line items or income
    income: tuple[IncomeItem, ...] = ()  # two_sided: income lines
    this_year: tuple[str, ...] = ()  # two_sided: the funds of 本年收入
    footer: tuple[FooterRow, ...] = ()  # two_sided: footer rows
    form: FormSpec | None = None  # layout form: the printed fields
    indicators: IndicatorWords | None = None  # layout form: the indicator part's words
    options: dict[str, Any] = field(default_factory=dict)  # settings only one builder reads

    def header_cells(self, year: int) -> list[list[HeaderCell]]:
        return layout_header(self.header, year)

    def column(self, key: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.key == key), None)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the table goes by: title, printed title, aliases."""
        return tuple(n for n in (self.title, self.printed_title, *self.aliases) if n)


@dataclass(frozen=True)
class NarrativePart:
    number: int
    title: str


@dataclass(frozen=True)
class RuleSpec:
    """The template's ``rules:`` section: which rules apply, severities, tolerances, thresholds and
    the options individual rules read (``row_sums``, ``title_aliases`` …)."""

    disabled: frozenset[str] = frozenset()
    severity: dict[str, str] = field(default_factory=dict)  # rule id → error / warning / note
    half_step: Decimal = Decimal("0.005")  # 万元: how far one rounded figure may be from its exact value
    thresholds: dict[str, Decimal] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Vocabulary:
    """Shared data (``deptbudget/templates/_shared.yaml`` or the file a template names): the columns
    of two-sided and form tables, the printed labels of forms, indicator words."""

    two_sided_columns: tuple[ColumnSpec, ...]
    form_columns: dict[str, tuple[ColumnSpec, ...]]  # builder → columns
    forms: dict[str, FormSpec]  # builder → fields
    indicators: IndicatorWords


@dataclass(frozen=True)
class Required:
    """What a locality must publish (the template's ``required:``): table roles and narrative part numbers.
    A table or part not listed is not "missing" where it is absent."""

    tables: tuple[Role, ...] = ()
    parts: tuple[int, ...] = ()


TAIL_NOTE = "注：本表金额由元折算为万元后逐项四舍五入，合计数与各分项之和的差额为尾差。"


@dataclass(frozen=True)
class Rounding:
    """The template's ``rounding:``: how 元 amounts are printed in the display unit.

    ``method`` ``correct`` prints every figure correctly rounded and puts ``tail_note`` under a table
    whose printed parts and total differ; ``largest_remainder`` shifts cents so that every table foots."""

    method: str = "correct"
    tail_note: str = TAIL_NOTE


@dataclass(frozen=True)
class Template:
    name: str
    label: str
    kind: str
    title: str
    amount_unit: str
    fund_groups: dict[str, tuple[str, ...]]
    tables: tuple[TableSpec, ...]
    narrative: dict[str, Any]
    parts: tuple[NarrativePart, ...] = ()
    rules: RuleSpec = RuleSpec()
    vocabulary: Vocabulary | None = None
    checklist: str = ""  # checklist-<name>.yaml for the reviewer
    extends: str = ""
    required: Required = Required()
    numbering: str = ""  # a regular expression every printed table number of the family matches (``表一``)
    rounding: Rounding = Rounding()
    narrative_apart: bool = False  # the locality publishes 说明 and 报表 as two files (北京: 附件1 and 附件2)

    def table(self, table_id: str) -> TableSpec:
        for spec in self.tables:
            if spec.id == table_id:
                return spec
        raise TemplateError(f"模板 {self.name} 中没有表 {table_id} (no such table)")

    def find_table(self, table_id: str) -> TableSpec | None:
        return next((spec for spec in self.tables if spec.id == table_id), None)

    def by_role(self, role: Role | str) -> TableSpec | None:
        """The template's first table of this role."""
        return next((spec for spec in self.tables if spec.role == role), None)

    @property
    def part_titles(self) -> dict[int, str]:
        return {part.number: part.title for part in self.parts}
