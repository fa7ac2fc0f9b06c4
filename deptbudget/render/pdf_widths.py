"""Column widths of a printed table, measured on its grid in the PDF's font.

Used by the PDF and the DOCX (so Word's columns match the PDF's): the widths fill the
available width, and the font steps down from 9 pt until every column gets its minimum.
"""

from __future__ import annotations

import re

from reportlab.pdfbase import pdfmetrics

from deptbudget.model.disclosure import CellKind
from deptbudget.render.grid import TableGrid
from deptbudget.render.pdf_styles import BODY_FONT, CELL_PAD
from deptbudget.render.pdf_words import longest_word

FONT_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5)
LABEL_CHARS = 12  # a bold label cell up to this long is not wrapped
NAME_CHARS = 10  # a text cell up to this long (a unit's name) gets a line of its own before longer text grows


def _text_width(text: str, size: float) -> float:
    return max((pdfmetrics.stringWidth(line, BODY_FONT, size) for line in text.split("\n")), default=0.0)


def _column_bounds(grid: TableGrid, size: float) -> list[list[float]]:
    """Four widths of every column, each at least the one before: the minimum (amounts and
    codes unwrapped, text and header labels keeping their longest word whole — Chinese words by
    ``pdf_words``, runs of digits/Latin letters — header labels otherwise at two characters a line),
    short names on one line (罗湖区科技创新局 in 表13's 实施单位), the body's natural width (text on one
    line, up to 30 characters), and that with the header labels on lines of up to six or seven
    characters. Only single-column cells count; merged cells wrap within the columns they span."""
    pad = 2 * CELL_PAD
    minimum = [2.5 * size + pad] * grid.ncols
    names = list(minimum)
    body = list(minimum)
    full = list(minimum)
    for c in grid.cells:
        if c.colspan != 1:
            continue
        width = _text_width(c.text, size) + c.indent * size
        if c.header:
            word = min(_text_width(longest_word(c.text), size), 6.5 * size)
            minimum[c.col] = max(minimum[c.col], min(width, max(2.2 * size, word)) + pad)
            full[c.col] = max(full[c.col], min(width, 6.5 * size) + pad)
            continue
        if c.kind in (CellKind.AMOUNT, CellKind.CODE):
            low, high = width, width * 1.15
        elif c.bold and len(c.text) <= LABEL_CHARS:
            low = high = width  # a form's label (部门（单位）职能概述) on one line, as printed
        else:
            token = max(_longest_token(c.text, size), _text_width(longest_word(c.text), size)) + c.indent * size
            low, high = min(max(token, 4 * size), 14 * size, width), min(width, 30 * size)
            if len(c.text) <= NAME_CHARS:
                names[c.col] = max(names[c.col], width + pad)
        minimum[c.col] = max(minimum[c.col], low + pad)
        body[c.col] = max(body[c.col], high + pad)
    names = [max(n, m) for n, m in zip(names, minimum, strict=True)]
    body = [max(b, n) for b, n in zip(body, names, strict=True)]
    full = [max(f, b) for f, b in zip(full, body, strict=True)]
    return [minimum, names, body, full]


def _longest_token(text: str, size: float) -> float:
    """Width of the longest run that should not wrap: digits, Latin letters and punctuation."""
    tokens = re.findall(r"[0-9A-Za-z.,:;%/()\-—~]+", text)
    return max((pdfmetrics.stringWidth(tok, BODY_FONT, size) for tok in tokens), default=0.0)


def column_widths(grid: TableGrid, available: float) -> tuple[list[float], float]:
    """Column widths filling ``available`` and the font size (9 pt, smaller for a wide table)
    at which every column gets at least its minimum."""
    for size in FONT_SIZES:
        bounds = _column_bounds(grid, size)
        if sum(bounds[0]) <= available:
            return _fill(bounds, available), size
    minimum = _column_bounds(grid, FONT_SIZES[-1])[0]
    return [w * available / sum(minimum) for w in minimum], FONT_SIZES[-1]


def _fill(bounds: list[list[float]], available: float) -> list[float]:
    """Grow from the minimum towards each next target in turn, sharing what room is left in
    proportion to what each column still wants; spread any room left at the end."""
    widths = bounds[0]
    for target in bounds[1:]:
        want = sum(target) - sum(widths)
        room = available - sum(widths)
        if want > room:
            share = room / want
            return [w + (t - w) * share for w, t in zip(widths, target, strict=True)]
        widths = target
    return [w * available / sum(widths) for w in widths]
