"""A grid table's lines → header and body (``importers.grid``): the line numbering the columns under the
header (栏次) is no row of the table."""

from __future__ import annotations

import pytest

from deptbudget.importers.grid import is_column_numbers, split_grid
from deptbudget.importers.report import TableReport
from deptbudget.importers.source import Location, SourceLine


def _line(*cells: str, n: int = 1) -> SourceLine:
    return SourceLine(list(cells), Location(line=n))


@pytest.mark.parametrize("cells", [("栏次", "1", "2", "3", "4"), ("**", "**", "1", "2", "3", "4", "", "7", "6", "5"),
                                   ("1", "2", "3", "4", "5", "6", "7"), ("甲", "乙", "1", "2", "3")])
def test_column_numbers(cells: tuple[str, ...]) -> None:
    assert is_column_numbers(_line(*cells))


@pytest.mark.parametrize("cells", [("合计", "1", "2", "3"), ("208", "社会保障和就业支出", "1", "2", "3"),
                                   ("", "", "0", "1", "2"), ("", "1.00", "2.00", "3.00"), ("", "1", "2", ""),
                                   ("", "1", "1", "2", "3"), ("", "12", "13", "14")])
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
