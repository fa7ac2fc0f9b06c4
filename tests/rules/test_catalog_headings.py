"""Columns whose heading names their catalog: 北京's ``code-name`` columns (a local 7-digit 经济分类 code under
a national 款 is accepted, under an unknown 款 it is not), a name cut where its cell wrapped, and 西安's lists
of 类 names without codes (``…（按大类）``), judged by name."""

from __future__ import annotations

import pytest

from deptbudget.catalog import load_catalog
from deptbudget.model.disclosure import Cell, CellKind, Column, Disclosure, Row, Table
from deptbudget.review.engine import load_rules
from deptbudget.rules.catalog_headings import heading_kind, is_class_list, judge_class_name, name_key
from deptbudget.rules.registry import Finding, RuleContext, Severity, load_settings, run_rules


def beijing(rows: list[tuple[str, str, str]], year: int = 2026) -> Disclosure:
    """A 北京 支出总表: 功能分类, 政府经济分类 and 部门经济分类 each printed as ``code-name``."""
    columns = [Column("project", "支出功能分类科目", CellKind.TEXT),
               Column("gov_eco", "政府支出经济分类科目", CellKind.TEXT),
               Column("code", "部门支出经济分类科目", CellKind.TEXT)]
    table = Table("T3", "3", "支出总表", columns,
                  rows=[Row(f"{p}:{c}", {"project": Cell(p), "gov_eco": Cell(g), "code": Cell(c)}) for p, g, c in rows])
    return Disclosure("beijing-13", year, "某局", f"{year} 年某局部门预算", tables=[table])


def cat(d: Disclosure, rule: str, template: str = "beijing-13") -> list[Finding]:
    rules = [r for r in load_rules() if r.id == rule]
    return run_rules(d, RuleContext(load_catalog(d.fiscal_year), load_settings(template)), rules)


@pytest.mark.parametrize(("label", "kind"), [("支出功能分类科目", "exp_func"), ("部门支出经济分类科目", "dep_bgt_eco"),
                                             ("部门预算支出经济分类科目（按大类）", "dep_bgt_eco"),
                                             ("政府预算支出经济分类科目", "gov_bgt_eco"), ("项目名称", None)])
def test_heading_kind(label: str, kind: str | None) -> None:
    assert heading_kind(Column("c", label, CellKind.TEXT)) == kind
    assert heading_kind(Column("c", label, CellKind.AMOUNT)) is None
    assert is_class_list(Column("c", label, CellKind.TEXT)) == ("按大类" in label)


def test_a_local_code_under_a_known_kuan_is_accepted() -> None:
    rows = [("2010801-行政运行", "50201-办公经费", "3021101-差旅费"),
            ("2010801-行政运行", "50202-会议费", "3021503-三类会议费")]
    assert cat(beijing(rows), "CAT-CODE") == [] and cat(beijing(rows), "CAT-NAME") == []


def test_a_local_code_under_an_unknown_kuan_is_an_error() -> None:
    rows = [("2010801-行政运行", "50201-办公经费", "3029801-某费")]
    [found] = cat(beijing(rows), "CAT-CODE")
    assert found.message == "编码 3029801 所属的款 30298 不在 2026 年部门预算支出经济分类科目中"
    assert (found.row, found.actual, found.severity) == ("3029801", "3029801", Severity.ERROR)


def test_a_name_cut_where_its_cell_wrapped_is_the_official_name() -> None:
    """北京 prints ``2080506-机关事业单位职业年金`` / ``缴费支出`` on two lines of one cell."""
    rows = [("2080506-机关事业单位职业年金", "50102-社会保障缴费", "30109-职业年金缴费")]
    assert cat(beijing(rows), "CAT-NAME") == []
    rows = [("2080506-机关", "50102-社会保障缴费", "30109-职业年金缴费")]  # too short to tell
    assert [f.row for f in cat(beijing(rows), "CAT-NAME")] == ["2080506"]


def xian(items: list[str], key: str = "dep_eco_item", label: str = "部门预算支出经济分类科目（按大类）",
         year: int = 2026) -> Disclosure:
    columns = [Column("income_item", "项目", CellKind.TEXT), Column(key, label, CellKind.TEXT)]
    table = Table("A1", "1", "部门综合预算收支总表", columns,
                  rows=[Row(f"r{i}", {"income_item": Cell(""), key: Cell(text)}) for i, text in enumerate(items)])
    return Disclosure("xian-16", year, "某局", f"{year} 年某局部门预算", tables=[table])


def test_class_names_of_the_year_and_the_tables_own_groups_say_nothing() -> None:
    items = ["一、部门预算", "1、人员经费和公用经费支出", "(1)工资福利支出", "(3)对个人和家庭的补助",
             "(5)资本性支出(基本建设", "2、专项业务经费支出", "其他资本性支出", "本年支出合计"]
    assert cat(xian(items), "CAT-NAME", "xian-16") == []
    functions = ["1、一般公共服务支出", "22、国有资本经营", "23、灾害防治及应急"]
    assert cat(xian(functions, "exp_item", "支出功能分类科目（按大类）"), "CAT-NAME", "xian-16") == []


def test_a_name_like_a_class_name_is_a_warning() -> None:
    [found] = cat(xian(["(3)对个人和家庭的补助", "(3)对个人和家庭补助"]), "CAT-NAME", "xian-16")
    assert found.message == ("“(3)对个人和家庭补助”不是 2026 年部门预算支出经济分类科目的科目名称"
                             "（近似：对个人和家庭的补助）")
    assert (found.table, found.row) == ("表1", "(3)对个人和家庭补助")
    assert found.column == "部门预算支出经济分类科目（按大类）"
    assert found.severity is Severity.WARNING
    names = [f.row for f in cat(xian(["债务付息及费用支出", "债务付息及费用支出"]), "CAT-NAME", "xian-16")]
    assert names == ["债务付息及费用支出"]  # each name once per table


def test_an_old_class_name_is_an_old_name() -> None:
    """503 机关资本性支出（一） is 机关资本性支出 from 2026 on: a warning that year, an error the next."""
    d = xian(["3、机关资本性支出（一）"], "gov_eco_item", "政府预算支出经济分类科目（按大类）", year=2026)
    [found] = cat(d, "CAT-NAME", "xian-16")
    assert found.message.startswith("科目名称“3、机关资本性支出（一）”是旧名称（2026 年更名为“机关资本性支出”）")
    assert found.severity is Severity.WARNING and found.expected == "机关资本性支出"
    d = xian(["3、机关资本性支出（一）"], "gov_eco_item", "政府预算支出经济分类科目（按大类）", year=2025)
    assert cat(d, "CAT-NAME", "xian-16") == []


def test_judge_class_name() -> None:
    catalog = load_catalog(2026)
    assert judge_class_name(catalog, "exp_func", name_key("一般公共服务"))[0] == "exact"  # type: ignore[index]
    assert judge_class_name(catalog, "exp_func", name_key("行政运行"))[0] == "exact"  # type: ignore[index]
    assert judge_class_name(catalog, "dep_bgt_eco", name_key("人员经费和公用经费支出")) is None
    status, official, _ = judge_class_name(catalog, "gov_bgt_eco", name_key("对社保基金补助"))  # type: ignore[misc]
    assert status == "resembling" and official is not None and official.code == "510"
