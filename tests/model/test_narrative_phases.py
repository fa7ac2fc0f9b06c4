"""A final account's text read by phase (model/narrative_phases.py): an item's 年初预算数, 全年预算数 and 决算数 stated
side by side are three figures, keyed as the table's columns; a budget's text reads as without phases."""

from __future__ import annotations

from decimal import Decimal

from deptbudget.model.disclosure import Part, Section
from deptbudget.model.narrative_phases import BUDGET, EXECUTION_RATE, phased, rate_phase, stated_phase, unphased
from deptbudget.model.narrative_text import find_mentions

THREE_PUBLIC = ("2024年度“三公”经费财政拨款支出年初预算为76.43万元，全年预算为80.00万元，支出决算为46.21万元，"
                "完成年初预算的60.46%。")
FISCAL = "2024年度财政拨款支出年初预算为15068.55万元，支出决算为13733.8万元，完成年初预算的91.14%。"
CARRYOVER = ("3.年初结转和结余1615.24万元，为以前年度支出预算尚未完成、结转到本年继续使用的资金，既包括财政拨款结转和"
             "结余，也包括其他收入的结转和结余，比2023年度决算数减少754.91万元，下降31.85%。")


def _read(paragraph: str, heading: str, phases: bool) -> dict[str, Decimal]:
    part = Part(3, "第三部分 部门决算情况说明", [Section(heading, [paragraph])])
    return {m.key: m.value for m in find_mentions([part], phases=phases)}


def test_budget_and_actual_of_one_sentence_are_two_figures() -> None:
    read = _read(THREE_PUBLIC, "（五）“三公”经费财政拨款支出决算情况说明", phases=True)
    assert read == {"three_public.initial_total": Decimal("76.43"), "three_public.adjusted_total": Decimal("80.00"),
                    "three_public.total": Decimal("46.21")}
    fiscal = _read(FISCAL, "（三）财政拨款支出决算总体情况", phases=True)
    assert fiscal["fiscal.expenditure.initial_fiscal"] == Decimal("15068.55")
    assert fiscal["fiscal.expenditure.fiscal"] == Decimal("13733.8")


def test_without_phases_the_reading_is_the_budgets() -> None:
    """A budget's text: the first amount after the item's name is its figure, no phase read (as before)."""
    read = _read(THREE_PUBLIC, "（五）“三公”经费财政拨款支出决算情况说明", phases=False)
    assert read == {"three_public.total": Decimal("76.43")}


def test_carryover_items_and_their_changes() -> None:
    """年初结转和结余 is a figure of a 决算's own; the change after a definition naming 其他收入 is its change."""
    read = _read(CARRYOVER, "二、收入决算情况说明", phases=True)
    assert read == {"income.carryover": Decimal("1615.24"), "income.carryover.change": Decimal("-754.91"),
                    "income.carryover.change_pct": Decimal("-31.85")}
    assert "income.carryover" not in _read(CARRYOVER, "二、收入决算情况说明", phases=False)


def test_the_fiscal_carryover_is_a_figure_of_its_own() -> None:
    """年初财政拨款结转和结余 (the 财政拨款 总表's) is not the 年初结转和结余 of all funds: no NAR-REPEAT between
    them."""
    text = "年初结转和结余1615.24万元，其中年初财政拨款结转和结余1154.62万元。"
    read = _read(text, "二、收入决算情况说明", phases=True)
    assert read == {"income.carryover": Decimal("1615.24"),
                    "income.fiscal_carryover": Decimal("1154.62")}


def test_a_change_on_the_budget_is_not_a_change_on_last_year() -> None:
    text = ("2024年度财政拨款支出13733.8万元，比年初预算减少1334.75万元，下降8.86%；比2023年度决算数减少287.41万元，"
            "降低2.05%。")
    read = _read(text, "（三）财政拨款支出决算总体情况", phases=True)
    assert read["fiscal.expenditure.fiscal.budget_change"] == Decimal("-1334.75")
    assert read["fiscal.expenditure.fiscal.budget_change_pct"] == Decimal("-8.86")
    assert read["fiscal.expenditure.fiscal.change"] == Decimal("-287.41")
    assert read["fiscal.expenditure.fiscal.change_pct"] == Decimal("-2.05")


def test_phase_words() -> None:
    assert stated_phase("“三公”经费支出年初预算为") == "initial_"
    assert stated_phase("调整后预算数为") == "adjusted_"
    assert stated_phase("支出预算为") == BUDGET
    assert stated_phase("一般公共预算") == ""  # a fund, not a phase
    assert stated_phase("比2023年度预算数") == ""  # the year before's
    assert stated_phase("支出决算为") == ""
    assert phased("fiscal.expenditure.fiscal", "initial_") == "fiscal.expenditure.initial_fiscal"
    assert unphased("three_public.budget_total") == ("three_public.total", BUDGET)
    rates = [(m["num"] or m["num2"], rate_phase(m)) for m in EXECUTION_RATE.finditer(
        "完成年初预算的91.14%；完成预算的60.46%；预算执行率为99.95%")]
    assert rates == [("91.14", "initial_"), ("60.46", BUDGET), ("99.95", BUDGET)]
