"""Notes under a table (the 尾差 note) are printed in every format, right after their table."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.disclosure import Disclosure
from deptbudget.render.docx_render import write_docx
from deptbudget.render.html import render_html
from deptbudget.render.pdf import write_pdf
from deptbudget.render.xlsx import sheet_names, write_xlsx
from deptbudget.sources.yaml_source import load_budget
from deptbudget.template import load_template

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"


@pytest.fixture(scope="module")
def disclosure() -> Disclosure:
    return compute_disclosure(load_budget(EXAMPLE))


@pytest.fixture(scope="module")
def note(disclosure: Disclosure) -> str:
    text = load_template(disclosure.template).rounding.tail_note
    assert disclosure.table("T7").notes == [text]  # type: ignore[union-attr]
    assert not disclosure.table("T2").notes  # type: ignore[union-attr]
    return text


def test_html_prints_the_note_under_its_table(disclosure: Disclosure, note: str) -> None:
    html = render_html(disclosure)
    for table_id, noted in (("T7", True), ("T2", False)):
        start = html.index(f'data-table="{table_id}"')
        block = html[start:html.index("</section>", start)]
        assert (note in block) is noted, table_id


def test_xlsx_prints_the_note_below_the_rows(disclosure: Disclosure, note: str, tmp_path: Path) -> None:
    path = write_xlsx(disclosure, tmp_path / "d.xlsx")
    book = openpyxl.load_workbook(path)
    names = sheet_names(disclosure.tables)
    for table, name in zip(disclosure.tables, names, strict=True):
        ws = book[name]
        texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        assert (note in texts) is bool(table.notes), name
        if table.notes:
            assert texts[-1] == note


def test_docx_prints_the_note_after_the_table(disclosure: Disclosure, note: str, tmp_path: Path) -> None:
    document = docx.Document(str(write_docx(disclosure, tmp_path / "d.docx", charts=False)))
    texts = [p.text for p in document.paragraphs]
    assert texts.count(note) == sum(1 for t in disclosure.tables if t.notes)


def test_pdf_prints_the_note(disclosure: Disclosure, note: str, tmp_path: Path) -> None:
    pdf = write_pdf(disclosure, tmp_path / "d.pdf", charts=False)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert flat.count("".join(note.split())) == sum(1 for t in disclosure.tables if t.notes)
