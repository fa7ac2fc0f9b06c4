"""Scoring by the Ministry of Finance rules, with every expected figure worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from deptbudget.model.budget import ExpenditureKind, FundSource, LineItem, Project
from deptbudget.performance.actuals import EntityEntry, IndicatorEntry, Reading, interpret
from deptbudget.performance.scoring import (
    Outcome,
    SelfEvaluation,
    evaluate_project,
    score_execution,
    score_indicator,
)
from deptbudget.performance.tree import TreeError, build_tree, split_equal, split_proportional

from .conftest import indicator, source_indicator

D = Decimal


def score(target: str, actual: str, rules, points: str = "10") -> tuple[Decimal, Outcome]:  # type: ignore[no-untyped-def]
    ind = indicator(target, points)
    s = score_indicator(ind, interpret(ind, actual, rules), rules)
    return s.score, s.outcome


# --- ≥ ----------------------------------------------------------------------------------------


def test_at_least_scores_actual_over_target(rules) -> None:  # type: ignore[no-untyped-def]
    # ≥10 家, 8 家: 8 / 10 = 0.8 of 12.5 points = 10.00
    assert score("≥10 家", "8", rules, "12.5") == (D("10.00"), Outcome.MISSED)
    # 7 of ≥30 场次 with 8.33 points: 7 / 30 × 8.33 = 1.94366… → 1.94
    assert score("≥30 场次", "7", rules, "8.33") == (D("1.94"), Outcome.MISSED)


def test_at_least_over_achievement_is_capped(rules) -> None:  # type: ignore[no-untyped-def]
    # 236 of ≥150: 236 / 150 = 1.57 → capped at 1: full 9.37
    assert score("≥150 个", "236", rules, "9.37") == (D("9.37"), Outcome.MET)
    assert score("≥95%", "95%", rules) == (D("10.00"), Outcome.MET)


def test_at_least_percent_actual_may_be_written_with_or_without_unit(rules) -> None:  # type: ignore[no-untyped-def]
    # 92 of ≥95 %: 92 / 95 × 10 = 9.6842… → 9.68
    assert score("≥95%", "92%", rules) == (D("9.68"), Outcome.MISSED)
    assert score("≥95%", "92", rules) == (D("9.68"), Outcome.MISSED)


# --- ≤ ----------------------------------------------------------------------------------------


def test_at_most_scores_target_over_actual(rules) -> None:  # type: ignore[no-untyped-def]
    # 科普读本错误率 ≤1 %, actual 2 %: 1 / 2 × 10 = 5.00
    assert score("≤1%", "2%", rules) == (D("5.00"), Outcome.MISSED)
    # ≤5 %, actual 6 %: 5 / 6 × 10 = 8.333… → 8.33
    assert score("≤5%", "6%", rules) == (D("8.33"), Outcome.MISSED)


def test_at_most_met_and_zero_actual_earn_full_marks(rules) -> None:  # type: ignore[no-untyped-def]
    assert score("≤1%", "0.3%", rules) == (D("10.00"), Outcome.MET)
    assert score("≤5%", "0", rules) == (D("10.00"), Outcome.MET)


# --- zero targets -------------------------------------------------------------------------------


def test_zero_targets(rules) -> None:  # type: ignore[no-untyped-def]
    assert score("≥0 次", "0", rules) == (D("10.00"), Outcome.MET)  # ≥0: any actual ≥ 0
    assert score("≥0 次", "3", rules) == (D("10.00"), Outcome.MET)
    assert score("≥0 次", "-1", rules) == (D("0.00"), Outcome.MISSED)
    assert score("≤0 起", "0", rules) == (D("10.00"), Outcome.MET)  # ≤0: only 0
    assert score("≤0 起", "1", rules) == (D("0.00"), Outcome.MISSED)
    assert score("0 起", "0", rules) == (D("10.00"), Outcome.MET)  # =0: only 0
    assert score("0 起", "2", rules) == (D("0.00"), Outcome.MISSED)


# --- = and 约 -----------------------------------------------------------------------------------


def test_equal_within_band_is_full_marks(rules) -> None:  # type: ignore[no-untyped-def]
    # "100%" is "=" with the 5 % band: 96 is 4 % off → full
    assert score("100%", "96%", rules) == (D("10.00"), Outcome.MET)
    # exactly on the band edge: 95 is 5 % off → still full
    assert score("100%", "95%", rules) == (D("10.00"), Outcome.MET)


def test_equal_outside_band_is_proportional_both_ways(rules) -> None:  # type: ignore[no-untyped-def]
    # under: 80 of 100 → 80 / 100 × 10 = 8.00
    assert score("100%", "80%", rules) == (D("8.00"), Outcome.MISSED)
    # over: 21 of "=18 场" is 16.7 % off → 18 / 21 × 8.33 = 7.14
    assert score("18 场", "21", rules, "8.33") == (D("7.14"), Outcome.MISSED)
    # nothing done: 0 of "1 次" → 0
    assert score("1 次", "0", rules, "16.67") == (D("0.00"), Outcome.MISSED)


def test_about_has_a_wider_band(rules) -> None:  # type: ignore[no-untyped-def]
    # 约 350 家, 372 is 6.29 % off (band 10 %) → full 5.56
    assert score("约 350 家", "372", rules, "5.56") == (D("5.56"), Outcome.MET)
    # 约 30 家, 27 is exactly 10 % off → full
    assert score("约 30 家", "27", rules, "5.55") == (D("5.55"), Outcome.MET)
    # 约 30 家, 34 is 13.3 % off → 30 / 34 × 5.56 = 4.9058… → 4.91
    assert score("约 30 家", "34", rules, "5.56") == (D("4.91"), Outcome.MISSED)
    # 约 50 %, 18.6 % → 18.6 / 50 × 5.55 = 2.0646 → 2.06
    assert score("约 50%", "18.6%", rules, "5.55") == (D("2.06"), Outcome.MISSED)


def test_band_comes_from_the_rules(rules) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    strict = replace(rules, tolerance={"=": D(0), "约": D(0)})
    ind = indicator("100%")
    # with no band, 96 of 100 → 9.60 instead of full marks
    assert score_indicator(ind, interpret(ind, "96%", strict), strict).score == D("9.60")


# --- 定性 and missing --------------------------------------------------------------------------


@pytest.mark.parametrize(("grade", "expected", "outcome"), [
    ("达成", "15.00", Outcome.MET),
    ("基本达成", "12.00", Outcome.MISSED),  # 15 × 0.8
    ("部分达成", "9.00", Outcome.MISSED),  # 15 × 0.6
    ("未达成", "0.00", Outcome.MISSED),
])
def test_qualitative_grades(rules, grade: str, expected: str, outcome: Outcome) -> None:  # type: ignore[no-untyped-def]
    assert score("有所提升", grade, rules, "15") == (D(expected), outcome)


def test_missing_actual_scores_zero_and_is_flagged_not_missed(rules) -> None:  # type: ignore[no-untyped-def]
    ind = indicator("≥4 期")
    s = score_indicator(ind, interpret(ind, None, rules), rules)
    assert (s.score, s.outcome, s.needs_explanation) == (D("0.00"), Outcome.MISSING, False)
    q = indicator("有所提升")
    assert score_indicator(q, interpret(q, "", rules), rules).outcome is Outcome.MISSING


def test_missed_target_needs_an_explanation(rules) -> None:  # type: ignore[no-untyped-def]
    ind = indicator("≥4 期")
    assert score_indicator(ind, Reading(value=D(3)), rules).needs_explanation
    assert not score_indicator(ind, Reading(value=D(3)), rules, explanation="疫情").needs_explanation
    assert not score_indicator(ind, Reading(value=D(4)), rules).needs_explanation


def test_values_that_are_not_actuals_are_refused(rules) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="应为数字"):
        interpret(indicator("≥10 家"), "很多", rules)
    with pytest.raises(ValueError, match="单位"):
        interpret(indicator("≥10 家"), "10 个", rules)
    with pytest.raises(ValueError, match="达成/基本达成/部分达成/未达成"):
        interpret(indicator("有所提升"), "提升了", rules)
    assert interpret(indicator("约 2 万人次"), "1.2 万人次", rules).value == D("1.2")
    assert interpret(indicator("≥6000 万元"), "4,300", rules).value == D("4300")


# --- 预算执行率 ----------------------------------------------------------------------------------


def test_execution_rate_times_ten_capped() -> None:
    # 750,000 of 1,000,000 → 75 % → 7.50
    x = score_execution(D("1000000.00"), D("750000.00"), D(10))
    assert (x.score, x.percent) == (D("7.50"), D("75.00"))
    # 30,960 of 31,800 → 97.3585 % → 9.74
    assert score_execution(D("31800.00"), D("30960.00"), D(10)).score == D("9.74")
    # overspent: 110 % → capped at 10, flagged
    over = score_execution(D("100.00"), D("110.00"), D(10))
    assert (over.score, over.over_budget) == (D("10.00"), True)
    # not reported → 0, flagged missing
    none = score_execution(D("100.00"), None, D(10))
    assert (none.score, none.missing) == (D(0), True)


# --- points -------------------------------------------------------------------------------------


def test_points_split_to_the_cent_and_add_up() -> None:
    assert split_equal(D(50), 3) == [D("16.67"), D("16.67"), D("16.66")]
    assert split_equal(D(50), 9) == [D("5.56")] * 5 + [D("5.55")] * 4
    assert split_proportional(D(10), [D(50), D(30)]) == [D("6.25"), D("3.75")]
    assert sum(split_proportional(D(10), [D(1), D(1), D(1)])) == D(10)


def test_satisfaction_under_benefit_is_scored_as_satisfaction(rules) -> None:  # type: ignore[no-untyped-def]
    tree = build_tree([
        source_indicator("产出指标", "数量指标", "A", "≥1 次"),
        source_indicator("产出指标", "质量指标", "B", "100%"),
        source_indicator("效益指标", "社会效益指标", "C", "有所提升"),
        source_indicator("效益指标", "服务对象满意度指标", "D", "≥95%"),
    ], rules)
    assert [(d.key, d.points) for d in tree.dimensions] == [("产出", D(50)), ("效益", D(30)), ("满意度", D(10))]
    assert [i.points for i in tree.indicators] == [D(25), D(25), D(30), D(10)]
    assert tree.total_points == D(100)


def test_empty_dimension_points_are_redistributed(rules) -> None:  # type: ignore[no-untyped-def]
    # no 满意度 indicator: its 10 points go 50 : 30 → 产出 56.25, 效益 33.75
    tree = build_tree([source_indicator("产出指标", "数量指标", "A", "1 场"),
                       source_indicator("效益指标", "社会效益指标", "B", "有所提升")], rules)
    assert [i.points for i in tree.indicators] == [D("56.25"), D("33.75")]


def test_cost_indicators_share_the_output_points(rules) -> None:  # type: ignore[no-untyped-def]
    tree = build_tree([source_indicator("产出指标", "数量指标", "A", "1 场"),
                       source_indicator("成本指标", "经济成本指标", "B", "≤100 万元"),
                       source_indicator("效益指标", "社会效益指标", "C", "有所提升"),
                       source_indicator("效益指标", "服务对象满意度指标", "D", "≥90%")], rules)
    assert [(i.name, i.dimension, i.points) for i in tree.indicators] == [
        ("A", "产出", D(25)), ("B", "成本", D(25)), ("C", "效益", D(30)), ("D", "满意度", D(10))]


def test_given_weights_are_points(rules) -> None:  # type: ignore[no-untyped-def]
    # one 产出 indicator weighted 30: the other two share the remaining 20
    tree = build_tree([source_indicator("产出指标", "数量指标", "A", "1 场", "30"),
                       source_indicator("产出指标", "数量指标", "B", "1 场"),
                       source_indicator("产出指标", "质量指标", "C", "100%"),
                       source_indicator("效益指标", "社会效益指标", "D", "有所提升"),
                       source_indicator("效益指标", "服务对象满意度指标", "E", "≥90%")], rules)
    assert [i.points for i in tree.indicators] == [D(30), D(10), D(10), D(30), D(10)]
    # all weighted: they must add up to 90
    with pytest.raises(TreeError, match="应为 90"):
        build_tree([source_indicator("产出指标", "数量指标", "A", "1 场", "50"),
                    source_indicator("效益指标", "社会效益指标", "B", "有所提升", "30")], rules)
    with pytest.raises(TreeError, match="一级指标「其他指标」"):
        build_tree([source_indicator("其他指标", "数量指标", "A", "1 场")], rules)


# --- a whole project, by hand ---------------------------------------------------------------------


def _project(indicators) -> Project:  # type: ignore[no-untyped-def]
    line = LineItem(ExpenditureKind.PROJECT, "2060702", None, FundSource.GENERAL_FUNDS, D("300000.00"), "P1")
    return Project("P1", "三模基地维护经费", "科普工作", [line], start=date(2020, 1, 1), end=date(2020, 12, 31),
                   indicators=indicators)


def test_worked_project(rules) -> None:  # type: ignore[no-untyped-def]
    project = _project([
        source_indicator("产出指标", "数量指标", "全年三模培训活动", "≥100 课时"),
        source_indicator("产出指标", "数量指标", "全年举办三模科技活动", "≥30 场次"),
        source_indicator("产出指标", "质量指标", "培训活动参与率", "≥95%"),
        source_indicator("产出指标", "质量指标", "三模科技活动参与率", "≥95%"),
        source_indicator("效益指标", "社会效益指标", "辖区学生在三模比赛成绩", "有所提高"),
        source_indicator("效益指标", "服务对象满意度指标", "参与人员满意度", "≥95%"),
    ])
    entry = EntityEntry("P1", spent=D("216000.00"), indicators=[
        IndicatorEntry("全年三模培训活动", actual=104),
        IndicatorEntry("全年举办三模科技活动", actual=22, explanation="停课"),
        IndicatorEntry("培训活动参与率", actual="96%"),
        IndicatorEntry("三模科技活动参与率", actual="93%", explanation="防疫"),
        IndicatorEntry("辖区学生在三模比赛成绩", actual="达成"),
        IndicatorEntry("参与人员满意度", actual="97%"),
    ])
    ev = evaluate_project(project, entry, rules)
    # 预算执行率 216,000 / 300,000 = 72 % → 7.20
    # 产出 50 / 4 = 12.50 each: 12.50 + 22/30 × 12.50 = 9.1666 → 9.17 + 12.50 + 93/95 × 12.50 = 12.2368 → 12.24
    # 效益 30 (达成) ; 满意度 10
    assert ev.execution.score == D("7.20")
    assert [s.score for s in ev.indicators] == [D("12.50"), D("9.17"), D("12.50"), D("12.24"), D("30.00"),
                                               D("10.00")]
    assert ev.dimension_score("产出") == D("46.41")
    assert ev.total == D("93.61")  # 7.20 + 46.41 + 30 + 10
    assert ev.grade == "优"
    assert [s.indicator.name for s in ev.missed] == ["全年举办三模科技活动", "三模科技活动参与率"]
    assert ev.unexplained == []


def test_missing_actuals_and_unexplained_misses_are_reported(rules) -> None:  # type: ignore[no-untyped-def]
    project = _project([source_indicator("产出指标", "数量指标", "活动", "≥30 场次"),
                        source_indicator("产出指标", "质量指标", "参与率", "≥95%"),
                        source_indicator("效益指标", "社会效益指标", "成绩", "有所提高")])
    entry = EntityEntry("P1", spent=D("300000.00"), indicators=[IndicatorEntry("活动", actual=15,
                                                                                place="projects.P1.indicators.活动")])
    ev = evaluate_project(project, entry, rules)
    # 10 + 产出 56.25 split 28.13 / 28.12: 15 / 30 × 28.13 = 14.065 → 14.07; 参与率 and 成绩 missing → 0
    assert ev.total == D("24.07")
    assert ev.grade == "差"
    assert [s.indicator.name for s in ev.missing] == ["参与率", "成绩"]
    se = SelfEvaluation(2020, "测试局", [ev], None, rules, "a.yaml")
    problems = se.explanation_problems()
    assert len(problems) == 1
    assert str(problems[0]).startswith("a.yaml: projects.P1.indicators.活动: 三模基地维护经费：指标「活动」未达成目标")


@pytest.mark.parametrize(("total", "grade"), [
    ("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"), ("60", "中"), ("59.99", "差"),
    ("0", "差"),
])
def test_grade_bands(rules, total: str, grade: str) -> None:  # type: ignore[no-untyped-def]
    assert rules.grade_of(D(total)) == grade
