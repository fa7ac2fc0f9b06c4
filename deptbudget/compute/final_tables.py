"""The tables of a final-accounts disclosure (部门决算), computed from ``FinalAccounts``.

Each table of the template is built by its role (收入支出决算总表 ``summary``, 收入决算表 ``income`` …) with the
template's columns: a column whose key the computation gives gets its figure, every other one is left out (the
行次 columns of a 总表, which print line numbers only). Every figure is a sum of actual lines, balances or the
三公 figures in 元, rounded half-up to 万元 on its own (the template's ``correct`` rounding; a table whose printed
parts then differ from their printed total gets the 尾差 note, ``compute/tail_notes.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from deptbudget.catalog import Catalog
from deptbudget.compute.cells import amount_cell, code_cell, text_cell
from deptbudget.compute.ledger import Amount
from deptbudget.model.budget import ExpenditureKind
from deptbudget.model.disclosure import Cell, Column, Row, RowKind, Table
from deptbudget.model.final_accounts import Phase, phase_key
from deptbudget.model.final_actuals import FISCAL_FUNDS, ZERO, ActualLine, FinalAccounts, FinalFund, OtherSpending
from deptbudget.model.money import wan, yuan_to_wan
from deptbudget.template import FooterRow, Role, TableSpec, Template, TemplateError

Values = dict[str, Decimal]  # column key → 元
TOTAL_LABEL = "合计"
_FUND_KEYS = frozenset(f.value for f in FinalFund)


def yuan_amount(yuan: Decimal, sources: Iterable[str] = ()) -> Amount:
    """A figure in 元 as displayed: 万元 rounded half-up, with its exact value and sources."""
    return Amount(wan(yuan), yuan_to_wan(yuan), tuple(sources))


@dataclass
class FinalContext:
    accounts: FinalAccounts
    template: Template
    catalog: Catalog

    def func_name(self, code: str) -> str:
        return self.catalog.name("exp_func", code)

    def eco_name(self, code: str) -> str:
        return self.catalog.name("dep_bgt_eco", code)

    def lines(self, funds: Iterable[FinalFund] | None = None, kind: ExpenditureKind | None = None) -> list[ActualLine]:
        allowed = None if funds is None else set(funds)
        return [line for line in self.accounts.lines if (allowed is None or line.fund in allowed)
                and (kind is None or line.kind is kind)]

    def table(self, spec: TableSpec, rows: list[Row], **extra: object) -> Table:
        year = self.accounts.fiscal_year
        columns = [Column(c.key, c.label.replace("{year}", str(year)), c.kind) for c in spec.columns]
        for row in rows:  # a column the computation has no figure for (a 总表's 行次) is printed blank
            for column in columns:
                row.cells.setdefault(column.key, text_cell(""))
        return Table(id=spec.id, number=spec.number, title=spec.title, columns=columns,
                     header=spec.header_cells(year) if spec.header else [], rows=rows,
                     unit=spec.unit or self.template.amount_unit, unit_name=self.accounts.unit.name,
                     layout=spec.layout, landscape=spec.landscape, **extra)  # type: ignore[arg-type]


def _actual(lines: Iterable[ActualLine]) -> Decimal:
    return sum((line.actual for line in lines), ZERO)


PHASES: dict[Phase, Callable[[ActualLine], Decimal]] = {
    Phase.INITIAL: lambda line: line.initial, Phase.ADJUSTED: lambda line: line.adjusted,
    Phase.ACTUAL: lambda line: line.actual}


def _phased(key: str, lines: Iterable[ActualLine]) -> Values:
    """A measure in its three phases — ``initial_<key>`` (年初预算数), ``adjusted_<key>`` (全年预算数), ``<key>``
    (决算数) — of which a table shows the columns its template lists (mof-final-9's spending tables: 决算数 only)."""
    lines = list(lines)
    return {phase_key(key, phase): sum((amount(line) for line in lines), ZERO) for phase, amount in PHASES.items()}


def _sources(lines: Iterable[ActualLine]) -> tuple[str, ...]:
    return tuple(line.ref.path for line in lines)


def _row(spec: TableSpec, key: str, labels: dict[str, Cell], values: Values, sources: tuple[str, ...] = (),
         kind: RowKind = RowKind.DATA, level: int = 0, parent: str | None = None) -> Row:
    """A row with the template's columns: labels where given, amounts where computed (zero shown blank except in
    a total row)."""
    cells: dict[str, Cell] = {}
    for column in spec.columns:
        if column.key in labels:
            cells[column.key] = labels[column.key]
        elif column.key in values:
            cells[column.key] = amount_cell(yuan_amount(values[column.key], sources),
                                            blank_zero=kind is not RowKind.TOTAL)
    return Row(key=key, cells=cells, kind=kind, level=level, parent=parent)


def func_nodes(codes: Iterable[str]) -> list[tuple[str, int, str | None]]:
    """(code, level, parent) of every 类, 款 and 项 above the given 项 codes, in code order."""
    nodes = {code[:cut] for code in codes for cut in (3, 5, 7)}
    return [(code, {3: 1, 5: 2, 7: 3}[len(code)], None if len(code) == 3 else code[:len(code) - 2])
            for code in sorted(nodes)]


def _tree_rows(ctx: FinalContext, spec: TableSpec, codes: Iterable[str], values: Callable[[str], Values],
               sources: Callable[[str], tuple[str, ...]]) -> list[Row]:
    rows = [_row(spec, "total", {"code": code_cell(""), "name": text_cell(TOTAL_LABEL)}, values(""), sources(""),
                 RowKind.TOTAL)]
    for code, level, parent in func_nodes(codes):
        rows.append(_row(spec, code, {"code": code_cell(code), "name": text_cell(ctx.func_name(code))},
                         values(code), sources(code), RowKind.DATA if level == 3 else RowKind.SUBTOTAL, level, parent))
    return rows


def _spending(lines: list[ActualLine]) -> Callable[[str], Values]:
    def values(prefix: str) -> Values:
        own = [line for line in lines if line.func.startswith(prefix)]
        out = {**_phased("total", own),
               **_phased("basic", (x for x in own if x.kind is ExpenditureKind.BASIC)),
               **_phased("project", (x for x in own if x.kind is ExpenditureKind.PROJECT))}
        for kind in OtherSpending:  # 上缴上级支出, 经营支出, 对附属单位补助支出 (0 where the source gives none)
            out.update(_phased(kind.value, (x for x in own if x.kind is kind)))
        return out

    return values


def _line_sources(lines: list[ActualLine]) -> Callable[[str], tuple[str, ...]]:
    return lambda prefix: _sources(line for line in lines if line.func.startswith(prefix))


def _spending_tree(ctx: FinalContext, spec: TableSpec, funds: Iterable[FinalFund] | None) -> list[Table]:
    lines = ctx.lines(funds)
    rows = _tree_rows(ctx, spec, {line.func for line in lines}, _spending(lines), _line_sources(lines))
    return [ctx.table(spec, rows, empty=not lines, empty_note=spec.empty_note if not lines else "")]


def build_expenditure(ctx: FinalContext, spec: TableSpec) -> list[Table]:
    """支出决算表: every fund's spending by 功能分类, 基本支出 and 项目支出."""
    return _spending_tree(ctx, spec, None)


def build_general_budget_expenditure(ctx: FinalContext, spec: TableSpec) -> list[Table]:
    return _spending_tree(ctx, spec, [FinalFund.GENERAL_BUDGET])


def build_state_capital(ctx: FinalContext, spec: TableSpec) -> list[Table]:
    return _spending_tree(ctx, spec, [FinalFund.STATE_CAPITAL])


def build_income(ctx: FinalContext, spec: TableSpec) -> list[Table]:
    """收入决算表: 本年收入 by 功能分类 and fund (支出 + 年末结转和结余 − 年初结转和结余 of each)."""
    accounts = ctx.accounts
    codes = {line.func for line in accounts.lines} | {b.func for b in accounts.balances}

    def values(prefix: str) -> Values:
        by_fund = {fund: accounts.income_of(fund, prefix) for fund in FinalFund}
        out = {fund.value: amount for fund, amount in by_fund.items() if not fund.is_fiscal}
        out["fiscal"] = sum((by_fund[f] for f in FISCAL_FUNDS), ZERO)
        out["total"] = sum(by_fund.values(), ZERO)
        return out

    codes = {code for code in codes if any(values(code).values())}
    return [ctx.table(spec, _tree_rows(ctx, spec, codes, values, _line_sources(list(accounts.lines))))]


def build_gov_fund(ctx: FinalContext, spec: TableSpec) -> list[Table]:
    """政府性基金预算财政拨款收入支出决算表: 年初结转和结余, 本年收入, 本年支出, 年末结转和结余 by 功能分类."""
    accounts = ctx.accounts
    fund = FinalFund.GOV_FUND
    lines = ctx.lines([fund])
    balances = [b for b in accounts.balances if b.fund is fund]
    spending = _spending(lines)

    def values(prefix: str) -> Values:
        own = [b for b in balances if b.func.startswith(prefix)]
        return {**spending(prefix), "carryover": sum((b.start for b in own), ZERO),
                "income": accounts.income_of(fund, prefix), "year_end_balance": sum((b.end for b in own), ZERO)}

    codes = {line.func for line in lines} | {b.func for b in balances if b.start or b.end}
    empty = not codes
    rows = _tree_rows(ctx, spec, codes, values, _line_sources(lines))
    return [ctx.table(spec, rows, empty=empty, empty_note=spec.empty_note if empty else "")]


def build_general_budget_basic(ctx: FinalContext, spec: TableSpec) -> list[Table]:
    """一般公共预算财政拨款基本支出决算表: by 经济分类 类 and 款."""
    lines = ctx.lines([FinalFund.GENERAL_BUDGET], ExpenditureKind.BASIC)
    groups: dict[str, list[ActualLine]] = {}
    for line in lines:
        eco = line.eco or "399"
        groups.setdefault(eco[:3], []).append(line)
        if len(eco) == 5:
            groups.setdefault(eco, []).append(line)
    rows = [_row(spec, "total", {"code": code_cell(""), "name": text_cell(TOTAL_LABEL)}, _phased("total", lines),
                 _sources(lines), RowKind.TOTAL)]
    for code in sorted(groups):
        level = 1 if len(code) == 3 else 2
        rows.append(_row(spec, code, {"code": code_cell(code), "name": text_cell(ctx.eco_name(code))},
                         _phased("total", groups[code]), _sources(groups[code]),
                         RowKind.SUBTOTAL if level == 1 else RowKind.DATA, level, None if level == 1 else code[:3]))
    return [ctx.table(spec, rows, empty=not lines, empty_note=spec.empty_note if not lines else "")]


THREE_PUBLIC_KEYS = ("total", "overseas", "vehicles", "vehicle_purchase", "vehicle_operation", "reception")


def build_three_public(ctx: FinalContext, spec: TableSpec) -> list[Table]:
    """“三公”经费支出决算表: 全年预算数 and 决算数 of each item (and 年初预算数 where the template prints it)."""
    tp = ctx.accounts.three_public
    values: Values = {}
    sources: dict[str, tuple[str, ...]] = {}
    for key in THREE_PUBLIC_KEYS:
        for phase, figures, where in ((Phase.INITIAL, tp.initial, "budget.three_public"),
                                      (Phase.ADJUSTED, tp.adjusted, "three_public.adjusted"),
                                      (Phase.ACTUAL, tp.actual, "three_public.actual")):
            values[phase_key(key, phase)] = getattr(figures, key)
            sources[phase_key(key, phase)] = (f"{where}.{key}",)
    cells: dict[str, Cell] = {}
    for column in spec.columns:
        if column.key in values:
            cells[column.key] = amount_cell(yuan_amount(values[column.key], sources[column.key]), blank_zero=False)
    row = Row(key=str(ctx.accounts.fiscal_year), cells=cells)
    return [ctx.table(spec, [row])]


def _footer_income(ctx: FinalContext, spec: TableSpec, word: str, funds: list[FinalFund]) -> Decimal | None:
    accounts = ctx.accounts
    this_year = sum((accounts.income_of(FinalFund(f)) for f in spec.this_year if f in _FUND_KEYS), ZERO)
    start = sum((accounts.balance_start(f) for f in funds), ZERO)
    used = sum((accounts.used_surplus(f) for f in funds), ZERO)
    known = {"this_year": this_year, "carryover": start, "career_fund": used,
             "this_year_and_carryover": this_year + used + start}
    return known.get(word)


def _footer_spending(ctx: FinalContext, word: str, funds: list[FinalFund]) -> Decimal | None:
    accounts = ctx.accounts
    spent = sum((accounts.spent(f) for f in funds), ZERO)
    end = sum((accounts.balance_end(f) for f in funds), ZERO)
    distributed = sum((accounts.distribution(f) for f in funds), ZERO)
    known = {"total": spent, "year_end_balance": end, "surplus_distribution": distributed,
             "expenditure_total": spent + distributed + end}
    return known.get(word)


def _footer_row(ctx: FinalContext, spec: TableSpec, footer: FooterRow, funds: list[FinalFund],
                fund_columns: dict[str, FinalFund]) -> Row:
    income = _footer_income(ctx, spec, footer.income.measure.word, funds)
    if income is None:
        raise TemplateError(f"表 {spec.id} 的合计行口径 {footer.income.measure.word!r} 不能由决算源文件计算")
    show_zero = footer.total
    cells: dict[str, Cell] = {"income_item": text_cell(footer.income.label),
                              "income_amount": amount_cell(yuan_amount(income), blank_zero=not show_zero),
                              "exp_item": text_cell(footer.expenditure.label)}
    word = footer.expenditure.measure.word
    spent = _footer_spending(ctx, word, funds)
    if spent is None:
        raise TemplateError(f"表 {spec.id} 的合计行口径 {word!r} 不能由决算源文件计算")
    cells["exp_amount"] = amount_cell(yuan_amount(spent), blank_zero=not show_zero)
    for key, fund in fund_columns.items():
        cells[key] = amount_cell(yuan_amount(_footer_spending(ctx, word, [fund]) or ZERO), blank_zero=not show_zero)
    return Row(key=footer.key, cells=cells, kind=RowKind.TOTAL if footer.total else RowKind.DATA)


def _two_sided(ctx: FinalContext, spec: TableSpec, funds: list[FinalFund]) -> list[Table]:
    """A 收入支出决算总表: income items on the left, spending by 功能分类 on the right, then the footers."""
    keys = {c.key for c in spec.columns}
    fund_columns = {f"exp_{fund.value}": fund for fund in funds if f"exp_{fund.value}" in keys}
    lines = ctx.lines(funds)
    left = []
    for item in spec.income:
        fund = FinalFund(item.income)
        left.append((item.key, text_cell(item.label), amount_cell(yuan_amount(ctx.accounts.income_of(fund)))))
    right = []
    for code, level, _parent in func_nodes({line.func for line in lines}):
        own = [line for line in lines if line.func.startswith(code)]
        cells = {"exp_item": text_cell(ctx.func_name(code)), "exp_amount": amount_cell(yuan_amount(_actual(own),
                                                                                                   _sources(own)))}
        for key, fund in fund_columns.items():
            mine = [line for line in own if line.fund is fund]
            cells[key] = amount_cell(yuan_amount(_actual(mine), _sources(mine)))
        right.append((code, level, cells))
    rows = []
    for index in range(max(len(left), len(right))):
        lk, label, amount = left[index] if index < len(left) else ("", text_cell(""), text_cell(""))
        rk, level, spend = right[index] if index < len(right) else ("", 0, {"exp_item": text_cell(""),
                                                                          "exp_amount": text_cell("")})
        rows.append(Row(key=f"income={lk};exp={rk}", cells={"income_item": label, "income_amount": amount, **spend},
                        level=level))
    rows.extend(_footer_row(ctx, spec, footer, funds, fund_columns) for footer in spec.footer)
    if {INCOME_LINE, EXP_LINE} <= keys:
        _number_lines(rows)
    return [ctx.table(spec, rows)]


INCOME_LINE, EXP_LINE = "income_line", "exp_line"


def _number_lines(rows: list[Row]) -> None:
    """行次 as the Ministry of Finance's 决算 总表 print them: every printed line of the income side numbered from 1
    (blank lines and footers too), the spending side's numbers continuing after the income side's last."""
    for index, row in enumerate(rows, start=1):
        row.cells[INCOME_LINE] = text_cell(str(index))
        row.cells[EXP_LINE] = text_cell(str(len(rows) + index))


def build_summary(ctx: FinalContext, spec: TableSpec) -> list[Table]:
    return _two_sided(ctx, spec, list(FinalFund))


def build_fiscal_summary(ctx: FinalContext, spec: TableSpec) -> list[Table]:
    return _two_sided(ctx, spec, [FinalFund(item.income) for item in spec.income])


FINAL_BUILDERS: dict[Role, Callable[[FinalContext, TableSpec], list[Table]]] = {
    Role.SUMMARY: build_summary,
    Role.INCOME: build_income,
    Role.EXPENDITURE: build_expenditure,
    Role.FISCAL_SUMMARY: build_fiscal_summary,
    Role.GENERAL_BUDGET_EXPENDITURE: build_general_budget_expenditure,
    Role.GENERAL_BUDGET_BASIC: build_general_budget_basic,
    Role.THREE_PUBLIC: build_three_public,
    Role.GOV_FUND: build_gov_fund,
    Role.STATE_CAPITAL: build_state_capital,
}
