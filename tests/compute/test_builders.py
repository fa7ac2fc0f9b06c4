"""Each table builder on a budget of a few lines, through ``compute_disclosure``: rows, keys and
amounts checked against sums the test makes itself from the lines below (元 → 万元)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.disclosure import Disclosure, RowKind, Table
from deptbudget.sources.yaml_source import parse_budget
from deptbudget.template import load_template

# (kind, func, eco, fund, amount in 元, project)
LINES = [
    ("basic", "2010101", "30101", "general_funds", 120000, None),
    ("basic", "2010101", "30201", "general_funds", 30000, None),
    ("basic", "2080505", "30108", "special_account", 50000, None),
    ("project", "2060702", None, "general_funds", 200000, "P1"),
    ("project", "2030603", None, "gov_fund", 80000, "P2"),
]
FISCAL = {"general_funds", "special_funds", "investment", "gov_fund", "state_capital", "special_account"}
GENERAL = {"general_funds", "special_funds", "investment"}


def _source() -> str:
    income: dict[str, int] = {}
    for _, _, _, fund, amount, _ in LINES:
        income[fund] = income.get(fund, 0) + amount
    basic = "\n".join(f'  - {{func: "{f}", eco: "{e}", fund: {fund}, amount: {a}}}'
                      for k, f, e, fund, a, _ in LINES if k == "basic")
    return f"""
fiscal_year: 2020
template: shenzhen-15
unit:
  name: 小单位
  head: 甲
  preparer: 乙
  phone: "1"
  functions: 负责小事。
  functions_detail: [负责小事。]
  staffing: {{authorized: 2, actual: 2, retired: 0}}
  vehicles: {{total: 0, authorized: 0}}
  work_goals: [做好小事。]
income: {{{", ".join(f"{k}: {v}" for k, v in income.items())}}}
basic:
{basic}
projects:
  - code: P1
    name: 科普活动经费
    group: 科普
    func: "2060702"
    amount: 200000
    indicators:
      - [产出指标, 数量指标, 举办活动, ≥10 场]
  - code: P2
    name: 人防基金项目
    group: 人防
    func: "2030603"
    fund: gov_fund
    amount: 80000
    superior_transfer: true
    performance_managed: false
groups:
  - {{name: 科普, description: 科普活动}}
  - {{name: 人防, description: 人民防空}}
procurement:
  - {{project: P1, name: 科普服务, category: 其他服务, amount: 60000, annual_amount: 60000}}
three_public: {{reception: 15000, vehicle_operation: 10000}}
last_year:
  income_total: 400000
  expenditure_total: 400000
  three_public: {{reception: 20000, vehicle_operation: 12000}}
"""


def wan(pick: object = None, **where: object) -> Decimal:
    """Σ of the lines matching ``where`` (kind, fund in a set, func/eco prefix), in 万元."""
    total = 0
    for kind, func, eco, fund, amount, project in LINES:
        if "kind" in where and kind != where["kind"]:
            continue
        if "funds" in where and fund not in where["funds"]:  # type: ignore[operator]
            continue
        if "func" in where and not func.startswith(str(where["func"])):
            continue
        if "eco" in where and not (eco or "").startswith(str(where["eco"])):
            continue
        if "project" in where and project != where["project"]:
            continue
        total += amount
    return Decimal(total) / 10000


def _value(table: Table, key: str, column: str) -> Decimal | None:
    row = table.row(key)
    assert row is not None, (table.id, key, [r.key for r in table.rows])
    return row.cells[column].value


@pytest.fixture(scope="module")
def shenzhen() -> Disclosure:
    return compute_disclosure(parse_budget(_source(), "small-builders.yaml"))


@pytest.fixture(scope="module")
def mof() -> Disclosure:
    return compute_disclosure(parse_budget(_source(), "small-builders.yaml"), load_template("mof-9"))


def _t(d: Disclosure, table_id: str) -> Table:
    table = d.table(table_id)
    assert table is not None, table_id
    return table


def test_two_sided(shenzhen: Disclosure) -> None:
    t1 = _t(shenzhen, "T1")
    assert _value(t1, "income=fiscal;exp=201", "income_amount") == wan(funds=FISCAL)
    assert _value(t1, "income=fiscal;exp=201", "exp_amount") == wan(func="201")
    income = {r.key.split(";")[0]: r for r in t1.rows}
    assert income["income=general_budget"].cells["income_amount"].value == wan(funds=GENERAL)
    assert income["income=gov_fund"].cells["income_amount"].value == wan(funds={"gov_fund"})
    assert income["income=operating"].cells["income_amount"].is_blank
    total = t1.row("income=all;exp=total")
    assert total is not None and total.kind is RowKind.TOTAL
    assert total.cells["income_amount"].value == total.cells["exp_amount"].value == wan()
    assert t1.row("income=superior_subsidy;exp=none").kind is RowKind.DATA  # type: ignore[union-attr]
    t6 = _t(shenzhen, "T6")
    assert _value(t6, "income=this_year_and_carryover;exp=total", "exp_amount") == wan(funds=FISCAL)
    assert [c.label for c in t6.columns] == ["项目", "2020 年预算数", "项目", "2020 年预算数"]


def test_unit_rows(shenzhen: Disclosure) -> None:
    t2, t3 = _t(shenzhen, "T2"), _t(shenzhen, "T3")
    assert _value(t2, "unit", "total") == wan()
    assert _value(t2, "unit", "general_funds") == wan(funds={"general_funds"})
    assert t2.row("unit").cells["general_funds"].sources == ("income.general_funds",)  # type: ignore[union-attr]
    assert _value(t3, "unit", "basic") == wan(kind="basic")
    assert _value(t3, "unit", "project") == wan(kind="project")
    assert _value(t3, "unit", "procurement") == Decimal("6.00")


def test_trees(shenzhen: Disclosure, mof: Disclosure) -> None:
    t4 = _t(shenzhen, "T4")
    assert [r.key for r in t4.rows] == ["total", "301", "30101", "30108", "302", "30201"]
    assert _value(t4, "301", "total") == wan(kind="basic", eco="301")
    assert _value(t4, "30108", "special_account") == wan(kind="basic", eco="30108")
    t7 = _t(shenzhen, "T7")
    assert [r.key for r in t7.rows] == ["total", "201", "20101", "2010101", "206", "20607", "2060702"]
    assert _value(t7, "total", "basic") == wan(kind="basic", funds=GENERAL)
    assert _value(t7, "206", "project") == wan(kind="project", func="206", funds=GENERAL)
    assert _value(_t(shenzhen, "T8"), "total", "total") == wan(funds={"gov_fund"})
    t9 = _t(shenzhen, "T9")
    assert t9.empty and "本表为空表" in t9.empty_note and _value(t9, "total", "total") == 0
    t6 = _t(mof, "T6")
    assert _value(t6, "total", "personnel") == wan(kind="basic", funds=GENERAL, eco="301")
    assert _value(t6, "total", "operating") == wan(kind="basic", funds=GENERAL, eco="302")


def test_project_lists(shenzhen: Disclosure) -> None:
    t5 = _t(shenzhen, "T5")
    assert [r.key for r in t5.rows] == ["total", "P1:2060702", "P2:2030603"]
    assert _value(t5, "total", "total") == wan(kind="project")
    assert _value(t5, "P2:2030603", "gov_fund") == wan(project="P2")
    t10 = _t(shenzhen, "T10")
    assert [r.key for r in t10.rows] == ["total", "P2:2030603"] and _value(t10, "total", "total") == wan(project="P2")
    t13 = _t(shenzhen, "T13")
    assert [r.key for r in t13.rows] == ["P1"] and _value(t13, "P1", "general_budget") == wan(project="P1")
    t11 = _t(shenzhen, "T11")
    assert [r.key for r in t11.rows] == ["P1"] and _value(t11, "P1", "amount") == Decimal("6.00")


def test_three_public(shenzhen: Disclosure, mof: Disclosure) -> None:
    for table in (_t(shenzhen, "T12"), _t(mof, "T7")):
        assert [r.key for r in table.rows] == ["2019", "2020"]
        assert _value(table, "2020", "total") == Decimal("2.50")
        assert _value(table, "2020", "vehicles") == _value(table, "2020", "vehicle_operation") == Decimal("1.00")
        assert _value(table, "2019", "reception") == Decimal("2.00")


def test_forms(shenzhen: Disclosure) -> None:
    t14 = _t(shenzhen, "T14")
    fields = load_template("shenzhen-15").table("T14").form
    assert fields is not None
    assert _value(t14, "total", "value") == wan() and _value(t14, "project", "value") == wan(kind="project")
    assert t14.row("unit").cells["label"].text == fields.fields["unit"][0]  # type: ignore[union-attr]
    assert [r.key for r in t14.rows][-2:] == ["indicators", "other_notes"]
    t15s = shenzhen.tables_by_id("T15")
    assert [t.instance for t in t15s] == ["P1"]
    assert _value(t15s[0], "fiscal", "value") == wan(project="P1")
    assert t15s[0].columns[-1].label == "目标值"
    assert any(r.key == "indicator[0]" and r.cells["name"].text == "举办活动" for r in t15s[0].rows)


def test_mof_two_sided(mof: Disclosure) -> None:
    t1 = _t(mof, "T1")
    assert _value(t1, "income=this_year;exp=total", "income_amount") == wan()
    assert _value(t1, "income=this_year_and_carryover;exp=total", "exp_amount") == wan()
    t4 = _t(mof, "T4")
    assert _value(t4, "income=this_year;exp=total", "income_amount") == wan(funds=FISCAL - {"special_account"})


def test_every_builder_is_built_and_read_back() -> None:
    from deptbudget.compute.tables import BUILDERS
    from deptbudget.importers.rows import ROW_BUILDERS
    from deptbudget.template import Builder

    assert set(BUILDERS) == set(Builder)
    forms = {spec.builder for name in ("shenzhen-15", "mof-9") for spec in load_template(name).tables
             if spec.layout == "form"}
    assert set(ROW_BUILDERS) == set(Builder) - forms
