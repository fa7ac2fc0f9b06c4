"""Narrative rules on documents of other families: they compare only with the tables they can read."""

from __future__ import annotations

from decimal import Decimal

from deptbudget.catalog import load_catalog
from deptbudget.model.disclosure import Cell, CellKind, Column, Disclosure, Part, Row, Section, Table
from deptbudget.review.engine import load_rules
from deptbudget.rules.registry import Finding, RuleContext, RuleSettings, run_rules, settings_for
from deptbudget.template import load_template

TEXT = "2. 公务接待费。2020年预算数9.50万元。"


def t12(*rows: Row) -> Table:
    columns = [Column("year", "年度", CellKind.TEXT), Column("reception", "公务接待费")]
    return Table("T12", "12", "“三公”经费财政拨款预算情况表", columns, rows=list(rows))


def reception(year: str, value: str) -> Row:
    return Row(year, {"year": Cell(year), "reception": Cell(value, Decimal(value), CellKind.AMOUNT)})


def findings(table: Table, rule_id: str = "NAR-THREE-PUBLIC") -> list[Finding]:
    d = Disclosure("shenzhen-15", 2020, "某局", "2020年某局部门预算",
                   parts=[Part(5, "第五部分 “三公”经费财政拨款预算情况", [Section("", [TEXT])])], tables=[table])
    rules = [r for r in load_rules() if r.id == rule_id]
    return run_rules(d, RuleContext(load_catalog(2020), settings_for(load_template("shenzhen-15"))), rules)


def test_a_table_12_without_year_rows_is_not_the_three_public_table() -> None:
    other = Table("T12", "12", "项目支出绩效目标表", [Column("name", "项目名称", CellKind.TEXT)],
                  rows=[Row("1", {"name": Cell("信息化建设")})])
    assert findings(other) == []


def test_the_three_public_table_is_still_compared() -> None:
    assert findings(t12(reception("2020", "9.50"))) == []
    [wrong] = findings(t12(reception("2020", "9.05")))
    assert wrong.expected == "9.05"
    [missing] = findings(t12(reception("2019", "9.50")))
    assert "缺少 2020 年数据行" in missing.message


def test_a_table_in_yuan_is_not_compared_with_a_text_in_wan() -> None:
    table = Table("T3", "3", "支出总表", [Column("code", "科目编码", CellKind.CODE), Column("total", "合计")],
                  rows=[Row("201", {"code": Cell("201"), "total": Cell("134,339,860", Decimal(134339860),
                                                                        CellKind.AMOUNT)})], unit="元")
    d = Disclosure("mof-9", 2026, "上海市审计局", "2026年上海市审计局单位预算",
                   parts=[Part(2, "第二部分 部门预算收支总体情况", [Section("", ["2026年部门预算支出19,577万元。"])])],
                   tables=[table])
    rules = [r for r in load_rules() if r.id == "NAR-TABLE-AMOUNTS"]
    assert run_rules(d, RuleContext(load_catalog(2026), RuleSettings()), rules) == []


def test_a_change_is_not_asked_of_a_three_public_table_without_a_year_column() -> None:
    columns = [Column("reception", "公务接待费")]
    row = Row("2020", {"reception": Cell("9.50", Decimal("9.50"), CellKind.AMOUNT)})
    table = Table("T12", "12", "“三公”经费财政拨款预算情况表", columns, rows=[row])
    d = Disclosure("shenzhen-15", 2020, "某局", "2020年某局部门预算",
                   parts=[Part(5, "第五部分 “三公”经费财政拨款预算情况",
                               [Section("", ["2. 公务接待费。2020年预算数9.50万元，比2019年减少1.00万元。"])])],
                   tables=[table])
    rules = [r for r in load_rules() if r.id == "NAR-THREE-PUBLIC"]
    assert run_rules(d, RuleContext(load_catalog(2020), settings_for(load_template("shenzhen-15"))), rules) == []
    with_year = Table("T12", "12", table.title, [Column("year", "年度", CellKind.TEXT), *columns], rows=[row])
    d2 = Disclosure("shenzhen-15", 2020, "某局", "2020年某局部门预算", parts=d.parts, tables=[with_year])
    [missing] = run_rules(d2, RuleContext(load_catalog(2020), settings_for(load_template("shenzhen-15"))), rules)
    assert "缺少上年或本年" in missing.message


def _growth(sentence: str) -> list[Finding]:
    d = Disclosure("shenzhen-15", 2026, "某局", "2026年某局部门预算",
                   parts=[Part(2, "第二部分 收支预算总体情况", [Section("", [sentence])])], tables=[])
    rules = [r for r in load_rules() if r.id == "NAR-GROWTH-RATE"]
    return run_rules(d, RuleContext(load_catalog(2020), settings_for(load_template("shenzhen-15"))), rules)


def test_a_rate_printed_to_one_place_is_judged_at_that_place() -> None:
    # 11,230.54 ÷ 27,641.25 = 40.63%: "40.6%" is that rate as printed, "40.7%" is not
    assert _growth("2026年本部门收入预算16,410.71万元，比上年减少11,230.54万元，下降40.6%。") == []
    [wrong] = _growth("2026年本部门收入预算16,410.71万元，比上年减少11,230.54万元，下降40.7%。")
    assert wrong.rule == "NAR-GROWTH-RATE" and wrong.expected == "-40.63%"


def _income_table(total: str, unit: str) -> Table:
    columns = [Column("unit", "单位名称", CellKind.TEXT), Column("total", "合计")]
    rows = [Row("total", {"unit": Cell("合计"), "total": Cell(total, Decimal(total), CellKind.AMOUNT)}),
            Row("unit", {"unit": Cell("广州市气象局"), "total": Cell(unit, Decimal(unit), CellKind.AMOUNT)})]
    return Table("T2", "2", "收入总体情况表", columns, rows=rows)


def _income_findings(table: Table, sentence: str) -> list[Finding]:
    d = Disclosure("guangzhou-12", 2026, "广州市气象局", "2026年广州市气象局部门预算",
                   parts=[Part(3, "第三部分 部门预算情况说明", [Section("", [sentence])])], tables=[table])
    rules = [r for r in load_rules() if r.id == "NAR-TABLE-AMOUNTS"]
    return run_rules(d, RuleContext(load_catalog(2026), settings_for(load_template("guangzhou-12"))), rules)


def test_the_departments_income_is_the_total_row_or_the_units_own() -> None:
    # 广州市气象局: 本部门收入预算 is the 合计 of its units; the unit's own row (本级) is smaller
    table = _income_table("7651.71", "2602.16")
    assert _income_findings(table, "2026年本部门收入预算7,651.71万元，比上年减少458.14万元。") == []
    assert _income_findings(table, "2026年本级收入预算2,602.16万元。") == []
    [wrong] = _income_findings(table, "2026年本部门收入预算7,615.71万元。")
    assert wrong.expected == "7,651.71"
