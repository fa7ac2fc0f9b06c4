"""Segmenting layouts seen in unit budgets (上海, 江苏): a numbered contents list under 目录, a page header
repeated on every page, a heading after a table's last page, a unit line whose name wraps over cells,
``4．2026年…`` numbering and 合计 printed in the code column of a tree."""

from __future__ import annotations

import pytest

from deptbudget.catalog import load_catalog
from deptbudget.importers.cells import RowContext
from deptbudget.importers.grid import unit_line
from deptbudget.importers.numbering import split_number
from deptbudget.importers.report import TableReport
from deptbudget.importers.rows import func_tree_rows
from deptbudget.importers.segment import segment
from deptbudget.importers.source import Location, SourceLine
from deptbudget.importers.titles import choose_template, title_index
from deptbudget.importers.vocabulary import vocabulary
from deptbudget.model.disclosure import CellKind, Column


def _line(*cells: str, page: int = 1, role: str | None = None) -> SourceLine:
    hints = {"role": role} if role else {}
    return SourceLine(list(cells), Location(page=page), exact=True, hints=hints)


def _known(text: str) -> bool:
    return title_index().known(text)


def test_numbered_titles_in_the_contents_are_entries_not_tables() -> None:
    lines = [
        _line("目 录"),
        _line("一、单位主要职能"),
        _line("五、单位预算表"),
        _line("1.", "2026年预算单位财务收支预算总表"),
        _line("2. 2026年预算单位收入预算总表"),
        _line("3．2026年预算单位支出预算总表"),
        _line("六、其他相关情况说明"),
        _line("2026年预算单位财务收支预算总表", page=2),
        _line("编制单位：某局", "单位：元", page=2),
        _line("收入总计", "100", "支出总计", "100", page=2),
    ]
    layout = segment(lines, _known)
    assert [block.title.title for block in layout.blocks] == ["2026年预算单位财务收支预算总表"]
    assert layout.contents == ["1. 2026年预算单位财务收支预算总表", "2. 2026年预算单位收入预算总表",
                               "3. 2026年预算单位支出预算总表"]


def test_the_contents_of_a_locality_no_template_describes_list_the_tables_their_words_name() -> None:
    """With no template knowing a title (read as an unknown locality), an entry is still a table when its words name
    a table's role (``_role_titles.yaml``) — not ``五、单位预算表``, the heading over them: the 上海 contents read
    so lost their tables to it, and the check said 目录中未列出一般公共预算支出表."""
    lines = [
        _line("目 录"),
        _line("一、单位主要职能"),
        _line("五、单位预算表"),
        _line("1.", "2026年预算单位财务收支预算总表"),
        _line("2. 2026年预算单位一般公共预算支出功能分类预算表"),
        _line("六、其他相关情况说明"),
        _line("2026年预算单位财务收支预算总表", page=2),
        _line("编制单位：某局", "单位：元", page=2),
        _line("收入总计", "100", "支出总计", "100", page=2),
    ]
    layout = segment(lines, lambda _text: False)
    assert layout.contents == ["1. 2026年预算单位财务收支预算总表", "2. 2026年预算单位一般公共预算支出功能分类预算表"]


def test_a_contents_entry_before_a_part_is_no_table() -> None:
    lines = [_line("目录"), _line("第二部分 2026 年度部门预算表"), _line("一、收支总表"), _line("二、收入总表"),
             _line("第三部分 2026 年度部门预算情况说明")]
    layout = segment(lines, _known)
    assert layout.blocks == []
    assert layout.contents == ["1. 收支总表", "2. 收入总表"]


def test_a_page_header_on_every_page_is_skipped() -> None:
    header = "某局 2026 年度部门预算公开"
    lines = [_line("收支总表", page=1)]
    for page in (2, 3, 4):
        lines += [_line(header, page=page), _line("一、一般公共预算拨款收入", "4,651.67", page=page)]
    layout = segment(lines, _known)
    assert [line.text for line in layout.blocks[0].lines] == ["一、一般公共预算拨款收入 4,651.67"] * 3
    assert [reason for _, reason in layout.skipped] == ["页眉 (running header)"] * 3


def test_a_heading_on_the_page_after_a_table_ends_it() -> None:
    lines = [
        _line("“三公”经费和机关运行经费预算表", page=19),
        _line("237.92", "201.80", "8.12", page=19),
        _line("其他相关情况说明", page=20, role="heading"),
        _line("2026年“三公”经费预算数为237.92万元。", page=20, role="paragraph"),
    ]
    layout = segment(lines, _known)
    assert [line.text for line in layout.blocks[0].lines] == ["237.92 201.80 8.12"]


def test_the_unit_line_repeated_on_the_next_page_stays_in_the_table() -> None:
    lines = [
        _line("收支总表", page=1),
        _line("一、一般公共预算拨款收入", "4,651.67", page=1),
        _line("单位名称：某局 单位：元", page=2, role="heading"),
        _line("收入总计", "4,651.67", page=2),
    ]
    assert len(segment(lines, _known).blocks[0].lines) == 3


def test_a_unit_name_wrapped_over_cells() -> None:
    line = _line("编制单位：上海市财务", "会计综合管理事务中", "心（上海市财政科学研究", "所）", "单位：元")
    assert unit_line(line) == ("上海市财务会计综合管理事务中心（上海市财政科学研究所）", "元")
    assert unit_line(_line("编制单位：某局", "行政运行", "1,000", "单位：元")) is None


def test_a_number_before_a_year_prefixed_title() -> None:
    numbered = split_number("4．2026年预算单位财政拨款收支预算总表")
    assert numbered is not None and (numbered.number, numbered.rest) == ("4", "2026年预算单位财政拨款收支预算总表")
    assert split_number("4.20") is None


def test_a_total_printed_in_the_code_column_of_a_tree() -> None:
    columns = [Column("code", "科目编码", CellKind.CODE), Column("name", "科目名称", CellKind.TEXT),
               Column("total", "合计", CellKind.AMOUNT)]
    ctx = RowContext(columns, load_catalog(2020), "某局", TableReport("T5", None, "", ""))
    rows = func_tree_rows([_line("201", "一般公共服务支出", "100"), _line("合计", "", "100")], ctx)
    assert [row.key for row in rows] == ["201", "total"]


def test_a_family_template_does_not_win_a_tie_by_what_it_inherits() -> None:
    # jiangsu-13 inherits mof-9's 一般公共预算支出表 and prints it as 公开07表: a lone 表7 of that title is
    # recognised by shenzhen-15 (表7) as well, which extends no other template
    assert choose_template(["2021年一般公共预算支出情况表"], numbers=["7"]).name == "shenzhen-15"
    assert choose_template(["收支总表", "财政拨款支出表（功能科目）"], numbers=["1", "5"]).name == "jiangsu-13"


def test_income_lines_named_by_their_funds() -> None:
    # 上海 unit budgets print 表4's income lines as 一、一般公共预算资金 / 二、政府性基金 as well
    labels = vocabulary().income_labels
    assert (labels["一般公共预算资金"], labels["政府性基金"], labels["国有资本经营预算资金"]) == (
        "general_budget", "gov_fund", "state_capital")


@pytest.mark.parametrize("marker", ["目 录", "报表目录"])
def test_a_contents_row_saying_the_table_is_empty_is_still_an_entry(marker: str) -> None:
    """``表9 | …收支表 | 是 | 不涉及`` (空表 and its reason) after ``表8 | …``: both are the contents, not tables."""
    lines = [
        _line(marker),
        _line("表1", "2026年部门综合预算收支总表"),
        _line("表2", "2026年部门综合预算收入总表"),
        _line("表3", "2026年部门综合预算政府性基金收支表", "是", "不涉及"),
        _line("2026年部门综合预算收支总表", page=2),
        _line("单位：元", page=2),
        _line("收入总计", "100", "支出总计", "100", page=2),
    ]
    layout = segment(lines, _known)
    assert [block.title.title for block in layout.blocks] == ["2026年部门综合预算收支总表"]
    assert layout.listed_empty == {"3": "不涉及"}  # 是否空表: 是, and why
    assert layout.contents[-1] == "3. 2026年部门综合预算政府性基金收支表"


def test_a_contents_page_without_its_heading_is_the_contents() -> None:
    # 北京 情况说明: the file opens on 第一部分 … 一、… 第二部分 … 一、收支总表 … with no 目录 over them
    lines = [_line("第一部分 2026 年度部门预算情况说明", role="part"), _line("一、部门情况说明"),
             _line("二、收入预算情况说明"), _line("第二部分 2026 年度部门预算报表", role="part"),
             _line("一、收支总表"), _line("二、收入总表"), _line("- 1 -"),
             _line("一、部门情况说明", page=2), _line("北京市气象局属于公益性事业单位。", page=2),
             _line("二、收入预算情况说明", page=2), _line("2026 年度收入预算 30775.65 万元。", page=2)]
    layout = segment(lines, _known)
    assert layout.title is None
    assert layout.blocks == []
    assert layout.contents == ["1. 收支总表", "2. 收入总表"]
    assert [part.title for part in layout.parts] == ["一、部门情况说明", "二、收入预算情况说明"]


def test_numbered_lines_followed_by_text_are_no_contents() -> None:
    lines = [_line("一、部门情况说明"), _line("北京市气象局属于公益性事业单位。"), _line("二、收入预算情况说明"),
             _line("三、支出预算情况说明"), _line("四、其他情况说明"), _line("2026 年度收入预算 30775.65 万元。")]
    layout = segment(lines, _known)
    assert [part.title for part in layout.parts][:1] == ["一、部门情况说明"]
    assert layout.toc == []


def test_an_item_of_the_text_that_names_a_table_is_no_table() -> None:
    # 福州: "1.项目支出绩效目标表" / "本单位无项目支出绩效目标表。" inside 七、绩效目标 — text, not the table
    lines = [_line("第三部分 2026 年度单位预算情况说明", role="part"), _line("七、预算绩效情况说明"),
             _line("1.项目支出绩效目标表"), _line("本单位无项目支出绩效目标表。"), _line("八、其他重要事项说明")]
    layout = segment(lines, _known)
    assert layout.blocks == []
    assert "1.项目支出绩效目标表" in [line.text for part in layout.parts for line in part.lines]


def test_a_contents_page_with_leaders_and_no_heading_is_the_contents() -> None:
    lines = [_line("第一部分 部门概况……………………1"), _line("一、部门职责……………………1"), _line("二、机构设置", "2"),
             _line("第二部分 2026年部门预算情况说明………3"), _line("一、收支预算总体情况…………3"),
             _line("一、部门职责", page=2), _line("负责全市统计工作。", page=2),
             _line("二、机构设置", page=2), _line("内设机构8个。", page=2)]
    layout = segment(lines, _known)
    assert [part.title for part in layout.parts] == ["一、部门职责", "二、机构设置"]
    assert len(layout.toc) == 5


def test_a_narrative_half_takes_its_template_from_the_tables_its_contents_list() -> None:
    from deptbudget.importers.recover import _tables_named

    titles = ["收支总表", "收入总表", "支出总表", "财政拨款收支总表", "一般公共预算支出表", "一般公共预算基本支出表",
              "政府性基金预算支出表", "国有资本经营预算支出表", "财政拨款“三公”经费支出表", "政府采购预算明细表",
              "财政拨款政府购买服务明细表", "项目支出绩效目标表", "部门整体支出绩效目标表"]
    contents = [_line("第一部分 2026 年度部门预算情况说明", role="part"), _line("一、部门情况说明"),
                _line("二、收入预算情况说明"), _line("第二部分 2026 年度部门预算报表", role="part")]
    numbers = [*"一二三四五六七八九十", "十一", "十二", "十三"]
    listed = [_line(f"{number}、{title}") for number, title in zip(numbers, titles, strict=True)]
    body = [_line("一、部门情况说明", page=2), _line("本局主管全市气象工作。", page=2)]
    layout = segment(contents + listed + body, _known)
    assert layout.blocks == []
    assert choose_template(*_tables_named(layout, "北京市气象局")).name == "beijing-13"


def test_the_cover_line_naming_the_unit_is_kept_for_the_front_matter() -> None:
    lines = [_line("上海市2026年市级单位预算", role="title"), _line("预算单位：上海市审计局", role="cover"),
             _line("2026年3月", role="cover"), _line("目 录")]
    layout = segment(lines, _known)
    assert [line.text for line in layout.front] == ["预算单位：上海市审计局"]
    assert [reason for _, reason in layout.skipped] == ["封面 (cover page)"]


def test_tables_no_template_describes_keep_one_id_each() -> None:
    from deptbudget.importers.recover import _unique_ids
    from deptbudget.model.disclosure import Table

    tables = [Table("X2", "2", "收入总体情况表", []), Table("X2", "2", "部门主管专项资金的绩效目标表", []),
              Table("T2", "2", "收入总表", []), Table("T2", "2", "收入总表", [])]
    _unique_ids(tables)
    assert [t.id for t in tables] == ["X2", "X2-2", "T2", "T2"]  # a template's ids are its own (续表 joined later)


def test_a_table_printed_without_its_number_takes_it_from_the_contents() -> None:
    from deptbudget.importers.recover import _numbers_from_contents
    from deptbudget.model.disclosure import Table

    tables = [Table("X?", None, "2026年预算单位收入预算总表", []), Table("X?-2", None, "未列入目录的表", [])]
    _numbers_from_contents(tables, ["1. 2026年预算单位财务收支预算总表", "2. 2026年预算单位收入预算总表"], "某局")
    assert [(t.id, t.number) for t in tables] == [("X2", "2"), ("X?-2", None)]


def test_a_title_with_its_number_on_the_next_line_over_the_unit_line_is_a_table() -> None:
    """国家信访局's 决算: ``收入支出决算总表`` / ``公开01表`` / ``部门：国家信访局 | 金额单位：万元`` — titles no
    template needs to know, each numbered on the line under it."""
    lines = [_line("第二部分", role="part"), _line("某某局2024年度部门决算表", role="heading"),
             _line("收入支出决算总表", page=2, role="paragraph"), _line("公开01表", page=2, role="paragraph"),
             _line("部门：某某局", "金额单位：万元", page=2), _line("项目", "行次", "金额", page=2),
             _line("一、一般公共预算财政拨款收入", "1", "19,572.91", page=2),
             _line("收入决算表", page=3, role="paragraph"), _line("公开02表", page=3, role="paragraph"),
             _line("部门：某某局", "金额单位：万元", page=3), _line("科目代码", "科目名称", "本年收入合计", page=3),
             _line("201", "一般公共服务支出", "16,770.89", page=3)]
    layout = segment(lines, lambda text: False)
    assert [(b.title.number, b.title.title, b.title.marker) for b in layout.blocks] == [
        ("1", "收入支出决算总表", "公开01表"), ("2", "收入决算表", "公开02表")]
    assert unit_line(lines[4]) == ("某某局", "万元")
