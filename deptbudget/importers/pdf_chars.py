"""Characters of a page's text, laid out as pdfminer lays them out, built faster.

For every glyph drawn pdfminer's ``PDFLayoutAnalyzer.render_char`` asks the font for the character's text, width
and displacement (several method calls and dictionary look-ups each) and builds an ``LTChar``, whose box it
computes through two more helpers; pdfplumber's device then tags it with the marked content it is in. ``Device``
does the same for horizontal fonts with what a font says of a character looked up once per page, and the box
computed inline by the very same arithmetic, in the same order; the ``LTChar`` gets the same attributes in the same
order. A vertical font's characters go through pdfminer's own code. ``tests/importers/test_pdf_content.py``
compares the page objects with pdfplumber's own on real pages.
"""

from __future__ import annotations

from typing import Any

from pdfminer.layout import LTChar
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfplumber.page import PDFPageAggregatorWithMarkedContent


class Device(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's device for one page, with a faster ``render_char``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # per font: None for a vertical font, else (its name, its descent, per cid: (text, width))
        self._fonts: dict[int, tuple[Any, tuple[str, float, dict[int, tuple[str, float]]] | None]] = {}

    def _font(self, font: Any) -> tuple[str, float, dict[int, tuple[str, float]]] | None:
        known = self._fonts.get(id(font))
        if known is None or known[0] is not font:
            known = self._fonts[id(font)] = (font, None if font.is_vertical() else
                                             (font.fontname, font.get_descent(), {}))
        return known[1]

    def render_char(self, matrix: Any, font: Any, fontsize: float, scaling: float, rise: float, cid: int,
                    ncs: Any, graphicstate: Any) -> float:
        """``PDFPageAggregatorWithMarkedContent.render_char``: see pdfminer's ``PDFLayoutAnalyzer.render_char`` and
        ``LTChar.__init__``, and pdfplumber's ``tag_cur_item``, which this follows."""
        known = self._font(font)
        if known is None:
            vertical: float = super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)
            return vertical
        fontname, font_descent, chars = known
        glyph = chars.get(cid)
        if glyph is None:
            try:
                text = font.to_unichr(cid)
                assert isinstance(text, str), str(type(text))
            except PDFUnicodeNotDefined:
                text = self.handle_undefined_char(font, cid)
            glyph = chars[cid] = (text, font.char_width(cid))
        text, textwidth = glyph
        item = LTChar.__new__(LTChar)
        item._text = text
        item.matrix = matrix
        item.fontname = fontname
        item.ncs = ncs
        item.graphicstate = graphicstate
        adv = item.adv = textwidth * fontsize * scaling
        descent = font_descent * fontsize
        (a, b, c, d, e, f) = matrix
        item.upright = a * d * scaling > 0 and b * c <= 0
        # apply_matrix_rect(matrix, (0, descent + rise, adv, descent + rise + fontsize))
        x0, y0, x1, y1 = 0, descent + rise, adv, descent + rise + fontsize
        left1, bottom1 = a * x0 + c * y0 + e, b * x0 + d * y0 + f
        right1, bottom2 = a * x1 + c * y0 + e, b * x1 + d * y0 + f
        right2, top1 = a * x1 + c * y1 + e, b * x1 + d * y1 + f
        left2, top2 = a * x0 + c * y1 + e, b * x0 + d * y1 + f
        x0, y0 = min(left1, left2, right1, right2), min(bottom1, bottom2, top1, top2)
        x1, y1 = max(left1, left2, right1, right2), max(bottom1, bottom2, top1, top2)
        if x1 < x0:
            (x0, x1) = (x1, x0)
        if y1 < y0:
            (y0, y1) = (y1, y0)
        item.x0 = x0  # LTComponent.set_bbox
        item.y0 = y0
        item.x1 = x1
        item.y1 = y1
        item.width = x1 - x0
        item.height = y1 - y0
        item.bbox = (x0, y0, x1, y1)
        item.size = item.height
        self.cur_item.add(item)
        item.mcid = self.cur_mcid  # pdfplumber's tag_cur_item
        item.tag = self.cur_tag
        return adv
