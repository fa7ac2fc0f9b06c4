"""A table's role read from the words of its printed title (templates/_role_titles.yaml)."""

from __future__ import annotations

import pytest

from deptbudget.template import Role
from deptbudget.template.role_titles import role_by_title


@pytest.mark.parametrize(("title", "role"), [
    ("2026年预算单位财务收支预算总表", Role.SUMMARY),
    ("收支总体情况表", Role.SUMMARY),
    ("2026年预算单位收入预算总表", Role.INCOME),
    ("支出总体情况表", Role.EXPENDITURE),
    ("2026年预算单位财政拨款收支预算总表", Role.FISCAL_SUMMARY),
    ("2026年预算单位一般公共预算支出功能分类预算表", Role.GENERAL_BUDGET_EXPENDITURE),
    ("2026年预算单位一般公共预算基本支出部门预算经济分类预算表", Role.GENERAL_BUDGET_BASIC),
    ("2026年单位“三公”经费和机关运行经费预算表", Role.THREE_PUBLIC),
    ("政府性基金预算支出情况表", Role.GOV_FUND),
    ("国有资本经营预算拨款支出预算表", Role.STATE_CAPITAL),
    ("部门整体支出绩效目标表", Role.DEPARTMENT_TARGETS),
    ("2026 年医疗服务与保障能力提升补助资金项目绩效目标表", Role.PROJECT_TARGETS),
    ("项目支出预算情况表", Role.PROJECTS),
    ("政府采购预算表", Role.PROCUREMENT),
    ("2021年部门收入预算表（不含上年结转）", Role.INCOME),  # a bracketed qualifier after the title's last word
    ("部门支出表(按功能分类)", Role.EXPENDITURE),
    ("收支预算表（汇总）", Role.SUMMARY),
])
def test_the_words_of_a_title_name_its_role(title: str, role: Role) -> None:
    assert role_by_title(title) is role


def test_a_title_naming_no_standard_table_has_no_role() -> None:
    assert role_by_title("年度重点工作任务清单") is None


def test_final_accounts_tables_no_rule_reads_take_no_role_of_the_nine() -> None:
    """A 决算's 政府购买服务支出情况表 is no 支出总表, its 项目支出决算表 and 支出决算明细表 no 一般公共预算支出表, its
    收入决算表 by unit no second 收入表; the 基本支出决算明细表 is still the 基本支出表."""
    for title in ("政府购买服务支出情况表", "一般公共预算财政拨款项目支出决算表", "一般公共预算财政拨款支出决算明细表",
                  "收入决算表（按单位）", "项目支出决算表"):
        assert role_by_title(title) is Role.OTHER, title
    assert role_by_title("一般公共预算财政拨款基本支出决算明细表") is Role.GENERAL_BUDGET_BASIC
    assert role_by_title("财政拨款“三公”经费、会议费、培训费支出决算表") is Role.THREE_PUBLIC
    assert role_by_title("收入决算表") is Role.INCOME
