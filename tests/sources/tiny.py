"""A budget of a few lines, built directly (no source file), for tests of single checks."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from deptbudget.model.budget import (
    Budget,
    ExpenditureKind,
    FundSource,
    LineItem,
    ProcurementItem,
    Project,
    ProjectGroup,
    SourceRef,
    Unit,
)


def line(path: str, amount: str, kind: ExpenditureKind = ExpenditureKind.BASIC, pro_code: str | None = None,
         fund: FundSource = FundSource.GENERAL_FUNDS) -> LineItem:
    return LineItem(kind, "2060101" if kind is ExpenditureKind.BASIC else "2060702",
                    "30101" if kind is ExpenditureKind.BASIC else None, fund, Decimal(amount), pro_code=pro_code,
                    ref=SourceRef(path, 10))


def project(index: int, code: str, amount: str, group: str = "科普工作") -> Project:
    path = f"projects[{index}]"
    return Project(code, f"项目{code}", group, [line(path, amount, ExpenditureKind.PROJECT, code)],
                   ref=SourceRef(path, 20 + index))


def tiny_budget() -> Budget:
    """Income 300 元 = basic 100 + project P1 200; one group; one procurement item of P1."""
    basic = [line("basic[0]", "100.00")]
    projects = [project(0, "P1", "200.00")]
    return Budget(
        fiscal_year=2020, unit=Unit(name="小单位"), income={FundSource.GENERAL_FUNDS: Decimal("300.00")},
        lines=basic + [item for p in projects for item in p.lines], projects=projects,
        groups=[ProjectGroup("科普工作")],
        procurement=[ProcurementItem("P1", "服务", "其他服务", Decimal("50.00"), Decimal("50.00"),
                                     ref=SourceRef("procurement[0]", 30))],
        source_path="tiny.yaml", income_ref=SourceRef("income", 5),
    )


def with_projects(budget: Budget, projects: list[Project]) -> Budget:
    basic = [item for item in budget.lines if item.kind is ExpenditureKind.BASIC]
    return replace(budget, projects=projects, lines=basic + [item for p in projects for item in p.lines])
