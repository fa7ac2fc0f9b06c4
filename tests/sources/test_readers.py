"""The readers (YAML text, XLSX entry workbook, JSON document) feed one located source tree: the
same data gives the same Budget, and problems are placed where the author looks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from deptbudget.model.budget import Budget
from deptbudget.sources.errors import SourceError
from deptbudget.sources.loader import load_tree
from deptbudget.sources.tree import LocatedDict, SourceTree, locate, yaml_tree
from deptbudget.sources.xlsx_template import normalize_document, read_entry_template, write_entry_template
from deptbudget.sources.yaml_source import parse_budget
from deptbudget.store.documents import dump_document, load_document, parse_document

SMALL = Path(__file__).parent.parent / "fixtures" / "small.yaml"


def _document() -> dict:
    """The small budget in the shape all three readers write (projects with ``lines``)."""
    return normalize_document(load_document(SMALL.read_text(encoding="utf-8")))


def _anywhere(budget: Budget) -> Budget:
    return replace(budget, source_path=None)


def test_yaml_xlsx_and_json_give_the_same_budget(tmp_path: Path) -> None:
    doc = _document()
    from_yaml = parse_budget(dump_document(doc), "s.yaml")
    from_json = parse_document(dump_document(doc, "json"), "json", "s.json")
    from_xlsx = read_entry_template(write_entry_template(doc, 2020, tmp_path / "s.xlsx"))
    assert _anywhere(from_json) == _anywhere(from_yaml)
    assert _anywhere(from_xlsx) == _anywhere(from_yaml)
    refs = [(line.ref.path, line.ref.file, line.ref.line is None) for line in from_yaml.lines[:1]]
    assert refs == [("basic[0]", "s.yaml", False)]
    assert [(line.ref.file, line.ref.line) for line in from_xlsx.lines[:1]] == [("s.xlsx", None)]


def test_the_yaml_tree_knows_the_line_of_each_key() -> None:
    tree = yaml_tree("fiscal_year: 2020\nunit:\n  name: 某单位\n", "a.yaml")
    assert isinstance(tree.root, LocatedDict)
    assert tree.root.key_lines == {"fiscal_year": 1, "unit": 2} and tree.root["unit"].key_lines == {"name": 3}


def test_plain_data_becomes_a_tree_without_lines() -> None:
    root = locate({"basic": [{"amount": 1.5}], "x": float("nan")})
    assert root.line is None and root["basic"].line is None and root["basic"][0].line is None
    assert str(root["basic"][0]["amount"]) == "1.5" and root["x"] == ".nan"


def test_problems_of_a_json_document_name_the_field_path_and_no_line() -> None:
    doc = _document()
    doc["basic"][1]["eco"] = "302"
    with pytest.raises(SourceError) as caught:
        parse_document(dump_document(doc, "json"), "json", "s.json")
    assert [(p.file, p.place, p.line) for p in caught.value.problems] == [("s.json", "basic[1].eco", None)]


def test_a_tree_with_places_reports_there() -> None:
    doc = _document()
    doc["projects"].append(dict(doc["projects"][0]))
    tree = SourceTree(locate(doc), "t.xlsx", {"projects[2]": "项目!A4"})
    with pytest.raises(SourceError) as caught:
        load_tree(tree)
    assert [p.place for p in caught.value.problems][:1] == ["项目!A4（projects[2]）"]
    assert all(p.line is None for p in caught.value.problems)


def test_a_problem_across_fields_of_a_workbook_names_the_cell(tmp_path: Path) -> None:
    """Checks across fields run on the workbook's own tree: a duplicate project code is placed at its row
    (it used to name a line of an intermediate YAML text the author never sees)."""
    from openpyxl import load_workbook

    path = write_entry_template(_document(), 2020, tmp_path / "s.xlsx")
    wb = load_workbook(path)
    wb["项目"]["A3"] = "P1"
    wb["项目支出明细"]["A3"] = "P1"
    wb.save(path)
    with pytest.raises(SourceError) as caught:
        read_entry_template(path)
    assert [str(p) for p in caught.value.problems] == [
        "s.xlsx: 项目!A3（projects[1]）: 项目编码重复 (duplicate project code) P1"]
