"""A template is used only where it fits: printed columns it does not describe are kept as extra columns,
and a document whose tables print several such columns is another family's, read generically
(``tables.unplaced_columns``, ``tables.columns_misfit``, ``titles.fits``)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.catalog import load_catalog
from deptbudget.importers import import_document
from deptbudget.importers.report import TableReport
from deptbudget.importers.segment import Block, TitleLine
from deptbudget.importers.source import Location, SourceLine
from deptbudget.importers.tables import (
    TableContext,
    build_table,
    columns_misfit,
    generic_columns,
    qualified_labels,
)
from deptbudget.importers.titles import choose_template, title_index
from deptbudget.model.disclosure import CellKind, HeaderCell
from deptbudget.template import load_template
from tests.real_docs import REAL_DOCS

BEIJING_TABLES = REAL_DOCS / "002_北京" / "统计局_2026年部门预算.pdf"


def _line(*cells: str, n: int = 1) -> SourceLine:
    return SourceLine(list(cells), Location(line=n))


def _block(title: str, *lines: SourceLine) -> Block:
    return Block(TitleLine("6", title, "", SourceLine([title], Location(line=0))), list(lines))


def test_printed_columns_the_template_lacks_are_kept_as_named_extra_columns() -> None:
    """fuzhou-10's 一般公共预算基本支出表 has one amount column; a table printing 合计 / 人员经费 / 公用经费 keeps
    all three: the first as the template's, the other two as extra columns named by their headers."""
    template = load_template("fuzhou-10")
    spec = next(s for s in template.tables if s.builder.value == "eco_tree")
    block = _block(spec.title,
                   _line("科目编码", "科目名称", "合计", "人员经费", "公用经费", n=1),
                   _line("301", "工资福利支出", "30.00", "30.00", "", n=2),
                   _line("30101", "基本工资", "10.00", "10.00", "", n=3),
                   _line("302", "商品和服务支出", "5.00", "", "5.00", n=4))
    table, report = build_table(block, spec, TableContext(load_catalog(2020), 2026, "某局", "万元"))
    extra = table.columns[len(spec.columns):]
    assert [(c.key, c.label, c.kind) for c in extra] == [("c3", "人员经费", CellKind.AMOUNT),
                                                          ("c4", "公用经费", CellKind.AMOUNT)]
    assert table.row("302").cells["c4"].value == Decimal("5.00")
    assert report.extra_amount_columns == 2 and not report.extra_cells


def test_a_row_number_column_is_no_extra_column_and_figures_under_other_headers_stay_text() -> None:
    template = load_template("fuzhou-10")
    spec = next(s for s in template.tables if s.builder.value == "eco_tree")
    block = _block(spec.title,
                   _line("序号", "科目编码", "科目名称", "预算数", "指标值", n=1),
                   _line("1", "301", "工资福利支出", "30.00", "950", n=2),
                   _line("2", "30101", "基本工资", "10.00", "260", n=3))
    table, report = build_table(block, spec, TableContext(load_catalog(2020), 2026, "某局", "万元"))
    extra = table.columns[len(spec.columns):]
    assert [(c.label, c.kind) for c in extra] == [("指标值", CellKind.TEXT)]
    assert report.extra_amount_columns == 0


def _report(table_id: str, extra: int) -> TableReport:
    report = TableReport(table_id, table_id.lstrip("T"), "某表", Location())
    report.extra_amount_columns = extra
    return report


@pytest.mark.parametrize(("extras", "misfit"), [
    ([0] * 10, False),
    ([2] + [0] * 9, False),  # one table with a local extra column: the family still fits
    ([2, 1] + [0] * 8, True),
    ([3, 1, 2, 4] + [0] * 5, True),
    ([1, 1] + [0] * 9, False),  # two of eleven: under the share
])
def test_a_template_misfits_when_several_of_its_tables_print_undescribed_amount_columns(
        extras: list[int], misfit: bool) -> None:
    reports = [_report(f"T{i + 1}", n) for i, n in enumerate(extras)]
    reports.append(_report("X12", 5))  # a table the template does not have counts for nothing
    assert columns_misfit(reports) is misfit


def test_labels_shared_by_several_columns_are_named_with_the_groups_above_them() -> None:
    header = [[HeaderCell("单位名称", 0, 0), HeaderCell("上年", 0, 1, colspan=2), HeaderCell("增减变化情况", 0, 3,
                                                                                               colspan=2)],
              [HeaderCell("合计", 1, 1), HeaderCell("公务接待费", 1, 2), HeaderCell("合计", 1, 3),
               HeaderCell("公务接待费", 1, 4)]]
    labels = qualified_labels(header, 5, ["单位名称", "合计", "公务接待费", "合计", "公务接待费"])
    assert labels == ["单位名称", "上年合计", "上年公务接待费", "增减变化情况合计", "增减变化情况公务接待费"]
    body = [_line("某局", "10.00", "2.00", "-1.00", "-0.50", n=3)]
    assert [c.label for c in generic_columns(header, body)][3:] == ["增减变化情况合计", "增减变化情况公务接待费"]


@pytest.fixture
def without_beijing() -> Iterator[None]:
    """The title index as for a locality we have no template of: Beijing's own family removed."""
    index = title_index()
    saved = dict(index.by_template)
    index.by_template.pop("beijing-13")
    yield
    index.by_template.clear()
    index.by_template.update(saved)


def test_a_document_of_a_family_we_do_not_have_is_read_generically_not_by_a_lookalike(
        without_beijing: None) -> None:
    """Beijing's 统计局 budget without the beijing-13 template: fuzhou-10 recognises its titles, but four of its
    tables print amount columns fuzhou-10 does not describe — read generically, every amount column kept."""
    if not BEIJING_TABLES.is_file():
        pytest.fail(f"{BEIJING_TABLES} missing: tests read ../shared/real-docs")
    disclosure, report = import_document(Path(BEIJING_TABLES))
    assert disclosure.template == "unknown"
    assert any("fuzhou-10" in note.message and "通用读法" in note.message for note in report.notes)
    basic = next(t for t in disclosure.tables if t.title.endswith("一般公共预算基本支出表"))
    # p.19 prints 预算数 over 合计 | 人员经费 | 公用经费
    assert [c.label for c in basic.columns if c.kind is CellKind.AMOUNT] == ["预算数合计", "人员经费", "公用经费"]


def test_titles_all_recognised_but_numbered_otherwise_tell_no_family() -> None:
    """Two 绩效目标表 numbered 12 and 13: shenzhen-15 has both titles, as its 表15 and 表14 — no evidence."""
    titles = ["项目支出绩效目标表", "部门整体支出绩效目标表"]
    index = title_index()
    saved = dict(index.by_template)
    try:
        index.by_template.pop("beijing-13")
        choice = choose_template(titles, "", ["12", "13"], ["12", "13"])
        assert choice.name is None and choice.rejected == "shenzhen-15"
        assert choose_template(titles, "", ["15", "14"], ["15", "14"]).name == "shenzhen-15"
    finally:
        index.by_template.clear()
        index.by_template.update(saved)
