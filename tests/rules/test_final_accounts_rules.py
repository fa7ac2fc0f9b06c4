"""The rules of final accounts (rules/final_accounts.py) on small hand-made 决算 (tests/importers/final_layouts.py):
differences from the budget without a reason, 三公 above its budget, a printed 执行率 against its figures — and the
narrative's budget figures against the table's column of their phase."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.importers import import_document
from deptbudget.model.disclosure import Disclosure
from deptbudget.rules.final_accounts import _rate_agrees
from deptbudget.rules.registry import Checker, Finding
from tests.importers import final_layouts as layouts

NARRATIVE = """\
（三）财政拨款支出决算具体情况
1.一般公共服务（类）人大事务（款）一般行政管理事务（项）。年初预算为200万元，支出决算为350万元，完成年初预算的175%。决算数大于预算数的主要原因是年中追加预算。
2.一般公共服务（类）人大事务（款）行政运行（项）。年初预算为700万元，支出决算为600万元，完成年初预算的85.71%。
3.一般公共服务（类）人大事务（款）人大会议（项）。年初预算为100.00万元，支出决算为95.00万元，完成年初预算的96%。
（五）“三公”经费财政拨款支出决算情况说明
2024年度“三公”经费财政拨款支出预算为22万元，支出决算为25万元，完成预算的113.64%。其中：因公出国（境）费支出决算为4万元，完成预算的80%；公务接待费支出决算为6万元，完成预算的100%。
"""


def _check(tmp_path: Path, narrative: str = NARRATIVE) -> list[Finding]:
    path = tmp_path / "final.txt"
    path.write_text(layouts.document(layouts.BEIJING, narrative), encoding="utf-8")
    disclosure: Disclosure = import_document(path)[0]
    assert disclosure.template == "beijing-final-12"
    return Checker().check(disclosure)


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> list[Finding]:
    return _check(tmp_path_factory.mktemp("final"))


def _of(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def test_a_difference_beyond_the_threshold_needs_a_reason(findings: list[Finding]) -> None:
    found = _of(findings, "FA-DIFFERENCE-REASON")
    # item 2 (700 → 600, 14.29%) and the 三公 total (22 → 25, 13.64%) give none; item 1 (75%) gives its reason,
    # item 3 (5%) is within 10%; the table's 一般行政管理事务 (全年预算数 400 → 350, 12.5%) is explained in the text
    assert [(f.row, f.actual) for f in found] == [("（三）财政拨款支出决算具体情况 第2段", "14.29%"),
                                                 ("（五）“三公”经费财政拨款支出决算情况说明 第1段", "13.64%")]
    assert "行政运行（项） 预算 700.00 万元，决算 600.00 万元" in found[0].message
    assert {f.severity.value for f in found} == {"warning"}


def test_a_table_item_the_text_does_not_explain(tmp_path: Path) -> None:
    found = _of(_check(tmp_path, NARRATIVE.replace("一般行政管理事务", "一般行政事务")), "FA-DIFFERENCE-REASON")
    assert [(f.table, f.row, f.expected, f.actual) for f in found if f.table == "表5"] == [
        ("表5", "2010102", "≤ 10.00%", "12.50%")]  # 全年预算数 400.00, 决算数 350.00
    assert "全年预算数 400.00，决算数 350.00" in found[-1].message


def test_three_public_above_its_budget(findings: list[Finding]) -> None:
    found = _of(findings, "FA-THREE-PUBLIC-OVER")
    # 预算数 22 / 5 / 12 (2 + 10) / 5, 决算数 25 / 4 / 15 (3 + 12) / 6: all but 因公出国（境）费 are over
    assert [(f.column, f.expected, f.actual) for f in found] == [
        ("决算数合计", "≤ 22.00", "25.00"), ("决算数公务用车购置及运行维护费小计", "≤ 12.00", "15.00"),
        ("决算数公务用车购置费", "≤ 2.00", "3.00"), ("决算数公务用车运行维护费", "≤ 10.00", "12.00"),
        ("决算数公务接待费", "≤ 5.00", "6.00")]


def test_the_printed_execution_rate_is_recomputed(findings: list[Finding]) -> None:
    found = _of(findings, "FA-EXECUTION-RATE")
    # item 3: 95 ÷ 100 = 95%, printed 96%; 公务接待费: 6 ÷ 5 (the table's 预算数) = 120%, printed 100%
    assert [(f.expected, f.actual) for f in found] == [("95.00%", "96%"), ("120.00%", "100%")]
    assert all(f.severity.value == "error" for f in found)


def test_the_texts_budget_is_compared_with_its_phase(findings: list[Finding], tmp_path: Path) -> None:
    assert not _of(findings, "NAR-THREE-PUBLIC")  # 预算为22万元 is the table's 预算数 (全年预算数) 22.00
    wrong = _of(_check(tmp_path, NARRATIVE.replace("支出预算为22万元", "支出预算为23万元")), "NAR-THREE-PUBLIC")
    assert [(f.column, f.expected, f.actual) for f in wrong] == [("three_public.budget_total", "22.00", "23.00")]


def test_a_rate_is_judged_at_the_precision_of_its_amounts() -> None:
    """"因公出国（境）费支出决算为4.7万元，完成预算的15.63%" against a budget of 30.00: 4.7 may be 4.65 … 4.75, so
    15.63% is possible; stated to the cent (4.70) it is not (15.67%)."""
    assert _rate_agrees(Decimal("4.7"), Decimal("30"), "15.63", "4.7")
    assert not _rate_agrees(Decimal("4.70"), Decimal("30"), "15.63", "4.70")
    assert _rate_agrees(Decimal("5757.63"), Decimal("5717.32"), "100.71", "5757.63", "5717.32")
    assert _rate_agrees(Decimal("4.7"), Decimal("590.53"), "0.7")  # cut, not rounded (0.7959…)


def test_a_rate_after_a_stated_budget_alone_is_not_read_as_an_actual(tmp_path: Path) -> None:
    """"公务接待费预算为5万元，完成预算的80%": the one amount is the budget, so no 执行率 can be recomputed."""
    narrative = NARRATIVE.replace("公务接待费支出决算为6万元，完成预算的100%", "公务接待费预算为5万元，完成预算的80%")
    assert [(f.expected, f.actual) for f in _of(_check(tmp_path, narrative), "FA-EXECUTION-RATE")] == [
        ("95.00%", "96%")]
