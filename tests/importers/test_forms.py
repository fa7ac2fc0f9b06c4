"""The form reader (绩效目标表): fields, a table printed inside the form, the indicators."""

from __future__ import annotations

from deptbudget.importers.forms import form_rows
from deptbudget.importers.report import TableReport
from deptbudget.importers.source import Location, SourceLine
from deptbudget.template import load_template


def _line(*cells: str) -> SourceLine:
    return SourceLine(list(cells), Location(page=1), exact=True)


def test_a_table_inside_the_form_runs_into_no_field_and_the_indicator_header_starts_the_indicators() -> None:
    """Xi'an's 部门整体支出绩效目标表: the unit, a table of the year's tasks, then the indicators under their
    header row with no heading above it."""
    spec = load_template("xian-16").table("A15")
    report = TableReport(spec.id, spec.number, spec.title, Location(page=1))
    rows = form_rows(spec, [
        _line("部门（单位）名称", "某市审计局"),
        _line("年度主要任务", "任务名称", "主要内容", "预算金额（万元）"),
        _line("总额", "财政拨款", "其他资金"),
        _line("机关运转", "人员经费及公用经费。", "3354.42", "3354.42"),
        _line("一级指标", "二级指标", "三级指标", "指标值"),
        _line("成本指标", "经济成本指标", "市内外勤经费标准（元/人/天）", "35"),
    ], report)
    unit = next(r for r in rows if r.key == "unit")
    assert unit.cells["value"].text == "某市审计局"
    [indicator] = [r for r in rows if r.key.startswith("indicator[")]
    assert (indicator.cells["name"].text, indicator.cells["target"].text) == ("市内外勤经费标准（元/人/天）", "35")
    assert len(report.skipped) == 3
