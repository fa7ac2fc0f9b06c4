"""Text rules on amounts: the same figure given two amounts, parts against their whole, missing units."""

from __future__ import annotations

import pytest

from deptbudget.catalog import load_catalog
from deptbudget.model.disclosure import Disclosure, Part, Section
from deptbudget.review.engine import load_rules
from deptbudget.rules.registry import Finding, RuleContext, RuleSettings, Severity, run_rules

NAMES = "一二三四五六七八"


def doc(*parts: tuple[int, list[str]], heading: str = "") -> Disclosure:
    return Disclosure("shenzhen-15", 2020, "罗湖区科技创新局", "2020 年罗湖区科技创新局部门预算",
                      parts=[Part(n, f"第{NAMES[n - 1]}部分", [Section(heading, list(texts))]) for n, texts in parts])


def findings(d: Disclosure, rule_id: str) -> list[Finding]:
    rules = [r for r in load_rules() if r.id == rule_id]
    return run_rules(d, RuleContext(load_catalog(2020), RuleSettings()), rules)


SPENDING = ("2020年罗湖区科技创新局部门预算支出17,144.13万元，比2019年增加298.27万元，增长1.77%。"
            "其中：人员支出619.37万元、公用支出55.67万元、对个人和家庭的补助支出43.79万元、项目支出16,425.30万元。")


def test_same_figure_two_amounts_in_one_paragraph() -> None:
    d = doc((3, ["人员支出619.37万元，主要是工资。人员支出620.00万元。"]))
    [found] = findings(d, "TEXT-AMOUNT-CONFLICT")
    assert found.expected == "619.37" and found.actual == "人员支出620.00万元。"


def test_same_figure_two_amounts_across_parts() -> None:
    d = doc((2, [SPENDING]), (3, ["（一）人员支出691.37万元，主要是在职人员工资福利支出。"]))
    [found] = findings(d, "TEXT-AMOUNT-CONFLICT")
    assert found.table == "第三部分" and "第二部分" in found.message and found.expected == "619.37"


@pytest.mark.parametrize("paragraphs", [
    [(2, [SPENDING]), (3, ["（一）人员支出619.37万元，主要是在职人员工资福利支出。"])],
    [(3, ["人员支出619.37万元，其中行政单位人员支出500.00万元。"])],  # a qualified figure is another figure
    [(5, ["1.因公出国（境）费用。2020年预算数0.00万元。因此各单位2020年因公出国（境）经费预算数为0万元。"])],
    # real documents: the whole and the projects (苏州、无锡), the total and one project (烟台), the totals and
    # their 一般公共预算 share (重庆), the same words in another list (西安宣传部)
    [(3, ["2026年度，本部门整体支出纳入绩效目标管理，涉及财政性资金4,651.67万元；本部门共7个项目纳入绩效目标管理，"
          "涉及财政性资金合计339.5万元，占财政性资金总额的比例为100%。"])],
    [(3, ["2026年，共有3个项目开展绩效评价，涉及预算资金235万元，其中财政拨款235万元。拟对信访业务工作经费等1个项目"
          "开展部门重点绩效评价，涉及预算资金75万元，其中财政拨款75万元。"])],
    [(3, ["所属各预算单位政府采购预算总额947万元:政府采购货物预算47万元、政府采购工程预算0万元、"
          "政府采购服务预算900万元;其中一般公共预算拨款政府采购0万元:政府采购货物预算0万元、政府采购工程预算0万元、政府采购服务预算0万元。"])],
    [(2, ["其中①人员经费：商品和服务支出（302）105.9万元，较上年增加105.9万元；"
          "②公用经费：商品和服务支出（302）126万元，较上年减少53.42万元。"])],
    # this year's and last year's amounts side by side (西安人社局 p.14)
    [(2, ["对个人和家庭的补助（509）100151.38万元，102374.45万元，其中：人员经费138.06万元，124.13万元，"
          "较上年增加13.93万元。"])],
    # a standard figure listed under another whole is that whole's share (西安人社局 p.14, p.19)
    [(2, ["公用经费621.37万元。"]),
     (3, ["机关商品和服务支出（502）3423.08万元，其中：公用经费545.71万元，较上年减少146.30万元。"])],
    [(5, ["公务接待费3.30万元。"]),
     (6, ["2020年机关运行经费预算总计82万元，其中：办公经费41.47万元，公务接待费2万元。"])],
])
def test_consistent_amounts_pass(paragraphs: list[tuple[int, list[str]]]) -> None:
    assert findings(doc(*paragraphs), "TEXT-AMOUNT-CONFLICT") == []


def test_listed_parts_against_their_total() -> None:
    assert findings(doc((2, [SPENDING])), "TEXT-SUM-PARTS") == []
    [note] = findings(doc((2, [SPENDING.replace("43.79", "43.80")])), "TEXT-SUM-PARTS")
    assert note.severity is Severity.NOTE and "17,144.14" in note.message
    [error] = findings(doc((2, [SPENDING.replace("43.79", "53.79")])), "TEXT-SUM-PARTS")
    assert error.severity is Severity.ERROR and error.expected == "17,144.13"
    included = "预算100.00万元，包括人员支出60.00万元、项目支出30.00万元。"
    assert findings(doc((3, [included])), "TEXT-SUM-PARTS")  # 包括: the parts are the whole
    partial = "收入100.00万元，其中：财政拨款60.00万元。"
    assert findings(doc((2, [partial])), "TEXT-SUM-PARTS") == []  # 其中: some of it
    assert findings(doc((2, [partial.replace("60.00", "160.00")])), "TEXT-SUM-PARTS")


GROUPS = ["（四）项目支出100.00万元，具体包括：", "产业转型升级资金60.00万元，主要用于培育企业。",
          "人才建设40.00万元，主要用于人才补贴。", "（五）其他说明。"]


def test_project_groups_add_up_to_project_spending() -> None:
    assert findings(doc((3, GROUPS)), "TEXT-SUM-PARTS") == []
    wrong = [GROUPS[0], GROUPS[1], GROUPS[2].replace("40.00", "45.00"), GROUPS[3]]
    [found] = findings(doc((3, wrong)), "TEXT-SUM-PARTS")
    assert found.row == "第1段" and "105.00" in found.message


THREE_PUBLIC = [
    "2020年“三公”经费财政拨款预算12.65万元，比2019年“三公”经费财政拨款预算减少1.00万元。",
    "1.因公出国（境）费用。2020年预算数0.00万元。",
    "2.公务接待费。2020年预算数9.50万元，比2019年减少1.00万元。",
    "3.公务用车购置和运行维护费。2020年预算数3.15万元，其中：公务用车购置费2020年预算数0.00万元，与上年持平；"
    "公务用车运行维护费2020年预算数3.15万元，与上年持平；主要用于1辆公务车。",
]


def test_three_public_items_and_changes_add_up() -> None:
    assert findings(doc((5, THREE_PUBLIC)), "TEXT-SUM-PARTS") == []
    total = [THREE_PUBLIC[0].replace("12.65", "13.65"), *THREE_PUBLIC[1:]]
    [found] = findings(doc((5, total)), "TEXT-SUM-PARTS")
    assert found.expected == "12.65"
    # 出国 is 0 this year, so it cannot have grown; 接待 fell 1.00, 车 unchanged: the total cannot have grown
    grown = [THREE_PUBLIC[0].replace("减少", "增加"), *THREE_PUBLIC[1:]]
    [change] = findings(doc((5, grown)), "TEXT-SUM-PARTS")
    assert "增减额" in change.message and change.expected == "不大于 -1.00"


def test_amount_without_unit() -> None:
    text = "2020年部门预算安排购置单位价值50万元以上通用设备0台（套），单位价值100以上专用设备0台（套）。"
    [found] = findings(doc((7, [text])), "TEXT-AMOUNT-UNIT")
    assert "单位价值100以上" in found.message and found.actual == text
    assert findings(doc((7, [text.replace("100以上", "100万元以上")])), "TEXT-AMOUNT-UNIT") == []
    assert findings(doc((2, [SPENDING])), "TEXT-AMOUNT-UNIT") == []
    assert findings(doc((2, ["收入比上年增长5.06，主要是项目增加。"])), "TEXT-AMOUNT-UNIT")


def test_a_bare_zero_needs_no_unit() -> None:
    text = "政府性基金拨款支出预算为0；国有资本经营预算拨款支出预算为0。"
    assert findings(doc((2, [text])), "TEXT-AMOUNT-UNIT") == []
    assert len(findings(doc((2, [text.replace("为0；", "为5；")])), "TEXT-AMOUNT-UNIT")) == 1


def test_a_list_ends_before_the_next_list_s_whole() -> None:
    text = ("本部门当年财政拨款收入4,005.29万元，其中：一般公共预算拨款收入4,005.29万元，较上年减少28.10万元；"
            "本部门当年财政拨款支出4,005.29万元，其中：一般公共预算拨款支出4,005.29万元。")
    assert findings(doc((2, [text])), "TEXT-SUM-PARTS") == []
    wrong = text.replace("其中：一般公共预算拨款收入4,005.29", "其中：一般公共预算拨款收入4,105.29")
    assert len(findings(doc((2, [wrong])), "TEXT-SUM-PARTS")) == 1


@pytest.mark.parametrize("text", [
    # real documents: 主要包括 lists the main items (深圳市财政局 p.7)
    "1.预决算管理业务18,808.16万元，主要包括：代理银行手续费1,585.88万元，用于支付代理手续费；绩效评价和财政资金管理费用"
    "577.14万元，主要用于开展绩效评价；预决算业务管理512.60万元，主要用于财政预算、财政决算管理等业务。",
    # an item's description that 包括 no amount (深圳市信访局 第三部分)
    "3.信访专项486.39万元，主要包括：信访工作经费216.40万元，主要用于信访案件处理等业务支出；信访专项经费81.90万元，"
    "主要用于信访宣传；综合业务培训经费20.00万元，主要用于信访综合业务培训支出，包括信访干部业务培训；信访备用金85.00万元；"
    "信访政务运行管理83.09万元，主要用于门户网站与微信公众号运营服务等支出。",
    # an item's own breakdown in brackets (广州市气象局 第三部分)
    "财政拨款安排“三公”经费26.11万元，其中：因公出国（境）费0万元，与上年持平；公务用车购置及运行维护费24.8万元"
    "（公务用车购置费0万元，比上年减少19.6万元；公务用车运行维护费24.8万元，比上年减少5.45万元。）",
    # 其中 after a list: the share of the total, not of the list's last item (重庆市科学技术局)
    "所属各预算单位政府采购预算总额6,143.52万元：政府采购货物预算5,242.52万元、政府采购工程预算0万元、政府采购服务预算"
    "901万元；其中一般公共预算拨款政府采购2,521.44万元：政府采购货物预算2,020.44万元、政府采购工程预算0万元、"
    "政府采购服务预算501万元。",
    # this year's money carried over (深圳口岸办)
    "2.口岸管理业务200.00万元，包括：口岸管养工作100.00万元，用于管理维护；资产清查盘点工作33.27万元，用于资产盘点；莲塘口岸一站式平台运营管理项目上年结转66.73万元，"
    "用于一站式专业管理服务。",
])
def test_listed_items_that_are_no_sum_pass(text: str) -> None:
    assert findings(doc((3, [text])), "TEXT-SUM-PARTS") == []


def test_a_chart_s_labels_are_no_amount() -> None:
    """西安市气象局 p.11: a chart's axis labels ran into the heading after it."""
    text = ("2022年与2021年地方财政预算对比图20001800160014001200总收入支出1000专项业务费800基本支出6002、"
            "支出按功能科目分类的明细情况")
    assert findings(doc((2, [text])), "TEXT-AMOUNT-UNIT") == []
