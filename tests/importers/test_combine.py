"""importers/combine.py: the files of one disclosure put together — tables from the file that read
them, narrative from every file, no table twice."""

from __future__ import annotations

from deptbudget.importers.combine import combine_disclosures
from deptbudget.model.disclosure import Disclosure, Part, Row, Table


def _table(table_id: str, rows: int = 1, note: str = "") -> Table:
    return Table(table_id, table_id[1:], f"表{table_id}", [], rows=[Row(f"r{i}", {}) for i in range(rows)],
                 empty=bool(note), empty_note=note)


def _narrative() -> Disclosure:
    # a 情况说明 whose contents list named tables that are printed in the other file
    return Disclosure("beijing-13", 2026, "测试局", "测试局2026年部门预算", parts=[Part(1, "第一部分 情况说明")],
                      tables=[_table("T16", rows=0), _table("X6", rows=0)], contents=["10. 政府采购预算明细表"],
                      meta={"source": "附件1.pdf"})


def _tables() -> Disclosure:
    return Disclosure("beijing-13", 2026, "", "", tables=[_table("T1"), _table("T8", 0, "本表无数据"), _table("T16")],
                      meta={"source": "附件2.pdf"})


def test_tables_from_the_file_that_read_them_narrative_from_the_other() -> None:
    combined = combine_disclosures([_narrative(), _tables()])
    assert [t.id for t in combined.tables] == ["T1", "T8", "T16"]
    assert combined.tables[2].rows  # the 报表's 表10, not the contents entry of the 说明
    assert [p.title for p in combined.parts] == ["第一部分 情况说明"]
    assert (combined.unit_name, combined.title) == ("测试局", "测试局2026年部门预算")
    assert combined.contents == ["10. 政府采购预算明细表"]
    assert combined.meta["source"] == "附件1.pdf + 附件2.pdf"


def test_another_file_adds_the_tables_the_first_lacks() -> None:
    other = Disclosure("beijing-13", 2026, "", "", tables=[_table("T18", rows=3), _table("T1", rows=2)])
    combined = combine_disclosures([_tables(), other])
    assert [(t.id, len(t.rows)) for t in combined.tables] == [("T1", 1), ("T8", 0), ("T16", 1), ("T18", 3)]


def test_one_file_is_itself() -> None:
    single = _tables()
    assert combine_disclosures([single]) is single
