"""An HTML page converted from print (positioned text boxes, no table markup) is read like a PDF
page (``importers.positioned``): lines by their top, cells by their gaps, tables by shared columns."""

from __future__ import annotations

from deptbudget.importers.html import html_lines
from deptbudget.importers.positioned import is_positioned, positioned_lines


def _box(top: float, left: float, text: str, size: float = 8.0) -> str:
    return f'<div class="p" style="top:{top}pt;left:{left}pt;line-height:{size}pt;font-size:{size}pt;">{text}</div>'


def _page(*boxes: str) -> str:
    return '<div class="page" style="width:842.0pt;height:595.0pt;">' + "".join(boxes) + "</div>"


ROWS = [("201", "一般公共服务支出", "2,731.79", "1,950.29"), ("20108", "审计事务", "2,731.79", "1,950.29"),
        ("2010801", "行政运行", "1,535.85", "1,535.85")]
TABLE = [_box(120 + 18 * i, x, text) for i, row in enumerate([("科目编码", "科目名称", "合计", "基本支出"), *ROWS])
         for x, text in zip((70, 170, 420, 520), row, strict=True)]
PAGES = _page(_box(80, 300, "支出总体情况表", 13), *TABLE) + _page(_box(80, 300, "名词解释", 13))
DOCUMENT = f"<html><body>{PAGES}</body></html>"


def test_boxes_become_table_rows() -> None:
    assert is_positioned(DOCUMENT)
    lines, pages = positioned_lines(DOCUMENT)
    assert pages == 2
    cells = [[c for c in line.cells if c] for line in lines]
    assert ["201", "一般公共服务支出", "2,731.79", "1,950.29"] in cells
    assert ["2010801", "行政运行", "1,535.85", "1,535.85"] in cells
    widths = {len(line.cells) for line in lines if any(c == "合计" for c in line.cells) or
              any(c == "行政运行" for c in line.cells)}
    assert widths == {4}  # the header and the rows share the table's columns


def test_flowing_html_is_not_positioned() -> None:
    page = "<html><body><h1>2026年部门预算</h1><table><tr><td>合计</td><td>1.00</td></tr></table></body></html>"
    assert not is_positioned(page)
    assert html_lines(page)
