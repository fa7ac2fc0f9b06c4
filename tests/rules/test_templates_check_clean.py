"""Our own output checks clean on every shipped template: a rule written for one template's table
numbers must not fire on another template's tables (the template's ``rules: disabled`` says so)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.rules.registry import Checker, Severity
from deptbudget.sources.yaml_source import load_budget
from deptbudget.template import available_templates

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"


@pytest.mark.parametrize("template", available_templates())
def test_example_generated_on_each_template_has_no_error_or_warning(template: str) -> None:
    budget = replace(load_budget(EXAMPLE), template=template)
    disclosure = compute_disclosure(budget)
    assert disclosure.template == template
    findings = [f for f in Checker().check(disclosure) if f.severity in (Severity.ERROR, Severity.WARNING)]
    assert findings == []


def test_mof9_disables_the_rules_that_read_shenzhen_table_numbers() -> None:
    budget = replace(load_budget(EXAMPLE), template="mof-9")
    disclosure = compute_disclosure(budget)
    # Run as if mof-9 had no disabled list: the 表1/表6 rule misreads mof-9's 表6 (基本支出).
    checker = Checker("shenzhen-15")
    wrong = [f for f in checker.check(disclosure) if f.rule == "XT-T1-T6"]
    assert wrong, "the rule misfires on mof-9 tables when it is not disabled"
