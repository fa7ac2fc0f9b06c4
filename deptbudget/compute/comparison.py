"""Budget against final accounts (预算 vs 决算) of one department and year: per 功能分类 项 and per 三公 item,
the budget (年初预算数), the adjusted budget (全年预算数), the actual (决算数), 执行率, the difference and its
stated reason.

Both sides are read from disclosures — computed from sources or imported from published documents — so that the
comparison works on anyone's documents: the budget's spending by 项 from its table of spending by 功能分类
(支出总表 where it is by 功能分类, else its 一般公共预算支出表), its 三公 from its 三公 table; the 决算's 决算数 by 项
from its 支出决算表, and 全年预算数 where a table prints them (``adjusted_*`` columns). A final-accounts *source*
adds what a central-layout document does not print: each 项's 全年预算数 and the reasons it states. Every figure
is the displayed 万元 figure of a table and keeps the table cell's provenance; 执行率 and differences are computed
from them (``PhaseAmounts``), and each total row is the sum of the rows above it, so the comparison foots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from deptbudget.model.disclosure import Cell, Disclosure, Row, Table
from deptbudget.model.final_accounts import Phase, PhaseAmounts, phase_key
from deptbudget.model.final_actuals import FinalAccounts
from deptbudget.model.money import wan
from deptbudget.template import Role, load_template

ZERO = Decimal(0)
_FUNCTION_ROLES = (Role.EXPENDITURE, Role.GENERAL_BUDGET_EXPENDITURE)
THREE_PUBLIC_ITEMS = (("total", "“三公”经费合计"), ("overseas", "因公出国（境）费"),
                      ("vehicles", "公务用车购置及运行维护费"), ("vehicle_purchase", "其中：公务用车购置费"),
                      ("vehicle_operation", "其中：公务用车运行维护费"), ("reception", "公务接待费"))


class ComparisonError(ValueError):
    """A document that lacks what the comparison needs (no table of spending by 功能分类)."""


@dataclass(frozen=True)
class Figure:
    """One figure of the comparison (万元 as displayed) and where it comes from."""

    value: Decimal
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComparisonRow:
    key: str  # a 功能分类 项 code, a 三公 item, or "total"
    label: str
    initial: Figure | None = None  # 年初预算数
    adjusted: Figure | None = None  # 全年预算数 (where known)
    actual: Figure | None = None  # 决算数
    reason: str = ""
    is_total: bool = False

    @property
    def phases(self) -> PhaseAmounts:
        return PhaseAmounts(*(None if f is None else f.value for f in (self.initial, self.adjusted, self.actual)))

    @property
    def execution_rate(self) -> Decimal | None:
        return self.phases.execution_rate

    @property
    def difference(self) -> Decimal | None:
        return self.phases.difference


@dataclass(frozen=True)
class Comparison:
    unit_name: str
    fiscal_year: int
    budget_title: str
    final_title: str
    functions: tuple[ComparisonRow, ...]  # every 项, then the total
    three_public: tuple[ComparisonRow, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


# --- reading the sides ---------------------------------------------------------------------------


def _table_of_role(disclosure: Disclosure, role: Role) -> Table | None:
    try:
        spec = load_template(disclosure.template).by_role(role)
    except Exception:  # an imported document of an unknown template: roles by title are not needed here
        spec = None
    return disclosure.table(spec.id) if spec is not None else None


def _code(row: Row) -> str | None:
    cell = row.cells.get("code")
    code = (cell.text if cell is not None else "") or row.key
    code = code.replace(" ", "")
    return code if code.isdigit() and len(code) == 7 else None


def _figure(cell: Cell | None) -> Figure | None:
    if cell is None or cell.value is None:
        return None if cell is None or cell.text.strip() else Figure(ZERO, cell.sources if cell else ())
    return Figure(cell.value, cell.sources)


def printed_total(disclosure: Disclosure) -> Decimal | None:
    """The total the table of spending by 功能分类 prints (its 合计 row)."""
    for role in _FUNCTION_ROLES:
        table = _table_of_role(disclosure, role)
        total = table.row("total") if table is not None else None
        if total is not None and "total" in total.cells and total.cells["total"].value is not None:
            return total.cells["total"].value
    return None


def spending_by_function(disclosure: Disclosure) -> tuple[str, dict[str, tuple[str, Figure]]]:
    """(table title, {项 code: (name, total spending)}) from the first table of spending by 功能分类 项."""
    for role in _FUNCTION_ROLES:
        table = _table_of_role(disclosure, role)
        if table is None or not any(c.key == "total" for c in table.columns):
            continue
        out = {}
        for row in table.rows:
            code = _code(row)
            figure = _figure(row.cells.get("total"))
            if code is not None and figure is not None:
                name = row.cells["name"].text if "name" in row.cells else code
                out[code] = (name, figure)
        if out or table.empty:
            return table.title, out
    raise ComparisonError(f"{disclosure.title}：没有按功能分类列示的支出表 (no table of spending by function)")


def _adjusted_by_function(disclosure: Disclosure) -> dict[str, Figure]:
    """全年预算数 by 项 where the 决算's spending table prints them (an ``adjusted_total`` column)."""
    key = phase_key("total", Phase.ADJUSTED)
    for role in _FUNCTION_ROLES:
        table = _table_of_role(disclosure, role)
        if table is not None and any(c.key == key for c in table.columns):
            return {code: f for row in table.rows if (code := _code(row)) and (f := _figure(row.cells.get(key)))}
    return {}


_REASON = re.compile(r"(?:差异|原因)[^：:]{0,12}(?:原因|是)[：:]\s*(.+)$")


def _stated_reasons(disclosure: Disclosure, names: dict[str, str]) -> dict[str, str]:
    """The reasons a 决算's narrative states per 项 (“…行政运行（项）。…主要原因是：…”)."""
    out: dict[str, str] = {}
    paragraphs = [p for part in disclosure.parts for s in part.sections for p in s.paragraphs]
    for code, name in names.items():
        for paragraph in paragraphs:
            if f"{name}（项）" in paragraph and (match := _REASON.search(paragraph)):
                out[code] = match.group(1).strip()
                break
    return out


def _three_public_row(table: Table | None, year: int) -> Row | None:
    if table is None or not table.rows:
        return None
    for row in table.rows:
        if row.key == str(year) or ("year" in row.cells and row.cells["year"].text.strip() == str(year)):
            return row
    return table.rows[-1]


# --- the comparison ------------------------------------------------------------------------------


def _total(key: str, label: str, rows: list[ComparisonRow]) -> ComparisonRow:
    def add(attr: str) -> Figure | None:
        figures = [getattr(r, attr) for r in rows if getattr(r, attr) is not None]
        if not figures:
            return None
        return Figure(sum((f.value for f in figures), ZERO), tuple(s for f in figures for s in f.sources))

    return ComparisonRow(key, label, add("initial"), add("adjusted"), add("actual"), is_total=True)


def _source_adjusted(accounts: FinalAccounts, code: str) -> Figure:
    lines = [x for x in accounts.lines if x.func == code]
    return Figure(wan(sum((x.adjusted for x in lines), ZERO)), tuple(x.ref.path for x in lines))


def compare(budget: Disclosure, final: Disclosure, accounts: FinalAccounts | None = None) -> Comparison:
    """Budget and final accounts of one department and year, side by side."""
    notes = []
    if budget.fiscal_year != final.fiscal_year:
        notes.append(f"预算年度 {budget.fiscal_year} 与决算年度 {final.fiscal_year} 不同 (the years differ)")
    budget_title, planned = spending_by_function(budget)
    final_title, spent = spending_by_function(final)
    notes.append(f"年初预算数取自预算的《{budget_title}》，决算数取自决算的《{final_title}》。")
    adjusted = _adjusted_by_function(final)
    names = {code: name for code, (name, _) in {**planned, **spent}.items()}
    reasons = dict(accounts.reasons) if accounts is not None else _stated_reasons(final, names)
    rows = []
    for code in sorted(names):
        zero = Figure(ZERO)
        adj = _source_adjusted(accounts, code) if accounts is not None and code in spent else adjusted.get(code)
        rows.append(ComparisonRow(code, names[code], planned[code][1] if code in planned else zero, adj,
                                  spent[code][1] if code in spent else zero, reasons.get(code, "")))
    if accounts is not None:
        closed = {code: wan(sum((x.initial for x in accounts.lines if x.func == code), ZERO)) for code in spent}
        differ = sorted(code for code, value in closed.items() if code in planned and planned[code][1].value != value)
        if differ:
            notes.append(f"所给预算与决算源文件所关闭的预算（{accounts.budget_path}）的年初预算数不同："
                         f"{'、'.join(differ)} (the budget given is not the one the final accounts close)")
    total = _total("total", "合计", rows)
    for side, doc, figure in (("预算", budget, total.initial), ("决算", final, total.actual)):
        printed = printed_total(doc)
        if printed is not None and figure is not None and printed != figure.value:
            notes.append(f"合计为各行之和 {figure.value:,.2f} 万元，{side}表印出的合计为 {printed:,.2f} 万元"
                         f"（各行分别四舍五入的尾差 {figure.value - printed:+.2f}）。")
    functions = (*rows, total)
    return Comparison(final.unit_name or budget.unit_name, final.fiscal_year, budget.title, final.title, functions,
                      _compare_three_public(budget, final, accounts), tuple(notes))


def _compare_three_public(budget: Disclosure, final: Disclosure,
                          accounts: FinalAccounts | None) -> tuple[ComparisonRow, ...]:
    planned = _three_public_row(_table_of_role(budget, Role.THREE_PUBLIC), budget.fiscal_year)
    done = _three_public_row(_table_of_role(final, Role.THREE_PUBLIC), final.fiscal_year)
    reasons = {}
    if accounts is not None:
        tp = accounts.three_public
        reasons = {"total": tp.overall_reason, "overseas": tp.reasons.overseas, "vehicles": tp.reasons.vehicles,
                   "reception": tp.reasons.reception}
    rows = []
    for key, label in THREE_PUBLIC_ITEMS:
        initial = _figure(planned.cells.get(key)) if planned is not None else None
        adjusted = _figure(done.cells.get(phase_key(key, Phase.ADJUSTED))) if done is not None else None
        actual = _figure(done.cells.get(key)) if done is not None else None
        rows.append(ComparisonRow(key, label, initial, adjusted, actual, reasons.get(key, ""),
                                  is_total=key == "total"))
    return tuple(rows)
