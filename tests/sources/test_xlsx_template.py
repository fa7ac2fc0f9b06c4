"""The XLSX entry template: written from a budget, read back equal; drop-down lists from the
catalog; problems located at sheet and cell; files that are no template refused as a whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from deptbudget.model.budget import Unit
from deptbudget.sources.errors import SourceError
from deptbudget.sources.xlsx_template import (
    EntryTemplateError,
    normalize_document,
    read_entry_document,
    read_entry_template,
    write_entry_template,
)
from deptbudget.sources.yaml_source import load_budget
from deptbudget.sources.yaml_writer import budget_to_source

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "tests" / "fixtures" / "small.yaml", ROOT / "examples" / "luohu-2020.yaml"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_round_trip(source, tmp_path):  # type: ignore[no-untyped-def]
    budget = load_budget(source)
    path = write_entry_template(budget, budget.fiscal_year, tmp_path / "t.xlsx", unit_code="U1")
    again = read_entry_template(path)
    assert budget_to_source(again) == budget_to_source(budget)
    entry = read_entry_document(path)
    assert entry.fiscal_year == budget.fiscal_year and entry.unit_code == "U1"


def test_empty_template_for_a_unit_has_drop_downs(tmp_path):  # type: ignore[no-untyped-def]
    path = write_entry_template(Unit(name="某单位", agency_code="X1"), 2020, tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert wb["_meta"].sheet_state == "hidden" and wb["代码表"].sheet_state == "hidden"
    codes = [c.value for c in wb["代码表"]["A"][1:]]
    assert "2060101 行政运行" in codes and all(len(str(c).split(" ")[0]) == 7 for c in codes if c)
    validations = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in wb["基本支出"].data_validations.dataValidation}
    assert "代码表" in validations["A"] and "代码表" in validations["B"] and "代码表" in validations["C"]
    assert wb["单位信息"]["B2"].value == "某单位"
    entry = read_entry_document(path)
    assert entry.unit_code == "X1" and entry.data["unit"]["name"] == "某单位"


def test_problems_name_sheet_and_cell(tmp_path):  # type: ignore[no-untyped-def]
    budget = load_budget(SOURCES[0])
    path = write_entry_template(budget, 2020, tmp_path / "t.xlsx")
    wb = load_workbook(path)
    wb["基本支出"]["A3"] = "2069998"
    wb["基本支出"]["D4"] = "一百元"
    wb["单位信息"]["B10"] = "很多"  # 实有在编人数
    wb.save(path)
    with pytest.raises(SourceError) as caught:
        read_entry_template(path)
    places = sorted(p.place.split("（")[0] for p in caught.value.problems)
    assert places == ["单位信息!B10", "基本支出!A3", "基本支出!D4"]


def test_amounts_typed_as_text_or_numbers(tmp_path):  # type: ignore[no-untyped-def]
    budget = load_budget(SOURCES[0])
    path = write_entry_template(budget, 2020, tmp_path / "t.xlsx")
    wb = load_workbook(path)
    wb["基本支出"]["D2"] = "1,000,049.00"
    wb["基本支出"]["D3"] = 99951  # a number cell
    wb.save(path)
    again = read_entry_template(path)
    assert [str(line.amount) for line in again.basic_lines[:2]] == ["1000049.00", "99951.00"]


@pytest.mark.parametrize("content", [b"not a zip", b"PK\x03\x04broken"])
def test_not_a_workbook(tmp_path, content):  # type: ignore[no-untyped-def]
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(EntryTemplateError):
        read_entry_document(path)


def test_a_workbook_that_is_not_the_template(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "x.xlsx"
    Workbook().save(path)
    with pytest.raises(EntryTemplateError) as caught:
        read_entry_document(path)
    assert "不是本系统的预算录入模板" in str(caught.value)


def test_normalize_is_stable():  # type: ignore[no-untyped-def]
    from deptbudget.store.documents import load_document

    doc = load_document(SOURCES[0].read_text(encoding="utf-8"))
    once = normalize_document(doc)
    assert normalize_document(once) == once
    assert "lines" in once["projects"][0] and "func" not in once["projects"][0]
