"""A budget source document as the records of an entry workbook's sheets, and back.

The entry workbook and the web forms both lay a document out as key/value fields (单位信息,
文字说明) and table records (基本支出, 项目, 项目支出明细 …, see ``deptbudget.sources.schema``);
``assemble_records`` turns records back into the document, recording for each field path the
sheet and cell it came from (``EntryDocument.places``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from deptbudget.sources.errors import Problem
from deptbudget.sources.schema import DEFAULT_TEMPLATE, KV_SHEETS, SHEETS, TARGET_OWNER_DEPT
from deptbudget.sources.tree import SourceTree, locate, place_of


def get_path(data: Mapping[str, Any], path: str) -> Any:
    value: Any = data
    for key in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    for key in keys[:-1]:
        data = data.setdefault(key, {})
    data[keys[-1]] = value




def document_records(doc: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The document's lists as the records of each table sheet (the inverse of ``assemble_records``)."""
    income = doc.get("income") or {}
    out: dict[str, list[dict[str, Any]]] = {
        "income": [{"fund": k, "amount": v} for k, v in income.items()] if isinstance(income, Mapping) else [],
        "basic": list(doc.get("basic") or []),
        "projects": [], "project_lines": [], "calc_items": [], "indicators": [],
        "groups": list(doc.get("groups") or []),
        "procurement": list(doc.get("procurement") or []),
        "acknowledged": list(doc.get("acknowledged") or []),
        "corrections": list(doc.get("corrections") or []),
        "func_explanations": [{"code": k, "text": v} for k, v in
                              ((doc.get("narrative") or {}).get("func_explanations") or {}).items()],
    }
    for project in doc.get("projects") or []:
        if not isinstance(project, Mapping):
            continue
        row = {k: v for k, v in project.items() if k not in PROJECT_NESTED}
        period = project.get("period")
        if isinstance(period, list) and len(period) == 2:
            row["start"], row["end"] = period
        calc = project.get("calculation")
        if isinstance(calc, Mapping):
            row["calculation"] = calc.get("text", "")
            for item in calc.get("items") or []:
                out["calc_items"].append({"project": project.get("code"), **item})
        out["projects"].append(row)
        lines = project.get("lines")
        if lines is None:
            lines = [{k: project.get(k) for k in ("func", "eco", "fund", "amount", "gov_eco", "note")}]
        for line in lines:
            out["project_lines"].append({"project": project.get("code"), **line})
        for ind in project.get("indicators") or []:
            out["indicators"].append({"owner": project.get("code"), **_indicator_record(ind)})
    for ind in (doc.get("department_targets") or {}).get("indicators") or []:
        out["indicators"].append({"owner": TARGET_OWNER_DEPT, **_indicator_record(ind)})
    return out


PROJECT_NESTED = frozenset({"lines", "indicators", "period", "func", "eco", "fund", "amount", "gov_eco", "note"})


def _indicator_record(ind: Any) -> dict[str, Any]:
    if isinstance(ind, list):
        values = list(ind) + [""] * (4 - len(ind))
        return dict(zip(("level1", "level2", "name", "target"), values[:4], strict=True))
    return dict(ind) if isinstance(ind, Mapping) else {}




@dataclass
class EntryDocument:
    """A template read back: its meta data, the budget source document, and where each part of
    the document came from (document path → ``sheet!cell``), to locate problems."""

    meta: dict[str, str]
    data: dict[str, Any]
    places: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # cells that could not be read at all

    @property
    def fiscal_year(self) -> int | None:
        try:
            return int(self.meta.get("fiscal_year", ""))
        except ValueError:
            return None

    @property
    def unit_code(self) -> str:
        return self.meta.get("unit_code", "")

    def place(self, doc_path: str) -> str:
        """The sheet and cell of a document path (its longest known prefix)."""
        return place_of(self.places, doc_path)

    def tree(self, filename: str) -> SourceTree:
        """The document as a located source tree whose problems are placed at sheets and cells."""
        return SourceTree(locate(self.data), filename, self.places)


Rows = dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]]


def assemble_records(entry: EntryDocument, tables: Rows, filename: str) -> None:
    """Table-sheet records → the lists of the document (projects gather their lines, calculation
    items and indicators), recording the place of each record."""
    doc, problems = entry.data, entry.problems

    def locate(doc_path: str, sheet: str, row: int, letters: dict[str, str], keys: dict[str, str]) -> None:
        entry.places[doc_path] = f"{sheet}!A{row}"
        for key, letter in letters.items():
            entry.places[f"{doc_path}.{keys.get(key, key)}"] = f"{sheet}!{letter}{row}"

    income: dict[str, Any] = {}
    for row, record, letters in tables["income"]:
        fund = str(record.get("fund", f"第{row}行"))
        income[fund] = record.get("amount")
        entry.places[f"income.{fund}"] = f"{SHEETS['income'].name}!{letters.get('amount', 'B')}{row}"
    if income:
        doc["income"] = income
        entry.places["income"] = f"{SHEETS['income'].name}!A2"

    basic = []
    for row, record, letters in tables["basic"]:
        locate(f"basic[{len(basic)}]", SHEETS["basic"].name, row, letters, {})
        basic.append(record)
    if basic:
        doc["basic"] = basic

    projects: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for row, record, letters in tables["projects"]:
        place = f"projects[{len(projects)}]"
        locate(place, SHEETS["projects"].name, row, letters, {"start": "period", "end": "period"})
        start, end = record.pop("start", None), record.pop("end", None)
        if start is not None or end is not None:
            record["period"] = [start, end]
        record["lines"] = []
        projects.append(record)
        by_code.setdefault(str(record.get("code", "")), record)
        record["_place"] = place
    for row, record, letters in tables["project_lines"]:
        code = str(record.pop("project", ""))
        project = by_code.get(code)
        if project is None:
            problems.append(Problem(filename, f"{SHEETS['project_lines'].name}!A{row}",
                                    f"项目编码 {code or '(空)'} 不在“项目”表中 (no such project)"))
            continue
        locate(f"{project['_place']}.lines[{len(project['lines'])}]", SHEETS["project_lines"].name, row, letters, {})
        project["lines"].append(record)
    for row, record, letters in tables["calc_items"]:
        code = str(record.pop("project", ""))
        project = by_code.get(code)
        if project is None:
            problems.append(Problem(filename, f"{SHEETS['calc_items'].name}!A{row}",
                                    f"项目编码 {code or '(空)'} 不在“项目”表中 (no such project)"))
            continue
        calc = project.get("calculation")
        if not isinstance(calc, dict):
            calc = project["calculation"] = {"text": calc or ""}
        items = calc.setdefault("items", [])
        locate(f"{project['_place']}.calculation.items[{len(items)}]", SHEETS["calc_items"].name, row, letters, {})
        items.append(record)
    dept_indicators: list[dict[str, Any]] = []
    for row, record, letters in tables["indicators"]:
        owner = str(record.pop("owner", TARGET_OWNER_DEPT))
        if owner == TARGET_OWNER_DEPT:
            target_list, place = dept_indicators, "department_targets"
        elif owner in by_code:
            target_list, place = by_code[owner].setdefault("indicators", []), by_code[owner]["_place"]
        else:
            problems.append(Problem(filename, f"{SHEETS['indicators'].name}!A{row}",
                                    f"指标所属 {owner} 既不是项目编码也不是“部门整体” (no such project)"))
            continue
        locate(f"{place}.indicators[{len(target_list)}]", SHEETS["indicators"].name, row, letters, {})
        record.setdefault("level1", "")
        record.setdefault("level2", "")
        record.setdefault("name", "")
        target_list.append(record)
    for project in projects:
        project.pop("_place")
    if projects:
        doc["projects"] = projects
    if dept_indicators:
        doc.setdefault("department_targets", {})["indicators"] = dept_indicators

    for key in ("groups", "procurement", "acknowledged", "corrections"):
        records = []
        for row, record, letters in tables[key]:
            locate(f"{key}[{len(records)}]", SHEETS[key].name, row, letters, {})
            records.append(record)
        if records:
            doc[key] = records
    explanations = {}
    for row, record, _letters in tables["func_explanations"]:
        code = str(record.get("code", ""))
        explanations[code] = record.get("text", "")
        entry.places[f"narrative.func_explanations.{code}"] = f"{SHEETS['func_explanations'].name}!A{row}"
    if explanations:
        doc.setdefault("narrative", {})["func_explanations"] = explanations


def kv_values(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The values of the key/value fields (单位信息, 文字说明) present in a document."""
    out = {}
    for fields in KV_SHEETS.values():
        for f in fields:
            value = get_path(doc, f.path)
            if value is not None and value != [] and value != "":
                out[f.path] = value
    return out




def assemble_document(fiscal_year: Any, template: str, kv: Mapping[str, Any],
                      records: Mapping[str, list[dict[str, Any]]]) -> EntryDocument:
    """Build a budget source document from key/value fields and table records — the same way an
    uploaded template is read, so the web forms and the workbook agree. Places are given as
    ``sheet!row`` of the equivalent workbook."""
    entry = EntryDocument(meta={"fiscal_year": str(fiscal_year)}, data={"fiscal_year": fiscal_year,
                                                                       "template": template})
    for path, value in kv.items():
        if value is not None and value != []:
            set_path(entry.data, path, value)
    rows: Rows = {}
    for key, sheet in SHEETS.items():
        letters = {c.key: get_column_letter(i) for i, c in enumerate(sheet.columns, start=1)}
        rows[key] = [(n, {k: v for k, v in dict(r).items() if v is not None and v != [] and v != ""}, letters)
                     for n, r in enumerate(records.get(key, []), start=2)]
    assemble_records(entry, rows, "")
    return entry


# The places of a document that ``document_records`` reads (and ``assemble_records`` writes): its
# table records are a function of the values found there and of nothing else.
RECORD_PATHS: tuple[tuple[str, ...], ...] = (
    ("income",), ("basic",), ("projects",), ("groups",), ("procurement",), ("acknowledged",), ("corrections",),
    ("department_targets", "indicators"), ("narrative", "func_explanations"))
TableParts = tuple[tuple[tuple[str, ...], Any], ...]


def value_at(doc: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """The value at a path of ``RECORD_PATHS`` (None when absent)."""
    value: Any = doc
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def table_parts(records: Mapping[str, list[dict[str, Any]]]) -> TableParts:
    """What ``assemble_document`` makes of table records, apart from the key/value fields: each value
    it sets (at a path of ``RECORD_PATHS``), in the order it sets them."""
    data = assemble_document(None, "", {}, records).data
    out: list[tuple[tuple[str, ...], Any]] = []
    for key, value in data.items():
        if key in ("fiscal_year", "template"):
            continue
        if (key,) in RECORD_PATHS:
            out.append(((key,), value))
        else:  # department_targets, narrative: made by ``setdefault`` for their one table entry
            out.extend(((key, sub), item) for sub, item in value.items())
    return tuple(out)


def assemble_with_parts(fiscal_year: Any, template: str, kv: Mapping[str, Any], parts: TableParts) -> dict[str, Any]:
    """``assemble_document(fiscal_year, template, kv, records).data`` with the ``table_parts`` of the
    records made before: the same values with the keys in the same order (the key/value fields set
    first, then each table part as ``assemble_records`` sets it)."""
    data: dict[str, Any] = {"fiscal_year": fiscal_year, "template": template}
    for path, value in kv.items():
        if value is not None and value != []:
            set_path(data, path, value)
    for keys, value in parts:
        if len(keys) == 1:
            data[keys[0]] = value
        else:
            data.setdefault(keys[0], {})[keys[1]] = value
    return data


def template_of(doc: Mapping[str, Any]) -> str:
    """The template a budget document names, else the default one."""
    return str(doc.get("template") or DEFAULT_TEMPLATE)


def normalize_document(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A document in the shape the template and the web forms write (projects with ``lines``,
    indicators as mappings), so that later edits diff field by field."""
    entry = assemble_document(doc.get("fiscal_year"), template_of(doc), kv_values(doc), document_records(doc))
    return entry.data
