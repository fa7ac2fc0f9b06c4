"""``build --pdf-engine typst``: a tagged PDF with embedded CJK faces, vector charts numbered 图1…, the
metadata, every table, the same bytes for the same source."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from deptbudget.cli import main
from deptbudget.model.disclosure import Disclosure
from deptbudget.render.chart_placement import placed_charts
from tests.render.test_pdf import example_disclosure, squash

pytest.importorskip("typst")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"


def _run(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Disclosure, Path, Path]:
    first, second = tmp_path_factory.mktemp("a"), tmp_path_factory.mktemp("b")
    for out in (first, second):
        assert main(["build", str(EXAMPLE), "-o", str(out), "--formats", "pdf", "--pdf-engine", "typst"]) == 0
    return example_disclosure(), first / "budget.pdf", second / "budget.pdf"


def test_tagged_with_embedded_fonts_and_metadata(built: tuple[Disclosure, Path, Path]) -> None:
    d, pdf, _ = built
    info = _run("pdfinfo", str(pdf))
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(rf"^Title:\s+{re.escape(d.title)}$", info, re.M)
    assert re.search(rf"^Author:\s+{re.escape(d.unit_name)}$", info, re.M)
    assert d.kind in info and f"{d.fiscal_year}年" in info  # keywords
    fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)
    assert any("SerifCJK" in line for line in fonts) and any("SansCJK" in line for line in fonts)


def test_vector_charts_numbered_and_every_table(built: tuple[Disclosure, Path, Path]) -> None:
    d, pdf, _ = built
    assert _run("pdfimages", "-list", str(pdf)).splitlines()[2:] == []
    text = _run("pdftotext", str(pdf), "-")
    captions = [int(n) for n in re.findall(r"图\s?(\d+)\s", text)]  # Typst spaces CJK from digits
    placed = placed_charts(d)
    assert captions == list(range(1, len(placed) + 1))
    flat = squash(text)
    for p in placed:
        assert all(squash(name) in flat for name in p.chart.categories)
    for t in d.tables:
        assert squash(t.title) in flat, t.title
    # Typst sets ”， as one compressed pair: plain pdftotext may put the ， on a line of its own, -layout does not
    layout = _run("pdftotext", "-layout", str(pdf), "-")
    lines = [line.strip() for line in layout.splitlines() if line.strip()]
    assert [line for line in lines if line[0] in "，。、；：？！）」』"] == []


def test_two_builds_give_the_same_bytes(built: tuple[Disclosure, Path, Path]) -> None:
    _, first, second = built
    assert first.read_bytes() == second.read_bytes()


def test_reportlab_stays_the_default(tmp_path: Path) -> None:
    assert main(["build", str(EXAMPLE), "-o", str(tmp_path), "--formats", "pdf"]) == 0
    assert "ReportLab" in _run("pdfinfo", str(tmp_path / "budget.pdf"))
