"""A final accounts document (部门决算) is read by the templates of its kind: the 国家信访局 2024 决算 (the
Ministry of Finance's nine 决算 tables, pages as the PDF numbers them)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from deptbudget.importers.titles import choose_template
from deptbudget.model.disclosure import PANEL_TOTAL, Disclosure
from deptbudget.model.final_accounts import DocumentKind, Phase, phase_amounts
from tests.real_docs import REAL_DOCS, cell_value, imported

XFJ = REAL_DOCS / "009_武汉" / "信访局_国家信访局2024年度部门决算公开.pdf"

FINAL_TITLES = ["收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表",
                "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算表",
                "政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表",
                "一般公共预算财政拨款“三公”经费支出决算表"]


@pytest.fixture(scope="module")
def xfj() -> Disclosure:
    return imported(XFJ)


def test_final_accounts_titles_pick_the_final_accounts_template() -> None:
    assert choose_template(FINAL_TITLES, "国家信访局", kind=DocumentKind.FINAL_ACCOUNTS).name == "mof-final-9"
    # a budget's templates do not read a 决算, nor the 决算 template a budget
    assert choose_template(FINAL_TITLES, "国家信访局").name is None
    budget = ["部门收支总表", "部门收入总表", "部门支出总表", "财政拨款收支总表"]
    assert choose_template(budget, kind=DocumentKind.FINAL_ACCOUNTS).name is None
    assert choose_template(budget).name == "mof-9"


def test_the_document_is_final_accounts_with_its_nine_tables(xfj: Disclosure) -> None:
    assert (xfj.template, xfj.kind, xfj.fiscal_year, xfj.unit_name) == ("mof-final-9", "部门决算", 2024, "国家信访局")
    read = {t.id: t for t in xfj.tables if t.id.startswith("T")}
    assert sorted(read) == [f"T{n}" for n in range(1, 10)]
    assert all(read[t].rows for t in ("T1", "T2", "T3", "T4", "T5", "T6", "T7"))
    assert read["T8"].empty and read["T9"].empty  # 说明：国家信访局没有政府性基金收入 … 故本表无数据 (p.13, p.14)
    assert [read[t].page for t in ("T1", "T6", "T7")] == [7, 12, 15]


def test_cells_checked_by_eye(xfj: Disclosure) -> None:
    # p.7 收入支出决算总表: 年初结转和结余 1,615.24 | 年末结转和结余 7,494.06; 总计 22,066.59 both sides
    assert cell_value(xfj, "T1", "income=carryover;exp=year_end_balance", "income_amount") == Decimal("1615.24")
    assert cell_value(xfj, "T1", "income=carryover;exp=year_end_balance", "exp_amount") == Decimal("7494.06")
    assert cell_value(xfj, "T1", "income=this_year_and_carryover;exp=expenditure_total", "exp_amount") \
        == Decimal("22066.59")
    # p.8 收入决算表: 2014003 机关服务 839.13 = 财政拨款 229.19 + 其他收入 609.94
    assert [cell_value(xfj, "T2", "2014003", key) for key in ("total", "fiscal", "other")] == [
        Decimal("839.13"), Decimal("229.19"), Decimal("609.94")]
    # p.10 财政拨款收入支出决算总表: 本年支出合计 13,733.80 in 合计 and in 一般公共预算财政拨款
    assert cell_value(xfj, "T4", "income=this_year;exp=total", "exp_general_budget") == Decimal("13733.80")
    # p.11 一般公共预算财政拨款支出决算表: 2014099 其他信访事务支出 基本支出 540.61
    assert cell_value(xfj, "T5", "2014099", "basic") == Decimal("540.61")


def test_the_basic_expenditure_table_is_read_panel_by_panel(xfj: Disclosure) -> None:
    """p.12: 人员经费 | 公用经费 | (资本性支出 …) printed side by side; 公用经费合计's amount sits under the third
    panel's column."""
    assert cell_value(xfj, "T6", "30231", "total") == Decimal("40.61")  # 公务用车运行维护费, second panel
    assert cell_value(xfj, "T6", "31099", "total") == Decimal("2.58")  # 其他资本性支出, third panel
    assert cell_value(xfj, "T6", f"{PANEL_TOTAL}人员经费合计", "total") == Decimal("7967.72")
    assert cell_value(xfj, "T6", f"{PANEL_TOTAL}公用经费合计", "total") == Decimal("2266.65")


def test_three_public_budget_and_actual(xfj: Disclosure) -> None:
    """p.15: 预算数 (the 全年预算数) 76.43 and 决算数 46.21; 公务接待费 5.80 → 0.90."""
    table = xfj.table("T7")
    assert table is not None and len(table.rows) == 1
    total = phase_amounts(table.rows[0], "total")
    assert (total.adjusted, total.actual, total.execution_rate) == (Decimal("76.43"), Decimal("46.21"),
                                                                   Decimal("60.46"))
    reception = phase_amounts(table.rows[0], "reception")
    assert (reception.adjusted, reception.actual) == (Decimal("5.80"), Decimal("0.90"))
    assert {c.key for c in table.columns if c.key.startswith(Phase.ADJUSTED.prefix)} == {
        "adjusted_total", "adjusted_overseas", "adjusted_vehicles", "adjusted_vehicle_purchase",
        "adjusted_vehicle_operation", "adjusted_reception"}
