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
