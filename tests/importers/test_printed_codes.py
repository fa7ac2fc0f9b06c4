"""A 收支总表's 支出 names take the codes the same document prints beside them in its 功能分类 tables."""

from __future__ import annotations

from deptbudget.importers.printed_codes import printed_codes, recode_by_printed_codes
from deptbudget.importers.report import TableReport
from deptbudget.importers.source import Location
from deptbudget.model.disclosure import Cell, CellKind, Column, Row, Table


def _func_table(*rows: tuple[str, str]) -> Table:
    columns = [Column("code", "科目编码", CellKind.CODE), Column("name", "科目名称", CellKind.TEXT),
               Column("total", "合计")]
    return Table("T7", "7", "一般公共预算支出表", columns,
                 rows=[Row(code, {"code": Cell(code, kind=CellKind.CODE), "name": Cell(name)}) for code, name in rows])


def _two_sided(*rows: tuple[str, str]) -> Table:
    """Rows as the name-only reader keys them: (code found by name in the year's catalog, printed name)."""
    columns = [Column("income_item", "项目", CellKind.TEXT), Column("income_amount", "预算数"),
               Column("exp_item", "项目", CellKind.TEXT), Column("exp_amount", "预算数")]
    return Table("T1", "1", "收支总表", columns,
                 rows=[Row(f"income=;exp={code}", {"exp_item": Cell(name)}, level=0)
                       for code, name in rows])


def _exp_codes(table: Table) -> list[str]:
    return [row.key.split("exp=")[1] for row in table.rows]


def test_a_name_takes_the_code_the_document_prints_beside_it() -> None:
    # 2026: 信访事务 is the 款 20140 (the 2020 catalog knows only the 项 2010308 of that name)
    func = _func_table(("201", "一般公共服务支出"), ("20140", "信访事务"), ("2014001", "行政运行"),
                       ("2014004", "信访业务"), ("20103", "政府办公厅（室）及相关机构事务"), ("2010301", "行政运行"))
    summary = _two_sided(("201", "一、一般公共服务支出"), ("2010308", "信访事务"), ("2010101", "行政运行"),
                         ("2014004", "信访业务"), ("20103", "政府办公厅（室）及相关机构事务"), ("2010101", "行政运行"))
    report = TableReport("T1", "1", "收支总表", Location())
    recode_by_printed_codes(summary, printed_codes([func]), report)
    # 行政运行 is printed under two 款: each takes the one under the 款 above it
    assert _exp_codes(summary) == ["201", "20140", "2014001", "2014004", "20103", "2010301"]
    assert summary.rows[1].level == 2
    assert len(report.notes) == 3


def test_a_name_the_document_prints_no_code_for_keeps_its_code() -> None:
    func = _func_table(("201", "一般公共服务支出"), ("20140", "信访事务"))
    summary = _two_sided(("208", "社会保障和就业支出"), ("20805", "行政事业单位养老支出"))
    recode_by_printed_codes(summary, printed_codes([func]), TableReport("T1", "1", "收支总表", Location()))
    assert _exp_codes(summary) == ["208", "20805"]
