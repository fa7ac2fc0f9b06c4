"""The PDF's page geometry, fonts and paragraph styles (ReportLab).

Two CJK faces with TrueType outlines (registered by ``deptbudget.render.fonts``), as official documents
use them: a 黑体-style face (:data:`FONT`, WenQuanYi Micro Hei) for the cover, titles and headings, and a
宋体-style serif (:data:`BODY_FONT`, AR PL UMing) for body text, tables and notes. Bold is synthetic
(:class:`BoldParagraph`), neither font having a bold face. Lines break by the Chinese rules
(避头尾, ``deptbudget.render.pdf_linebreak``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from deptbudget.render.fonts import register_pdf_font
from deptbudget.render.pdf_linebreak import install_line_breaking
from deptbudget.render.pdf_tagging import TaggedParagraph, artifact
from deptbudget.render.pdf_words import WORD_BREAKS

FONT = "DeptbudgetCJK"  # 黑体-style: cover, titles, headings
BODY_FONT = "DeptbudgetCJKSerif"  # 宋体-style: body text, tables, notes
PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN = {"left": 25 * mm, "right": 25 * mm, "top": 22 * mm, "bottom": 22 * mm}
LANDSCAPE_MARGIN = {"left": 15 * mm, "right": 15 * mm, "top": 15 * mm, "bottom": 18 * mm}
CELL_PAD = 3.0


def register_font() -> str:
    """Register the embeddable CJK TrueType faces as :data:`FONT` and :data:`BODY_FONT`; returns :data:`FONT`."""
    install_line_breaking()
    rl_config.useA85 = 0  # binary streams: ASCII85 of two fonts' subsets costs time and size for nothing
    register_pdf_font(BODY_FONT, serif=True)
    return register_pdf_font(FONT)


def frame_width(orientation: str) -> float:
    if orientation == "landscape":
        return LANDSCAPE[0] - LANDSCAPE_MARGIN["left"] - LANDSCAPE_MARGIN["right"]
    return PORTRAIT[0] - MARGIN["left"] - MARGIN["right"]


def frame_height(orientation: str) -> float:
    if orientation == "landscape":
        return LANDSCAPE[1] - LANDSCAPE_MARGIN["top"] - LANDSCAPE_MARGIN["bottom"]
    return PORTRAIT[1] - MARGIN["top"] - MARGIN["bottom"]


def _style(name: str, size: float, leading: float, font: str = BODY_FONT, **kw: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **kw)


@dataclass(frozen=True)
class Styles:
    cover_title: ParagraphStyle = field(default_factory=lambda: _style("cover", 30, 46, FONT, alignment=TA_CENTER))
    cover_sub: ParagraphStyle = field(default_factory=lambda: _style("cover_sub", 16, 28, FONT, alignment=TA_CENTER))
    part: ParagraphStyle = field(
        default_factory=lambda: _style(
            "part", 17, 26, FONT, alignment=TA_CENTER, spaceBefore=6, spaceAfter=14, keepWithNext=1
        )
    )
    section: ParagraphStyle = field(
        default_factory=lambda: _style(
            "section", 13.5, 24, FONT, firstLineIndent=27, spaceBefore=6, spaceAfter=2, keepWithNext=1
        )
    )
    body: ParagraphStyle = field(
        default_factory=lambda: _style("body", 12, 22, firstLineIndent=24, alignment=TA_JUSTIFY, spaceAfter=2)
    )
    caption: ParagraphStyle = field(
        default_factory=lambda: _style("caption", 10.5, 16, alignment=TA_CENTER, spaceBefore=4, spaceAfter=10)
    )
    table_no: ParagraphStyle = field(default_factory=lambda: _style("table_no", 10.5, 14))
    table_title: ParagraphStyle = field(
        default_factory=lambda: _style("table_title", 16, 24, FONT, alignment=TA_CENTER, spaceAfter=2)
    )
    table_sub: ParagraphStyle = field(
        default_factory=lambda: _style("table_sub", 11, 16, alignment=TA_CENTER, spaceAfter=2)
    )
    unit_left: ParagraphStyle = field(default_factory=lambda: _style("unit_l", 10, 14))
    unit_right: ParagraphStyle = field(default_factory=lambda: _style("unit_r", 10, 14, alignment=TA_RIGHT))
    note: ParagraphStyle = field(default_factory=lambda: _style("note", 10, 15, spaceBefore=4))


@lru_cache(maxsize=1)
def styles() -> Styles:
    register_font()
    return Styles()


def cell_style(size: float, align: int = TA_LEFT, indent: float = 0) -> ParagraphStyle:
    """The style of a table cell's paragraph at ``size`` pt (cached per size, alignment, indent)."""
    return _cached_cell_style(round(size, 1), align, round(indent, 1))


@lru_cache(maxsize=256)
def _cached_cell_style(size: float, align: int, indent: float) -> ParagraphStyle:
    return _style(f"cell-{size}-{align}-{indent}", size, size * 1.25, alignment=align, leftIndent=indent)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


class BoldParagraph(TaggedParagraph):
    """A paragraph drawn with fill+stroke text (render mode 2): a synthetic bold for a CJK font
    that has no bold face."""

    stroke_width = 0.35

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setLineWidth(self.stroke_width * self.style.fontSize / 10)
        canv.setStrokeColor(self.style.textColor)
        canv._code.append("2 Tr")
        super().draw()
        canv._code.append("0 Tr")
        canv.restoreState()


class WordParagraph(TaggedParagraph):
    """A paragraph whose lines break only between words (a table cell: ``pdf_words``)."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802, N803
        token = WORD_BREAKS.set(True)
        try:
            return super().breakLinesCJK(maxWidths)
        finally:
            WORD_BREAKS.reset(token)


class BoldWordParagraph(WordParagraph, BoldParagraph):
    """A bold table cell (a header, a total's label) breaking between words."""


def para(text: str, style: ParagraphStyle, bold: bool = False, words: bool = False) -> TaggedParagraph:
    """A paragraph of plain ``text`` (escaped; line breaks kept), synthetic bold when ``bold``; with
    ``words`` (table cells) its lines break only between words. Marked as its style's structure role in a
    tagged PDF (``pdf_tagging``)."""
    cls = ((BoldWordParagraph if bold else WordParagraph) if words else (BoldParagraph if bold else TaggedParagraph))
    return cls(_escape(text), style)


def page_number_footer(font: str, size: float, page_width: float) -> Any:
    """A ReportLab page callback printing 第 N 页 centred at the foot of the page (the self-evaluation forms and
    the reviewer's checklist)."""

    def footer(canvas: Any, doc: Any) -> None:
        with artifact(canvas):  # page furniture in a tagged PDF
            canvas.saveState()
            canvas.setFont(font, size)
            canvas.drawCentredString(page_width / 2, 7 * mm, f"第 {doc.page} 页")
            canvas.restoreState()

    return footer
