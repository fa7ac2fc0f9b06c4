"""Reading a workbook skips openpyxl's styling of merged cells' borders (``importers.merged_cells``): the lines
read are those of a workbook loaded as openpyxl loads it otherwise, and loads outside the reader are left as
they were (their merged cells styled)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Border, Side

from deptbudget.importers.merged_cells import borders_of_merged_cells_skipped
from deptbudget.importers.xlsx import sheet_lines, workbook_lines

THIN = Side(style="thin")


def _workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "部门收支总表"
    sheet["A1"] = "部门收支总表"
    sheet["A1"].border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    sheet.merge_cells("A1:F1")
    sheet.append(["项目", "金额", None, "项目", "金额"])
    sheet.merge_cells("B2:C2")
    for row in range(3, 9):
        sheet.append([f"收入{row}", row * 1000.5, None, f"支出{row}", row * 1000.5])
        sheet.cell(row, 2).number_format = "#,##0.00"
    sheet["H12"].border = Border(bottom=THIN)  # an empty merged range past the last value: it sets the extent
    sheet.merge_cells("G10:H12")
    book.save(path)
    return path


def test_the_lines_read_are_those_of_a_plain_load(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "收支总表.xlsx")
    plain = load_workbook(path, data_only=True)
    expected = [line for ws in plain.worksheets for line in sheet_lines(ws)]
    assert plain.active.max_row == 12 and plain.active.max_column == 8
    assert plain.active["B1"].border.top.style == "thin"  # a plain load styles the covered cells
    with borders_of_merged_cells_skipped():
        skipped = load_workbook(path, data_only=True)
    assert skipped.active["B1"].border.top.style is None  # skipped inside the block
    assert (skipped.active.max_row, skipped.active.max_column) == (12, 8)
    assert workbook_lines(path) == expected
    assert any(line.spans for line in expected)
    assert load_workbook(path, data_only=True).active["B1"].border.top.style == "thin"  # outside: as before
