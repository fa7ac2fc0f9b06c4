"""The pure grid model (deptbudget.render.grid) on small hand-made tables: where every cell lands,
what it spans, how far it is indented. Positions are worked out by hand from the tables below."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

from deptbudget.model.disclosure import Cell, CellKind, Column, HeaderCell, Row, RowKind, Table
from deptbudget.render.grid import (
    GridCell,
    header_rows,
    indent_column,
    is_amount_cell,
    looks_numeric,
    table_grid,
)

A, T, C = CellKind.AMOUNT, CellKind.TEXT, CellKind.CODE


def _amount(text: str) -> Cell:
    return Cell(text, Decimal(text), A)


def _data(key: str, level: int, code: str, name: str, *amounts: Cell, kind: RowKind = RowKind.DATA) -> Row:
    cells = {"code": Cell(code, kind=C), "name": Cell(name), "total": amounts[0], "basic": amounts[1],
             "project": amounts[2]}
    return Row(key, cells, kind=kind, level=level)


def functional_table() -> Table:
    """科目编码 | 科目名称 | 合计 | 其中: 基本支出, 项目支出 — a two-row header with merges."""
    columns = [Column("code", "科目编码", C), Column("name", "科目名称", T), Column("total", "合计"),
               Column("basic", "基本支出"), Column("project", "项目支出")]
    header = [
        [HeaderCell("科目编码", 0, 0, rowspan=2), HeaderCell("科目名称", 0, 1, rowspan=2),
         HeaderCell("合计", 0, 2, rowspan=2), HeaderCell("其中", 0, 3, colspan=2)],
        [HeaderCell("项目支出", 1, 4), HeaderCell("基本支出", 1, 3)],  # out of column order on purpose
    ]
    rows = [
        _data("total", 0, "", "合计", _amount("30.00"), _amount("20.00"), _amount("10.00"), kind=RowKind.TOTAL),
        _data("206", 1, "206", "科学技术支出", _amount("30.00"), _amount("20.00"), _amount("10.00")),
        _data("20604", 2, "20604", "技术研究与开发", _amount("30.00"), _amount("20.00"), _amount("10.00")),
        _data("2060404", 3, "2060404", "科技成果转化与扩散", _amount("30.00"), _amount("20.00"), Cell("—", kind=A)),
    ]
    return Table("T6", "6", "一般公共预算支出表", columns, header, rows)


def test_merged_header_cells_keep_their_spans() -> None:
    grid = table_grid(functional_table())
    assert (grid.ncols, grid.header_rows, grid.nrows) == (5, 2, 6)
    spans = {(c.row, c.col): (c.text, c.rowspan, c.colspan) for c in grid.header_cells()}
    assert spans == {
        (0, 0): ("科目编码", 2, 1),
        (0, 1): ("科目名称", 2, 1),
        (0, 2): ("合计", 2, 1),
        (0, 3): ("其中", 1, 2),
        (1, 4): ("项目支出", 1, 1),
        (1, 3): ("基本支出", 1, 1),
    }
    assert all(c.header and c.bold for c in grid.header_cells())
    assert grid.row_kinds == [None, None, RowKind.TOTAL, RowKind.DATA, RowKind.DATA, RowKind.DATA]


def test_body_rows_follow_the_header_with_indent_by_level() -> None:
    grid = table_grid(functional_table())
    body = {(c.row, c.col): c for c in grid.body_cells()}
    assert len(body) == 4 * 5 and all(c.rowspan == c.colspan == 1 for c in body.values())
    # the name column (rightmost text column) shows the hierarchy; level 1 is flush left, the total never indents
    assert [body[(r, 1)].indent for r in range(2, 6)] == [0, 0, 1, 2]
    assert [body[(r, 0)].indent for r in range(2, 6)] == [0, 0, 0, 0]
    assert [body[(r, 1)].bold for r in range(2, 6)] == [True, False, False, False]
    assert body[(5, 0)].kind is C and body[(5, 2)].kind is A
    assert body[(5, 4)].text == "—" and body[(5, 4)].kind is T  # printed in an amount column, not a number


def test_table_without_header_prints_its_column_labels() -> None:
    t = functional_table()
    t.header = []
    grid = table_grid(t)
    assert grid.header_rows == 1
    assert [(c.row, c.col, c.text) for c in grid.header_cells()] == [
        (0, 0, "科目编码"), (0, 1, "科目名称"), (0, 2, "合计"), (0, 3, "基本支出"), (0, 4, "项目支出")
    ]
    assert [(c.row, c.text) for c in grid.body_cells() if c.col == 1][0] == (1, "合计")


def test_empty_table_prints_its_note_across_the_width() -> None:
    t = functional_table()
    t.rows, t.empty, t.empty_note = [], True, "本单位无此项支出。"
    grid = table_grid(t)
    assert grid.body_cells() == [GridCell(2, 0, "本单位无此项支出。", colspan=5)]
    assert grid.row_kinds == [None, None, None]
    t.empty_note = ""
    assert table_grid(t).body_cells()[0].text == "本表无数据。"


def form_table() -> Table:
    """A 绩效目标表: two fields (one of two lines), a heading, then indicator rows."""
    columns = [Column("l1", "一级指标", T), Column("l2", "二级指标", T), Column("l3", "三级指标", T),
               Column("target", "指标值", T)]

    def field(key: str, label: str, value: str) -> Row:
        return Row(key, {"label": Cell(label), "value": Cell(value)}, kind=RowKind.FIELD)

    def indicator(key: str, *texts: str) -> Row:
        return Row(key, {c.key: Cell(text) for c, text in zip(columns, texts, strict=True)})

    rows = [
        field("name", "项目名称", "科技创新专项"),
        field("goal", "年度目标", "目标一\n目标二"),
        Row("heading", {"label": Cell("年度绩效指标")}, kind=RowKind.HEADING),
        indicator("i1", "产出指标", "数量指标", "资助企业数", "≥10家"),
        indicator("i2", "产出指标", "数量指标", "资助项目数", "≥5个"),
        indicator("i3", "产出指标", "质量指标", "验收合格率", "100%"),
        indicator("i4", "效益指标", "质量指标", "带动就业", "≥100人"),
    ]
    return Table("T15", "15", "项目支出绩效目标表", columns, rows=rows, layout="form")


def _spans(grid_cells: list[GridCell]) -> dict[tuple[int, int], tuple[str, int, int]]:
    return {(c.row, c.col): (c.text, c.rowspan, c.colspan) for c in grid_cells}


def test_form_table_fields_headings_and_merged_indicator_runs() -> None:
    grid = table_grid(form_table())
    assert (grid.header_rows, grid.nrows) == (0, 7)
    spans = _spans(grid.cells)
    assert spans[(0, 0)] == ("项目名称", 1, 1) and spans[(0, 1)] == ("科技创新专项", 1, 3)
    assert spans[(1, 1)] == ("目标一\n目标二", 1, 3)  # one row: the DOCX keeps the line break in the cell
    assert spans[(2, 0)] == ("年度绩效指标", 1, 4)
    assert spans[(3, 0)] == ("产出指标", 3, 1)  # 产出指标 printed once for rows 3–5
    assert spans[(3, 1)] == ("数量指标", 2, 1)
    # 质量指标 in rows 5 and 6 is not merged: the run would cross the 产出/效益 boundary of column 0
    assert spans[(5, 1)] == ("质量指标", 1, 1) and spans[(6, 1)] == ("质量指标", 1, 1)
    assert spans[(6, 0)] == ("效益指标", 1, 1)
    assert not {(4, 0), (5, 0), (4, 1)} & set(spans)  # covered by the merged cells
    assert {(r, c) for r in range(3, 7) for c in (2, 3)} <= set(spans)
    assert [c.bold for c in grid.cells if c.col == 0 and c.row < 3] == [True, True, True]


def test_split_lines_puts_each_line_of_a_field_on_its_own_row() -> None:
    grid = table_grid(form_table(), split_lines=True)
    assert grid.nrows == 8
    spans = _spans(grid.cells)
    assert spans[(1, 0)] == ("年度目标", 2, 1)
    assert spans[(1, 1)] == ("目标一", 1, 3) and spans[(2, 1)] == ("目标二", 1, 3)
    continued = {(c.row, c.col) for c in grid.cells if c.continued}
    assert continued == {(2, 1)}
    assert spans[(3, 0)] == ("年度绩效指标", 1, 4)
    assert spans[(4, 0)] == ("产出指标", 3, 1) and spans[(4, 1)] == ("数量指标", 2, 1)


def test_header_rows_sort_each_line_by_column() -> None:
    t = functional_table()
    assert [[h.col for h in line] for line in header_rows(t)] == [[0, 1, 2, 3], [3, 4]]
    assert header_rows(form_table()) == []


def test_indent_column_is_the_label_of_the_last_amount_block() -> None:
    columns = [Column("income_item", "项目", T), Column("income", "预算数"), Column("exp_item", "项目", T),
               Column("exp", "预算数")]
    both = {"income_item": Cell("一般公共预算拨款"), "exp_item": Cell("科学技术支出")}
    assert indent_column(both, columns) == "exp_item"
    assert indent_column({"income_item": Cell("事业收入"), "exp_item": Cell("")}, columns) == "income_item"
    assert indent_column({}, columns) is None


def test_amount_and_numeric_tests() -> None:
    assert is_amount_cell(Cell("1"), Column("x", "x", A)) and is_amount_cell(Cell("1", kind=A), None)
    assert not is_amount_cell(Cell("1"), Column("x", "x", T)) and not is_amount_cell(Cell("1"), None)
    assert looks_numeric("1,234.50") and looks_numeric("-3") and looks_numeric(" 0.00 ")
    assert not looks_numeric("—") and not looks_numeric("") and not looks_numeric("12万")


def test_grid_imports_no_layout_library() -> None:
    code = "import sys, deptbudget.render.grid; print(sorted(m for m in ('reportlab', 'docx') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
