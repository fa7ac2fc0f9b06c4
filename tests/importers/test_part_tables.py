"""A table printed inside a narrative part without a title (深圳 第七部分 重点项目预算绩效情况说明):
recognised by a header row naming an amount column and rows as wide with an amount in it."""

from __future__ import annotations

from deptbudget.catalog import load_catalog
from deptbudget.importers.recover import recover
from deptbudget.importers.segment import segment
from deptbudget.importers.source import Location, SourceLine
from deptbudget.importers.tables import TableContext, build_table
from deptbudget.importers.titles import title_index
from deptbudget.model.disclosure import CellKind

_HEADER = ("二级预算单位名称", "一级项目名称", "预算数（万元）", "绩效目标")


def _line(*cells: str, page: int = 1, role: str | None = None) -> SourceLine:
    hints = {"role": role} if role else {}
    return SourceLine(list(cells), Location(page=page), exact=True, hints=hints)


def _part(*body: SourceLine) -> list[SourceLine]:
    return [
        _line("2026年深圳市某局部门预算", page=1, role="title"),
        _line("第七部分 重点项目预算绩效情况说明", page=10, role="part"),
        _line("2026 年，本单位重点项目绩效目标情况如下：", page=10, role="paragraph"),
        *body,
        _line("备注：涉密项目按要求不予公开。", page=11, role="paragraph"),
        _line("第八部分 其他需要说明情况", page=11, role="part"),
    ]


def _rows() -> list[SourceLine]:
    return [
        _line(*_HEADER, page=10),
        _line("深圳市某局", "社工服务项目", "498.82", "通过预算投入，采购", page=10),
        _line("深圳市某局", "信访大厅运行", "603.84", "1.通过预算投入，聘请", page=10),
        _line("- 7 -", page=10, role="paragraph"),
        _line(*_HEADER, page=11),  # repeated over the rest of the table on the next page
        _line("", "", "", "保安团队。", page=11),  # the rest of the row above
        _line("深圳市某局", "预算准备金", "4.90", "保障临时性项目。", page=11),
    ]


def test_a_header_naming_an_amount_column_opens_a_table_of_the_part() -> None:
    layout = segment(_part(*_rows()), title_index().known)
    [block] = layout.blocks
    assert block.title.title == "重点项目预算绩效情况说明"
    assert [line.cells[2] for line in block.lines] == ["预算数（万元）", "498.82", "603.84", "4.90"]
    assert block.lines[2].cells[3] == "1.通过预算投入，聘请保安团队。"
    [part, _] = layout.parts
    assert [line.text for line in part.lines] == ["2026 年，本单位重点项目绩效目标情况如下：",
                                                  "备注：涉密项目按要求不予公开。"]
    assert not layout.front


def test_the_table_is_read_with_its_header_as_column_labels() -> None:
    [block] = segment(_part(*_rows()), title_index().known).blocks
    table, _ = build_table(block, None, TableContext(load_catalog(2026), 2026, "深圳市某局", "万元"))
    assert [c.label for c in table.columns] == list(_HEADER)
    assert table.columns[2].kind is CellKind.AMOUNT
    assert table.in_text
    assert [str(row.cells[table.columns[2].key].value) for row in table.rows] == ["498.82", "603.84", "4.90"]


def test_without_an_amount_column_in_the_header_the_rows_with_figures_are_still_a_table() -> None:
    lines = _part(_line("序号", "项目名称", "绩效目标"), _line("1", "社工服务项目", "498.82"))
    blocks = segment(lines, title_index().known).blocks
    assert [(b.title.in_part, [ln.cells for ln in b.lines]) for b in blocks] == [
        (True, [["序号", "项目名称", "绩效目标"], ["1", "社工服务项目", "498.82"]])]  # the labels are its header


def test_rows_with_figures_under_a_line_of_labels_no_reader_knows_are_read_into_cells() -> None:
    """西安 prints a small table in its narrative: ``年度 | 总收入支出 | 专项业务费 | 基本支出``, a row per year and
    the change, signed (``+406.39``); no header word says 预算数 or 金额. Its figures land in cells."""
    rows = [_line("年度", "总收入支出", "专项业务费", "基本支出", page=10),
            _line("2021", "1493.51", "1290.47", "203.04", page=10),
            _line("2022", "1899.9", "1535.82", "183.93", page=10),
            _line("- 10 -", page=10, role="paragraph"),
            _line("变化", "+406.39", "+425.5", "-19.11", page=11)]
    disclosure, _ = recover(_part(*rows), "x.txt", "txt")
    [table] = disclosure.tables
    values = [[str(c.value) for c in row.cells.values() if c.value is not None] for row in table.rows]
    assert values == [["1493.51", "1290.47", "203.04"], ["1899.9", "1535.82", "183.93"], ["406.39", "425.5", "-19.11"]]
    assert table.in_text and [c.label for c in table.columns][1:] == ["总收入支出", "专项业务费", "基本支出"]
    assert not any(c.parse_error for row in table.rows for c in row.cells.values())


def test_a_form_row_with_a_bound_and_an_amount_after_its_fund_rows_joins_them_as_words_and_figures() -> None:
    """A self-evaluation form's indicator row (国家信访局 决算): ``≤1638.67 万元`` under the column its 资金 rows print
    their 全年预算数 in is a cell of words, with the amount in it; so is ``1032.99万元`` (a unit written in): no
    misprinted figure."""
    header = ("项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "得分")
    rows = [_line(*header), _line("", "年度资金总额：", "1638.67", "1639.34", "1032.99", "6.3"),
            _line("", "其中：财政拨款", "1357.67", "1357.67", "751.32", "--"),
            _line("成本指标", "项目成本控制", "", "≤1638.67 万元", "1032.99万元", "20")]
    disclosure, _ = recover(_part(*rows), "x.txt", "txt")
    cells = [c for table in disclosure.tables for row in table.rows for c in row.cells.values()]
    assert any(c.text == "≤1638.67 万元" and c.kind is CellKind.TEXT and not c.parse_error for c in cells)
    assert any(c.text == "1032.99万元" and not c.parse_error for c in cells)  # words and a unit: no misprint


def test_a_header_with_no_row_of_amounts_under_it_opens_no_table() -> None:
    lines = _part(_line(*_HEADER), _line("2026年预算安排情况见下表。", role="paragraph"))
    assert not segment(lines, title_index().known).blocks


def test_the_table_is_imported_as_a_table_of_the_disclosure() -> None:
    disclosure, _ = recover(_part(*_rows()), "x.txt", "txt")
    assert [t.title for t in disclosure.tables] == ["重点项目预算绩效情况说明"]
