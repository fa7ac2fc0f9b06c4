"""Disclosures the rule tests share: our generated example, a small one, and the seed as published."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.disclosure import Disclosure
from deptbudget.model.serialize import dumps, loads
from deptbudget.rules import Checker, Finding
from deptbudget.sources.yaml_source import load_budget
from deptbudget.template import load_template
from deptbudget.template.spec import Rounding

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "luohu-2020.yaml"
SMALL = ROOT / "tests" / "fixtures" / "small.yaml"
SEED = ROOT / "tests" / "fixtures" / "luohu-2020-as-published.json"

CHECKER = Checker()


def check(disclosure: Disclosure) -> list[Finding]:
    return CHECKER.check(disclosure)


def of(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def where(findings: list[Finding]) -> set[tuple[str | None, str | None, str | None, str | None, str | None]]:
    return {(f.table, f.row, f.column, f.expected, f.actual) for f in findings}


@pytest.fixture(scope="session")
def example_text() -> str:
    return dumps(compute_disclosure(load_budget(EXAMPLE)))


@pytest.fixture(scope="session")
def footed_text() -> str:
    """The example built with footing by largest remainder (the template's other rounding method), so that
    a rule test's change is the only thing that does not foot."""
    budget = load_budget(EXAMPLE)
    template = replace(load_template(budget.template), rounding=Rounding(method="largest_remainder"))
    return dumps(compute_disclosure(budget, template))


@pytest.fixture
def example(footed_text: str) -> Disclosure:
    """A fresh copy of the generated example (footed by largest remainder), free to change."""
    return loads(footed_text)


@pytest.fixture(scope="session")
def example_findings(example_text: str) -> list[Finding]:
    return check(loads(example_text))


@pytest.fixture(scope="session")
def seed() -> Disclosure:
    return loads(SEED.read_bytes())


@pytest.fixture(scope="session")
def seed_findings(seed: Disclosure) -> list[Finding]:
    return check(seed)
