"""Text rule on years: comparisons with the year before, this year's figures, as-of dates, goals."""

from __future__ import annotations

import pytest

from deptbudget.catalog import load_catalog
from deptbudget.model.disclosure import Disclosure, Part, Section
from deptbudget.review.engine import load_rules
from deptbudget.rules.registry import Finding, RuleContext, RuleSettings, Severity, run_rules


def doc(text: str, part: int = 2, heading: str = "", title: str = "2020 年罗湖区科技创新局部门预算",
        kind: str = "部门预算") -> Disclosure:
    return Disclosure("shenzhen-15", 2020, "罗湖区科技创新局", title, kind=kind,
                      parts=[Part(part, f"第{'一二三四五六七八'[part - 1]}部分", [Section(heading, [text])])])


def findings(d: Disclosure) -> list[Finding]:
    rules = [r for r in load_rules() if r.id == "TEXT-YEAR"]
    return run_rules(d, RuleContext(load_catalog(2020), RuleSettings()), rules)


@pytest.mark.parametrize(("text", "part", "heading", "expected", "severity"), [
    ("部门预算收入17,144.13万元，比2018年增加298.27万元。", 2, "", "2019年", Severity.ERROR),
    ("2019年罗湖区科技创新局部门预算收入17,144.13万元。", 2, "", "2020年", Severity.ERROR),
    ("2.公务接待费。2021年预算数9.50万元。", 5, "", "2020年", Severity.ERROR),
    ("截至2020年12月31日，本部门共有车辆1辆。", 7, "二、国有资产占有使用情况", "2019年", Severity.ERROR),
    ("2019年，力争引进重大项目。", 1, "三、2020年主要工作目标", "2020年", Severity.ERROR),
    ("2021年，力争引进重大项目。", 1, "三、2020年主要工作目标", "2020年", Severity.WARNING),
    ("根据2015年有关规定执行。", 2, "", "2019年或2020年", Severity.WARNING),
    ("与2018年相比基本持平。", 2, "", "2019年", Severity.ERROR),
])
def test_wrong_years(text: str, part: int, heading: str, expected: str, severity: Severity) -> None:
    [found] = findings(doc(text, part, heading))
    assert found.expected == expected and found.severity is severity
    assert found.actual == text.replace(" ", "")


@pytest.mark.parametrize(("text", "part", "heading"), [
    ("2020年罗湖区科技创新局部门预算收入17,144.13万元，比2019年增加298.27万元，增长1.77%。", 2, ""),
    ("2020年“三公”经费财政拨款预算12.65万元，比2019年“三公”经费财政拨款预算减少1.00万元。", 5, ""),
    ("截至2019年12月31日，本部门共有车辆1辆。", 7, "二、国有资产占有使用情况"),
    ("2020年，力争引进产值10亿元以上战略性新兴产业3-5家。", 1, "三、2020年主要工作目标"),
    ("到2025年，形成产业集群。", 1, "三、2020年主要工作目标"),
    ("2018年区纪委巡查整改要求已落实。", 1, "一、主要职能"),
    ("各项工作与2020年度重点任务相衔接。", 2, ""),
    # real documents (the years shifted to a 2020 budget): a span of years (深圳气象局, 深圳市财政局, 大鹏管理局)
    ("完成深圳气象高质量发展（2016-2019年）三年行动计划评估，科学编制（2020-2023年）三年行动计划。", 1,
     "三、2020年主要工作目标"),
    ("2014—2017年“产业转型升级无息转贷资金”管理费1,305.59万元。", 3, ""),
    ("大鹏新区海洋自然灾害防灾减灾专项规划（2019-2029年）项目工作54.02万元。", 3, ""),
    # last year's carry-over at the start of the budget year (西安人社局, 西安气象局)
    ("2、本部门无2019年结转的政府性基金预算拨款支出。", 2, ""),
    # a rule's date (福州公安局文职人员管理中心), a plan's later year (深圳口岸办)
    ("主要用于新人（1998年12月1日后参加工作人员）购房补贴支出。", 3, ""),
    ("2019年未完成公车处置1辆，2020年持续推进公车处置工作，计划于2021年申请新购置公务车1辆。", 5, ""),
    # year-end balances (北京气象局), a survey named by its year in the goals (西安统计局)
    ("主要原因是2019年底项目的结转结余收入较2018年底有所下降。", 2, ""),
    ("与此同时，扎实做好全市2019年全国1%人口抽样调查资料开发工作。", 1, "二、工作任务"),
])
def test_right_years_pass(text: str, part: int, heading: str) -> None:
    assert findings(doc(text, part, heading)) == []


def test_headings_and_title() -> None:
    [heading] = findings(doc("工作目标如下。", 1, "三、2019年主要工作目标"))
    assert heading.row == "三、2019年主要工作目标（标题）" and heading.expected == "2020年"
    [title] = findings(doc("说明。", title="2021 年罗湖区科技创新局部门预算"))
    assert title.table == "标题" and title.expected == "2020年"


def test_final_accounts_count_assets_at_the_end_of_their_year() -> None:
    text = "截至2020年12月31日，本部门共有车辆1辆。"
    assert findings(doc(text, 7, "二、国有资产占有使用情况", "2020 年罗湖区科技创新局部门决算", "部门决算")) == []
    assert findings(doc(text.replace("2020", "2019"), 7, "二、国有资产占有使用情况", "2020 年罗湖区科技创新局部门决算",
                        "部门决算"))


def test_a_carryover_from_last_year_into_the_budget() -> None:
    assert findings(doc("上述收入包括2019年结转并编制到2020年预算的资金。")) == []
    [found] = findings(doc("2019年部门预算收入17,144.13万元。"))
    assert found.expected == "2020年"


def test_the_department_s_parts_may_recall_any_year_under_any_number() -> None:
    history = "本局于2009年组建。"
    d = Disclosure("mof-9", 2020, "某局", "2020年某局部门预算",
                   parts=[Part(3, "某局（单位）主要职能", [Section("", [history])])])
    assert findings(d) == []
    assert len(findings(doc(history, part=3))) == 1


def test_a_year_in_the_reason_for_a_change_is_history() -> None:
    text = "2020年预算数28.00万元，较2019年年初预算增加27.20万元，主要是2019年因公出国（境）费用在年中预算内调剂安排。"
    assert findings(doc(text, part=5)) == []
