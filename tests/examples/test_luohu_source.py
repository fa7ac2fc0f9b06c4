"""examples/luohu-2020.yaml against the published 2020 budget of 罗湖区科技创新局 (the seed).

The seed prints 万元 rounded to two decimals figure by figure, so its parts do not foot.  The
source holds exact 元 leaves chosen so that naive half-up rounding of every leaf and of every
aggregate reproduces the printed figure.  The printed numbers below are data copied from the
seed, not results.  Only PyYAML is used: the check does not depend on the project's code.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

SOURCE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"


class DecimalLoader(yaml.SafeLoader):
    """SafeLoader whose floats are Decimals built from the scalar text: no float touches money."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(loader.construct_scalar(node).replace("_", ""))


DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


def money(value: object) -> Decimal:
    assert not isinstance(value, (bool, float)), value
    if isinstance(value, str):
        return Decimal(value.replace(",", ""))
    return Decimal(value)  # type: ignore[arg-type]


def wan(yuan: Decimal) -> Decimal:
    """元 → 万元, naive half-up to two decimals."""
    return (yuan / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


DATA = yaml.load(SOURCE.read_text(encoding="utf-8"), Loader=DecimalLoader)  # noqa: S506

# Every leaf: (kind, func, eco, fund, amount 元, project code)
LEAVES: list[tuple[str, str, str | None, str, Decimal, str | None]] = [
    ("basic", str(x["func"]), str(x["eco"]), x.get("fund", "general_funds"), money(x["amount"]), None)
    for x in DATA["basic"]
] + [
    ("project", str(p["func"]), p.get("eco"), p.get("fund", "general_funds"), money(p["amount"]), p["code"])
    for p in DATA["projects"]
]
PROJECTS = {p["code"]: p for p in DATA["projects"]}


def total(kind: str | None = None, func: str = "", eco: tuple[str, ...] = ()) -> Decimal:
    """Sum of the leaves of `kind` whose 功能分类 starts with `func` and 经济分类 with one of `eco`."""
    return sum(
        (
            amount
            for k, f, e, _fund, amount, _code in LEAVES
            if (kind is None or k == kind) and f.startswith(func) and (not eco or (e is not None and e.startswith(eco)))
        ),
        Decimal(0),
    )


# --- 表1 / 表6 / 表7: 支出功能分类, printed (支出总计, 基本支出, 项目支出) in 万元 ---------------------
FUNC_PRINTED = {
    "201": ("303.18", None, "303.18"),
    "20132": ("303.18", None, "303.18"),
    "2013299": ("303.18", None, "303.18"),
    "206": ("16633.82", "511.71", "16122.12"),
    "20601": ("600.71", "511.71", "89.00"),
    "2060101": ("511.71", "511.71", None),
    "2060102": ("89.00", None, "89.00"),
    "20604": ("15567.80", None, "15567.80"),
    "2060499": ("15567.80", None, "15567.80"),
    "20607": ("410.00", None, "410.00"),
    "2060702": ("410.00", None, "410.00"),
    "20608": ("45.00", None, "45.00"),
    "2060899": ("45.00", None, "45.00"),
    "20699": ("10.32", None, "10.32"),
    "2069999": ("10.32", None, "10.32"),
    "208": ("100.70", "100.70", None),
    "20805": ("100.70", "100.70", None),
    "2080501": ("43.80", "43.80", None),
    "2080505": ("37.94", "37.94", None),
    "2080506": ("18.97", "18.97", None),
    "210": ("16.04", "16.04", None),
    "21011": ("16.04", "16.04", None),
    "2101101": ("16.04", "16.04", None),
    "221": ("90.38", "90.38", None),
    "22102": ("90.38", "90.38", None),
    "2210201": ("60.22", "60.22", None),
    "2210203": ("30.16", "30.16", None),
    "": ("17144.13", "718.83", "16425.30"),  # 合计 (表7 first row; 表1/2/3/6 totals)
}


@pytest.mark.parametrize("func", list(FUNC_PRINTED))
def test_functional_classification_rounds_to_printed(func: str) -> None:
    printed_total, printed_basic, printed_project = FUNC_PRINTED[func]
    assert wan(total(None, func)) == Decimal(printed_total)
    assert wan(total("basic", func)) == Decimal(printed_basic or "0")
    assert wan(total("project", func)) == Decimal(printed_project or "0")


# --- 表4 基本支出预算表: 经济分类, printed 万元 --------------------------------------------------
ECO_PRINTED = {
    ("301",): "619.37",  # 工资福利支出
    ("30101",): "66.87",  # 基本工资
    ("30102",): "394.36",  # 津贴补贴 (2060101 + 2210203 购房补贴)
    ("30103",): "5.57",  # 奖金
    ("30108",): "37.94",  # 机关事业单位基本养老保险缴费
    ("30109",): "18.97",  # 职业年金缴费
    ("30110",): "14.80",  # 职工基本医疗保险缴费
    ("30112",): "1.24",  # 其他社会保障缴费
    ("30113",): "60.22",  # 住房公积金
    ("30199",): "19.39",  # 其他工资福利支出
    ("302", "310"): "55.67",  # 商品和服务支出, which in 表4 includes 办公设备购置
    ("30201",): "10.15",  # 办公费
    ("30202",): "0.68",  # 印刷费
    ("30203",): "0.68",  # 咨询费
    ("30204",): "0.34",  # 手续费
    ("30207",): "2.03",  # 邮电费
    ("30211",): "3.38",  # 差旅费
    ("30213",): "2.37",  # 维修（护）费
    ("30216",): "1.35",  # 培训费
    ("30226",): "3.38",  # 劳务费
    ("30227",): "6.77",  # 委托业务费
    ("30228",): "4.90",  # 工会经费
    ("30229",): "0.96",  # 福利费
    ("30231",): "3.15",  # 公务用车运行维护费
    ("30239",): "12.83",  # 其他交通费用
    ("30299",): "2.37",  # 其他商品和服务支出
    ("31002",): "0.34",  # 办公设备购置
    ("303",): "43.80",  # 对个人和家庭的补助
    ("30302",): "43.80",  # 退休费
    ("3",): "718.83",  # 合计
}


@pytest.mark.parametrize("eco", list(ECO_PRINTED), ids=["+".join(e) for e in ECO_PRINTED])
def test_basic_economic_classification_rounds_to_printed(eco: tuple[str, ...]) -> None:
    assert wan(total("basic", "", eco)) == Decimal(ECO_PRINTED[eco])


def test_basic_leaves_cover_the_basic_expenditure() -> None:
    assert total("basic") == total("basic", "", ("301", "302", "303", "310"))


# --- 第二、三部分 narrative ---------------------------------------------------------------------
def test_narrative_figures() -> None:
    personnel = total("basic", "", ("301",))
    operating = total("basic", "", ("302", "310"))
    transfers = total("basic", "", ("303",))
    expenditure = total()
    assert wan(personnel) == Decimal("619.37")  # 人员支出
    assert wan(operating) == Decimal("55.67")  # 公用支出
    assert wan(transfers) == Decimal("43.80")  # 对个人和家庭的补助支出
    assert wan(personnel + operating + transfers) == Decimal("718.83")
    assert wan(total("project")) == Decimal("16425.30")  # 项目支出
    assert wan(expenditure) == Decimal("17144.13")
    last_year = DATA["last_year"]
    assert money(last_year["income_total"]) == money(last_year["expenditure_total"])
    increase = expenditure - money(last_year["expenditure_total"])
    assert wan(increase) == Decimal("298.27")  # 比 2019 年增加
    assert pct(increase, money(last_year["expenditure_total"])) == Decimal("1.77")  # 增长 1.77%


# --- 收入: 表1 / 表2 / 表6, and income == expenditure ------------------------------------------------
def test_income_equals_expenditure_per_fund_source() -> None:
    income = {key: money(value) for key, value in DATA["income"].items()}
    spent: dict[str, Decimal] = {}
    for _kind, _func, _eco, fund, amount, _code in LEAVES:
        spent[fund] = spent.get(fund, Decimal(0)) + amount
    assert income == spent
    assert sum(income.values()) == total()
    assert wan(sum(income.values())) == Decimal("17144.13")  # 收入合计 / 财政预算拨款 / 一般公共预算拨款
    assert wan(income["general_funds"]) == Decimal("17133.81")  # 一般性经费拨款
    assert wan(income["investment"]) == Decimal("10.32")  # 政府投资项目拨款
    assert income["general_funds"] == total() - income["investment"]


# --- 表13 项目 and 第三部分 (四) groups ------------------------------------------------------------
PROJECT_PRINTED = [  # 表13, in its order
    ("离退休老干部活动经费", "3.18"),
    ("粤港澳大湾区无人机大赛经费", "150.00"),
    ("罗湖区智能停车引导系统建设项目", "10.32"),
    ("菁英人才各项综合服务补贴", "300.00"),
    ("大梧桐新兴产业带工作经费（国检大厦租金）", "600.30"),
    ("自主创新经费", "150.00"),
    ("科协科普经费", "230.00"),
    ("三模基地维护经费", "30.00"),
    ("科技项目调研、咨询经费", "45.00"),
    ("预算准备金", "81.00"),
    ("大梧桐新兴产业带工作经费", "198.00"),
    ("产业转型升级资金", "13800.00"),
    ("高交会、创客周组展项目", "60.00"),
    ("基层党组织党建工作经费", "8.00"),
    ("人才建设经费", "100.00"),
    ("创新驱动经费", "147.50"),
    ("人工智能特色小镇规划经费", "370.00"),
    ("大梧桐新兴产业带建设工作购买服务项目", "122.00"),
    ("安全生产监督管理经费（专项资金）", "20.00"),
]

GROUP_PRINTED = [  # 第三部分 (四), in its order
    ("政府投资项目", "10.32"),
    ("产业转型升级资金", "13800.00"),
    ("创新驱动与产业服务", "1667.80"),
    ("科技交流与合作", "45.00"),
    ("人才建设", "400.00"),
    ("科普工作", "410.00"),
    ("党政事务", "8.00"),
    ("其他管理事务", "3.18"),
    ("预算准备金", "81.00"),
]


def test_projects_follow_table_13() -> None:
    projects = DATA["projects"]
    assert [p["name"] for p in projects] == [name for name, _ in PROJECT_PRINTED]
    assert [p["code"] for p in projects] == [f"LHKCJ2020-{i:02d}" for i in range(1, 20)]
    for project, (_name, printed) in zip(projects, PROJECT_PRINTED, strict=True):
        assert wan(money(project["amount"])) == Decimal(printed), project["name"]
    assert [p["code"] for p in projects if p.get("new")] == ["LHKCJ2020-02"]


def test_groups_follow_part_three() -> None:
    assert [g["name"] for g in DATA["groups"]] == [name for name, _ in GROUP_PRINTED]
    for name, printed in GROUP_PRINTED:
        amount = sum((money(p["amount"]) for p in DATA["projects"] if p["group"] == name), Decimal(0))
        assert wan(amount) == Decimal(printed), name


def test_calculation_items_add_up_to_the_project_amount() -> None:
    for project in DATA["projects"]:
        items = project["calculation"].get("items") or []
        if project["code"] in ("LHKCJ2020-05", "LHKCJ2020-14"):
            # the printed 测算明细 do not add up (6,002,018 vs 6,003,000; 77,000 vs 80,000): the source
            # completes them with a line the seed did not print, and says so in a comment
            assert items[-1]["label"] in ("按千元向上取整", "购买党建书籍"), project["name"]
        assert items, project["name"]
        assert sum(money(i["amount"]) for i in items) == money(project["amount"]), project["name"]
        for item in items:
            if "quantity" in item and "unit_price" in item:
                assert money(item["quantity"]) * money(item["unit_price"]) == money(item["amount"])


# --- 表11 / 表3, 表12, 第七部分 ---------------------------------------------------------------------
def test_procurement() -> None:
    assert wan(sum(money(p["amount"]) for p in DATA["procurement"])) == Decimal("180.00")  # 实际指标
    assert wan(sum(money(p["annual_amount"]) for p in DATA["procurement"])) == Decimal("180.00")


def test_three_public() -> None:
    def parts(tp: dict) -> tuple[Decimal, ...]:
        values = [money(tp[k]) for k in ("overseas", "reception", "vehicle_purchase", "vehicle_operation")]
        overseas, reception, purchase, operation = values
        return overseas + reception + purchase + operation, overseas, reception, purchase + operation, operation

    this_year = parts(DATA["three_public"])
    last_year = parts(DATA["last_year"]["three_public"])
    assert tuple(wan(v) for v in this_year) == tuple(map(Decimal, ("12.65", "0.00", "9.50", "3.15", "3.15")))
    assert tuple(wan(v) for v in last_year) == tuple(map(Decimal, ("13.65", "0.00", "10.50", "3.15", "3.15")))
    assert wan(last_year[0] - this_year[0]) == Decimal("1.00")  # 减少 1.00 万元
    assert money(DATA["three_public"]["vehicle_operation"]) == total("basic", "", ("30231",))


def test_admin_operating() -> None:
    admin = money(DATA["admin_operating"])
    last = money(DATA["last_year"]["admin_operating"])
    assert admin == total("basic", "", ("302", "310"))  # = 公用支出
    assert wan(admin) == Decimal("55.67")
    assert wan(admin - last) == Decimal("2.67")
    # The seed prints a growth of 5.06%; 2.67 / 53.00 is 5.04% and no amount printing as 55.67
    # gives 5.06% (it would need ≥ 556,792 元).  The source keeps the consistent value.
    assert pct(admin - last, last) == Decimal("5.04")
    assert all(pct(a - last, last) != Decimal("5.06") for a in range(556650, 556750))
