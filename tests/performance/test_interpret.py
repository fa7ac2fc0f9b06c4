"""What a value means for its indicator (``interpret``), per kind of target, with the completion the
scoring then gives it (worked out by hand from the Shenzhen rules: = within 5 %, 约 within 10 %)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from deptbudget.performance.actuals_model import Actuals, EntityEntry, IndicatorEntry, Stage
from deptbudget.performance.interpret import MISSING, check_actuals, interpret, resolve
from deptbudget.performance.scoring import completion
from deptbudget.performance.tree import build_tree

from .conftest import indicator, source_indicator
from .small_budget import small_budget

D = Decimal


@pytest.mark.parametrize(("target", "raw", "value", "ratio", "met"), [
    # ≥ 10 场: actual / target, capped at 1
    ("≥10 场", "8", D(8), D("0.8"), False),
    ("≥10 场", "12 场", D(12), D(1), True),
    ("≥10 场", 10, D(10), D(1), True),
    # ≤ 5%: target / actual; at or under the target is full marks
    ("≤5%", "4%", D(4), D(1), True),
    ("≤5%", "8％", D(8), D("0.625"), False),  # 5 / 8; a full-width ％ is the same unit
    # = 100%: within 5 % of the target is full marks, outside min / max
    ("=100%", "96%", D(96), D(1), True),
    ("=100%", "90", D(90), D("0.9"), False),
    # 约 350 家: within 10 % is full marks
    ("约350家", "约 320 家", D(320), D(1), True),  # |320 − 350| / 350 = 8.6 %
    ("约350家", "300家左右", D(300), D(300) / D(350), False),  # 14.3 % off → 300 / 350
    ("约350家", 385.0, D(385), D(1), True),  # an XLSX float: exactly 10 % off
])
def test_quantitative_values_per_direction(rules, target, raw, value, ratio, met) -> None:  # type: ignore[no-untyped-def]
    ind = indicator(target)
    reading = interpret(ind, raw, rules)
    assert reading.value == value and reading.grade is None
    assert completion(ind, reading, rules) == (ratio, met)


def test_full_width_digits_and_thousands_separators(rules) -> None:  # type: ignore[no-untyped-def]
    assert interpret(indicator("≥1000 人"), "１,２００ 人", rules).value == D(1200)


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_blank_is_missing(rules, raw) -> None:  # type: ignore[no-untyped-def]
    assert interpret(indicator("≥10 场"), raw, rules) is MISSING


@pytest.mark.parametrize(("target", "raw", "message"), [
    ("≥10 场", "十场", "应为数字"),
    ("≥10 场", "10 次", "单位"),
    ("≤5%", "3 场", "单位"),
    ("=100%", True, "不是有效的实际值"),
    ("有所提升", "提高", "达成/基本达成/部分达成/未达成"),
])
def test_values_that_cannot_be_actuals(rules, target, raw, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        interpret(indicator(target), raw, rules)


def test_qualitative_grade(rules) -> None:  # type: ignore[no-untyped-def]
    reading = interpret(indicator("有所提升"), "基本达成", rules)
    assert reading.grade == "基本达成" and reading.value is None
    assert completion(indicator("有所提升"), reading, rules) == (D("0.8"), False)


def test_resolve_a_repeated_name_by_its_level2(rules) -> None:  # type: ignore[no-untyped-def]
    tree = build_tree([source_indicator("产出指标", "数量指标", "培训人次", "≥100 人次"),
                       source_indicator("产出指标", "质量指标", "培训人次", "≥90 人次")], rules)
    with pytest.raises(LookupError, match="二级指标/指标名称"):
        resolve(tree, IndicatorEntry("培训人次"))
    assert resolve(tree, IndicatorEntry("培训人次", level2="质量指标")).value == D(90)
    assert resolve(tree, IndicatorEntry("数量指标/培训人次")).value == D(100)
    with pytest.raises(LookupError, match="unknown indicator"):
        resolve(tree, IndicatorEntry("培训天数"))


def test_check_actuals_locates_each_problem(rules) -> None:  # type: ignore[no-untyped-def]
    budget = small_budget()
    trees = {p.pro_code: build_tree(p.indicators, rules) for p in budget.projects}
    department = build_tree(budget.department_targets.indicators, rules)
    good = IndicatorEntry("举办活动", actual="12", place="projects.P1.indicators.举办活动", line=5)
    actuals = Actuals(stage=Stage.SELFEVAL, fiscal_year=2021, source="a.yaml", projects=(
        EntityEntry("P1", indicators=(good, IndicatorEntry("举办活动", actual="13", place="second", line=6),
                                      IndicatorEntry("参与者满意度", actual="很满意", place="sat", line=7))),
        EntityEntry("P9", place="projects.P9", line=9),
    ), department=EntityEntry("部门整体", indicators=(IndicatorEntry("公众科学素质", actual="达成"),)))
    problems = check_actuals(budget, actuals, trees, rules, department)
    assert [(p.file, p.place, p.line) for p in problems] == [
        ("a.yaml", "fiscal_year", None), ("a.yaml", "second", 6), ("a.yaml", "sat", 7), ("a.yaml", "projects.P9", 9)]
    assert "重复填报" in problems[1].message and "应为数字" in problems[2].message
    fixed = Actuals(fiscal_year=2020, projects=(EntityEntry("P1", indicators=(good,)),))
    assert check_actuals(budget, fixed, trees, rules, department) == []
