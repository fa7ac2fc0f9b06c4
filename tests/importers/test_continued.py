"""A table continued under its repeated title is one table; a contents entry read as a title is no
table; form tables keep one block per instance (``importers.continued``)."""

from __future__ import annotations

from deptbudget.importers.continued import join_continued
from deptbudget.importers.segment import Block, TitleLine
from deptbudget.importers.source import Location, SourceLine


def _block(number: str | None, title: str, *rows: str) -> Block:
    where = SourceLine([title], Location())
    return Block(TitleLine(number, title, "", where), [SourceLine([r, "1.00"], Location()) for r in rows])


def test_a_repeated_title_continues_the_table() -> None:
    blocks = [_block("2", "收入总体情况表"), _block("3", "支出总体情况表"),
              _block("2", "收入总体情况表", "201", "20108"), _block("2", "收入总体情况表", "2010801"),
              _block("3", "支出总体情况表", "201")]
    joined = join_continued(blocks, lambda b: False)
    assert [(b.title.number, [line.cells[0] for line in b.lines]) for b in joined] == [
        ("2", ["201", "20108", "2010801"]), ("3", ["201"])]


def test_form_tables_and_other_numbers_stay_apart() -> None:
    blocks = [_block("14", "项目绩效目标表", "a"), _block("14", "项目绩效目标表", "b"),
              _block("5", "一般公共预算支出表", "201"), _block("6", "一般公共预算支出表", "201")]
    joined = join_continued(blocks, lambda b: b.title.number == "14")
    assert [len(b.lines) for b in joined] == [1, 1, 1, 1]


def test_an_empty_heading_over_forms_of_its_table_is_no_form() -> None:
    blocks = [_block("1", "项目支出绩效目标表"), _block(None, "甲项目绩效目标表", "a"),
              _block(None, "乙项目绩效目标表", "b")]
    joined = join_continued(blocks, lambda b: True, lambda b: "T15")
    assert [b.title.title for b in joined] == ["甲项目绩效目标表", "乙项目绩效目标表"]
    # an empty form followed by a form of another table is kept (printed empty)
    other = join_continued(blocks, lambda b: True, lambda b: "T14" if b.title.number == "1" else "T15")
    assert len(other) == 3
