"""功能分类 / 经济分类 codes printed over 类 / 款 / 项 columns (``importers.splitcodes``): joined into
one code column, a blank part taken from the rows above, no part of a code left as an amount."""

from __future__ import annotations

from deptbudget.importers.grid import header_cells, split_grid
from deptbudget.importers.report import TableReport
from deptbudget.importers.source import Location, SourceLine
from deptbudget.importers.splitcodes import code_groups, join_code_columns
from deptbudget.importers.tables import generic_columns
from deptbudget.model.disclosure import CellKind


def _line(*cells: str, n: int = 1) -> SourceLine:
    return SourceLine(list(cells), Location(line=n))


def test_a_tree_printed_level_by_level_gets_full_codes() -> None:
    header = [_line("科目编码", "", "", "科目名称", "合计"), _line("类", "款", "项", "", "")]
    body = [_line("", "", "", "合 计", "3.00"),
            _line("201", "", "", "一般公共服务支出", "3.00"),
            _line("", "08", "", "审计事务", "3.00"),
            _line("", "", "01", "行政运行", "1.00"),
            _line("", "", "04", "审计业务", "2.00"),
            _line("208", "05", "01", "行政单位离退休", "4.00")]
    new_header, new_body = join_code_columns(header, body)
    assert [line.cells for line in new_header] == [["科目编码", "科目名称", "合计"], ["", "", ""]]
    assert [line.cells[0] for line in new_body] == ["", "201", "20108", "2010801", "2010804", "2080501"]
    assert new_body[0].cells[1] == "合 计"


def test_two_code_groups_of_two_levels() -> None:
    header = [_line("科目编码", "", "部门经济分类", "科目编码", "", "政府经济分类", "合计"),
              _line("类", "款", "", "类", "款", "", "")]
    body = [_line("301", "", "工资福利支出", "501", "", "机关工资福利支出", "10.00"),
            _line("301", "01", "基本工资", "501", "01", "工资奖金津补贴", "10.00"),
            _line("", "02", "津贴补贴", "", "01", "工资奖金津补贴", "5.00")]
    assert [(g.start, g.width) for g in code_groups(header)] == [(0, 2), (3, 2)]
    _, new_body = join_code_columns(header, body)
    assert [line.cells[:4] for line in new_body] == [["301", "工资福利支出", "501", "机关工资福利支出"],
                                                     ["30101", "基本工资", "50101", "工资奖金津补贴"],
                                                     ["30102", "津贴补贴", "50101", "工资奖金津补贴"]]


def test_a_header_without_levels_leaves_the_lines_alone() -> None:
    header = [_line("科目编码", "科目名称", "合计")]
    body = [_line("2010801", "行政运行", "1.00")]
    assert join_code_columns(header, body) == (header, body)


def test_joined_codes_are_no_amounts_in_a_generic_table() -> None:
    lines = [_line("类", "款", "项", "科目名称", "预算金额", n=1),
             _line("201", "03", "01", "行政运行", "120.00", n=2),
             _line("", "", "02", "一般行政管理事务", "80.00", n=3)]
    grid = split_grid(lines, "", TableReport("?", "12", "政府采购预算表", Location()))
    header, body = join_code_columns(grid.header, grid.body)
    columns = generic_columns(header_cells(header), body)
    assert [(c.key, c.kind) for c in columns] == [("code", CellKind.CODE), ("name", CellKind.TEXT),
                                                  ("c2", CellKind.AMOUNT)]
    assert [line.cells[0] for line in body] == ["2010301", "2010302"]


def test_a_code_printed_as_its_last_part_is_completed_from_its_parent() -> None:
    from deptbudget.catalog import load_catalog
    from deptbudget.importers.codes import complete_code

    catalog = load_catalog(2020)
    # 西安 prints a 款 as two digits under its 类: 205 教育支出 / 03 职业教育 / 2050303 技校教育
    assert complete_code(catalog, "exp_func", "03", ["205"], "职业教育") == "20503"
    # under a 款, the name decides between a 项 of that 款 and another 款 of the 类
    assert complete_code(catalog, "exp_func", "02", ["208", "20801"], "民政管理事务") == "20802"
    assert complete_code(catalog, "exp_func", "2050303", ["205"], "技校教育") is None
    assert complete_code(catalog, "exp_func", "03", [], "职业教育") is None
