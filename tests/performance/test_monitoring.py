"""Mid-year monitoring: time schedule, deviation flags and deadlines, with fixed dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from deptbudget.model.budget import ExpenditureKind, FundSource, LineItem, Project
from deptbudget.performance.actuals import EntityEntry, IndicatorEntry, Stage, load_actuals
from deptbudget.performance.monitoring import (
    MidyearMonitoring,
    UnitProgress,
    deadline,
    deviations,
    late_units,
    monitor,
    monitor_project,
    time_progress,
)

from .conftest import MIDYEAR, source_indicator

D = Decimal
JUNE_30 = date(2020, 6, 30)


def test_time_progress_counts_days_inclusive() -> None:
    year = (date(2020, 1, 1), date(2020, 12, 31))  # 2020 has 366 days
    assert time_progress(*year, JUNE_30) == D(182) / D(366)  # 49.73 %
    assert time_progress(*year, date(2020, 1, 1)) == D(1) / D(366)
    assert time_progress(*year, date(2019, 12, 31)) == 0
    assert time_progress(*year, date(2020, 12, 31)) == 1
    assert time_progress(*year, date(2021, 3, 1)) == 1
    # a project running 2020-04-01 … 2020-09-30 (183 days), at 06-30: 91 days
    assert time_progress(date(2020, 4, 1), date(2020, 9, 30), JUNE_30) == D(91) / D(183)
    with pytest.raises(ValueError):
        time_progress(date(2020, 5, 1), date(2020, 4, 1), JUNE_30)


def _project(indicators, amount: str = "1000000.00", start: date | None = date(2020, 1, 1),  # type: ignore[no-untyped-def]
             end: date | None = date(2020, 12, 31)) -> Project:
    line = LineItem(ExpenditureKind.PROJECT, "2060702", None, FundSource.GENERAL_FUNDS, D(amount), "P1")
    return Project("P1", "科普活动", "科普工作", [line], start=start, end=end, indicators=indicators)


def test_execution_behind_schedule_with_tolerance(rules) -> None:  # type: ignore[no-untyped-def]
    project = _project([])
    # schedule 49.73 %, tolerance 10 points → flagged below 39.73 %
    behind = monitor_project(project, EntityEntry("P1", spent=D("397000.00")), JUNE_30, 2020, rules)
    assert behind.rate_percent == D("39.70") and behind.schedule_percent == D("49.73")
    assert behind.execution_behind
    ok = monitor_project(project, EntityEntry("P1", spent=D("397500.00")), JUNE_30, 2020, rules)
    assert not ok.execution_behind  # 39.75 % ≥ 39.73 %
    # a stricter locality: tolerance 5 points → 39.75 % is now behind (< 44.73 %)
    strict = replace(rules, execution_tolerance=D(5))
    assert monitor_project(project, EntityEntry("P1", spent=D("397500.00")), JUNE_30, 2020, strict).execution_behind
    # nothing reported counts as 0 spent
    none = monitor_project(project, None, JUNE_30, 2020, rules)
    assert none.execution_behind and "未填报执行数" in none.flags
    # on 01-31 the schedule is 31 / 366 = 8.47 %: no spending is within the 10-point tolerance
    assert not monitor_project(project, EntityEntry("P1", spent=D(0)), date(2020, 1, 31), 2020, rules).execution_behind


def test_project_period_sets_the_schedule(rules) -> None:  # type: ignore[no-untyped-def]
    late_start = _project([], start=date(2020, 7, 1))
    pm = monitor_project(late_start, EntityEntry("P1", spent=D(0)), JUNE_30, 2020, rules)
    assert pm.schedule == 0 and not pm.execution_behind


def test_indicators_unlikely_to_be_met(rules) -> None:  # type: ignore[no-untyped-def]
    project = _project([
        source_indicator("产出指标", "数量指标", "活动场次", "≥10 场"),
        source_indicator("产出指标", "数量指标", "培训课时", "≥100 课时"),
        source_indicator("产出指标", "质量指标", "参与率", "≥95%"),
        source_indicator("效益指标", "社会效益指标", "科学素质", "有所提升"),
        source_indicator("效益指标", "服务对象满意度指标", "满意度", "≥95%"),
    ])
    entry = EntityEntry("P1", spent=D("500000.00"), indicators=[
        # 4 at 49.73 % → projected 4 / 0.4973 = 8.04 < 10: at risk
        IndicatorEntry("活动场次", to_date=4, place="projects.P1.indicators.活动场次"),
        # 50 → projected 100.5 ≥ 100: fine
        IndicatorEntry("培训课时", to_date=50),
        # a rate is not projected by time: 93 % stays 93 % < 95 %: at risk, explained
        IndicatorEntry("参与率", to_date="93%", reason="限流", action="增加场次"),
        # an expected grade below 达成 is at risk
        IndicatorEntry("科学素质", to_date="部分达成", expected="基本达成", reason="活动少", action="线上补充"),
        # an expected value overrides the projection
        IndicatorEntry("满意度", to_date="90%", expected="96%"),
    ])
    pm = monitor_project(project, entry, JUNE_30, 2020, rules)
    by = {i.indicator.name: i for i in pm.indicators}
    assert by["活动场次"].projected.value == D(4) / (D(182) / D(366))
    assert by["活动场次"].basis == "按时间进度推算" and by["活动场次"].at_risk
    assert not by["培训课时"].at_risk
    assert by["参与率"].basis == "按当前值" and by["参与率"].at_risk
    assert by["科学素质"].at_risk
    assert by["满意度"].basis == "填报" and not by["满意度"].at_risk
    assert [i.indicator.name for i in pm.at_risk] == ["活动场次", "参与率", "科学素质"]
    assert not pm.execution_behind  # 50 % on schedule
    problems = pm.problems("mid.yaml")
    assert [str(p) for p in problems] == [
        "mid.yaml: projects.P1.indicators.活动场次: "
        "科普活动：指标「活动场次」预计难以完成（目标 ≥10 场），须填写偏差原因和改进措施"]
    kinds = [(d.kind, d.explained) for d in deviations(MidyearMonitoring(2020, "测试局", JUNE_30, [pm]))]
    assert kinds == [("indicator", False), ("indicator", True), ("indicator", True)]


def test_sample_midyear_file(seed, rules) -> None:  # type: ignore[no-untyped-def]
    actuals = load_actuals(MIDYEAR)
    assert actuals.stage is Stage.MIDYEAR and actuals.report_date == JUNE_30
    mm = monitor(seed, actuals, rules)
    assert mm.problems() == []
    flagged = {p.code for p in mm.flagged}
    assert {"LHKCJ2020-02", "LHKCJ2020-09", "LHKCJ2020-13", "LHKCJ2020-15"} <= flagged
    assert "LHKCJ2020-03" not in flagged  # paid in full
    drone = next(p for p in mm.projects if p.code == "LHKCJ2020-02")
    assert drone.rate_percent == D("0.00") and drone.execution_behind


# --- deadlines --------------------------------------------------------------------------------------


def test_deadlines_per_locality(rules) -> None:  # type: ignore[no-untyped-def]
    assert deadline(Stage.MIDYEAR, 2020, rules) == date(2020, 8, 31)
    assert deadline(Stage.SELFEVAL, 2020, rules) == date(2021, 3, 31)
    other = replace(rules, midyear_deadline=(7, 31), selfeval_deadline=(4, 30))
    assert deadline(Stage.MIDYEAR, 2020, other) == date(2020, 7, 31)
    assert deadline(Stage.SELFEVAL, 2020, other) == date(2021, 4, 30)


UNITS = [
    UnitProgress("科技创新局", 2020, midyear_submitted=date(2020, 8, 20)),
    UnitProgress("教育局", 2020, midyear_submitted=date(2020, 8, 31)),  # on the deadline: on time
    UnitProgress("卫健局", 2020, midyear_submitted=date(2020, 9, 3)),  # 3 days late
    UnitProgress("文体局", 2020),  # nothing yet
]


def test_nobody_is_late_before_the_deadline(rules) -> None:  # type: ignore[no-untyped-def]
    assert late_units(UNITS, date(2020, 8, 31), rules) == []


def test_late_units_after_the_deadline(rules) -> None:  # type: ignore[no-untyped-def]
    late = late_units(UNITS, date(2020, 9, 1), rules)
    # 卫健局's submission of 09-03 is in the future on 09-01: still not submitted
    assert [(u.unit, u.stage, u.submitted_on, u.days_late) for u in late] == [
        ("卫健局", Stage.MIDYEAR, None, 1), ("文体局", Stage.MIDYEAR, None, 1)]
    late = late_units(UNITS, date(2020, 9, 10), rules)
    assert [(u.unit, u.submitted_on, u.days_late) for u in late] == [
        ("文体局", None, 10), ("卫健局", date(2020, 9, 3), 3)]
    assert str(late[1]) == "卫健局：绩效运行监控截止 2020-08-31，2020-09-03 提交，逾期 3 天"


def test_late_self_evaluation_next_year(rules) -> None:  # type: ignore[no-untyped-def]
    units = [UnitProgress("科技创新局", 2020, date(2020, 8, 20), date(2021, 3, 25)),
             UnitProgress("教育局", 2020, date(2020, 8, 20))]
    assert late_units(units, date(2021, 3, 31), rules) == []
    late = late_units(units, date(2021, 4, 2), rules, stages=[Stage.SELFEVAL])
    assert [(u.unit, u.stage, u.deadline, u.days_late) for u in late] == [
        ("教育局", Stage.SELFEVAL, date(2021, 3, 31), 2)]
