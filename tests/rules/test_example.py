"""Our own generated documents are clean: every table foots, every figure agrees, nothing to round away.

``examples/luohu-2020.yaml`` copies the seed's 表15 targets as published; where they fall short of the
rules (no 满意度 indicator, qualitative 质量 targets) the source explains why in its ``acknowledged``
list, so those come back as notes carrying the department's reason. Its two 测算明细 are completed
(see the comments in the source), so there is nothing left to report as an error or a warning.
"""

from __future__ import annotations

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.rules import Finding, Severity
from deptbudget.rules.registry import TABLE_RULE_MODULES, get_rule
from deptbudget.sources.yaml_source import load_budget
from tests.rules.conftest import EXAMPLE, SMALL, check
from tests.rules.test_seed import WARNINGS

# The rules that judge what the budget source says in 表15 (copied from the seed), not what we compute.
CONTENT_RULES = {"PERF-CALC-TOTAL", "PERF-OUTCOME", "PERF-SATISFACTION", "PERF-TARGET-MEASURABLE"}


def _mine(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if get_rule(f.rule).module in TABLE_RULE_MODULES]


def test_generated_example_is_clean(example_findings: list[Finding]) -> None:
    """Zero errors and zero warnings from every rule; the only notes are the explained ones and the
    尾差 of correctly rounded figures — in tables only where the table prints its 尾差 note."""
    assert [f for f in example_findings if f.severity is not Severity.NOTE] == []
    tail = [f for f in example_findings if "已说明" not in f.message]
    assert all("四舍五入" in f.message or f.rule == "NAR-COMPOSITION" for f in tail)
    disclosure = compute_disclosure(load_budget(EXAMPLE))
    noted = {f"表{t.number}" for t in disclosure.tables if t.notes}
    assert {f.table for f in tail if f.rule.startswith("SUM-")} == noted


def test_example_explains_exactly_the_seed_target_warnings_it_copies(example_findings: list[Finding]) -> None:
    explained = {(f.rule, f.table, f.row, f.column, f.expected, f.actual) for f in _mine(example_findings)
                 if "已说明" in f.message}
    seed = {(k[0], k[2], k[3], k[4], k[5], k[6]) for k in WARNINGS if k[0] in CONTENT_RULES}
    assert explained == seed
    assert len(explained) == 13


def test_synthetic_departments_have_no_errors_and_no_rounding_notes() -> None:
    """Random departments (benchmarks/synthetic.py): nothing but plausibility warnings, which random
    三公 and year-on-year figures may well deserve."""
    from benchmarks import synthetic
    for seed in range(12):
        findings = _mine(check(compute_disclosure(synthetic.generate_budget(seed))))
        assert [f for f in findings if not f.rule.startswith("PLAUS-")] == [], seed
        assert all(f.severity is Severity.WARNING for f in findings)


def test_small_fixture_is_reported_for_what_it_lacks() -> None:
    """tests/fixtures/small.yaml is deliberately minimal: a project without indicators or goals."""
    from deptbudget.sources.yaml_source import load_budget

    findings = _mine(check(compute_disclosure(load_budget(SMALL))))
    assert {f.rule for f in findings if f.severity is Severity.ERROR} == {"PERF-OUTPUT"}
    # 机关运行经费 10.00 vs 9.00: the rate is computed from the displayed amounts (11.11%), as a reader
    # recomputes it, so no rounding note.
    assert [f for f in findings if f.rule == "NAR-GROWTH-RATE"] == []
    assert "增长11.11%" in compute_disclosure(load_budget(SMALL)).part(7).text  # type: ignore[union-attr]
