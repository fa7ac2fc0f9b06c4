"""Layout facts of the Beijing, Guangzhou and Fuzhou families, in small hand-written text documents:
a 目录 listing the tables by their titles, a numbered heading over the table's own title with the
year, a title ending in a bracketed qualifier, codes printed inside the name cell, a spaced-out
合计, a page number alone on its line; and the pieces that read them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.importers import import_document
from deptbudget.importers.cells import is_total_label
from deptbudget.importers.codes import leading_code
from deptbudget.importers.numbering import split_number
from deptbudget.importers.pdf import _empty_leading_columns
from deptbudget.importers.segment import artefact
from deptbudget.importers.source import Location, SourceLine
from deptbudget.importers.titles import ends_like_table_title
from deptbudget.model.disclosure import Disclosure

# A 目录 that lists the tables (一、… 表) before the tables themselves (表5 / title / rows), codes in
# the name cell and the total row first: the Guangzhou layout.
LISTED = """\
2026年测试局部门预算
目录
第一部分 测试局概况
第二部分 2026年部门预算表
五、一般公共预算支出情况表（按功能分类科目）
第一部分 测试局概况
一、主要职责
测试局负责测试工作。
第二部分 2026年部门预算表
表5
一般公共预算支出情况表（按功能分类科目）
单位名称：测试局\t\t\t单位：万元
功能科目名称\t小计\t其中：基本支出\t项目支出
合   计\t1,000.00\t600.00\t400.00
[208]社会保障和就业支出\t1,000.00\t600.00\t400.00
 [20805]行政事业单位养老支出\t1,000.00\t600.00\t400.00
  [2080505]机关事业单位基本养老保险缴费支出\t600.00\t600.00\t
  [2080599]其他行政事业单位养老支出\t400.00\t\t400.00
"""

# A numbered heading right over the table's title with the year (Fuzhou), the total printed last
# and spaced out (Beijing).
HEADED = """\
2026年度测试局单位预算
五、一般公共预算拨款支出预算表
2026 年度一般公共预算拨款支出预算表
单位：万元
科目编码\t科目名称\t小计\t基本支出\t项目支出
208\t社会保障和就业支出\t1,000.00\t600.00\t400.00
20805\t行政事业单位养老支出\t1,000.00\t600.00\t400.00
2080505\t机关事业单位基本养老保险缴费支出\t600.00\t600.00\t
2080599\t其他行政事业单位养老支出\t400.00\t\t400.00
合      计\t\t1,000.00\t600.00\t400.00
"""


def _import(tmp_path: Path, text: str) -> Disclosure:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return import_document(path)[0]


def test_listed_titles_are_the_contents_not_tables(tmp_path: Path) -> None:
    disclosure = _import(tmp_path, LISTED)
    assert [t.id for t in disclosure.tables] == ["T5"]
    assert disclosure.contents == ["5. 一般公共预算支出情况表（按功能分类科目）"]


def test_codes_inside_the_name_cell_and_a_spaced_total(tmp_path: Path) -> None:
    table = _import(tmp_path, LISTED).tables[0]
    keys = [row.key for row in table.rows]
    assert keys == ["total", "208", "20805", "2080505", "2080599"]
    assert table.rows[3].cells["name"].text == "[2080505]机关事业单位基本养老保险缴费支出"  # kept as printed
    assert table.rows[0].cells["total"].value == Decimal("1000.00")


def test_heading_over_the_title_with_the_year(tmp_path: Path) -> None:
    disclosure = _import(tmp_path, HEADED)
    assert [t.id for t in disclosure.tables] == ["T5"]
    table = disclosure.tables[0]
    assert (table.number, table.title) == ("5", "一般公共预算拨款支出预算表")
    assert table.subtitle == "2026 年度一般公共预算拨款支出预算表"
    assert table.rows[-1].key == "total"
    assert table.rows[-1].cells["basic"].value == Decimal("600.00")


@pytest.mark.parametrize(("text", "found"), [
    ("[2014001]行政运行", ("2014001", "行政运行")),
    (" [20140]信访事务", ("20140", "信访事务")),
    ("【301】工资福利支出", ("301", "工资福利支出")),
    ("2010801-行政运行", ("2010801", "行政运行")),
    ("301 工资福利支出", ("301", "工资福利支出")),
    ("2025年预算数", None),
    ("合计", None),
    ("12", None),
])
def test_leading_code(text: str, found: tuple[str, str] | None) -> None:
    assert leading_code(text) == found


@pytest.mark.parametrize(("text", "title"), [
    ("一般公共预算支出情况表（按功能分类科目）", True),
    ("一般公共预算基本支出情况表(按经济分类科目)", True),
    ("收支总表", True),
    ("主要用于机关运行（含离退休人员）", False),
])
def test_title_with_a_qualifier(text: str, title: bool) -> None:
    assert ends_like_table_title(text) is title


@pytest.mark.parametrize(("text", "number", "rest"), [
    ("预算01表 收支总表", "1", "收支总表"), ("预算 09表 财政拨款“三公”经费支出表", "9", "财政拨款“三公”经费支出表"),
    ("预算表12 项目支出绩效目标表", "12", "项目支出绩效目标表"),
])
def test_beijing_numbers(text: str, number: str, rest: str) -> None:
    found = split_number(text)
    assert found is not None and (found.number, found.rest) == (number, rest)


@pytest.mark.parametrize("text", ["预算 1698.15 万元。", "预算 0 万元。", "预算 16 万元"])
def test_budget_amounts_are_no_table_numbers(text: str) -> None:
    assert split_number(text) is None


def test_spaced_total_label() -> None:
    assert is_total_label("合   计") and is_total_label("总 计") and not is_total_label("合作项目")


def test_bare_page_number_on_its_own_printed_line() -> None:
    page = SourceLine(["7"], Location(page=3), hints={"role": "paragraph"})
    cell = SourceLine(["7"], Location(page=3, row=9), exact=True)
    assert artefact(page) is not None
    assert artefact(cell) is None  # in a table a lone figure is data


def test_empty_leading_columns_of_a_ruled_table() -> None:
    assert _empty_leading_columns([["", "预算03表", None], [None, "2050803-培训支出", "1.00"]]) == 1
    assert _empty_leading_columns([["合计", "1.00"], ["", "2.00"]]) == 0
    assert _empty_leading_columns([["", ""], [None, ""]]) == 1  # one column is always kept


def test_an_empty_first_column_wide_enough_for_text_is_a_column() -> None:
    # 公开13表 continued onto a page where no row names its 采购品目大类: the empty column is 75pt wide and
    # its cells must stay under their headings; a ruling 5pt before the table is still no column
    rows: list[list[str | None]] = [["", "科技创新专项资金", "费用补贴", "100.00"], ["", "定额", "印刷费", "4.00"]]
    assert _empty_leading_columns(rows, [75.4, 125.1, 72.0, 40.0]) == 0
    assert _empty_leading_columns(rows, [5.2, 125.1, 72.0, 40.0]) == 1
