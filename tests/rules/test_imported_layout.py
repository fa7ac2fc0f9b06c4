"""Format and catalog rules on a table as other localities print it: 类 names numbered (``一、``), words of
the layout in an amount column. Neither is a misprint of the document; a malformed figure still is."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from deptbudget.importers import import_document
from deptbudget.importers.report import ImportReport
from deptbudget.model.disclosure import Cell, CellKind, Column, Disclosure
from deptbudget.rules import Severity
from tests.rules.conftest import check, of, where

DOCUMENT = """\
2021年测试局部门预算
第一部分 部门概况
一、主要职能
测试局负责测试工作。
表 7 一般公共预算支出情况表
单位名称：测试局\t\t\t单位：元
科目编码\t科目名称\t支出总计\t基本支出\t项目支出
\t合计\t1,000.00\t600.00\t400.00
208\t一、社会保障和就业支出\t1,000.00\t600.00\t400.00
20805\t（一）行政事业单位养老\t1,000.00\t600.00\t400.00
2080505\t1.机关事业单位基本养老保险缴费支出\t600.00\t工资福利支出\t12.3.4
2080506\t机关事业单位职业年金缴费支出\t0\t保障运转，达到要求\t1,7144.13
2080599\t其他行政事业单位养老支出\t400.00\t≥\t400.00
"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Disclosure, ImportReport]:
    path = tmp_path_factory.mktemp("layout") / "test-2021.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    return import_document(path)


def test_numbering_is_no_part_of_the_name(imported: tuple[Disclosure, ImportReport]) -> None:
    disclosure, _ = imported
    table = disclosure.tables[0]
    assert table.row("208").cells["name"].text == "一、社会保障和就业支出"  # type: ignore[union-attr]  # as printed
    found = of(check(disclosure), "CAT-NAME")
    assert where(found) == {("表7", "20805", "科目名称", "行政事业单位养老支出", "（一）行政事业单位养老")}


def test_words_in_an_amount_column_are_no_misprinted_amount(imported: tuple[Disclosure, ImportReport]) -> None:
    disclosure, report = imported
    found = of(check(disclosure), "FMT-PARSE")
    assert [(f.row, f.actual) for f in found] == [("2080505", "12.3.4")]
    # the reader still reports what it could not read as an amount
    assert {(p.row, p.text) for p in report.tables[0].problems} == {
        ("2080505", "工资福利支出"), ("2080505", "12.3.4"), ("2080506", "保障运转，达到要求"), ("2080506", "1,7144.13"),
        ("2080599", "≥")}


def test_a_sentence_is_no_misplaced_separator(imported: tuple[Disclosure, ImportReport]) -> None:
    found = of(check(imported[0]), "FMT-SEPARATOR")
    assert [(f.row, f.actual, f.expected) for f in found] == [("2080506", "1,7144.13", "17,144.13")]


def test_a_change_on_last_year_may_be_negative(example: Disclosure) -> None:
    table = next(t for t in example.tables if t.id == "T7")
    index = next(i for i, c in enumerate(table.columns) if c.key == "project")
    table.columns[index] = Column("project", "比上年增减", CellKind.AMOUNT)
    rows = [r for r in table.rows if r.cells["project"].value and r.cells["basic"].value]
    for key in ("project", "basic"):
        cell = rows[0].cells[key]
        cell.value, cell.text = -cell.value, f"-{cell.text}"  # type: ignore[operator]
    found = of(check(example), "FMT-NEGATIVE")
    assert [(f.table, f.column) for f in found] == [("表7", "基本支出")]


def test_a_table_printed_to_the_yuan_keeps_its_own_decimals(example: Disclosure) -> None:
    """万元 printed with six decimals in every cell (as some localities do) is that table's precision;
    a cell printed otherwise still stands out."""
    table = next(t for t in example.tables if t.id == "T7")
    assert table.unit == "万元"
    amounts = [c.key for c in table.columns if c.kind is CellKind.AMOUNT]
    for r in table.rows:
        for key in amounts:
            cell = r.cells[key]
            if cell.value is not None and cell.text:
                cell.text = f"{cell.value:,.6f}"
    odd = next(r for r in table.rows if r.cells["total"].value)
    odd.cells["total"].text = f"{odd.cells['total'].value:.1f}"
    found = of(check(example), "FMT-DECIMALS")
    assert [(f.table, f.column, f.expected) for f in found] == [
        ("表7", "支出总计", f"{odd.cells['total'].value:,.6f}")]


def test_a_list_of_items_alone_is_no_broken_tree(example: Disclosure) -> None:
    """Some localities list only the 项 rows (``2010801 行政运行``) without their 类 and 款: no hierarchy to judge.
    Once a 类 row is printed, a 项 without its 款 is reported again."""
    table = next(t for t in example.tables if t.id == "T7")
    items = [r for r in table.rows if r.key.isdigit() and len(r.key) == 7]
    first_class = next(r for r in table.rows if r.key.isdigit() and len(r.key) == 3)
    table.rows = items
    assert not [f for f in of(check(example), "CAT-HIERARCHY") if f.table == "表7"]
    table.rows = [first_class, *items]
    assert [f for f in of(check(example), "CAT-HIERARCHY") if f.table == "表7"]


def test_another_years_catalog_gives_notes_not_errors(imported: tuple[Disclosure, ImportReport],
                                                      example: Disclosure) -> None:
    disclosure, _ = imported  # as a document of a year after the catalogs shipped: the last one judges it
    later = replace(disclosure, fiscal_year=2099)
    [name] = of(check(later), "CAT-NAME")
    assert name.severity is Severity.NOTE and "没有 2099 年的分类科目，按 2026 年判断" in name.message
    table = example.table("T7")  # the example is of 2020, whose catalog there is: an unknown code is an error
    assert table is not None
    row = next(r for r in table.rows if r.key == "2060499")
    row.cells["code"] = Cell("2060498")
    row.key = "2060498"
    [code] = of(check(example), "CAT-CODE")
    assert code.severity is Severity.ERROR and "仅供参考" not in code.message


def test_a_table_said_to_be_empty_needs_no_total_row(example: Disclosure) -> None:
    table = example.table("T8")  # 政府性基金预算支出情况表, a 功能分类 tree
    assert table is not None
    table.rows.clear()
    table.empty, table.empty_note = True, "（注：2020年没有使用政府性基金预算拨款安排的支出。）"
    assert not [f for f in of(check(example), "CMP-ROWS") if f.table == "表8"]
    table.empty, table.empty_note = False, ""  # no rows and nothing said: the 合计行 is missing
    assert [f.row for f in of(check(example), "CMP-ROWS") if f.table == "表8"] == ["合计行"]


def test_a_table_misprinted_throughout_is_one_finding(example: Disclosure) -> None:
    """Amounts printed without their two decimals: a few cells are each a finding, a whole table is one."""
    table = next(t for t in example.tables if t.id == "T7")
    cells = [r.cells["total"] for r in table.rows if r.cells["total"].value]
    assert len(cells) > 6
    for cell in cells[:2]:
        cell.text = f"{cell.value:.1f}"
    assert len([f for f in of(check(example), "FMT-DECIMALS") if f.table == "表7"]) == 2
    for cell in cells:
        cell.text = f"{cell.value:.1f}"
    [one] = [f for f in of(check(example), "FMT-DECIMALS") if f.table == "表7"]
    assert one.message.startswith(f"表7 有 {len(cells)} 个金额未保留两位小数，如 ")


def test_a_scope_note_on_a_title_is_no_other_title(example: Disclosure) -> None:
    """``（不含上年结转）`` after a title, or ``-不含上年结转`` inside its brackets, says what the table holds."""
    table = example.table("T6")
    assert table is not None and table.title and not of(check(example), "CMP-TABLE-TITLE")
    title = table.title
    table.title = f"{title}（不含上年结转）"
    assert not of(check(example), "CMP-TABLE-TITLE")
    table.title = f"{title}（按支出经济分类科目-不含上年结转）"
    assert [f.table for f in of(check(example), "CMP-TABLE-TITLE")] == ["表6"]  # words the contents lack
    table.title = f"{title}明细"
    assert [f.table for f in of(check(example), "CMP-TABLE-TITLE")] == ["表6"]


def test_a_total_row_printing_he_ji_as_its_unit_is_no_other_unit(example: Disclosure) -> None:
    """Older layouts print 合计 in the 单位名称 column of the total row: that names no unit."""
    table = example.table("T2")
    assert table is not None and not of(check(example), "XT-UNIT-NAME")
    row = next(r for r in table.rows if r.key == "unit")
    row.cells["unit"].text = "合计"
    assert not of(check(example), "XT-UNIT-NAME")
    row.cells["unit"].text = "罗湖区科技局"
    assert [f.table for f in of(check(example), "XT-UNIT-NAME")] == ["表2"]


def test_a_forms_figures_are_held_to_no_decimals(example: Disclosure) -> None:
    """A 绩效目标表's 资金总额 as filled in (Xi'an prints ``5859.6``, ``20000``) is no table amount."""
    form = next(t for t in example.tables if t.layout == "form" and t.unit == "万元")
    cell = next(r.cells["value"] for r in form.rows if r.key == "total")
    assert cell.value
    cell.text = f"{cell.value:.1f}"
    assert not of(check(example), "FMT-DECIMALS")
    form.layout = "grid"
    assert [f.table for f in of(check(example), "FMT-DECIMALS")] == [f"表{form.number}"]


def test_a_two_sided_table_said_to_be_empty_needs_no_footer_rows(example: Disclosure) -> None:
    table = example.table("T1")  # 收支预算总表, two-sided
    assert table is not None
    table.rows.clear()
    table.empty, table.empty_note = True, "目录：不涉及"
    assert not [f for f in of(check(example), "CMP-ROWS") if f.table == "表1"]
    table.empty_note = ""  # nothing said: its 合计 and 总计 rows are missing
    assert [f for f in of(check(example), "CMP-ROWS") if f.table == "表1"]


def test_a_name_with_its_parent_in_brackets_or_a_class_without_zhichu_is_the_official_name(
        example: Disclosure) -> None:
    """``行政运行（科学技术管理事务）`` names 2060101 and tells it from its namesakes; a 收支总表's list of 类
    may print ``一、一般公共服务`` under its 支出功能分类 heading. Elsewhere the short name stands out."""
    t1, t7 = example.table("T1"), example.table("T7")
    assert t1 is not None and t7 is not None and not of(check(example), "CAT-NAME")
    run = next(r for r in t7.rows if r.key == "2060101")
    run.cells["name"].text = "行政运行（科学技术管理事务）"
    next(r for r in t1.rows if r.key.endswith("exp=201")).cells["exp_item"].text = "一、一般公共服务"
    assert not of(check(example), "CAT-NAME")
    run.cells["name"].text = "行政运行（其他事务）"
    next(r for r in t7.rows if r.key == "201").cells["name"].text = "一般公共服务"
    assert sorted((f.table, f.row) for f in of(check(example), "CAT-NAME")) == [("表7", "201"), ("表7", "2060101")]


def test_a_subtotal_printed_blank_states_nothing_and_its_items_speak_for_it(example: Disclosure) -> None:
    """Xi'an 2020 prints ``1、财政拨款`` with no amount over its 拨款 items: nothing to foot, and 本年收入合计
    is the sum of those items."""
    table = example.table("T1")
    assert table is not None and not of(check(example), "SUM-INCOME")
    fiscal = next(r for r in table.rows if r.key.startswith("income=fiscal;"))
    fiscal.cells["income_amount"] = Cell("", kind=CellKind.AMOUNT, value=Decimal(0))
    assert not of(check(example), "SUM-INCOME")
    fiscal.cells["income_amount"] = Cell("5.00", kind=CellKind.AMOUNT, value=Decimal(5))
    assert of(check(example), "SUM-INCOME")
