"""Read a filled-in XLSX entry workbook (预算录入模板) back: into a budget source document with the
sheet and cell of each field, and into a ``Budget`` whose problems name sheet and cell
(``基本支出!B5``). The workbook is read into a located source tree directly (no YAML text)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from deptbudget.model.budget import Budget
from deptbudget.sources.entry_document import EntryDocument, assemble_records, set_path
from deptbudget.sources.entry_values import cell_text, read_value
from deptbudget.sources.errors import Problem, SourceError
from deptbudget.sources.loader import load_tree
from deptbudget.sources.schema import DEFAULT_TEMPLATE, KV_SHEETS, SHEETS, TableSheet
from deptbudget.sources.tree import placed
from deptbudget.sources.xlsx_layout import FORMAT, META_SHEET


class EntryTemplateError(SourceError):
    """The file is not a usable entry template (not XLSX, corrupt, another format, sheets missing).

    Unlike the content problems of a template (an unknown code in one cell), nothing of such a
    file can be used."""



MAX_UNCOMPRESSED = 200 * 1024 * 1024  # a workbook that unpacks to more is refused (zip bomb)


def _open(path: Path, filename: str):  # type: ignore[no-untyped-def]
    def fail(message: str) -> EntryTemplateError:
        return EntryTemplateError([Problem(filename, "文件", message)])

    if not zipfile.is_zipfile(path):
        raise fail("不是 XLSX 文件（无法作为 Excel 工作簿打开）(not an XLSX file)")
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                raise fail("XLSX 文件解压后过大，已拒绝 (workbook too large when unpacked)")
            if "xl/workbook.xml" not in archive.namelist():
                raise fail("不是 XLSX 工作簿（缺少 xl/workbook.xml）(not an XLSX workbook)")
    except zipfile.BadZipFile:
        raise fail("XLSX 文件已损坏，无法读取 (corrupt XLSX)") from None
    try:
        return load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise fail(f"XLSX 文件已损坏，无法读取 (corrupt XLSX): {type(exc).__name__}") from None




def _table_rows(ws: Worksheet, sheet: TableSheet, problems: list[Problem], filename: str):  # type: ignore[no-untyped-def]
    header = [cell_text(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1))] if ws.max_row else []
    index: dict[str, int] = {}
    for column in sheet.columns:
        if column.label in header:
            index[column.key] = header.index(column.label)
        else:
            problems.append(Problem(filename, f"{sheet.name}!第1行", f"缺少表头“{column.label}”(missing column)"))
    for row_number, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        cells = {key: row[i] if i < len(row) else None for key, i in index.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        record = {}
        for column in sheet.columns:
            if column.key in cells:
                value = read_value(column.kind, cells[column.key])
                if value is not None and value != []:
                    record[column.key] = value
        letters = {column.key: get_column_letter(index[column.key] + 1) for column in sheet.columns
                   if column.key in index}
        yield row_number, record, letters


def read_entry_document(path: str | Path, filename: str | None = None) -> EntryDocument:
    """Read the workbook into a budget source document. Raises ``EntryTemplateError`` when the
    file is not an entry template; content problems are left for the loader to find."""
    path = Path(path)
    filename = filename or path.name
    wb = _open(path, filename)
    if META_SHEET not in wb.sheetnames:
        raise EntryTemplateError([Problem(filename, "文件", "不是本系统的预算录入模板（缺少隐藏表 _meta）"
                                                          "(not a deptbudget entry template)")])
    meta = {cell_text(r[0]): cell_text(r[1]) for r in wb[META_SHEET].iter_rows(values_only=True, max_col=2) if r[0]}
    if meta.get("format") != FORMAT:
        raise EntryTemplateError([Problem(filename, "_meta", "不是本系统的预算录入模板 (not an entry template)")])
    missing = [name for name in list(KV_SHEETS) + [s.name for s in SHEETS.values()] if name not in wb.sheetnames]
    if missing:
        raise EntryTemplateError([Problem(filename, "文件", f"模板缺少工作表：{'、'.join(missing)} (sheets missing)")])
    problems: list[Problem] = []
    entry = EntryDocument(meta=meta, data={}, problems=problems)
    doc = entry.data
    try:
        doc["fiscal_year"] = int(meta.get("fiscal_year", ""))
    except ValueError:
        doc["fiscal_year"] = meta.get("fiscal_year")
    doc["template"] = meta.get("template") or DEFAULT_TEMPLATE
    entry.places["fiscal_year"] = f"{META_SHEET}!B3"

    for name, fields in KV_SHEETS.items():
        ws = wb[name]
        by_path = {f.path: f for f in fields}
        for row_number, row in enumerate(ws.iter_rows(min_row=2, max_col=3, values_only=True), start=2):
            f = by_path.get(cell_text(row[2]) if len(row) > 2 else "")
            if f is None:
                continue
            entry.places[f.path] = f"{name}!B{row_number}"
            value = read_value(f.kind, row[1])
            if value is not None and value != []:
                set_path(doc, f.path, value)

    tables: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = {
        key: list(_table_rows(wb[sheet.name], sheet, problems, filename)) for key, sheet in SHEETS.items()
    }
    if problems:
        raise EntryTemplateError(problems)
    assemble_records(entry, tables, filename)
    return entry


def locate_problems(entry: EntryDocument, problems: list[Problem], filename: str) -> list[Problem]:
    """Problems found on the document's field paths → the same problems placed at cells."""
    return placed(problems, entry.places, filename)


def read_entry_template(path: str | Path) -> Budget:
    """Read a filled-in entry template into a ``Budget``; every problem names sheet and cell."""
    path = Path(path)
    entry = read_entry_document(path)
    if entry.problems:
        raise SourceError(entry.problems)
    return load_tree(entry.tree(path.name))
