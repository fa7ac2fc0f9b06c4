"""Issue 16's "Done when" for the PDF, checked on the example built by ``deptbudget build`` with each engine
(ReportLab, the default, and ``--pdf-engine typst``), page by page from what the PDF holds:

- no line starts with closing punctuation or ends with opening punctuation (``pdftotext -layout``);
- no table header or cell breaks inside a word (each cell's lines, read through the tagged structure);
- the body text is set in the serif face, the headings in the 黑体-style face; ``pdffonts`` lists the
  embedded faces and nothing unembedded;
- the charts are vectors (``pdfimages`` lists nothing) with their alt text and captions;
- the PDF is tagged (``pdfinfo``: Tagged: yes; a Table per table);
- both engines print the same amounts (fidelity), every amount of every table among them.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from deptbudget.cli import main
from deptbudget.model.disclosure import CellKind, Disclosure
from deptbudget.render.chart_placement import placed_charts
from deptbudget.render.pdf_linebreak import CANNOT_END, CANNOT_START
from tests.render.test_pdf_words import _bad_breaks

pytest.importorskip("typst")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"
ENGINES = ("reportlab", "typst")
AMOUNT = re.compile(r"(?<![\d,.])-?\d{1,3}(?:,\d{3})*\.\d{2}(?![\d%])")
SERIF = ("UMing", "SerifCJK")
SANS = ("WenQuanYi", "SansCJK")


def _run(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


@dataclass
class Built:
    engine: str
    d: Disclosure
    path: Path
    layout: list[str]  # pdftotext -layout, one string per page
    tree: list[dict[str, Any]]  # the structure elements, depth first (pdfplumber)
    chars: dict[tuple[int, int], list[dict[str, Any]]]  # (page number, MCID) → its characters

    def elements(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.tree if e["type"] == kind]

    def chars_of(self, element: dict[str, Any]) -> list[dict[str, Any]]:
        page = element.get("page_number")
        return [ch for mcid in element.get("mcids", []) for ch in self.chars.get((page, mcid), [])]


def _flatten(elements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for e in elements:
        out.append(e)
        out.extend(_flatten(e.get("children", [])))
    return out


@pytest.fixture(scope="module", params=ENGINES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    from tests.render.conftest import build_example

    out = tmp_path_factory.mktemp(request.param)
    assert main(["build", str(EXAMPLE), "-o", str(out), "--formats", "pdf", "--pdf-engine", request.param]) == 0
    path = out / "budget.pdf"
    chars: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    with pdfplumber.open(path) as pdf:
        tree = _flatten(pdf.structure_tree)
        for page in pdf.pages:
            for ch in page.chars:
                if ch.get("mcid") is not None:
                    chars[page.page_number, ch["mcid"]].append(ch)
    layout = _run("pdftotext", "-layout", str(path), "-").split("\f")
    return Built(request.param, build_example(), path, layout, tree, dict(chars))


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(built: Built) -> None:
    bad = []
    for number, page in enumerate(built.layout, start=1):
        for line in page.splitlines():
            line = re.sub(r"(?:\s?\.){3,}", "  ", line)  # the contents' dot leaders
            for piece in re.split(r"\s{2,}", line.strip()):  # a table's cells sit side by side, apart
                if piece and (piece[0] in CANNOT_START or piece[-1] in CANNOT_END):
                    bad.append(f"p.{number}: {piece}")
    assert bad == [], f"{built.engine}: {bad[:10]}"


def _cell_lines(chars: list[dict[str, Any]]) -> list[str]:
    """A cell's printed lines: its characters grouped by their place on the page, top to bottom."""
    lines: list[tuple[float, float, str]] = []  # (top, size, text)
    for ch in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if lines and abs(ch["top"] - lines[-1][0]) < 0.5 * max(ch["size"], lines[-1][1]):
            top, size, text = lines[-1]
            lines[-1] = (top, size, text + ch["text"])
        else:
            lines.append((ch["top"], ch["size"], ch["text"]))
    return [text for _, _, text in lines]


def test_no_table_cell_breaks_inside_a_word(built: Built) -> None:
    cells = built.elements("TH") + built.elements("TD")
    assert len(built.elements("TH")) > 50
    bad = []
    for cell in cells:
        lines = _cell_lines(built.chars_of(cell))
        text = "".join(lines)
        if len(lines) > 1 and re.search(r"[\u4e00-\u9fff]", text):
            bad.extend(_bad_breaks(text, lines))
    assert bad == [], f"{built.engine}: {bad[:10]}"


def _fonts(built: Built, kind: str) -> Counter[str]:
    return Counter(ch["fontname"] for e in built.elements(kind) for ch in built.chars_of(e) if ch["text"].strip())


def test_serif_body_hei_headings_and_only_embedded_faces(built: Built) -> None:
    body = _fonts(built, "P")
    serif = sum(n for font, n in body.items() if any(s in font for s in SERIF))
    assert serif >= 0.95 * sum(body.values()), f"{built.engine}: {body}"
    headings = _fonts(built, "H1") + _fonts(built, "H2")
    assert headings and all(any(s in font for s in SANS) for font in headings), headings
    fonts = _run("pdffonts", str(built.path)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # emb
    assert any(s in line for line in fonts for s in SERIF) and any(s in line for line in fonts for s in SANS)


def test_charts_are_vectors_with_alt_text_and_captions(built: Built) -> None:
    assert _run("pdfimages", "-list", str(built.path)).splitlines()[2:] == []
    placed = placed_charts(built.d)
    assert [e.get("alt_text") for e in built.elements("Figure")] == [p.chart.title for p in placed]
    text = re.sub(r"\s+", "", "".join(built.layout))
    assert all(re.sub(r"\s+", "", p.caption) in text for p in placed)


def test_tagged_with_a_table_per_table(built: Built) -> None:
    assert re.search(r"^Tagged:\s+yes$", _run("pdfinfo", str(built.path)), re.M)
    assert len(built.elements("Table")) == len(built.d.tables)


def _amounts(built: Built) -> Counter[str]:
    return Counter(m for page in built.layout for m in AMOUNT.findall(page))


def test_both_engines_print_the_same_amounts(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Fidelity: every amount the ReportLab PDF prints, the Typst PDF prints as often, and both print every
    amount of every table."""
    from tests.render.conftest import build_example

    d = build_example()
    printed = {}
    for engine in ENGINES:
        out = tmp_path_factory.mktemp(f"amounts-{engine}")
        assert main(["build", str(EXAMPLE), "-o", str(out), "--formats", "pdf", "--pdf-engine", engine]) == 0
        text = _run("pdftotext", "-layout", str(out / "budget.pdf"), "-")
        printed[engine] = Counter(AMOUNT.findall(text))
    assert printed["reportlab"] == printed["typst"]
    tables = Counter(c.text for t in d.tables for r in t.rows for c in r.cells.values()
                     if c.kind == CellKind.AMOUNT and AMOUNT.fullmatch(c.text))
    assert not tables - printed["reportlab"]
