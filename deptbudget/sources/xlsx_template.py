"""The XLSX entry template (预算录入模板): a workbook a preparer fills in and uploads.

``write_entry_template(budget_or_unit, year, path)`` writes the workbook for one unit and year
(``deptbudget.sources.xlsx_write``); ``read_entry_template(path)`` reads it back into a ``Budget``,
raising ``SourceError`` whose problems name the sheet and cell (``基本支出!B5``)
(``deptbudget.sources.xlsx_read``).

The workbook mirrors the YAML budget source (docs/budget-source.md): every sheet fills one part
of the same document (``deptbudget.sources.schema``, ``deptbudget.sources.entry_document``), read
into the same located source tree, so the template and the YAML loader share every check.
Key/value sheets (单位信息, 文字说明) carry the document path of each row in a hidden column; table
sheets have one record per row. A hidden ``_meta`` sheet names the format, the fiscal year and the
unit, so that an upload for the wrong unit or year can be refused (see ``read_entry_document``).

This module gathers the names that callers use.
"""

from __future__ import annotations

from deptbudget.sources.entry_document import (
    EntryDocument,
    assemble_document,
    document_records,
    kv_values,
    normalize_document,
)
from deptbudget.sources.entry_values import read_value
from deptbudget.sources.schema import (
    FUND_BY_LABEL,
    KV_SHEETS,
    LEVEL1,
    LEVEL2,
    LINE_COLUMNS,
    SHEETS,
    TARGET_OWNER_DEPT,
    TEXT_FIELDS,
    UNIT_FIELDS,
    YES_NO,
    Column,
    Field,
    TableSheet,
)
from deptbudget.sources.xlsx_layout import CODES_SHEET, FORMAT, FORMAT_VERSION, MAX_ROWS, META_SHEET
from deptbudget.sources.xlsx_read import (
    MAX_UNCOMPRESSED,
    EntryTemplateError,
    locate_problems,
    read_entry_document,
    read_entry_template,
)
from deptbudget.sources.xlsx_write import write_entry_template

__all__ = [
    "CODES_SHEET", "FORMAT", "FORMAT_VERSION", "FUND_BY_LABEL", "KV_SHEETS", "LEVEL1", "LEVEL2", "LINE_COLUMNS",
    "MAX_ROWS", "MAX_UNCOMPRESSED", "META_SHEET", "SHEETS", "TARGET_OWNER_DEPT", "TEXT_FIELDS", "UNIT_FIELDS",
    "YES_NO", "Column", "EntryDocument", "EntryTemplateError", "Field", "TableSheet", "assemble_document",
    "document_records", "kv_values", "locate_problems", "normalize_document", "read_entry_document",
    "read_entry_template", "read_value", "write_entry_template",
]
