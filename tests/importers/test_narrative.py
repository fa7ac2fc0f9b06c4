"""Narrative parts of documents without 第N部分, and paragraphs as a PDF reader hands them over."""

from __future__ import annotations

from deptbudget.importers.narrative import paragraphs_of, split_glued_heading
from deptbudget.importers.segment import heading_part, segment
from deptbudget.importers.source import Location, SourceLine


def line(text: str, page: int = 1, role: str | None = "paragraph", cells: list[str] | None = None) -> SourceLine:
    hints = {"role": role} if role else {}
    return SourceLine(cells or [text], Location(page=page), exact=role is not None, hints=hints)


def never(_: str) -> bool:
    return False


def test_parts_found_by_their_headings_after_a_numbered_contents() -> None:
    lines = [line("上海市2026年市级单位预算", role="title"), line("目 录", role=None),
             line("一、单位主要职能"), line("二、单位机构设置"), line("三、名词解释"),
             line("上海市审计局（单位）主要职能", page=2),
             line("上海市审计局是主管全市审计工作的市政府组成部门。", page=2),
             line("1、负责本市政府采购审计工作", page=2),
             line("上海市审计局（单位）机构设置", page=3), line("上海市审计局单位设20个内设机构。", page=3),
             line("名词解释", page=3), line("（一）财政拨款收入：是从本级财政部门取得的财政拨款。", page=3)]
    layout = segment(lines, never)
    assert [p.title for p in layout.parts] == ["上海市审计局（单位）主要职能", "上海市审计局（单位）机构设置",
                                               "名词解释"]
    assert [p.number for p in layout.parts] == [1, 2, 3]
    assert [ln.text for ln in layout.toc][1:] == ["一、单位主要职能", "二、单位机构设置", "三、名词解释"]
    assert len(layout.parts[0].lines) == 2  # "1、负责…政府采购…" is an item of the list, not a part


def test_with_numbered_parts_a_standard_heading_stays_a_section() -> None:
    lines = [line("2026年北京市审计局部门预算", role="title"),
             line("第一部分 2026年度部门预算情况说明", role="part"), line("一、部门情况说明"),
             line("（一）本部门职责情况"), line("北京市审计局贯彻落实党中央关于审计工作的方针政策。"),
             line("四、财政拨款“三公”经费预算情况说明"), line("2026年财政拨款“三公”经费预算244.85万元。")]
    layout = segment(lines, never)
    assert len(layout.parts) == 1
    sections = paragraphs_of(layout.parts[0].lines)
    assert [s.heading for s in sections] == ["一、部门情况说明", "（一）本部门职责情况",
                                             "四、财政拨款“三公”经费预算情况说明"]


def test_rows_of_an_unrecognised_table_are_no_narrative() -> None:
    lines = [line("一、单位基本情况"), line("重庆市科学技术局是市政府组成部门。"),
             line("", role=None, cells=["合 计", "168,441.81", "合 计", "168,441.81"]),
             line("", role=None, cells=["单位名称", "重庆市科学技术局", "单位", "万元"]),
             line("", role=None, cells=[":", ":"])]
    layout = segment(lines, never)
    assert [ln.text for ln in layout.parts[0].lines] == ["重庆市科学技术局是市政府组成部门。"]
    assert len(layout.front) == 2  # kept, as lines that belong to no part
    assert [b.lines[0].cells[1] for b in layout.blocks if b.title.in_part] == ["168,441.81"]  # its figures: a table


def test_a_heading_line_is_short_and_names_a_standard_part() -> None:
    assert heading_part(line("二、机关运行经费预算")) == ("二、", "二、机关运行经费预算")
    assert heading_part(line("（一）财政拨款收入：指单位从同级财政部门取得的各类财政拨款")) is None  # a definition
    assert heading_part(line("2026年“三公”经费预算数为237.92万元")) is None
    assert heading_part(line("十、财政拨款收支总表")) is None  # a table's title
    assert heading_part(line("", role=None, cells=["政府采购", "100.00"])) is None


def test_a_heading_joined_to_its_paragraph_is_split_off() -> None:
    assert split_glued_heading("三、支出预算情况说明2026年支出预算32852.05万元。") == (
        "三、支出预算情况说明", "2026年支出预算32852.05万元。")
    assert split_glued_heading("（一）主要职责重庆市科学技术局是市政府组成部门。") == (
        "（一）主要职责", "重庆市科学技术局是市政府组成部门。")
    assert split_glued_heading("（二）公用经费357.43万元，主要包括公用综合定额经费。") is None
    assert split_glued_heading("六、名词解释基本支出：指为保障机构正常运转而发生的支出。") == (  # 北京 说明
        "六、名词解释", "基本支出：指为保障机构正常运转而发生的支出。")
    assert split_glued_heading("一、向高处立情况下把握守正创新的新内涵。") is None  # names no standard part
    sections = paragraphs_of([line("二、收入预算情况说明2026年度收入预算32852.05万元。", page=3)])
    assert [(s.heading, s.paragraphs, s.pages) for s in sections] == [
        ("二、收入预算情况说明", ["2026年度收入预算32852.05万元。"], [3])]


def test_a_paragraph_cut_by_a_page_break_is_rejoined() -> None:
    sections = paragraphs_of([
        line("（二）支出预算：按支出功能分类，包括一般公共服务支出5,183万元，资源勘探工业信息等", page=4),
        line("支出27.4万元，住房保障支出301万元。", page=5),
        line("1. 公务接待费。", page=5), line("2. 公务用车购置费。", page=5)])
    assert sections[0].paragraphs == [
        "（二）支出预算：按支出功能分类，包括一般公共服务支出5,183万元，资源勘探工业信息等支出27.4万元，住房保障支出301万元。",
        "1. 公务接待费。", "2. 公务用车购置费。"]
    assert sections[0].pages == [4, 5, 5]


def test_a_number_alone_in_a_narrative_is_its_page_number() -> None:
    layout = segment([line("一、主要职能"), line("负责全市医疗保障工作。"), line("7"), line("二、机构设置")], never)
    assert [ln.text for ln in layout.parts[0].lines] == ["负责全市医疗保障工作。"]
    assert [(ln.text, why) for ln, why in layout.skipped] == [("7", "页码 (page number)")]


def test_a_first_part_titled_with_a_long_entity_name_is_a_heading() -> None:
    name = "上海市财务会计综合管理事务中心（上海市财政科学研究所）"
    assert heading_part(line(f"{name}主要职能")) == ("", f"{name}主要职能")
    assert heading_part(line(f"{name}机构设置")) == ("", f"{name}机构设置")
    # a paragraph's last line of that length that ends as other parts do stays a paragraph
    text = "按照市委市政府的统一部署和要求全面完成本年度本单位各项工作任务的支出情况"
    assert len(text) > 30 and heading_part(line(text)) is None


def test_a_numbered_item_cut_by_a_page_break_is_no_heading() -> None:
    """深圳市审计局 p.4–5: the duty （三） ends its page with "…执行和其他财政支出情况" (a line that names a standard
    part), its sentence goes on on the next page."""
    sections = paragraphs_of([
        line("一、部门职责", role="heading", page=4),
        line("（二）起草有关地方性法规、规章和政策，制定审计指南并监督执行。", page=4),
        line("（三）向市委审计委员会提出年度市级预算执行和其他财政支出情况", page=4),
        line("审计报告。向市政府和上级审计机关提出年度市级预算执行情况的审计结果报告。", page=5),
        line("二、收入预算情况说明", page=5)])
    assert [s.heading for s in sections] == ["一、部门职责", "二、收入预算情况说明"]
    assert sections[0].paragraphs[1] == ("（三）向市委审计委员会提出年度市级预算执行和其他财政支出情况审计报告。"
                                         "向市政府和上级审计机关提出年度市级预算执行情况的审计结果报告。")


def test_contents_that_number_the_headings_of_each_part_afresh_are_contents() -> None:
    """福州市医疗保障局 p.2: 第一部分 一、二、三、 … 第三部分 一、… 八、 in the contents are no parts of their own."""
    lines = [line("目录", role="heading"), line("第一部分 部门概况", role="part"), line("一、部门主要职责"),
             line("二、部门预算单位构成"), line("三、部门主要工作任务"), line("第三部分 部门预算情况说明", role="part"),
             line("一、预算收支总体情况"), line("二、一般公共预算拨款支出情况"),
             line("第一部分 部门概况", role="part", page=3), line("一、部门主要职责", page=3),
             line("负责全市医疗保障工作。", page=3),
             line("第三部分 部门预算情况说明", role="part", page=4), line("一、预算收支总体情况", page=4),
             line("2026年收入预算351904.90万元。", page=4)]
    layout = segment(lines, never)
    assert [(p.number, p.title) for p in layout.parts] == [(1, "第一部分 部门概况"), (3, "第三部分 部门预算情况说明")]
    assert len(layout.toc) == 8


def test_a_contents_line_with_dot_leaders_is_an_entry() -> None:
    lines = [line("目 录", role=None), line("一、部门主要职责.........................2", role=None),
             line("三、政府性基金预算拨款支出情况……………23", role=None), line("一、部门主要职责", page=2),
             line("负责全市医疗保障工作。", page=2)]
    layout = segment(lines, never)
    assert [p.title for p in layout.parts] == ["一、部门主要职责"]
    assert len(layout.toc) == 3
