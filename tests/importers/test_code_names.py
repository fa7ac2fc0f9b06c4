"""A generic table's label column printing code and name in one cell (``importers.code_names``): split into the
row's code and name, the row keyed by its code, as a template reads such a table."""

from __future__ import annotations

from benchmarks.unknown_locality import withheld
from deptbudget.catalog import load_catalog
from deptbudget.importers import import_document
from deptbudget.importers.cells import RowContext
from deptbudget.importers.code_names import split_code_names
from deptbudget.importers.grid import header_cells, split_grid
from deptbudget.importers.report import TableReport
from deptbudget.importers.rows import generic_rows
from deptbudget.importers.source import Location, SourceLine
from deptbudget.importers.tables import generic_columns
from deptbudget.importers.titles import title_index
from deptbudget.model.disclosure import CellKind, Column, Row, RowKind
from deptbudget.rules import Checker
from tests.real_docs import REAL_DOCS

GUANGZHOU = REAL_DOCS / "005_广州" / "2026年广州市气象局部门预算.pdf"


def _read(*lines: tuple[str, ...]) -> tuple[list[Column], list[Row]]:
    source = [SourceLine(list(cells), Location(line=n)) for n, cells in enumerate(lines, 1)]
    report = TableReport("?", "5", "某某表", Location())
    grid = split_grid(source, "", report)
    columns = generic_columns(header_cells(grid.header), grid.body)
    rows = generic_rows(grid.body, RowContext(columns, load_catalog(2026), "", report))
    return split_code_names(columns, rows), rows


def test_code_and_name_in_one_cell_become_the_rows_code_and_name() -> None:
    columns, rows = _read(("支出经济分类科目", "预算数"), ("合计", "60.00"), ("[301]工资福利支出", "30.00"),
                          ("30101-基本工资", "10.00"), ("30102 津贴补贴", "20.00"), ("302  商品和服务支出", "30.00"),
                          ("【30201】办公费", "30.00"))
    assert [(c.key, c.kind) for c in columns] == [("code", CellKind.CODE), ("name", CellKind.TEXT),
                                                  ("c1", CellKind.AMOUNT)]
    assert [(r.key, r.kind) for r in rows] == [("total", RowKind.TOTAL), ("301", RowKind.DATA), ("30101", RowKind.DATA),
                                               ("30102", RowKind.DATA), ("302", RowKind.DATA), ("30201", RowKind.DATA)]
    assert [(r.cells["code"].text, r.cells["name"].text) for r in rows[1:3]] == [("301", "工资福利支出"),
                                                                                ("30101", "基本工资")]
    assert rows[-1].cells["name"].text == "办公费" and rows[-1].cells["c1"].text == "30.00"


def test_names_that_only_start_with_figures_are_not_split() -> None:
    # a year before a project, a 4-digit number, one code among names: no classification printed in the names
    columns, rows = _read(("项目名称", "预算数"), ("2026年审计业务经费", "31.00"), ("1000 人次培训", "19.00"),
                          ("[206]科学技术支出", "5.00"), ("信息化运维", "7.00"))
    assert "code" not in [c.key for c in columns]
    assert rows[2].cells["project_name"].text == "[206]科学技术支出"


def test_a_table_with_a_code_column_is_left_as_printed() -> None:
    columns, rows = _read(("科目编码", "科目名称", "合计"), ("206", "[206]科学技术支出", "5.00"),
                          ("20605", "[20605]科技条件与服务", "5.00"))
    assert [c.key for c in columns] == ["code", "name", "total"]
    assert rows[0].cells["name"].text == "[206]科学技术支出"


def test_a_real_document_read_with_no_template_keys_its_classification_rows_by_code() -> None:
    """广州 prints ``[206]科学技术支出`` in 表5 and ``[30101]基本工资`` in 表6; read with no template at all, the
    rows are keyed by their codes as the 广州 template keys them, the names judged by the catalog (no finding: they
    are the official names)."""
    with withheld(set(title_index().by_template)):
        disclosure, _ = import_document(GUANGZHOU)
    assert disclosure.template == "unknown"
    by_number = {t.number: t for t in disclosure.tables}
    functional, economic = by_number["5"], by_number["6"]
    assert functional.row("2060503") is not None and functional.row("2060503").cells["name"].text == "科技条件专项"
    assert economic.row("30101") is not None and economic.row("30101").cells["name"].text == "基本工资"
    assert economic.row("total") is not None
    findings = Checker().check(disclosure)
    assert not [f for f in findings if f.rule.startswith("CAT-")]
    # a wrong name in a split pair is judged as a template-read table's would be
    economic.row("30101").cells["name"].text = "基本工资（误）"
    wrong = [f for f in Checker().check(disclosure) if f.rule == "CAT-NAME"]
    assert [(f.expected, f.actual) for f in wrong] == [("基本工资", "基本工资（误）")]
