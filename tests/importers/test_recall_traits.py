"""Layout traits that lost printed amounts (issue 12: ≥ 99% of each document's amounts read), each shown on a
hand-made case and on the real document it was found in."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from deptbudget.importers.pdf import CellBoxes, pdf_lines
from deptbudget.importers.recall import amounts_in_text, disclosure_amounts, document_text, matched
from deptbudget.importers.segment import segment
from deptbudget.importers.source import Location, SourceLine
from tests.real_docs import REAL_DOCS, imported

BEIJING_FORMS = REAL_DOCS / "002_北京" / "政府办公厅_附件2：北京市信访办公室2026年度部门预算报表.pdf"
XIAN_WEATHER = REAL_DOCS / "020_西安" / "气象局_2026年部门预算.pdf"
NATIONAL_FINAL = REAL_DOCS / "009_武汉" / "信访局_国家信访局2024年度部门决算公开.pdf"


def _word(text: str, x0: float, top: float) -> dict[str, Any]:
    return {"text": text, "x0": x0, "x1": x0 + 10 * len(text), "top": top, "bottom": top + 8, "size": 8}


def test_a_word_in_the_tables_outline_but_in_no_cell_is_not_read_by_the_table() -> None:
    # ruled cells to the right (x 407–767); on the left a merged cell whose lower ruling the page break cut off:
    # pdfplumber gives no cell there, though the table's outline (67–767) covers it
    cells = CellBoxes([(407.0, 472.0, 464.0, 486.0), (464.0, 472.0, 522.0, 486.0), (407.0, 514.0, 464.0, 528.0),
                       (75.0, 166.0, 147.0, 458.0)])
    assert cells.read(_word("产出指标", 408, 518))
    assert cells.read(_word("项目", 80, 300))  # inside the merged cell above
    assert not cells.read(_word("29.359500", 179, 518))  # under it, where no cell was drawn
    assert not cells.read(_word("页脚", 408, 600))


def test_a_project_printed_under_the_last_ruled_row_of_its_page_is_read() -> None:
    """北京's 项目支出绩效目标表: the last project of a page (``849-办公设备购置类 29.359500 29.359500``) is printed
    under its indicators' last ruled row and again at the top of the next page; both printings are read."""
    lines, _ = pdf_lines(BEIJING_FORMS)
    on_page_13 = [line for line in lines if line.where.page == 13 and "29.359500" in line.cells]
    assert on_page_13 and on_page_13[0].cells[0] == "849-办公设备购置类"
    found = disclosure_amounts(imported(BEIJING_FORMS))
    assert found[Decimal("29.3595")] >= 2


@pytest.mark.parametrize("path", [BEIJING_FORMS, XIAN_WEATHER, NATIONAL_FINAL], ids=lambda p: Path(p).parent.name)
def test_every_amount_printed_is_read(path: Path) -> None:
    """The three documents these traits were found in: every amount their text prints is in a cell or figure."""
    printed = amounts_in_text(document_text(path))
    hit, total = matched(printed, disclosure_amounts(imported(path)))
    assert hit == total, f"{total - hit} of {total} amounts not read"


def test_a_small_table_in_the_narrative_with_no_amount_word_in_its_header_is_read() -> None:
    """西安 气象局: ``年度 | 总收入支出 | 专项业务费 | 基本支出`` with a row per year and the change (``+406.39``)."""
    [table] = [t for t in imported(XIAN_WEATHER).tables if t.in_text]
    assert [c.label for c in table.columns] == ["年度", "总收入支出", "专项业务费", "基本支出"]
    assert [str(c.value) for c in table.rows[-1].cells.values() if c.value is not None] == ["406.39", "425.5", "-19.11"]


def _line(*cells: str, page: int) -> SourceLine:
    return SourceLine(list(cells), Location(page=page), exact=True)


def test_a_tables_number_alone_at_the_top_of_each_of_its_pages_is_no_running_header() -> None:
    """西安 prints ``表1`` over its title on each of the 收支总表's three pages; read with no template that knows the
    title, the number is what makes it a table title — it is not a page header to skip."""
    lines = [_line("第四部分 公开报表", page=15)]
    for page in (16, 17, 18):
        lines += [_line("表1", page=page), _line("2021年部门综合预算收支总表", page=page), _line("单位：元", page=page),
                  _line("项 目", "预算数", page=page), _line("一、部门预算", f"25859600{page}.79", page=page)]
    blocks = segment(lines, lambda title, unit_name="": False).blocks
    assert [(b.title.number, b.title.title) for b in blocks] == [("1", "2021年部门综合预算收支总表")] * 3


def test_an_unnumbered_title_no_template_knows_is_a_table_title_over_its_unit_line() -> None:
    """上海 prints its tables un-numbered (``2026年预算单位一般公共预算支出功能分类预算表``); read as a locality no
    template describes, the unit line under it (``编制单位：上海市审计局 | 单位：元``) is what makes it a title."""
    lines = [_line("四、单位预算编制说明", page=6), _line("2026年预算单位一般公共预算支出功能分类预算表", page=13),
             _line("编制单位：上海市审计局", "单位：元", page=13),
             _line("功能分类科目编码", "功能分类科目名称", "合计", page=13),
             _line("201", "一般公共服务支出", "134,339,860", page=13)]
    blocks = segment(lines, lambda title, unit_name="": False).blocks
    assert [(b.title.title, len(b.lines)) for b in blocks] == [("2026年预算单位一般公共预算支出功能分类预算表", 3)]


def test_a_table_in_a_part_under_a_title_no_template_knows_ends_where_the_part_goes_on() -> None:
    """西安's 第三部分 prints a 培训费明细表 between its sections; the section after it stays in the part."""
    def prose(text: str, role: str = "paragraph") -> SourceLine:
        return SourceLine([text], Location(page=18), exact=True, hints={"role": role})

    lines = [SourceLine(["第三部分：其他重要事项说明"], Location(page=17), hints={"role": "part"}),
             prose("十、会议费、培训费情况说明", "heading"), prose("本部门培训费预算支出21.00万元。"),
             prose("培训费明细表"), prose("单位：万元"), _line("序号", "培训名称", "人数", "金额", page=18),
             _line("1", "全市审计机关年度综合培训", "95", "3.65", page=18),
             prose("十一、国有资产占有使用及资产购置情况说明"), prose("截至上年底，本部门共有车辆4辆。")]
    layout = segment(lines, lambda title, unit_name="": False)
    assert [(b.title.title, len(b.lines)) for b in layout.blocks] == [("培训费明细表", 3)]
    assert [ln.text for ln in layout.parts[-1].lines][-2:] == ["十一、国有资产占有使用及资产购置情况说明",
                                                             "截至上年底，本部门共有车辆4辆。"]


def test_a_title_no_template_knows_over_the_first_row_of_a_ruled_table_is_its_title() -> None:
    """广州's stand-alone 部门整体预算绩效目标申报表: the title over a ruled table's first row, no unit line."""
    lines = [_line("部门整体预算绩效目标申报表", page=1),
             SourceLine(["部门名称", "广州市政务服务和数据管理局", ""], Location(page=1, row=1), exact=True),
             SourceLine(["预算整体情况", "基本支出", "12,634.14"], Location(page=1, row=2), exact=True)]
    blocks = segment(lines, lambda title, unit_name="": False).blocks
    assert [(b.title.title, len(b.lines)) for b in blocks] == [("部门整体预算绩效目标申报表", 2)]


def test_a_final_accounts_document_read_with_no_template_finds_its_tables_by_title() -> None:
    """国家信访局's nine 决算 tables, each titled over its number (``公开01表``) and the unit line: read with every
    template withheld, each is a table of its own with the role its title names, and every printed amount is read."""
    from benchmarks.unknown_locality import withheld
    from deptbudget.importers import import_document
    from deptbudget.importers.titles import title_index
    from deptbudget.review.structure import table_roles

    with withheld(set(title_index().by_template)):
        disclosure, _ = import_document(NATIONAL_FINAL)
    roles = table_roles(disclosure)
    assert [getattr(roles.get(t.id), "value", None) for t in disclosure.tables][:9] == [
        "summary", "income", "expenditure", "fiscal_summary", "general_budget_expenditure", "general_budget_basic",
        "gov_fund", "state_capital", "three_public"]
    hit, total = matched(amounts_in_text(document_text(NATIONAL_FINAL)), disclosure_amounts(disclosure))
    assert hit == total, f"{total - hit} of {total} amounts not read"
