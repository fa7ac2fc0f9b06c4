"""A document's table records and what ``assemble_document`` makes of them: the records depend only
on ``RECORD_PATHS``, and a document assembled from key/value fields and earlier ``table_parts`` is
exactly the one ``assemble_document`` makes (values and key order)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from deptbudget.sources.entry_document import (
    RECORD_PATHS,
    assemble_document,
    assemble_with_parts,
    document_records,
    kv_values,
    set_path,
    table_parts,
    value_at,
)
from deptbudget.store.documents import dump_document, load_document, same_value

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"


def _example() -> dict[str, Any]:
    return load_document(EXAMPLE.read_text(encoding="utf-8"))


def _documents() -> list[dict[str, Any]]:
    """The example as written by hand, as the forms write it, and with odd shapes: no narrative, no
    department_targets, indicators as lists, a field where the key/value and table parts meet."""
    raw = _example()
    normal = assemble_document(raw.get("fiscal_year"), "shenzhen-15", kv_values(raw), document_records(raw)).data
    bare = copy.deepcopy(raw)
    bare.pop("narrative", None)
    bare.pop("department_targets", None)
    lists = copy.deepcopy(raw)
    for project in lists.get("projects") or []:
        project["indicators"] = [["产出指标", "数量指标", "培训人次", "≥100人次"]]
        project.pop("lines", None)
    lists.setdefault("narrative", {})["func_explanations"] = {"2010101": "行政运行：机关的基本支出。"}
    return [raw, normal, bare, lists]


def test_records_depend_only_on_the_record_paths() -> None:
    for doc in _documents():
        only: dict[str, Any] = {}
        for path in RECORD_PATHS:
            value = value_at(doc, path)
            if value is not None:
                set_path(only, ".".join(path), value)
        assert document_records(only) == document_records(doc)


def test_assembling_with_table_parts_is_assembling_the_records() -> None:
    for doc in _documents():
        records = document_records(doc)
        parts = table_parts(records)
        assert all(path in RECORD_PATHS for path, _value in parts)
        kvs = [kv_values(doc), {}, {**kv_values(doc), "narrative.change_reason": "改了", "department_targets.goals":
                                    ["目标一", "目标二"], "unit.name": "新名称"}]
        for kv in kvs:
            whole = assemble_document(doc.get("fiscal_year"), "shenzhen-15", kv, records).data
            fast = assemble_with_parts(doc.get("fiscal_year"), "shenzhen-15", kv, parts)
            assert same_value(fast, whole)  # the same values, types and key order
            assert dump_document(fast) == dump_document(whole)


def test_table_parts_can_be_told_apart_from_a_wrong_assembly() -> None:
    doc = _example()
    parts = table_parts(document_records(doc))
    kv = kv_values(doc)
    whole = assemble_document(doc.get("fiscal_year"), "shenzhen-15", kv, document_records(doc)).data
    dropped = assemble_with_parts(doc.get("fiscal_year"), "shenzhen-15", kv, parts[1:])
    assert not same_value(dropped, whole)
