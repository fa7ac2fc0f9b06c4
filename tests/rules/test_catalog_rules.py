"""CAT rules judge a document by the catalog of its own year: a name the code carried before is an old
name (a warning in the year it changed, an error later), an old code is reported with its new one, and
numbering or bracket width is no difference. A catalog with a known history stands in for the data."""

from __future__ import annotations

import pytest

from deptbudget.catalog import KINDS, Catalog, Change, load_catalog
from deptbudget.catalog.lookup import History
from deptbudget.model.disclosure import Cell, CellKind, Column, Disclosure, Part, Row, Section, Table
from deptbudget.review.engine import load_rules
from deptbudget.rules.catalog_rules import coded_rows, judge
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
    return Catalog(year, entries, History({2020: CHANGES}), partial=base.partial)


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


def eco_table(rows: list[tuple[str, str, str, str]], table_id: str = "T6") -> Table:
    """A 烟台 一般公共预算基本支出表: 部门预算经济分类 code and name, 政府预算经济分类 code and name on one row."""
    columns = [Column("code", "科目编码", CellKind.TEXT), Column("name", "部门预算支出经济分类科目名称", CellKind.TEXT),
               Column("gov_code", "科目编码", CellKind.TEXT),
               Column("gov_name", "政府预算支出经济分类科目名称", CellKind.TEXT)]
    return Table(table_id, table_id.lstrip("TS"), "一般公共预算基本支出情况表", columns,
                 rows=[Row(code, {"code": Cell(code), "name": Cell(name), "gov_code": Cell(gov_code),
                                  "gov_name": Cell(gov_name)}) for code, name, gov_code, gov_name in rows])


def yantai(*tables: Table, year: int = 2020) -> Disclosure:
    return Disclosure("yantai-12", year, "某局", f"{year} 年某局部门预算", tables=list(tables))


def yantai_findings(d: Disclosure, rule: str, year: int = 2020) -> list[Finding]:
    rules = [r for r in load_rules() if r.id == rule]
    return run_rules(d, RuleContext(load_catalog(year), load_settings("yantai-12")), rules)


GOOD_ROWS = [("301", "工资福利支出", "501", "机关工资福利支出"), ("30101", "基本工资", "50101", "工资奖金津补贴"),
             ("30102", "津贴补贴", "50101", "工资奖金津补贴"), ("30113", "住房公积金", "50103", "住房公积金")]


def test_government_economic_codes_are_judged_by_their_own_catalog() -> None:
    d = yantai(eco_table(GOOD_ROWS), eco_table(GOOD_ROWS, "S10"))  # S10 (基本支出预算表) has no role: the columns say
    assert yantai_findings(d, "CAT-CODE") == [] and yantai_findings(d, "CAT-NAME") == []
    wrong = eco_table([*GOOD_ROWS, ("30201", "办公费", "50202", "办公经费"),
                       ("30299", "其他商品和服务支出", "50298", "其他")])
    [code] = yantai_findings(yantai(wrong), "CAT-CODE")
    assert code.message == "2020 年政府预算支出经济分类科目中没有编码 50298" and code.row == "30299 / 50298"
    [name] = yantai_findings(yantai(wrong), "CAT-NAME")
    assert (name.row, name.column, name.expected, name.actual) == ("30201 / 50202", "政府预算支出经济分类科目名称",
                                                                   "会议费", "办公经费")


def test_a_repeated_government_code_is_one_pair_per_table() -> None:
    rows = [*GOOD_ROWS, ("30103", "奖金", "50101", "工资奖金津贴"), ("30107", "绩效工资", "50101", "工资奖金津贴")]
    assert [f.row for f in yantai_findings(yantai(eco_table(rows)), "CAT-NAME")] == ["30103 / 50101"]


def test_old_government_economic_name_is_an_old_name() -> None:
    """503 机关资本性支出（一） is 机关资本性支出 in the 2026 catalog: an old name, a warning in its first year."""
    rows = [("310", "资本性支出", "503", "机关资本性支出（一）"), ("31002", "办公设备购置", "50306", "设备购置")]
    [found] = yantai_findings(yantai(eco_table(rows), year=2026), "CAT-NAME", 2026)
    assert found.message.startswith("科目 503 的名称“机关资本性支出（一）”是旧名称（2026 年更名为“机关资本性支出”）")
    assert found.severity is Severity.WARNING
    assert yantai_findings(yantai(eco_table(rows), year=2025), "CAT-NAME", 2025) == []


def test_an_economic_tree_printing_government_codes_is_judged_by_that_catalog() -> None:
    """Which catalog a tree's code belongs to comes from the code: 5xx 政府预算, 3xx 部门预算经济分类."""
    table = eco_table([])
    table.columns = table.columns[:2]
    for code, name in [("501", "机关工资福利支出"), ("50101", "工资奖金津补贴"), ("50102", "社会保险缴费")]:
        table.rows.append(Row(code, {"code": Cell(code), "name": Cell(name)}))
    [found] = yantai_findings(yantai(table), "CAT-NAME")
    assert (found.row, found.expected, found.actual) == ("50102", "社会保障缴费", "社会保险缴费")
    assert yantai_findings(yantai(table), "CAT-CODE") == []


def test_a_joined_code_and_name_column_is_read() -> None:
    """北京 prints ``50101-工资奖金津补贴`` in one column (``gov_eco``), and the 部门经济分类 ``30101-基本工资`` and
    支出功能分类 ``2010801-行政运行`` in columns whose headings name their catalogs."""
    columns = [Column("project", "支出功能分类科目", CellKind.TEXT),
               Column("gov_eco", "政府支出经济分类科目", CellKind.TEXT),
               Column("code", "部门支出经济分类科目", CellKind.TEXT)]
    rows = [("2010801-行政运行", "50101-工资奖金津补贴", "30101-基本工资"),
            ("2010801-行政运行", "50201-办公经费", "30201-办公费"),
            ("2010801-行政运行", "50299-其他商品服务支出", "30299-其他")]
    table = Table("T3", "3", "支出总表", columns,
                  rows=[Row(f"{p}:{c}", {"project": Cell(p), "gov_eco": Cell(g), "code": Cell(c)}) for p, g, c in rows])
    d = Disclosure("beijing-13", 2026, "某局", "2026 年某局部门预算", tables=[table])
    rules = [r for r in load_rules() if r.id == "CAT-NAME"]
    gov, dep = run_rules(d, RuleContext(load_catalog(2026), load_settings("beijing-13")), rules)
    assert (gov.row, gov.column, gov.expected) == ("30299-其他 / 50299", "政府支出经济分类科目", "其他商品和服务支出")
    assert (dep.row, dep.column, dep.expected, dep.actual) == ("30299", "部门支出经济分类科目", "其他商品和服务支出",
                                                               "其他")
    kinds = {(p.kind, p.code) for p in coded_rows(d, RuleContext(load_catalog(2026), load_settings("beijing-13")))}
    assert {("exp_func", "2010801"), ("dep_bgt_eco", "30101"), ("gov_bgt_eco", "50101")} <= kinds


def test_income_codes_where_a_column_says_so() -> None:
    columns = [Column("income_code", "收入分类科目编码", CellKind.TEXT),
               Column("income_name", "科目名称", CellKind.TEXT)]
    rows = [("101", "税收收入"), ("10101", "增值税"), ("103", "非税收入"), ("10304", "行政事业性收费"),
            ("10398", "其他"), ("109", "其他收入"), ("10397", "行政事业性收费收入")]
    table = Table("T2", "2", "收入总表", columns,
                  rows=[Row(c, {"income_code": Cell(c), "income_name": Cell(n)}) for c, n in rows])
    d = yantai(table)
    assert [(f.row, f.expected) for f in yantai_findings(d, "CAT-NAME")] == [("10304", "行政事业性收费收入")]
    found = {f.actual: f for f in yantai_findings(d, "CAT-CODE")}
    assert found["109"].message == "2020 年收入分类科目中没有编码 109"  # no such 类: the 类 are all known
    assert found["109"].severity is Severity.ERROR
    # 收入分类 is shipped as far as budget documents print it (catalog.yaml ``partial``): a 款 the data lacks
    # under a known 类 cannot be proved wrong — a note saying so …
    assert found["10398"].severity is Severity.NOTE
    assert found["10398"].message.startswith(
        "本系统 2020 年收入分类科目数据中没有编码 10398（其他）；它所属的类 103 非税收入")
    # … unless the name printed is that of another 款 of the 类: a wrong code
    assert found["10397"].severity is Severity.ERROR and found["10397"].message == "2020 年收入分类科目中没有编码 10397"


def test_an_unknown_xiang_under_a_known_kuan_is_a_note_where_the_data_is_partial(example: Disclosure) -> None:
    """A 项 our 支出功能分类 data lacks (the official catalog has more) is no proven error; in a kind whose data
    is complete (部门预算经济分类) an unknown code stays one."""
    table = example.table("T7")
    assert table is not None
    row = next(r for r in table.rows if r.key == "2060499")
    row.cells["code"], row.key = Cell("2060497"), "2060497"  # no successor recorded for 2060497
    row.cells["name"] = Cell("其他技术研究与开发支出")  # still the name of 2060499: the code is wrong
    [found] = findings(example, "CAT-CODE", 2021)
    assert found.severity is Severity.ERROR
    row.cells["name"] = Cell("量子信息研究支出")  # a name of no 项 of 20604: perhaps a 项 our data lacks
    [found] = findings(example, "CAT-CODE", 2021)
    assert found.severity is Severity.NOTE and "它所属的款 20604 技术研究与开发 存在" in found.message
    row.cells["name"] = Cell("产业技术研究与开发")  # the name of 2060403: the code is wrong
    [found] = findings(example, "CAT-CODE", 2021)
    assert found.severity is Severity.ERROR
    catalog = load_catalog(2021)
    assert "exp_func" in catalog.partial and "dep_bgt_eco" not in catalog.partial


def test_a_code_or_name_a_later_change_may_already_have_made_is_no_finding(example: Disclosure) -> None:
    """2060208 科技人才队伍建设 is recorded as added in 2026 (the first documents that print it) but may be from
    2021 on (change_dates.csv): a 2023 document printing it gets no CAT-CODE or CAT-NAME finding; a 2020 one does,
    and so does the code printed under another name."""
    def shipped(rule: str, year: int) -> list[Finding]:
        rules = [r for r in load_rules() if r.id == rule]
        return run_rules(example, RuleContext(load_catalog(year), load_settings("shenzhen-15")), rules)

    table = example.table("T7")
    assert table is not None
    row = next(r for r in table.rows if r.key == "2060499")
    row.cells["code"], row.key = Cell("2060208"), "2060208"
    row.cells["name"] = Cell("科技人才队伍建设")
    assert shipped("CAT-CODE", 2023) == [] and shipped("CAT-NAME", 2023) == []
    [found] = shipped("CAT-CODE", 2020)
    assert "2060208" in found.message
    row.cells["name"] = Cell("科技人才建设")
    [found] = shipped("CAT-NAME", 2023)
    assert found.expected == "科技人才队伍建设"
