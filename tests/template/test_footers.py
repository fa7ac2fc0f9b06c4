"""The one reading of 收支总表 footer measures (compute, importer and rules use it)."""

from __future__ import annotations

from deptbudget.template import Measure, MeasureKind, income_tree, load_template, measure_funds, states_spending_total

EVERY = frozenset({"general_funds", "special_funds", "investment", "gov_fund", "state_capital", "special_account",
                   "operating", "business", "other", "superior_subsidy", "affiliated", "career_fund", "carryover"})


def test_measures_name_the_funds_they_add_up() -> None:
    template = load_template("shenzhen-15")
    t6 = template.table("T6")
    general = set(template.fund_groups["general_budget"])
    this_year = general | {"gov_fund", "special_account"}
    assert measure_funds(template, t6, Measure.parse("this_year"), EVERY) == this_year
    assert measure_funds(template, t6, Measure.parse("this_year_and_carryover"), EVERY) == this_year | {"carryover"}
    assert measure_funds(template, t6, Measure.parse("all"), EVERY) == EVERY
    assert measure_funds(template, t6, Measure.parse("general_budget"), EVERY) == general
    assert measure_funds(template, t6, Measure.parse("none"), EVERY) == frozenset()
    assert states_spending_total(Measure.parse("total")) and not states_spending_total(Measure.parse("none"))
    assert Measure.parse("carryover").kind is MeasureKind.FUNDS


def test_income_tree_follows_levels_and_footers() -> None:
    t1 = load_template("shenzhen-15").table("T1")
    tree = dict(income_tree(t1))
    assert tree["fiscal"] == ["general_budget", "gov_fund", "special_account"]
    assert tree["general_budget"] == ["general_funds", "special_funds", "investment"]
    assert tree["this_year"] == ["fiscal", "operating", "business", "other"]
    assert tree["all"] == ["this_year", "superior_subsidy", "affiliated", "career_fund", "carryover"]


def test_an_of_which_income_item_is_no_summand() -> None:
    # xian-16 表4: 一、财政拨款 = 1、一般公共预算拨款 + 2、政府性基金拨款 + 3、国有资本经营预算收入; the
    # 其中：专项资金列入部门预算的项目 printed under 1、 is part of it, not added to it.
    tree = dict(income_tree(load_template("xian-16").table("A4")))
    assert tree["fiscal"] == ["general_budget", "gov_fund", "state_capital"]
    assert "general_budget" not in tree
