"""The Shenzhen municipal layout of 2026 (shenzhen-11) on a real document of the corpus, and the
Chongqing 2026 documents whose table titles print the year in another font."""

from __future__ import annotations

from decimal import Decimal

import pytest

from deptbudget.model.disclosure import Disclosure
from tests.real_docs import REAL_DOCS, cell_value, imported

SHENZHEN = REAL_DOCS / "003_深圳" / "2026年深圳市信访局部门预算.pdf"
CHONGQING = REAL_DOCS / "004_重庆" / "2026年重庆市气象局部门预算.pdf"



@pytest.fixture(scope="module")
def shenzhen() -> Disclosure:
    return imported(SHENZHEN)


def test_shenzhen_municipal_layout_is_detected_with_its_eleven_tables(shenzhen: Disclosure) -> None:
    assert shenzhen.template == "shenzhen-11"
    assert [t.id for t in shenzhen.tables if not t.in_text] == [f"T{n}" for n in range(1, 12)]
    assert len(shenzhen.contents) == 11  # （一）收支总表 … （十一）国有资本经营预算支出表, not tables
    assert all(t.unit == "万元" for t in shenzhen.tables)


def test_shenzhen_cells_as_printed(shenzhen: Disclosure) -> None:
    # checked by eye against the PDF: 表1 on pages 15–16, 表3 page 18, 表5 page 23, 表8 pages 28–30, 表9 page 31
    assert cell_value(shenzhen, "T1", "income=appropriation;exp=201", "income_amount") == Decimal("4676.96")
    assert cell_value(shenzhen, "T1", "income=this_year_and_carryover;exp=total", "exp_amount") == Decimal("4684.30")
    # 表1 prints 信访事务 by name: the 2026 款 20140 that 表3 prints beside it (page 18), not the 2020 项 2010308
    assert cell_value(shenzhen, "T1", "income=general_budget;exp=20140", "exp_amount") == Decimal("3459.13")
    assert cell_value(shenzhen, "T1", "income=gov_fund;exp=2014001", "exp_amount") == Decimal("1866.84")
    assert cell_value(shenzhen, "T3", "2014004", "procurement") == Decimal("947.95")
    assert cell_value(shenzhen, "T3", "2014001", "procurement_sme") == Decimal("149.35")
    assert cell_value(shenzhen, "T3", "2210203", "total") == Decimal("553.33")  # the table's third page
    assert cell_value(shenzhen, "T5", "信访大厅运行:", "carryover") == Decimal("6.90")
    assert cell_value(shenzhen, "T8", "30227", "project") == Decimal("1143.78")
    assert cell_value(shenzhen, "T8", "30305", "basic") == Decimal("8.40")
    assert cell_value(shenzhen, "T9", "2026", "reception") == Decimal("2.98")
    assert cell_value(shenzhen, "T9", "2026", "vehicle_operation") == Decimal("2.60")
    assert next(t for t in shenzhen.tables if t.id == "T10").empty


def test_shenzhen_key_projects_printed_in_the_text_are_a_table(shenzhen: Disclosure) -> None:
    # pages 10–11, 第七部分 重点项目预算绩效情况说明: 二级预算单位名称 | 一级项目名称 | 预算数（万元） | 绩效目标,
    # no title of its own; 信访大厅运行's 绩效目标 runs onto page 11 under the repeated columns
    [projects] = [t for t in shenzhen.tables if t.in_text]
    assert projects.title == "重点项目预算绩效情况说明"
    assert [c.label for c in projects.columns] == ["二级预算单位名称", "一级项目名称", "预算数（万元）", "绩效目标"]
    assert [(r.cells["c1"].text, r.cells["c2"].value) for r in projects.rows] == [
        ("社工服务项目", Decimal("498.82")), ("信访大厅运行", Decimal("603.84")), ("信访专项", Decimal("486.39")),
        ("预算准备金", Decimal("4.90")), ("政务信息化项目（系统业务运营服务）", Decimal("0.44")),
        ("综合管理", Decimal("17.91"))]
    assert "从而实现提升信访法律服务水平的目标" in projects.rows[1].cells["c3"].text


def test_chongqing_titles_with_the_year_in_another_font_are_tables() -> None:
    disclosure = imported(CHONGQING)
    titles = [t.title for t in disclosure.tables]
    assert "2026年部门支出总体情况表" in titles  # 表三, page 9: 2026 printed in a Latin font
    # page 9: 合计 14,770 / .62 — the amount wraps inside its ruled cell and is read whole. (Chongqing has no
    # template of its own yet, so which column the figure lands in depends on the template detected.)
    [table] = [t for t in disclosure.tables if t.title == "2026年部门支出总体情况表"]
    texts = [cell.text for row in table.rows for cell in row.cells.values()]
    assert any("14,770.62" in text for text in texts) and any("5,321.50" in text for text in texts)  # p.10
    assert not {"14,770", "5,321"} & set(texts)  # not the integer halves
