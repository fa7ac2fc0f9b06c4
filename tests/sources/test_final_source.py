"""The final-accounts source: 年初预算数 from the budget it names, actuals joined to its lines, clear errors."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.model.budget import ExpenditureKind
from deptbudget.model.final_actuals import FinalFund
from deptbudget.sources.errors import SourceError
from deptbudget.sources.final_source import is_final_source, load_final
from deptbudget.sources.yaml_source import load_budget

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "small.yaml"
EXAMPLE = ROOT / "examples" / "luohu-2020-final.yaml"

GOOD = f"""\
fiscal_year: 2020
budget: {SMALL}
expenditure:
  basic:
    - {{func: "2060101", eco: "30101", actual: "990,000.00"}}
    - {{func: "2060101", eco: "30201", actual: "88,000.00"}}
    - {{func: "2080501", eco: "30302", adjusted: "60.00", actual: "60.00"}}
  projects:
    - {{project: P1, actual: "1,700,000.00"}}
    - {{project: P2, actual: "250.00"}}
balances:
  - {{func: "2060702", fund: general_budget, start: "100,000.00", end: "150,000.00"}}
three_public:
  actual: {{reception: "12,000.00", vehicle_operation: "9,000.00"}}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "final.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(SourceError) as caught:
        load_final(_write(tmp_path, text))
    return [str(p) for p in caught.value.problems]


def test_initial_amounts_come_from_the_budget(tmp_path: Path) -> None:
    accounts = load_final(_write(tmp_path, GOOD))
    budget = load_budget(SMALL)
    by_key = {(x.kind, x.func, x.eco, x.pro_code): x for x in accounts.lines}
    for line in budget.lines:
        actual = by_key[(line.kind, line.exp_func_code, line.dep_bgt_eco_code, line.pro_code)]
        assert actual.initial == line.amount and actual.budget_refs == (line.ref.path,)
    retired = by_key[(ExpenditureKind.BASIC, "2080501", "30302", None)]
    assert (retired.initial, retired.adjusted, retired.actual) == (Decimal(50), Decimal(60), Decimal(60))
    wages = by_key[(ExpenditureKind.BASIC, "2060101", "30101", None)]
    assert wages.adjusted == wages.initial  # 全年预算数 defaults to 年初预算数
    assert wages.phases.execution_rate == (Decimal(990000) / Decimal("1000049.00") * 100).quantize(Decimal("0.01"))


def test_income_is_spending_plus_the_balance_change(tmp_path: Path) -> None:
    accounts = load_final(_write(tmp_path, GOOD))
    spent = sum((x.actual for x in accounts.lines), Decimal(0))
    assert accounts.income[FinalFund.GENERAL_BUDGET] == spent + 150000 - 100000
    assert accounts.income_of(FinalFund.GENERAL_BUDGET, "2060702") == Decimal(1700000 + 50000)
    assert accounts.three_public.initial.reception == Decimal(15000)  # the budget's 三公
    assert accounts.admin_operating.actual == Decimal(88000)  # derived from the 302 actuals


def test_a_missing_budget_file_is_named(tmp_path: Path) -> None:
    problems = _problems(tmp_path, GOOD.replace(str(SMALL), "no-such-budget.yaml"))
    assert len(problems) == 1 and "预算源文件不存在" in problems[0] and "no-such-budget.yaml" in problems[0]
    assert problems[0].startswith(f"{tmp_path / 'final.yaml'}:2: budget")


def test_an_actual_the_budget_lacks_needs_new(tmp_path: Path) -> None:
    text = GOOD.replace('actual: "88,000.00"}', 'actual: "88,000.00"}\n    - {func: "2060101", eco: "30211", '
                                                'actual: "5,000.00"}')
    problems = _problems(tmp_path, text)
    assert len(problems) == 1 and "没有功能分类 2060101、经济分类 30211" in problems[0] and "new: true" in problems[0]
    assert ":7: expenditure.basic[2]" in problems[0]
    accounts = load_final(_write(tmp_path, text.replace('eco: "30211", ', 'eco: "30211", new: true, ')))
    travel = [x for x in accounts.lines if x.eco == "30211"]
    assert len(travel) == 1 and travel[0].new and travel[0].initial == 0 and travel[0].phases.execution_rate is None


def test_a_new_line_the_budget_has_is_refused(tmp_path: Path) -> None:
    problems = _problems(tmp_path, GOOD.replace('- {project: P2, actual', '- {project: P2, new: true, actual'))
    assert any("不是新增" in p for p in problems)


def test_bad_amounts_and_missing_actuals(tmp_path: Path) -> None:
    text = GOOD.replace('actual: "88,000.00"', 'actual: "-5"').replace('actual: "1,700,000.00"', 'actual: "1.234"')
    text = text.replace('    - {project: P2, actual: "250.00"}\n', "")
    problems = _problems(tmp_path, text)
    assert any("basic[1].actual" in p and "负数" in p for p in problems)
    assert any("projects[0].actual" in p and "两位小数" in p for p in problems)
    assert any("projects[1]" in p and "没有决算数" in p for p in problems)  # P2's budget line is left open


def test_typed_income_is_checked(tmp_path: Path) -> None:
    problems = _problems(tmp_path, GOOD + "income: {general_budget: \"1.00\"}\n")
    assert len(problems) == 1 and "与支出及结转结余不符" in problems[0] and "income.general_budget" in problems[0]


def test_a_balance_larger_than_its_use_is_refused(tmp_path: Path) -> None:
    problems = _problems(tmp_path, GOOD.replace('start: "100,000.00"', 'start: "9,000,000.00"'))
    assert any("本年收入将为负数" in p for p in problems)


def test_unknown_fields_and_years(tmp_path: Path) -> None:
    problems = _problems(tmp_path, GOOD.replace("fiscal_year: 2020", "fiscal_year: 2021\nthree_publik: {}"))
    assert any("three_publik" in p and "未知字段" in p for p in problems)
    assert any("与所关闭预算的年度 2020 不同" in p for p in problems)


def test_the_example_is_a_final_source() -> None:
    assert is_final_source(EXAMPLE) and not is_final_source(SMALL)
    accounts = load_final(EXAMPLE)
    assert accounts.fictional and accounts.budget.unit.name == "罗湖区科技创新局"
    rates = [x.phases.execution_rate for x in accounts.lines if x.phases.execution_rate is not None]
    assert sum(1 for r in rates if Decimal(85) <= r <= Decimal(100)) * 10 >= len(rates) * 8  # most lines 85–100 %


def test_other_spending_and_surplus_are_checked(tmp_path: Path) -> None:
    text = GOOD.replace("  projects:", '  other:\n    - {func: "2060101", kind: business_spending, actual: "10.00"}\n'
                                       '    - {func: "2060101", kind: travel, actual: "10.00"}\n'
                                       '    - {func: "2060101", kind: subsidiary, fund: general_budget, '
                                       'actual: "1.00"}\n'
                                       '  projects:')
    text = text.replace("balances:\n", "balances:\n  - {func: \"2060101\", fund: operating, distribution: \"-1\"}\n"
                                      '  - {func: "2060702", fund: general_budget, start: "0", end: "0", '
                                      'used_surplus: "5.00"}\n')
    problems = _problems(tmp_path, text)
    assert any("expenditure.other[1].kind" in p and "travel" in p for p in problems)
    assert any("expenditure.other[2].fund" in p and "对附属单位补助支出不能由一般公共预算财政拨款支付" in p
               for p in problems)
    assert any("used_surplus" in p and "使用非财政拨款结余只用于非财政拨款资金" in p for p in problems)
    assert any("balances[0]" in p and "distribution" in p for p in problems)  # negative amount
    ok = load_final(_write(tmp_path, GOOD.replace("  projects:", '  other:\n    - {func: "2060101", kind: '
                                                                 'business_spending, actual: "10.00"}\n  projects:')))
    (line,) = [x for x in ok.lines if x.kind == "business_spending"]
    assert line.fund is FinalFund.BUSINESS and line.initial == 0 and line.actual == Decimal(10)
