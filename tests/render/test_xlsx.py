"""The XLSX workbook, read back with openpyxl cell by cell and checked against the Disclosure."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from deptbudget.model.disclosure import Cell, CellKind, Disclosure, RowKind, Table
from deptbudget.model.money import round_half_up
from deptbudget.render import xlsx
from deptbudget.render.form_grid import layout_for
from deptbudget.render.grid import table_grid
from deptbudget.render.xlsx import (
    AMOUNT_FORMAT,
    INFO_SHEET,
    normalized_header,
    sheet_layout,
    sheet_names,
    write_xlsx,
)

INVALID = set("[]:*?/\\")


def merged(ws: Worksheet) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def ref(row: int, col: int, last_row: int | None = None, last_col: int | None = None) -> str:
    """0-based positions → "A1" or "A1:B2"."""
    first = f"{get_column_letter(col + 1)}{row + 1}"
    if last_row is None or last_col is None or (last_row, last_col) == (row, col):
        return first
    return f"{first}:{get_column_letter(last_col + 1)}{last_row + 1}"


def check_amount(ws: Worksheet, row: int, col: int, cell: Cell, where: str) -> None:
    got = ws.cell(row + 1, col + 1)
    if cell.is_blank:
        assert got.value is None, where
    elif cell.value is None:
        assert got.value == cell.text, where
    else:
        assert isinstance(got.value, int | float), where
        assert got.number_format == AMOUNT_FORMAT, where
        # back to the same 2-decimal value
        assert round_half_up(Decimal(repr(float(got.value)))) == round_half_up(cell.value), where


def check_text(ws: Worksheet, row: int, col: int, text: str, where: str) -> None:
    got = ws.cell(row + 1, col + 1).value
    assert (got if got is not None else "") == text, where
    assert got is None or isinstance(got, str), where


def check_official_form(ws: Worksheet, table: Table) -> None:
    """A form table in its official layout: every cell of the shared grid at its place, merged as
    printed, amounts stored as numbers; the title rows repeated on every printed page."""
    grid = table_grid(table, split_lines=True)
    top = sheet_layout(table, []).body_row
    ranges = merged(ws)
    for cell in grid.cells:
        r, c = top + cell.row, cell.col
        if cell.rowspan > 1 or cell.colspan > 1:
            assert ref(r, c, r + cell.rowspan - 1, c + cell.colspan - 1) in ranges, (table.id, cell.text)
        found = ws.cell(r + 1, c + 1).value
        if cell.kind is CellKind.AMOUNT and cell.text:
            assert isinstance(found, (int, float)) and Decimal(str(found)) == Decimal(cell.text.replace(",", ""))
        else:
            assert (found or "") == cell.text, (table.id, r, c)
    assert ws.print_title_rows == f"$1:${top}"
    for r in range(top, top + grid.nrows):
        height = ws.row_dimensions[r + 1].height
        assert height is None or height <= 409


def check_sheet(ws: Worksheet, table: Table, unit_name: str) -> None:
    if layout_for(table) is not None:
        check_official_form(ws, table)
        return
    layout = sheet_layout(table)
    header = normalized_header(table)
    last = layout.ncols - 1
    ranges = merged(ws)
    assert ws.cell(1, 1).value == f"表{table.number} {table.title}"
    assert ws.cell(1, 1).font.b
    if last:
        assert ref(0, 0, 0, last) in ranges
    if table.subtitle:
        assert ws.cell(layout.subtitle_row + 1, 1).value == table.subtitle
    unit_row = layout.unit_row + 1
    assert ws.cell(unit_row, 1).value.startswith(f"单位名称：{table.unit_name or unit_name}")
    assert f"单位：{table.unit}" in str(ws.cell(unit_row, layout.ncols).value)
    for h in header:
        r, c = layout.header_row + h.row, h.col
        assert ws.cell(r + 1, c + 1).value == h.text, table.id
        if h.rowspan > 1 or h.colspan > 1:
            assert ref(r, c, r + h.rowspan - 1, c + h.colspan - 1) in ranges, table.id
    if layout.header_height:
        assert ws.freeze_panes == ref(layout.body_row, 0)
    assert ws.print_title_rows == f"$1:${layout.body_row}"  # title, unit line and header on every page
    for i, row in enumerate(table.rows):
        r = layout.body_row + i
        where = f"{table.id}/{table.instance}/{row.key}"
        if table.layout == "form" and row.kind is RowKind.HEADING:
            check_text(ws, r, 0, row.cells["label"].text, where)
            if last:
                assert ref(r, 0, r, last) in ranges, where
            continue
        if table.layout == "form" and row.kind is RowKind.FIELD:
            check_text(ws, r, 0, row.cells["label"].text, where)
            value = row.cells["value"]
            if value.kind is CellKind.AMOUNT:
                check_amount(ws, r, 1, value, where)
            else:
                check_text(ws, r, 1, value.text, where)
            if last > 1:
                assert ref(r, 1, r, last) in ranges, where
            continue
        for c, column in enumerate(table.columns):
            cell = row.cell(column.key)
            if column.kind is CellKind.AMOUNT or cell.kind is CellKind.AMOUNT:
                check_amount(ws, r, c, cell, f"{where}/{column.key}")
            else:
                check_text(ws, r, c, cell.text, f"{where}/{column.key}")
    after = layout.body_row + len(table.rows)
    if table.empty:
        assert ws.cell(after + 1, 1).value == (table.empty_note or "本表无数据。")
        assert ref(after, 0, after, last) in ranges or last == 0
        after += 1
    for note in table.notes:
        assert ws.cell(after + 1, 1).value == note
        after += 1
    assert ws.max_row <= after
    assert ws.page_setup.paperSize == 9
    assert ws.page_setup.orientation == ("landscape" if table.landscape else "portrait")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # None: Excel's default 1


def check_workbook(d: Disclosure, path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    assert names[0] == INFO_SHEET
    assert len(names) == len(d.tables) + 1
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert len(name) <= 31 and not (set(name) & INVALID), name
    info = wb[INFO_SHEET]
    assert info.cell(1, 1).value == d.title
    values = {info.cell(r, 1).value: info.cell(r, 2).value for r in range(1, info.max_row + 1)}
    assert values["单位名称"] == d.unit_name
    assert values["预算年度"] == d.fiscal_year
    assert values["金额单位"] == "万元"
    for table, name in zip(d.tables, names[1:], strict=True):
        assert name.startswith(f"表{table.number}")
        check_sheet(wb[name], table, d.unit_name)


def test_workbook_matches_disclosure(small_disclosure: Disclosure, tmp_path: Path) -> None:
    path = write_xlsx(small_disclosure, tmp_path / "out.xlsx")
    check_workbook(small_disclosure, path)


def test_large_workbook_matches_disclosure(large_disclosure: Disclosure, tmp_path: Path) -> None:
    check_workbook(large_disclosure, write_xlsx(large_disclosure, tmp_path / "large.xlsx"))


def test_example_workbook_matches_disclosure(example_disclosure: Disclosure, tmp_path: Path) -> None:
    d = example_disclosure
    path = write_xlsx(d, tmp_path / "luohu-2020.xlsx")
    check_workbook(d, path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[1] == "表1 收支预算总表"
    assert wb.sheetnames[-1] == f"表15-{len(d.tables_by_id('T15'))} 项目支出绩效目标表"
    t1 = wb["表1 收支预算总表"]
    assert {"A3:B3", "C3:D3"} <= merged(t1)
    last = 4 + len(d.table("T1").rows)
    assert [c.value for c in t1[last]] == ["收入总计", 17144.13, "支出总计", 17144.13]
    t14 = wb["表14 部门整体支出绩效目标表"]
    row = next(r for r in t14.iter_rows() if r[1].value == "资金总额")
    assert row[0].value == "部门总体资金情况（万元）"
    assert row[2].value == 17144.13 and row[2].number_format == AMOUNT_FORMAT


def test_concrete_positions(small_disclosure: Disclosure, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(write_xlsx(small_disclosure, tmp_path / "out.xlsx"))
    assert wb.sheetnames == ["说明", "表7 一般公共预算支出情况表", "表8 政府性基金预算支出情况表",
                             "表15-1 项目支出绩效目标表", "表15-2 项目支出绩效目标表"]
    ws = wb["表7 一般公共预算支出情况表"]
    assert merged(ws) == {"A1:F1", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:F3"}
    assert [c.value for c in ws[2]] == ["单位名称：罗湖区科技创新局", None, None, None, None, "单位：万元"]
    assert [c.value for c in ws[5]] == ["罗湖区科技创新局", None, None, 17144.13, 718.83, 16425.3]
    assert ws["D5"].font.b and not ws["D6"].font.b  # total bold
    assert [c.value for c in ws[8]] == [None, "2013299", "其他组织事务支出", 303.18, None, 303.18]
    assert ws["B8"].data_type == "s"  # codes stay text
    assert ws["C8"].alignment.indent == 2 and ws["C7"].alignment.indent == 1 and not ws["C6"].alignment.indent
    assert ws.freeze_panes == "A5"
    form = wb["表15-1 项目支出绩效目标表"]
    assert form["A2"].value == "2020 年度"
    assert form["A3"].value == "单位名称：罗湖区科技创新局"  # no header row: the body starts on row 4
    assert form["B4"].value == "产业转型升级资金" and "B4:E4" in merged(form)
    assert form["B5"].value == 13800 and form["B5"].number_format == AMOUNT_FORMAT
    assert form["A7"].value == "年度绩效指标" and "A7:E7" in merged(form)
    assert form.freeze_panes is None
    empty = wb["表8 政府性基金预算支出情况表"]
    assert empty["A5"].value == "本单位无政府性基金预算支出，本表为空表。" and "A5:F5" in merged(empty)
    width = {k: v.width for k, v in ws.column_dimensions.items()}
    assert width["C"] > width["B"]  # CJK names get wider columns


def test_amounts_are_rounded_half_up_at_the_boundary(small_disclosure: Disclosure, tmp_path: Path) -> None:
    cells = small_disclosure.tables[0].rows[0].cells
    cells["basic"] = Cell(text="1.01", value=Decimal("1.005"), kind=CellKind.AMOUNT)
    cells["project"] = Cell(text="", value=Decimal(0), kind=CellKind.AMOUNT)  # zero printed blank
    cells["total"] = Cell(text="1,7144.13", value=None, kind=CellKind.AMOUNT, parse_error="separator")
    ws = openpyxl.load_workbook(write_xlsx(small_disclosure, tmp_path / "out.xlsx"))["表7 一般公共预算支出情况表"]
    assert ws["E5"].value == 1.01
    assert ws["F5"].value is None
    assert ws["D5"].value == "1,7144.13"
    assert xlsx.excel_number(Decimal("0.125")) == 0.13
    assert xlsx.excel_number(Decimal("-2.675")) == -2.68


def test_sheet_names_are_valid_and_unique() -> None:
    def table(number: str, title: str, instance: str | None = None) -> Table:
        return Table(id=f"T{number}", number=number, title=title, columns=[], instance=instance)

    tables = [
        table("1", "收支预算总表"),
        table("2", "一个非常非常非常非常非常非常非常非常非常长的表格标题：含有[非法]字符*?/\\"),
        table("3", "一个非常非常非常非常非常非常非常非常非常长的表格标题：含有[非法]字符*?/\\"),
        table("3", "一个非常非常非常非常非常非常非常非常非常长的表格标题：含有[非法]字符*?/\\"),
        table("15", "项目支出绩效目标表", "P1"),
        table("", "说明"),
        table("4", "'quoted'"),
    ]
    names = sheet_names(tables)
    assert names[0] == "表1 收支预算总表"
    assert names[4] == "表15-1 项目支出绩效目标表"
    assert names[2].startswith("表3-1 ") and names[3].startswith("表3-2 ")
    assert len({n.lower() for n in names} | {"说明"}) == len(names) + 1
    for name in names:
        assert 0 < len(name) <= 31 and not (set(name) & INVALID), name
        assert not name.startswith("'") and not name.endswith("'")


def test_failure_leaves_no_half_written_file(
    small_disclosure: Disclosure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old")

    def broken(workbook, d):  # type: ignore[no-untyped-def]
        workbook.add_worksheet("x")
        raise RuntimeError("boom")

    monkeypatch.setattr(xlsx, "_build", broken)
    with pytest.raises(RuntimeError, match="boom"):
        write_xlsx(small_disclosure, path)
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_display_width() -> None:
    assert xlsx.display_width("abc") == 3
    assert xlsx.display_width("科目名称") == 8
    assert xlsx.display_width("短\n较长的一行") == 10


def test_cjk_font_numbers_and_no_internals(example_disclosure: Disclosure, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(write_xlsx(example_disclosure, tmp_path / "e.xlsx"))
    fonts = {c.font.name for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert fonts == {xlsx.FONT_NAME}
    info = wb[INFO_SHEET]
    texts = " ".join(str(c.value) for row in info.iter_rows() for c in row if c.value is not None)
    for internal in ("examples/", ".yaml", "catalog_year", "模板", "shenzhen-15", "source"):
        assert internal not in texts, internal
    numbers = [row[0].value for row in info.iter_rows() if isinstance(row[0].value, (int, float))]
    assert numbers[:15] == list(range(1, 16))
