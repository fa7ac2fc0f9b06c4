"""The worked 决算 example computed: its tables foot, its phases and rates are computed from the sources."""

from __future__ import annotations

from copy import deepcopy
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from deptbudget.compute.final_disclosure import compute_final_disclosure
from deptbudget.model.disclosure import Disclosure
from deptbudget.model.final_accounts import is_final_accounts
from deptbudget.model.final_actuals import FinalAccounts, FinalFund
from deptbudget.model.money import wan
from deptbudget.rules.registry import run_rules
from deptbudget.sources.final_source import load_final

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020-final.yaml"


@pytest.fixture(scope="module")
def accounts() -> FinalAccounts:
    return load_final(EXAMPLE)


@pytest.fixture(scope="module")
def disclosure(accounts: FinalAccounts) -> Disclosure:
    return compute_final_disclosure(accounts)


def test_the_nine_tables_foot_and_the_text_agrees(disclosure: Disclosure) -> None:
    assert is_final_accounts(disclosure) and len(disclosure.tables) == 9
    assert run_rules(disclosure) == []


def test_a_table_that_stops_footing_is_found(disclosure: Disclosure) -> None:
    broken = deepcopy(disclosure)
    cell = broken.table("T3").row("2060499").cells["total"]  # type: ignore[union-attr]
    cell.value = (cell.value or Decimal(0)) + 1
    found = {f.rule for f in run_rules(broken)}
    assert "SUM-FUNC-LEVEL" in found or "SUM-ROW-COLUMNS" in found


def test_spending_tables_are_the_actuals(disclosure: Disclosure, accounts: FinalAccounts) -> None:
    spent = sum((x.actual for x in accounts.lines), Decimal(0))
    assert disclosure.table("T3").row("total").cells["total"].value == wan(spent)  # type: ignore[union-attr]
    for code in {x.func for x in accounts.lines}:
        own = sum((x.actual for x in accounts.lines if x.func == code), Decimal(0))
        assert disclosure.table("T5").row(code).cells["total"].value == wan(own)  # type: ignore[union-attr]


def test_income_by_function_adds_the_balance_change(disclosure: Disclosure, accounts: FinalAccounts) -> None:
    (balance,) = accounts.balances
    row = disclosure.table("T2").row(balance.func)
    spent = sum((x.actual for x in accounts.lines if x.func == balance.func), Decimal(0))
    assert row is not None and row.cells["fiscal"].value == wan(spent + balance.end - balance.start)
    footers = {r.key: r for r in disclosure.table("T1").rows}
    assert footers["income=carryover;exp=year_end_balance"].cells["income_amount"].value == wan(balance.start)
    assert footers["income=carryover;exp=year_end_balance"].cells["exp_amount"].value == wan(balance.end)


def test_three_public_prints_the_budget_and_the_actual(disclosure: Disclosure, accounts: FinalAccounts) -> None:
    (row,) = disclosure.table("T7").rows
    tp = accounts.three_public
    assert row.cells["adjusted_reception"].value == wan(tp.adjusted.reception) == wan(accounts.budget.three_public
                                                                                      .reception)
    assert row.cells["reception"].value == wan(tp.actual.reception)


def test_the_narrative_states_rates_and_reasons(disclosure: Disclosure, accounts: FinalAccounts) -> None:
    text = "\n".join(p for part in disclosure.parts for s in part.sections for p in s.paragraphs)
    assert "虚构示例" in text
    for code, reason in accounts.reasons.items():
        assert reason in text, code
    industry = [x for x in accounts.lines if x.func == "2060499" and x.fund is FinalFund.GENERAL_BUDGET]
    adjusted = sum((x.adjusted for x in industry), Decimal(0))
    actual = sum((x.actual for x in industry), Decimal(0))
    rate = (wan(actual) / wan(adjusted) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert f"全年预算为{wan(adjusted):,.2f}万元，支出决算为{wan(actual):,.2f}万元，完成全年预算的{rate}%" in text


# --- no blank lines: 使用非财政拨款结余, 结余分配, 上缴上级支出, 经营支出, 对附属单位补助支出, 行次 ---


OWN_FUNDS = {  # a unit's own income and spending, besides the example's 财政拨款 (元)
    "other": [{"func": "2060199", "kind": "business_spending", "fund": "business", "actual": "80,000.00"},
              {"func": "2060199", "kind": "subsidiary", "actual": "200,000.00"},
              {"func": "2060199", "kind": "superior_payment", "fund": "other", "actual": "30,000.00"}],
    "balance": {"func": "2060199", "fund": "operating", "start": "50,000.00", "end": "20,000.00",
                "used_surplus": "30,000.00", "distribution": "10,000.00"},
}


@pytest.fixture(scope="module")
def own_funds() -> tuple[FinalAccounts, Disclosure]:
    import yaml

    from deptbudget.sources.final_source import parse_final
    from deptbudget.sources.yaml_source import load_budget

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["expenditure"]["other"] = OWN_FUNDS["other"]
    data["balances"].append(OWN_FUNDS["balance"])
    data.pop("income", None)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    accounts = parse_final(text, str(EXAMPLE), budget=load_budget(EXAMPLE.with_name("luohu-2020.yaml")))
    return accounts, compute_final_disclosure(accounts)


def test_other_spending_and_surplus_fill_their_lines(own_funds: tuple[FinalAccounts, Disclosure]) -> None:
    accounts, disclosure = own_funds
    assert run_rules(disclosure) == []  # the 总表 still balances; 支出决算表 rows add up with the new columns
    t3 = disclosure.table("T3")
    assert t3 is not None
    for item in OWN_FUNDS["other"]:
        yuan = Decimal(item["actual"].replace(",", ""))
        assert t3.row("total").cells[item["kind"]].value == wan(yuan)  # type: ignore[union-attr]
        assert t3.row("2060199").cells[item["kind"]].value == wan(yuan)  # type: ignore[union-attr]
    footers = {r.key: r for r in disclosure.table("T1").rows}  # type: ignore[union-attr]
    row = footers["income=career_fund;exp=surplus_distribution"]
    assert (row.cells["income_amount"].value, row.cells["exp_amount"].value) == (wan(Decimal(30000)),
                                                                                wan(Decimal(10000)))
    total = footers["income=this_year_and_carryover;exp=expenditure_total"]
    assert total.cells["income_amount"].value == total.cells["exp_amount"].value
    # 事业收入 of the 项: its spending + 结余分配 + 年末 − 年初 − 使用非财政拨款结余
    assert accounts.income_of(FinalFund.OPERATING, "2060199") == Decimal(200000 + 10000 + 20000 - 50000 - 30000)
    text = "".join(p for part in disclosure.parts for s in part.sections for p in s.paragraphs)
    assert "经营支出8.00万元" in text and "对附属单位补助支出20.00万元" in text


def test_without_them_the_lines_stay_zero_or_blank(disclosure: Disclosure) -> None:
    t3 = disclosure.table("T3")
    assert t3 is not None
    for key in ("superior_payment", "business_spending", "subsidiary"):
        assert t3.row("total").cells[key].text == "0.00"  # type: ignore[union-attr]  # a total prints 0.00
        assert all(r.cells[key].text == "" for r in t3.rows if r.key != "total")  # other rows: blank
    row = {r.key: r for r in disclosure.table("T1").rows}["income=career_fund;exp=surplus_distribution"]  # type: ignore[union-attr]
    assert row.cells["income_amount"].text == row.cells["exp_amount"].text == ""


@pytest.mark.parametrize("table_id", ["T1", "T4"])
def test_line_numbers_as_the_central_tables_print_them(disclosure: Disclosure, table_id: str) -> None:
    rows = disclosure.table(table_id).rows  # type: ignore[union-attr]
    assert [r.cells["income_line"].text for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    assert [r.cells["exp_line"].text for r in rows] == [str(len(rows) + i) for i in range(1, len(rows) + 1)]


# --- phase columns where the template lists them --------------------------------------------------------------


def test_phase_columns_where_the_template_lists_them(accounts: FinalAccounts, disclosure: Disclosure) -> None:
    """mof-final-9's spending tables print the 决算数 alone; a layout listing 年初预算数 / 全年预算数 beside it (the
    key scheme initial_<key> / adjusted_<key>) gets them from the lines' phases, with no code of its own."""
    from dataclasses import replace

    from deptbudget.commands.source_disclosure import source_disclosure
    from deptbudget.compute.comparison import compare
    from deptbudget.template import ColumnSpec, Role, load_template

    template = load_template("mof-final-9")
    spec = template.by_role(Role.GENERAL_BUDGET_EXPENDITURE)
    assert spec is not None and not any(c.key.startswith(("initial_", "adjusted_")) for c in spec.columns)
    phased = (*spec.columns[:2], ColumnSpec("initial_total", "年初预算数"), ColumnSpec("adjusted_total", "全年预算数"),
              *spec.columns[2:])
    variant = replace(template, tables=tuple(replace(s, columns=phased) if s is spec else s for s in template.tables))
    table = compute_final_disclosure(accounts, variant).table(spec.id)
    assert table is not None and [c.key for c in table.columns][2:4] == ["initial_total", "adjusted_total"]
    general = [x for x in accounts.lines if x.fund is FinalFund.GENERAL_BUDGET]
    for code in {x.func for x in general}:
        own = [x for x in general if x.func == code]
        row = table.row(code)
        assert row is not None
        assert row.cells["initial_total"].value == wan(sum((x.initial for x in own), Decimal(0)))
        assert row.cells["adjusted_total"].value == wan(sum((x.adjusted for x in own), Decimal(0)))
        assert row.cells["total"].value == wan(sum((x.actual for x in own), Decimal(0)))
    assert any(x.initial != x.adjusted for x in general)  # the example has adjusted lines: the columns differ
    # the unchanged template prints no phase column (its 支出决算表 as the central layout)
    assert "initial_total" not in {c.key for c in disclosure.table(spec.id).columns}  # type: ignore[union-attr]
    # a comparison read from the documents alone takes 全年预算数 from the printed column, as from the source
    budget = source_disclosure(EXAMPLE.with_name("luohu-2020.yaml"))
    printed = compare(budget, replace(disclosure, tables=[table if t.id == spec.id else t for t in disclosure.tables]))
    from_source = compare(budget, disclosure, accounts)
    assert [r.adjusted.value if r.adjusted else None for r in printed.functions] == \
        [r.adjusted.value if r.adjusted else None for r in from_source.functions]
