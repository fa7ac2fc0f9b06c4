"""Write the XLSX entry workbook (预算录入模板) of one unit and fiscal year.

Empty, or filled from an existing budget, with the year's classification catalogs as drop-down
lists (data validation) on a hidden sheet. The sheets are laid out from
``deptbudget.sources.schema``; see ``deptbudget.sources.xlsx_read`` for reading them back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from deptbudget.catalog import load_catalog
from deptbudget.model.budget import FUND_SOURCE_LABELS, Budget, FundSource, Unit
from deptbudget.sources.entry_document import document_records, get_path, template_of
from deptbudget.sources.schema import KV_SHEETS, LEVEL1, LEVEL2, SHEETS, YES_NO
from deptbudget.sources.xlsx_layout import CODES_SHEET, FORMAT, FORMAT_VERSION, MAX_ROWS, META_SHEET
from deptbudget.sources.yaml_writer import budget_to_source


def _document(budget_or_unit: Budget | Unit | Mapping[str, Any] | str, year: int) -> dict[str, Any]:
    if isinstance(budget_or_unit, Budget):
        return budget_to_source(budget_or_unit)
    if isinstance(budget_or_unit, Unit):
        return {"fiscal_year": year, "unit": {"name": budget_or_unit.name,
                                              "agency_code": budget_or_unit.agency_code}}
    if isinstance(budget_or_unit, str):
        return {"fiscal_year": year, "unit": {"name": budget_or_unit}}
    return dict(budget_or_unit)


class _Codes:
    """The hidden 代码表: one column per list, and the validation formula of each."""

    def __init__(self, ws: Worksheet, year: int) -> None:
        catalog = load_catalog(year)
        self.lists: dict[str, list[str]] = {
            "func": [f"{e.code} {e.name}" for e in catalog.entries("exp_func") if len(e.code) == 7],
            "func_any": [f"{e.code} {e.name}" for e in catalog.entries("exp_func")],
            "eco": [f"{e.code} {e.name}" for e in catalog.entries("dep_bgt_eco") if len(e.code) == 5],
            "gov_eco": [f"{e.code} {e.name}" for e in catalog.entries("gov_bgt_eco") if len(e.code) == 5],
            "fund": list(FUND_SOURCE_LABELS.values()),
            "level1": LEVEL1,
            "level2": LEVEL2,
            "bool": YES_NO,
        }
        self.names: dict[str, str] = {}
        for col, (kind, values) in enumerate(self.lists.items(), start=1):
            ws.cell(1, col, kind)
            for row, value in enumerate(values, start=2):
                ws.cell(row, col, value)
            letter = get_column_letter(col)
            self.names[kind] = f"'{CODES_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        self.labels = {code.split(" ", 1)[0]: code for kind in ("func_any", "eco", "gov_eco")
                       for code in self.lists[kind]}

    def label(self, kind: str, code: Any) -> Any:
        if kind in ("func", "func_any", "eco", "gov_eco") and code is not None:
            return self.labels.get(str(code), str(code))
        if kind == "fund" and code is not None:
            try:
                return FundSource(str(code)).label
            except ValueError:
                return str(code)
        return code


def text_as_data(wb: Workbook) -> None:
    """Every cell is data: text starting with ``=`` (which openpyxl takes for a formula) is written
    as text, so a typed ``=HYPERLINK(…)`` neither runs in Excel nor gets lost on reading back."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _cell_value(kind: str, value: Any, codes: _Codes) -> Any:
    if value is None:
        return None
    if kind == "lines":
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if kind == "bool":
        return "是" if value else "否"
    if kind == "amount" and isinstance(value, (int, Decimal)):
        return Decimal(value)
    if kind == "date" and isinstance(value, dt.date):
        return value
    return codes.label(kind, value) if kind in ("func", "func_any", "eco", "gov_eco", "fund") else value


def _validation(ws: Worksheet, kind: str, ref: str, codes: _Codes) -> None:
    if kind in codes.names:
        dv = DataValidation(type="list", formula1=codes.names[kind], allow_blank=True, showErrorMessage=True,
                            errorTitle="请从列表中选择", error="请从下拉列表中选择（catalog value）")
    elif kind == "amount":
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="金额", error="金额应为不小于 0 的数（元，两位小数）")
    elif kind == "int":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="整数", error="应为不小于 0 的整数")
    elif kind == "date":
        dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                            showErrorMessage=True, errorTitle="日期", error="应为日期（YYYY-MM-DD）")
    else:
        return
    dv.add(ref)
    ws.add_data_validation(dv)




def write_entry_template(budget_or_unit: Budget | Unit | Mapping[str, Any] | str, year: int,
                         path: str | Path, unit_code: str | None = None) -> Path:
    """Write the entry template for one unit and fiscal year.

    ``budget_or_unit``: a ``Budget`` (the template comes filled in), a ``Unit`` or a unit name
    (empty template), or a budget source document (mapping). ``unit_code`` (the web system's unit
    code) is recorded in the hidden ``_meta`` sheet so that uploads for another unit are refused."""
    doc = _document(budget_or_unit, year)
    unit = doc.get("unit") or {}
    wb = Workbook()
    guide = wb.active
    guide.title = "填报说明"
    codes_ws = wb.create_sheet(CODES_SHEET)
    codes = _Codes(codes_ws, year)
    codes_ws.sheet_state = "hidden"
    meta = wb.create_sheet(META_SHEET)
    meta_rows = [("format", FORMAT), ("version", FORMAT_VERSION), ("fiscal_year", year),
                 ("unit_code", unit_code or unit.get("agency_code") or ""), ("unit_name", unit.get("name") or ""),
                 ("template", template_of(doc))]
    for row, (key, value) in enumerate(meta_rows, start=1):
        meta.cell(row, 1, key)
        meta.cell(row, 2, value)
    meta.sheet_state = "hidden"

    guide.column_dimensions["A"].width = 110
    lines = [
        f"{year} 年部门预算录入模板 — {unit.get('name') or ''}",
        "",
        "填写说明：",
        "1. 金额一律以“元”为单位，最多两位小数；合计、小计均由系统计算，无需填写。",
        "2. 功能分类、经济分类、资金来源等请从下拉列表中选择（也可只填编码）。",
        "3. 基本支出、项目支出明细每行一个明细；项目信息在“项目”表，金额在“项目支出明细”表。",
        "4. 收入按资金来源填写，须与该来源的支出合计相等。",
        "5. 请勿修改表名、表头，也不要删除隐藏的表；填好后在网站的预算页面上传本文件。",
        "",
        "各表：" + "、".join(list(KV_SHEETS) + [s.name for s in SHEETS.values()]),
    ]
    for row, text in enumerate(lines, start=1):
        cell = guide.cell(row, 1, text)
        if row == 1:
            cell.font = Font(bold=True, size=14)

    for name, fields in KV_SHEETS.items():
        ws = wb.create_sheet(name)
        ws.append(["项目", "填写内容", "字段（请勿修改）"])
        for cell in ws[1]:
            cell.font, cell.fill = BOLD, HEADER_FILL
        ws.column_dimensions["A"].width = 36
        ws.column_dimensions["B"].width = 80 if name == "文字说明" else 30
        ws.column_dimensions["C"].hidden = True
        for row, f in enumerate(fields, start=2):
            ws.cell(row, 1, f.label)
            value = _cell_value(f.kind, get_path(doc, f.path), codes)
            cell = ws.cell(row, 2, value)
            cell.alignment = WRAP
            if f.kind == "date":
                cell.number_format = "yyyy-mm-dd"
            ws.cell(row, 3, f.path)
            _validation(ws, f.kind, f"B{row}", codes)
        ws.freeze_panes = "B2"

    records = document_records(doc)
    for key, sheet in SHEETS.items():
        ws = wb.create_sheet(sheet.name)
        ws.append([c.label for c in sheet.columns])
        for col, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(1, col)
            cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, Alignment(wrap_text=True)
            ws.column_dimensions[get_column_letter(col)].width = column.width
            letter = get_column_letter(col)
            _validation(ws, column.kind, f"{letter}2:{letter}{MAX_ROWS}", codes)
        for row, record in enumerate(records[key], start=2):
            for col, column in enumerate(sheet.columns, start=1):
                value = _cell_value(column.kind, record.get(column.key), codes)
                cell = ws.cell(row, col, value)
                if column.kind == "date":
                    cell.number_format = "yyyy-mm-dd"
                if column.kind in ("text", "lines"):
                    cell.alignment = WRAP
        ws.freeze_panes = "A2"
        if sheet.note:
            ws.cell(1, len(sheet.columns) + 2, sheet.note).font = Font(italic=True, color="666666")
    wb.move_sheet(CODES_SHEET, offset=len(wb.sheetnames))
    wb.move_sheet(META_SHEET, offset=len(wb.sheetnames))
    text_as_data(wb)
    path = Path(path)
    wb.save(path)
    return path
