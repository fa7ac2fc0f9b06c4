"""The reviewer's checklist PDF is tagged as the disclosure's is (``render.pdf_tagging``): the title an H1, the
lines P, the checklist one Table (over every page it spans) whose column labels are TH once and whose 得分 / 等级
labels head their rows, every character content or an artifact (the page numbers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deptbudget.model.serialize import loads
from deptbudget.review.engine import Review, Reviewer
from deptbudget.review.pdf_report import COLUMNS, write_review_pdf
from deptbudget.review.structure import Dates
from tests.render.test_pdf import squash
from tests.render.test_pdf_tagging import Node, assert_tagged, pdf_ua_check, read_tagged, table_cells

AS_PUBLISHED = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "luohu-2020-as-published.json"


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Review, Path, tuple]:  # type: ignore[type-arg]
    review = Reviewer().review(loads(AS_PUBLISHED.read_bytes()), Dates(), "luohu-2020.pdf")
    path = write_review_pdf(review, tmp_path_factory.mktemp("review") / "review.pdf")
    return review, path, read_tagged(path)


def test_tagged_and_every_character_is_content_or_an_artifact(tagged) -> None:  # type: ignore[no-untyped-def]
    _, path, (tree, text, untagged, artifacts) = tagged
    assert_tagged(path, tree, text, untagged)
    header = "".join(squash(label) for label, _ in COLUMNS)  # repeated on the following pages: an artifact there
    assert len(artifacts) > 1 and squash(artifacts[0]) == "第1页"
    assert all(squash(a) == f"第{i}页{header}" for i, a in enumerate(artifacts[1:], start=2))


def test_title_lines_and_one_table(tagged) -> None:  # type: ignore[no-untyped-def]
    review, _, (tree, text, _, _) = tagged
    def words(n: Node) -> str:
        return squash("".join(text.get(m, "") for m in n.marks()))

    assert [words(n) for n in tree.elements("H1")] == [squash(review.title)]
    paragraphs = [words(n) for n in tree.elements("P") if not _in_table(tree, n)]
    assert any(p.startswith("检查依据") for p in paragraphs)
    (table,) = tree.elements("Table")
    cells = table_cells(text, table)
    headers = [(t, scope) for role, t, scope in cells if role == "TH"]
    assert headers == [(squash(label), "Column") for label, _ in COLUMNS] + [("得分", "Row"), ("等级", "Row")]
    rows = table.elements("TR")
    assert len(rows) >= len(review.items) + 3  # header, one or more rows per item, 得分, 等级
    assert sum(1 for role, t, _ in cells if role == "TD" and t == squash(review.verdict("fail"))) == \
        sum(r.status == "fail" for r in review.items)


def _in_table(tree: Node, node: Node) -> bool:
    return any(node is n for table in tree.elements("Table") for n in table.elements("P"))


def test_pdf_ua_checker_finds_nothing(tagged) -> None:  # type: ignore[no-untyped-def]
    _, path, _ = tagged
    pdf_ua_check(path)
