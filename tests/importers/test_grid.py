"""A grid table's lines → header and body (``importers.grid``): the line numbering the columns under the
header (栏次) is no row of the table; a generic table's columns of codes or counts are no amounts."""

from __future__ import annotations

import pytest

from deptbudget.importers.grid import header_cells, is_column_numbers, split_grid
from deptbudget.importers.report import TableReport
from deptbudget.importers.source import Location, SourceLine
from deptbudget.importers.tables import generic_columns, is_code_or_count_label
from deptbudget.model.disclosure import CellKind


def _line(*cells: str, n: int = 1) -> SourceLine:
    return SourceLine(list(cells), Location(line=n))


@pytest.mark.parametrize("cells", [("栏次", "1", "2", "3", "4"), ("**", "**", "1", "2", "3", "4", "", "7", "6", "5"),
                                   ("1", "2", "3", "4", "5", "6", "7"), ("甲", "乙", "1", "2", "3"),
                                   ("栏次", "", "1", "栏次", "", "2")])  # a 决算 收支总表: one amount column a side
def test_column_numbers(cells: tuple[str, ...]) -> None:
    assert is_column_numbers(_line(*cells))


@pytest.mark.parametrize("cells", [("合计", "1", "2", "3"), ("208", "社会保障和就业支出", "1", "2", "3"),
                                   ("", "", "0", "1", "2"), ("", "1.00", "2.00", "3.00"), ("", "1", "2", ""),
                                   ("", "1", "1", "2", "3"), ("", "12", "13", "14"), ("行次", "1", "2"),
                                   ("栏次", "2")])
def test_rows_of_figures_are_not_column_numbers(cells: tuple[str, ...]) -> None:
    assert not is_column_numbers(_line(*cells))


def test_column_numbers_are_neither_header_nor_body() -> None:
    lines = [_line("科目编码", "科目名称", "合计", "基本支出", "项目支出", n=1),
             _line("栏次", "", "1", "2", "3", n=2),
             _line("", "合计", "3", "1", "2", n=3),
             _line("201", "一般公共服务支出", "3", "1", "2", n=4)]
    report = TableReport("T7", "7", "一般公共预算支出情况表", Location())
    grid = split_grid(lines, "", report)
    assert [line.where.line for line in grid.header] == [1]
    assert [line.where.line for line in grid.body] == [3, 4]
    assert [(s.text, s.where.line) for s in report.skipped] == [("栏次 1 2 3", 2)]


def test_a_generic_column_of_codes_or_counts_is_no_amount_column() -> None:
    lines = [_line("类", "款", "项", "科目名称", "数量", "预算金额", n=1),
             _line("201", "03", "01", "行政运行", "3", "120.00", n=2),
             _line("201", "03", "02", "一般行政管理事务", "1", "80.00", n=3)]
    report = TableReport("?", "12", "政府采购预算表", Location())
    grid = split_grid(lines, "", report)
    columns = generic_columns(header_cells(grid.header), grid.body)
    assert [(c.label, c.kind) for c in columns] == [
        ("类", CellKind.TEXT), ("款", CellKind.TEXT), ("项", CellKind.TEXT), ("科目名称", CellKind.TEXT),
        ("数量", CellKind.TEXT), ("预算金额", CellKind.AMOUNT)]


@pytest.mark.parametrize("label", ["指标权重(%)", "分值", "参会人数", "增长比例", "科目", "部门经济科目"])
def test_shares_scores_counts_and_codes_are_no_amounts(label: str) -> None:
    assert is_code_or_count_label(label)


@pytest.mark.parametrize("label", ["项目支出", "项目", "款项金额", "支出总计", "2026 年预算数"])
def test_amount_labels_are_not_taken_for_codes(label: str) -> None:
    assert not is_code_or_count_label(label)


def test_a_numbered_row_without_amounts_under_the_header_is_the_body() -> None:
    """Xi'an 2020: ``一、部门预算`` over each side of the 收支总表, no amount on it, opens the body."""
    lines = [_line("项目", "预算数", "支出功能分类", "预算数", n=1),
             _line("一、部门预算", "", "一、部门预算", "", n=2),
             _line("1、财政拨款", "", "1、一般公共服务", "56.52", n=3)]
    grid = split_grid(lines, "", TableReport("A1", "1", "部门综合预算收支总表", Location()))
    assert [line.where.line for line in grid.header] == [1]
    assert [line.where.line for line in grid.body] == [2, 3]


def test_a_header_printed_over_a_reprinted_row_is_taken_out_of_its_cells() -> None:
    # A page that prints a project's row again at its top prints the repeated header over it; pdf text
    # mixes the two, up to the characters (财政资金 over 446.953858).
    lines = [_line("项目名称", "项目总额", "其中：", "", "绩效目标", n=1),
             _line("", "", "财政资金", "其他资金", "", n=2),
             _line("5703-培训", "103.984764", "103.984764", "", "提升能力", n=3),
             _line("5703-培训", "103.984764 项目总额", "103.984764 其中：", "", "提升能力", n=4),
             _line("", "", "财政44资6.金953858", "其他资金", "", n=5),
             _line("项目名称", "", "其中：", "其他资金", "", n=6),
             _line("合计", "项目总额", "12.00", "", "", n=7)]
    report = TableReport("T18", "12", "项目支出绩效目标表", Location())
    grid = split_grid(lines, "", report)
    assert [line.cells for line in grid.body] == [
        ["5703-培训", "103.984764", "103.984764", "", "提升能力"],
        ["5703-培训", "103.984764", "103.984764", "", "提升能力"],
        ["", "", "446.953858", "", ""],
        ["合计", "项目总额", "12.00", "", ""]]
    assert [s.where.line for s in report.skipped] == [6]


@pytest.mark.parametrize("note", [
    "注：本表本年无发生额。", "本表无数据", "注：本部门无国有资本经营预算支出，故本表为空表。"])
def test_the_note_of_an_empty_table(note: str) -> None:
    lines = [_line("科目编码", "科目名称", "合计"), _line("", "合计", "0.00"), _line(note)]
    grid = split_grid(lines, "", TableReport(table_id="T9", number="9", title="政府性基金预算支出情况表",
                                             where=Location()))
    assert grid.empty_note == note.removeprefix("注：")
