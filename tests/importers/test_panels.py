"""Tables printed in panels side by side (a 基本支出决算表: 人员经费 | 公用经费 | …), unfolded into one list."""

from __future__ import annotations

from deptbudget.importers.panels import panel_count, panel_totals, unfold
from deptbudget.importers.source import Location, SourceLine
from deptbudget.model.disclosure import PANEL_TOTAL, Cell, CellKind, HeaderCell, Row, RowKind

LABELS = ("科目代码", "科目名称", "决算数")


def _header(panels: int, labels: tuple[str, ...] = LABELS) -> list[list[HeaderCell]]:
    return [[HeaderCell(text, 0, panel * len(labels) + col) for panel in range(panels)
             for col, text in enumerate(labels)]]


def _line(n: int, *cells: str) -> SourceLine:
    return SourceLine(list(cells), Location(line=n))


BODY = [
    _line(1, "301", "工资福利支出", "6,982.75", "302", "商品和服务支出", "2,239.41", "310", "资本性支出", "27.24"),
    _line(2, "30101", "基本工资", "1,857.40", "30201", "办公费", "83.92", "31002", "办公设备购置", "24.67"),
    _line(3, "", "", "", "30299", "其他商品和服务支出", "484.52"),
    _line(4, "人员经费合计", "", "7,967.72", "公用经费合计", "", "", "", "", "2,266.65"),
]


def test_panels_are_counted_by_the_repeated_header() -> None:
    assert panel_count(_header(3), BODY, 3) == 3
    assert panel_count(_header(1, LABELS * 2 + ("合计",)), BODY, 3) == 1  # labels that do not repeat: one table
    assert panel_count(_header(1), BODY[:1][:0], 3) == 1


def test_unfolded_panel_after_panel_each_closing_with_its_own_total() -> None:
    header, body = unfold(_header(3), BODY, 3, 3)
    assert [cell.text for cell in header[0]] == list(LABELS)
    assert [line.cells for line in body] == [
        ["301", "工资福利支出", "6,982.75"], ["30101", "基本工资", "1,857.40"], ["人员经费合计", "", "7,967.72"],
        ["302", "商品和服务支出", "2,239.41"], ["30201", "办公费", "83.92"], ["30299", "其他商品和服务支出", "484.52"],
        # the amount printed under the third panel's column belongs to the second panel's total
        ["公用经费合计", "", "2,266.65"],
        ["310", "资本性支出", "27.24"], ["31002", "办公设备购置", "24.67"]]
    assert [line.where.line for line in body] == [1, 2, 4, 1, 2, 3, 4, 1, 2]


def _total(label: str, amount: str) -> Row:
    return Row("total", {"code": Cell(label), "total": Cell(amount, kind=CellKind.AMOUNT)}, RowKind.TOTAL)


def test_panel_totals_are_subtotals_keyed_by_their_labels() -> None:
    rows = panel_totals([_total("人员经费合计", "7,967.72"), _total("公用经费合计", "2,266.65")])
    assert [(row.key, row.kind) for row in rows] == [(f"{PANEL_TOTAL}人员经费合计", RowKind.SUBTOTAL),
                                                     (f"{PANEL_TOTAL}公用经费合计", RowKind.SUBTOTAL)]
    single = panel_totals([_total("合计", "10,234.37")])
    assert [(row.key, row.kind) for row in single] == [("total", RowKind.TOTAL)]
