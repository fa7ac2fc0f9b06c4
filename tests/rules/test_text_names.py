"""Text rules on names: catalog names in the narrative, old names of renamed codes, one-character slips."""

from __future__ import annotations

import pytest

from deptbudget.catalog import load_catalog
from deptbudget.model.disclosure import Cell, CellKind, Column, Disclosure, Part, Row, Section, Table
from deptbudget.review.engine import load_rules
from deptbudget.rules.registry import Finding, RuleContext, RuleSettings, Severity, run_rules

GLOSSARY = ["一、一般公共预算拨款收入：指本级财政当年拨付的资金。", "九、支出功能分类",
            "其他组织事务支出：指用于其他组织事务的支出。", "其他技术研究与开发支出：指用于其他技术与开发的支出。"]


def names_table(*names: str) -> Table:
    return Table("T7", "7", "一般公共预算支出情况表", [Column("code", "科目编码"), Column("name", "科目名称")],
                 rows=[Row(str(i), {"code": Cell(f"20{i}", kind=CellKind.CODE), "name": Cell(name)})
                       for i, name in enumerate(names)])


def doc(*parts: tuple[int, str, list[str]], tables: list[Table] | None = None) -> Disclosure:
    return Disclosure("shenzhen-15", 2020, "罗湖区科技创新局", "2020 年罗湖区科技创新局部门预算",
                      parts=[Part(n, title, [Section("", list(texts))]) for n, title, texts in parts],
                      tables=tables or [])


def findings(d: Disclosure, rule_id: str) -> list[Finding]:
    rules = [r for r in load_rules() if r.id == rule_id]
    return run_rules(d, RuleContext(load_catalog(2020), RuleSettings()), rules)


def glossary(*entries: str) -> tuple[int, str, list[str]]:
    return (8, "第八部分 名词解释", [*GLOSSARY[:2], *entries])


def test_glossary_name_not_in_the_catalog_gets_the_official_one() -> None:
    d = doc(glossary("其他技术与开发支出：指用于其他技术与开发的支出。"))
    [found] = findings(d, "TEXT-CATALOG-NAME")
    assert found.expected == "其他技术研究与开发支出" and found.table == "第八部分" and found.row == "第3段"
    assert found.actual == "其他技术与开发支出：指用于其他技术与开发的支出。"


def test_official_glossary_names_pass_and_must_be_in_the_tables() -> None:
    assert findings(doc(glossary(*GLOSSARY[2:])), "TEXT-CATALOG-NAME") == []
    with_tables = doc(glossary(*GLOSSARY[2:]), tables=[names_table("其他组织事务支出")])
    [found] = findings(with_tables, "TEXT-CATALOG-NAME")
    assert found.severity is Severity.WARNING and "其他技术研究与开发支出" in found.message


def test_tagged_and_coded_names() -> None:
    d = doc((3, "第三部分", ["卫生建康支出（类）16.04万元，行政事业单位医疗（款）16.04万元。",
                             "2060499其他技术与开发支出15,567.80万元。"]))
    found = findings(d, "TEXT-CATALOG-NAME")
    assert {f.expected for f in found} == {"卫生健康支出", "其他技术研究与开发支出"}
    assert findings(doc((3, "第三部分", ["卫生健康支出（类）16.04万元。", "2060499其他技术研究与开发支出。"])),
                    "TEXT-CATALOG-NAME") == []


@pytest.mark.parametrize(("text", "new"), [
    ("医疗卫生与计划生育支出16.04万元，主要用于行政单位医疗。", "卫生健康支出"),
    ("其中：文化体育与传媒支出（类）20.00万元。", "文化旅游体育与传媒支出"),
])
def test_old_names_are_reported(text: str, new: str) -> None:
    [found] = findings(doc((3, "第三部分", [text])), "TEXT-OLD-NAME")
    assert found.expected == new and found.actual == text


@pytest.mark.parametrize("text", [
    "卫生健康支出（原医疗卫生与计划生育支出）16.04万元。",
    "主要用于行政事业单位离退休人员的各项经费。",
    "卫生健康支出16.04万元。",
])
def test_no_old_name_false_alarms(text: str) -> None:
    assert findings(doc((3, "第三部分", [text])), "TEXT-OLD-NAME") == []


PROJECTS = Table("T13", "13", "部门预算绩效管理项目情况表", [Column("name", "项目名称")],
                 rows=[Row("a", {"name": Cell("大梧桐新兴产业带工作经费")}),
                       Row("b", {"name": Cell("人工智能特色小镇规划经费")})])


def test_one_character_slip_of_a_table_name() -> None:
    d = doc((1, "第一部分", ["聚焦大梧桐新兴业带产业集聚，围绕重点项目建设。"]), tables=[PROJECTS])
    [found] = findings(d, "TEXT-TERM-TYPO")
    assert found.expected == "大梧桐新兴产业带" and "大梧桐新兴业带" in found.message
    assert found.severity is Severity.NOTE


@pytest.mark.parametrize("text", [
    "聚焦大梧桐新兴产业带产业集聚。",
    "推进人工智能特色小镇建设。",
    "人工智能特色小镇的规划经费。",  # a function word added: wording, not a slip
])
def test_no_slip_false_alarms(text: str) -> None:
    assert findings(doc((1, "第一部分", [text]), tables=[PROJECTS]), "TEXT-TERM-TYPO") == []


def test_names_the_older_catalog_does_not_know_are_not_reported() -> None:
    """无锡市教育局 2026: names of the 2026 catalog that the 2020 one did not have (2050302 中等职业教育,
    2050702 专门学校教育); 福州 公共安全（类）, a 类 named without its 支出."""
    texts = ["9.职业教育（款）中等职业教育（项）支出6,495.94万元，与上年相比减少1,434.35万元。",
             "12.特殊教育（款）专门学校教育（项）支出0万元，与上年相比减少500万元，减少100%。",
             "由于公共安全（类）公安（款）下的有关项级科目支出，经保密机构确认为涉及国家秘密的信息。"]
    d = Disclosure("shenzhen-15", 2026, "无锡市教育局", "2026年无锡市教育局部门预算",
                   parts=[Part(3, "第三部分", [Section("", texts)])], tables=[names_table("中等职业教育")])
    rules = [r for r in load_rules() if r.id == "TEXT-CATALOG-NAME"]
    assert run_rules(d, RuleContext(load_catalog(2026), RuleSettings()), rules) == []
    slip = Disclosure("shenzhen-15", 2026, "无锡市教育局", "2026年无锡市教育局部门预算",
                      parts=[Part(3, "第三部分", [Section("", ["其他技术与开发支出（项）15.00万元。"])])])
    [found] = run_rules(slip, RuleContext(load_catalog(2026), RuleSettings()), rules)
    assert found.expected == "其他技术研究与开发支出"
