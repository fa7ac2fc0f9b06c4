"""Build a ``Budget`` from a located source tree (see ``deptbudget.sources.tree``).

Each field is read and checked on its own (kind, required, classification code in the year's
catalog); every problem is collected with its field path and line, so the author can fix them in
one pass. Checks across fields sit in ``deptbudget.sources.validate``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from deptbudget.catalog import Catalog, CatalogError, load_catalog
from deptbudget.model.budget import (
    Assets,
    Budget,
    CalcItem,
    Calculation,
    DepartmentTargets,
    ExpenditureKind,
    FundSource,
    Indicator,
    LastYear,
    LineItem,
    Narrative,
    ProcurementItem,
    Project,
    ProjectGroup,
    SourceRef,
    Staffing,
    ThreePublic,
    ThreePublicNotes,
    Unit,
    VehicleCounts,
    Vehicles,
)
from deptbudget.model.disclosure import Acknowledgement, Correction
from deptbudget.model.money import MoneyError, parse_source_amount
from deptbudget.model.targets import parse_target
from deptbudget.sources.errors import Problem
from deptbudget.sources.schema import DEFAULT_TEMPLATE, LINE_KEYS, PROJECT_KEYS, TOP_KEYS, UNIT_KEYS
from deptbudget.sources.tree import LocatedDict, LocatedList, SourceTree, line_of


def _kind(value: Any) -> str:
    return "键值映射 (a mapping)" if isinstance(value, dict) else "嵌套列表 (a nested list)"


# --- reading ------------------------------------------------------------------------------------

_MISSING = object()


class _Reader:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []
        self.catalog: Catalog | None = None

    def problem(self, place: str, message: str, line: int | None) -> None:
        self.problems.append(Problem(self.filename, place, message, line))

    line_of = staticmethod(line_of)

    def ref(self, place: str, line: int | None) -> SourceRef:
        return SourceRef(place, line, self.filename)

    def mapping(self, value: Any, place: str, line: int | None) -> dict:
        if value is None:
            return LocatedDict()
        if not isinstance(value, dict):
            self.problem(place, "应为键值映射 (expected a mapping)", line)
            return LocatedDict()
        return value

    def sequence(self, value: Any, place: str, line: int | None) -> list:
        if value is None:
            return LocatedList()
        if not isinstance(value, list):
            self.problem(place, "应为列表 (expected a list)", line)
            return LocatedList()
        return value

    def text(self, data: dict, key: str, place: str, required: bool = False, default: str = "") -> str:
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.problem(f"{place}.{key}", "缺少必填字段 (missing required field)", self.line_of(data))
            return default
        if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict | list) for v in value)):
            self.problem(f"{place}.{key}", f"应为文字 (expected text), 实为{_kind(value)}",
                         self.line_of(data, key))
            return default
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return str(value).strip()

    def texts(self, data: dict, key: str, place: str) -> list[str]:
        value = data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value.strip()]
        items = self.sequence(value, f"{place}.{key}", self.line_of(data, key))
        for index, item in enumerate(items):
            if isinstance(item, dict | list):
                self.problem(f"{place}.{key}[{index}]", f"应为文字 (expected text), 实为{_kind(item)}",
                             self.line_of(data, key))
        return [str(item).strip() for item in items if not isinstance(item, dict | list)]

    def integer(self, data: dict, key: str, place: str, default: int = 0) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem(f"{place}.{key}", f"应为非负整数 (expected a whole number ≥ 0): {value!r}",
                         self.line_of(data, key))
            return default
        return value

    def amount(self, data: dict, key: str, place: str, required: bool = True,
               default: Decimal | None = Decimal(0)) -> Decimal | None:
        value = data.get(key, _MISSING)
        line = self.line_of(data, key)
        if value is _MISSING or value is None:
            if required:
                self.problem(f"{place}.{key}", "缺少金额 (missing amount)", self.line_of(data))
            return default
        try:
            return parse_source_amount(value)
        except MoneyError as exc:
            self.problem(f"{place}.{key}", str(exc), line)
            return default

    def code(self, kind: str, value: Any, place: str, line: int | None, digits: int,
             required: bool = True) -> str | None:
        if value is None:
            if required:
                self.problem(place, "缺少科目编码 (missing classification code)", line)
            return None
        code = str(value).strip()
        if not code.isdigit() or len(code) != digits:
            self.problem(place, f"科目编码应为 {digits} 位数字 (code must have {digits} digits): {code}", line)
            return None
        if self.catalog is not None:
            entry = self.catalog.find(kind, code)
            if entry is None:
                self.problem(place, f"{self.catalog.fiscal_year} 年分类科目中没有编码 {code} "
                                    f"(unknown code in the {self.catalog.fiscal_year} catalog)", line)
                return None
        return code

    def fund(self, data: dict, place: str) -> FundSource:
        value = data.get("fund", FundSource.GENERAL_FUNDS.value)
        try:
            return FundSource(str(value))
        except ValueError:
            allowed = ", ".join(f.value for f in FundSource)
            self.problem(f"{place}.fund", f"未知资金来源 (unknown fund source) {value!r}; 可选: {allowed}",
                         self.line_of(data, "fund"))
            return FundSource.GENERAL_FUNDS

    def date(self, value: Any, place: str, line: int | None) -> date | None:
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.problem(place, f"日期格式应为 YYYY-MM-DD (bad date): {value!r}", line)
            return None

    def known(self, data: dict, allowed: frozenset[str], place: str) -> None:
        """A key the schema does not know is a problem: a misspelt section must not vanish silently."""
        for key in data:
            if key not in allowed:
                where = f"{place}.{key}" if place else str(key)
                self.problem(where, f"未知字段 (unknown field)；可用 (allowed): {', '.join(sorted(allowed))}",
                             self.line_of(data, key))

    def each(self, data: dict, key: str, read: Callable[[dict, str, int | None], Any]) -> list[Any]:
        items = self.sequence(data.get(key), key, self.line_of(data, key))
        out = []
        for index, item in enumerate(items):
            place = f"{key}[{index}]"
            line = self.line_of(items, index)
            if not isinstance(item, dict):
                self.problem(place, "应为键值映射 (expected a mapping)", line)
                continue
            result = read(item, place, line)
            if result is not None:
                out.append(result)
        return out


def _read_unit(r: _Reader, data: dict) -> Unit:
    staffing = r.mapping(data.get("staffing"), "unit.staffing", r.line_of(data, "staffing"))
    vehicles = r.mapping(data.get("vehicles"), "unit.vehicles", r.line_of(data, "vehicles"))
    return Unit(
        name=r.text(data, "name", "unit", required=True),
        agency_code=r.text(data, "agency_code", "unit") or None,
        dept_code=r.text(data, "dept_code", "unit") or None,
        mof_div_code=r.text(data, "mof_div_code", "unit") or None,
        head=r.text(data, "head", "unit") or None,
        preparer=r.text(data, "preparer", "unit") or None,
        phone=r.text(data, "phone", "unit") or None,
        functions=r.text(data, "functions", "unit"),
        functions_detail=r.texts(data, "functions_detail", "unit"),
        staffing=Staffing(
            authorized_kind=r.text(staffing, "authorized_kind", "unit.staffing", default="行政编制"),
            authorized=r.integer(staffing, "authorized", "unit.staffing"),
            actual=r.integer(staffing, "actual", "unit.staffing"),
            retired=r.integer(staffing, "retired", "unit.staffing"),
            employees=r.integer(staffing, "employees", "unit.staffing"),
        ),
        vehicles=Vehicles(
            total=r.integer(vehicles, "total", "unit.vehicles"),
            authorized=r.integer(vehicles, "authorized", "unit.vehicles"),
            reform_done=bool(vehicles.get("reform_done", True)),
        ),
        work_goals=r.texts(data, "work_goals", "unit"),
    )


def _read_line(r: _Reader, data: dict, place: str, line: int | None, kind: ExpenditureKind,
               pro_code: str | None, own_mapping: bool = True) -> LineItem | None:
    if own_mapping:  # a one-line project's fields sit in the project mapping, checked there
        r.known(data, LINE_KEYS, place)
    func = r.code("exp_func", data.get("func"), f"{place}.func", r.line_of(data, "func"), 7)
    eco = r.code("dep_bgt_eco", data.get("eco"), f"{place}.eco", r.line_of(data, "eco"), 5,
                 required=kind is ExpenditureKind.BASIC)
    gov_eco = r.code("gov_bgt_eco", data.get("gov_eco"), f"{place}.gov_eco", r.line_of(data, "gov_eco"),
                     5, required=False)
    amount = r.amount(data, "amount", place)
    fund = r.fund(data, place)
    if func is None or amount is None:
        return None
    return LineItem(kind=kind, exp_func_code=func, dep_bgt_eco_code=eco, fund_source=fund, amount=amount,
                    pro_code=pro_code, gov_bgt_eco_code=gov_eco, note=r.text(data, "note", place) or None,
                    ref=r.ref(place, line))


def _read_indicator(r: _Reader, item: Any, place: str, line: int | None) -> Indicator | None:
    if isinstance(item, list):
        if len(item) not in (3, 4):
            r.problem(place, "指标应为 [一级, 二级, 指标内容, 目标值] (indicator needs 3–4 fields)", line)
            return None
        fields = [str(v).strip() for v in item] + ([""] if len(item) == 3 else [])
        level1, level2, name, target = fields
        weight = None
        group = None
    elif isinstance(item, dict):
        level1 = r.text(item, "level1", place, required=True)
        level2 = r.text(item, "level2", place, required=True)
        name = r.text(item, "name", place, required=True)
        target = r.text(item, "target", place)
        weight = r.amount(item, "weight", place, required=False, default=None)
        group = r.text(item, "group", place) or None
    else:
        r.problem(place, "指标格式错误 (bad indicator)", line)
        return None
    parsed = parse_target(target) if target else None
    return Indicator(level1=level1, level2=level2, name=name, target=target,
                     direction=parsed.direction if parsed else None,
                     value=parsed.value if parsed else None, unit=parsed.unit if parsed else None,
                     weight=weight, group=group)


def _read_indicators(r: _Reader, data: dict, place: str) -> list[Indicator]:
    items = r.sequence(data.get("indicators"), f"{place}.indicators", r.line_of(data, "indicators"))
    out = []
    for index, item in enumerate(items):
        indicator = _read_indicator(r, item, f"{place}.indicators[{index}]", r.line_of(items, index))
        if indicator is not None:
            out.append(indicator)
    return out


def _read_calculation(r: _Reader, data: Any, place: str, line: int | None) -> Calculation:
    if data is None:
        return Calculation()
    if isinstance(data, str):
        return Calculation(text=data.strip())
    data = r.mapping(data, place, line)
    items: list[CalcItem] = []
    raw_items = r.sequence(data.get("items"), f"{place}.items", r.line_of(data, "items"))
    for index, item in enumerate(raw_items):
        item_place = f"{place}.items[{index}]"
        item = r.mapping(item, item_place, r.line_of(raw_items, index))
        amount = r.amount(item, "amount", item_place)
        if amount is None:
            continue
        quantity = r.amount(item, "quantity", item_place, required=False, default=None)
        unit_price = r.amount(item, "unit_price", item_place, required=False, default=None)
        items.append(CalcItem(label=r.text(item, "label", item_place, required=True), amount=amount,
                              quantity=quantity, unit_price=unit_price,
                              unit=r.text(item, "unit", item_place) or None))
    return Calculation(text=r.text(data, "text", place), items=items)



def _read_project(r: _Reader, data: dict, place: str, line: int | None) -> Project | None:
    r.known(data, PROJECT_KEYS, place)
    pro_code = r.text(data, "code", place, required=True)
    name = r.text(data, "name", place, required=True)
    if "lines" in data:
        raw_lines = r.sequence(data["lines"], f"{place}.lines", r.line_of(data, "lines"))
        lines = []
        for index, raw in enumerate(raw_lines):
            line_place = f"{place}.lines[{index}]"
            raw = r.mapping(raw, line_place, r.line_of(raw_lines, index))
            item = _read_line(r, raw, line_place, r.line_of(raw_lines, index), ExpenditureKind.PROJECT,
                              pro_code)
            if item is not None:
                lines.append(item)
    else:
        item = _read_line(r, data, place, line, ExpenditureKind.PROJECT, pro_code, own_mapping=False)
        lines = [item] if item is not None else []
    period = data.get("period")
    start = end = None
    if period is not None:
        if isinstance(period, list) and len(period) == 2:
            start = r.date(period[0], f"{place}.period", r.line_of(data, "period"))
            end = r.date(period[1], f"{place}.period", r.line_of(data, "period"))
        else:
            r.problem(f"{place}.period", "应为 [开始日期, 结束日期] (expected [start, end])",
                      r.line_of(data, "period"))
    return Project(
        pro_code=pro_code,
        pro_name=name,
        group=r.text(data, "group", place, required=True),
        lines=lines,
        contact=r.text(data, "contact", place) or None,
        phone=r.text(data, "phone", place) or None,
        start=start,
        end=end,
        goals=r.texts(data, "goals", place),
        purpose=r.text(data, "purpose", place),
        calculation=_read_calculation(r, data.get("calculation"), f"{place}.calculation",
                                      r.line_of(data, "calculation")),
        timeliness=r.text(data, "timeliness", place),
        indicators=_read_indicators(r, data, place),
        is_new=bool(data.get("new", False)),
        performance_managed=bool(data.get("performance_managed", True)),
        superior_transfer=bool(data.get("superior_transfer", False)),
        ref=r.ref(place, line),
    )


def _read_three_public(r: _Reader, data: Any, place: str, line: int | None) -> ThreePublic:
    data = r.mapping(data, place, line)
    return ThreePublic(
        overseas=r.amount(data, "overseas", place, required=False) or Decimal(0),
        reception=r.amount(data, "reception", place, required=False) or Decimal(0),
        vehicle_purchase=r.amount(data, "vehicle_purchase", place, required=False) or Decimal(0),
        vehicle_operation=r.amount(data, "vehicle_operation", place, required=False) or Decimal(0),
    )


def _read_vehicle_counts(r: _Reader, data: Any, place: str, line: int | None) -> VehicleCounts:
    data = r.mapping(data, place, line)
    return VehicleCounts(**{key: r.integer(data, key, place) for key in
                            ("leader", "general", "law_enforcement", "special", "other")})


def _read_assets(r: _Reader, data: Any) -> Assets:
    data = r.mapping(data, "assets", None)
    planned = r.mapping(data.get("planned"), "assets.planned", r.line_of(data, "planned"))
    return Assets(
        as_of=r.date(data.get("as_of"), "assets.as_of", r.line_of(data, "as_of")),
        vehicles=_read_vehicle_counts(r, data.get("vehicles"), "assets.vehicles", r.line_of(data, "vehicles")),
        general_equipment_over_50=r.integer(data, "general_equipment_over_50", "assets"),
        special_equipment_over_100=r.integer(data, "special_equipment_over_100", "assets"),
        planned_vehicles=_read_vehicle_counts(r, planned.get("vehicles"), "assets.planned.vehicles",
                                              r.line_of(planned, "vehicles")),
        planned_general_equipment_over_50=r.integer(planned, "general_equipment_over_50", "assets.planned"),
        planned_special_equipment_over_100=r.integer(planned, "special_equipment_over_100", "assets.planned"),
    )


def _read_narrative(r: _Reader, data: Any) -> Narrative:
    data = r.mapping(data, "narrative", None)
    tp = r.mapping(data.get("three_public"), "narrative.three_public", r.line_of(data, "three_public"))
    explanations = r.mapping(data.get("func_explanations"), "narrative.func_explanations",
                             r.line_of(data, "func_explanations"))
    defaults = Narrative()
    return Narrative(
        change_reason=r.text(data, "change_reason", "narrative"),
        personnel_note=r.text(data, "personnel_note", "narrative", default=defaults.personnel_note),
        operating_note=r.text(data, "operating_note", "narrative"),
        transfers_note=r.text(data, "transfers_note", "narrative"),
        procurement_note=r.text(data, "procurement_note", "narrative"),
        three_public=ThreePublicNotes(
            overseas=r.text(tp, "overseas", "narrative.three_public"),
            reception=r.text(tp, "reception", "narrative.three_public"),
            vehicles=r.text(tp, "vehicles", "narrative.three_public"),
        ),
        admin_operating_reason=r.text(data, "admin_operating_reason", "narrative"),
        other_notes=r.texts(data, "other_notes", "narrative"),
        func_explanations={str(k): str(v).strip() for k, v in explanations.items()},
        performance_note=r.text(data, "performance_note", "narrative"),
    )


def _read_procurement(r: _Reader, data: dict, place: str, line: int | None) -> ProcurementItem | None:
    amount = r.amount(data, "amount", place)
    annual = r.amount(data, "annual_amount", place, required=False, default=amount)
    years = data.get("service_years")
    if years is not None and (not isinstance(years, int) or years < 0):
        r.problem(f"{place}.service_years", f"应为非负整数 (expected a whole number): {years!r}",
                  r.line_of(data, "service_years"))
        years = None
    if amount is None:
        return None
    return ProcurementItem(
        pro_code=r.text(data, "project", place) or None,
        name=r.text(data, "name", place, required=True),
        category=r.text(data, "category", place, required=True),
        amount=amount,
        annual_amount=annual if annual is not None else amount,
        service_years=years,
        demand_time=r.text(data, "demand_time", place),
        note=r.text(data, "note", place),
        for_sme=bool(data.get("for_sme", False)),
        for_micro=bool(data.get("for_micro", False)),
        ref=r.ref(place, line),
    )


def _read_income(r: _Reader, data: Any, line: int | None) -> dict[FundSource, Decimal]:
    data = r.mapping(data, "income", line)
    income: dict[FundSource, Decimal] = {}
    for key in data:
        try:
            source = FundSource(key)
        except ValueError:
            allowed = ", ".join(f.value for f in FundSource)
            r.problem(f"income.{key}", f"未知收入来源 (unknown income source); 可选: {allowed}",
                      r.line_of(data, key))
            continue
        amount = r.amount(data, key, "income")
        if amount is not None:
            income[source] = amount
    return income



@dataclass(frozen=True)
class Built:
    """What ``build_budget`` gives: the budget (``None`` when the tree is not a mapping at all),
    the problems of its fields, and the year's catalog (``None`` when the year is unusable)."""

    budget: Budget | None
    problems: list[Problem]
    catalog: Catalog | None


def build_budget(tree: SourceTree) -> Built:
    """The located tree → a ``Budget``, with every problem of its fields. A budget with problems
    holds defaults where a field could not be read: use it only when ``problems`` is empty."""
    data, filename = tree.root, tree.file
    r = _Reader(filename)
    if not isinstance(data, dict):
        return Built(None, [Problem(filename, "文件", "预算源文件应为 YAML 键值映射 (expected a YAML mapping)")], None)
    year = data.get("fiscal_year")
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        r.problem("fiscal_year", f"预算年度应为四位年份 (fiscal_year must be a year): {year!r}",
                  r.line_of(data, "fiscal_year"))
        year = 0
    else:
        try:
            r.catalog = load_catalog(year)
        except CatalogError as exc:
            r.problem("fiscal_year", str(exc), r.line_of(data, "fiscal_year"))
    r.known(data, TOP_KEYS, "")
    unit_data = r.mapping(data.get("unit"), "unit", r.line_of(data, "unit"))
    r.known(unit_data, UNIT_KEYS, "unit")
    unit = _read_unit(r, unit_data)
    if "unit" not in data:
        r.problem("unit", "缺少必填字段 (missing required field)", None)
    income = _read_income(r, data.get("income"), r.line_of(data, "income"))
    if "income" not in data:
        r.problem("income", "缺少必填字段 (missing required field)", None)
    basic = r.each(data, "basic", lambda d, p, ln: _read_line(r, d, p, ln, ExpenditureKind.BASIC, None))
    projects = r.each(data, "projects", lambda d, p, ln: _read_project(r, d, p, ln))
    groups = r.each(data, "groups", lambda d, p, ln: ProjectGroup(
        name=r.text(d, "name", p, required=True), description=r.text(d, "description", p)))
    procurement = r.each(data, "procurement", lambda d, p, ln: _read_procurement(r, d, p, ln))
    last_year = None
    if data.get("last_year") is not None:
        ly = r.mapping(data["last_year"], "last_year", r.line_of(data, "last_year"))
        last_year = LastYear(
            income_total=r.amount(ly, "income_total", "last_year") or Decimal(0),
            expenditure_total=r.amount(ly, "expenditure_total", "last_year") or Decimal(0),
            three_public=_read_three_public(r, ly.get("three_public"), "last_year.three_public",
                                            r.line_of(ly, "three_public")),
            admin_operating=r.amount(ly, "admin_operating", "last_year", required=False, default=None),
        )
    targets = r.mapping(data.get("department_targets"), "department_targets",
                        r.line_of(data, "department_targets"))
    budget = Budget(
        fiscal_year=year,
        unit=unit,
        income=income,
        lines=basic + [line for project in projects for line in project.lines],
        projects=projects,
        groups=groups,
        procurement=procurement,
        three_public=_read_three_public(r, data.get("three_public"), "three_public",
                                        r.line_of(data, "three_public")),
        admin_operating=r.amount(data, "admin_operating", "", required=False, default=None),
        last_year=last_year,
        assets=_read_assets(r, data.get("assets")),
        narrative=_read_narrative(r, data.get("narrative")),
        department_targets=DepartmentTargets(
            goals=r.texts(targets, "goals", "department_targets"),
            indicators=_read_indicators(r, targets, "department_targets"),
            other_notes=r.text(targets, "other_notes", "department_targets", default="无。"),
        ),
        acknowledged=r.each(data, "acknowledged", lambda d, p, ln: Acknowledgement(
            rule=r.text(d, "rule", p, required=True), reason=r.text(d, "reason", p, required=True),
            table=r.text(d, "table", p) or None, row=r.text(d, "row", p) or None)),
        corrections=r.each(data, "corrections", lambda d, p, ln: Correction(
            where=r.text(d, "where", p, required=True), printed=r.text(d, "printed", p, required=True),
            corrected=r.text(d, "corrected", p, required=True), reason=r.text(d, "reason", p, required=True))),
        template=str(data.get("template", DEFAULT_TEMPLATE)),
        source_path=filename,
        income_ref=r.ref("income", r.line_of(data, "income")),
    )
    return Built(budget, r.problems, r.catalog)


# Shared with the final-accounts source (sources/final_source.py), which reads fields the same way.
FieldReader = _Reader
read_assets = _read_assets
