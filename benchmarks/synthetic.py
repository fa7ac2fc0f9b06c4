"""Realistic random department budgets on the 2020 catalogs, for benchmarks and property tests.

``generate_budget(seed, template=...)`` gives a valid ``Budget`` for a template (income =
expenditure per fund source, codes from the catalog, projects with indicators, 三公, last year's
figures), deterministic per seed. Besides 一般性经费拨款 and 政府投资项目拨款, some lines come from
the other fund sources the template's 收支总表 print (政府性基金, 财政专户, 事业收入, 上年结转 …),
so that the template's columns and income lines are exercised. ``generate_source(seed)`` gives
the same as YAML source text.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from deptbudget.catalog import load_catalog
from deptbudget.model.budget import (
    Budget,
    CalcItem,
    Calculation,
    ExpenditureKind,
    FundSource,
    Indicator,
    LastYear,
    LineItem,
    ProcurementItem,
    Project,
    ProjectGroup,
    SourceRef,
    Staffing,
    ThreePublic,
    Unit,
    Vehicles,
)
from deptbudget.model.targets import parse_target
from deptbudget.sources.yaml_writer import dump_budget
from deptbudget.template import load_template

BUREAUS = ["科技创新局", "教育局", "民政局", "卫生健康局", "住房和建设局", "文化广电旅游体育局", "司法局", "财政局"]
DISTRICTS = ["罗湖区", "福田区", "南山区", "宝安区", "龙岗区", "盐田区"]
SALARY_ECO = ["30101", "30102", "30103", "30108", "30109", "30110", "30112", "30113", "30199"]
OPERATING_ECO = ["30201", "30202", "30203", "30207", "30211", "30213", "30216", "30226", "30227", "30228",
                 "30229", "30231", "30239", "30299"]
PROJECT_WORDS = ["专项经费", "工作经费", "建设项目", "服务采购", "运维经费", "补助资金", "活动经费"]
INDICATORS = [
    ("产出指标", "数量指标", "完成项目数", "≥{n} 个"),
    ("产出指标", "质量指标", "验收合格率", "≥95%"),
    ("产出指标", "时效指标", "按期完成率", "100%"),
    ("效益指标", "社会效益指标", "服务覆盖人数", "≥{n} 人"),
    ("效益指标", "服务对象满意度指标", "服务对象满意度", "≥90%"),
]


def _yuan(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high)) * 100


def _project_funcs(catalog_year: int) -> list[str]:
    catalog = load_catalog(catalog_year)
    return [e.code for e in catalog.entries("exp_func") if e.level == 3 and e.code[:3] in {"201", "206", "207", "208",
                                                                                              "210", "212", "213"}]


def template_funds(template: str) -> list[FundSource]:
    """The fund sources every fund column set of the template shows by name (a column per fund or
    a column listing it; a fund only inside a group such as 财政拨款小计 is left out, since the
    parts of the group would not add up to it), in enum order. 上年结转 is left out: the tables
    of 财政拨款 count it as income while the model has no 财政拨款 spending from it."""
    loaded = load_template(template)
    shown: set[str] | None = None
    for spec in loaded.tables:
        named: set[str] = set()
        for column in spec.columns:
            fund = (column.filter or {}).get("fund")
            for name in [fund] if isinstance(fund, str) else fund or []:
                if name not in loaded.fund_groups:
                    named.add(name)
        if named:
            shown = named if shown is None else shown & named
    return [f for f in FundSource if f.value in (shown or set()) and f is not FundSource.CARRYOVER]


def generate_budget(seed: int, projects: int | None = None, year: int = 2020,
                    template: str = "shenzhen-15") -> Budget:
    rng = random.Random(seed)
    extra = [f for f in template_funds(template) if f not in (FundSource.GENERAL_FUNDS, FundSource.INVESTMENT)]
    funcs = _project_funcs(year)
    name = rng.choice(DISTRICTS) + rng.choice(BUREAUS) + (f"{seed}" if seed >= len(BUREAUS) else "")
    staff = rng.randint(8, 120)
    lines: list[LineItem] = []

    def basic(func: str, eco: str, amount: Decimal, fund: FundSource = FundSource.GENERAL_FUNDS) -> None:
        lines.append(LineItem(ExpenditureKind.BASIC, func, eco, fund, amount, ref=SourceRef(f"basic[{len(lines)}]")))

    for eco in SALARY_ECO:
        basic("2010101" if rng.random() < 0.5 else "2060101", eco, _yuan(rng, 100, 2000) * staff)
    for eco in rng.sample(OPERATING_ECO, rng.randint(6, len(OPERATING_ECO))):
        basic("2060101", eco, _yuan(rng, 10, 3000))
    basic("2080501", "30302", _yuan(rng, 100, 5000))
    basic("2080505", "30108", _yuan(rng, 100, 3000))
    basic("2101101", "30110", _yuan(rng, 100, 2000))
    basic("2210201", "30113", _yuan(rng, 100, 3000))
    if extra:
        basic("2060101", rng.choice(OPERATING_ECO), _yuan(rng, 10, 3000), rng.choice(extra))
    project_list: list[Project] = []
    names = ["综合业务", "专项业务", "公共服务", "信息化建设", "人才发展"]
    groups = [ProjectGroup(name, f"主要用于{name}工作") for name in names[: rng.randint(1, len(names))]]
    for index in range(projects if projects is not None else rng.randint(5, 40)):
        code = f"P{seed:05d}-{index:03d}"
        fund = FundSource.INVESTMENT if rng.random() < 0.1 else FundSource.GENERAL_FUNDS
        if extra and rng.random() < 0.3:
            fund = rng.choice(extra)
        amount = _yuan(rng, 50, 500000)
        line = LineItem(ExpenditureKind.PROJECT, rng.choice(funcs), None, fund, amount, pro_code=code,
                        ref=SourceRef(f"projects[{index}]"))
        lines.append(line)
        indicators = []
        for level1, level2, ind_name, target in INDICATORS:
            text = target.format(n=rng.randint(1, 500))
            parsed = parse_target(text)
            indicators.append(Indicator(level1, level2, ind_name, text, parsed.direction, parsed.value, parsed.unit))
        half = (amount / 2).quantize(Decimal("0.01"))
        topic = rng.choice(["科普", "信息化", "人才", "产业", "公共服务"])
        parts = [CalcItem("第一部分", half), CalcItem("第二部分", amount - half)]
        project_list.append(Project(
            pro_code=code, pro_name=f"{topic}{rng.choice(PROJECT_WORDS)}{index}",
            group=rng.choice(groups).name, lines=[line], contact="联系人", phone="0755-00000000",
            start=date(year, 1, 1), end=date(year, 12, 31), goals=["完成年度工作任务。"],
            calculation=Calculation("按工作量测算。", parts),
            timeliness="按季度推进，年底前完成。", indicators=indicators, ref=line.ref))
    income: dict[FundSource, Decimal] = {}
    for line in lines:
        income[line.fund_source] = income.get(line.fund_source, Decimal(0)) + line.amount
    total = sum(income.values(), Decimal(0))
    procurement = [ProcurementItem(p.pro_code, p.pro_name, "其他服务", p.amount, p.amount, 1, "上半年",
                                   ref=SourceRef(f"procurement[{index}]"))
                   for index, p in enumerate(project_list[: rng.randint(0, 3)])]
    last_total = (total * rng.randint(80, 120) / 100).quantize(Decimal("0.01"))
    three = ThreePublic(Decimal(0), _yuan(rng, 0, 200), Decimal(0), _yuan(rng, 0, 100))
    last_three = ThreePublic(Decimal(0), _yuan(rng, 0, 200), Decimal(0), _yuan(rng, 0, 100))
    return Budget(
        template=template,
        fiscal_year=year,
        unit=Unit(name=name, functions="负责本部门职责范围内的工作。", functions_detail=["负责本部门工作。"],
                  staffing=Staffing(authorized=staff, actual=staff - rng.randint(0, 3), retired=rng.randint(0, 20)),
                  vehicles=Vehicles(total=rng.randint(0, 3), authorized=rng.randint(0, 3)),
                  work_goals=["完成年度工作目标。"], head="负责人", preparer="填报人", phone="0755-00000000"),
        income=income,
        lines=lines,
        projects=project_list,
        groups=groups,
        procurement=procurement,
        three_public=three,
        last_year=LastYear(income_total=last_total, expenditure_total=last_total, three_public=last_three),
    )


def generate_source(seed: int, projects: int | None = None) -> str:
    return dump_budget(generate_budget(seed, projects))
