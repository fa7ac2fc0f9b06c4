"""A form's section applied to a document (``forms.apply_section``): a key/value section (单位信息,
文字说明) is applied with the table parts made once per document, and gives exactly what assembling
all fields and records gives; the parts are made again only when the records changed."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from deptbudget.sources.entry_document import assemble_document, kv_values
from deptbudget.store.documents import dump_document, load_document, same_value, share_unchanged
from deptbudget.web import forms

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"


def _whole(doc: dict[str, Any], section: forms.Section, form: dict[str, str]) -> dict[str, Any]:
    """What ``apply_section`` made before: every field and record assembled again."""
    kv = kv_values(doc)
    records = forms.records_of(doc)
    if section.table is not None:
        records[section.key] = forms.table_from_form(section, form)
    else:
        for f in section.fields:
            kv.pop(f.path, None)
        kv.update(forms.fields_from_form(section, form))
    return assemble_document(doc.get("fiscal_year"), str(doc.get("template") or "shenzhen-15"), kv, records).data


def _form(doc: dict[str, Any], section: forms.Section) -> dict[str, str]:
    kv = kv_values(doc)
    return {f"f.{f.path}": forms.display(f.kind, kv.get(f.path), 2020) for f in section.fields}


@pytest.mark.parametrize("key", ["text", "unit"])
def test_a_key_value_section_gives_what_assembling_everything_gives(key: str) -> None:
    section = forms.SECTIONS[key]
    raw = load_document(EXAMPLE.read_text(encoding="utf-8"))
    bare = copy.deepcopy(raw)
    bare.pop("narrative", None)
    bare.pop("department_targets", None)
    for doc in (raw, bare):
        form = _form(doc, section)
        for step in range(4):
            first = section.fields[step % len(section.fields)].path
            form[f"f.{first}"] = f"第 {step} 次修改\r\n第二行" if step % 2 else ""  # changed, then cleared
            new = forms.apply_section(doc, section, form)
            whole = _whole(doc, section, form)
            assert same_value(new, whole)
            assert dump_document(new) == dump_document(whole)
            doc = share_unchanged(doc, new)  # what the save keeps as the next document


def test_the_table_parts_are_made_once_per_records_and_again_after_a_table_save(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    made: list[int] = []
    real = forms.table_parts
    monkeypatch.setattr(forms, "table_parts", lambda records: made.append(1) or real(records))
    forms._TABLE_PARTS._entries.clear()
    doc = load_document(EXAMPLE.read_text(encoding="utf-8"))
    text, projects = forms.SECTIONS["text"], forms.SECTIONS["basic"]
    form = _form(doc, text)
    for step in range(3):
        form["f.narrative.change_reason"] = f"第 {step} 次"
        doc = share_unchanged(doc, forms.apply_section(doc, text, form))
    assert len(made) == 2  # the document as written by hand, then the one the forms write: kept since
    rows = {f"r{i}.{c.key}": forms.display(c.kind, r.get(c.key), 2020) for i, r in
            enumerate(forms.records_of(doc)["basic"]) for c in projects.table.columns}  # type: ignore[union-attr]
    rows["r0.amount"] = "123.45"
    doc = share_unchanged(doc, forms.apply_section(doc, projects, rows))
    form["f.narrative.change_reason"] = "表格之后"
    after = forms.apply_section(doc, text, form)
    assert len(made) == 3  # the records changed: made again, and the saved amount is in the result
    assert str(after["basic"][0]["amount"]) == "123.45"
    assert dump_document(after) == dump_document(_whole(doc, text, form))
