"""A table no template describes (``importers.tables.generic_columns``, ``rows.generic_rows``): each
column given the meaning its header states, the others kept as named extra columns; rows keyed by
code, else by name."""

from __future__ import annotations

from deptbudget.catalog import load_catalog
from deptbudget.importers.cells import RowContext
from deptbudget.importers.grid import header_cells, split_grid
from deptbudget.importers.report import TableReport
from deptbudget.importers.rows import generic_rows
from deptbudget.importers.source import Location, SourceLine
from deptbudget.importers.splitcodes import join_code_columns
from deptbudget.importers.tables import generic_columns
from deptbudget.model.disclosure import CellKind, RowKind


def _line(*cells: str, n: int = 1) -> SourceLine:
    return SourceLine(list(cells), Location(line=n))


def _read(lines: list[SourceLine]) -> tuple[list, list]:
    report = TableReport("?", "12", "某某表", Location())
    grid = split_grid(lines, "", report)
    header, body = join_code_columns(grid.header, grid.body)
    columns = generic_columns(header_cells(header), body)
    rows = generic_rows(body, RowContext(columns, load_catalog(2020), "", report))
    return columns, rows


def test_columns_get_the_meaning_their_header_states() -> None:
    columns, rows = _read([
        _line("科目编码", "", "", "科目名称", "合计", "基本支出", "", "项目支出", "采购数量", "备注", n=1),
        _line("类", "款", "项", "", "", "人员经费", "公用经费", "", "", "", n=2),
        _line("", "", "", "合 计", "30.00", "10.00", "5.00", "15.00", "3", "", n=3),
        _line("201", "08", "01", "行政运行", "30.00", "10.00", "5.00", "15.00", "3", "说明", n=4)])
    assert [(c.key, c.kind) for c in columns] == [
        ("code", CellKind.CODE), ("name", CellKind.TEXT), ("total", CellKind.AMOUNT), ("personnel", CellKind.AMOUNT),
        ("operating", CellKind.AMOUNT), ("project", CellKind.AMOUNT), ("c6", CellKind.TEXT), ("c7", CellKind.TEXT)]
    assert [c.label for c in columns][6:] == ["采购数量", "备注"]  # kept, named, not taken for amounts
    assert [(r.key, r.kind) for r in rows] == [("total", RowKind.TOTAL), ("2010801", RowKind.DATA)]
    assert rows[1].cells["project"].text == "15.00" and rows[1].cells["c7"].text == "说明"


def test_rows_without_codes_are_keyed_by_name_and_unknown_labels_stay_extra() -> None:
    columns, rows = _read([_line("项目名称", "预算数", "实施期", n=1),
                           _line("审计业务经费", "31.00", "2026", n=2),
                           _line("审计专项经费", "19.00", "2026", n=3)])
    assert [c.key for c in columns] == ["project_name", "c1", "c2"]
    assert columns[1].kind is CellKind.AMOUNT
    assert [r.key for r in rows] == ["审计业务经费", "审计专项经费"]
