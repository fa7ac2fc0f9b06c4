"""更正说明: the corrections a source lists are printed in every format; a source without them prints none."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.disclosure import Disclosure
from deptbudget.model.serialize import dumps, loads
from deptbudget.render.corrections import TITLE, correction_lines
from deptbudget.render.docx_render import write_docx
from deptbudget.render.html import render_html
from deptbudget.render.pdf import write_pdf
from deptbudget.render.xlsx import INFO_SHEET, write_xlsx
from deptbudget.sources.yaml_source import load_budget

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "luohu-2020.yaml"
SMALL = ROOT / "tests" / "fixtures" / "small.yaml"


@pytest.fixture(scope="module")
def example() -> Disclosure:
    return compute_disclosure(load_budget(EXAMPLE))


@pytest.fixture(scope="module")
def small() -> Disclosure:
    return compute_disclosure(load_budget(SMALL))


def _flat(text: str) -> str:
    return "".join(text.split())


def test_the_example_lists_its_corrections(example: Disclosure) -> None:
    printed = {c.printed for c in example.corrections}
    assert any("新兴业带" in p for p in printed) and any("5.06%" in p for p in printed)
    assert all(c.reason for c in example.corrections)
    assert loads(dumps(example)).corrections == example.corrections
    part1 = example.part(1).text  # type: ignore[union-attr]
    assert "新兴业带" not in part1 and "大梧桐新兴产业带产业集聚" in part1


def test_html_shows_each_correction_with_what_was_printed(example: Disclosure, small: Disclosure) -> None:
    html = render_html(example)
    section = html[html.index('id="corrections"'):]
    section = section[:section.index("</section>")]
    for c in example.corrections:
        assert f"<del>“{c.printed}”</del>" in section and f"<ins>“{c.corrected}”</ins>" in section
        assert c.reason in section
    assert 'href="#corrections"' in html
    assert TITLE not in render_html(small)


def test_pdf_docx_xlsx_print_the_corrections(example: Disclosure, small: Disclosure, tmp_path: Path) -> None:
    lines = correction_lines(example)
    assert len(lines) == len(example.corrections) >= 2
    pdf = write_pdf(example, tmp_path / "d.pdf", charts=False)
    text = _flat(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert TITLE in text and all(_flat(line) in text for line in lines)
    paragraphs = [p.text for p in docx.Document(str(write_docx(example, tmp_path / "d.docx", charts=False))).paragraphs]
    assert TITLE in paragraphs and all(line in paragraphs for line in lines)
    ws = openpyxl.load_workbook(write_xlsx(example, tmp_path / "d.xlsx"))[INFO_SHEET]
    values = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert TITLE in values and all(line in values for line in lines)
    plain = [p.text for p in docx.Document(str(write_docx(small, tmp_path / "s.docx", charts=False))).paragraphs]
    assert TITLE not in plain
