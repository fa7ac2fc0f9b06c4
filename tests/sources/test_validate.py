"""Each check across fields, on a budget of a few lines: it finds its problem, located."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from deptbudget.model.budget import FundSource
from deptbudget.sources.validate import CHECKS, validate_budget
from tests.sources.tiny import project, tiny_budget, with_projects


def test_a_consistent_budget_has_no_problem() -> None:
    assert validate_budget(tiny_budget()) == []


def test_duplicate_project_code() -> None:
    budget = tiny_budget()
    budget = with_projects(budget, [*budget.projects, project(1, "P1", "0.00")])
    problems = validate_budget(budget)
    assert [(p.file, p.place, p.line) for p in problems] == [("tiny.yaml", "projects[1] (第21行)", 21)]
    assert "项目编码重复" in problems[0].message and "P1" in problems[0].message


def test_project_group_not_listed() -> None:
    budget = tiny_budget()
    budget = with_projects(budget, [project(0, "P1", "200.00", group="别的分组")])
    problems = validate_budget(budget)
    assert [(p.place, p.line) for p in problems] == [("projects[0].group", 20)]
    assert "'别的分组'" in problems[0].message


def test_project_groups_are_free_when_none_listed() -> None:
    budget = with_projects(replace(tiny_budget(), groups=[]), [project(0, "P1", "200.00", group="随便")])
    assert validate_budget(budget) == []


def test_procurement_of_a_project_that_does_not_exist() -> None:
    budget = tiny_budget()
    budget = replace(budget, procurement=[replace(budget.procurement[0], pro_code="P9")])
    problems = validate_budget(budget)
    assert [(p.place, p.line) for p in problems] == [("procurement[0].project", 30)]
    assert "P9" in problems[0].message


def test_income_differs_from_expenditure() -> None:
    budget = replace(tiny_budget(), income={FundSource.GENERAL_FUNDS: Decimal("301.00")})
    problems = validate_budget(budget)
    assert [(p.place, p.line) for p in problems] == [("income", 5)]
    assert "301.00" in problems[0].message and "300.00" in problems[0].message


def test_income_of_one_source_differs_from_its_expenditure() -> None:
    budget = replace(tiny_budget(), income={FundSource.GENERAL_FUNDS: Decimal("250.00"),
                                            FundSource.OTHER: Decimal("50.00")})
    problems = validate_budget(budget)
    assert [(p.place, p.line) for p in problems] == [("income.general_funds", 5), ("income.other", 5)]


def test_checks_run_in_their_listed_order() -> None:
    budget = tiny_budget()
    budget = with_projects(budget, [*budget.projects, project(1, "P1", "5.00", group="别的分组")])
    places = [p.place for p in validate_budget(budget)]
    assert places == ["projects[1] (第21行)", "projects[1].group", "income"]
    assert validate_budget(budget, checks=CHECKS[1:2]) == [p for p in validate_budget(budget)
                                                           if p.place == "projects[1].group"]
