"""Reading actuals written in YAML: what is read, and problems located by file, place and line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from deptbudget.performance.actuals_model import DEPARTMENT, Stage
from deptbudget.performance.actuals_yaml import parse_actuals_yaml
from deptbudget.sources.errors import SourceError

from .actuals_data import MIDYEAR_YAML, SELFEVAL_YAML

D = Decimal


def test_selfeval_file_is_read() -> None:
    actuals = parse_actuals_yaml(SELFEVAL_YAML, "a.yaml")
    assert (actuals.stage, actuals.fiscal_year, actuals.report_date, actuals.source) == \
        (Stage.SELFEVAL, 2020, date(2021, 3, 20), "a.yaml")
    p1, p2 = actuals.projects
    # lines counted in SELFEVAL_YAML: P1 is on line 11, its first indicator on line 17
    assert (p1.code, p1.spent, p1.budget, p1.place, p1.line) == \
        ("P1", D("1800000.50"), D("1899950.00"), "projects.P1", 11)
    assert p2.spent == D("250.00") and p2.indicators == ()
    count, satisfaction = p1.indicators
    assert (count.name, count.actual, count.place, count.line) == \
        ("举办活动", 12, "projects.P1.indicators.举办活动", 17)
    assert (satisfaction.actual, satisfaction.explanation) == ("88%", "场地偏小")
    department = actuals.department
    assert department is not None and department.code == DEPARTMENT and department.basic_spent == D("1100000.00")


def test_a_plain_midyear_value_is_the_value_to_date() -> None:
    actuals = parse_actuals_yaml(MIDYEAR_YAML.replace("{to_date: 4, expected: 11}", "4"), "m.yaml")
    assert actuals.stage is Stage.MIDYEAR
    assert actuals.projects[0].indicators[0].to_date == 4


def test_malformed_file_lists_every_problem_with_file_place_and_line() -> None:
    text = (SELFEVAL_YAML.replace("stage: selfeval", "stage: yearly")
            .replace('spent: "1,800,000.50"', 'spent: "-5"')
            .replace("      举办活动: 12", "      举办活动: [12]")
            .replace("  P2:\n", "  P2:\n    colour: red\n"))
    with pytest.raises(SourceError) as caught:
        parse_actuals_yaml(text, "bad.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "bad.yaml:2: stage: stage 应为 selfeval 或 midyear，不是 'yearly'",
        "bad.yaml:12: projects.P1.spent: 金额不能为负数 (negative amount): -5",
        "bad.yaml:17: projects.P1.indicators.举办活动: 实际值应为数值、等级或映射 (value, grade or mapping expected)",
        "bad.yaml:20: projects.P2.colour: 未知的键 colour (unknown key)",
    ]


def test_yaml_syntax_error_names_the_file() -> None:
    with pytest.raises(SourceError) as caught:
        parse_actuals_yaml("projects: {P1: [", "broken.yaml")
    assert caught.value.problems[0].file == "broken.yaml"
