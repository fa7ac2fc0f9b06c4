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


def _document(*boxes: str) -> str:
    return _page(_box(80, 300, "收支总体情况表", 13), *boxes) + _page(_box(80, 300, "名词解释", 13))


def _cells(document: str) -> list[list[str]]:
    return [[c for c in line.cells if c] for line in positioned_lines(document)[0]]


def test_a_cell_wrapped_over_two_lines_centred_on_its_row_is_one_cell() -> None:
    size = 7.5
    rows = [_box(200, 60, "05", size), _box(196, 80, "机关事业单位基本养老保", size), _box(204, 80, "险缴费支出", size),
            _box(200, 200, "904.32", size), _box(200, 250, "904.32", size)]
    header = [_box(180, 80, "科目名称", size), _box(180, 200, "合计", size), _box(180, 250, "小计", size)]
    cells = _cells(_document(*header, *rows))
    assert ["05", "机关事业单位基本养老保险缴费支出", "904.32", "904.32"] in cells


def test_an_amount_ending_close_to_the_next_box_is_a_cell_of_its_own() -> None:
    # a right-aligned amount (half an em a character) ends 0.5 em before the next cell's label
    size = 9.0
    rows = [(_box(120 + 18 * i, 40, left, size), _box(120 + 18 * i, 200, amount, size),
             _box(120 + 18 * i, 200 + 0.5 * size * (len(amount) + 1), right, size))
            for i, (left, amount, right) in enumerate([("一、财政拨款收入", "28,685.65", "一、一般公共服务支出"),
                                                       ("一般公共预算收入", "28,467.65", "二、外交支出")])]
    lines = positioned_lines(_document(*(box for row in rows for box in row)))[0]
    line = next(line for line in lines if "28,685.65" in line.cells)
    assert [c for c in line.cells if c] == ["一、财政拨款收入", "28,685.65", "一、一般公共服务支出"]


def test_a_letter_spaced_label_is_one_cell() -> None:
    size = 8.0
    boxes = [_box(120, 40, "合", size), _box(120, 40 + 2 * size, "计", size), _box(120, 200, "1,000.00", size),
             _box(138, 40, "小计", size), _box(138, 200, "500.00", size)]
    cells = _cells(_document(*boxes))
    assert ["合 计", "1,000.00"] in cells


def test_rows_with_one_side_of_a_two_sided_table_empty_stay_in_the_table() -> None:
    size = 9.0
    rows = [("一、财政拨款收入", "100.00", "一、一般公共服务支出", "60.00"), ("", "", "二、外交支出", ""),
            ("", "", "三、公共安全支出", ""), ("", "", "四、教育支出", "40.00"),
            ("收入总计", "100.00", "支出总计", "100.00")]
    boxes = [_box(120 + 18 * i, x, text, size) for i, row in enumerate(rows)
             for x, text in zip((40, 200, 300, 500), row, strict=True) if text]
    lines = positioned_lines(_document(*boxes))[0]
    assert ["", "", "三、公共安全支出", ""] in [line.cells for line in lines]


def test_paragraphs_are_body_text_on_pages_full_of_smaller_table_rows() -> None:
    rows = [_box(120 + 18 * i, x, text, 7.5) for i in range(12)
            for x, text in ((40, f"2010{i:02d}"), (120, "行政运行"), (300, "1,000.00"), (400, "500.00"))]
    text = _page(_box(80, 300, "支出总体情况表", 13), *rows) + _page(
        _box(100, 60, "一、预算收支增减变化情况说明", 14),
        *(_box(140 + 28 * i, 60, f"第{i}段，2026年收入预算35,874.49万元，比上年减少32,298.02万元。", 14)
          for i in range(3)))
    lines, _ = positioned_lines(text)
    roles = {line.cells[0][:3]: line.hints.get("role") for line in lines if line.cells[0].startswith("第")}
    assert roles and set(roles.values()) == {"paragraph"}
