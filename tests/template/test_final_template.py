"""The final-accounts template (mof-final-9): its kind, its nine tables by role, its phases, and what it is not yet
(generation from a budget source)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.final_accounts import Phase, split_phase
from deptbudget.sources.yaml_source import load_budget
from deptbudget.template import Role, TemplateError, load_template, templates_of_kind

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"


def test_the_kinds_split_the_shipped_templates() -> None:
    final, budget = templates_of_kind("部门决算"), templates_of_kind("部门预算")
    assert final == ["beijing-final-12", "mof-final-9", "sichuan-final-13", "tianjin-final-11"]
    assert "mof-9" in budget and "shenzhen-15" in budget and not set(final) & set(budget)


def test_nine_tables_by_role_and_printed_title() -> None:
    template = load_template("mof-final-9")
    assert template.kind == "部门决算"
    assert [(spec.title, spec.role) for spec in template.tables] == [
        ("收入支出决算总表", Role.SUMMARY), ("收入决算表", Role.INCOME), ("支出决算表", Role.EXPENDITURE),
        ("财政拨款收入支出决算总表", Role.FISCAL_SUMMARY),
        ("一般公共预算财政拨款支出决算表", Role.GENERAL_BUDGET_EXPENDITURE),
        ("一般公共预算财政拨款基本支出决算表", Role.GENERAL_BUDGET_BASIC),
        ("一般公共预算财政拨款“三公”经费支出决算表", Role.THREE_PUBLIC),
        ("政府性基金预算财政拨款收入支出决算表", Role.GOV_FUND),
        ("国有资本经营预算财政拨款支出决算表", Role.STATE_CAPITAL)]
    assert set(template.required.tables) == {spec.role for spec in template.tables}
    assert [part.title for part in template.parts] == ["第一部分 部门概况", "第二部分 部门决算表",
                                                       "第三部分 部门决算情况说明", "第四部分 名词解释"]


def test_the_three_public_table_prints_the_adjusted_budget_and_the_actual() -> None:
    spec = load_template("mof-final-9").by_role(Role.THREE_PUBLIC)
    assert spec is not None
    phases = [split_phase(column.key) for column in spec.columns]
    assert [measure for phase, measure in phases if phase is Phase.ADJUSTED] == [
        measure for phase, measure in phases if phase is Phase.ACTUAL]
    assert {phase for phase, _ in phases} == {Phase.ADJUSTED, Phase.ACTUAL}


def test_a_budget_source_is_not_built_on_a_final_accounts_template() -> None:
    budget = replace(load_budget(EXAMPLE), template="mof-final-9")
    with pytest.raises(TemplateError, match="决算"):
        compute_disclosure(budget)
