"""importers.recall, the independent text the amount recall is measured against: a figure followed by a glyph drawn
as a small picture (西安 人社局 prints the “%” of its rates so; pdftotext prints nothing for it) is no amount."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from deptbudget.importers.recall import amounts_in_text, document_text, mark_pictured, pictured_figures
from deptbudget.model.disclosure import INLINE_IMAGE
from tests.real_docs import REAL_DOCS, cut_pages

XIAN_HR = REAL_DOCS / "020_西安" / "人力资源和社会保障局_2026年部门预算.pdf"
RATE_PAGE = 12  # “较上年减少12.95[%]”, “减少12.97[%]”: the “%” a 6.7 × 12 pt picture after each
CHART_PAGE = 11  # two charts (≈ 360 × 210 pt) and no rate


def test_a_figure_before_a_glyph_sized_picture_is_no_amount(tmp_path: Path) -> None:
    pdf = cut_pages([(XIAN_HR, [CHART_PAGE, RATE_PAGE])], tmp_path / "a.pdf")
    assert pictured_figures(pdf) == {2: ["12.95", "12.97"]}  # the charts of page 1 are no glyphs
    text = document_text(pdf)
    amounts = amounts_in_text(text)
    assert Decimal("12.95") not in amounts and Decimal("12.97") not in amounts
    assert f"12.95{INLINE_IMAGE}" in text
    assert Decimal("181807.13") in amounts  # the amounts of the same lines are still amounts


def test_the_mark_goes_after_the_figure_on_its_page_not_followed_by_a_percent() -> None:
    text = "减少12.95%，另12.95\f收入 12.95 万元，减少12.95 ，"
    marked = mark_pictured(text, {2: ["12.95"]})
    assert marked == f"减少12.95%，另12.95\f收入 12.95{INLINE_IMAGE} 万元，减少12.95 ，"  # the first on page 2
    assert amounts_in_text(marked) == [Decimal("12.95"), Decimal("12.95")]  # page 1's second, page 2's second
    assert mark_pictured(text, {3: ["12.95"]}) == text  # no such page
    assert amounts_in_text(f"13.01{INLINE_IMAGE}，1,234.50") == [Decimal("1234.50")]
