"""The self-evaluation forms' PDF is tagged as the disclosure's is (``render.pdf_tagging``): each form's title
an H1, each form a Table of TR/TH/TD read cell by cell as placed, its labels TH (a header line heading its
columns, a label beside a value its row), every character content or an artifact (the page numbers)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deptbudget.performance.actuals import load_actuals
from deptbudget.performance.forms import Form, selfeval_forms
from deptbudget.performance.render import form_headers, write_pdf
from deptbudget.performance.scoring import self_evaluate
from tests.render.test_pdf import squash
from tests.render.test_pdf_tagging import Node, assert_tagged, pdf_ua_check, read_tagged, table_cells


@pytest.fixture(scope="module")
def tagged(tmp_path_factory, seed, rules):  # type: ignore[no-untyped-def]
    from tests.performance.conftest import ACTUALS

    forms = selfeval_forms(self_evaluate(seed, load_actuals(ACTUALS), rules), seed)
    path = write_pdf(forms, tmp_path_factory.mktemp("selfeval") / "selfeval.pdf", "2020 年度绩效自评报告")
    return forms, path, read_tagged(path)


def test_tagged_and_every_character_is_content_or_an_artifact(tagged) -> None:  # type: ignore[no-untyped-def]
    _, path, (tree, text, untagged, artifacts) = tagged
    assert_tagged(path, tree, text, untagged)
    assert all(re.fullmatch(r"第\d+页", squash(a)) for a in artifacts)


def test_titles_are_headings_and_forms_are_tables(tagged) -> None:  # type: ignore[no-untyped-def]
    forms, _, (tree, text, _, _) = tagged
    h1 = [squash("".join(text.get(m, "") for m in n.marks())) for n in tree.elements("H1")]
    assert h1 == [squash(f.title) for f in forms]
    tables: list[Node] = tree.elements("Table")
    assert len(tables) == len(forms)
    for table, form in zip(tables, forms, strict=True):
        cells = table_cells(text, table)
        assert [t for _, t, _ in cells if t] == _printed(form), form.title
        headers = form_headers(form)
        expected = sorted((r, c) for r, c, cell in form.placed() if cell.kind == "head" and cell.text.strip())
        assert [(t, scope) for role, t, scope in cells if role == "TH" and t] == \
            [(squash(_text(form, r, c)), headers[r, c]) for r, c in expected], form.title
        assert {"Row", "Column"} >= {scope for role, _, scope in cells if role == "TH"}


def _printed(form: Form) -> list[str]:
    return [squash(cell.text) for _, _, cell in sorted(form.placed(), key=lambda p: (p[0], p[1]))
            if squash(cell.text)]


def _text(form: Form, r: int, c: int) -> str:
    return next(cell.text for rr, cc, cell in form.placed() if (rr, cc) == (r, c))


def test_pdf_ua_checker_finds_nothing(tagged) -> None:  # type: ignore[no-untyped-def]
    _, path, _ = tagged
    pdf_ua_check(Path(path))
