"""Reading a narrative's figures on the sentences of published documents: a figure of one fund, one item
or a part of an item is not the department's (each sentence is quoted from a real document)."""

from __future__ import annotations

from decimal import Decimal

from deptbudget.model.disclosure import Part, Section
from deptbudget.model.narrative_reading import enumeration
from deptbudget.model.narrative_text import find_mentions

D = Decimal


def part(number: int, *paragraphs: str) -> Part:
    return Part(number, f"第{number}部分", [Section("", list(paragraphs))])


def stated(number: int, *paragraphs: str) -> list[tuple[str, Decimal]]:
    return [(m.key, m.value) for m in find_mentions([part(number, *paragraphs)])]


def test_a_fund_after_the_figure_ends_its_topic() -> None:
    # 上海市卫生健康委员会: the 持平 is of 政府性基金拨款支出, not of 一般公共预算拨款支出
    found = stated(2, "财政拨款支出预算中，一般公共预算拨款支出预算2,694万元，比2025年预算增加147万元；"
                      "政府性基金拨款支出预算0万元，与2025年预算持平。")
    assert found == [("expenditure.general_budget", D("2694")), ("expenditure.general_budget.change", D("147"))]


def test_a_fund_named_before_the_figure_narrows_it() -> None:
    # 重庆市气象局: two 财政拨款收入, one of each fund
    found = stated(2, "说明2026年一般公共预算财政拨款收入12,672.73万元。",
                   "2026年政府性基金预算财政拨款收入579.89万元,比2025年增加579.89万元。")
    assert found == [("general_budget.income.fiscal", D("12672.73")), ("gov_fund.income.fiscal", D("579.89")),
                     ("gov_fund.income.fiscal.change", D("579.89"))]


def test_procurement_of_the_department_and_of_one_fund() -> None:
    # 重庆市科学技术局: the fund's 政府采购 after "；其中", read across the thousands separators
    found = dict(stated(4, "所属各预算单位政府采购预算总额6,143.52万元：政府采购货物预算5,242.52万元、"
                           "政府采购工程预算0万元、政府采购服务预算901万元；其中一般公共预算拨款政府采购2,521.44万元：政府采购货物预算2,020.44万元、"
                           "政府采购工程预算0万元、政府采购服务预算501万元。"))
    assert found["procurement.total"] == D("6143.52")
    assert found["procurement.goods"] == D("5242.52") and found["procurement.services"] == D("901")
    assert found["general_budget.procurement.total"] == D("2521.44")
    assert found["general_budget.procurement.goods"] == D("2020.44")
    assert found["general_budget.procurement.services"] == D("501")


def test_an_item_listed_under_a_figure_is_not_the_figure() -> None:
    # 西安市委宣传部: 人员经费 by 功能科目, each item with its code and its own change
    found = stated(2, "（1）人员经费：①行政运行（2013201）1641.18万元，较上年增加309.87万元，原因是2021年人员工资增加；"
                      "②机关事业单位基本养老保险缴费支出（2080505）159.2万元，较上年增加7.73万元。")
    assert found == []


def test_the_parts_of_an_item_are_not_the_departments() -> None:
    # 西安市人力资源和社会保障局: 人员经费 and 公用经费 of one economic class
    found = stated(2, "对个人和家庭的补助（303）100151.38万元,其中：人员经费138.06万元,"
                   "较上年增加13.93万元，属于正常变化。",
                   "机关商品和服务支出（502）3423.08万元,其中：公用经费545.71万元,较上年减少146.30万元，属于正常缩减。")
    assert found == []


def test_an_item_the_figure_pays_for_is_not_the_figure() -> None:
    # 苏州市审计局: 培训费 paid from 一般公共预算拨款
    found = stated(2, "苏州市审计局2026年度一般公共预算拨款安排的培训费预算支出43万元，比上年预算减少21.73万元。")
    assert [key for key, _ in found if key.startswith("income.general_budget")] == []


def test_a_change_in_another_clause_is_not_the_figures() -> None:
    # 深圳市规划和自然资源局大鹏管理局: 191.56 is the change of 林业专项资金
    found = stated(2, "预算收支减少主要原因说明：1.基本支出增加88.05万元，主要由于2026年在编人员数量增加，"
                      "在职人员经费、公用经费相应增加；2.林业专项资金减少191.56万元。")
    assert ("expenditure.operating", D("191.56")) not in found


def test_shenzhen_staff_costs_are_not_the_personnel_expenditure() -> None:
    # 深圳市信访局: 在职人员经费 + 增人增资 make 人员支出; 在职人员经费 alone is not it
    found = dict(stated(3, "深圳市信访局预算4,684.30万元，包括在职人员经费2,422.61万元、公用经费357.43万元、"
                           "对个人和家庭的补助支出192.55万元、增人增资99.41万元、项目支出1,612.30万元。"))
    assert "expenditure.personnel" not in found
    assert found["expenditure.operating"] == D("357.43") and found["expenditure.transfers"] == D("192.55")


def test_last_years_budget_is_not_the_figure() -> None:
    # 无锡市教育局
    found = stated(3, "（9）其他收入25,335万元，与上年相比增加25,335万元（去年预算数为0万元，无法计算增减比率）。")
    assert [value for key, value in found if key == "income.other"] == [D("25335")]


def test_about_the_same_is_not_no_change() -> None:
    # 烟台市科技创新局
    found = stated(7, "2026年机关运行经费财政拨款预算为97.8万元，比上年预算减少0.83万元，与上年基本持平。")
    assert [value for key, value in found if key == "admin_operating.change"] == [D("-0.83")]


def test_an_items_budget_is_not_the_departments() -> None:
    # 西安市人力资源和社会保障局, 第三部分
    found = stated(3, "2020年会议费预算37.55万元，较上年预算减少33.10万元，"
                      "原因是2020年人事人才业务会议经费预算有所压缩。")
    assert [key for key, _ in found if key.startswith("expenditure.")] == []


def test_the_change_after_an_amounts_details_is_the_amounts() -> None:
    # 广州市气象局: 19.6 + 5.45 = 25.05, the change of 公务用车购置及运行维护费
    found = stated(5, "公务用车购置及运行维护费24.8万元（公务用车购置费0万元，比上年减少19.6万元；"
                      "公务用车运行维护费24.8万元，比上年减少5.45万元。）比上年减少25.05万元，下降50.3%，主要原因是减少公务用车购置经费。")
    changes = {key: value for key, value in found if key.endswith(".change")}
    assert changes == {"three_public.vehicle_purchase.change": D("-19.6"),
                       "three_public.vehicle_operation.change": D("-5.45"),
                       "three_public.vehicles.change": D("-25.05")}


def test_what_an_amount_is_used_for_names_no_figure() -> None:
    # 无锡市商务局: the change is of 商业服务业等支出, not of 项目支出
    found = stated(3, "（4）商业服务业等支出（类）支出3,275.38万元，主要用于保障部门运转的基本支出"
                      "以及开展商务重点工作的行政事业性项目支出。与上年相比减少22,614.28万元，减少87.35%。")
    assert [key for key, _ in found if key.startswith("expenditure.")] == []


def test_project_groups_follow_their_numbering() -> None:
    # 深圳市气象局: "（8）…" continues the list of group 1 after a page break; it is not a group
    found = stated(3, "（五）项目支出3,982.81万元，具体包括：",
                   "1.精准预报1,357.00万元，主要包括：（1）气象预报799.00万元，用于气象预报预警基础业务运行服务；",
                   "（8）深圳市气象灾害防御水平调查评估25.00万元，用于开展龙华区区域风险试点服务。",
                   "2.精细服务2,625.81万元，主要包括：（1）气象灾害防御管理49.99万元。",
                   "1.统计专项调查业务265.25万元。")
    assert [(key, value) for key, value in found if key.startswith("group.")] == [
        ("group.精准预报", D("1357.00")), ("group.精细服务", D("2625.81"))]


def test_enumeration_numbers() -> None:
    assert enumeration("3.编外人员262.50万元") == 3
    assert enumeration("（8）深圳市气象灾害防御") == 8
    assert enumeration("（十二）其他") == 12
    assert enumeration("二十一、其他") == 21
    assert enumeration("1.5G网络建设") is None
    assert enumeration("精准预报") is None
