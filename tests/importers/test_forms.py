"""The form reader (绩效目标表): fields, a table printed inside the form, the indicators; a form whose indicator
header prints a 实施周期 value column before the year's gives each row both values, the year's as the target and
the period's as the extra column period_target."""

from __future__ import annotations

from decimal import Decimal

from deptbudget.importers.forms import PERIOD_TARGET, form_rows, read_form
from deptbudget.importers.report import TableReport
from deptbudget.importers.source import Location, SourceLine
from deptbudget.template import load_template


def _line(n: int, *cells: str) -> SourceLine:
    return SourceLine(list(cells), Location(line=n))


def _read(lines: list[SourceLine]) -> dict[str, dict[str, str]]:
    spec = next(t for t in load_template("shenzhen-15").tables if t.builder.value == "department_targets")
    report = TableReport(table_id=spec.id, number=spec.number, title=spec.title, where=Location())
    rows = form_rows(spec, lines, report)
    return {r.key: {k: c.text for k, c in r.cells.items()} for r in rows if r.key.startswith("indicator[")}


def test_a_period_value_column_is_its_own_cell() -> None:
    rows = _read([
        _line(1, "部门名称", "某局"),
        _line(2, "绩效指标"),
        _line(3, "一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值"),
        _line(4, "产出指标", "数量指标", "举措数量（条）", "≥40", "≥20"),
        _line(5, "服务企业次数", "全年≥10000家次", "全年≥8000家次"),
        _line(6, "成本指标", "经济成本指标", "项目预算控制率", "≤100%", "≤100%"),
    ])
    assert rows["indicator[0]"]["target"] == "≥20" and rows["indicator[0]"][PERIOD_TARGET.key] == "≥40"
    assert rows["indicator[1]"]["name"] == "服务企业次数" and rows["indicator[1]"]["target"] == "全年≥8000家次"
    assert (rows["indicator[2]"]["level1"], rows["indicator[2]"]["level2"]) == ("成本指标", "经济成本指标")


def test_a_form_with_one_value_column_has_no_period_cell() -> None:
    rows = _read([
        _line(1, "绩效指标"),
        _line(2, "一级指标", "二级指标", "指标内容", "指标值"),
        _line(3, "产出指标", "数量指标", "举措数量", "≥20条"),
    ])
    assert rows["indicator[0]"]["target"] == "≥20条" and PERIOD_TARGET.key not in rows["indicator[0]"]


def _fields(lines: list[SourceLine]) -> dict[str, tuple[str, str]]:
    spec = next(t for t in load_template("shenzhen-15").tables if t.builder.value == "department_targets")
    report = TableReport(table_id=spec.id, number=spec.number, title=spec.title, where=Location())
    return {r.key: (r.cells["label"].text, r.cells["value"].text) for r in form_rows(spec, lines, report)
            if "value" in r.cells}


def test_amounts_under_header_lines_are_fields_named_by_their_columns() -> None:
    fields = _fields([
        _line(1, "部门名称", "", "某局", "", "", "", "", ""),
        _line(2, "总体资金情况（万元）", "", "预算支出总额", "财政拨款", "", "", "其他资金", ""),
        _line(3, "", "", "", "合计", "基本支出", "项目支出", "合计", "基本支出"),
        _line(4, "", "", "30.50", "30.00", "10.00", "20.00", "0.50", "0.50"),
        _line(5, "整体绩效目标", "做好某项工作。"),
    ])
    assert fields["unit"] == ("部门名称", "某局")
    assert fields["total"] == ("预算支出总额", "30.50")
    assert fields["fiscal_basic"] == ("财政拨款基本支出", "10.00")  # 财政拨款 spans 合计 基本支出 项目支出
    assert fields["other_basic"] == ("其他资金基本支出", "0.50")
    assert "basic" not in fields  # the department's 基本支出 is not printed: no field says it
    assert fields["goals"][1] == "做好某项工作。"


def test_a_list_with_a_money_column_inside_a_form_is_rows_of_named_columns() -> None:
    spec = next(t for t in load_template("shenzhen-15").tables if t.builder.value == "department_targets")
    report = TableReport(table_id=spec.id, number=spec.number, title=spec.title, where=Location())
    rows, extra = read_form(spec, [
        _line(1, "部门名称", "某局"),
        _line(2, "年度重点工作任务", "名称", "主要实施内容", "拟投入的资金（万元）", "期望达到的目标"),
        _line(3, "", "热线服务", "运营热线平台", "12,000.00", "接通率提升"),
        _line(4, "年度重点工作任务", "", "政务云", "统筹基础设施", "1,756.90", "稳定运行", ""),  # next page, shifted
        _line(5, "绩效指标"),
        _line(6, "产出指标", "数量指标", "举措数量", "≥20条"),
    ], report)
    assert [(c.key, c.label) for c in extra] == [
        ("c1", "名称"), ("c2", "主要实施内容"), ("amount", "拟投入的资金（万元）"), ("c4", "期望达到的目标")]
    tasks = [r for r in rows if r.key.startswith("年度重点工作任务[")]
    assert [(r.cells["c1"].text, r.cells["amount"].value) for r in tasks] == [
        ("热线服务", Decimal("12000.00")), ("政务云", Decimal("1756.90"))]
    assert any(r.key == "indicator[0]" for r in rows)


def test_a_list_whose_money_column_is_divided_under_its_header() -> None:
    """西安 表15 (气象局 p.32): 预算金额（万元） over 总额 | 财政拨款 其他资金, a task name wrapped onto a line of its
    own (国突预警发布及十四运气象 / 服务保障), a 金额合计 row."""
    spec = next(t for t in load_template("xian-16").tables if t.id == "A15")
    report = TableReport(table_id=spec.id, number=spec.number, title=spec.title, where=Location())
    rows, extra = read_form(spec, [
        _line(1, "部门（单位）名称", "某局"),
        _line(2, "年度 主要 任务", "任务名称", "主要内容", "", "预算金额（万元）"),
        _line(3, "", "", "", "", "总额", "财政拨款 其他资金"),
        _line(4, "", "基本履职", "人员及运转", "", "508.61", "508.61"),
        _line(5, "", "国突预警发布及十四运气象", "平台维持", "", "94.25", "94.25"),
        _line(6, "", "服务保障"),
        _line(7, "", "金额合计", "", "", "602.86", "602.86"),
        _line(8, "年度总体目标", "目标 1：认真履职。"),
    ], report)
    assert [(c.key, c.label, c.kind.value) for c in extra] == [
        ("c1", "任务名称", "text"), ("c2", "主要内容", "text"), ("amount", "预算金额（万元） 总额", "amount"),
        ("c5", "财政拨款 其他资金", "amount")]
    tasks = [r for r in rows if r.key.startswith("年度主要任务[")]
    assert [(r.cells["c1"].text, r.cells["amount"].value, r.cells["c5"].value) for r in tasks] == [
        ("基本履职", Decimal("508.61"), Decimal("508.61")),
        ("国突预警发布及十四运气象服务保障", Decimal("94.25"), Decimal("94.25")),
        ("金额合计", Decimal("602.86"), Decimal("602.86"))]


def _cells(*cells: str) -> SourceLine:
    return SourceLine(list(cells), Location(page=1), exact=True)


def test_a_table_inside_the_form_runs_into_no_field_and_the_indicator_header_starts_the_indicators() -> None:
    """Xi'an's 部门整体支出绩效目标表: the unit, a table of the year's tasks, then the indicators under their
    header row with no heading above it."""
    spec = load_template("xian-16").table("A15")
    report = TableReport(spec.id, spec.number, spec.title, Location(page=1))
    rows = form_rows(spec, [
        _cells("部门（单位）名称", "某市审计局"),
        _cells("年度主要任务", "任务名称", "主要内容", "预算金额（万元）"),
        _cells("总额", "财政拨款", "其他资金"),
        _cells("机关运转", "人员经费及公用经费。", "3354.42", "3354.42"),
        _cells("一级指标", "二级指标", "三级指标", "指标值"),
        _cells("成本指标", "经济成本指标", "市内外勤经费标准（元/人/天）", "35"),
    ], report)
    unit = next(r for r in rows if r.key == "unit")
    assert unit.cells["value"].text == "某市审计局"
    [indicator] = [r for r in rows if r.key.startswith("indicator[")]
    assert (indicator.cells["name"].text, indicator.cells["target"].text) == ("市内外勤经费标准（元/人/天）", "35")
    assert len(report.skipped) == 3


def _page_line(*cells: str) -> SourceLine:
    return SourceLine(list(cells), Location(page=1))


def test_indicators_start_at_their_header_line_when_the_heading_is_printed_in_the_middle() -> None:
    # a converted page prints the merged 绩效指标 | 成本指标 | 经济成本 cells in the middle of their rows
    spec = load_template("yantai-12").table("S13")
    assert spec is not None
    lines = [_page_line("项目名称", "医疗设备及耗材购置等"), _page_line("年度预算资金总额：", "1149.00"),
             _page_line("总体目标", "采购医院正常发展所需的设备和服务"),
             _page_line("一级指标", "二级指标", "三级指标", "指标值"),
             _page_line("", "", "采购服务成本", "≤116.00万元"),
             _page_line("绩效指标", "成本指标", "经济成本", ""),
             _page_line("", "", "设备购置成本", "≤36.00万元")]
    rows = form_rows(spec, lines, TableReport("S13", "13", "政策和项目预算绩效目标表", Location(page=1)))
    names = [r.cells["name"].text for r in rows if "name" in r.cells and r.cells["name"].text]
    assert names == ["采购服务成本", "设备购置成本"]  # no indicator lost before the 绩效指标 line, none named 绩效指标
    assert next(r for r in rows if r.key == "goals").cells["value"].text == "采购医院正常发展所需的设备和服务"
    cost = next(r for r in rows if "name" in r.cells and r.cells["name"].text == "设备购置成本")
    assert (cost.cells["level1"].text, cost.cells["level2"].text) == ("成本指标", "经济成本")
