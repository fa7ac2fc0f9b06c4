"""review.structure: a file of tables alone that is, by what it is made of, the 报表 of a disclosure published as two
files (北京's 预算01表 … with no cover, no 说明) is reviewed on its tables, its 说明 left to its own file (a note);
a file of tables alone that has a cover of its own, or lacks a required table, still loses the marks of its
missing 说明 — read as a document of no known locality, on pages cut from the real documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.unknown_locality import withheld
from deptbudget.importers import import_document
from deptbudget.importers.titles import title_index
from deptbudget.model.disclosure import Disclosure
from deptbudget.review.engine import Review, Reviewer
from deptbudget.review.structure import FAIL, UNKNOWN, published_elsewhere, tables_file
from tests.real_docs import REAL_DOCS, cut_pages

BEIJING = REAL_DOCS / "002_北京"
TABLES = BEIJING / "退役军人事务局_2026年部门预算.pdf"  # 报表 alone: 预算01表 on page 1, no cover, no 说明
NARRATIVE = BEIJING / "2026年北京市审计局部门预算.pdf"  # 说明 alone: its page 1 is a cover with title and contents
FIRST_PAGES = [1, 2, 3, 5, 6, 9, 11, 12, 13]  # the first page of 预算01表 … 预算09表: the eight tables 143号 requires
GOV_FUND = 11  # 预算07表 政府性基金预算支出表
NARRATIVE_ITEMS = ("functions", "organization", "narrative", "glossary")


def _unknown(path: Path) -> Disclosure:
    """The document read as one of a locality no template describes."""
    with withheld(set(title_index().by_template)):
        disclosure, _ = import_document(path)
    assert disclosure.template == "unknown"
    return disclosure


def _review(path: Path) -> tuple[Disclosure, Review]:
    disclosure = _unknown(path)
    return disclosure, Reviewer().review(disclosure, source=str(path))


def _status(review: Review, item: str) -> str:
    return next(r.status for r in review.items if r.item.id == item)


def test_a_file_of_every_table_and_no_title_is_reviewed_on_its_tables(tmp_path: Path) -> None:
    disclosure, review = _review(cut_pages([(TABLES, FIRST_PAGES)], tmp_path / "a.pdf"))
    assert tables_file(disclosure, None)
    assert all(_status(review, item) == UNKNOWN for item in NARRATIVE_ITEMS)
    assert review.grade.grade in ("优", "良")
    assert any("是报表部分" in note and "--together" in note for note in review.notes)
    elsewhere = published_elsewhere(disclosure, None, None, "a.pdf")
    assert elsewhere is not None and elsewhere.inferred  # judged from what the file is, not from its words


def test_a_file_of_tables_that_lacks_a_required_one_is_judged_whole(tmp_path: Path) -> None:
    pages = [page for page in FIRST_PAGES if page != GOV_FUND]
    disclosure, review = _review(cut_pages([(TABLES, pages)], tmp_path / "a.pdf"))
    assert not tables_file(disclosure, None)
    assert all(_status(review, item) == FAIL for item in NARRATIVE_ITEMS)
    assert review.grade.grade == "差"


def test_a_file_of_tables_under_a_cover_of_its_own_is_judged_whole(tmp_path: Path) -> None:
    """A cover titled as the whole disclosure (…部门预算信息公开, its contents listing the 说明's parts) over every
    table: the document says it is the disclosure, and its 说明 is missing."""
    disclosure, review = _review(cut_pages([(NARRATIVE, [1]), (TABLES, FIRST_PAGES)], tmp_path / "a.pdf"))
    paragraphs = [p for part in disclosure.parts for section in part.sections for p in section.paragraphs]
    assert "部门预算信息公开" in disclosure.title and not any(p.strip() for p in paragraphs)
    assert not tables_file(disclosure, None)
    assert all(_status(review, item) == FAIL for item in NARRATIVE_ITEMS)


@pytest.mark.parametrize("name", ["统计局_2026年部门预算.pdf", "退役军人事务局_2026年部门预算.pdf"])
def test_the_corpus_tables_files_that_name_no_half_are_graded_on_their_tables(name: str) -> None:
    """北京 统计局 and 退役军人事务局: 报表 files whose names say nothing of it, 差 as a locality unknown before."""
    _, review = _review(BEIJING / name)
    assert review.grade.grade in ("优", "良")
    assert all(_status(review, item) == UNKNOWN for item in NARRATIVE_ITEMS)


SEED = Path(__file__).resolve().parents[1] / "fixtures" / "luohu-2020-seed.txt"


def test_a_file_of_tables_whose_contents_list_tables_only_is_reviewed_on_its_tables(tmp_path: Path) -> None:
    """The seed's tables (表5 left out, as published) under its title and a 目录 of its tables alone, read as a
    locality no template describes: the contents say it is the 报表; the same tables with no title and no contents
    lack a required table (the 143号 minimum), and are judged whole."""
    from deptbudget.review.structure import tables_file
    from deptbudget.rules.completeness import absent_tables
    from deptbudget.rules.registry import RuleContext, settings_of

    lines = SEED.read_text(encoding="utf-8").splitlines()
    listed = next(i for i, line in enumerate(lines) if line.strip() == "1. 收支预算总表")
    first_table = next(i for i, line in enumerate(lines) if line.strip() == "表.1")
    with_contents, bare = tmp_path / "a.txt", tmp_path / "b.txt"
    with_contents.write_text("\n".join([*lines[:5], *lines[listed:]]) + "\n", encoding="utf-8")
    bare.write_text("\n".join(lines[first_table:]) + "\n", encoding="utf-8")
    disclosure, review = _review(with_contents)
    assert any("目录只列表格" in note for note in review.notes)
    assert all(_status(review, item) == UNKNOWN for item in NARRATIVE_ITEMS)
    assert review.grade.grade in ("优", "良")
    untitled, judged_whole = _review(bare)
    assert absent_tables(untitled, RuleContext(None, settings_of(untitled))) and not tables_file(untitled, None)
    assert all(_status(judged_whole, item) == FAIL for item in NARRATIVE_ITEMS)
