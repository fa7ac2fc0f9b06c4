"""Text rules on wording and characters: placeholders, document-kind wording, mojibake."""

from __future__ import annotations

import pytest

from deptbudget.catalog import load_catalog
from deptbudget.model.disclosure import Cell, Column, Disclosure, Part, Row, Section, Table
from deptbudget.review.engine import load_rules
from deptbudget.rules.registry import Finding, RuleContext, RuleSettings, Severity, run_rules


def doc(*paragraphs: str, title: str = "2020 年罗湖区科技创新局部门预算", kind: str = "部门预算",
        tables: list[Table] | None = None, part_title: str = "第二部分 收支总体情况") -> Disclosure:
    return Disclosure("shenzhen-15", 2020, "罗湖区科技创新局", title, kind=kind,
                      parts=[Part(2, part_title, [Section("", list(paragraphs))])],
                      tables=tables or [])


def findings(d: Disclosure, rule_id: str) -> list[Finding]:
    rules = [r for r in load_rules() if r.id == rule_id]
    return run_rules(d, RuleContext(load_catalog(2020), RuleSettings()), rules)


@pytest.mark.parametrize(("text", "shown"), [
    ("XX局主要职责是贯彻执行国家法律。", "XX"),
    ("××单位预算收入100.00万元。", "××"),
    ("X局2020年预算收入100.00万元。", "X"),
    ("截至×年×月×日，共有车辆1辆。", "×"),
    ("【单位名称】主要职责如下。", "【单位名称】"),
    ("请填写【 】。", "【】"),
    ("（单位名称）2020年预算收入100.00万元。", "（单位名称）"),
    ("某某局2020年部门预算收入100.00万元。", "某某"),
    ("主要原因是待补充。", "待补充"),
    ("{{ unit.name }}主要职责。", "{{unit.name}}"),
    ("预算收入____万元。", "____"),
    ("预算收入为万元，比上年增长%。", "为万元"),
])
def test_placeholders(text: str, shown: str) -> None:
    found = findings(doc(text), "TEXT-PLACEHOLDER")
    assert found and any(f"“{shown}”" in f.message for f in found), [f.message for f in found]
    assert found[0].actual == text.replace(" ", "")


@pytest.mark.parametrize("text", [
    "R&D、每万人发明专利拥有量增长20%以上，梧桐 AI 生态小镇。",
    "购置X光机1台，测算：4×100=400万元。",
    "菁英人才（C类）创业扶持资金100.00万元，比上年增长5.00%。",
    "部门（单位）整体支出绩效目标申报表。",
])
def test_no_placeholder_false_alarms(text: str) -> None:
    assert findings(doc(text), "TEXT-PLACEHOLDER") == []


def test_placeholder_in_a_table_cell_is_located() -> None:
    table = Table("T13", "13", "部门预算绩效管理项目情况表", [Column("name", "项目名称")],
                  rows=[Row("p1", {"name": Cell("XX项目经费")})])
    [found] = findings(doc("说明。", tables=[table]), "TEXT-PLACEHOLDER")
    assert (found.table, found.row, found.column) == ("表13", "XX项目经费", "项目名称")


def test_pending_is_a_warning() -> None:
    [found] = findings(doc("具体金额待定。"), "TEXT-PLACEHOLDER")
    assert found.severity is Severity.WARNING


@pytest.mark.parametrize(("text", "title", "kind", "expected"), [
    ("2020年某中心部门预算收入1,200.00万元。", "2020 年某中心单位预算", "单位预算", "单位预算"),
    ("截至2019年12月31日，本部门共有车辆1辆。", "2020 年某中心单位预算", "单位预算", "本单位"),
    ("2020年部门决算收入1,200.00万元。", "2020 年罗湖区科技创新局部门预算", "部门预算", "预算"),
    ("2020年度部门预算收入1,200.00万元。", "2020 年度罗湖区科技创新局部门决算", "部门决算", "部门决算收入"),
])
def test_kind_wording(text: str, title: str, kind: str, expected: str) -> None:
    [found] = findings(doc(text, title=title, kind=kind), "TEXT-KIND-WORDING")
    assert found.expected == expected and found.actual == text


def test_a_unit_budget_titled_part_is_reported() -> None:
    d = doc("说明。", title="2020 年某中心单位预算", kind="单位预算", part_title="第二部分 部门预算收支总体情况")
    [found] = findings(d, "TEXT-KIND-WORDING")
    assert found.row == "部分标题" and found.expected == "单位预算"


@pytest.mark.parametrize(("text", "title"), [
    ("本单位无政府性基金预算支出。", "2020 年罗湖区科技创新局部门预算"),
    ("报主管部门审核，纳入部门预算绩效管理。", "2020 年某中心单位预算"),
    ("比2019年决算数增加100.00万元，本项目已完成竣工财务决算。", "2020 年罗湖区科技创新局部门预算"),
    ("收入总计1,200.00万元，与年初预算相比增加100.00万元。", "2020 年度罗湖区科技创新局部门决算"),
])
def test_right_kind_wording_passes(text: str, title: str) -> None:
    assert findings(doc(text, title=title), "TEXT-KIND-WORDING") == []


@pytest.mark.parametrize(("text", "severity", "expected"), [
    ("人员支出锟斤拷619.37万元。", Severity.ERROR, None),
    ("å…¬ç”¨æ”¯å‡º55.67万元。", Severity.ERROR, None),
    ("人员支出\ufffd619.37万元。", Severity.ERROR, None),
    ("人员支出\ue003619.37万元。", Severity.ERROR, None),
    ("人员支出\x07619.37万元。", Severity.ERROR, None),
    ("⼀般公共预算拨款收入。", Severity.WARNING, "一"),
    ("科?技创新局。", Severity.WARNING, None),
    ("项目Приём。", Severity.WARNING, None),
])
def test_garbled_characters(text: str, severity: Severity, expected: str | None) -> None:
    found = findings(doc(text), "TEXT-CHARSET")
    assert found and found[0].severity is severity and found[0].expected == expected
    assert found[0].actual == text


def test_expected_characters_pass() -> None:
    text = "面积30万m²（约300㎡），满意度≥95%，①完成规划；②启动建设；单价·元，±5%，α系数，R&D、AI。"
    assert findings(doc(text), "TEXT-CHARSET") == []


def test_the_department_s_duties_may_speak_of_final_accounts() -> None:
    """An audit bureau audits 决算草案: its duties are not the document's wording about itself."""
    duties = "负责审计本级决算草案以及其他财政收支情况。"
    for title in ("上海市审计局（单位）主要职能", "第一部分 部门概况", "名词解释"):
        assert findings(doc(duties, part_title=title), "TEXT-KIND-WORDING") == []
    assert len(findings(doc(duties, part_title="2026年单位预算编制说明"), "TEXT-KIND-WORDING")) == 1


def test_a_sub_heading_of_the_duties_is_about_the_department() -> None:
    """深圳市审计局 p.5: the duties under "一、部门职责" go on under a sub-heading that names no part."""
    duties = "负责审计本级决算草案以及其他财政收支情况。"
    d = Disclosure("shenzhen-15", 2026, "深圳市审计局", "2026年深圳市审计局部门预算", kind="部门预算",
                   parts=[Part(1, "第一部分 概况", [Section("一、部门职责", ["主管全市审计工作。"]),
                                                Section("（三）向市委审计委员会提出年度审计报告", [duties])])])
    assert findings(d, "TEXT-KIND-WORDING") == []


@pytest.mark.parametrize("text", [
    # 苏州市审计局 p.4, 烟台市审计局 p.4: what an audit office audits
    "市直各部门（含直属单位）预算执行情况、决算草案和其他财政收支；",
    "5.市投资和以市投资为主的建设项目的预算执行情况和决算。",
    # 深圳市财政局 第三部分: the finance bureau's work on budgets and final accounts
    "预决算业务管理512.60万元，主要用于财政预算、财政决算管理等业务。",
])
def test_final_accounts_of_others_are_no_kind_wording(text: str) -> None:
    assert findings(doc(text, part_title="第三部分 部门预算情况说明"), "TEXT-KIND-WORDING") == []
