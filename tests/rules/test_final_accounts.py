"""Rules on final accounts (部门决算): the XF-* identities of equalities.yaml, tried on the real 国家信访局 2024 决算
(every comparison silent as printed, each firing when one side changes), and the budget rules that read a 决算."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from deptbudget.model.disclosure import Cell, Disclosure, Row
from deptbudget.rules import Checker, Finding, run_rules
from deptbudget.rules.equalities import Side, load_equalities
from deptbudget.rules.registry import get_rule
from deptbudget.template import load_template
from tests.importers.test_final_accounts import XFJ
from tests.real_docs import imported

FINAL = [e for e in load_equalities() if e.templates is not None and "mof-final-9" in e.templates]
CASES = [(e.id, i) for e in FINAL for i, _ in enumerate(e.comparisons)]


def _fresh() -> Disclosure:
    return copy.deepcopy(imported(XFJ))  # the import is cached for the test run: change a copy only


def _row(disclosure: Disclosure, side: Side) -> Row | None:
    spec = load_template(disclosure.template).by_role(side.table)
    table = disclosure.table(spec.id) if spec is not None else None
    if table is None:
        return None
    kind, _, key = side.row.partition(":")
    if side.row == "total":
        return table.row("total")
    return next((row for row in table.rows if f"{kind}={key}" in row.key.split(";")), None)


def _findings(disclosure: Disclosure, rule_id: str) -> list[Finding]:
    return run_rules(disclosure, Checker().context(disclosure), [get_rule(rule_id)])


def test_the_final_accounts_rows_exist() -> None:
    assert {e.id for e in FINAL} == {"XF-SUMMARY-INCOME", "XF-SUMMARY-EXPENDITURE", "XF-FISCAL-INCOME",
                                     "XF-FISCAL-FUNDS", "XF-FISCAL-GENERAL-INCOME"}


@pytest.mark.parametrize(("rule_id", "index"), CASES, ids=[f"{r}[{i}]" for r, i in CASES])
def test_each_identity_holds_as_printed_and_fires_on_a_change(rule_id: str, index: int) -> None:
    disclosure = _fresh()
    assert _findings(disclosure, rule_id) == []
    comparison = next(e for e in FINAL if e.id == rule_id).comparisons[index]
    for key in ("general_budget",):
        comparison = type(comparison)(comparison.left.with_key(key), comparison.right.with_key(key),
                                      comparison.addends)
    left, right = _row(disclosure, comparison.left), _row(disclosure, comparison.right)
    cell = right.cells.get(comparison.right.column) if right is not None else None
    if left is None or cell is None or cell.value is None:
        pytest.skip(f"{rule_id}[{index}]: the document prints no such figure (an empty 政府性基金 / 国有资本 table)")
    cell.value += Decimal("1.00")
    found = _findings(disclosure, rule_id)
    assert len(found) == 1 and found[0].actual == f"{cell.value:,.2f}"


def test_the_budget_rule_xt_t6_t7_is_off_for_final_accounts() -> None:
    """财政拨款 income ≠ 一般公共预算 spending in a 决算 (carryover at both ends): the rule is the budget's only."""
    assert "XT-T6-T7" in Checker().context(_fresh()).settings.disabled


def test_three_public_text_may_state_the_budget_or_the_actual() -> None:
    """p.22: "“三公”经费财政拨款支出预算为76.43万元，2024年度支出决算为46.21万元": the budget figure (read by phase,
    ``budget_total``) agrees with the table's 全年预算数, the 决算数 with its 决算数; a budget that is not the table's
    is reported against the table's budget."""
    disclosure = _fresh()
    assert _findings(disclosure, "NAR-THREE-PUBLIC") == []
    row = disclosure.table("T7").rows[0]  # type: ignore[union-attr]
    row.cells["adjusted_total"] = Cell("67.43", Decimal("67.43"), row.cells["adjusted_total"].kind)
    found = _findings(disclosure, "NAR-THREE-PUBLIC")
    assert [(f.column, f.expected, f.actual) for f in found] == [("three_public.budget_total", "67.43", "76.43")]


def test_the_spending_side_total_of_a_final_accounts_summary() -> None:
    """p.7: 总计 22,066.59 = 本年支出合计 14,572.53 + 结余分配 + 年末结转和结余 7,494.06; p.10 in each fund column."""
    disclosure = _fresh()
    assert [f for f in _findings(disclosure, "SUM-EXPENDITURE-FOOTER") if f.severity.value != "note"] == []
    disclosure.table("T1").row("income=this_year_and_carryover;exp=expenditure_total") \
        .cells["exp_amount"].value += Decimal("1.00")  # type: ignore[union-attr]
    disclosure.table("T4").row("income=carryover;exp=year_end_balance") \
        .cells["exp_general_budget"].value += Decimal("1.00")  # type: ignore[union-attr]
    found = [(f.table, f.column) for f in _findings(disclosure, "SUM-EXPENDITURE-FOOTER")
             if f.severity.value == "error"]
    assert found == [("表1", "金额"), ("表4", "一般公共预算财政拨款")]


def test_panel_totals_add_up_the_classes_of_their_panels() -> None:
    """p.12: 人员经费合计 7,967.72 = 301 + 303; 公用经费合计 2,266.65 = 302 + 310 (资本性支出, printed in the third
    panel, which has no total of its own)."""
    disclosure = _fresh()
    assert _findings(disclosure, "SUM-PANEL-TOTAL") == []
    table = disclosure.table("T6")
    assert table is not None
    table.row("310").cells["total"].value += Decimal("1.00")  # type: ignore[union-attr,operator]
    found = _findings(disclosure, "SUM-PANEL-TOTAL")
    assert [(f.row, f.expected, f.actual) for f in found] == [("公用经费合计", "2,267.65", "2,266.65")]
    table.row("303").cells["total"].value -= Decimal("1.00")  # type: ignore[union-attr,operator]
    assert [f.row for f in _findings(disclosure, "SUM-PANEL-TOTAL")] == ["人员经费合计", "公用经费合计"]
