"""Text rules on punctuation: pairs, doubled marks, truncated sentences, half-width marks."""

from __future__ import annotations

import pytest

from deptbudget.catalog import load_catalog
from deptbudget.model.disclosure import Disclosure, Part, Section
from deptbudget.review.engine import load_rules
from deptbudget.rules.registry import Finding, RuleContext, RuleSettings, Severity, run_rules


def doc(*paragraphs: str, heading: str = "", part: int = 2) -> Disclosure:
    return Disclosure("shenzhen-15", 2020, "罗湖区科技创新局", "2020 年罗湖区科技创新局部门预算",
                      parts=[Part(part, "第二部分 部门预算收支总体情况", [Section(heading, list(paragraphs))])])


def findings(d: Disclosure, rule_id: str) -> list[Finding]:
    rules = [r for r in load_rules() if r.id == rule_id]
    return run_rules(d, RuleContext(load_catalog(2020), RuleSettings()), rules)


@pytest.mark.parametrize(("text", "mark"), [
    ("2020年三公”经费财政拨款预算12.65万元。", "”"),
    ("公务接待费（含外宾接待支出。", "（"),
    ("按《预算法要求公开。", "《"),
    ("请于【日期内完成。", "【"),
    ('经费"完全按零基预算安排。', '"'),
    ("主要用于“调研）活动”。", "）"),
])
def test_unbalanced_pairs(text: str, mark: str) -> None:
    [found] = findings(doc(text), "TEXT-PUNCT-PAIR")
    assert f"“{mark}”" in found.message and found.actual == text


@pytest.mark.parametrize("text", [
    "2020年“三公”经费财政拨款预算12.65万元。",
    "公务接待费（含外宾接待）支出，按《预算法》要求公开，即“‘三公’经费”。",
    "主要工作：1）完成规划；2）启动建设。",
    "预算收支增加(减少)主要原因说明:",
])
def test_balanced_pairs_pass(text: str) -> None:
    assert findings(doc(text), "TEXT-PUNCT-PAIR") == []


def test_unbalanced_heading() -> None:
    [found] = findings(doc("说明。", heading="“三公经费财政拨款预算情况说明"), "TEXT-PUNCT-PAIR")
    assert found.row.endswith("（标题）")


@pytest.mark.parametrize("text", ["人员支出619.37万元。。", "人员支出619.37万元，。", "主要用于：；办公。",
                                  "人员支出，，公用支出。", "公用支出；。"])
def test_doubled_marks(text: str) -> None:
    [found] = findings(doc(text), "TEXT-PUNCT-DOUBLE")
    assert found.severity is Severity.WARNING


@pytest.mark.parametrize("text", ["规划……等工作。", "资金——专项资金。", "人员支出619.37万元。", "2.公务接待费。"])
def test_single_marks_pass(text: str) -> None:
    assert findings(doc(text), "TEXT-PUNCT-DOUBLE") == []


@pytest.mark.parametrize(("paragraphs", "severity"), [
    (["预算收支增加主要原因是。"], Severity.ERROR),
    (["主要用于。"], Severity.ERROR),
    (["本年收入增加，具体包括：。"], Severity.ERROR),
    (["预算收支增加（减少）主要原因说明："], Severity.ERROR),  # nothing follows in the section
    (["其中：公务用车购置费0.00万元，"], Severity.ERROR),
    (["公务用车运行维护费2020年预算数3.15万元，与上年持平；"], Severity.WARNING),
    (["罗湖区科技创新局主要职责是贯彻执行国家、省、市创新驱动相关法律、法规和方针政策，编制规划并组织"
      "实施"], Severity.NOTE),
])
def test_truncated_sentences(paragraphs: list[str], severity: Severity) -> None:
    [found] = findings(doc(*paragraphs), "TEXT-TRUNCATED")
    assert found.severity is severity


@pytest.mark.parametrize("paragraphs", [
    ["预算收支增加（减少）主要原因说明：", "根据实际工作的开展要求，新增了人才建设等经费。"],
    ["公务用车购置费 2020", "年预算数 0.00 万元，与上年持平。"],  # a sentence cut by a page break
    ["九、支出功能分类", "其他组织事务支出：指用于其他组织事务的支出。"],
    ["（四）项目支出16,425.30万元，具体包括：", "政府投资项目10.32万元，主要用于支付质保款。"],
    # real documents: "行为。" ends a sentence (深圳、福州、烟台统计局), a table follows the colon (西安、福州), the
    # numbers of a chart's axis are no sentence (西安人社局)
    ["贯彻执行国家和省、市有关统计工作的法律、法规、规章和统计制度、统计标准，并依法监督检查有关执行情况，查处统计违法行为。"],
    ["（7）依法管理相关统计调查项目，指导统计基层业务基础建设；依法查处违反统计法规和统计制度的行为；依法监督管理涉外调查活动。"],
    ["纳入本部门当年预算编制范围的二级预算单位共有1个，包括："],
    ["从预算单位构成看，福州市医疗保障局包括6个机关行政处（科、股）室及3个下属单位，其中：列入2026年部门预算编制范围的单位"
     "详细情况见下表:"],
    ["220000"],
    ["8.287.87.67.47.26.86.66.4"],
])
def test_complete_sentences_pass(paragraphs: list[str]) -> None:
    assert findings(doc(*paragraphs), "TEXT-TRUNCATED") == []


def test_half_width_marks_are_a_note_per_part() -> None:
    d = doc("2020年部门预算收入17,144.13万元,比2019年增加298.27万元,增长1.77%,其中:财政预算拨款17,144.13万元。",
            "(一)人员支出619.37万元,主要是工资。")
    [found] = findings(d, "TEXT-PUNCT-WIDTH")
    assert found.severity is Severity.NOTE and "2 段" in found.message
    clean = doc("2020年部门预算收入17,144.13万元，比2019年增加298.27万元。会议于8:30开始，梧桐 AI 小镇（一期）。")
    assert findings(clean, "TEXT-PUNCT-WIDTH") == []


def test_a_chart_s_labels_are_no_text() -> None:
    """西安市人社局 p.14: the axis of a chart and the end of its title."""
    assert findings(doc("120000100000800006000040000济科目分）金额（万元）"), "TEXT-PUNCT-PAIR") == []
