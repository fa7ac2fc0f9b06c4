"""A source document written by parts (``dump_parts``): the text is exactly the whole document's
dump, parts of an earlier dump are kept only where the value is the same (type, key order, a
Decimal's digits), and the diff of two documents skips what they share but still names each change."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

from deptbudget.sources import xlsx_template as xt
from deptbudget.store.documents import (
    diff_documents,
    dump_document,
    dump_parts,
    load_document,
    same_value,
    share_unchanged,
)
from deptbudget.web import forms

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"


def _example() -> dict:  # type: ignore[type-arg]
    return load_document(EXAMPLE.read_text(encoding="utf-8"))


def test_parts_make_the_same_text_as_the_whole_dump() -> None:
    doc = _example()
    assert dump_parts(doc).text == dump_document(doc)
    assert dump_parts({}).text == dump_document({})
    odd = {"yes": [1, 2], "a: b": [{"x": "line 1\nline 2"}], "empty": [], "n": None, "nested": {"k": [Decimal("1.50")]}}
    assert dump_parts(odd).text == dump_document(odd)
    assert load_document(dump_parts(odd).text) == odd


def test_a_changed_document_written_by_parts_equals_its_whole_dump() -> None:
    doc = _example()
    parts = dump_parts(doc)
    changed = copy.deepcopy(doc)
    changed["narrative"]["change_reason"] = "因新增科普项目，预算增加。"
    changed["projects"][3]["name"] = changed["projects"][3]["name"] + "（调整）"
    changed["projects"].append(copy.deepcopy(changed["projects"][0]))
    del changed["groups"][-1]
    changed["new_key"] = ["a"]
    again = dump_parts(changed, parts)
    assert again.text == dump_document(changed)
    assert load_document(again.text) == changed
    # unchanged parts are the earlier ones (not written again); changed ones are new
    before, after = dict(parts.entries), dict(again.entries)
    assert all(a is b for a, b in zip(after["basic"][1], before["basic"][1], strict=True))
    assert after["unit"] is before["unit"]
    assert after["projects"][1][0] is before["projects"][1][0]
    assert after["projects"][1][3] is not before["projects"][1][3]
    assert after["narrative"] is not before["narrative"]


def test_a_part_is_kept_only_for_the_same_value_and_the_same_text() -> None:
    assert same_value({"a": Decimal("1.00")}, {"a": Decimal("1.00")})
    assert not same_value(Decimal("1.0"), Decimal("1.00"))  # equal amounts, written differently
    assert not same_value(True, 1) and not same_value(1, Decimal(1))
    assert not same_value({"a": 1, "b": 2}, {"b": 2, "a": 1})  # key order is part of the text
    assert not same_value([1, 2], [1, 2, 3])
    doc = {"amounts": [Decimal("1.0")], "flag": 1}
    parts = dump_parts(doc)
    new = {"amounts": [Decimal("1.00")], "flag": True}
    assert dump_parts(new, parts).text == dump_document(new)


def test_the_diff_of_a_section_save_names_each_changed_field() -> None:
    doc = load_document(dump_document(xt.normalize_document(_example())))  # as the demo stores it
    section = forms.SECTIONS["text"]

    kv = xt.kv_values(doc)
    form = {f"f.{f.path}": forms.display(f.kind, kv.get(f.path), 2020) for f in section.fields}
    form["f.narrative.change_reason"] = "第一处修改"
    form["f.narrative.personnel_note"] = "第二处修改"
    new = forms.apply_section(doc, section, form)
    changes = {c.path: (c.old, c.new) for c in diff_documents(doc, new)}
    assert changes["narrative.change_reason"][1] == "第一处修改"
    assert changes["narrative.personnel_note"][1] == "第二处修改"
    assert len(changes) == 2
    assert diff_documents(doc, doc) == []


def test_a_save_shares_what_it_did_not_change_with_the_document_before_it() -> None:
    doc = load_document(dump_document(xt.normalize_document(_example())))
    section = forms.SECTIONS["text"]
    kv = xt.kv_values(doc)
    form = {f"f.{f.path}": forms.display(f.kind, kv.get(f.path), 2020) for f in section.fields}
    form["f.narrative.change_reason"] = "只改这一处"
    new = copy.deepcopy(forms.apply_section(doc, section, form))  # rebuilt whole, as a table section's form is
    assert new["basic"] is not doc["basic"]
    shared = share_unchanged(doc, new)
    assert shared == new and same_value(shared, new) and dump_document(shared) == dump_document(new)
    assert shared["basic"] is doc["basic"] and shared["unit"] is doc["unit"]  # untouched: the old objects
    assert shared["narrative"] is new["narrative"]  # touched: the new one
    assert diff_documents(doc, shared) == diff_documents(doc, new)
    assert [c.path for c in diff_documents(doc, shared)] == ["narrative.change_reason"]
    # written by parts after the old document's parts: only the changed part is dumped again
    parts = dump_parts(doc)
    again = dump_parts(shared, parts)
    before, after = dict(parts.entries), dict(again.entries)
    assert again.text == dump_document(new)
    assert after["unit"] is before["unit"] and after["narrative"] is not before["narrative"]


def test_sharing_keeps_list_items_one_by_one_and_never_an_equal_value_written_otherwise() -> None:
    old = {"projects": [{"n": 1}, {"n": 2}, {"n": 3}], "amount": Decimal("1.0"), "gone": 1}
    new = {"projects": [{"n": 1}, {"n": 20}, {"n": 3}, {"n": 4}], "amount": Decimal("1.00"), "added": [1]}
    shared = share_unchanged(old, new)
    assert shared == new and list(shared) == list(new)
    assert shared["projects"][0] is old["projects"][0] and shared["projects"][2] is old["projects"][2]
    assert shared["projects"][1] is new["projects"][1] and shared["projects"][3] is new["projects"][3]
    assert shared["amount"] is new["amount"]  # 1.0 and 1.00 are written differently: not shared
    assert dump_document(shared) == dump_document(new)
    # a list whose items are each the old one's already (or none equal) is kept as the very object
    again = {"projects": [old["projects"][0], {"n": 30}], "amount": new["amount"]}
    assert share_unchanged(old, again)["projects"] is again["projects"]
    assert share_unchanged(old, {"projects": [{"n": 9}]})["projects"] == [{"n": 9}]
