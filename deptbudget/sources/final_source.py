"""Read a final-accounts source (部门决算, YAML; docs/final-accounts.md) into ``FinalAccounts``.

The source names the budget it closes (``budget: luohu-2020.yaml``, relative to the source); the budget is
loaded with the budget loader and its lines give every 年初预算数 — never typed twice. Each actual line joins
the budget's lines of the same key (基本支出: 功能分类 项 × 经济分类 款; 项目支出: project, and 项 × 款 where
the project has several lines); an actual whose key the budget lacks is a problem unless declared ``new``.
Every problem names the file, the place and the line; a source with any problem raises ``SourceError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from deptbudget.catalog import CatalogError, load_catalog
from deptbudget.model.budget import Budget, ExpenditureKind, LineItem, SourceRef, ThreePublic, ThreePublicNotes
from deptbudget.model.final_accounts import PhaseAmounts
from deptbudget.model.final_actuals import (
    BUDGET_FUND_TO_FINAL,
    ActualLine,
    Balance,
    FinalAccounts,
    FinalFund,
    FinalNarrative,
    OtherSpending,
    ProcurementActual,
    ThreePublicPhases,
)
from deptbudget.sources.build import FieldReader, read_assets
from deptbudget.sources.errors import Problem, SourceError
from deptbudget.sources.tree import read_yaml
from deptbudget.sources.yaml_source import load_budget, read_source_text

FINAL_KIND = "部门决算"
DEFAULT_FINAL_TEMPLATE = "mof-final-9"
TOP_KEYS = frozenset({"kind", "fiscal_year", "template", "budget", "fictional", "income", "balances", "expenditure",
                      "reasons", "three_public", "admin_operating", "procurement", "assets", "narrative"})
BASIC_KEYS = frozenset({"func", "eco", "fund", "actual", "adjusted", "new", "note"})
PROJECT_KEYS = BASIC_KEYS | {"project", "name"}
OTHER_KEYS = frozenset({"func", "kind", "fund", "actual", "adjusted", "note"})
BALANCE_KEYS = frozenset({"func", "fund", "start", "end", "used_surplus", "distribution"})
THREE_PUBLIC_KEYS = frozenset({"adjusted", "actual", "reasons", "overall_reason", "trips", "travellers",
                               "vehicles_bought", "vehicles_held", "receptions", "guests"})
NARRATIVE_KEYS = frozenset({"overall", "admin_operating_reason", "procurement_note", "performance", "assets_note"})
ADMIN_OPERATING_ECO = ("302", "310")  # 机关运行经费 when not typed: 商品和服务支出 and 资本性支出
PROCUREMENT_KEYS = frozenset({"goods", "works", "services", "sme", "micro"})


def is_final_source(path: str | Path) -> bool:
    """Whether a YAML file is a final-accounts source (it names a budget, or says ``kind: 部门决算``).
    Unreadable files are not: the budget loader then reports what is wrong with them."""
    try:
        data = read_yaml(Path(path).read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError, SourceError):
        return False
    return isinstance(data, dict) and ("budget" in data or str(data.get("kind", "")) == FINAL_KIND)


@dataclass
class _Key:
    """The key an actual line joins the budget on."""

    kind: ExpenditureKind
    func: str | None
    eco: str | None
    pro_code: str | None


@dataclass
class _Context:
    r: FieldReader
    budget: Budget
    used: set[str] = field(default_factory=set)  # budget line paths already closed


def _budget_lines(ctx: _Context, key: _Key) -> list[LineItem]:
    """The budget's lines an actual of ``key`` closes (a missing func/eco matches any)."""
    out = []
    for line in ctx.budget.lines:
        if line.kind is not key.kind or (key.pro_code or None) != (line.pro_code or None):
            continue
        if key.func is not None and line.exp_func_code != key.func:
            continue
        if key.eco is not None and line.dep_bgt_eco_code != key.eco:
            continue
        out.append(line)
    return out


def _describe(key: _Key) -> str:
    parts = [f"项目 {key.pro_code}"] if key.pro_code else []
    if key.func:
        parts.append(f"功能分类 {key.func}")
    if key.eco:
        parts.append(f"经济分类 {key.eco}")
    return "、".join(parts) or "（无科目）"


def _fund(r: FieldReader, data: dict, place: str, default: FinalFund) -> FinalFund:
    value = data.get("fund")
    if value is None:
        return default
    try:
        return FinalFund(str(value))
    except ValueError:
        allowed = ", ".join(f.value for f in FinalFund)
        r.problem(f"{place}.fund", f"未知资金 (unknown fund) {value!r}; 可选: {allowed}", r.line_of(data, "fund"))
        return default


def _read_actual(ctx: _Context, data: dict, place: str, line: int | None, kind: ExpenditureKind) -> ActualLine | None:
    r = ctx.r
    r.known(data, PROJECT_KEYS if kind is ExpenditureKind.PROJECT else BASIC_KEYS, place)
    pro_code = (r.text(data, "project", place, required=True) or None) if kind is ExpenditureKind.PROJECT else None
    func = r.code("exp_func", data.get("func"), f"{place}.func", r.line_of(data, "func"), 7,
                  required=kind is ExpenditureKind.BASIC)
    eco = r.code("dep_bgt_eco", data.get("eco"), f"{place}.eco", r.line_of(data, "eco"), 5,
                 required=kind is ExpenditureKind.BASIC)
    actual = r.amount(data, "actual", place)
    adjusted = r.amount(data, "adjusted", place, required=False, default=None)
    new = data.get("new", False)
    if not isinstance(new, bool):
        r.problem(f"{place}.new", f"应为 true 或 false (expected true/false): {new!r}", r.line_of(data, "new"))
        new = False
    if actual is None or (kind is ExpenditureKind.BASIC and (func is None or eco is None)):
        return None
    if kind is ExpenditureKind.PROJECT and pro_code is None:
        return None
    key = _Key(kind, func, eco, pro_code)
    ref = r.ref(place, line)
    if new:
        return _new_line(ctx, data, place, line, key, actual, adjusted, ref)
    closes = [b for b in _budget_lines(ctx, key) if b.ref.path not in ctx.used]
    if not closes:
        already = _budget_lines(ctx, key)
        if already:
            r.problem(place, f"预算中{_describe(key)}的决算数已在前面填过 (the budget line has an actual already)",
                      line)
        else:
            r.problem(place, f"所关闭的预算中没有{_describe(key)}；如为年中新增支出，请写 new: true "
                             f"(the budget has no such line; declare it `new: true` if it was added during the year)",
                      line)
        return None
    funds = {BUDGET_FUND_TO_FINAL[b.fund_source] for b in closes}
    if len(funds) > 1 and "fund" not in data:
        r.problem(place, f"预算中{_describe(key)}有多个资金来源，请写 fund (several funds in the budget: name `fund`)",
                  line)
    ctx.used.update(b.ref.path for b in closes)
    initial = sum((b.amount for b in closes), Decimal(0))
    first = closes[0]
    project_name = ctx.budget.project(pro_code).pro_name if pro_code else ""
    return ActualLine(kind=kind, func=func or first.exp_func_code, eco=eco or first.dep_bgt_eco_code,
                      fund=_fund(r, data, place, BUDGET_FUND_TO_FINAL[first.fund_source]), initial=initial,
                      adjusted=initial if adjusted is None else adjusted, actual=actual, pro_code=pro_code,
                      pro_name=project_name, budget_refs=tuple(b.ref.path for b in closes), ref=ref)


def _new_line(ctx: _Context, data: dict, place: str, line: int | None, key: _Key, actual: Decimal,
              adjusted: Decimal | None, ref: SourceRef) -> ActualLine | None:
    r = ctx.r
    if _budget_lines(ctx, key):
        r.problem(f"{place}.new", f"预算中已有{_describe(key)}，不是新增 (the budget has this line: not new)",
                  r.line_of(data, "new"))
        return None
    if key.func is None:
        r.problem(f"{place}.func", "新增支出须写功能分类 (a new line needs `func`)", line)
        return None
    name = r.text(data, "name", place)
    if key.pro_code and not name:
        known = [p.pro_name for p in ctx.budget.projects if p.pro_code == key.pro_code]
        name = known[0] if known else ""
        if not name:
            r.problem(f"{place}.name", "新增项目须写项目名称 (a new project needs `name`)", line)
    return ActualLine(kind=key.kind, func=key.func, eco=key.eco, fund=_fund(r, data, place, FinalFund.GENERAL_BUDGET),
                      initial=Decimal(0), adjusted=adjusted if adjusted is not None else Decimal(0), actual=actual,
                      pro_code=key.pro_code, pro_name=name, new=True, ref=ref)


def _read_other(r: FieldReader, data: dict, place: str, line: int | None) -> ActualLine | None:
    """上缴上级支出 / 经营支出 / 对附属单位补助支出: spending no budget line closes, paid from a unit's own income."""
    r.known(data, OTHER_KEYS, place)
    func = r.code("exp_func", data.get("func"), f"{place}.func", r.line_of(data, "func"), 7)
    actual = r.amount(data, "actual", place)
    adjusted = r.amount(data, "adjusted", place, required=False)
    try:
        kind = OtherSpending(str(data.get("kind", "")))
    except ValueError:
        allowed = ", ".join(f"{k.value}（{k.label}）" for k in OtherSpending)
        r.problem(f"{place}.kind", f"未知支出类别 (unknown kind of spending) {data.get('kind')!r}; 可选: {allowed}",
                  r.line_of(data, "kind") or line)
        return None
    fund = _fund(r, data, place, kind.default_fund)
    if fund.is_fiscal:
        r.problem(f"{place}.fund", f"{kind.label}不能由{fund.label}支付，请写单位自有资金的来源 "
                                   f"(not paid from a fiscal appropriation: name the unit's own fund)",
                  r.line_of(data, "fund"))
        return None
    if func is None or actual is None or adjusted is None:
        return None
    return ActualLine(kind=kind, func=func, eco=None, fund=fund, initial=Decimal(0), adjusted=adjusted, actual=actual,
                      ref=r.ref(place, line))


def _read_balances(r: FieldReader, data: dict) -> list[Balance]:
    def read(item: dict, place: str, line: int | None) -> Balance | None:
        r.known(item, BALANCE_KEYS, place)
        func = r.code("exp_func", item.get("func"), f"{place}.func", r.line_of(item, "func"), 7)
        start = r.amount(item, "start", place, required=False)
        end = r.amount(item, "end", place, required=False)
        used = r.amount(item, "used_surplus", place, required=False)
        distribution = r.amount(item, "distribution", place, required=False)
        fund = _fund(r, item, place, FinalFund.GENERAL_BUDGET)
        for key, value in (("used_surplus", used), ("distribution", distribution)):
            if value and fund.is_fiscal:
                what = "使用非财政拨款结余" if key == "used_surplus" else "结余分配"
                r.problem(f"{place}.{key}", f"{what}只用于非财政拨款资金，{fund.label}不适用 "
                                            f"(only for funds other than fiscal appropriations)", r.line_of(item, key))
        if func is None or start is None or end is None or used is None or distribution is None:
            return None
        return Balance(func, fund, start, end, r.ref(place, line), used, distribution)

    return r.each(data, "balances", read)


def _read_three_public(r: FieldReader, data: Any, budget: Budget, line: int | None) -> ThreePublicPhases:
    data = r.mapping(data, "three_public", line)
    r.known(data, THREE_PUBLIC_KEYS, "three_public")
    initial = budget.three_public
    adjusted = initial
    if data.get("adjusted") is not None:
        adjusted = _three(r, data["adjusted"], "three_public.adjusted", r.line_of(data, "adjusted"), initial)
    if data.get("actual") is None:
        r.problem("three_public.actual", "缺少“三公”经费决算数 (missing the 三公 actuals)", line)
    actual = _three(r, data.get("actual"), "three_public.actual", r.line_of(data, "actual"), ThreePublic())
    reasons = r.mapping(data.get("reasons"), "three_public.reasons", r.line_of(data, "reasons"))
    r.known(reasons, frozenset({"overseas", "reception", "vehicles"}), "three_public.reasons")
    return ThreePublicPhases(
        initial=initial, adjusted=adjusted, actual=actual,
        reasons=ThreePublicNotes(**{k: r.text(reasons, k, "three_public.reasons")
                                    for k in ("overseas", "reception", "vehicles")}),
        overall_reason=r.text(data, "overall_reason", "three_public"),
        **{k: r.integer(data, k, "three_public") for k in ("trips", "travellers", "vehicles_bought", "vehicles_held",
                                                            "receptions", "guests")},
    )


def _three(r: FieldReader, data: Any, place: str, line: int | None, default: ThreePublic) -> ThreePublic:
    data = r.mapping(data, place, line)
    r.known(data, frozenset({"overseas", "reception", "vehicle_purchase", "vehicle_operation"}), place)
    values = {key: r.amount(data, key, place, required=False, default=getattr(default, key))
              for key in ("overseas", "reception", "vehicle_purchase", "vehicle_operation")}
    return ThreePublic(**{k: v if v is not None else Decimal(0) for k, v in values.items()})


def _admin_operating(r: FieldReader, data: Any, budget: Budget, lines: list[ActualLine],
                     line: int | None) -> PhaseAmounts:
    data = r.mapping(data, "admin_operating", line)
    r.known(data, frozenset({"adjusted", "actual"}), "admin_operating")
    initial = budget.admin_operating
    if initial is None:  # as the budget's own narrative derives it: basic 公用 spending
        initial = sum((x.amount for x in budget.basic_lines if (x.dep_bgt_eco_code or "").startswith("302")),
                      Decimal(0))
    adjusted = r.amount(data, "adjusted", "admin_operating", required=False, default=initial)
    actual = r.amount(data, "actual", "admin_operating", required=False, default=None)
    if actual is None:  # derived as the budget's is: 一般公共预算财政拨款 basic 商品和服务 and 资本性 spending
        actual = sum((x.actual for x in lines if x.kind is ExpenditureKind.BASIC and x.fund is FinalFund.GENERAL_BUDGET
                      and (x.eco or "").startswith(ADMIN_OPERATING_ECO)), Decimal(0))
    return PhaseAmounts(initial, adjusted, actual)


def _procurement(r: FieldReader, data: Any, line: int | None) -> ProcurementActual:
    data = r.mapping(data, "procurement", line)
    r.known(data, PROCUREMENT_KEYS, "procurement")
    values = {key: r.amount(data, key, "procurement", required=False) or Decimal(0) for key in PROCUREMENT_KEYS}
    out = ProcurementActual(**values)
    if out.sme > out.total:
        r.problem("procurement.sme", "授予中小企业合同金额大于政府采购支出总额 (SME contracts exceed the total)",
                  r.line_of(data, "sme"))
    if out.micro > out.sme:
        r.problem("procurement.micro", "授予小微企业合同金额大于授予中小企业合同金额 (micro exceeds SME)",
                  r.line_of(data, "micro"))
    return out


def _narrative(r: FieldReader, data: Any, line: int | None) -> FinalNarrative:
    data = r.mapping(data, "narrative", line)
    r.known(data, NARRATIVE_KEYS, "narrative")
    return FinalNarrative(
        overall=r.text(data, "overall", "narrative"),
        admin_operating_reason=r.text(data, "admin_operating_reason", "narrative"),
        procurement_note=r.text(data, "procurement_note", "narrative"),
        performance=tuple(r.texts(data, "performance", "narrative")),
        assets_note=r.text(data, "assets_note", "narrative"),
    )


def _reasons(r: FieldReader, data: Any, line: int | None) -> dict[str, str]:
    data = r.mapping(data, "reasons", line)
    out = {}
    for key in data:
        place = f"reasons.{key}"
        code = r.code("exp_func", str(key), place, r.line_of(data, key), len(str(key)) if len(str(key)) in (3, 5)
                      else 7)
        if code is not None:
            out[code] = r.text(data, key, "reasons")
    return out


def _check_income(r: FieldReader, data: Any, accounts: FinalAccounts, line: int | None) -> None:
    """A typed ``income:`` must agree with spending and the balances (本年收入 = 支出 + 年末 − 年初)."""
    data = r.mapping(data, "income", line)
    for key in data:
        try:
            fund = FinalFund(key)
        except ValueError:
            allowed = ", ".join(f.value for f in FinalFund)
            r.problem(f"income.{key}", f"未知收入来源 (unknown income source); 可选: {allowed}", r.line_of(data, key))
            continue
        typed = r.amount(data, key, "income")
        derived = accounts.income_of(fund)
        if typed is not None and typed != derived:
            r.problem(f"income.{key}", f"{fund.label}收入 {typed:,.2f} 元与支出及结转结余不符：本年支出 "
                                       f"{accounts.spent(fund):,.2f} + 年末结转和结余 "
                                       f"{accounts.balance_end(fund):,.2f} "
                                       f"− 年初结转和结余 {accounts.balance_start(fund):,.2f} = {derived:,.2f} 元 "
                                       f"(income does not balance spending and carryover)", r.line_of(data, key))


def _check_balances(r: FieldReader, accounts: FinalAccounts) -> None:
    """Income of a fund for one 项 cannot be negative (a balance brought in larger than spending plus the end one)."""
    seen: dict[tuple[str, FinalFund], SourceRef] = {}
    for b in accounts.balances:
        if (b.func, b.fund) in seen:
            r.problem(b.ref.path, f"功能分类 {b.func} 的{b.fund.label}结转结余重复 (duplicate balance)", b.ref.line)
        seen[(b.func, b.fund)] = b.ref
    for (func, fund), ref in seen.items():
        income = accounts.income_of(fund, func)
        if income < 0:
            r.problem(ref.path, f"功能分类 {func} 的{fund.label}：年初结转和结余大于本年支出与年末结转和结余之和，"
                                f"本年收入将为负数 {income:,.2f} 元 (negative income)", ref.line)


def _missing_actuals(r: FieldReader, budget: Budget, used: set[str], line: int | None) -> None:
    for b in budget.lines:
        if b.ref.path not in used:
            what = f"项目 {b.pro_code}" if b.pro_code else "基本支出"
            r.problem("expenditure", f"预算行 {b.ref.path}（{what}、功能分类 {b.exp_func_code}"
                                     f"{'、经济分类 ' + b.dep_bgt_eco_code if b.dep_bgt_eco_code else ''}）没有决算数；"
                                     f"未支出请写 actual: 0 (a budget line without an actual)", line)


def _load_closed_budget(r: FieldReader, data: Mapping[str, Any], filename: str) -> Budget | None:
    value = data.get("budget")
    line = r.line_of(data, "budget")
    if value is None or not str(value).strip():
        r.problem("budget", "缺少所关闭的预算源文件 (missing `budget:`, the budget source this closes)", None)
        return None
    path = Path(filename).parent / str(value).strip()
    if not path.is_file():
        r.problem("budget", f"预算源文件不存在：{path} (budget file not found)", line)
        return None
    try:
        return load_budget(path)
    except SourceError as exc:
        r.problem("budget", f"预算源文件 {path} 有 {len(exc.problems)} 处问题 (the budget has problems): "
                            + "；".join(str(p) for p in exc.problems[:5]), line)
        return None


def parse_final(text: str, filename: str, budget: Budget | None = None) -> FinalAccounts:
    """``budget``: the budget this closes, where it is not a file beside the source (the web system's published
    budget); ``budget:`` in the source is then not read."""
    data = read_yaml(text, filename)
    r = FieldReader(filename)
    if not isinstance(data, dict):
        raise SourceError([Problem(filename, "文件", "决算源文件应为 YAML 键值映射 (expected a YAML mapping)")])
    r.known(data, TOP_KEYS, "")
    if "kind" in data and str(data["kind"]) != FINAL_KIND:
        r.problem("kind", f"文件类型应为 {FINAL_KIND} (kind must be {FINAL_KIND}): {data['kind']!r}",
                  r.line_of(data, "kind"))
    budget = budget if budget is not None else _load_closed_budget(r, data, filename)
    year = data.get("fiscal_year")
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        r.problem("fiscal_year", f"决算年度应为四位年份 (fiscal_year must be a year): {year!r}",
                  r.line_of(data, "fiscal_year"))
        raise SourceError(r.problems)
    try:
        r.catalog = load_catalog(year)
    except CatalogError as exc:
        r.problem("fiscal_year", str(exc), r.line_of(data, "fiscal_year"))
    if budget is None:
        raise SourceError(r.problems)
    if budget.fiscal_year != year:
        r.problem("fiscal_year", f"决算年度 {year} 与所关闭预算的年度 {budget.fiscal_year} 不同 "
                                 f"(the year differs from the budget's)", r.line_of(data, "fiscal_year"))
    ctx = _Context(r, budget)
    spending = r.mapping(data.get("expenditure"), "expenditure", r.line_of(data, "expenditure"))
    r.known(spending, frozenset({"basic", "projects", "other"}), "expenditure")
    basic = r.each(spending, "basic", lambda d, p, ln: _read_actual(ctx, d, f"expenditure.{p}", ln,
                                                                     ExpenditureKind.BASIC))
    projects = r.each(spending, "projects", lambda d, p, ln: _read_actual(ctx, d, f"expenditure.{p}", ln,
                                                                           ExpenditureKind.PROJECT))
    other = r.each(spending, "other", lambda d, p, ln: _read_other(r, d, f"expenditure.{p}", ln))
    _missing_actuals(r, budget, ctx.used, r.line_of(data, "expenditure"))
    fictional = data.get("fictional", False)
    if not isinstance(fictional, bool):
        r.problem("fictional", f"应为 true 或 false (expected true/false): {fictional!r}", r.line_of(data, "fictional"))
        fictional = False
    accounts = FinalAccounts(
        fiscal_year=year,
        unit=budget.unit,
        budget=budget,
        budget_path=str(budget.source_path or ""),
        lines=tuple(basic + projects + other),
        balances=tuple(_read_balances(r, data)),
        three_public=_read_three_public(r, data.get("three_public"), budget, r.line_of(data, "three_public")),
        admin_operating=_admin_operating(r, data.get("admin_operating"), budget, basic + projects,
                                         r.line_of(data, "admin_operating")),
        procurement=_procurement(r, data.get("procurement"), r.line_of(data, "procurement")),
        assets=read_assets(r, data.get("assets")),
        reasons=_reasons(r, data.get("reasons"), r.line_of(data, "reasons")),
        narrative=_narrative(r, data.get("narrative"), r.line_of(data, "narrative")),
        fictional=fictional,
        template=str(data.get("template", DEFAULT_FINAL_TEMPLATE)),
        source_path=filename,
    )
    _check_balances(r, accounts)
    _check_income(r, data.get("income"), accounts, r.line_of(data, "income"))
    if r.problems:
        raise SourceError(r.problems)
    return accounts


def load_final(path: str | Path) -> FinalAccounts:
    return parse_final(read_source_text(path), str(path))
