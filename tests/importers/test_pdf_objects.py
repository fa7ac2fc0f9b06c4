"""The page objects built by ``pdf_objects`` are pdfplumber's own: same kinds, same order, same keys
in the same order, equal values — on a generated document with ruled tables and on a page drawn
with colours, curves and several fonts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from deptbudget.importers.pdf_objects import page_objects, prime
from tests.importers.mof_documents import write_pdf


def _drawn(path: Path) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    from deptbudget.render.pdf import register_font

    font = register_font()
    canvas = Canvas(str(path), pagesize=(400, 300))
    canvas.setFillColorRGB(0.8, 0.1, 0.1)
    canvas.setFont(font, 12)
    canvas.drawString(20, 260, "红色标题 1,234.56")
    canvas.setFillColorCMYK(0, 0, 0, 1)
    canvas.setFont("Helvetica", 9)
    canvas.drawString(20, 240, "Helvetica 0.50")
    canvas.setStrokeColorRGB(0, 0, 1)
    canvas.setDash(3, 2)
    canvas.bezier(20, 20, 80, 120, 160, 0, 220, 100)
    canvas.setDash()
    canvas.rect(240, 20, 100, 60, fill=1)
    canvas.line(20, 200, 380, 200)
    canvas.showPage()
    canvas.setFont(font, 10)
    canvas.drawString(30, 150, "第二页")
    canvas.save()
    return path


def _same(ours: dict[str, list[dict[str, Any]]], theirs: dict[str, list[dict[str, Any]]]) -> None:
    assert list(ours) == list(theirs)
    for kind, objects in theirs.items():
        assert len(ours[kind]) == len(objects)
        for mine, expected in zip(ours[kind], objects, strict=True):
            assert list(mine) == list(expected)
            assert mine == expected


@pytest.mark.parametrize("make", [lambda p: write_pdf(p / "tables.pdf"), lambda p: _drawn(p / "drawn.pdf")],
                         ids=["tables", "drawn"])
def test_page_objects_equal_pdfplumbers(make: Any, tmp_path: Path) -> None:
    with pdfplumber.open(make(tmp_path)) as pdf:
        kinds: set[str] = set()
        for page in pdf.pages:
            theirs = page.parse_objects()
            _same(page_objects(page), theirs)
            kinds |= set(theirs)
    assert "char" in kinds and ("rect" in kinds or "line" in kinds)


def test_prime_fills_the_cache_that_find_tables_reads(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "tables.pdf")
    with pdfplumber.open(path) as primed, pdfplumber.open(path) as plain:
        for mine, theirs in zip(primed.pages, plain.pages, strict=True):
            prime(mine)
            _same(mine.objects, theirs.objects)
            assert [t.extract() for t in mine.find_tables()] == [t.extract() for t in theirs.find_tables()]


def test_prime_leaves_objects_pdfplumber_already_built(tmp_path: Path) -> None:
    with pdfplumber.open(_drawn(tmp_path / "drawn.pdf")) as pdf:
        first, second = pdf.pages
        built = first.objects
        prime(first)
        assert first.objects is built
        prime(second)  # one page's objects are never served for another's
        assert [c["text"] for c in second.objects["char"]] == list("第二页")
        assert {c["page_number"] for c in second.objects["char"]} == {2}


def test_release_drops_what_a_read_page_cached(tmp_path: Path) -> None:
    from deptbudget.importers.pdf_objects import release

    path = write_pdf(tmp_path / "tables.pdf")
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        prime(page)
        before = page.objects
        page.find_tables()
        release(page)
        assert not any(hasattr(page, name) for name in ("_layout", "_objects", "_edges", "_rect_edges"))
        prime(page)  # read again: the same objects
        _same(page.objects, before)


def test_read_pages_leave_no_page_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``pdf_lines`` releases each page once read: when a page is read, no page before it keeps its layout or
    objects (pdfplumber would keep them, in reference cycles, to the end)."""
    import deptbudget.importers.pdf as pdf_module

    read: list[Any] = []
    cached: list[int] = []

    def spy(page: Any) -> None:
        cached.append(sum(hasattr(p, "_layout") or hasattr(p, "_objects") for p in read))
        read.append(page)
        prime(page)

    monkeypatch.setattr(pdf_module, "prime", spy)
    pdf_module.pdf_lines(write_pdf(tmp_path / "tables.pdf"))
    assert len(cached) > 1 and not any(cached)
