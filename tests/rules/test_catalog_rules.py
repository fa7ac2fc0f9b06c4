"""CAT rules judge a document by the catalog of its own year: a name the code carried before is an old
name (a warning in the year it changed, an error later), an old code is reported with its new one, and
numbering or bracket width is no difference. A catalog with a known history stands in for the data."""

from __future__ import annotations

import pytest

from deptbudget.catalog import KINDS, Catalog, Change, load_catalog
from deptbudget.catalog.lookup import History
from deptbudget.model.disclosure import Cell, Disclosure, Part, Section
from deptbudget.review.engine import load_rules
from deptbudget.rules.catalog_rules import judge
from deptbudget.rules.registry import Finding, RuleContext, Severity, load_settings, run_rules

CHANGES = [Change(2020, "exp_func", "renamed", "20604", "技术研究与开发", "", "技术与开发", "catalog:2020"),
           Change(2020, "exp_func", "recoded", "2060499", "其他技术研究与开发支出", "2060498", "其他技术与开发支出",
                  "catalog:2020"),
           Change(2020, "exp_func", "renamed", "2069999", "其他科学技术支出", "", "其他科学技术支出项目",
                  "catalog:2020"),
           Change(2020, "dep_bgt_eco", "renamed", "309", "资本性支出（基本建设）", "", "基本建设支出", "catalog:2020")]


def catalog_of(year: int) -> Catalog:
    """The 2020 entries, as if 20604 was 技术与开发 and 2060499 was 2060498 until 2019."""
    base = load_catalog(2020)
    entries = {kind: {e.code: e for e in base.entries(kind)} for kind in KINDS}
    return Catalog(year, entries, History({2020: CHANGES}))


def findings(disclosure: Disclosure, rule: str, year: int = 2020) -> list[Finding]:
    rules = [r for r in load_rules() if r.id == rule]
    return run_rules(disclosure, RuleContext(catalog_of(year), load_settings("shenzhen-15")), rules)


def set_name(example: Disclosure, code: str, name: str) -> None:
    table = example.table("T7")
    assert table is not None
    next(r for r in table.rows if r.key == code).cells["name"].text = name


def test_judge_statuses() -> None:
    cat = catalog_of(2021)
    assert judge(cat, "exp_func", "20604", "技术研究与开发").status == "exact"
    assert judge(cat, "exp_func", "20604", "（二）技术研究与开发").status == "exact"
    old = judge(cat, "exp_func", "20604", "技术与开发")
    assert old.status == "old_name" and old.former is not None and old.former.renamed_in == 2020
    assert judge(cat, "exp_func", "20604", "技术与研究开发").status == "wrong"
    moved = judge(cat, "exp_func", "2060498", "其他技术与开发支出")
    assert moved.status == "old_code" and moved.successor is not None and moved.successor.code == "2060499"
    assert judge(cat, "exp_func", "2069998", "某某").status == "unknown"


@pytest.mark.parametrize(("year", "severity"), [(2020, Severity.WARNING), (2021, Severity.ERROR)])
def test_old_name_is_reported_as_such(example: Disclosure, year: int, severity: Severity) -> None:
    set_name(example, "20604", "技术与开发")
    [found] = findings(example, "CAT-NAME", year)
    assert found.message.startswith("科目 20604 的名称“技术与开发”是旧名称（2020 年更名为“技术研究与开发”）")
    assert (found.expected, found.actual, found.severity) == ("技术研究与开发", "技术与开发", severity)


def test_another_name_is_wrong(example: Disclosure) -> None:
    set_name(example, "20604", "技术与研究开发")
    [found] = findings(example, "CAT-NAME")
    assert "不是 2020 年规范名称" in found.message and found.severity is Severity.ERROR


def test_numbering_and_bracket_width_are_no_difference(example: Disclosure) -> None:
    set_name(example, "206", "一、科学技术支出")
    set_name(example, "20604", "（二）技术研究与开发")
    set_name(example, "2060101", "1.行政运行(科学技术管理事务)")
    set_name(example, "2060499", "[2060499]其他技术研究与开发支出")  # its own code in front (广州)
    assert findings(example, "CAT-NAME") == []
    set_name(example, "2060499", "[2060498]其他技术研究与开发支出")  # another code is part of the name
    assert [f.row for f in findings(example, "CAT-NAME")] == ["2060499"]


@pytest.mark.parametrize(("year", "severity"), [(2020, Severity.WARNING), (2021, Severity.ERROR)])
def test_old_code_is_reported_with_the_new_one(example: Disclosure, year: int, severity: Severity) -> None:
    table = example.table("T7")
    assert table is not None
    row = next(r for r in table.rows if r.key == "2060499")
    row.cells["code"], row.key = Cell("2060498"), "2060498"
    [found] = findings(example, "CAT-CODE", year)
    assert found.message.startswith("编码 2060498 是旧编码（2020 年改为 2060499 其他技术研究与开发支出）")
    assert (found.expected, found.actual, found.severity) == ("2060499", "2060498", severity)


def test_old_name_in_the_text_comes_from_the_catalog() -> None:
    text = "技术与开发15.00万元，主要用于科技项目。"
    d = Disclosure("shenzhen-15", 2021, "某局", "2021 年某局部门预算",
                   parts=[Part(3, "第三部分", [Section("", [text])])])
    [found] = findings(d, "TEXT-OLD-NAME", 2021)
    assert found.message == "科目“技术与开发”是旧名称（2020 年更名），2021 年的名称为“技术研究与开发”（20604）"
    assert found.expected == "技术研究与开发" and found.severity is Severity.ERROR
    [first_year] = findings(d, "TEXT-OLD-NAME", 2020)
    assert first_year.severity is Severity.WARNING


@pytest.mark.parametrize("text", [
    "科技成果转化与扩散：反映……以及基本建设支出中用于支持企业科技自主创新的支出。",  # an old 经济分类 name: prose
    "主要用于其他科学技术支出项目。",  # an old name holding the new one reads the same
])
def test_text_old_names_are_those_of_functions_that_do_not_hold_the_new_name(text: str) -> None:
    d = Disclosure("shenzhen-15", 2021, "某局", "2021 年某局部门预算",
                   parts=[Part(3, "第三部分", [Section("", [text])])])
    assert findings(d, "TEXT-OLD-NAME", 2021) == []
