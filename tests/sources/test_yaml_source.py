"""Budget sources: good ones load exactly; bad ones give one located message per problem."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.model.budget import ExpenditureKind, FundSource
from deptbudget.sources.errors import SourceError
from deptbudget.sources.yaml_source import load_budget, parse_budget
from deptbudget.sources.yaml_writer import dump_budget

SMALL = Path(__file__).parent.parent / "fixtures" / "small.yaml"


def small_text() -> str:
    return SMALL.read_text(encoding="utf-8")


def problems_of(text: str) -> list:
    with pytest.raises(SourceError) as info:
        parse_budget(text, "bad.yaml")
    return info.value.problems


def test_small_source_loads_exact_decimals() -> None:
    budget = load_budget(SMALL)
    assert budget.fiscal_year == 2020
    assert budget.unit.name == "测试区科技局"
    first = budget.basic_lines[0]
    assert first.amount == Decimal("1000049.00") and isinstance(first.amount, Decimal)
    assert first.fund_source is FundSource.GENERAL_FUNDS
    assert first.ref.path == "basic[0]" and first.ref.line is not None
    assert [p.pro_code for p in budget.projects] == ["P1", "P2"]
    assert budget.projects[1].lines[0].fund_source is FundSource.INVESTMENT
    assert all(line.kind is ExpenditureKind.PROJECT for line in budget.project_lines)
    indicator = budget.projects[0].indicators[0]
    assert (indicator.direction, indicator.value, indicator.unit) == ("≥", Decimal(10), "场")


def test_yaml_syntax_error_names_line() -> None:
    problems = problems_of(small_text().replace("  name: 测试区科技局", "  name: [测试区科技局"))
    assert len(problems) == 1
    assert "YAML" in problems[0].message and problems[0].line is not None
    assert "bad.yaml" in str(problems[0])


def test_unknown_code_is_named_with_place() -> None:
    problems = problems_of(small_text().replace('func: "2080501"', 'func: "2089999"'))
    assert [p.place for p in problems] == ["basic[2].func"]
    assert "2089999" in problems[0].message
    assert problems[0].line == small_text().splitlines().index(
        '  - {func: "2080501", eco: "30302", amount: 50.00}') + 1


def test_code_with_wrong_length() -> None:
    problems = problems_of(small_text().replace('eco: "30201"', 'eco: "302"'))
    assert problems[0].place == "basic[1].eco" and "5" in problems[0].message


@pytest.mark.parametrize("amount, words", [("abc", "不是金额"), ("-5.00", "负数"), ("12.345", "两位小数"),
                                           (".inf", "不是金额"), ("-.Inf", "不是金额"), (".nan", "不是金额"),
                                           ("1:30.5", "不是金额"), ("1.0e+400", "金额过大"),
                                           ("1" + "0" * 29, "金额过大")])
def test_bad_amounts(amount: str, words: str) -> None:
    problems = problems_of(small_text().replace("amount: 99951.00", f"amount: {amount}"))
    assert [p.place for p in problems] == ["basic[1].amount"]
    assert words in problems[0].message


@pytest.mark.parametrize("year", [".inf", ".nan", "2020.0"])
def test_fiscal_year_that_is_no_year(year: str) -> None:
    problems = problems_of(small_text().replace("fiscal_year: 2020", f"fiscal_year: {year}"))
    assert problems[0].place == "fiscal_year" and "四位年份" in problems[0].message


def test_missing_required_fields_each_reported() -> None:
    text = small_text().replace("  name: 测试区科技局\n", "").replace("    group: 科普工作\n", "")
    places = {p.place for p in problems_of(text)}
    assert {"unit.name", "projects[0].group"} <= places


def test_income_not_equal_expenditure() -> None:
    problems = problems_of(small_text().replace("general_funds: 3000000.00", "general_funds: 3000100.00"))
    assert len(problems) == 1
    assert problems[0].place == "income" and "≠" in problems[0].message and "100.00" in problems[0].message


def test_income_by_source_must_match_spending_from_it() -> None:
    text = small_text().replace("general_funds: 3000000.00\n  investment: 250.00",
                                "general_funds: 2999750.00\n  investment: 500.00")
    problems = problems_of(text)
    assert sorted(p.place for p in problems) == ["income.general_funds", "income.investment"]
    assert "政府投资项目拨款" in " ".join(p.message for p in problems)


def test_unknown_fund_source_and_duplicate_project() -> None:
    text = small_text().replace("fund: investment", "fund: lottery").replace("code: P2", "code: P1")
    messages = " ".join(p.message for p in problems_of(text))
    assert "lottery" in messages


def test_many_problems_reported_together() -> None:
    text = small_text().replace('func: "2080501"', 'func: "2089999"').replace("amount: 99951.00", "amount: x")
    assert len(problems_of(text)) == 2


def test_not_a_mapping_and_missing_file(tmp_path: Path) -> None:
    assert "映射" in problems_of("- just\n- a list\n")[0].message
    with pytest.raises(SourceError) as info:
        load_budget(tmp_path / "nope.yaml")
    assert "不存在" in str(info.value)


def test_plain_yaml_numbers_become_exact_decimals() -> None:
    text = small_text().replace("amount: 50.00", "amount: 50.10").replace("3000000.00", "3000000.10")
    budget = parse_budget(text, "f.yaml")
    assert budget.basic_lines[2].amount == Decimal("50.10")
    assert all(type(line.amount) is Decimal for line in budget.lines)


def test_writer_round_trip() -> None:
    budget = load_budget(SMALL)
    text = dump_budget(budget)
    again = parse_budget(text, "again.yaml")
    assert dump_budget(again) == text
    assert [line.amount for line in again.lines] == [line.amount for line in budget.lines]
    assert again.projects[0].indicators == budget.projects[0].indicators


def test_duplicate_key_is_refused_with_both_lines() -> None:
    problems = problems_of(small_text().replace("fiscal_year: 2020\n", "fiscal_year: 2020\nfiscal_year: 2021\n"))
    assert len(problems) == 1 and problems[0].line == 3 and "fiscal_year 重复，上一处在第 2 行" in problems[0].message
    inline = problems_of(small_text().replace("amount: 99951.00}", "amount: 99951.00, amount: 5}"))
    assert "amount 重复" in inline[0].message


def test_merge_keys_may_still_be_overridden() -> None:
    text = small_text().replace("  staffing: {authorized: 5, actual: 4, retired: 1}",
                        "  staffing: {<<: {authorized: 9, actual: 4}, authorized: 5, retired: 1}")
    assert parse_budget(text, "ok.yaml").unit.staffing.authorized == 5


@pytest.mark.parametrize("old, new, place", [("  name: 测试区科技局", "  name: {a: b}", "unit.name"),
                                             ("work_goals: [推动科技创新。]", "work_goals: [推动科技创新。, [x]]",
                                              "unit.work_goals[1]")])
def test_text_field_given_a_structure(old: str, new: str, place: str) -> None:
    problems = problems_of(small_text().replace(old, new))
    assert [p.place for p in problems] == [place] and "应为文字" in problems[0].message


@pytest.mark.parametrize("before, after, place", [
    ("three_public:", "three_publik:", "three_publik"),
    ("  head: 张三", "  heads: 张三", "unit.heads"),
    ("    group: 科普工作", "    groop: 科普工作", "projects[0].groop"),
    ('eco: "30201", amount: 99951.00}', 'eco: "30201", amont: 99951.00}', "basic[1].amont"),
])
def test_misspelt_field_is_a_located_problem(before: str, after: str, place: str) -> None:
    problems = problems_of(small_text().replace(before, after, 1))
    assert place in [p.place for p in problems]
    assert all(p.line for p in problems if p.place == place)
