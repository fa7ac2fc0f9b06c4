"""The PDF's document metadata (title, author, subject, keywords, language) and its outline (bookmarks)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from deptbudget.model.disclosure import Disclosure
from deptbudget.render.pdf import write_pdf
from tests.render.test_pdf import sample_disclosure


def _text(value: object) -> str:
    value = resolve1(value)
    if isinstance(value, bytes):
        if value.startswith(b"\xfe\xff"):
            return value[2:].decode("utf-16-be")
        return value.decode("latin-1")
    return str(value)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Disclosure, PDFDocument, object]]:
    d = sample_disclosure()
    path = write_pdf(d, tmp_path_factory.mktemp("meta") / "budget.pdf", charts=False)
    with Path(path).open("rb") as handle:  # pdfminer reads lazily
        yield d, PDFDocument(PDFParser(handle)), handle


def test_document_metadata(pdf: tuple[Disclosure, PDFDocument, object]) -> None:
    d, doc, _ = pdf
    info = {k: _text(v) for k, v in doc.info[0].items()}
    assert info["Title"] == d.title
    assert info["Author"] == d.unit_name
    assert info["Subject"] == f"{d.fiscal_year}年{d.kind}"
    keywords = re.split(r",\s*", info["Keywords"])
    assert d.kind in keywords and f"{d.fiscal_year}年" in keywords and d.unit_name in keywords
    catalog = doc.catalog
    assert _text(catalog["Lang"]) == "zh-CN"
    assert resolve1(catalog["ViewerPreferences"])["DisplayDocTitle"] is True
    assert resolve1(catalog["PageMode"]).name == "UseOutlines"


def test_outline_lists_parts_and_tables(pdf: tuple[Disclosure, PDFDocument, object]) -> None:
    d, doc, _ = pdf
    entries = [(level, title) for level, title, *_ in doc.get_outlines()]
    titles = [t for _, t in entries]
    assert [t for level, t in entries if level == 1][: len(d.parts)] == [p.title for p in d.parts]
    assert "附表" in titles
    for t in d.tables:
        assert f"{t.number}. {t.title}" in titles
    levels = dict((t, level) for level, t in entries)
    assert levels["附表"] == 1 and levels[f"{d.tables[0].number}. {d.tables[0].title}"] == 2
