"""Text rules on changes: growth rates recomputed from the two amounts, change amounts, direction words."""

from __future__ import annotations

import pytest

from deptbudget.catalog import load_catalog
from deptbudget.model.disclosure import Disclosure, Part, Section
from deptbudget.review.engine import load_rules
from deptbudget.rules.registry import Finding, RuleContext, RuleSettings, Severity, run_rules

SEED_SENTENCE = "2020 年罗湖区科技创新局机关运行经费财政拨款预算 55.67 万元，比 2019 年增加 2.67 万元，增长 5.06%。"


def doc(*paragraphs: str, part: int = 7, heading: str = "一、机关运行经费") -> Disclosure:
    return Disclosure("shenzhen-15", 2020, "罗湖区科技创新局", "2020 年罗湖区科技创新局部门预算",
                      parts=[Part(part, f"第{'一二三四五六七八'[part - 1]}部分", [Section(heading, list(paragraphs))])])


def findings(d: Disclosure, rule_id: str) -> list[Finding]:
    rules = [r for r in load_rules() if r.id == rule_id]
    assert rules, rule_id
    return run_rules(d, RuleContext(load_catalog(2020), RuleSettings()), rules)


def test_seed_growth_rate_is_recomputed_and_the_sentence_quoted() -> None:
    [found] = findings(doc(SEED_SENTENCE), "TEXT-PCT-RECOMPUTE")
    assert found.expected == "5.04%"
    assert found.table == "第七部分" and found.row == "一、机关运行经费 第1段"
    assert found.actual == "2020年罗湖区科技创新局机关运行经费财政拨款预算55.67万元，比2019年增加2.67万元，增长5.06%。"
    assert "5.06" in found.message and found.severity is Severity.ERROR


@pytest.mark.parametrize("text", [
    SEED_SENTENCE.replace("5.06", "5.04"),
    "部门预算收入17,144.13万元，比2019年增加298.27万元，增长1.77%。",
    # 1.00 ÷ 9.00 = 11.11%, but the amounts are rounded: 11.06% is reachable (0.995 ÷ 8.995 …)
    "机关运行经费10.00万元，比2019年增加1.00万元，增长11.06%。",
    "“三公”经费12.65万元，比2019年减少1.00万元，下降7.33%。",
    "机关运行经费由53.00万元增加到55.67万元，增长5.04%。",
    "机关运行经费55.67万元，上年53.00万元，增长5.04%。",
    "R&D、每万人发明专利拥有量增长20%以上。",
    # the change names its figure: the total, not the item stated last
    "2020年“三公”经费预算数为15.00万元，其中：因公出国（境）费0万元，公务用车购置及运行费10.00万元，公务接待费5.00万元。"
    "“三公”经费预算比2019年减少2.00万元，下降11.8%。",
    "收入预算合计1,234.56万元，其中：一般公共预算拨款1,000.00万元，占81.0%；政府性基金预算拨款234.56万元，占19.0%。",
    "项目支出434.56万元，占支出预算合计的35.2%。",  # the whole it names is not stated here: not checked
    # real documents: shares of a whole stated in the paragraph before (苏州、无锡 第三部分)
    "基本支出2,281.84万元，占1.23%；项目支出183,959.16万元，占98.77%；事业单位经营支出0万元，占0%。",
    # a change without a subject after an item's list is the item's (深圳口岸办 第三部分)
    "5.综合管理367.65万元,主要包括：宣传报道23.18万元，用于口岸日常宣传报道工作；内控、审计及绩效专项96.81万元，用于开展"
    "内控建设等工作。较2025年年初预算减少52.44万元，减幅12.5%。",
    # the change without its direction word (烟台市审计局 第三部分): it reads as last year's amount or the change
    "2026年本单位机关运行经费安排210.32万元，比上年1.43万元，增加0.68%。",
])
def test_right_rates_pass(text: str) -> None:
    assert findings(doc(text), "TEXT-PCT-RECOMPUTE") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("机关运行经费10.00万元，比2019年增加1.00万元，增长11.30%。", "11.11%"),
    ("“三公”经费12.65万元，比2019年减少1.00万元，下降7.91%。", "7.33%"),  # divided by this year's amount
    ("机关运行经费由53.00万元增加到55.67万元，增长5.60%。", "5.04%"),
    ("支出100.00万元，比上年执行数500.00万元增加12.4%。", "80.0%"),  # the example: a fall of 80%
    ("收入预算合计1,234.56万元，其中：一般公共预算拨款1,000.00万元，占81.5%。", "81.0%"),
    ("支出预算合计1,234.56万元，基本支出800.00万元，占支出预算合计的66.8%。", "64.8%"),
])
def test_wrong_rates_are_reported(text: str, expected: str) -> None:
    [found] = findings(doc(text), "TEXT-PCT-RECOMPUTE")
    assert found.expected == expected


def test_change_amount_against_the_two_amounts() -> None:
    [found] = findings(doc("机关运行经费55.67万元，比上年的53.00万元增加3.67万元。"), "TEXT-CHANGE-AMOUNT")
    assert found.expected == "2.67" and found.severity is Severity.ERROR
    assert findings(doc("机关运行经费55.67万元，比上年的53.00万元增加2.67万元。"), "TEXT-CHANGE-AMOUNT") == []
    [rounding] = findings(doc("机关运行经费55.67万元，比上年的53.00万元增加2.68万元。"), "TEXT-CHANGE-AMOUNT")
    assert rounding.severity is Severity.NOTE


@pytest.mark.parametrize("text", [
    "部门预算收入17,144.13万元，比2019年减少298.27万元，增长1.77%。",
    "部门预算收入17,144.13万元，比2019年增加298.27万元，下降1.77%。",
    "机关运行经费由53.00万元增加到50.00万元。",
    "机关运行经费50.00万元，比上年的53.00万元增加3.00万元。",
    "支出100.00万元，比上年执行数500.00万元增长12.4%。",
    "2.公务接待费。2020年预算数9.50万元，比2019年减少1.00万元。增加原因主要是接待任务增多。",
])
def test_direction_contradictions(text: str) -> None:
    assert findings(doc(text), "TEXT-DIRECTION"), text


@pytest.mark.parametrize("text", [
    "部门预算收入17,144.13万元，比2019年增加298.27万元，增长1.77%。",
    "2.公务接待费。2020年预算数9.50万元，比2019年减少1.00万元。减少原因主要是立行勤俭节约。",
    "预算收支增加（减少）主要原因说明：",
    "公务用车运行维护费从项目支出中调整至基本支出，导致公用经费相应增加。",
    "机关运行经费由53.00万元增加到55.67万元。",
])
def test_consistent_directions_pass(text: str) -> None:
    assert findings(doc(text), "TEXT-DIRECTION") == []
