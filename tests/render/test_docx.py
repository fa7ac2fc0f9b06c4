"""DOCX renderer: read the file back with python-docx — every table cell by cell, merges,
repeated header rows, headings for the navigation pane, East Asian fonts, landscape sections."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from deptbudget.model.disclosure import Disclosure, Table
from deptbudget.render.corrections import corrections_part
from deptbudget.render.docx_render import write_docx
from deptbudget.render.grid import TableGrid, table_grid
from tests.render.test_pdf import example_disclosure, sample_disclosure


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> tuple[Disclosure, DocxDocument]:
    d = sample_disclosure()
    path = write_docx(d, tmp_path_factory.mktemp("docx") / "sample.docx", charts=False)
    return d, docx.Document(str(path))


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from deptbudget.render.pdf import write_pdf

    return write_pdf(example_disclosure(), tmp_path_factory.mktemp("pdf") / "budget.pdf", charts=True)


@pytest.fixture(scope="module")
def example_docx(tmp_path_factory: pytest.TempPathFactory, example_pdf: Path) -> tuple[Disclosure, DocxDocument]:
    d = example_disclosure()
    path = write_docx(d, tmp_path_factory.mktemp("docx") / "example.docx", charts=True, pdf=example_pdf)
    return d, docx.Document(str(path))


@pytest.fixture(params=["sample_docx", "example_docx"])
def written(request: pytest.FixtureRequest) -> tuple[Disclosure, DocxDocument]:
    return request.getfixturevalue(request.param)


def _expected_cells(t: Table) -> tuple[TableGrid, dict[tuple[int, int], tuple[int, int, int, int]]]:
    """The grid and, for every grid position, the (row, col) origin and span of its cell."""
    grid = table_grid(t)
    owner: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for c in grid.cells:
        for r in range(c.row, c.row + c.rowspan):
            for col in range(c.col, c.col + c.colspan):
                owner[(r, col)] = (c.row, c.col, c.rowspan, c.colspan)
    return grid, owner


def test_one_word_table_per_disclosure_table(written: tuple[Disclosure, DocxDocument]) -> None:
    d, document = written
    assert len(document.tables) == len(d.tables)


def test_every_table_cell_by_cell(written: tuple[Disclosure, DocxDocument]) -> None:
    d, document = written
    for t, table in zip(d.tables, document.tables, strict=True):
        grid, owner = _expected_cells(t)
        assert (len(table.rows), len(table.columns)) == (grid.nrows, grid.ncols), f"表{t.number}"
        cells = table._cells
        texts = {(c.row, c.col): c.text for c in grid.cells}
        for r in range(grid.nrows):
            for col in range(grid.ncols):
                cell = cells[r * grid.ncols + col]
                origin = owner.get((r, col))
                if origin is None:  # a plain blank cell
                    assert cell.text == "", f"表{t.number} ({r}, {col})"
                    continue
                r0, c0, _, _ = origin
                assert cell.text == texts[(r0, c0)], f"表{t.number} {t.instance or ''} ({r}, {col})"
                same = cell._tc is cells[r0 * grid.ncols + c0]._tc
                assert same, f"表{t.number} ({r}, {col}) should be merged into ({r0}, {c0})"
        for (r, col), (r0, c0, _, _) in owner.items():
            if (r, col) != (r0, c0) and (r, col + 1) in owner and owner[(r, col + 1)][:2] != (r0, c0):
                assert cells[r * grid.ncols + col]._tc is not cells[r * grid.ncols + col + 1]._tc


def test_merged_header_spans(sample_docx: tuple[Disclosure, DocxDocument]) -> None:
    d, document = sample_docx
    index = next(i for i, t in enumerate(d.tables) if t.id == "T2")
    table = document.tables[index]
    first = table.rows[0].cells
    assert first[2].text == "本年收入" and all(first[i]._tc is first[2]._tc for i in range(2, 11))
    assert first[11]._tc is not first[10]._tc
    column0 = [row.cells[0] for row in table.rows[:4]]
    assert all(c.text == "预算单位" and c._tc is column0[0]._tc for c in column0)
    assert column0[0]._tc is not table.rows[4].cells[0]._tc


def test_header_rows_repeat_on_every_page(written: tuple[Disclosure, DocxDocument]) -> None:
    d, document = written
    for t, table in zip(d.tables, document.tables, strict=True):
        header_rows = table_grid(t).header_rows
        for r, row in enumerate(table.rows):
            tr_pr = row._tr.trPr
            repeated = tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
            assert repeated == (r < header_rows), f"表{t.number} row {r}"


def test_headings_for_the_navigation_pane(written: tuple[Disclosure, DocxDocument]) -> None:
    d, document = written
    heading1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert heading1 == [part.title for part in d.parts] + (["更正说明"] if d.corrections else []) + ["附表"]
    heading2 = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    sections = [s.heading for part in d.parts for s in part.sections if s.heading]
    first_tables = [t.title for i, t in enumerate(d.tables) if t.id not in {x.id for x in d.tables[:i]}]
    assert heading2 == sections + first_tables


def test_narrative_paragraphs(written: tuple[Disclosure, DocxDocument]) -> None:
    d, document = written
    body = [p.text for p in document.paragraphs if p.style.name == "部门预算正文"]
    parts = [*d.parts, *filter(None, [corrections_part(d)])]
    assert body == [text for part in parts for s in part.sections for text in s.paragraphs]


def test_east_asian_fonts_are_set(sample_docx: tuple[Disclosure, DocxDocument]) -> None:
    _, document = sample_docx
    for name, font in (("Normal", "宋体"), ("Heading 1", "黑体"), ("Heading 2", "黑体"), ("表格文字", "宋体")):
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font, name
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name


def test_landscape_tables_sit_in_landscape_sections(written: tuple[Disclosure, DocxDocument]) -> None:
    d, document = written
    body = document.element.body
    orientations: list[str] = []
    pending = 0
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            pending += 1
        sect = child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") if child.tag == qn("w:p") else None
        if child.tag == qn("w:sectPr"):
            sect = child
        if sect is not None:
            size = sect.find(qn("w:pgSz"))
            wide = int(size.get(qn("w:w"))) > int(size.get(qn("w:h")))
            orientations += ["landscape" if wide else "portrait"] * pending
            pending = 0
    assert orientations == ["landscape" if t.landscape else "portrait" for t in d.tables]
    assert any(s.orientation == WD_ORIENT.LANDSCAPE for s in document.sections) == any(t.landscape for t in d.tables)


def test_page_numbers_in_the_footer(sample_docx: tuple[Disclosure, DocxDocument]) -> None:
    _, document = sample_docx
    body = document.sections[1]
    xml = body.footer._element.xml
    assert "PAGE" in xml and "第" in xml and "页" in xml
    assert body.footer.paragraphs[0].text.startswith("第")
    assert not document.sections[0].footer.paragraphs[0].text  # cover and contents unnumbered
    restarts = [s._sectPr.find(qn("w:pgNumType")) is not None for s in document.sections]
    assert restarts == [False, True] + [False] * (len(document.sections) - 2)  # numbered on, 1 … N


CONTENTS_LINE = re.compile(r"^(.*?)[\s.]*?(?:\s*\.){3,}\s*(\d+)$")


def docx_contents(document: DocxDocument) -> list[tuple[str, str]]:
    """(title, page) of each contents entry of the DOCX."""
    return [tuple(p.text.split("\t")) for p in document.paragraphs if p.style.name == "目录条目"]  # type: ignore[misc]


def pdf_contents(pdf: Path) -> list[tuple[str, str]]:
    """(title, page) of each line of the PDF's 目录 pages, as printed."""
    import pdfplumber

    out: list[tuple[str, str]] = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages[1:6]:
            lines = (page.extract_text() or "").splitlines()
            if out or (lines and lines[0].replace(" ", "") == "目录"):
                out.extend((m.group(1).replace(" ", ""), m.group(2)) for m in map(CONTENTS_LINE.match, lines) if m)
    return out


def test_contents_entries_carry_page_numbers(sample_docx: tuple[Disclosure, DocxDocument]) -> None:
    d, document = sample_docx
    xml = document.element.body.xml
    assert "TOC" not in xml and "updateFields" not in document.settings.element.xml  # Word will not prompt
    entries = docx_contents(document)
    assert [title for title, _ in entries[: len(d.parts)]] == [part.title for part in d.parts]
    pages = [int(page) for _, page in entries]  # every entry has its page number
    assert pages == sorted(pages) and pages[0] == 1


def test_contents_page_numbers_are_the_pdfs(example_docx: tuple[Disclosure, DocxDocument], example_pdf: Path) -> None:
    _, document = example_docx
    in_docx = [(title.replace(" ", ""), page) for title, page in docx_contents(document)]
    in_pdf = pdf_contents(example_pdf)
    assert len(in_docx) > 20
    assert in_docx == in_pdf


def test_charts_are_pictures(example_docx: tuple[Disclosure, DocxDocument]) -> None:
    from deptbudget.render.charts import chart_data

    d, document = example_docx
    assert len(document.inline_shapes) == len(chart_data(d)) >= 4
    from deptbudget.render.chart_placement import placed_charts

    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == [p.caption for p in placed_charts(d)]  # numbered as the PDF numbers them


def test_failed_render_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import deptbudget.render.docx_render as docx_render

    target = tmp_path / "budget.docx"
    target.write_bytes(b"old")

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("save failed")

    monkeypatch.setattr(docx_render.DocxDocument, "save", boom)
    with pytest.raises(RuntimeError):
        write_docx(sample_disclosure(), target, charts=False)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["budget.docx"]
