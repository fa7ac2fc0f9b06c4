"""Form tables (``importers.forms``): fields, then the indicator rows under their levels."""

from __future__ import annotations

from deptbudget.importers.forms import form_rows
from deptbudget.importers.report import TableReport
from deptbudget.importers.source import Location, SourceLine
from deptbudget.template import load_template


def _line(*cells: str) -> SourceLine:
    return SourceLine(list(cells), Location(page=1))


def test_indicators_start_at_their_header_line_when_the_heading_is_printed_in_the_middle() -> None:
    # a converted page prints the merged 绩效指标 | 成本指标 | 经济成本 cells in the middle of their rows
    spec = load_template("yantai-12").table("S13")
    assert spec is not None
    lines = [_line("项目名称", "医疗设备及耗材购置等"), _line("年度预算资金总额：", "1149.00"),
             _line("总体目标", "采购医院正常发展所需的设备和服务"),
             _line("一级指标", "二级指标", "三级指标", "指标值"),
             _line("", "", "采购服务成本", "≤116.00万元"),
             _line("绩效指标", "成本指标", "经济成本", ""),
             _line("", "", "设备购置成本", "≤36.00万元")]
    rows = form_rows(spec, lines, TableReport("S13", "13", "政策和项目预算绩效目标表", Location(page=1)))
    names = [r.cells["name"].text for r in rows if "name" in r.cells and r.cells["name"].text]
    assert names == ["采购服务成本", "设备购置成本"]  # no indicator lost before the 绩效指标 line, none named 绩效指标
    assert next(r for r in rows if r.key == "goals").cells["value"].text == "采购医院正常发展所需的设备和服务"
    cost = next(r for r in rows if "name" in r.cells and r.cells["name"].text == "设备购置成本")
    assert (cost.cells["level1"].text, cost.cells["level2"].text) == ("成本指标", "经济成本")
