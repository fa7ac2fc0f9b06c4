"""Review of documents of any family: parts under their local names, tables under their local titles, the
财预〔2016〕143号 checklist by default, the page of each problem."""

from __future__ import annotations

import dataclasses

from deptbudget.model.disclosure import Column, Disclosure, Part, Section, Table
from deptbudget.review.checklist import checklist_for, load_checklist
from deptbudget.review.engine import Reviewer
from deptbudget.review.pages import with_pages
from deptbudget.review.structure import FAIL, PASS, Dates, Subject, check_section, find_tables
from deptbudget.rules.registry import Finding

MOF = load_checklist("mof-9")


def shanghai_like(*parts: Part, tables: list[Table] | None = None) -> Disclosure:
    return Disclosure("mof-9", 2026, "上海市审计局", "2026年上海市审计局单位预算", parts=list(parts),
                      tables=tables or [])


def section(disclosure: Disclosure, **args: object) -> tuple[str, str]:
    outcome = check_section(Subject(disclosure, Dates(), MOF), dict(args))
    return outcome.status, outcome.message


def test_a_part_is_found_under_its_local_name() -> None:
    d = shanghai_like(Part(1, "上海市审计局（单位）主要职能", [Section("", ["主管全市审计工作的市政府组成部门。"])]),
                      Part(2, "北京", [Section("（二）机构设置情况", ["本部门内设机构13个。"])]))
    assert section(d, heading="职责", standard="functions")[0] == PASS
    assert section(d, heading="职责")[0] == FAIL  # the words alone do not find 主要职能
    assert section(d, heading="编制", standard=["organisation"])[0] == PASS


def test_an_empty_contents_heading_does_not_hide_the_part() -> None:
    d = shanghai_like(Part(1, "六、其他相关情况说明", []),
                      Part(2, "其他相关情况说明",
                           [Section("二、机关运行经费预算", ["机关运行经费预算为2,180.26万元。"])]))
    assert section(d, heading="其他", standard="other")[0] == PASS
    only_empty = shanghai_like(Part(1, "六、其他相关情况说明", []))
    assert section(only_empty, heading="其他") == (FAIL, "“六、其他相关情况说明”没有内容")


def table(title: str) -> Table:
    return Table("X1", "1", title, [Column("name", "项目")])


def test_tables_found_without_their_owner_and_classification_words() -> None:
    d = shanghai_like(tables=[table("2026年预算单位财务收支预算总表"),
                              table("2026年预算单位一般公共预算支出功能分类预算表"),
                              table("2026年预算单位一般公共预算基本支出部门预算经济分类预算表"),
                              table("2026年单位“三公”经费和机关运行经费预算表")])
    items = {item.id: item for item in MOF.items}
    for item_id in ("table-income-expenditure", "table-general", "table-general-basic", "table-three-public"):
        [check] = items[item_id].checks
        assert len(find_tables(d, None, check.args["title"])) == 1, item_id
    assert find_tables(d, None, "部门收入总表|收入总表") == []


def test_a_template_without_a_checklist_gets_the_143_minimum() -> None:
    checklist = checklist_for("beijing-30")
    assert checklist.name == "mof-9" and "财预〔2016〕143号" in checklist.basis


def test_a_problem_quotes_its_page() -> None:
    s = Section("二、收入预算情况说明", ["2026年度收入预算32852.05万元。", "其中财政拨款32365.09万元。"])
    s.pages = [6, 7]
    d = shanghai_like(Part(2, "第二部分 说明", [s]))
    findings = [Finding("x", "第二部分", "二、收入预算情况说明 第2段"), Finding("y", "第二部分", "第1段"),
                Finding("z", "表1", "合计")]
    rows = [f.row for f in with_pages(findings, d)]
    assert rows == ["二、收入预算情况说明 第2段（第7页）", "第1段（第6页）", "合计"]


def test_a_complete_narrative_without_numbered_parts_passes_its_part_items() -> None:
    parts = [Part(1, "上海市审计局（单位）主要职能", [Section("", ["主管全市审计工作。"])]),
             Part(2, "上海市审计局（单位）机构设置", [Section("", ["设20个内设机构。"])]),
             Part(3, "名词解释", [Section("", ["（一）财政拨款收入：从本级财政部门取得的财政拨款。"])]),
             Part(4, "2026年单位预算编制说明", [Section("", ["2026年收入预算19,577万元。"])]),
             Part(5, "二、机关运行经费预算", [Section("", ["机关运行经费预算为2,180.26万元。"])]),
             Part(6, "四、绩效目标设置情况", [Section("", ["编报绩效目标的项目共9个。"])])]
    review = Reviewer().review(shanghai_like(*parts))
    status = {r.item.id: r.status for r in review.items}
    for item_id in ("functions", "organization", "glossary", "narrative", "other_notes", "projects"):
        assert status[item_id] == PASS, item_id


def test_the_unit_named_on_the_cover_under_the_title_is_on_the_cover() -> None:
    from deptbudget.review.structure import check_title

    d = shanghai_like()
    d.title, d.unit_name = "上海市2026年市级单位预算", "上海市财务会计综合管理事务中心"
    assert check_title(Subject(d, Dates(), MOF), {}).status == FAIL
    d.meta["info.预算单位"] = "上海市财务会计综合管理事务中心"
    assert check_title(Subject(d, Dates(), MOF), {}).status == PASS


def test_tables_are_found_by_their_role_in_the_documents_template() -> None:
    from deptbudget.review.structure import check_table

    d = Disclosure("shanghai-9", 2026, "上海市审计局", "2026年上海市审计局单位预算",
                   tables=[Table("T9", "9", "2026年单位某某经费预算表", [Column("name", "项目")])])
    subject = Subject(d, Dates(), MOF)
    assert find_tables(d, None, "三公经费支出表", "three_public") == d.tables  # 表9 of shanghai-9 is the 三公 table
    assert check_table(subject, {"role": "three_public", "title": "三公经费支出表"}).status == PASS
    assert check_table(subject, {"role": "income", "title": "收入总表"}).status == FAIL
    assert find_tables(d, None, "三公经费支出表") == []  # by its title alone it is not found


def test_a_table_the_localitys_template_does_not_require_is_not_missing() -> None:
    from deptbudget.review.structure import check_table
    from deptbudget.template import load_template
    from deptbudget.template.spec import Role

    assert Role.STATE_CAPITAL not in load_template("guangzhou-targets-2").required.tables
    args = {"role": "state_capital", "title": "国有资本经营预算支出表"}
    targets_only = Disclosure("guangzhou-targets-2", 2026, "某局", "2026年某局项目支出绩效目标表")
    outcome = check_table(Subject(targets_only, Dates(), MOF), args)
    assert outcome.status == PASS and "guangzhou-targets-2" in outcome.message
    nine = Disclosure("mof-9", 2026, "某局", "2026年某局部门预算")
    assert check_table(Subject(nine, Dates(), MOF), args).status == FAIL


def test_a_document_of_no_known_locality_has_its_tables_by_the_roles_their_titles_name() -> None:
    """重庆's titles read without a template: 部门收入总体情况表 is the 部门收入总表 of the checklist (the
    checklist's title list does not have it); a 国有资本经营预算支出表 is not among the 143号 eight."""
    from deptbudget.review.structure import check_table

    d = Disclosure("unknown", 2026, "重庆市科学技术局", "2026年重庆市科学技术局部门预算",
                   tables=[table("2026年部门收入总体情况表")])
    items = {item.id: item for item in MOF.items}
    [income] = items["table-income"].checks
    assert find_tables(d, None, income.args["title"]) == []  # not by the checklist's titles
    assert check_table(Subject(d, Dates(), MOF), dict(income.args)).status == PASS  # by its role
    [expenditure] = items["table-expenditure"].checks
    assert check_table(Subject(d, Dates(), MOF), dict(expenditure.args)).status == FAIL
    [state_capital] = items["table-state-capital"].checks
    assert check_table(Subject(d, Dates(), MOF), dict(state_capital.args)).status == PASS
    d.template = "mof-9"  # the MoF template's own nine: there it is missing
    assert check_table(Subject(d, Dates(), MOF), dict(state_capital.args)).status == FAIL


def _table(title: str) -> Table:
    from deptbudget.model.disclosure import Cell, Row

    return Table("X1", "1", title, [Column("name", "项目")], rows=[Row("a", {"name": Cell("一、一般公共服务支出")})])


def _items(review: object) -> dict[str, str]:
    return {r.item.id: r.status for r in review.items}  # type: ignore[attr-defined]


def test_a_file_of_tables_only_leaves_the_narrative_items_unprovided_not_failed() -> None:
    """北京 publishes 附件2 报表 apart from its 说明: the 说明 items are 未提供 (saying why), the tables are judged."""
    heading_only = [Part(1, "其他说明", [Section("整体绩效目标", [])])]  # a heading read off a table page
    tables = Disclosure("unknown", 2026, "", "", tables=[_table("收支总表")], parts=heading_only)
    assert _items(Reviewer().review(tables))["functions"] == FAIL  # nothing says the 说明 is published elsewhere
    review = Reviewer().review(tables, source="/d/审计局_附件2：北京市审计局2026年度部门预算报表.pdf")
    items = _items(review)
    assert items["functions"] == items["narrative"] == items["cover"] == "unknown"
    assert items["table-income"] == FAIL  # a table of the 报表 half is still missing from it
    assert any("本文件是报表部分" in note for note in review.notes)
    message = next(r for r in review.items if r.item.id == "functions").outcomes[0].message
    assert "--together" in message
    titled = dataclasses.replace(tables, title="某局2026年度部门预算表")  # its title says it is the 报表
    assert _items(Reviewer().review(titled))["functions"] == "unknown"
    assert _items(Reviewer().review(tables, source="/d/某局2026年度部门预算表.pdf"))["functions"] == "unknown"
    assert _items(Reviewer().review(tables, source="/d/某局2026年度部门预算.pdf"))["functions"] == FAIL


def test_a_narrative_naming_its_tables_as_an_attachment_leaves_the_tables_unprovided() -> None:
    text = "附件：北京市审计局2026年度部门预算报表"
    half = shanghai_like(Part(1, "部门职责", [Section("", ["主管全市审计工作。", text])]))
    items = _items(Reviewer().review(half))
    assert items["table-income"] == items["table-general"] == "unknown"
    assert items["functions"] == PASS
    alone = shanghai_like(Part(1, "部门职责", [Section("", ["主管全市审计工作。"])]))
    assert _items(Reviewer().review(alone))["table-income"] == FAIL  # no attachment named: the tables are missing


def test_a_stand_alone_targets_file_is_judged_on_what_it_is() -> None:
    targets = Disclosure("unknown", 2026, "", "", tables=[_table("2026年项目支出绩效目标表")])
    review = Reviewer().review(targets)
    items = _items(review)
    assert items["table-income"] == items["functions"] == "unknown"
    assert review.grade.grade == "优"
    assert any("绩效目标表" in note for note in review.notes)


def test_a_file_of_tables_of_a_locality_publishing_its_narrative_apart_is_the_tables_half() -> None:
    """北京 (template beijing-13: ``narrative_apart``) publishes 说明 and 报表 as two files: a file of its tables alone,
    whatever its name, leaves the 说明 items 未提供 — and an empty table's reason may be in that 说明."""
    from deptbudget.model.disclosure import Cell, Row

    empty = Table("T7", "7", "政府性基金预算支出表", [Column("name", "项目")], rows=[])
    tables = [_table("收支总表"), empty]
    beijing = Disclosure("beijing-13", 2026, "", "", tables=tables)
    items = _items(Reviewer().review(beijing, source="/d/统计局_2026年部门预算.pdf"))
    assert items["functions"] == items["narrative"] == items["empty-tables"] == "unknown"
    elsewhere_rows = [Row("a", {"name": Cell("一、一般公共服务支出")})]
    mof = Disclosure("mof-9", 2026, "", "", tables=[Table("X1", "1", "收支总表", [Column("name", "项目")],
                                                           rows=elsewhere_rows)])
    assert _items(Reviewer().review(mof, source="/d/统计局_2026年部门预算.pdf"))["functions"] == FAIL


def test_a_half_that_names_no_other_file_gets_a_note_on_how_to_review_both() -> None:
    from deptbudget.review.structure import half_note

    narrative = shanghai_like(Part(1, "部门职责", [Section("", ["主管全市审计工作。"])]))
    assert "本文件只有说明部分" in half_note(narrative)[0]
    tables = Disclosure("unknown", 2026, "", "", tables=[_table("收支总表")])
    assert "本文件只有报表部分" in half_note(tables)[0]
    assert half_note(dataclasses.replace(narrative, tables=[_table("收支总表")])) == []


def test_targets_published_as_tables_are_the_projects_section() -> None:
    """北京 prints its 绩效目标 as 预算12表 项目支出绩效目标表, not as a section of the 说明."""
    from deptbudget.review.structure import Elsewhere

    narrative = Part(1, "部门职责", [Section("", ["主管全市审计工作。"])])
    targets = _table("项目支出绩效目标表")
    with_table = shanghai_like(narrative, tables=[targets])
    assert section(with_table, heading="项目|绩效", or_table=".*绩效目标表")[0] == PASS
    assert section(with_table, heading="项目|绩效")[0] == FAIL  # only where the checklist allows it
    half = dataclasses.replace(shanghai_like(narrative), contents=["12. 项目支出绩效目标表"])
    elsewhere = Elsewhere(frozenset({"table"}), "报表另文公开")
    outcome = check_section(Subject(half, Dates(), MOF, None, elsewhere), {"heading": "项目|绩效",
                                                                         "or_table": ".*绩效目标表"})
    assert (outcome.status, outcome.message) == ("unknown", "报表另文公开")
    assert section(half, heading="项目|绩效", or_table=".*绩效目标表")[0] == FAIL  # nothing says it is elsewhere


def test_a_document_of_no_known_locality_without_contents_is_not_scored_on_them() -> None:
    from deptbudget.review.structure import check_contents

    unknown = Disclosure("unknown", 2026, "重庆市某局", "重庆市某局2026年部门预算", tables=[_table("收支总表")])
    assert check_contents(Subject(unknown, Dates(), MOF), {}).status == "unknown"
    known = dataclasses.replace(unknown, template="mof-9")
    assert check_contents(Subject(known, Dates(), MOF), {}).status == FAIL
    listed = dataclasses.replace(unknown, contents=["1. 收支总表"])
    assert check_contents(Subject(listed, Dates(), MOF), {}).status == PASS


def test_a_table_published_within_another_counts_for_its_item() -> None:
    """深圳 prints no 一般公共预算基本支出表: its 一般公共预算支出表（按经济分类） carries 基本支出 by 经济分类 款."""
    from deptbudget.review.structure import check_table

    within = _table("一般公共预算支出表（按经济分类）")
    d = Disclosure("unknown", 2026, "", "", tables=[_table("收支总表"), within])
    assert check_table(Subject(d, Dates(), MOF), {"role": "general_budget_basic"}).status == PASS
    alone = Disclosure("unknown", 2026, "", "", tables=[_table("收支总表")])
    assert check_table(Subject(alone, Dates(), MOF), {"role": "general_budget_basic"}).status == FAIL
