"""Web forms for the budget's data: the same sections, columns and conversions as the XLSX entry
template (``deptbudget.sources.schema``, ``deptbudget.sources.entry_document``), so a form and a
workbook fill the same document.

Table sections post fields named ``r{i}.{key}`` (``r{i}._delete`` removes the row); key/value
sections post ``f.{path}``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from deptbudget.catalog import CatalogError, load_catalog
from deptbudget.model.budget import FUND_SOURCE_LABELS, FundSource
from deptbudget.sources.entry_document import (
    RECORD_PATHS,
    TableParts,
    assemble_document,
    assemble_with_parts,
    document_records,
    kv_values,
    table_parts,
    template_of,
    value_at,
)
from deptbudget.sources.entry_values import read_value
from deptbudget.sources.schema import LEVEL1, LEVEL2, SHEETS, TEXT_FIELDS, UNIT_FIELDS, YES_NO, Field, TableSheet
from deptbudget.store.documents import share_unchanged, share_value
from deptbudget.web.cache import LRUCache

CODE_KINDS = ("func", "func_any", "eco", "gov_eco")
# The most records a table section's form takes (a realistic budget: 300 projects, 1,000 indicators,
# 2,000 项目支出明细); the form's field cap follows from it.
MAX_FORM_ROWS = 5000
LIST_KINDS = CODE_KINDS + ("fund", "level1", "level2")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    table: TableSheet | None = None
    fields: tuple[Field, ...] = ()
    doc_prefixes: tuple[str, ...] = ()  # document paths whose findings belong here


TABLE_SECTIONS = {
    "income": ("收入", ("income",)),
    "basic": ("基本支出", ("basic",)),
    "projects": ("项目", ("projects",)),
    "project_lines": ("项目支出明细", ()),
    "calc_items": ("测算明细", ()),
    "indicators": ("绩效指标", ("department_targets.indicators",)),
    "groups": ("项目分组", ("groups",)),
    "procurement": ("政府采购", ("procurement",)),
    "func_explanations": ("名词解释", ("narrative.func_explanations",)),
}

SECTIONS: dict[str, Section] = {
    "unit": Section("unit", "单位信息与三公经费", fields=UNIT_FIELDS,
                    doc_prefixes=("unit", "three_public", "admin_operating", "last_year", "assets", "fiscal_year")),
    "text": Section("text", "文字说明（部门职能、工作目标、说明文字）", fields=TEXT_FIELDS,
                    doc_prefixes=("narrative", "department_targets.goals", "department_targets.other_notes")),
}
for _key, (_title, _prefixes) in TABLE_SECTIONS.items():
    SECTIONS[_key] = Section(_key, _title, table=SHEETS[_key], doc_prefixes=_prefixes)
SECTION_ORDER = ["unit", "income", "basic", "projects", "project_lines", "calc_items", "indicators", "groups",
                 "procurement", "text", "func_explanations"]


@lru_cache(maxsize=8)
def code_lists(year: int) -> dict[str, list[str]]:
    """Choices for the drop-downs (``<datalist>``) of a fiscal year."""
    try:
        catalog = load_catalog(year)
    except CatalogError:
        catalog = None
    lists: dict[str, list[str]] = {
        "fund": list(FUND_SOURCE_LABELS.values()), "level1": LEVEL1, "level2": LEVEL2, "bool": YES_NO,
    }
    if catalog is not None:
        lists["func"] = [f"{e.code} {e.name}" for e in catalog.entries("exp_func") if len(e.code) == 7]
        lists["func_any"] = [f"{e.code} {e.name}" for e in catalog.entries("exp_func")]
        lists["eco"] = [f"{e.code} {e.name}" for e in catalog.entries("dep_bgt_eco") if len(e.code) == 5]
        lists["gov_eco"] = [f"{e.code} {e.name}" for e in catalog.entries("gov_bgt_eco") if len(e.code) == 5]
    return lists


@lru_cache(maxsize=8)
def _labels(year: int) -> dict[str, str]:
    return {item.split(" ", 1)[0]: item for kind in CODE_KINDS for item in code_lists(year).get(kind, [])}


def display(kind: str, value: Any, year: int) -> str:
    """A document value as the text of a form field or a table cell."""
    if value is None:
        return ""
    if kind in CODE_KINDS:
        return _labels(year).get(str(value), str(value))
    if kind == "fund":
        try:
            return FundSource(str(value)).label
        except ValueError:
            return str(value)
    if kind == "bool":
        return {True: "是", False: "否"}.get(value, str(value)) if isinstance(value, bool) else str(value)
    if kind == "lines":
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if kind == "amount" and isinstance(value, (Decimal, int)):
        return f"{Decimal(value):f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def amount_text(value: Any) -> str:
    """元 with thousands separators, for reading (not for form fields)."""
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return f"{Decimal(value):,.2f}"
    return "" if value is None else str(value)


def records_of(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return document_records(doc)


def posted(form: dict[str, str], name: str) -> str:
    """A posted field's text with the browser's CRLF line ends made ``\n`` (as stored)."""
    return form.get(name, "").replace("\r\n", "\n").replace("\r", "\n")


def table_from_form(section: Section, form: dict[str, str]) -> list[dict[str, Any]]:
    """Posted rows → records (blank rows and rows marked for deletion dropped), in row order."""
    assert section.table is not None
    indexes = sorted({int(k[1:].split(".", 1)[0]) for k in form if k.startswith("r") and "." in k
                      and k[1:].split(".", 1)[0].isdigit()})
    out = []
    for i in indexes:
        if form.get(f"r{i}._delete"):
            continue
        record = {}
        for column in section.table.columns:
            raw = posted(form, f"r{i}.{column.key}")
            value = read_value(column.kind, raw)
            if value is not None and value != [] and value != "":
                record[column.key] = value
        if any(v not in (None, False) for v in record.values()):
            out.append(record)
    return out


def fields_from_form(section: Section, form: dict[str, str]) -> dict[str, Any]:
    out = {}
    for f in section.fields:
        raw = posted(form, f"f.{f.path}")
        value = read_value(f.kind, raw)
        if value is not None and value != []:
            out[f.path] = value
    return out


def apply_section(doc: dict[str, Any], section: Section, form: dict[str, str]) -> dict[str, Any]:
    """The document with one section replaced by the posted form (as ``assemble_document`` makes it
    of the document's key/value fields and table records)."""
    kv = kv_values(doc)
    template = template_of(doc)
    if section.table is None:
        for f in section.fields:
            kv.pop(f.path, None)
        kv.update(fields_from_form(section, form))
        return assemble_with_parts(doc.get("fiscal_year"), template, kv, _table_parts(doc))
    records = records_of(doc)
    records[section.key] = table_from_form(section, form)
    return assemble_document(doc.get("fiscal_year"), template, kv, records).data


def as_written(doc: dict[str, Any]) -> dict[str, Any]:
    """The document as a form's save writes it (laid out as ``assemble_document`` lays it out),
    sharing the document's own objects where they are the same; the table parts of both are kept
    (``_table_parts``) for the saves to come."""
    template = template_of(doc)
    written = assemble_with_parts(doc.get("fiscal_year"), template, kv_values(doc), _table_parts(doc))
    written = share_unchanged(doc, written)
    _table_parts(written)
    return written


# The table parts of the documents in hand, by the objects at their ``RECORD_PATHS`` (kept, so their
# ids are not reused): a key/value section's save rebuilds only the fields, and the next save of the
# document it made finds the same objects there (shared documents are never changed).
_TABLE_PARTS: LRUCache[tuple[int, ...], tuple[tuple[Any, ...], TableParts]] = LRUCache(64)


def _table_parts(doc: dict[str, Any]) -> TableParts:
    """``table_parts`` of the document's records, each part shared with the document's own value at
    its place (``share_value``, as the save shares it with the document before: so the document a
    save makes has these very objects there, and its next save finds them here)."""
    inputs = tuple(value_at(doc, path) for path in RECORD_PATHS)
    key = tuple(map(id, inputs))
    known = _TABLE_PARTS.get(key)
    if known is not None and all(a is b for a, b in zip(known[0], inputs, strict=True)):
        return known[1]
    parts = tuple((path, share_value(value_at(doc, path), value)) for path, value in table_parts(records_of(doc)))
    _TABLE_PARTS.put(key, (inputs, parts))
    return parts


def form_rows(section: Section, records: list[dict[str, Any]], year: int, blank: int = 3) -> list[list[str]]:
    """Rows of field values for the edit form (with ``blank`` empty rows to add records)."""
    assert section.table is not None
    rows = [[display(c.kind, r.get(c.key), year) for c in section.table.columns] for r in records]
    rows += [["" for _ in section.table.columns] for _ in range(blank)]
    return rows


def rows_from_posted(section: Section, form: dict[str, str]) -> list[list[str]]:
    """The posted values exactly as typed (shown back after a conflict or a refusal)."""
    assert section.table is not None
    indexes = sorted({int(k[1:].split(".", 1)[0]) for k in form if k.startswith("r") and "." in k
                      and k[1:].split(".", 1)[0].isdigit()})
    return [[form.get(f"r{i}.{c.key}", "") for c in section.table.columns] for i in indexes
            if not form.get(f"r{i}._delete")]


def max_fields(section: Section) -> int:
    """How many posted fields a section's form may have: every column and the delete box of
    ``MAX_FORM_ROWS`` records (or every field), plus the CSRF token and the version."""
    if section.table is not None:
        return MAX_FORM_ROWS * (len(section.table.columns) + 1) + 16
    return len(section.fields) + 16


def section_of_path(path: str) -> str | None:
    """The section a document path belongs to (for showing findings next to the data)."""
    if path.startswith("projects["):
        rest = path.split("]", 1)[1] if "]" in path else ""
        if rest.startswith(".lines"):
            return "project_lines"
        if rest.startswith(".calculation.items"):
            return "calc_items"
        if rest.startswith(".indicators"):
            return "indicators"
        return "projects"
    for key in SECTION_ORDER:
        for prefix in SECTIONS[key].doc_prefixes:
            if path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "["):
                return key
    return None
