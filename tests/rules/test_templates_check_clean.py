"""Our own output checks clean on every shipped template: rules find their tables by role, so a rule runs
on every template's numbering (tests/rules/test_roles.py shows the ones that read different numbers)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.rules.registry import Checker, Severity
from deptbudget.sources.yaml_source import load_budget
from deptbudget.template import templates_of_kind

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"


@pytest.mark.parametrize("template", templates_of_kind("部门预算"))  # 决算 generation: issue 14, later
def test_example_generated_on_each_template_has_no_error_or_warning(template: str) -> None:
    budget = replace(load_budget(EXAMPLE), template=template)
    disclosure = compute_disclosure(budget)
    assert disclosure.template == template
    findings = [f for f in Checker().check(disclosure) if f.severity in (Severity.ERROR, Severity.WARNING)]
    assert findings == []
