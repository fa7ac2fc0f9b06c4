"""Rules find their tables by role: the same rule runs on shenzhen-15's and mof-9's numbering, is silent
where the document's template has no table of the role it needs, judges "missing" against the locality's
own required list (the 财预〔2016〕143号 nine tables where the locality is unknown) and quotes the page of an
imported table."""

from __future__ import annotations

import copy
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.disclosure import Disclosure, Table
from deptbudget.rules import Checker, Finding, Severity, load_settings, run_rules
from deptbudget.rules.registry import UNKNOWN, get_rule
from deptbudget.sources.yaml_source import load_budget
from deptbudget.template import Role, load_template_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "luohu-2020.yaml"
CHANGE = Decimal("1.00")
# the rules mof-9 used to disable because they named shenzhen-15's table numbers
ONCE_DISABLED = ("XT-T1-T6", "XT-T6-T7", "XT-T3-T7", "XT-T5-T7", "XT-T13-T5")


@pytest.fixture(scope="module")
def mof9_output() -> Disclosure:
    return compute_disclosure(replace(load_budget(EXAMPLE), template="mof-9"))


@pytest.fixture
def mof9(mof9_output: Disclosure) -> Disclosure:
    return copy.deepcopy(mof9_output)


def _run(disclosure: Disclosure, rule_id: str, settings_of: str | None = None) -> list[Finding]:
    context = Checker(settings_of).context(disclosure)
    return run_rules(disclosure, context, [get_rule(rule_id)])


def _bump(table: Table | None, row_key: str, column: str) -> None:
    assert table is not None
    row = table.row(row_key)
    assert row is not None and row.cells[column].value is not None
    cell = row.cells[column]
    cell.value = (cell.value or Decimal(0)) + CHANGE
    cell.text = f"{cell.value:,.2f}"


def test_mof9_disables_nothing_and_its_output_is_clean(mof9: Disclosure) -> None:
    assert load_settings("mof-9").disabled == frozenset()
    found = [f for f in Checker().check(mof9) if f.severity in (Severity.ERROR, Severity.WARNING)]
    assert found == []
    for rule_id in ONCE_DISABLED:
        assert _run(mof9, rule_id) == [], rule_id


def test_t1_t6_compares_the_summary_with_mof9s_table_4(mof9: Disclosure) -> None:
    """XT-T1-T6 (收支总表 against 财政拨款收支总表) reads mof-9's 表4, the table of that role."""
    _bump(mof9.table("T4"), "income=;exp=206", "exp_amount")
    found = _run(mof9, "XT-T1-T6")
    assert [(f.table, f.row) for f in found] == [("表4", "206")]


def test_t6_t7_compares_the_fiscal_summary_with_mof9s_table_5(mof9: Disclosure) -> None:
    _bump(mof9.table("T5"), "206", "total")
    found = _run(mof9, "XT-T6-T7")
    assert ("表4", "206") in {(f.table, f.row) for f in found}
    assert all("表5" in f.message for f in found if f.row == "206")


def test_t6_t7_trusts_no_table_that_does_not_foot(mof9: Disclosure) -> None:
    """A 支出表 whose 合计 is not 基本 + 项目 (columns misread, or wrong itself) is no basis for comparing."""
    _bump(mof9.table("T5"), "206", "total")
    assert _run(mof9, "XT-T6-T7")
    _bump(mof9.table("T5"), "total", "basic")
    assert _run(mof9, "XT-T6-T7") == []


def test_t3_t7_names_the_tables_as_the_document_numbers_them(mof9: Disclosure) -> None:
    _bump(mof9.table("T5"), "total", "basic")
    (found,) = _run(mof9, "XT-T3-T7")
    assert found.table == "表5" and "表5–表9" in found.message and "表3" in found.message


def test_a_rule_is_silent_where_the_template_has_no_table_of_its_role(mof9: Disclosure) -> None:
    """Under shenzhen-15 settings mof-9's 表6 would be the 财政拨款收支总表; under its own it is the 基本支出表,
    and the project rules have no 项目支出表 to read."""
    _bump(mof9.table("T6"), "total", "total")
    assert _run(mof9, "XT-T1-T6", "shenzhen-15"), "read with the wrong roles the tables do not agree"
    assert _run(mof9, "XT-T1-T6") == []
    for rule_id in ("XT-T5-T7", "XT-T13-T5", "XT-T5-T3", "CMP-T15-MISSING"):
        assert _run(mof9, rule_id) == [], rule_id


def test_missing_is_judged_against_the_locality_list(mof9: Disclosure, tmp_path: Path) -> None:
    mof9.tables = [t for t in mof9.tables if t.id != "T9"]
    (found,) = _run(mof9, "CMP-TABLE-MISSING")
    assert (found.table, found.expected) == ("表9", "国有资本经营预算支出表")
    assert "（第" not in found.message  # a table not in the document has no page

    # a locality that never publishes the 国有资本经营 table: not missing there
    path = tmp_path / "no-state-capital.yaml"
    path.write_text("extends: mof-9\nname: no-state-capital\ndrop_tables: [T9]\n", encoding="utf-8")
    template = load_template_file(path)
    assert Role.STATE_CAPITAL not in template.required.tables
    from deptbudget.rules.registry import RuleContext, settings_for

    context = RuleContext(None, settings_for(template))
    assert run_rules(mof9, context, [get_rule("CMP-TABLE-MISSING")]) == []


def test_parts_are_required_only_where_the_locality_lists_them(example: Disclosure) -> None:
    example.parts = [p for p in example.parts if p.number != 7]
    assert [f.table for f in _run(example, "CMP-PARTS")] == ["第七部分"]
    context = Checker().context(example)
    context = replace(context, settings=replace(context.settings, required=replace(
        context.settings.required, parts=(1, 2, 3))))
    assert run_rules(example, context, [get_rule("CMP-PARTS")]) == []


def _as_unknown(disclosure: Disclosure, keep: set[str]) -> Disclosure:
    """The document as the importer gives it when no template matched: generic tables (X1 …) with titles."""
    disclosure.template = UNKNOWN
    disclosure.tables = [replace(t, id=f"X{t.number}") for t in disclosure.tables if t.id in keep]
    return disclosure


def test_an_unknown_locality_is_judged_against_the_143_minimum(mof9: Disclosure) -> None:
    unknown = _as_unknown(mof9, {"T1", "T2", "T3", "T4", "T5", "T6", "T7"})
    found = _run(unknown, "CMP-TABLE-MISSING")
    # the eight tables 财预〔2016〕143号 lists (_role_titles.yaml minimum_required): 国有资本经营预算支出表 is not one
    assert sorted(f.expected or "" for f in found) == ["政府性基金预算支出表"]
    assert all(f.table == f.expected for f in found)  # the locality's numbering is unknown: named by title
    # every rule runs without error on such a document; the ones that need a template's table say nothing
    assert not any("规则执行出错" in f.message for f in Checker().check(unknown))


def test_a_finding_on_an_imported_table_quotes_its_page(mof9: Disclosure) -> None:
    t5 = mof9.table("T5")
    assert t5 is not None
    t5.page = 12
    for row in t5.rows:
        row.page = 13 if row.key == "total" else 12
    _bump(t5, "total", "total")  # XT-T3-T7 reports on 表5's total row (which still foots) …
    _bump(t5, "total", "project")
    _bump(t5, "206", "total")  # … and XT-T6-T7 on 表4's row 206
    findings = Checker().check(mof9)
    on_t5 = [f for f in findings if f.table == "表5"]
    assert on_t5 and all(f.message.endswith("（第 13 页）") for f in on_t5)
    on_t4 = [f for f in findings if f.table == "表4"]
    assert on_t4 and all("（第" not in f.message for f in on_t4)  # 表4 has no page: generated
    assert set(on_t5[0].to_dict()) == {"rule", "severity", "table", "row", "column", "expected", "actual",
                                       "message"}


def test_generated_findings_have_no_page(example: Disclosure) -> None:
    _bump(example.table("T7"), "206", "total")
    assert all("页）" not in f.message for f in Checker().check(example))


def test_a_table_setting_may_name_a_role(mof9: Disclosure) -> None:
    """``rules:`` options keyed by role hold for every template with a table of that role."""
    _bump(mof9.table("T5"), "206", "total")
    assert _run(mof9, "SUM-ROW-COLUMNS") == []  # mof-9 sets no row_sums
    context = Checker().context(mof9)
    options = {"row_sums": {"general_budget_expenditure": [["total", ["basic", "project"]]]}}
    context = replace(context, settings=replace(context.settings, options=options))
    found = run_rules(mof9, context, [get_rule("SUM-ROW-COLUMNS")])
    assert [(f.table, f.row) for f in found] == [("表5", "206")]


def test_a_table_numbered_in_another_series_is_not_compared_with_the_contents(mof9: Disclosure) -> None:
    mof9.contents = [f"{t.number}. {t.title}" for t in mof9.tables]
    t2, t6 = mof9.table("T2"), mof9.table("T6")
    assert t2 is not None and t6 is not None
    # a 绩效目标表 numbered （二） under its own heading: not the contents' 表2
    mof9.tables.append(replace(t2, id="X2", number="2", title="部门主管专项资金的绩效目标表"))
    t6.title = "财政拨款收支预算总表"  # the contents' 表6 itself, titled otherwise: still a finding
    assert [(f.table, f.actual) for f in _run(mof9, "CMP-TABLE-TITLE")] == [("表6", "财政拨款收支预算总表")]
