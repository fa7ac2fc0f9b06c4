"""Reading the figures a narrative states back from its text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.disclosure import Part, Section
from deptbudget.model.narrative_reading import normalize, parse_number
from deptbudget.model.narrative_text import extract_figures, find_mentions
from deptbudget.sources.yaml_source import load_budget

D = Decimal


def part(number: int, *paragraphs: str, heading: str = "") -> Part:
    return Part(number, f"第{number}部分", [Section(heading, list(paragraphs))])


def values(parts: list[Part]) -> dict[str, Decimal]:
    return {key: figure.value for key, figure in extract_figures(parts).items()}


def test_seed_part_two_with_half_width_punctuation() -> None:
    text = ("2020年罗湖区科技创新局部门预算收入17,144.13万元,比2019年增加298.27万元,增长1.77%,其中:"
            "财政预算拨款17,144.13万元。")
    assert values([part(2, text)]) == {
        "income.total": D("17144.13"), "income.change": D("298.27"), "income.change_pct": D("1.77"),
        "income.fiscal": D("17144.13")}


def test_spaces_and_full_width_commas() -> None:
    text = "2020 年罗湖区科技创新局部门预算支出 17，144.13 万元，比 2019 年减少 1,000.00 万元，下降 5.51%。"
    found = values([part(2, text)])
    assert found["expenditure.total"] == D("17144.13")
    assert found["expenditure.change"] == D("-1000.00")  # 减少 → negative
    assert found["expenditure.change_pct"] == D("-5.51")


def test_composition_and_part_three_groups() -> None:
    parts = [part(3, "罗湖区科技创新局预算17,144.13万元,包括人员支出619.37万元、公用支出55.67万元、"
                     "对个人和家庭的补助支出43.80万元、项目支出16,425.30万元。",
                  "(三)对个人和家庭补助支出43.80万元,主要是离退休人员经费。",
                  "(四)项目支出16,425.30万元,具体包括:",
                  "政府投资项目10.32万元,主要用于支付质保款。",
                  "科普工作 410.00 万元，主要用于开展各类科普活动。",
                  "梧桐 AI 小镇 5.00 万元，主要用于规划。")]
    found = values(parts)
    assert found["expenditure.total"] == D("17144.13")
    assert found["expenditure.personnel"] == D("619.37")
    assert found["expenditure.transfers"] == D("43.80")
    assert found["expenditure.project"] == D("16425.30")
    assert found["group.政府投资项目"] == D("10.32")
    assert found["group.科普工作"] == D("410.00")
    assert found["group.梧桐AI小镇"] == D("5.00")  # whitespace dropped around CJK


def test_group_name_ending_in_digits() -> None:
    parts = [part(3, "（四）项目支出100.00万元，具体包括：", "业务类项目215,679.86万元，主要用于业务工作2。")]
    # Without the names the split is ambiguous: the longest well-formed amount is taken.
    assert values(parts)["group.业务类项目"] == D("215679.86")
    named = find_mentions(parts, group_names=["业务类项目2"])
    assert [(m.key, m.value) for m in named if m.key.startswith("group.")] == [("group.业务类项目2", D("15679.86"))]
    glued = find_mentions([part(3, "（四）项目支出1.00万元，具体包括：", "业务类项目1107,495.27万元，主要用于。")])
    assert [(m.key, m.value) for m in glued if m.key.startswith("group.")] == [("group.业务类项目1", D("107495.27"))]


def test_group_name_keeps_a_leading_decimal() -> None:
    """An enumeration mark ("1.", "（二）", "三、") is not part of a group's name; "1.5" is not such a mark."""
    parts = [part(3, "（四）项目支出30.00万元，具体包括：", "1.科普工作10.00万元。", "（二）1.5G网络建设20.00万元。")]
    groups = {m.key: m.value for m in find_mentions(parts) if m.key.startswith("group.")}
    assert groups == {"group.科普工作": D("10.00"), "group.1.5G网络建设": D("20.00")}


def test_three_public_across_a_page_break_and_level_with_last_year() -> None:
    parts = [part(5, "2020 年“三公”经费财政拨款预算 12.65 万元，比 2019 年“三公”经费财政拨款预算减少 1.00 万元。",
                  "1. 因公出国（境）费用。2020 年预算数 0 万元。因此各单位 2020 年因公出国（境）经费预算数为 0 万元。",
                  "2. 公务接待费。2020 年预算数 9.50 万元，比 2019 年减少 1.00 万元。",
                  "3. 公务用车购置和运行维护费。2020 年预算数 3.15 万元，其中：公务用车购置费 2020",
                  "年预算数 0.00 万元，与上年持平；公务用车运行维护费 2020 年预算数 3.15 万元，与上年持平；")]
    found = values(parts)
    assert found == {
        "three_public.total": D("12.65"), "three_public.total.change": D("-1.00"),
        "three_public.overseas": D("0"), "three_public.reception": D("9.50"),
        "three_public.reception.change": D("-1.00"), "three_public.vehicles": D("3.15"),
        "three_public.vehicle_purchase": D("0.00"), "three_public.vehicle_purchase.change": D("0"),
        "three_public.vehicle_operation": D("3.15"), "three_public.vehicle_operation.change": D("0")}


def test_procurement_and_admin_operating() -> None:
    parts = [part(4, "据此，2020 年罗湖区科技创新局采购项目纳入 2020 年部门预算实际指标 180.00 万元，"
                     "一年采购指标 200.00 万元。"),
             part(7, "2020 年机关运行经费财政拨款预算 55.67 万元，比 2019 年增加 2.67 万元，增长 5.06%。主要是：调整。",
                  "单价50万元以上通用设备1台（套）。", heading="一、机关运行经费")]
    assert values(parts) == {"procurement.amount": D("180.00"), "procurement.annual": D("200.00"),
                             "admin_operating.total": D("55.67"), "admin_operating.change": D("2.67"),
                             "admin_operating.change_pct": D("5.06")}
    none = values([part(4, "2020年测试局无政府采购预算。")])
    assert none == {"procurement.amount": D(0), "procurement.annual": D(0)}


def test_misprinted_separator_keeps_its_text() -> None:
    figure = extract_figures([part(2, "2020年部门预算收入1,7144.13万元。")])["income.total"]
    assert (figure.value, figure.text) == (D("17144.13"), "1,7144.13")


def test_each_mention_located() -> None:
    parts = [part(2, "部门预算支出10.00万元。其中：人员支出5.00万元、项目支出5.00万元。"),
             part(3, "单位预算10.00万元，包括人员支出6.00万元。")]
    personnel = [m for m in find_mentions(parts) if m.key == "expenditure.personnel"]
    assert [(m.part, m.paragraph, m.value) for m in personnel] == [(2, 0, D("5.00")), (3, 0, D("6.00"))]
    assert personnel[1].sentence == "单位预算10.00万元，包括人员支出6.00万元。"
    assert extract_figures(parts)["expenditure.personnel"].sources == ("parts[2].sections[0].paragraphs[0]",)


def test_parts_without_figures_are_not_read() -> None:
    assert values([part(1, "产值 10 亿元以上企业 3-5 家，增长 20%以上。"), part(8, "单价 50 万元以上。")]) == {}


def test_helpers() -> None:
    assert normalize(" 梧桐 AI 生态 小镇 410.00 万元 ", digits_apart=False) == "梧桐AI生态小镇410.00万元"
    assert normalize("R&D 占 GDP 比重") == "R&D占GDP比重"
    assert parse_number("1，234.50") == D("1234.50")


@pytest.fixture(scope="module")
def example():  # type: ignore[no-untyped-def]
    return compute_disclosure(load_budget("examples/luohu-2020.yaml"))


def test_generated_narrative_reads_back_as_computed(example) -> None:  # type: ignore[no-untyped-def]
    """Every figure the generated text states is read back with the computed value (an amount stated again,
    or outside the vocabulary, is kept as a ``stated.*`` figure)."""
    extracted = extract_figures(example.parts, [k[6:] for k in example.figures if k.startswith("group.")])
    extracted = {k: f for k, f in extracted.items() if not k.startswith("stated.")}
    assert len(extracted) >= 35
    for key, figure in extracted.items():
        assert key in example.figures, key
        assert figure.value == example.figures[key].value, key
    stated = {"income.total", "income.change", "income.change_pct", "expenditure.personnel", "group.预算准备金",
              "three_public.reception.change", "admin_operating.change_pct", "procurement.annual"}
    assert stated <= set(extracted)


def titled(title: str, *paragraphs: str, number: int = 1, heading: str = "") -> Part:
    """A part of a document without 第N部分: its number says nothing, its title which part it is."""
    return Part(number, title, [Section(heading, list(paragraphs))])


def test_figures_of_a_part_named_by_its_heading_whatever_its_number() -> None:
    parts = [titled("其他相关情况说明", "2026年“三公”经费预算数为237.92万元，与2025年预算持平。",
                    "（一）因公出国（境）费201.80万元，与2025年预算持平。", number=6,
                    heading="一、“三公”经费预算情况说明"),
             titled("三、政府采购预算情况", "2026年度本单位政府采购预算983.05万元，其中：政府采购货物预算50.55万元、"
                    "政府采购工程预算0.00万元、政府采购服务预算932.50万元。", number=9),
             titled("四、绩效目标设置情况", "2026年度，本单位编报绩效目标的项目共9个，涉及项目预算资金1,887.00万元。",
                    number=2)]
    found = values(parts)
    assert found["three_public.total"] == D("237.92") and found["three_public.overseas"] == D("201.80")
    assert found["procurement.total"] == D("983.05") and found["procurement.goods"] == D("50.55")
    assert found["procurement.services"] == D("932.50")
    assert found["performance.amount"] == D("1887.00")
    assert not any(key.startswith("expenditure.") for key in found)  # part 2 by number, not by name


def test_every_other_amount_is_kept_with_what_it_is_of() -> None:
    parts = [titled("2026年单位预算编制说明", "支出预算19,577万元，其中：财政拨款支出预算19,577万元。",
                    "1.“一般公共服务支出”科目13,434万元，主要用于基本支出。", "单价100万元（含）以上设备0台（套）。",
                    "政府性基金拨款支出预算为0万元。")]
    figures = extract_figures(parts)
    assert figures["expenditure.total"].text == "19,577"
    stated = {k: f.value for k, f in figures.items() if k.startswith("stated.")}
    assert stated == {"stated.1.“一般公共服务支出”科目": D("13434")}  # no threshold, no zero
    assert figures["stated.1.“一般公共服务支出”科目"].sources == ("parts[1].sections[0].paragraphs[1]",)


def test_a_repeated_statement_is_kept_too() -> None:
    parts = [part(2, "2020年部门预算支出100.00万元。", "部门预算支出100.00万元，包括项目支出100.00万元。")]
    figures = extract_figures(parts)
    amounts = sorted(f.text for f in figures.values())
    assert amounts == ["100.00", "100.00", "100.00"]


def test_last_year_and_the_change_after_it() -> None:
    text = "2026年度收入预算32852.05万元，比2025年年初预算数30385.62万元增加2466.43万元，增长8.12%。"
    found = values([titled("二、收入预算情况说明", text)])
    assert found == {"income.total": D("32852.05"), "income.last_year": D("30385.62"),
                     "income.change": D("2466.43"), "income.change_pct": D("8.12")}


def test_a_named_figure_then_moved_and_the_whole_after_its_items() -> None:
    text = ("收入预算：2026年年初预算数168,441.81万元，其中：一般公共预算拨款154,304.22万元，其他收入资金10,885万元；"
            "收入比2025年增加6,276.54万元，主要是一般公共预算拨款增加3,013.74万元，事业收入资金减少7,294.14万元。")
    found = values([titled("二、部门收支总体情况", text)])
    assert found["income.change"] == D("6276.54")
    assert found["income.general_budget.change"] == D("3013.74")
    assert found["income.operating.change"] == D("-7294.14")
    assert "income.other.change" not in found


def test_a_fiscal_section_states_its_own_subset() -> None:
    parts = [Part(1, "二、部门收支总体情况", [
        Section("", ["支出比2025年增加6,276.54万元，主要是基本支出减少5,372.73万元。"]),
        Section("三、财政拨款情况", ["一般公共预算财政拨款支出154,304.22万元。其中：基本支出5,362.42万元，"
                                  "比2025年减少5,371.59万元。"])])]
    found = values(parts)
    assert found["expenditure.basic.change"] == D("-5372.73")
    assert found["fiscal.expenditure.basic"] == D("5362.42")
    assert found["fiscal.expenditure.basic.change"] == D("-5371.59")


def test_one_funds_income_or_spending_is_not_the_whole() -> None:
    # 无锡: "本年政府性基金预算收入0万元" and "国有资本经营预算支出0万元" name one fund source, not the total
    found = values([part(2, "2026年部门预算收入3,210.10万元。本年政府性基金预算收入0万元，占0%。"),
                    part(3, "本部门2026年国有资本经营预算支出0万元。"),
                    part(3, "苏州市审计局2026年政府性基金支出预算支出0万元。"),  # 苏州
                    part(3, "一般公共预算拨款安排的培训费预算支出43万元。")])  # an item's spending
    assert found.get("income.total") == D("3210.10")
    assert "expenditure.total" not in found
