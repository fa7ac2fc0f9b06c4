"""The pieces of structure recovery: printed amounts, table numbers, titles, codes by position."""

from __future__ import annotations

from decimal import Decimal

import pytest

from deptbudget.catalog import load_catalog
from deptbudget.importers.amounts import parse_printed_amount
from deptbudget.importers.codes import TreeResolver
from deptbudget.importers.forms import split_name_target
from deptbudget.importers.numbering import chinese_number, split_number
from deptbudget.importers.recover import _unit_name
from deptbudget.importers.segment import Layout
from deptbudget.importers.source import unwrap
from deptbudget.importers.titles import canonical_title, choose_template, is_final_accounts, title_index
from deptbudget.template import load_template


@pytest.mark.parametrize(("printed", "value", "problem"), [
    ("17,144.13", "17144.13", None),
    ("0.34", "0.34", None),
    ("", "0", None),
    ("-", "0", None),
    ("0", "0", None),
    ("1234", "1234", None),
    ("-12.50", "-12.50", None),
    ("1,7144.13", "17144.13", "千分位"),
    ("17,14.13", "1714.13", "千分位"),
    ("１７，１４４.１３", "17144.13", "全角"),
    ("17 144.13", "17144.13", "空格"),
    ("(12.00)", "-12.00", "负数"),
    ("12.5万元", "12.5", "单位"),
])
def test_printed_amounts(printed: str, value: str, problem: str | None) -> None:
    parsed = parse_printed_amount(printed)
    assert parsed.value == Decimal(value)
    if problem is None:
        assert parsed.error is None
    else:
        assert parsed.error is not None and problem in parsed.error


@pytest.mark.parametrize("printed", ["无", "十二元", "12.3.4", "abc"])
def test_not_an_amount(printed: str) -> None:
    parsed = parse_printed_amount(printed)
    assert parsed.value is None and parsed.error and "不是金额" in parsed.error


@pytest.mark.parametrize(("text", "number", "rest"), [
    ("表.1", "1", ""), ("表. 2", "2", ""), ("表 1", "1", ""), ("表1", "1", ""), ("1.", "1", ""),
    ("表1 收支预算总表", "1", "收支预算总表"), ("表1收支预算总表", "1", "收支预算总表"),
    ("1. 收支预算总表", "1", "收支预算总表"), ("一、部门收支总表", "1", "部门收支总表"),
    ("表一 部门收入总表", "1", "部门收入总表"), ("公开01表 部门收支总表", "1", "部门收支总表"),
    ("公开表一 部门收支总表", "1", "部门收支总表"), ("附表15 项目支出绩效目标表", "15", "项目支出绩效目标表"),
    ("十五、项目支出绩效目标表", "15", "项目支出绩效目标表"), ("表十二", "12", ""),
])
def test_table_numbers(text: str, number: str, rest: str) -> None:
    found = split_number(text)
    assert found is not None and (found.number, found.rest) == (number, rest)


def test_numbers_that_are_not_table_numbers() -> None:
    assert split_number("2020.01.01-2020.12.31") is None
    assert split_number("收支预算总表") is None
    assert chinese_number("二十一") == 21 and chinese_number("十") == 10 and chinese_number("甲") is None


@pytest.mark.parametrize(("a", "b"), [
    ("2025年部门收支总表", "部门收支总表"),
    ("部门收支总体情况表", "收支预算总表"),
    ("罗湖区科技创新局2020年收支预算总表", "收支预算总表"),
    ('一般公共预算"三公"经费支出表', "一般公共预算“三公”经费支出表"),
    ("单位收支总表", "部门收支总表"),
])
def test_title_variants_compare_equal(a: str, b: str) -> None:
    assert canonical_title(a, "罗湖区科技创新局") == canonical_title(b, "罗湖区科技创新局")


def test_title_with_unknown_unit_prefix_matches_the_longest_title() -> None:
    index = title_index()
    assert index.match("shenzhen-15", "某某区教育局财政拨款收支预算总表") == "T6"
    assert index.match("shenzhen-15", "某某区教育局收支预算总表") == "T1"


def test_template_chosen_by_most_tables() -> None:
    seed_titles = ["收支预算总表", "收入预算表", "支出预算表", "基本支出预算表", "财政拨款收支预算总表",
                   "一般公共预算支出情况表", "项目支出绩效目标表"]
    assert choose_template(seed_titles).name == "shenzhen-15"
    assert choose_template(["完全无关的表"]).name is None


def test_final_accounts_titles() -> None:
    assert is_final_accounts("2019年度罗湖区科技创新局部门决算")
    assert is_final_accounts("收入支出决算总表")
    assert not is_final_accounts("收支预算总表")


def test_functional_names_resolved_by_tree_position() -> None:
    resolver = TreeResolver(load_catalog(2020), "exp_func")
    printed = ["科学技术支出", "科学技术管理事务", "行政运行", "技术与开发", "其他技术与开发支出", "科技交流与合作",
               "其他科技交流与合作支出", "其他科学技术支出", "其他科学技术支出", "社会保障和就业支出",
               "行政事业单位离退休"]
    codes = [(resolver.resolve(name) or pytest.fail(name)).code for name in printed]
    assert codes == ["206", "20601", "2060101", "20604", "2060499", "20608", "2060899", "20699", "2069999", "208",
                     "20805"]


def test_class_numbering_keeps_a_name_among_the_classes() -> None:
    """西安 prints its 收支总表's 类 as ``8、社会保障和就业``, ``9、社会保险基金``: the second, numbered as a 类,
    is the 类 209 社会保险基金支出 — no 款 of 208 (补充全国社会保障基金) however near its name."""
    resolver = TreeResolver(load_catalog(2020), "exp_func")
    found = [resolver.resolve(name) for name in ("8、社会保障和就业", "9、社会保险基金", "10、卫生健康")]
    assert [f.code if f else None for f in found] == ["208", "209", "210"]
    resolver = TreeResolver(load_catalog(2020), "exp_func")
    found = [resolver.resolve(name) for name in ("社会保障和就业支出", "补充全国社会保障基金")]  # unnumbered: a 款
    assert [f.code if f else None for f in found] == ["208", "20804"]


def split_name_target_(text: str) -> tuple[str, str]:
    words = load_template("shenzhen-15").vocabulary
    assert words is not None
    return split_name_target(text, words.indicators.target_starts)


def test_unwrap_and_name_target_split() -> None:
    assert unwrap("机关事业单位基本养老保险 缴费支出") == "机关事业单位基本养老保险缴费支出"
    assert unwrap("2020.01.01-2020. 12.31") == "2020.01.01-2020.12.31"
    assert unwrap("R&D 占 GDP 比重") == "R&D 占 GDP 比重"
    assert split_name_target_("全社会研发支出同比增长率约 50%") == ("全社会研发支出同比增长率", "约 50%")
    assert split_name_target_("战略性新兴产业增加值同比提升 5% 左右, 达到约 130 亿元") == (
        "战略性新兴产业增加值", "同比提升 5% 左右, 达到约 130 亿元")
    assert split_name_target_("R&D 占 GDP 比重 0.4%") == ("R&D 占 GDP 比重", "0.4%")
    keep = "加大辖区科普宣传力度, 营造良好的科学氛围"
    assert split_name_target_(keep) == (keep, "")


def test_the_unit_named_on_the_cover_is_kept() -> None:
    from deptbudget.importers.recover import _front_info
    from deptbudget.importers.source import Location, SourceLine

    cover = SourceLine(["预算单位：上海市财务会计综合管理事务中心（上海市财政科学研究所）"], Location(page=1))
    other = SourceLine(["一段不属于任何部分的文字"], Location(page=1))
    info, rest = _front_info([cover, other])
    assert info == {"info.预算单位": "上海市财务会计综合管理事务中心（上海市财政科学研究所）"}
    assert rest == [other]


def test_the_unit_name_from_a_title_that_puts_the_year_after_it() -> None:
    from deptbudget.importers.recover import _unit_name
    from deptbudget.importers.segment import Layout

    assert _unit_name("北京市审计局2026年度部门预算信息公开", Layout(), {}) == "北京市审计局"
    assert _unit_name("2026年北京市审计局部门预算", Layout(), {}) == "北京市审计局"
    assert _unit_name("2020 年罗湖区科技创新局部门预算", Layout(), {}) == "罗湖区科技创新局"


def test_a_template_that_recognises_only_some_tables_of_another_layout_is_not_chosen() -> None:
    from deptbudget.importers.titles import fits

    seed_titles = ["收支预算总表", "收入预算表", "支出预算表", "财政拨款收支预算总表", "一般公共预算支出情况表"]
    others = ["单位财务收支预算总表（按项目）", "某某经费安排情况汇总表", "资金来源明细对照表", "年度任务清单表"]
    choice = choose_template(seed_titles + others)
    assert choice.name is None and choice.rejected is not None and choice.scores[choice.rejected] >= 5
    assert not fits(choice.rejected, seed_titles + others, "")
    # a file that is one half of a disclosure: few tables, every one the family's
    assert choose_template(["收支预算总表", "项目支出绩效目标表"]).name == "shenzhen-15"


def test_the_unit_name_is_the_title_before_its_year() -> None:
    """With no table naming the unit, the title does: what stands before the year (``某局 2021 年部门综合预算``),
    or after it; ``（汇总）`` marks the department's summary, no part of its name."""
    assert _unit_name("中共某市委宣传部 2021 年部门综合预算", Layout(), {}) == "中共某市委宣传部"
    assert _unit_name("某市审计局（汇总） 2026年部门预算公开说明", Layout(), {}) == "某市审计局"
    assert _unit_name("2026年某区科技局部门预算", Layout(), {}) == "某区科技局"
