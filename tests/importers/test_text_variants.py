"""Page-break artefacts and wording the seed does not show, in a small hand-written text document;
and the import report of it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.importers import import_document
from deptbudget.importers.report import ImportReport
from deptbudget.model.disclosure import Disclosure

DOCUMENT = """\
2021年测试局部门预算
这一行不属于任何部分
第一部分 部门概况
一、主要职能
测试局负责测试工作，并承担上级交办的其他
任务。
附表：
1. 收支预算总表
7. 一般公共预算支出情况表
表 7 一般公共预算支出情况表
单位名称：测试局\t\t\t\t单位：元
预算单位\t科目编码\t科目名称\t支出总计\t基本支出\t项目支出
测试局\t\t\t1,000.00\t600.00\t400.00
\t208\t社会保障和就业支出\t1,000.00\t600.00\t400.00
\t20805\t行政事业单位养老支出\t1,000.00\t600.00\t400.00
\t2080505\t机关事业单位基本养老保险缴费\t600.00\t600.00\t
\t\t支出\t\t\t
- 3 -
表7（续）
单位名称：测试局\t\t\t\t单位：元
预算单位\t科目编码\t科目名称\t支出总计\t基本支出\t项目支出
\t2080599\t其他行政事业单位养老支出\t400.00\t\t4OO.00
"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Disclosure, ImportReport]:
    path = tmp_path_factory.mktemp("variants") / "test-2021.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    return import_document(path)


def test_continued_table_is_one_table(imported: tuple[Disclosure, ImportReport]) -> None:
    disclosure, _ = imported
    assert [t.id for t in disclosure.tables] == ["T7"]
    table = disclosure.tables[0]
    assert (table.number, table.unit, table.unit_name) == ("7", "元", "测试局")
    assert [r.key for r in table.rows] == ["total", "208", "20805", "2080505", "2080599"]


def test_row_wrapped_onto_the_next_line(imported: tuple[Disclosure, ImportReport]) -> None:
    row = imported[0].tables[0].row("2080505")
    assert row is not None and row.cells["name"].text == "机关事业单位基本养老保险缴费支出"
    assert row.cells["total"].value == Decimal("600.00") and row.cells["project"].value == Decimal(0)


def test_unparsable_amount_reported(imported: tuple[Disclosure, ImportReport]) -> None:
    disclosure, report = imported
    cell = disclosure.tables[0].row("2080599").cells["project"]  # type: ignore[union-attr]
    assert cell.text == "4OO.00" and cell.value is None and "不是金额" in (cell.parse_error or "")
    table = report.tables[0]
    assert [(p.row, p.column, p.text) for p in table.problems] == [("2080599", "project", "4OO.00")]
    assert report.unparsed_cells == 1 and table.confidence < 1


def test_narrative_line_broken_by_the_page(imported: tuple[Disclosure, ImportReport]) -> None:
    part = imported[0].part(1)
    assert part is not None and part.sections[0].heading == "一、主要职能"
    assert part.sections[0].paragraphs == ["测试局负责测试工作，并承担上级交办的其他任务。"]


def test_report_lists_everything_not_read(imported: tuple[Disclosure, ImportReport], tmp_path: Path) -> None:
    disclosure, report = imported
    assert [(u.text, u.where.line) for u in report.unassigned] == [("这一行不属于任何部分", 2)]
    assert [(s.text, s.reason.split(" ")[0]) for s in report.skipped] == [("- 3 -", "页码")]
    table = report.tables[0]
    assert {s.where.line for s in table.skipped} == {20, 21}  # the repeated unit line and header
    assert report.missing_tables == ["1. 收支预算总表"]
    assert disclosure.meta["import"] == report.summary()
    data = json.loads(report.write(tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["tables"][0]["rows_read"] == 5 and data["tables"][0]["unparsed_cells"] == 1
    assert data["unassigned"][0]["where"] == {"line": 2}
    assert 0 < data["confidence"] < 1
