"""Which printed column holds which template column."""

from __future__ import annotations

from deptbudget.importers.columns import column_positions
from deptbudget.importers.source import Location, SourceLine
from deptbudget.model.disclosure import CellKind, Column, HeaderCell

_COLUMNS = [Column("unit_code", "单位编码", CellKind.CODE), Column("unit", "单位名称", CellKind.TEXT),
            Column("total", "合计"), Column("meetings", "会议费"), Column("training", "培训费")]


def _line(*cells: str) -> SourceLine:
    return SourceLine(list(cells), Location(page=1), exact=True)


def test_a_row_number_column_the_template_lacks_moves_every_column_one_on() -> None:
    """Xi'an's 表13 of 2022 prints 序号 first; its garbled header names no column well enough."""
    header = [[HeaderCell("序号单位编码", 0, 0), HeaderCell("单位名称", 0, 2), HeaderCell("费", 0, 4)]]
    body = [_line("1", "", "合计", "9520", "2380", "7140"), _line("2", "234", "某局", "9520", "2380", "7140")]
    assert column_positions(_COLUMNS, header, body) == [1, 2, 3, 4, 5]
    unnumbered = [_line("", "合计", "9520", "2380", "7140"), _line("234", "某局", "9520", "2380", "7140")]
    assert column_positions(_COLUMNS, header, unnumbered) == [0, 1, 2, 3, 4]

COLUMNS = [Column("code", "科目编码", CellKind.CODE), Column("name", "科目名称", CellKind.TEXT),
           Column("last_year", "2025年预算数"), Column("total", "总计"), Column("basic", "基本支出"),
           Column("project", "项目支出")]


def _header(*labels: str) -> list[list[HeaderCell]]:
    return [[HeaderCell(label, 0, col) for col, label in enumerate(labels)]]


def _body(width: int) -> list[SourceLine]:
    return [SourceLine(["201", "一般公共服务支出", *["1.00"] * (width - 2)], Location(line=3))]


def test_a_table_printed_with_every_column_is_read_by_position() -> None:
    header = _header("科目编码", "科目名称", "2025年预算数", "总计", "基本支出", "项目支出")
    assert column_positions(COLUMNS, header, _body(6)) == [0, 1, 2, 3, 4, 5]


def test_a_table_printed_without_one_column_is_read_by_its_labels() -> None:
    header = _header("科目编码", "科目名称", "总计", "基本支出", "项目支出")
    assert column_positions(COLUMNS, header, _body(5)) == [0, 1, None, 2, 3, 4]


def test_a_header_narrower_than_its_rows_is_garbled_and_read_by_position() -> None:
    header = _header("科目编码", "科目名称", "总计", "基本支出", "项目支出")  # a label lost in extraction
    assert column_positions(COLUMNS, header, _body(6)) == [0, 1, 2, 3, 4, 5]


def test_a_row_number_column_with_gaps_where_rows_wrapped_still_moves_every_column_on() -> None:
    """西安 气象局 表4 (2022): row 3 ``其中：专项资金列入部门预算的项目`` wraps, its number on a line of two cells."""
    header = [[HeaderCell("序号单位编码", 0, 0), HeaderCell("单位名称", 0, 2), HeaderCell("费", 0, 4)]]
    body = [_line("1", "", "合计", "9520", "2380", "7140"), _line("2", "234", "某局", "9520", "2380", "7140"),
            _line("3", "其中：专项资金列入部门预算的项目"), _line("", "", "", "0", "0", "0"),
            _line("4", "235", "某中心", "0", "0", "0")]
    assert column_positions(_COLUMNS, header, body) == [1, 2, 3, 4, 5]
    shuffled = [_line("2", "", "合计", "9520", "2380", "7140"), _line("1", "234", "某局", "9520", "2380", "7140")]
    assert column_positions(_COLUMNS, header, shuffled)[0] == 0  # not numbered from 1 upwards: no 序号 column
