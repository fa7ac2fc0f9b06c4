"""Budgets of two localities over two years, made by the synthetic generator, computed into disclosures and
their budget lines written as an audit writes them (``ResultStore``): the results folder the roll-ups read, and
the budgets themselves to compute what the roll-ups should give."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from benchmarks.synthetic import generate_budget
from deptbudget.audit.inputs import AuditDocument
from deptbudget.audit.results import ResultStore
from deptbudget.audit.worker import document_row
from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.budget import Budget, ExpenditureKind
from deptbudget.rollup.lines import disclosure_lines
from deptbudget.template import load_template

LOCALITIES = ("罗湖区", "福田区")
YEARS = (2020, 2021)
PER_LOCALITY_YEAR = 3


@dataclass(frozen=True)
class Made:
    results: Path
    budgets: dict[tuple[str, str], list[Budget]]  # (locality, year) → the budgets of its documents


def printed(yuan: Decimal) -> Decimal:
    """A figure as a generated table prints it (万元, correctly rounded), back in 元."""
    return (yuan / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP) * 10000


def general_budget_funds() -> set[str]:
    return set(load_template("shenzhen-15").fund_groups["general_budget"])


def expected_by_code(budgets: list[Budget], width: int, kind: ExpenditureKind | None = None,
                     econ: bool = False, all_funds: bool = False) -> dict[str, Decimal]:
    """Per code of ``width`` digits: the sum over the documents of each document's own printed figure (its
    general-budget lines of the code — or, ``all_funds``, all its lines — summed exactly, rounded as printed)."""
    funds = {line.fund_source.value for b in budgets for line in b.lines} if all_funds else general_budget_funds()
    out: dict[str, Decimal] = {}
    for budget in budgets:
        mine: dict[str, Decimal] = {}
        for line in budget.lines:
            code = line.dep_bgt_eco_code if econ else line.exp_func_code
            if line.fund_source.value not in funds or code is None or (kind is not None and line.kind is not kind):
                continue
            if econ and line.kind is not ExpenditureKind.BASIC:
                continue
            mine[code[:width]] = mine.get(code[:width], Decimal(0)) + line.amount
        for code, amount in mine.items():
            out[code] = out.get(code, Decimal(0)) + printed(amount)
    return {code: amount for code, amount in out.items() if amount}


@pytest.fixture(scope="package")
def made(tmp_path_factory: pytest.TempPathFactory) -> Made:
    results = tmp_path_factory.mktemp("rollup") / "results"
    store = ResultStore(results)
    budgets: dict[tuple[str, str], list[Budget]] = {}
    seed = 100
    for locality in LOCALITIES:
        for year in YEARS:
            rows, lines = [], []
            for _ in range(PER_LOCALITY_YEAR):
                seed += 1
                budget = generate_budget(seed, projects=6, year=year)
                budgets.setdefault((locality, str(year)), []).append(budget)
                row = document_row(AuditDocument(f"/synthetic/{locality}/{year}/{seed}.xlsx", locality,
                                                 budget.unit.name, str(year), "预算"))
                rows.append(row)
                lines += disclosure_lines(compute_disclosure(budget), row)
            store.write_batch(rows, [], lines)
    store.finish()
    return Made(results, budgets)
