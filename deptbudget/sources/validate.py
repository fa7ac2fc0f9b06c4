"""Checks across the fields of a built budget: each a plain function returning located problems.

``validate_budget`` runs ``CHECKS`` in order, after every field has been read without a problem
(see ``deptbudget.sources.build``). A check names the field path and the source line it concerns.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from deptbudget.catalog import Catalog
from deptbudget.model.budget import Budget, FundSource
from deptbudget.sources.errors import Problem

Check = Callable[[Budget, Catalog | None], list[Problem]]


def _file(budget: Budget) -> str:
    return budget.source_path or ""


def unique_project_codes(budget: Budget, catalog: Catalog | None = None) -> list[Problem]:
    """No two projects share a code (表5, 表13 and the performance targets are keyed by it)."""
    seen: set[str] = set()
    out = []
    for project in budget.projects:
        if project.pro_code in seen:
            out.append(Problem(_file(budget), str(project.ref),
                               f"项目编码重复 (duplicate project code) {project.pro_code}", project.ref.line))
        seen.add(project.pro_code)
    return out


def project_groups_listed(budget: Budget, catalog: Catalog | None = None) -> list[Problem]:
    """When ``groups`` are listed, every project's group is one of them."""
    names = {group.name for group in budget.groups}
    if not names:
        return []
    return [Problem(_file(budget), f"{project.ref.path}.group",
                    f"项目分组 {project.group!r} 未在 groups 中列出 (group not listed in groups)", project.ref.line)
            for project in budget.projects if project.group not in names]


def procurement_projects_exist(budget: Budget, catalog: Catalog | None = None) -> list[Problem]:
    """A procurement item that names a project names one of the budget's projects."""
    codes = {project.pro_code for project in budget.projects}
    return [Problem(_file(budget), f"{item.ref.path}.project", f"采购所属项目 {item.pro_code} 不存在 (no such project)",
                    item.ref.line)
            for item in budget.procurement if item.pro_code and item.pro_code not in codes]


def _spent(budget: Budget) -> dict[FundSource, Decimal]:
    spent: dict[FundSource, Decimal] = {}
    for line in budget.lines:
        spent[line.fund_source] = spent.get(line.fund_source, Decimal(0)) + line.amount
    return spent


def income_equals_expenditure(budget: Budget, catalog: Catalog | None = None) -> list[Problem]:
    """Total income equals total expenditure (收支平衡)."""
    total_income = sum(budget.income.values(), Decimal(0))
    total_spent = sum(_spent(budget).values(), Decimal(0))
    if total_income == total_spent:
        return []
    return [Problem(_file(budget), "income", f"收入合计 {total_income:,.2f} 元 ≠ 支出合计 {total_spent:,.2f} 元 "
                                             f"(income ≠ expenditure; difference {total_income - total_spent:,.2f})",
                    budget.income_ref.line)]


def income_by_source_equals_expenditure(budget: Budget, catalog: Catalog | None = None) -> list[Problem]:
    """The income of each fund source equals what is spent from it. Said only when the totals agree
    (else ``income_equals_expenditure`` has said what is wrong)."""
    spent = _spent(budget)
    if sum(budget.income.values(), Decimal(0)) != sum(spent.values(), Decimal(0)):
        return []
    out = []
    for source in sorted(set(spent) | set(budget.income), key=list(FundSource).index):
        got, used = budget.income.get(source, Decimal(0)), spent.get(source, Decimal(0))
        if got != used:
            out.append(Problem(_file(budget), f"income.{source.value}",
                               f"{source.label}收入 {got:,.2f} 元 ≠ 该来源支出 {used:,.2f} 元 "
                               "(income of this source ≠ expenditure from it)", budget.income_ref.line))
    return out


CHECKS: tuple[Check, ...] = (
    unique_project_codes,
    project_groups_listed,
    procurement_projects_exist,
    income_equals_expenditure,
    income_by_source_equals_expenditure,
)


def validate_budget(budget: Budget, catalog: Catalog | None = None,
                    checks: tuple[Check, ...] = CHECKS) -> list[Problem]:
    """Every problem the checks find, in the order of ``checks``."""
    return [problem for check in checks for problem in check(budget, catalog)]
