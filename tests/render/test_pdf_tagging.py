"""The default PDF (ReportLab) is tagged: a structure tree that reads as the document does — H1 parts, H2
sections and table titles, P paragraphs, Figures with their alt text, a TOC, every table a Table of
TR/TH/TD in the printed order — and every character on every page is either in it or an artifact."""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, resolve1

from deptbudget.model.disclosure import Disclosure
from deptbudget.render.chart_placement import placed_charts
from deptbudget.render.grid import table_grid
from deptbudget.render.pdf import write_pdf
from deptbudget.render.pdf_tables import form_headers
from tests.render.test_pdf import sample_disclosure, squash


@dataclass
class Node:
    role: str
    alt: str | None
    kids: list[Node | tuple[int, int]] = field(default_factory=list)  # elements, or (page index, MCID)
    scope: str | None = None
    annotations: list[int] = field(default_factory=list)  # object numbers of its annotations (OBJR kids)

    def elements(self, role: str) -> list[Node]:
        out = [self] if self.role == role else []
        for kid in self.kids:
            if isinstance(kid, Node):
                out.extend(kid.elements(role))
        return out

    def marks(self) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for kid in self.kids:
            out.extend(kid.marks() if isinstance(kid, Node) else [kid])
        return out


def _name(value: object) -> str:
    return str(getattr(value, "name", value))


def structure(path: Path) -> Node:
    """The PDF's structure tree as written (pdfminer), marked content as (page index, MCID)."""
    with path.open("rb") as fh:
        doc = PDFDocument(PDFParser(fh))
        pages = {page.pageid: i for i, page in enumerate(PDFPage.create_pages(doc))}
        root = resolve1(doc.catalog["StructTreeRoot"])

        def node(ref: object) -> Node:
            d = resolve1(ref)
            page = pages.get(d["Pg"].objid) if isinstance(d.get("Pg"), PDFObjRef) else None
            alt = d.get("Alt")
            scope = _name(resolve1(d["A"]).get("Scope")) if "A" in d else None
            out = Node(_name(d["S"]), alt.decode("utf-16") if isinstance(alt, bytes) else alt, scope=scope)
            kids = resolve1(d.get("K", []))
            for kid in kids if isinstance(kids, list) else [kids]:
                if isinstance(kid, int):
                    assert page is not None
                    out.kids.append((page, kid))
                elif isinstance(kid, PDFObjRef) or "S" in resolve1(kid):
                    out.kids.append(node(kid))
                elif _name(resolve1(kid).get("Type")) == "OBJR":  # an annotation of the element
                    out.annotations.append(resolve1(kid)["Obj"].objid)
                else:  # an MCR on another page
                    mcr = resolve1(kid)
                    out.kids.append((pages[mcr["Pg"].objid], mcr["MCID"]))
            return out

        return node(root["K"])


@dataclass
class Tagged:
    d: Disclosure
    path: Path
    tree: Node
    text: dict[tuple[int, int], str]  # (page index, MCID) → its characters
    untagged: int  # characters outside any marked content
    artifacts: list[str]  # the text of each page's artifacts

    def text_of(self, node: Node) -> str:
        return "".join(self.text.get(mark, "") for mark in node.marks())


def read_tagged(path: Path) -> tuple[Node, dict[tuple[int, int], str], int, list[str]]:
    """A tagged PDF as read back: its structure tree, the text of each marked run ((page index, MCID) → its
    characters), the number of characters outside any marked content, and the text of each page's artifacts."""
    text: dict[tuple[int, int], str] = defaultdict(str)
    untagged, artifacts = 0, []
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            furniture = ""
            for ch in page.chars:
                if ch.get("tag") == "Artifact":
                    furniture += ch["text"]
                elif ch.get("mcid") is None:
                    untagged += 1
                else:
                    text[index, ch["mcid"]] += ch["text"]
            artifacts.append(furniture)
    return structure(path), dict(text), untagged, artifacts


def _tagged(d: Disclosure, path: Path, charts: bool) -> Tagged:
    write_pdf(d, path, charts=charts)
    return Tagged(d, path, *read_tagged(path))


def table_cells(text: dict[tuple[int, int], str], table: Node) -> list[tuple[str, str, str | None]]:
    """(role, squashed text, scope) of each cell of a Table element, row by row."""
    return [(cell.role, squash("".join(text.get(mark, "") for mark in cell.marks())), cell.scope)
            for row in table.elements("TR") for cell in row.kids if isinstance(cell, Node)]


def assert_tagged(path: Path, tree: Node, text: dict[tuple[int, int], str], untagged: int) -> None:
    """pdfinfo says Tagged, the tree's root is a Document, no character is outside a marked sequence and every
    marked run belongs to an element."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert tree.role == "Document" and untagged == 0
    assert set(text) <= set(tree.marks())


def pdf_ua_check(path: Path) -> None:
    """The PDF/UA-1 checks of ``pdfua`` (a pikepdf-based checker of the machine-checkable subset of PDF/UA-1, 16
    of its 106 rules, in the dev extras; veraPDF has no PyPI or Debian package) find nothing. Run from
    ``DEPTBUDGET_PDFUA`` (a command), else this interpreter's ``pdfua`` module, else ``pdfua`` on the PATH;
    skipped where none is installed."""
    import importlib.util
    import os
    import shutil
    import sys

    if os.environ.get("DEPTBUDGET_PDFUA"):
        command = [os.environ["DEPTBUDGET_PDFUA"]]
    elif importlib.util.find_spec("pdfua") is not None:
        command = [sys.executable, "-m", "pdfua"]
    elif shutil.which("pdfua"):
        command = ["pdfua"]
    else:
        pytest.skip("no PDF/UA checker installed (pip install pdfua, or set DEPTBUDGET_PDFUA); "
                    "the structural checks run instead")
    done = subprocess.run([*command, "check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS" in done.stdout


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Tagged:
    from tests.render.conftest import build_example

    return _tagged(build_example(), tmp_path_factory.mktemp("tagged") / "budget.pdf", charts=True)


@pytest.fixture(scope="module")
def long_table(tmp_path_factory: pytest.TempPathFactory) -> Tagged:
    """表13 with 80 projects: a table over several pages."""
    return _tagged(sample_disclosure(extra_projects=80), tmp_path_factory.mktemp("tagged") / "long.pdf", False)


def test_tagged_and_every_character_is_content_or_an_artifact(example: Tagged) -> None:
    assert_tagged(example.path, example.tree, example.text, example.untagged)
    body = [squash(a) for a in example.artifacts if "页" in a]
    assert body and all(re.search(r"第\d+页", a) for a in body)  # the footer is an artifact


def test_headings_paragraphs_and_figures_read_in_order(example: Tagged) -> None:
    d, tree = example.d, example.tree
    h1 = [squash(example.text_of(n)) for n in tree.elements("H1")]
    titles = [squash(p.title) for p in d.parts]
    assert [t for t in h1 if t in titles] == titles
    h2 = {squash(example.text_of(n)) for n in tree.elements("H2")}
    assert {squash(t.title) for t in d.tables} <= h2
    assert {squash(s.heading) for p in d.parts for s in p.sections if s.heading} <= h2
    paragraphs = [squash(example.text_of(n)) for n in tree.elements("P")]
    narrative = [squash(text) for p in d.parts for s in p.sections for text in s.paragraphs]
    assert [p for p in paragraphs if p in set(narrative)] == narrative  # each whole, even across a page break
    placed = placed_charts(d)
    assert [n.alt for n in tree.elements("Figure")] == [p.chart.title for p in placed]
    assert [squash(example.text_of(n)) for n in tree.elements("Caption")] == [squash(p.caption) for p in placed]
    entries = [squash(example.text_of(n)) for n in tree.elements("TOCI")]
    assert titles[0] in entries and len(tree.elements("TOC")) == 1


def _cells(t: Tagged, table: Node) -> list[str]:
    return [squash(t.text_of(cell)) for row in table.elements("TR") for cell in row.kids if isinstance(cell, Node)]


def test_every_table_reads_cell_by_cell(example: Tagged) -> None:
    tables = example.tree.elements("Table")
    assert len(tables) == len(example.d.tables)
    for table, t in zip(tables, example.d.tables, strict=True):
        grid = table_grid(t, split_lines=True)
        printed = [squash(c.text) for c in sorted(grid.cells, key=lambda c: (c.row, c.col)) if c.text.strip()]
        assert [c for c in _cells(example, table) if c] == printed, t.title
        headers = [n for n in table.elements("TH")]
        if t.layout != "form":
            assert len(headers) == sum(c.header for c in grid.cells)
            assert all(n.scope == "Column" for n in headers)
            continue
        # a form: its labels head their rows, the 一级指标 / 二级指标 / 指标内容 / 指标值 line its columns
        expected = form_headers(grid)
        assert len(headers) == len(expected) > 0, t.title
        by_text = {squash(c.text): expected[c.row, c.col] for c in grid.cells if (c.row, c.col) in expected}
        assert {squash(example.text_of(n)): n.scope for n in headers} == by_text, t.title
        first = min(grid.cells, key=lambda c: (c.row, c.col))  # 项目名称 / 部门（单位）名称
        assert by_text[squash(first.text)] == "Row", t.title
        if "一级指标" in by_text:
            assert by_text["一级指标"] == by_text["二级指标"] == "Column"


def test_form_tables_have_row_and_column_headers() -> None:
    """表14/表15 on the grid: every bold label heads its row; the indicator header line heads the columns."""
    from tests.render.conftest import build_example

    forms = [t for t in build_example().tables if t.layout == "form"]
    assert len(forms) >= 2
    for t in forms:
        grid = table_grid(t, split_lines=True)
        headers = form_headers(grid)
        labels = [c for c in grid.cells if c.bold]
        assert set(headers) == {(c.row, c.col) for c in labels}
        assert set(headers.values()) == {"Row", "Column"}, t.title


def test_contents_entries_are_tagged_links(example: Tagged) -> None:
    """Each contents entry is a TOCI holding a Link: the entry's text and its link annotation (an OBJR), which
    carries the entry as its description and leads back to the Link through the parent tree."""
    with example.path.open("rb") as fh:
        doc = PDFDocument(PDFParser(fh))
        links: dict[int, dict] = {}
        for page in PDFPage.create_pages(doc):
            for ref in resolve1(page.annots) or []:
                annotation = resolve1(ref)
                if _name(annotation.get("Subtype")) == "Link":
                    links[ref.objid] = annotation
        parent_tree = resolve1(resolve1(resolve1(doc.catalog["StructTreeRoot"])["ParentTree"])["Nums"])
        parents = dict(zip(parent_tree[::2], parent_tree[1::2], strict=True))
        items = example.tree.elements("TOCI")
        assert items and len(links) == len(items)
        for item in items:
            (link,) = item.elements("Link")
            text = example.text_of(link)
            (objid,) = link.annotations
            annotation = links[objid]
            contents = annotation["Contents"]
            assert squash(contents.decode("utf-16") if contents.startswith(b"\xfe\xff") else contents.decode()) \
                == squash(text)
            owner = resolve1(parents[annotation["StructParent"]])
            assert _name(owner["S"]) == "Link" and squash(text)


def test_xmp_metadata_says_pdf_ua(example: Tagged) -> None:
    """PDF/UA identification (pdfuaid:part 1) and the title in the XMP metadata, the viewer shows the title."""
    meta = subprocess.run(["pdfinfo", "-meta", str(example.path)], capture_output=True, text=True, check=True).stdout
    assert "<pdfuaid:part>1</pdfuaid:part>" in meta
    assert f'<rdf:li xml:lang="x-default">{example.d.title}</rdf:li>' in meta
    assert "<rdf:li>zh-CN</rdf:li>" in meta
    with example.path.open("rb") as fh:
        catalog = PDFDocument(PDFParser(fh)).catalog
        assert resolve1(resolve1(catalog["ViewerPreferences"])["DisplayDocTitle"]) is True
        assert resolve1(catalog["Lang"]) == b"zh-CN"
        assert resolve1(resolve1(catalog["MarkInfo"])["Marked"]) is True


def test_pdf_ua_checker_finds_nothing(example: Tagged) -> None:
    pdf_ua_check(example.path)
