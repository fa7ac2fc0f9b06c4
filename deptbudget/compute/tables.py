"""Table builders: each turns a Budget into one table of the disclosure, as a template says.

A builder is named by a template's ``builder`` field; the template gives its columns (as
filters over line items), its header and its options. Every amount is a sum in the display
ledger, so every table foots and agrees with every other table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from deptbudget.catalog import Catalog
from deptbudget.compute.cells import amount_cell, code_cell, text_cell
from deptbudget.compute.ledger import ZERO_AMOUNT, Amount, Ledger, round_parts, single
from deptbudget.compute.rounding import RoundingMethod, allocate, naive_steps, steps_to_wan
from deptbudget.model.budget import Budget, ExpenditureKind, FundSource, Indicator, LineItem, Project
from deptbudget.model.disclosure import Cell, Column, Row, RowKind, Table
from deptbudget.template import (
    Builder,
    FooterRow,
    TableSpec,
    Template,
    fund_names,
    measure_funds,
    states_spending_total,
)

EVERY_FUND = frozenset(f.value for f in FundSource)


@dataclass
class BuildContext:
    budget: Budget
    template: Template
    catalog: Catalog
    ledger: Ledger

    def funds(self, spec: str | list[str] | tuple[str, ...]) -> frozenset[FundSource]:
        return frozenset(FundSource(name) for name in fund_names(self.template, spec))

    def select(self, lines: Iterable[LineItem], filt: dict[str, Any] | None) -> list[LineItem]:
        if not filt:
            return list(lines)
        out = list(lines)
        if "kind" in filt:
            kind = ExpenditureKind(filt["kind"])
            out = [line for line in out if line.kind is kind]
        if "fund" in filt:
            funds = self.funds(filt["fund"])
            out = [line for line in out if line.fund_source in funds]
        if "eco_prefix" in filt:
            raw = filt["eco_prefix"]
            prefixes = tuple(str(p) for p in (raw if isinstance(raw, list) else [raw]))
            out = [line for line in out if (line.dep_bgt_eco_code or "").startswith(prefixes)]
        if filt.get("superior_transfer"):
            transfers = {p.pro_code for p in self.budget.projects if p.superior_transfer}
            out = [line for line in out if line.pro_code in transfers]
        return out

    def table_lines(self, spec: TableSpec) -> list[LineItem]:
        return self.select(self.budget.lines, spec.lines)

    def func_name(self, code: str) -> str:
        return self.catalog.name("exp_func", code)

    def eco_name(self, code: str) -> str:
        return self.catalog.name("dep_bgt_eco", code)

    def new_table(self, spec: TableSpec, rows: list[Row], **extra: Any) -> Table:
        year = self.budget.fiscal_year
        columns = [Column(c.key, c.label.replace("{year}", str(year)), c.kind) for c in spec.columns]
        return Table(id=spec.id, number=spec.number, title=spec.title, columns=columns,
                     header=spec.header_cells(year), rows=rows, unit=spec.unit or self.template.amount_unit,
                     unit_name=self.budget.unit.name, layout=spec.layout, landscape=spec.landscape,
                     **extra)


def _amount_row(ctx: BuildContext, spec: TableSpec, key: str, lines: list[LineItem], labels: dict[str, Cell],
                kind: RowKind = RowKind.DATA, level: int = 0, parent: str | None = None,
                show_zero: bool = False) -> Row:
    """A row whose amount columns are sums of ``lines`` under each column's filter.

    Zeros are shown blank, as published tables do, except where ``show_zero`` (the total row of
    an empty table, which prints 0 to say the table is empty).
    """
    keys = {column.key for column in spec.columns}
    cells = {key: cell for key, cell in labels.items() if key in keys}
    blank_zero = not show_zero
    for column in spec.columns:
        if column.key in cells:
            continue
        if column.filter is not None:
            cells[column.key] = amount_cell(ctx.ledger.sum(ctx.select(lines, column.filter)), blank_zero)
        elif column.procurement is not None:
            cells[column.key] = amount_cell(_procurement_total(ctx, column.procurement), blank_zero)
        else:
            cells[column.key] = text_cell("")
    return Row(key=key, cells=cells, kind=kind, level=level, parent=parent)


def _procurement_total(ctx: BuildContext, which: str) -> Amount:
    items = ctx.budget.procurement
    if which == "sme":
        items = [i for i in items if i.for_sme]
    elif which == "micro":
        items = [i for i in items if i.for_micro]
    total = sum((i.amount for i in items), Decimal(0))
    return single(total, "procurement") if items else ZERO_AMOUNT


def _func_tree(ctx: BuildContext, lines: list[LineItem]) -> list[tuple[str, int, str | None, list[LineItem]]]:
    """(code, level, parent, lines) for every 类, 款 and 项 present, in code order."""
    nodes: dict[str, list[LineItem]] = {}
    for line in lines:
        for cut in (3, 5, 7):
            nodes.setdefault(line.exp_func_code[:cut], []).append(line)
    out = []
    for code in sorted(nodes):
        level = {3: 1, 5: 2, 7: 3}[len(code)]
        parent = None if level == 1 else code[: {2: 3, 3: 5}[level]]
        out.append((code, level, parent, nodes[code]))
    return out


def _eco_tree(lines: list[LineItem]) -> list[tuple[str, int, str | None, list[LineItem]]]:
    nodes: dict[str, list[LineItem]] = {}
    for line in lines:
        code = line.dep_bgt_eco_code or "399"
        nodes.setdefault(code[:3], []).append(line)
        if len(code) == 5:
            nodes.setdefault(code, []).append(line)
    return [(code, 1 if len(code) == 3 else 2, None if len(code) == 3 else code[:3], nodes[code])
            for code in sorted(nodes)]


# --- builders -----------------------------------------------------------------------------------


def build_func_tree(ctx: BuildContext, spec: TableSpec) -> list[Table]:
    lines = ctx.table_lines(spec)
    unit = ctx.budget.unit.name
    rows = [_amount_row(ctx, spec, "total", lines, {"unit": text_cell(unit), "code": code_cell(""),
                                                     "name": text_cell("")}, RowKind.TOTAL,
                        show_zero=not lines)]
    for code, level, parent, node_lines in _func_tree(ctx, lines):
        labels = {"unit": text_cell(""), "code": code_cell(code), "name": text_cell(ctx.func_name(code))}
        rows.append(_amount_row(ctx, spec, code, node_lines, labels, RowKind.DATA if level == 3 else
                                RowKind.SUBTOTAL, level, parent))
    return [ctx.new_table(spec, rows, empty=not lines, empty_note=spec.empty_note if not lines else "")]


def build_eco_tree(ctx: BuildContext, spec: TableSpec) -> list[Table]:
    lines = ctx.table_lines(spec)
    rows = [_amount_row(ctx, spec, "total", lines, {"code": code_cell(""), "name": text_cell(ctx.budget.unit.name)},
                        RowKind.TOTAL)]
    for code, level, parent, node_lines in _eco_tree(lines):
        labels = {"code": code_cell(code), "name": text_cell(ctx.eco_name(code))}
        rows.append(_amount_row(ctx, spec, code, node_lines, labels,
                                RowKind.SUBTOTAL if level == 1 else RowKind.DATA, level, parent))
    return [ctx.new_table(spec, rows, empty=not lines, empty_note=spec.empty_note if not lines else "")]


def _income_sources(ctx: BuildContext, funds: frozenset[FundSource]) -> tuple[str, ...]:
    return tuple(f"income.{f.value}" for f in FundSource if f in funds and ctx.budget.income.get(f))


def _income_amount(ctx: BuildContext, funds: frozenset[FundSource]) -> Amount:
    amount = ctx.ledger.sum(line for line in ctx.budget.lines if line.fund_source in funds)
    return Amount(amount.display, amount.exact, _income_sources(ctx, funds))


def build_unit_rows(ctx: BuildContext, spec: TableSpec) -> list[Table]:
    lines = ctx.table_lines(spec)
    row = _amount_row(ctx, spec, "unit", lines, {"unit": text_cell(ctx.budget.unit.name)}, RowKind.TOTAL)
    if spec.source == "income":
        for column in spec.columns:
            if column.filter is not None and column.key in row.cells:
                funds = ctx.funds(column.filter["fund"]) if "fund" in column.filter else frozenset(FundSource)
                row.cells[column.key].sources = _income_sources(ctx, funds)
    return [ctx.new_table(spec, [row])]


def _footer_row(ctx: BuildContext, spec: TableSpec, footer: FooterRow, lines: list[LineItem]) -> Row:
    funds = measure_funds(ctx.template, spec, footer.income.measure, EVERY_FUND)
    in_amount = _income_amount(ctx, frozenset(FundSource(f) for f in funds))
    cells = {"income_item": text_cell(footer.income.label),
             "income_amount": amount_cell(in_amount, blank_zero=not footer.total),
             "exp_item": text_cell(footer.expenditure.label)}
    if states_spending_total(footer.expenditure.measure):
        cells["exp_amount"] = amount_cell(ctx.ledger.sum(lines), blank_zero=False)
    else:
        cells["exp_amount"] = text_cell("")
    return Row(key=footer.key, cells=cells, kind=RowKind.TOTAL if footer.total else RowKind.DATA)


def build_two_sided(ctx: BuildContext, spec: TableSpec) -> list[Table]:
    """收支总表: income items on the left, the functional tree of spending on the right."""
    lines = ctx.table_lines(spec)
    left: list[tuple[str, Cell, Cell, int]] = []
    for item in spec.income:
        amount = _income_amount(ctx, ctx.funds(item.income))
        left.append((item.key, text_cell(item.label), amount_cell(amount), item.level))
    right: list[tuple[str, Cell, Cell, int]] = []
    for code, level, _parent, node_lines in _func_tree(ctx, lines):
        right.append((code, text_cell(ctx.func_name(code)), amount_cell(ctx.ledger.sum(node_lines)), level))
    rows: list[Row] = []
    blank = ("", text_cell(""), text_cell(""), 0)
    for index in range(max(len(left), len(right))):
        lk, ll, la, _ = left[index] if index < len(left) else blank
        rk, rl, ra, rlevel = right[index] if index < len(right) else blank
        cells = {"income_item": ll, "income_amount": la, "exp_item": rl, "exp_amount": ra}
        rows.append(Row(key=f"income={lk};exp={rk}", cells=cells, level=rlevel))
    rows.extend(_footer_row(ctx, spec, footer, lines) for footer in spec.footer)
    return [ctx.new_table(spec, rows)]


def build_project_lines(ctx: BuildContext, spec: TableSpec) -> list[Table]:
    """项目支出 by project and functional 项 (表5, 表10)."""
    lines = ctx.table_lines(spec)
    has_project_column = spec.columns and any(c.key == "project" for c in spec.columns)
    unit = ctx.budget.unit.name
    rows = [_amount_row(ctx, spec, "total", lines, {"name": text_cell(unit), "code": code_cell(""),
                                                     "func_name": text_cell(""), "project": text_cell("")},
                        RowKind.TOTAL, show_zero=not lines)]
    for project in ctx.budget.projects:
        own = [line for line in lines if line.pro_code == project.pro_code]
        for func in sorted({line.exp_func_code for line in own}):
            func_lines = [line for line in own if line.exp_func_code == func]
            name = text_cell(project.pro_name, project.ref.path)
            labels = {"code": code_cell(func), "func_name": text_cell(ctx.func_name(func))}
            if has_project_column:
                labels |= {"name": text_cell(""), "project": name}
            else:
                labels["name"] = name
            rows.append(_amount_row(ctx, spec, f"{project.pro_code}:{func}", func_lines, labels, level=1))
    return [ctx.new_table(spec, rows, empty=not lines, empty_note=spec.empty_note if not lines else "")]


def build_procurement(ctx: BuildContext, spec: TableSpec) -> list[Table]:
    rows = []
    for item in ctx.budget.procurement:
        src = item.ref.path
        cells = {
            "name": text_cell(item.name, f"{src}.name"),
            "category": text_cell(item.category, f"{src}.category"),
            "service_years": text_cell("" if item.service_years is None else str(item.service_years)),
            "amount": amount_cell(single(item.amount, f"{src}.amount"), blank_zero=False),
            "annual_amount": amount_cell(single(item.annual_amount, f"{src}.annual_amount"), blank_zero=False),
            "demand_time": text_cell(item.demand_time),
            "note": text_cell(item.note),
        }
        rows.append(Row(key=item.pro_code or item.name, cells=cells))
    empty = not rows
    return [ctx.new_table(spec, rows, empty=empty, empty_note=spec.empty_note if empty else "")]


def _three_public_amounts(values: Any, source: str, method: RoundingMethod) -> dict[str, Amount]:
    top = round_parts(("total", values.total), [("overseas", values.overseas), ("reception", values.reception),
                                                 ("vehicles", values.vehicles)], source, method)
    vehicle_parts = [("vehicle_purchase", values.vehicle_purchase), ("vehicle_operation", values.vehicle_operation)]
    if method is RoundingMethod.CORRECT:
        shares = {key: naive_steps(yuan) for key, yuan in vehicle_parts}
    else:
        shares = allocate(int(top["vehicles"].display * 100), vehicle_parts)
    for key in ("vehicle_purchase", "vehicle_operation"):
        exact = getattr(values, key) / 10000
        top[key] = Amount(steps_to_wan(shares[key]), exact, (f"{source}.{key}",))
    return top


def three_public_amounts(budget: Budget,
                         method: RoundingMethod = RoundingMethod.CORRECT) -> dict[str, dict[str, Amount]]:
    """Displayed 三公 figures by year ("this", "last"): each correctly rounded, or footing to its total."""
    out = {"this": _three_public_amounts(budget.three_public, "three_public", method)}
    if budget.last_year is not None:
        out["last"] = _three_public_amounts(budget.last_year.three_public, "last_year.three_public", method)
    return out


def build_three_public(ctx: BuildContext, spec: TableSpec) -> list[Table]:
    amounts = three_public_amounts(ctx.budget, ctx.ledger.method)
    rows = []
    years = [("last", ctx.budget.fiscal_year - 1), ("this", ctx.budget.fiscal_year)]
    for which, year in years:
        if which not in amounts:
            continue
        cells: dict[str, Cell] = {"unit": text_cell(ctx.budget.unit.name), "year": text_cell(str(year))}
        for key, amount in amounts[which].items():
            cells[key] = amount_cell(amount)
        rows.append(Row(key=str(year), cells=cells))
    return [ctx.new_table(spec, rows)]


def _period(project: Project) -> str:
    if project.start is None or project.end is None:
        return ""
    return f"{project.start:%Y.%m.%d}-{project.end:%Y.%m.%d}"


def display_name(project: Project) -> str:
    return f"{project.pro_name}（新增）" if project.is_new else project.pro_name


def build_performance_projects(ctx: BuildContext, spec: TableSpec) -> list[Table]:
    rows = []
    for project in ctx.budget.projects:
        if not project.performance_managed:
            continue
        labels = {"unit": text_cell(ctx.budget.unit.name),
                  "name": text_cell(display_name(project), project.ref.path),
                  "period": text_cell(_period(project), f"{project.ref.path}.period")}
        rows.append(_amount_row(ctx, spec, project.pro_code, project.lines, labels))
    return [ctx.new_table(spec, rows, empty=not rows)]


def _form_rows(spec: TableSpec, values: dict[str, Cell]) -> dict[str, Row]:
    """Field rows of a form, labelled as the template's form prints them (a field's first label)."""
    fields = spec.form.fields if spec.form else {}
    return {key: Row(key=key, cells={"label": text_cell(fields[key][0] if key in fields else key), "value": value},
                     kind=RowKind.FIELD) for key, value in values.items()}


def _indicator_heading(spec: TableSpec) -> Row:
    label = spec.indicators.headings[0] if spec.indicators else "年度绩效指标"
    return Row(key="indicators", cells={"label": text_cell(label)}, kind=RowKind.HEADING)


def _numbered(items: list[str], prefix: str) -> str:
    if len(items) == 1:
        return items[0]
    return "\n".join(f"{prefix}{index}：{item}" if prefix else f"{index}. {item}"
                     for index, item in enumerate(items, 1))


def _indicator_row(key: str, level1: str, level2: str, name: str, target: str, *sources: str) -> Row:
    cells = {"level1": text_cell(level1), "level2": text_cell(level2),
             "name": text_cell(name, *sources), "target": text_cell(target, *sources)}
    return Row(key=key, cells=cells)


def build_department_targets(ctx: BuildContext, spec: TableSpec) -> list[Table]:
    budget = ctx.budget
    unit = budget.unit
    total = ctx.ledger.sum(budget.lines)
    basic = ctx.ledger.sum(budget.basic_lines)
    project = ctx.ledger.sum(budget.project_lines)
    fields = _form_rows(spec, {
        "unit": text_cell(unit.name, "unit.name"),
        "head": text_cell(unit.head or "", "unit.head"),
        "preparer": text_cell(unit.preparer or "", "unit.preparer"),
        "phone": text_cell(unit.phone or "", "unit.phone"),
        "total": amount_cell(total, blank_zero=False),
        "basic": amount_cell(basic, blank_zero=False),
        "project": amount_cell(project, blank_zero=False),
        "other": amount_cell(ZERO_AMOUNT, blank_zero=False),
        "functions": text_cell(_numbered(unit.functions_detail, ""), "unit.functions_detail"),
        "goals": text_cell(_numbered(budget.department_targets.goals, ""), "department_targets.goals"),
        "other_notes": text_cell(budget.department_targets.other_notes),
    })
    other_notes = fields.pop("other_notes")
    rows = [*fields.values(), _indicator_heading(spec)]
    for index, ind in enumerate(budget.department_targets.indicators):
        level1 = f"（{ind.group}）" if ind.group else ind.level1
        source = f"department_targets.indicators[{index}]"
        rows.append(_indicator_row(f"indicator[{index}]", level1, ind.level2, ind.name, ind.target, source))
    rows.append(other_notes)
    return [ctx.new_table(spec, rows, subtitle=f"（{budget.fiscal_year}年度）")]


def _project_indicator_rows(project: Project, skeleton: list[Any]) -> list[Row]:
    rows = [_indicator_row("calculation", "投入指标", "测算明细", project.calculation.text, "",
                           f"{project.ref.path}.calculation")]
    used: set[int] = set()

    def matching(level1: str, level2: str) -> list[tuple[int, Indicator]]:
        return [(i, ind) for i, ind in enumerate(project.indicators)
                if ind.level1 == level1 and ind.level2 == level2]

    for level1, level2s in skeleton:
        for level2 in level2s:
            found = matching(level1, level2)
            for index, ind in found:
                used.add(index)
                rows.append(_indicator_row(f"indicator[{index}]", level1, level2, ind.name, ind.target,
                                           f"{project.ref.path}.indicators[{index}]"))
            if not found:
                rows.append(_indicator_row(f"{level1}/{level2}", level1, level2, "", ""))
        if level1 == "产出指标":
            rows.append(_indicator_row("timeliness", level1, "工作时效", project.timeliness, "",
                                       f"{project.ref.path}.timeliness"))
    for index, ind in enumerate(project.indicators):
        if index not in used:
            rows.append(_indicator_row(f"indicator[{index}]", ind.level1, ind.level2, ind.name, ind.target,
                                       f"{project.ref.path}.indicators[{index}]"))
    return rows


def build_project_targets(ctx: BuildContext, spec: TableSpec) -> list[Table]:
    projects = [p for p in ctx.budget.projects if p.performance_managed]
    if spec.options.get("order") == "amount_desc":
        projects = sorted(projects, key=lambda p: -p.amount)  # stable: source order breaks ties
    fiscal = ctx.funds("fiscal")
    tables = []
    for project in projects:
        src = project.ref.path
        total = ctx.ledger.sum(project.lines)
        fiscal_amount = ctx.ledger.sum(line for line in project.lines if line.fund_source in fiscal)
        other = ctx.ledger.sum(line for line in project.lines if line.fund_source not in fiscal)
        fields = _form_rows(spec, {
            "pro_name": text_cell(display_name(project), src),
            "unit": text_cell(ctx.budget.unit.name, "unit.name"),
            "total": amount_cell(total, blank_zero=False),
            "fiscal": amount_cell(fiscal_amount, blank_zero=False),
            "other": amount_cell(other, blank_zero=False),
            "contact": text_cell(project.contact or "", f"{src}.contact"),
            "phone": text_cell(project.phone or "", f"{src}.phone"),
            "goals": text_cell(_numbered(project.goals, "目标"), f"{src}.goals"),
        })
        rows = [*fields.values(), _indicator_heading(spec),
                *_project_indicator_rows(project, spec.options.get("skeleton", []))]
        tables.append(ctx.new_table(spec, rows, instance=project.pro_code,
                                    subtitle=f"{ctx.budget.fiscal_year}年度"))
    return tables


BUILDERS: dict[Builder, Callable[[BuildContext, TableSpec], list[Table]]] = {
    Builder.TWO_SIDED: build_two_sided,
    Builder.UNIT_ROWS: build_unit_rows,
    Builder.ECO_TREE: build_eco_tree,
    Builder.FUNC_TREE: build_func_tree,
    Builder.PROJECT_LINES: build_project_lines,
    Builder.PROCUREMENT: build_procurement,
    Builder.THREE_PUBLIC: build_three_public,
    Builder.PERFORMANCE_PROJECTS: build_performance_projects,
    Builder.DEPARTMENT_TARGETS: build_department_targets,
    Builder.PROJECT_TARGETS: build_project_targets,
}
