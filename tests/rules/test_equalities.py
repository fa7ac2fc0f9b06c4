"""The table of cross-table equalities (deptbudget/rules/equalities.yaml) and its one generic check.

Every comparison of every row is tried on the generated example: silent as generated, firing when one
side of it is changed, silent again when both sides are changed alike.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from deptbudget.model.disclosure import Cell, Disclosure, Table
from deptbudget.rules import Checker, Finding, load_settings, run_rules
from deptbudget.rules.equalities import Comparison, EqualityError, Side, equalities_from_data, load_equalities
from deptbudget.rules.registry import get_rule, settings_from_data
from deptbudget.template import load_template

EQUALITIES = load_equalities()
CHANGE = Decimal("1.00")


def _table(disclosure: Disclosure, role: str) -> Table | None:
    """The table of a role, found here by hand from the template's specs."""
    spec = load_template(disclosure.template).by_role(role)
    return disclosure.table(spec.id) if spec is not None else None


def _cells(disclosure: Disclosure, side: Side) -> list[Cell]:
    """The cells a side names, found here by hand (the rows a sum adds up: every one but the total)."""
    table = _table(disclosure, side.table)
    if table is None:
        return []
    kind, _, key = side.row.partition(":")
    if side.row == "unit":
        rows = [table.row("unit") or table.rows[0]]
    elif side.row == "total":
        rows = [table.row("total")]
    elif side.row == "rows":
        rows = [row for row in table.rows if row.key != "total"]
    elif kind == "key":
        rows = [table.row(key)]
    else:
        rows = [row for row in table.rows if f"{kind}={key}" in row.key.split(";")][:1]
    return [row.cells[side.column] for row in rows if row is not None and side.column in row.cells
            and row.cells[side.column].value is not None]


def _value(disclosure: Disclosure, side: Side) -> Decimal:
    return sum((cell.value or Decimal(0) for cell in _cells(disclosure, side)), Decimal(0))


def _add(cell: Cell, delta: Decimal) -> None:
    cell.value = (cell.value or Decimal(0)) + delta
    cell.text = f"{cell.value:,.2f}"


def _findings(disclosure: Disclosure, rule_id: str) -> list[Finding]:
    checker = Checker()
    return run_rules(disclosure, checker.context(disclosure), [get_rule(rule_id)])


def _cases() -> list[tuple[str, int, Comparison]]:
    return [(e.id, i, c) for e in EQUALITIES for i, c in enumerate(e.comparisons)]


@pytest.mark.parametrize(("rule_id", "index", "comparison"), _cases(), ids=[f"{r}[{i}]" for r, i, _ in _cases()])
def test_each_comparison_fires_on_a_difference_only(example: Disclosure, rule_id: str, index: int,
                                                    comparison: Comparison) -> None:
    templates = next(e.templates for e in EQUALITIES if e.id == rule_id)
    if templates is not None and example.template not in templates:
        pytest.skip(f"{rule_id}: written for {', '.join(sorted(templates))} (tests/rules/test_final_accounts.py)")
    left, right = _cells(example, comparison.left), _cells(example, comparison.right)
    if not left or not right:
        pytest.skip(f"{rule_id}[{index}]: the example has no such figure")
    assert _findings(example, rule_id) == [], "silent where the two sides agree"

    expected = _value(example, comparison.left)
    _add(right[0], CHANGE)
    found = _findings(example, rule_id)
    table = _table(example, comparison.right.table)
    assert table is not None
    assert [(f.table, f.expected, f.actual) for f in found] == [
        (f"表{table.number}", f"{expected:,.2f}", f"{expected + CHANGE:,.2f}")]
    assert found[0].severity is not None and found[0].severity.value == get_rule(rule_id).severity.value

    _add(left[0], CHANGE)
    assert _findings(example, rule_id) == [], "silent when both sides change alike"


def test_every_row_is_tried_on_the_example(example: Disclosure) -> None:
    """Every row written for the example's kind of document (the 决算 rows, XF-*, are tried on a real 决算 in
    tests/rules/test_final_accounts.py)."""
    for equality in EQUALITIES:
        if equality.templates is not None and example.template not in equality.templates:
            continue
        assert any(_cells(example, c.left) and _cells(example, c.right) for c in equality.comparisons), equality.id


def test_each_row_is_a_rule_with_its_own_id() -> None:
    for equality in EQUALITIES:
        item = get_rule(equality.id)
        assert (item.severity, item.category, item.description, item.example) == (
            equality.severity, equality.category, equality.description, equality.example)
        assert item.module == "cross_table"


def test_a_disabled_row_and_an_unset_option_do_not_run(example: Disclosure) -> None:
    first = EQUALITIES[0].comparisons[0]
    _add(_cells(example, first.right)[0], CHANGE)
    context = Checker().context(example)
    assert run_rules(example, context, [get_rule(EQUALITIES[0].id)])
    off = replace(context, settings=settings_from_data("shenzhen-15", {"disabled": [EQUALITIES[0].id]}))
    assert run_rules(example, off, [get_rule(EQUALITIES[0].id)]) == []

    guarded = next(e for e in EQUALITIES if e.when_option)
    _add(_cells(example, guarded.comparisons[0].right)[0], CHANGE)
    assert run_rules(example, context, [get_rule(guarded.id)])
    unset = replace(context, settings=settings_from_data("shenzhen-15", {}))
    assert run_rules(example, unset, [get_rule(guarded.id)]) == []


def test_a_row_runs_where_the_template_has_its_tables(example: Disclosure) -> None:
    """Rows name tables by role: XT-T5-T3 (项目支出表 against 支出总表) fires under shenzhen-15, whose 表5 is the
    项目支出表; under mof-9, which has no table of that role (its 表5 is the 一般公共预算支出表), it is silent."""
    row = next(e for e in EQUALITIES if e.id == "XT-T5-T3")
    _add(_cells(example, row.comparisons[0].right)[0], CHANGE)
    context = Checker().context(example)
    assert run_rules(example, context, [get_rule(row.id)])
    other = replace(context, settings=load_settings("mof-9"))
    assert run_rules(example, other, [get_rule(row.id)]) == []


def test_the_templates_named_exist() -> None:
    for name in sorted({t for e in EQUALITIES for t in e.templates or ()}):
        assert load_settings(name).template == name


GOOD = {"id": "XT-A-B", "severity": "error", "category": "consistency", "description": "表1 甲与表2 乙一致",
        "compare": [{"left": {"table": "summary", "row": "unit", "column": "total"},
                     "right": {"table": "income", "row": "total", "column": "total"}}]}


def _with(**change: object) -> dict[str, object]:
    return {**GOOD, **change}


def _compare(**change: object) -> dict[str, object]:
    return _with(compare=[{**GOOD["compare"][0], **change}])  # type: ignore[index]


@pytest.mark.parametrize(("row", "reason"), [
    (_with(severity="fatal"), "severity"),
    (_with(colour="red"), "colour"),
    ({k: v for k, v in GOOD.items() if k != "compare"}, "compare"),
    (_with(compare=[]), "compare"),
    (_compare(right={"table": "income", "row": "middle", "column": "total"}), "middle"),
    (_compare(right={"table": "income", "row": "key:", "column": "total"}), "key:"),
    (_compare(left={"table": "summary", "row": "unit"}), "column"),
    (_compare(left={"table": "T1", "row": "unit", "column": "total"}), "角色"),
    (_compare(addends=-1), "addends"),
    (_compare(addends="rows"), "rows"),
    (_compare(right={"table": "income", "row": "rows", "column": "total"}), "at"),
    (_compare(message="{right_table} 与{other}不一致"), "other"),
    (_compare(keys="total"), "keys"),
    (_with(templates="shenzhen-15"), "templates"),
    (_with(example={"message": "例", "colour": "red"}), "colour"),
])
def test_a_malformed_row_names_the_file_and_the_row(row: dict[str, object], reason: str) -> None:
    with pytest.raises(EqualityError) as caught:
        equalities_from_data([_with(id="XT-OK"), row])
    message = str(caught.value)
    assert message.startswith("equalities.yaml 第 2 条规则")
    assert reason in message
    if isinstance(row.get("id"), str):
        assert str(row["id"]) in message


def test_the_file_itself_must_be_a_list_of_distinct_rules() -> None:
    with pytest.raises(EqualityError, match="equalities.yaml"):
        equalities_from_data({"id": "XT-A-B"})
    with pytest.raises(EqualityError, match="第 2 条规则 XT-A-B.*重复"):
        equalities_from_data([GOOD, GOOD])
    assert [e.id for e in equalities_from_data([GOOD])] == ["XT-A-B"]


def test_keys_give_one_comparison_each() -> None:
    row = _compare(left={"table": "summary", "row": "income:{key}", "column": "income_amount"},
                   right={"table": "income", "row": "unit", "column": "{key}"}, keys=["fiscal", "carryover"])
    (equality,) = equalities_from_data([row])
    assert [(c.left.row, c.right.column) for c in equality.comparisons] == [("income:fiscal", "fiscal"),
                                                                           ("income:carryover", "carryover")]
