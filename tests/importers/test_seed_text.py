"""The seed (text extracted from the published PDF) imports into the Disclosure the conventions
describe, every printed amount at its table, row and column, misprints kept as printed."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.importers import import_document
from deptbudget.importers.report import ImportReport
from deptbudget.model.disclosure import CellKind, Disclosure, RowKind
from deptbudget.model.serialize import dumps
from tests.importers import seed_data

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEED = FIXTURES / "luohu-2020-as-published.txt"
AS_PUBLISHED = FIXTURES / "luohu-2020-as-published.json"


@pytest.fixture(scope="module")
def imported() -> tuple[Disclosure, ImportReport]:
    return import_document(SEED)


@pytest.fixture(scope="module")
def seed(imported: tuple[Disclosure, ImportReport]) -> Disclosure:
    return imported[0]


def printed_value(text: str) -> Decimal:
    return Decimal(text.replace(",", "")) if text else Decimal(0)


def test_document_facts(seed: Disclosure) -> None:
    assert seed.template == "shenzhen-15"
    assert (seed.fiscal_year, seed.unit_name) == (2020, "罗湖区科技创新局")
    assert seed.title == "2020 年罗湖区科技创新局部门预算"
    assert seed.contents[4] == "5. 项目支出预算表" and len(seed.contents) == 15
    assert [p.title for p in seed.parts] == seed_data.PART_TITLES


def test_tables_found(seed: Disclosure, imported: tuple[Disclosure, ImportReport]) -> None:
    ids = [t.id for t in seed.tables if t.id != "T15"]
    assert ids == [f"T{n}" for n in range(1, 15) if n != 5]
    assert len(seed.tables_by_id("T15")) == 19
    assert imported[1].missing_tables == ["5. 项目支出预算表"]


@pytest.mark.parametrize("table_id", sorted(seed_data.PRINTED, key=lambda t: int(t[1:])))
def test_every_printed_amount(seed: Disclosure, table_id: str) -> None:
    table = seed.table(table_id)
    assert table is not None
    expected = seed_data.PRINTED[table_id]
    assert [r.key for r in table.rows if r.key in expected] == list(expected), "rows in printed order"
    for key, columns in expected.items():
        row = table.row(key)
        assert row is not None, f"{table_id} row {key}"
        for column, text in columns.items():
            cell = row.cells[column]
            assert cell.kind is CellKind.AMOUNT, (table_id, key, column)
            assert cell.text == text, (table_id, key, column)
            assert cell.value == printed_value(text), (table_id, key, column)


def test_project_forms(seed: Disclosure) -> None:
    forms = {t.instance: t for t in seed.tables_by_id("T15")}
    assert list(forms) == list(seed_data.T15)
    for instance, printed in seed_data.T15.items():
        table = forms[instance]
        for key, text in zip(("total", "fiscal", "other"), printed, strict=True):
            cell = table.row(key).cells["value"]  # type: ignore[union-attr]
            assert (cell.text, cell.value) == (text, printed_value(text)), (instance, key)


def test_misprints_kept_as_printed(seed: Disclosure) -> None:
    for (table_id, key, column), (text, value) in seed_data.MISPRINTS.items():
        cell = seed.table(table_id).row(key).cells[column]  # type: ignore[union-attr]
        assert cell.text == text
        assert cell.value == Decimal(value)
        assert cell.parse_error and "千分位" in cell.parse_error


def test_names_resolved_by_position(seed: Disclosure) -> None:
    for (table_id, code), printed in seed_data.MISNAMED.items():
        row = seed.table(table_id).row(code) or next(  # type: ignore[union-attr]
            r for r in seed.table(table_id).rows if r.key.endswith(f"exp={code}"))  # type: ignore[union-attr]
        name = row.cells.get("exp_item") or row.cells["name"]
        assert name.text == printed
    t1 = seed.table("T1")
    assert t1 is not None
    ambiguous = [r for r in t1.rows if r.cells["exp_item"].text == "其他科学技术支出"]
    assert [(r.key.split("exp=")[1], r.level) for r in ambiguous] == [("20699", 2), ("2069999", 3)]


def test_eco_row_printed_under_another_class(seed: Disclosure) -> None:
    row = seed.table("T4").row("31002")  # type: ignore[union-attr]
    assert row is not None and row.parent == "302" and row.cells["name"].text == "办公设备购置"


def test_wrapped_text_joined(seed: Disclosure) -> None:
    t6 = seed.table("T6")
    assert t6 is not None
    assert t6.row("income=;exp=2080505").cells["exp_item"].text == "机关事业单位基本养老保险缴费支出"  # type: ignore[union-attr]
    t13 = seed.table("T13")
    assert t13 is not None
    assert {r.cells["period"].text for r in t13.rows} == {"2020.01.01-2020.12.31"}
    assert t13.row("罗湖区智能停车引导系统建设项目").cells["name"].text == "罗湖区智能停车引导系统建设项目"  # type: ignore[union-attr]
    form = next(t for t in seed.tables_by_id("T15") if t.instance == "大梧桐新兴产业带建设工作购买服务项目")
    assert form.row("indicator[1]").cells["name"].text == "协助在职在编人员落实业务工作"  # type: ignore[union-attr]


def test_page_breaks_inside_tables(seed: Disclosure, imported: tuple[Disclosure, ImportReport]) -> None:
    t1 = seed.table("T1")
    assert t1 is not None and len(t1.rows) == 33
    report = next(t for t in imported[1].tables if t.table_id == "T1")
    assert sum("分页" in s.reason for s in report.skipped) == 4


def test_form_levels_and_keys(seed: Disclosure) -> None:
    t14 = seed.table("T14")
    assert t14 is not None and t14.layout == "form"
    first = t14.row("indicator[0]")
    assert first is not None
    assert [first.cells[k].text for k in ("level1", "level2", "name", "target")] == [
        "(产出指标一)", "数量指标", "高企培育企业数", "约 350 家"]
    assert t14.row("other_notes").cells["value"].text == "无。"  # type: ignore[union-attr]
    form = seed.tables_by_id("T15")[0]
    kinds = [(r.key, r.kind) for r in form.rows[:10]]
    assert kinds[0] == ("pro_name", RowKind.FIELD) and kinds[8] == ("indicators", RowKind.HEADING)
    assert form.row("calculation").cells["level2"].text == "测算明细"  # type: ignore[union-attr]
    assert form.row("效益指标/社会效益指标") is not None
    rent = next(t for t in seed.tables_by_id("T15") if t.instance == "大梧桐新兴产业带工作经费（国检大厦租金）")
    assert rent.row("calculation").cells["name"].text.count("\n") == 2  # type: ignore[union-attr]


def test_nothing_unassigned(imported: tuple[Disclosure, ImportReport]) -> None:
    report = imported[1]
    assert report.unassigned == []
    reasons = [s.reason for s in report.skipped]
    assert reasons == ["目录 (table of contents)"] * 9 + ["分隔线 (separator line)"] * 2
    assert report.unparsed_cells == 0 and report.malformed_cells == 2


def test_as_published_fixture_is_regenerated_identically(seed: Disclosure) -> None:
    text = dumps(seed, pretty=True) + "\n"
    if os.environ.get("DEPTBUDGET_REGENERATE"):
        AS_PUBLISHED.write_text(text, encoding="utf-8")
    assert AS_PUBLISHED.read_text(encoding="utf-8") == text, (
        "tests/fixtures/luohu-2020-as-published.json is stale: rerun with DEPTBUDGET_REGENERATE=1")
